package withings

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// Date is a calendar day, as the API's YYYY-MM-DD arguments and fields
// carry it, with no time of day and no zone. A date-only argument is a Date
// so that a missing one is never silently "today".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the day of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate reads YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("withings: date %q is not YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// IsZero reports whether d is the zero Date (no date).
func (d Date) IsZero() bool { return d == Date{} }

// String returns YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

// In returns midnight starting d in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// AddDays returns the day n days after d.
func (d Date) AddDays(n int) Date { return DateOf(d.In(time.UTC).AddDate(0, 0, n)) }

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.In(time.UTC).Before(e.In(time.UTC)) }

// calendar reports whether d is a day of the calendar (not February 30th,
// not month 13).
func (d Date) calendar() bool { return DateOf(d.In(time.UTC)) == d }

// EncodeValues encodes d as YYYY-MM-DD in a query (go-querystring); a zero
// date is left out, and one that is no calendar day is an error naming
// the parameter, so it is never sent.
func (d Date) EncodeValues(key string, v *url.Values) error {
	if d.IsZero() {
		return nil
	}
	if !d.calendar() {
		return fmt.Errorf("%s %s is not a calendar date", key, d) // the engine names the vendor
	}
	v.Set(key, d.String())
	return nil
}

// MarshalJSON writes "YYYY-MM-DD".
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads "YYYY-MM-DD"; null and "" are the zero Date.
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		if string(b) == "null" {
			*d = Date{}
			return nil
		}
		return fmt.Errorf("withings: date %s is not a string", excerpt(b))
	}
	if s == "" {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// epoch is a Unix time in seconds on the wire (a number or a numeric
// string); its Time is UTC.
type epoch int64

func (e *epoch) UnmarshalJSON(b []byte) error {
	if n, err := strconv.ParseInt(string(b), 10, 64); err == nil {
		*e = epoch(n) // the common case: a plain integer
		return nil
	}
	if string(b) == "null" {
		*e = 0
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		var s string
		if json.Unmarshal(b, &s) != nil {
			return fmt.Errorf("withings: time %s is not Unix seconds", excerpt(b))
		}
		n = json.Number(s)
	}
	f, err := strconv.ParseFloat(n.String(), 64)
	if err != nil {
		return fmt.Errorf("withings: time %q is not Unix seconds", n)
	}
	*e = epoch(f)
	return nil
}

func (e epoch) time() time.Time {
	if e == 0 {
		return time.Time{}
	}
	return time.Unix(int64(e), 0).UTC()
}

// more is the paging flag: a boolean in the v2 answers, 0 or 1 in measure
// getmeas, absent on the last page.
type more bool

func (m *more) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case "true", "1", `"1"`, `"true"`:
		*m = true
	case "false", "0", "null", `"0"`, `"false"`, `""`:
		*m = false
	default:
		return fmt.Errorf("withings: more %s is neither a boolean nor 0 or 1", excerpt(b))
	}
	return nil
}

// page is the paging part of an answer's body.
type page struct {
	More   more        `json:"more"`
	Offset json.Number `json:"offset"`
}

// next returns the offset of the next page, 0 when there is none.
func (p page) next() (int, error) {
	if !p.More {
		return 0, nil
	}
	if p.Offset == "" {
		return 0, fmt.Errorf("withings: the answer says more but gives no offset")
	}
	n, err := strconv.Atoi(p.Offset.String())
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("withings: offset %q is not a positive integer", p.Offset)
	}
	return n, nil
}

// unixOrZero is a query time: Unix seconds, left out when zero.
type unixOrZero time.Time

func (u unixOrZero) EncodeValues(key string, v *url.Values) error {
	t := time.Time(u)
	if !t.IsZero() {
		v.Set(key, strconv.FormatInt(t.Unix(), 10))
	}
	return nil
}
