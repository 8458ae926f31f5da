package hexoskin

import (
	"fmt"
	"math"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/wearkit/wearkit/internal/jsonkeys"
)

// decodeData decodes an /api/data/ JSON answer,
//
//	[{"data": {"<datatype id>": [[ts, value], ...], ...}, "user": "/api/user/1511/"}, ...]
//
// appending one DataSet per element to dst. It is a hand-written scanner
// that uses no reflection: timestamps are read as integers and values
// through a fast decimal path (strconv for the rare numbers it cannot
// convert exactly). A null value becomes NaN; unknown keys are skipped.
func decodeData(b []byte, dst []DataSet) ([]DataSet, error) {
	s := scanner{b: b}
	s.ws()
	err := s.array(func() error {
		set := DataSet{Series: map[DatatypeID]Series{}}
		if err := s.set(&set); err != nil {
			return err
		}
		dst = append(dst, set)
		return nil
	})
	if err != nil {
		return dst, err
	}
	return dst, s.end()
}

type scanner struct {
	b     []byte
	i     int
	depth int // nesting of skipped values
	// capHint, when set, sizes a datatype's new series (0: guess).
	capHint func(DatatypeID) int
	// marks, when set, records the length of each series before the
	// answer's points were appended to it.
	marks map[DatatypeID]int
}

// maxSkipDepth bounds the nesting of skipped values, as encoding/json bounds
// its own, so a hostile answer cannot overflow the stack.
const maxSkipDepth = 10000

func (s *scanner) errf(format string, a ...any) error {
	return fmt.Errorf("hexoskin: data JSON at byte %d: %s", s.i, fmt.Sprintf(format, a...))
}

func (s *scanner) ws() { s.i = jsonkeys.Space(s.b, s.i) }

func (s *scanner) eat(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

func (s *scanner) end() error {
	s.ws()
	if s.i != len(s.b) {
		return s.errf("trailing data")
	}
	return nil
}

// str reads a string and returns its bytes: a slice of the input when the
// string has no escapes, else the decoded text (see escaped).
func (s *scanner) str() ([]byte, error) {
	if !s.eat('"') {
		return nil, s.errf("expected string")
	}
	start := s.i
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case '"':
			out := s.b[start:s.i]
			s.i++
			return out, nil
		case '\\':
			return s.escaped(start)
		}
		s.i++
	}
	return nil, s.errf("unterminated string")
}

// escaped decodes a string holding escapes, from its first character at
// start, as encoding/json does: every JSON escape (\/ included), \uXXXX
// surrogate pairs joined, a lone surrogate read as U+FFFD.
func (s *scanner) escaped(start int) ([]byte, error) {
	out := make([]byte, 0, s.i-start+16)
	out = append(out, s.b[start:s.i]...)
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch c {
		case '"':
			s.i++
			return out, nil
		case '\\':
		default:
			out = append(out, c)
			s.i++
			continue
		}
		if s.i+1 >= len(s.b) {
			return nil, s.errf("unterminated string")
		}
		switch e := s.b[s.i+1]; e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := hex4(s.b[s.i+2:])
			if !ok {
				return nil, s.errf("bad \\u escape")
			}
			s.i += 6
			if utf16.IsSurrogate(r) {
				r2, ok := rune(-1), false
				if s.i+1 < len(s.b) && s.b[s.i] == '\\' && s.b[s.i+1] == 'u' {
					r2, ok = hex4(s.b[s.i+2:])
				}
				if dec := utf16.DecodeRune(r, r2); ok && dec != utf8.RuneError {
					r = dec
					s.i += 6
				} else {
					r = utf8.RuneError
				}
			}
			out = utf8.AppendRune(out, r)
			continue
		default:
			return nil, s.errf("bad escape \\%c", e)
		}
		s.i += 2
	}
	return nil, s.errf("unterminated string")
}

// hex4 reads the four hex digits of a \u escape.
func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// object walks a JSON object, calling fn with each key once the scanner
// stands on the key's value; fn must consume the value.
func (s *scanner) object(fn func(key []byte) error) error {
	if !s.eat('{') {
		return s.errf("expected '{'")
	}
	s.ws()
	if s.eat('}') {
		return nil
	}
	for {
		key, err := s.str()
		if err != nil {
			return err
		}
		s.ws()
		if !s.eat(':') {
			return s.errf("expected ':'")
		}
		s.ws()
		if err := fn(key); err != nil {
			return err
		}
		s.ws()
		if s.eat(',') {
			s.ws()
			continue
		}
		if s.eat('}') {
			return nil
		}
		return s.errf("expected ',' or '}'")
	}
}

// array walks a JSON array, calling fn with the scanner on each element;
// fn must consume it.
func (s *scanner) array(fn func() error) error {
	if !s.eat('[') {
		return s.errf("expected '['")
	}
	s.ws()
	if s.eat(']') {
		return nil
	}
	for {
		if err := fn(); err != nil {
			return err
		}
		s.ws()
		if s.eat(',') {
			s.ws()
			continue
		}
		if s.eat(']') {
			return nil
		}
		return s.errf("expected ',' or ']'")
	}
}

func (s *scanner) set(set *DataSet) error {
	return s.object(func(key []byte) error {
		switch string(key) {
		case "data":
			return s.data(set)
		case "user":
			if s.i < len(s.b) && s.b[s.i] == '"' {
				u, err := s.str()
				set.User = string(u)
				return err
			}
		}
		return s.skip()
	})
}

