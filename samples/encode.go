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
// written +00:00). Sub-millisecond digits are cut, not rounded.
const TimeLayout = "2006-01-02T15:04:05.000-07:00"

// MarshalJSON encodes s as the API's sample object, end_date and
// device_version left out when unset. It writes what encoding/json would
// write for the same fields, without reflection.
func (s Sample) MarshalJSON() ([]byte, error) {
	if err := checkEncodable(&s); err != nil {
		return nil, err
	}
	return appendSample(make([]byte, 0, 160), &s), nil
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
	for i := range batch {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendSample(dst, &batch[i])
	}
	return append(dst, "]}"...)
}

func appendSample(dst []byte, s *Sample) []byte {
	dst = append(dst, `{"device_name":`...)
	dst = appendString(dst, s.DeviceName)
	if s.DeviceVersion != "" {
		dst = append(dst, `,"device_version":`...)
		dst = appendString(dst, s.DeviceVersion)
	}
	dst = append(dst, `,"start_date":"`...)
	dst = appendTime(dst, s.Start)
	dst = append(dst, '"')
	if !s.End.IsZero() {
		dst = append(dst, `,"end_date":"`...)
		dst = appendTime(dst, s.End)
		dst = append(dst, '"')
	}
	dst = append(dst, `,"unit":`...)
	dst = appendString(dst, string(s.Unit))
	dst = append(dst, `,"value":`...)
	dst = appendFloat(dst, s.Value)
	return append(dst, '}')
}

// appendTime writes t in TimeLayout. Years outside 0..9999 are the
// caller's to reject (Validate does).
func appendTime(dst []byte, t time.Time) []byte {
	year, month, day := t.Date()
	hour, minute, sec := t.Clock()
	ms := t.Nanosecond() / 1e6
	_, off := t.Zone()
	dst = append4(dst, year)
	dst = append(dst, '-')
	dst = append2(dst, int(month))
	dst = append(dst, '-')
	dst = append2(dst, day)
	dst = append(dst, 'T')
	dst = append2(dst, hour)
	dst = append(dst, ':')
	dst = append2(dst, minute)
	dst = append(dst, ':')
	dst = append2(dst, sec)
	dst = append(dst, '.', byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10))
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	off /= 60 // whole minutes, as time.Format writes -07:00
	dst = append(dst, sign)
	dst = append2(dst, off/60)
	dst = append(dst, ':')
	return append2(dst, off%60)
}

func append2(dst []byte, v int) []byte { return append(dst, byte('0'+v/10), byte('0'+v%10)) }

func append4(dst []byte, v int) []byte {
	return append(dst, byte('0'+v/1000), byte('0'+v/100%10), byte('0'+v/10%10), byte('0'+v%10))
}

// appendFloat writes f as encoding/json does (shortest form, exponent
// only below 1e-6 or from 1e21).
func appendFloat(dst []byte, f float64) []byte {
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
