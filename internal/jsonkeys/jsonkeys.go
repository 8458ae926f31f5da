// Package jsonkeys walks the top-level members of a JSON object without
// decoding their values, so that a vendor decoder can keep the fields its
// model does not type (corsano's and polar's Extra) after encoding/json has
// decoded the ones it does.
package jsonkeys

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// SyntaxError says where b stops being an object Each can walk.
type SyntaxError struct {
	Offset int    // byte offset of the fault in the input
	Msg    string // what was expected there
}

// Error says where and what.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("json object at byte %d: %s", e.Offset, e.Msg)
}

func errAt(i int, msg string) error { return &SyntaxError{Offset: i, Msg: msg} }

// Each calls fn, in order, with the key (the text between its quotes,
// escapes kept: see Key) and the raw value of each top-level member of the
// JSON object b; an error from fn stops the walk and is returned. A JSON
// value other than an object has no members: Each returns nil without
// calling fn.
//
// Each checks the framing of the top level (quoted keys, colons, commas,
// terminated strings, closed brackets) and returns a *SyntaxError with the
// byte offset of the first fault; it does not validate the values
// themselves (numbers, literals, which bracket closes which) nor what
// follows the object, so callers that need them valid decode b with
// encoding/json first. Nesting costs no stack, whatever its depth.
func Each(b []byte, fn func(key, value []byte) error) error {
	i := Space(b, 0)
	if i >= len(b) || b[i] != '{' {
		return nil
	}
	i = Space(b, i+1)
	if i < len(b) && b[i] == '}' {
		return nil
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return errAt(i, "expected a quoted key")
		}
		end, err := stringEnd(b, i)
		if err != nil {
			return err
		}
		key := b[i+1 : end-1]
		i = Space(b, end)
		if i >= len(b) || b[i] != ':' {
			return errAt(i, "expected a colon after the key")
		}
		i = Space(b, i+1)
		start := i
		if i, err = valueEnd(b, i); err != nil {
			return err
		}
		if err := fn(key, b[start:i]); err != nil {
			return err
		}
		i = Space(b, i)
		switch {
		case i >= len(b):
			return errAt(i, "unterminated object")
		case b[i] == ',':
			i = Space(b, i+1)
		case b[i] == '}':
			return nil
		default:
			return errAt(i, "expected a comma or a closing brace")
		}
	}
}

// Plain reports whether a key from Each is its own text: no escapes and
// valid UTF-8, so string(key) is what Key returns, and a map lookup
// m[string(key)] costs no allocation.
func Plain(key []byte) bool {
	return bytes.IndexByte(key, '\\') < 0 && utf8.Valid(key)
}

// Key returns a key from Each as encoding/json decodes it: escapes
// resolved, invalid UTF-8 replaced by U+FFFD. A malformed escape is an
// error.
func Key(key []byte) (string, error) {
	if Plain(key) {
		return string(key), nil
	}
	q := make([]byte, 0, len(key)+2)
	q = append(append(append(q, '"'), key...), '"')
	var s string
	if err := json.Unmarshal(q, &s); err != nil {
		return "", fmt.Errorf("key %q: %w", key, err)
	}
	return s, nil
}

// Space returns the index of the first byte at or after i that is not
// JSON whitespace (len(b) if none), for scanners of their own.
func Space(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index after the string whose quote is b[i].
func stringEnd(b []byte, i int) (int, error) {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1, nil
		}
	}
	return len(b), errAt(i, "unterminated string")
}

// valueEnd returns the index after the value starting at b[i].
func valueEnd(b []byte, i int) (int, error) {
	if i >= len(b) {
		return i, errAt(i, "missing value")
	}
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				end, err := stringEnd(b, j)
				if err != nil {
					return end, err
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return j + 1, nil
				}
			}
		}
		return len(b), errAt(i, "unterminated value")
	}
	j := i
	for j < len(b) && !delimiter(b[j]) {
		j++
	}
	if j == i {
		return i, errAt(i, "missing value")
	}
	return j, nil
}

// delimiter reports whether c ends a number or a literal.
func delimiter(c byte) bool {
	switch c {
	case ',', '}', ']', ':', '{', '[', '"', ' ', '\t', '\n', '\r':
		return true
	}
	return false
}