func (s *scanner) data(set *DataSet) error {
	if s.lit("null") {
		return nil
	}
	return s.object(func(key []byte) error {
		id, err := strconv.ParseInt(string(key), 10, 64)
		if err != nil {
			return s.errf("datatype key %q is not an id", key)
		}
		pts := set.Series[DatatypeID(id)]
		if pts == nil && s.capHint != nil {
			if n := s.capHint(DatatypeID(id)); n > 0 {
				pts = make(Series, 0, n)
			}
		}
		if s.marks != nil {
			if _, ok := s.marks[DatatypeID(id)]; !ok {
				s.marks[DatatypeID(id)] = len(pts)
			}
		}
		pts, err = s.series(pts)
		if err != nil {
			return err
		}
		set.Series[DatatypeID(id)] = pts
		return nil
	})
}

// series reads one datatype's [[ts, value], ...]: the hot loop, kept
// inline rather than on array.
func (s *scanner) series(pts Series) (Series, error) {
	if s.lit("null") {
		return pts, nil
	}
	if !s.eat('[') {
		return nil, s.errf("expected '['")
	}
	if pts == nil {
		// Size the slice from a cheap guess: a point takes at least ~16 bytes.
		pts = make(Series, 0, min(MaxDataPoints, (len(s.b)-s.i)/24+1))
	}
	s.ws()
	if s.eat(']') {
		return pts, nil
	}
	for {
		if !s.eat('[') {
			return nil, s.errf("expected '[' of a point")
		}
		s.ws()
		t, err := s.number()
		if err != nil {
			return nil, err
		}
		s.ws()
		if !s.eat(',') {
			return nil, s.errf("expected ',' in a point")
		}
		s.ws()
		var v float64
		if s.lit("null") {
			v = math.NaN()
		} else if v, err = s.number(); err != nil {
			return nil, err
		}
		s.ws()
		if !s.eat(']') {
			return nil, s.errf("expected ']' of a point")
		}
		ts := int64(t)
		if float64(ts) != t {
			ts = int64(math.Round(t))
		}
		pts = append(pts, Point{T: Timestamp(ts), V: v})
		s.ws()
		if s.eat(',') {
			s.ws()
			continue
		}
		if s.eat(']') {
			return pts, nil
		}
		return nil, s.errf("expected ',' or ']' after a point")
	}
}

func (s *scanner) lit(word string) bool {
	if len(s.b)-s.i >= len(word) && string(s.b[s.i:s.i+len(word)]) == word {
		s.i += len(word)
		return true
	}
	return false
}

var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// number reads a JSON number. Integers and decimals with at most 15
// significant digits and no exponent are converted exactly (an integer
// mantissa below 2^53 divided by an exact power of ten is correctly
// rounded); anything else goes through strconv.ParseFloat.
func (s *scanner) number() (float64, error) {
	b, i, start := s.b, s.i, s.i
	neg := i < len(b) && b[i] == '-'
	if neg {
		i++
	}
	var mant uint64
	d0 := i
	for i < len(b) {
		c := b[i] - '0'
		if c > 9 {
			break
		}
		mant = mant*10 + uint64(c)
		i++
	}
	digits, frac := i-d0, 0
	if digits == 0 {
		return 0, s.errf("expected number")
	}
	if i < len(b) && b[i] == '.' {
		i++
		f0 := i
		for i < len(b) {
			c := b[i] - '0'
			if c > 9 {
				break
			}
			mant = mant*10 + uint64(c)
			i++
		}
		frac = i - f0
		if frac == 0 {
			s.i = i
			return 0, s.errf("bad number %q", b[start:i])
		}
		digits += frac
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') || digits > 19 {
		return s.slowNumber(start)
	}
	if digits > 15 {
		if frac != 0 || mant >= 1<<63 {
			return s.slowNumber(start)
		}
		// A whole number: one conversion, correctly rounded.
	} else if frac > 22 {
		return s.slowNumber(start)
	}
	s.i = i
	v := float64(mant)
	if frac > 0 {
		v /= pow10[frac]
	}
	if neg {
		v = -v
	}
	return v, nil
}

func (s *scanner) slowNumber(start int) (float64, error) {
	s.i = start
	for s.i < len(s.b) {
		c := s.b[s.i]
		if c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-' {
			s.i++
			continue
		}
		break
	}
	v, err := strconv.ParseFloat(string(s.b[start:s.i]), 64)
	if err != nil {
		return 0, s.errf("bad number %q", s.b[start:s.i])
	}
	return v, nil
}

// skip passes over any JSON value.
func (s *scanner) skip() error {
	if s.i >= len(s.b) {
		return s.errf("unexpected end")
	}
	switch c := s.b[s.i]; {
	case c == '"':
		_, err := s.str()
		return err
	case c == '{' || c == '[':
		if s.depth >= maxSkipDepth {
			return s.errf("nested too deep")
		}
		s.depth++
		defer func() { s.depth-- }()
		if c == '{' {
			return s.object(func([]byte) error { return s.skip() })
		}
		return s.array(s.skip)
	case s.lit("null"), s.lit("true"), s.lit("false"):
		return nil
	default:
		_, err := s.number()
		return err
	}
}
