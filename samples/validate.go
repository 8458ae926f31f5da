package samples

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// ErrInvalid matches (errors.Is) every *ValidationError.
var ErrInvalid = errors.New("samples: invalid samples")

// Problem is one broken rule of one sample.
type Problem struct {
	// Index is the sample's position in the slice given to Validate (or in
	// the sequence given to a sync); -1 for the batch's data type.
	Index int
	// Field is the API's name of the field: device_name, start_date,
	// end_date, unit, value, or data_type.
	Field string
	// Rule says what is wrong ("required", "before start_date", ...).
	Rule string
}

// String returns "sample 3: value: greater than 0 required".
func (p Problem) String() string {
	if p.Index < 0 {
		return p.Field + ": " + p.Rule
	}
	return fmt.Sprintf("sample %d: %s: %s", p.Index, p.Field, p.Rule)
}

// ValidationError lists every broken rule found, in sample order.
type ValidationError struct {
	Problems []Problem
}

// maxListed bounds how many problems the error's text lists.
const maxListed = 10

// Error names every problem, up to ten, and how many more there are.
func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "samples: %d invalid field(s): ", len(e.Problems))
	for i, p := range e.Problems {
		if i == maxListed {
			fmt.Fprintf(&b, "; and %d more", len(e.Problems)-maxListed)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// Limits the API puts on values.
const (
	// MaxCount is the largest value of a Count sample.
	MaxCount = 30000
	// MaxCountPerMinute is the largest value of a CountPerMinute sample.
	MaxCountPerMinute = 300
)

// UnitsOf returns the units a data type's samples may use: Count for
// Steps; CountPerMinute and CountPerSecond for BPM.
func UnitsOf(dt DataType) []Unit {
	switch dt {
	case Steps:
		return []Unit{Count}
	case BPM:
		return []Unit{CountPerMinute, CountPerSecond}
	}
	return nil
}

// Validate checks samples against the API's rules before anything is sent
// and returns a *ValidationError naming every broken one by index, field
// and rule, or nil. Rules: the data type is Steps or BPM; device_name is
// required; start is required; end, when set, is not before start; the
// unit is count, count/min or count/s and fits the data type (UnitsOf);
// the value is finite and greater than 0, at most MaxCount for count and
// MaxCountPerMinute for count/min; times lie in years 0000..9999 (ISO
// 8601's four digits) and their zone offsets within -23:59..+23:59.
func Validate(dt DataType, samples []Sample) error {
	var probs []Problem
	if !dt.Known() {
		probs = append(probs, Problem{Index: -1, Field: "data_type", Rule: fmt.Sprintf("%q is not steps or bpm", string(dt))})
	}
	for i := range samples {
		probs = checkSample(probs, dt, i, &samples[i])
	}
	if len(probs) > 0 {
		return &ValidationError{Problems: probs}
	}
	return nil
}

func checkSample(probs []Problem, dt DataType, i int, s *Sample) []Problem {
	add := func(field, rule string) { probs = append(probs, Problem{Index: i, Field: field, Rule: rule}) }
	if s.DeviceName == "" {
		add("device_name", "required")
	}
	if s.Start.IsZero() {
		add("start_date", "required")
	} else if rule := timeRule(s.Start); rule != "" {
		add("start_date", rule)
	}
	if !s.End.IsZero() {
		if rule := timeRule(s.End); rule != "" {
			add("end_date", rule)
		} else if !s.Start.IsZero() && s.End.Before(s.Start) {
			add("end_date", "before start_date")
		}
	}
	switch {
	case !s.Unit.Known():
		add("unit", fmt.Sprintf("%q is not count, count/min or count/s", string(s.Unit)))
	case dt.Known() && !fits(dt, s.Unit):
		add("unit", fmt.Sprintf("%s does not fit data type %s", s.Unit, dt))
	}
	switch v := s.Value; {
	case math.IsNaN(v) || math.IsInf(v, 0):
		add("value", "not a finite number")
	case v <= 0:
		add("value", fmt.Sprintf("%v: greater than 0 required", v))
	case s.Unit == Count && v > MaxCount:
		add("value", fmt.Sprintf("%v: at most %d for count", v, MaxCount))
	case s.Unit == CountPerMinute && v > MaxCountPerMinute:
		add("value", fmt.Sprintf("%v: at most %d for count/min", v, MaxCountPerMinute))
	}
	return probs
}

func fits(dt DataType, u Unit) bool {
	for _, ok := range UnitsOf(dt) {
		if ok == u {
			return true
		}
	}
	return false
}

// maxOffset bounds a zone offset: hh:mm has two hour digits, and Python's
// datetime, behind the API, refuses a day or more.
const maxOffset = 24 * 3600

// timeRule returns the rule t breaks as the API's ISO 8601 time, or "":
// its zone offset is within -23:59..+23:59 and its year, as written (see
// TimeLayout), within 0000..9999.
func timeRule(t time.Time) string {
	_, off := t.Zone()
	if off <= -maxOffset || off >= maxOffset {
		return fmt.Sprintf("zone offset %s outside -23:59..+23:59", t.Format("-07:00"))
	}
	y := t.Year()
	if off%60 != 0 {
		// Written with the offset's whole minutes, which may fall in
		// another year.
		y = t.In(time.FixedZone("", off/60*60)).Year()
	}
	if y < 0 || y > 9999 {
		return fmt.Sprintf("year %d outside 0000..9999", y)
	}
	return ""
}

// checkEncodable refuses what MarshalJSON cannot write as the API wants.
func checkEncodable(s *Sample) error {
	rule := timeRule(s.Start)
	if rule == "" && !s.End.IsZero() {
		rule = timeRule(s.End)
	}
	if rule != "" {
		return fmt.Errorf("samples: encoding sample of %q: %s", s.DeviceName, rule)
	}
	if math.IsNaN(s.Value) || math.IsInf(s.Value, 0) {
		return fmt.Errorf("samples: encoding sample of %q: value is not a finite number", s.DeviceName)
	}
	return nil
}
