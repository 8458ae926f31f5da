package polar

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wearkit/wearkit/internal/jsonkeys"
)

// The server's handlers return plain dicts, so its answers have no schema
// to hold it to, and its code and its page disagree on their forms. Every
// model here decodes through decodeObject, which tolerates what the server
// really sends:
//
//   - a time.Time field takes a date ("2026-01-11"), Python's str() of a
//     datetime ("2026-01-11 07:30:00", with ".ffffff" and "+00:00" when
//     present) and ISO 8601 with a "T" (Polar's own strings passed
//     through); a time without a zone is UTC;
//   - a field tagged polar:"id" takes a string or a number, kept as text;
//   - every key the model does not name is kept in its Extra map.

// Extra holds the keys of an answer that the model does not name, as the
// server sent them, so nothing the server adds is lost.
type Extra map[string]json.RawMessage

// fieldInfo describes one JSON field of a model.
type fieldInfo struct {
	name  string
	index []int
	id    bool // polar:"id": string or number
}

type modelInfo struct {
	fields []fieldInfo
	known  map[string]int
	extra  []int // index of the Extra field, nil if none
	// shadow is a flat struct with one field per JSON key, the tolerant
	// types in place of time.Time and ids, decoded in one json.Unmarshal.
	shadow reflect.Type
	conv   []int8 // per field: convCopy, convTime, convTimePtr, convID
}

const (
	convCopy int8 = iota
	convTime
	convTimePtr
	convID
)

var models sync.Map // reflect.Type -> *modelInfo

var (
	timeType  = reflect.TypeOf(time.Time{})
	extraType = reflect.TypeOf(Extra(nil))
)

func infoOf(t reflect.Type) *modelInfo {
	if mi, ok := models.Load(t); ok {
		return mi.(*modelInfo)
	}
	mi := &modelInfo{known: map[string]int{}}
	mi.collect(t, nil)
	sf := make([]reflect.StructField, len(mi.fields))
	mi.conv = make([]int8, len(mi.fields))
	for i, f := range mi.fields {
		ft := t.FieldByIndex(f.index).Type
		switch {
		case f.id:
			ft, mi.conv[i] = reflect.TypeOf(flexID("")), convID
		case ft == timeType:
			ft, mi.conv[i] = reflect.TypeOf(flexTime{}), convTime
		case ft.Kind() == reflect.Pointer && ft.Elem() == timeType:
			ft, mi.conv[i] = reflect.TypeOf(&flexTime{}), convTimePtr
		}
		sf[i] = reflect.StructField{Name: fmt.Sprintf("F%d", i), Type: ft, Tag: reflect.StructTag(`json:"` + f.name + `"`)}
	}
	mi.shadow = reflect.StructOf(sf)
	models.Store(t, mi)
	return mi
}

// flexTime and flexID are the shadow struct's tolerant field types.
type flexTime struct{ t time.Time }

func (f *flexTime) UnmarshalJSON(b []byte) error {
	if isNull(b) {
		return nil
	}
	t, err := parseTimeJSON(b)
	f.t = t
	return err
}

type flexID string

func (f *flexID) UnmarshalJSON(b []byte) error {
	if isNull(b) {
		return nil
	}
	s, err := idText(b)
	*f = flexID(s)
	return err
}

// collect adds t's fields, those of embedded structs included, to mi.
func (mi *modelInfo) collect(t reflect.Type, prefix []int) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		f.Index = append(append([]int(nil), prefix...), f.Index...)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			mi.collect(f.Type, f.Index)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if f.Type == extraType {
			if mi.extra == nil {
				mi.extra = f.Index
			}
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		if _, dup := mi.known[name]; dup {
			continue // the outer field wins, as in encoding/json
		}
		mi.known[name] = len(mi.fields)
		mi.fields = append(mi.fields, fieldInfo{name: name, index: f.Index, id: f.Tag.Get("polar") == "id"})
	}
}

// decodeObject decodes a JSON object into the struct v points to, field by
// field, with the tolerant rules above. A JSON null leaves v zero. Errors
// name the field.
func decodeObject(data []byte, v any) error {
	rv := reflect.ValueOf(v).Elem()
	if isNull(data) {
		rv.SetZero()
		return nil
	}
	mi := infoOf(rv.Type())
	sh := reflect.New(mi.shadow)
	if json.Unmarshal(data, sh.Interface()) == nil {
		rv.SetZero()
		sv := sh.Elem()
		for i, f := range mi.fields {
			src, dst := sv.Field(i), rv.FieldByIndex(f.index)
			switch mi.conv[i] {
			case convTime:
				dst.Set(reflect.ValueOf(src.Addr().Interface().(*flexTime).t))
			case convTimePtr:
				if p := src.Interface().(*flexTime); p != nil {
					t := p.t
					dst.Set(reflect.ValueOf(&t))
				}
			case convID:
				dst.SetString(src.String())
			default:
				dst.Set(src)
			}
		}
		if mi.extra != nil {
			if extra := unknownKeys(data, mi.known); extra != nil {
				rv.FieldByIndex(mi.extra).Set(reflect.ValueOf(extra))
			}
		}
		return nil
	}
	// The slow path names the field that failed.
	return decodeFields(data, rv, mi)
}

