package corsano

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Layouts of Corsano's time encodings.
const (
	// DateLayout is a calendar date ("2025-10-08").
	DateLayout = "2006-01-02"
	// ClientTimeLayout is a wall-clock time without zone, read in the
	// patient's local time ("2023-06-05T10:00:00.000").
	ClientTimeLayout = "2006-01-02T15:04:05.000"
	// ZonedTimeLayout is a time with its UTC offset
	// ("2025-10-07T23:15:00.000+02:00").
	ZonedTimeLayout = "2006-01-02T15:04:05.000Z07:00"
)

var jsonNull = []byte("null")

// Millis is a time the API sends as milliseconds since the Unix epoch
// (1759874400000). The zero Millis encodes as null.
type Millis struct{ time.Time }

// MillisOf converts a time.Time.
func MillisOf(t time.Time) Millis { return Millis{t} }

// UnixMilli returns the milliseconds since the epoch, as the API sends them.
func (m Millis) UnixMilli() int64 { return m.Time.UnixMilli() }

// MarshalJSON encodes milliseconds since the epoch.
func (m Millis) MarshalJSON() ([]byte, error) {
	if m.IsZero() {
		return jsonNull, nil
	}
	return strconv.AppendInt(nil, m.Time.UnixMilli(), 10), nil
}

// UnmarshalJSON decodes milliseconds since the epoch (an integer, or a
// number with a fraction, or null).
func (m *Millis) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, jsonNull) {
		*m = Millis{}
		return nil
	}
	b = bytes.Trim(b, `"`)
	if n, err := strconv.ParseInt(string(b), 10, 64); err == nil {
		m.Time = time.UnixMilli(n)
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || f < -1e15 || f > 1e15 {
		return fmt.Errorf("corsano: millisecond timestamp %q is not a number of milliseconds", b)
	}
	m.Time = time.UnixMicro(int64(f * 1000))
	return nil
}

// Date is a calendar date ("2025-10-08") with no time and no zone: the
// patient's local day.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the date t shows in its own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate parses YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("corsano: date %q is not YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String returns YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

// In returns the midnight that starts the date in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// MarshalJSON encodes YYYY-MM-DD, or null for the zero Date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return jsonNull, nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON decodes YYYY-MM-DD or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, jsonNull) {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("corsano: date %s is not a string", b)
	}
	v, err := ParseDate(s)
	*d = v
	return err
}

// ClientTime is a wall-clock time without zone ("2023-06-05T10:00:00.000"),
// read in the patient's local time. Its Time is that wall clock in UTC;
// In places it in a real zone.
type ClientTime struct{ time.Time }

// ClientTimeOf keeps t's wall clock and drops its zone.
func ClientTimeOf(t time.Time) ClientTime {
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	return ClientTime{time.Date(y, mo, d, h, mi, s, t.Nanosecond(), time.UTC)}
}

// In returns the instant the wall clock shows in loc.
func (c ClientTime) In(loc *time.Location) time.Time {
	y, mo, d := c.Date()
	h, mi, s := c.Clock()
	return time.Date(y, mo, d, h, mi, s, c.Nanosecond(), loc)
}

// String returns the API's form.
func (c ClientTime) String() string { return c.Time.Format(ClientTimeLayout) }

// MarshalJSON encodes the API's form, or null for the zero value.
func (c ClientTime) MarshalJSON() ([]byte, error) {
	if c.IsZero() {
		return jsonNull, nil
	}
	return json.Marshal(c.String())
}

// UnmarshalJSON decodes a zone-less time (with or without fraction; a zone,
// if sent, is dropped with the wall clock kept) or null.
func (c *ClientTime) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, jsonNull) {
		*c = ClientTime{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("corsano: client time %s is not a string", b)
	}
	s = strings.Replace(s, " ", "T", 1)
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			*c = ClientTimeOf(t)
			return nil
		}
	}
	return fmt.Errorf("corsano: client time %q is not YYYY-MM-DDTHH:MM:SS[.mmm]", s)
}

// ZonedTime is a time with its UTC offset
// ("2025-10-07T23:15:00.000+02:00"); it encodes back in the same form.
type ZonedTime struct{ time.Time }

// MarshalJSON encodes ZonedTimeLayout, or null for the zero value.
func (z ZonedTime) MarshalJSON() ([]byte, error) {
	if z.IsZero() {
		return jsonNull, nil
	}
	return json.Marshal(z.Format(ZonedTimeLayout))
}

// UnmarshalJSON decodes RFC 3339 with any fraction, or null.
func (z *ZonedTime) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, jsonNull) {
		*z = ZonedTime{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("corsano: zoned time %s is not a string", b)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("corsano: zoned time %q is not RFC 3339", s)
	}
	z.Time = t
	return nil
}

// ClockTime is a local time of day "HH:MM" (the date of a summary slot).
type ClockTime string

// Offset returns the time of day as a duration since midnight.
func (c ClockTime) Offset() (time.Duration, error) {
	t, err := time.Parse("15:04", string(c))
	if err != nil {
		return 0, fmt.Errorf("corsano: time of day %q is not HH:MM", string(c))
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}
