package samples

import (
	"encoding/json"
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// TimeLayout is how the API wants time: ISO 8601 with milliseconds and the
// sample's own zone offset, "2023-11-01T08:04:51.000+04:00" (UTC is
// written +00:00). Sub-millisecond digits are cut, not rounded. An offset
// with seconds (a local mean time such as Amsterdam's +00:19:32 before
// 1937) is written with its whole minutes and the wall clock of that
// offset, so the instant is kept (t.Format would shift it).
const TimeLayout = "2006-01-02T15:04:05.000-07:00"

// MarshalJSON encodes s as the API's sample object, end_date and
// device_version left out when unset. It writes what encoding/json would
// write for the same fields, without reflection.
func (s Sample) MarshalJSON() ([]byte, error) {
	if err := checkEncodable(&s); err != nil {
		return nil, err
	}
	var dc dayCache
	return appendSample(make([]byte, 0, 160), &s, &dc), nil
}

// AppendBatchJSON appends the body of one samples request to dst:
// {"data_type":..., "data":[...]}, with "user_id" first when userID is not
// empty (the direct flavour). It validates nothing: call Validate first
// (a time outside years 0000..9999 would not be ISO 8601). It is the
// encoder Sync uses; it is exported so a program can pre-encode or inspect
// a body.
func AppendBatchJSON(dst []byte, userID string, dt DataType, batch []Sample) []byte {
	dst = append(dst, '{')
	if userID != "" {
		dst = append(dst, `"user_id":`...)
		dst = appendString(dst, userID)
		dst = append(dst, ',')
	}
	dst = append(dst, `"data_type":`...)
	dst = appendString(dst, string(dt))
	dst = append(dst, `,"data":[`...)
	var dc dayCache
	for i := range batch {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendSample(dst, &batch[i], &dc)
	}
	return append(dst, "]}"...)
}

// dayCache remembers the last day converted: a batch's samples mostly
// fall on a few days.
type dayCache struct {
	days            int64
	year, month, dd int
	ok              bool
}

func appendSample(dst []byte, s *Sample, dc *dayCache) []byte {
	dst = append(dst, `{"device_name":`...)
	dst = appendString(dst, s.DeviceName)
	if s.DeviceVersion != "" {
		dst = append(dst, `,"device_version":`...)
		dst = appendString(dst, s.DeviceVersion)
	}
	dst = append(dst, `,"start_date":"`...)
	dst = appendTime(dst, s.Start, dc)
	dst = append(dst, '"')
	if !s.End.IsZero() {
		dst = append(dst, `,"end_date":"`...)
		dst = appendTime(dst, s.End, dc)
		dst = append(dst, '"')
	}
	dst = append(dst, `,"unit":`...)
	dst = appendString(dst, string(s.Unit))
	dst = append(dst, `,"value":`...)
	dst = appendFloat(dst, s.Value)
	return append(dst, '}')
}

// appendTime writes t in TimeLayout. Years outside 0..9999 are the
// caller's to reject (Validate does). The civil date comes from the day
// number directly (H. Hinnant's days-to-civil), which is what makes this
// several times faster than t.Format.
func appendTime(dst []byte, t time.Time, dc *dayCache) []byte {
	_, off := t.Zone()
	// hh:mm has no seconds: an offset with seconds (a local mean time) is
	// cut to whole minutes, toward zero as time.Format cuts it, and the
	// wall clock is written for that offset, so the instant stays exact.
	off = off / 60 * 60
	sec := t.Unix() + int64(off)
	days := sec / 86400
	rem := sec - days*86400
	if rem < 0 {
		days--
		rem += 86400
	}
	if !dc.ok || dc.days != days {
		dc.year, dc.month, dc.dd = civil(days)
		dc.days, dc.ok = days, true
	}
	year, month, day := dc.year, dc.month, dc.dd
	ms := t.Nanosecond() / 1e6
	dst = append4(dst, year)
	dst = append(dst, '-')
	dst = append2(dst, month)
	dst = append(dst, '-')
	dst = append2(dst, day)
	dst = append(dst, 'T')
	dst = append2(dst, int(rem/3600))
	dst = append(dst, ':')
	dst = append2(dst, int(rem/60%60))
	dst = append(dst, ':')
	dst = append2(dst, int(rem%60))
	dst = append(dst, '.', byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10))
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	off /= 60
	dst = append(dst, sign)
	dst = append2(dst, off/60)
	dst = append(dst, ':')
	return append2(dst, off%60)
}

// civil converts days since 1970-01-01 to a proleptic Gregorian date.
func civil(days int64) (year, month, day int) {
	z := days + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097                                  // [0, 146096]
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365 // [0, 399]
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100) // [0, 365]
	mp := (5*doy + 2) / 153                  // [0, 11], March first
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if mp >= 10 {
		m = mp - 9
		y++
	}
	return int(y), int(m), int(d)
}

func append2(dst []byte, v int) []byte { return append(dst, byte('0'+v/10), byte('0'+v%10)) }

func append4(dst []byte, v int) []byte {
	return append(dst, byte('0'+v/1000), byte('0'+v/100%10), byte('0'+v/10%10), byte('0'+v%10))
}

// appendFloat writes f as encoding/json does (shortest form, exponent
// only below 1e-6 or from 1e21). Whole numbers, the usual step count or
// heart rate, take a shorter path.
func appendFloat(dst []byte, f float64) []byte {
	if f != 0 && f > -1e15 && f < 1e15 && f == math.Trunc(f) {
		return strconv.AppendInt(dst, int64(f), 10)
	}
	abs := math.Abs(f)
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		n := len(dst)
		dst = strconv.AppendFloat(dst, f, 'e', -1, 64)
		// e-07 -> e-7, as encoding/json writes it.
		if k := len(dst) - n; k >= 4 && dst[len(dst)-4] == 'e' && dst[len(dst)-3] == '-' && dst[len(dst)-2] == '0' {
			dst[len(dst)-2] = dst[len(dst)-1]
			dst = dst[:len(dst)-1]
		}
		return dst
	}
	return strconv.AppendFloat(dst, f, 'f', -1, 64)
}

// appendString writes s as a JSON string. Plain ASCII (the usual device
// name) is copied; anything else goes through encoding/json so the escaping
// is exactly its own.
func appendString(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			b, _ := json.Marshal(s) // a string always marshals
			return append(dst, b...)
		}
	}
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"')
}