// decodeFields decodes field by field, so that an error names its field.
func decodeFields(data []byte, rv reflect.Value, mi *modelInfo) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return fmt.Errorf("%s: %w", typeName(rv.Type()), err)
	}
	rv.SetZero()
	var extra Extra
	for k, raw := range m {
		i, ok := mi.known[k]
		if !ok {
			if mi.extra != nil {
				if extra == nil {
					extra = Extra{}
				}
				extra[k] = raw
			}
			continue
		}
		f := mi.fields[i]
		if err := decodeField(raw, rv.FieldByIndex(f.index), f); err != nil {
			return fmt.Errorf("%s field %q: %w", typeName(rv.Type()), k, err)
		}
	}
	if extra != nil {
		rv.FieldByIndex(mi.extra).Set(reflect.ValueOf(extra))
	}
	return nil
}

func typeName(t reflect.Type) string { return "polar." + t.Name() }

func decodeField(raw json.RawMessage, fv reflect.Value, f fieldInfo) error {
	if isNull(raw) {
		return nil // zero: nil pointer, zero time, empty string
	}
	switch {
	case f.id:
		s, err := idText(raw)
		if err != nil {
			return err
		}
		fv.SetString(s)
		return nil
	case fv.Type() == timeType:
		t, err := parseTimeJSON(raw)
		if err != nil {
			return err
		}
		fv.Set(reflect.ValueOf(t))
		return nil
	case fv.Kind() == reflect.Pointer && fv.Type().Elem() == timeType:
		t, err := parseTimeJSON(raw)
		if err != nil {
			return err
		}
		fv.Set(reflect.ValueOf(&t))
		return nil
	}
	return json.Unmarshal(raw, fv.Addr().Interface())
}

func isNull(b []byte) bool {
	return string(bytes.TrimSpace(b)) == "null" || len(bytes.TrimSpace(b)) == 0
}

// idText accepts a JSON string or number (an exercise id is a number on
// the server's page and a UUID string in its code).
func idText(raw json.RawMessage) (string, error) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		return "", fmt.Errorf("id %s is neither a string nor a number", excerpt(raw))
	}
	return n.String(), nil
}

func parseTimeJSON(raw json.RawMessage) (time.Time, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return time.Time{}, fmt.Errorf("time %s is not a string", excerpt(raw))
	}
	return ParseTime(s)
}

func excerpt(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "..."
	}
	return string(b)
}

// ParseTime reads a date or a datetime in any form the server sends:
// "2026-01-11", "2026-01-11 07:30:00", "2026-01-11 07:30:00.123456+00:00",
// "2026-01-11T07:30:00Z" and the like. A value without a zone is taken as
// UTC (the server stores UTC).
func ParseTime(s string) (time.Time, error) {
	v := strings.TrimSpace(s)
	if len(v) == len("2006-01-02") {
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return time.Time{}, fmt.Errorf("date %q is not YYYY-MM-DD", s)
		}
		return t, nil
	}
	if len(v) > 10 && v[10] == ' ' {
		v = v[:10] + "T" + v[11:]
	}
	if len(v) >= 19 && v[10] == 'T' && v[13] == ':' && v[16] == ':' {
		for _, layout := range []string{"2006-01-02T15:04:05.999999999Z07:00", "2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05.999999999Z0700"} {
			if t, err := time.Parse(layout, v); err == nil {
				if _, off := t.Zone(); off == 0 {
					t = t.UTC() // not Local, even where Local is UTC
				}
				return t, nil
			}
		}
	}
	return time.Time{}, fmt.Errorf("time %q is neither YYYY-MM-DD, YYYY-MM-DD HH:MM:SS[.ffffff][+HH:MM] nor ISO 8601", s)
}

// formatDate writes the YYYY-MM-DD the server's by-date paths take.
func formatDate(t time.Time) string { return t.Format(time.DateOnly) }

// TimeOfDay is a SleepWise bedtime boundary. The server's page sends a
// time of day ("22:30:00"); its code sends a full datetime
// ("2026-01-11 22:30:00+00:00"). Both decode: Clock is the time of day
// either way, and Time is the full datetime when one was sent.
type TimeOfDay struct {
	// Time is the full datetime, zero when the server sent only a time of
	// day.
	Time time.Time
	// Clock is the time since midnight.
	Clock time.Duration
}

