package hexoskin

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wearkit/wearkit/binfmt"
)

// TicksPerSecond is the resolution of a Timestamp.
const TicksPerSecond = 256

// Timestamp is a HexoTimestamp: the number of 1/256 s since the Unix epoch
// (1970-01-01T00:00:00Z). Every time in requests and answers of the API is
// one, except X-HEXOTIMESTAMP and X-HexoCache (plain Unix seconds). It
// encodes to JSON and to query strings as an integer. The zero Timestamp is
// the epoch; query options treat it as "not set".
type Timestamp int64

// TimestampFromTime converts t, rounding down to the 1/256 s.
func TimestampFromTime(t time.Time) Timestamp {
	return Timestamp(t.Unix()*TicksPerSecond + int64(t.Nanosecond())*TicksPerSecond/1e9)
}

// TimestampFromUnix converts Unix seconds.
func TimestampFromUnix(sec int64) Timestamp { return Timestamp(sec * TicksPerSecond) }

// Time converts ts to a UTC time.Time, exactly (1/256 s is 3,906,250 ns).
func (ts Timestamp) Time() time.Time { return binfmt.HexoTime(int64(ts)) }

// Unix returns the time in whole Unix seconds (rounded down).
func (ts Timestamp) Unix() int64 { return int64(ts) >> 8 }

// Add returns ts moved by d, rounded down to the tick (toward the past, for
// negative d too), as TimestampFromTime(ts.Time().Add(d)) would.
func (ts Timestamp) Add(d time.Duration) Timestamp {
	// Whole seconds and the rest apart: d*256 overflows past about 416 days.
	sec, rest := d/time.Second, d%time.Second
	if rest < 0 {
		// Go's division truncates toward zero; borrow a second so the rest
		// is in [0, 1 s) and its ticks round down.
		sec, rest = sec-1, rest+time.Second
	}
	return ts + Timestamp(sec)*TicksPerSecond + Timestamp(rest*TicksPerSecond/time.Second)
}

// Sub returns the duration ts - u.
func (ts Timestamp) Sub(u Timestamp) time.Duration {
	// Whole seconds and the rest apart: ticks*1e9 overflows past about 416
	// days.
	n := int64(ts - u)
	return time.Duration(n/TicksPerSecond)*time.Second + time.Duration(n%TicksPerSecond)*time.Second/TicksPerSecond
}

// String returns the time in RFC 3339 form (UTC) with as many decimals as
// the tick needs, none for a whole second: "2014-09-28T10:16:28.5Z". A
// Timestamp is exact to the nanosecond (1/256 s is 3,906,250 ns), so the
// text converts back to the same Timestamp. int64(ts) is the raw value.
func (ts Timestamp) String() string {
	return ts.Time().Format(time.RFC3339Nano)
}

// EncodeValues implements go-querystring's Encoder: the integer value.
func (ts Timestamp) EncodeValues(key string, v *url.Values) error {
	v.Set(key, strconv.FormatInt(int64(ts), 10))
	return nil
}

// UnmarshalJSON accepts an integer, a number with a fraction (rounded), a
// string holding one, or null (left unchanged).
func (ts *Timestamp) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		return nil
	}
	s = strings.Trim(s, `"`)
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		*ts = Timestamp(v)
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return fmt.Errorf("hexoskin: timestamp %q is not a number", s)
	}
	*ts = Timestamp(math.Round(f))
	return nil
}

// MarshalJSON encodes ts as an integer.
func (ts Timestamp) MarshalJSON() ([]byte, error) {
	return strconv.AppendInt(nil, int64(ts), 10), nil
}

// DateTime is a date and time as the API writes them ("2014-09-28T10:16:28"
// with or without a zone; zone-less values are UTC).
type DateTime struct{ time.Time }

// UnmarshalJSON accepts RFC 3339 with or without a zone, a date alone, or null.
func (d *DateTime) UnmarshalJSON(b []byte) error {
	var s *string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("hexoskin: date-time: %w", err)
	}
	if s == nil || *s == "" {
		d.Time = time.Time{}
		return nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, *s); err == nil {
			d.Time = t.UTC()
			return nil
		}
	}
	return fmt.Errorf("hexoskin: date-time %q: unknown layout", *s)
}

// MarshalJSON writes RFC 3339, or null for the zero time.
func (d DateTime) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.UTC().Format(time.RFC3339))
}

// EncodeValues implements go-querystring's Encoder: the zone-less UTC form
// the API's filters take ("2014-09-28T10:16:28"); nothing when zero.
func (d DateTime) EncodeValues(key string, v *url.Values) error {
	if d.IsZero() {
		return nil
	}
	v.Set(key, d.UTC().Format("2006-01-02T15:04:05"))
	return nil
}

func parseUnix(s string) (time.Time, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return time.Time{}, false
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC(), true
}