// UnmarshalJSON accepts "HH:MM[:SS[.ffffff]]" or any datetime ParseTime
// takes.
func (t *TimeOfDay) UnmarshalJSON(b []byte) error {
	*t = TimeOfDay{}
	if isNull(b) {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("polar.TimeOfDay: %s is not a string", excerpt(b))
	}
	if d, ok := parseClock(s); ok {
		t.Clock = d
		return nil
	}
	full, err := ParseTime(s)
	if err != nil {
		return fmt.Errorf("polar.TimeOfDay: %q is neither HH:MM:SS nor a datetime", s)
	}
	t.Time = full
	t.Clock = time.Duration(full.Hour())*time.Hour + time.Duration(full.Minute())*time.Minute +
		time.Duration(full.Second())*time.Second + time.Duration(full.Nanosecond())
	return nil
}

// String prints HH:MM:SS, with the date first when there is one.
func (t TimeOfDay) String() string {
	c := fmt.Sprintf("%02d:%02d:%02d", int(t.Clock.Hours()), int(t.Clock.Minutes())%60, int(t.Clock.Seconds())%60)
	if t.Time.IsZero() {
		return c
	}
	return t.Time.Format(time.DateOnly) + " " + c
}

func parseClock(s string) (time.Duration, bool) {
	parts := strings.Split(strings.TrimSpace(s), ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false
	}
	var d time.Duration
	units := []time.Duration{time.Hour, time.Minute, time.Second}
	limits := []float64{24, 60, 61}
	for i, p := range parts {
		if p == "" || strings.ContainsAny(p, "+- ") {
			return 0, false
		}
		v, err := strconv.ParseFloat(p, 64)
		if err != nil || v < 0 || v >= limits[i] || (i < 2 && strings.Contains(p, ".")) {
			return 0, false
		}
		d += time.Duration(v * float64(units[i]))
	}
	return d, true
}

// RechargeStatus is nightly recharge's ans_charge_status. The server's code
// sends an integer from -3 to +3; its page a name such as
// "WELL_RECOVERED". Both decode: Level holds the integer (when one was
// sent) and Name the text (when one was sent).
type RechargeStatus struct {
	// Level is the integer form, -3 (much below usual) to +3 (much above);
	// meaningful only when HasLevel.
	Level    int
	HasLevel bool
	// Name is the text form, empty when the server sent an integer.
	Name string
}

// UnmarshalJSON accepts an integer, a numeric string or a name.
func (s *RechargeStatus) UnmarshalJSON(b []byte) error {
	*s = RechargeStatus{}
	if isNull(b) {
		return nil
	}
	var n json.Number
	if json.Unmarshal(b, &n) == nil {
		v, err := strconv.Atoi(n.String())
		if err != nil {
			return fmt.Errorf("polar.RechargeStatus: %s is not an integer", n)
		}
		s.Level, s.HasLevel = v, true
		return nil
	}
	var name string
	if err := json.Unmarshal(b, &name); err != nil {
		return fmt.Errorf("polar.RechargeStatus: %s is neither a number nor a string", excerpt(b))
	}
	if v, err := strconv.Atoi(strings.TrimSpace(name)); err == nil {
		s.Level, s.HasLevel = v, true
		return nil
	}
	s.Name = name
	return nil
}

// MarshalJSON writes the form that was received: the integer, else the
// name, else null.
func (s RechargeStatus) MarshalJSON() ([]byte, error) {
	switch {
	case s.HasLevel:
		return []byte(strconv.Itoa(s.Level)), nil
	case s.Name != "":
		return json.Marshal(s.Name)
	}
	return []byte("null"), nil
}

// String names the status: the name when one was sent, else the level
// with its sign ("+2"), else "unknown".
func (s RechargeStatus) String() string {
	switch {
	case s.Name != "":
		return s.Name
	case s.HasLevel:
		return fmt.Sprintf("%+d", s.Level)
	}
	return "unknown"
}

// decodeInto is json.Unmarshal for values inside a model.
func decodeInto(raw json.RawMessage, v any) error { return json.Unmarshal(raw, v) }

// unknownKeys returns the top-level keys of the JSON object data (already
// known to be valid) that are not in known, with their raw values; nil
// when there are none. Known keys cost no allocation.
func unknownKeys(data []byte, known map[string]int) Extra {
	var extra Extra
	// data has been decoded by encoding/json: Each cannot fail on it, nor
	// Key on its keys.
	_ = jsonkeys.Each(data, func(rawKey, raw []byte) error {
		if jsonkeys.Plain(rawKey) {
			if _, ok := known[string(rawKey)]; ok {
				return nil
			}
		}
		key, err := jsonkeys.Key(rawKey)
		if err != nil {
			return err
		}
		if _, ok := known[key]; !ok {
			if extra == nil {
				extra = Extra{}
			}
			extra[key] = append(json.RawMessage(nil), raw...)
		}
		return nil
	})
	return extra
}
