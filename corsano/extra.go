package corsano

import (
	"bytes"
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"
)

// Extra holds the fields of an answer the SDK does not type (yet), as raw
// JSON, so that a model encodes back to what the API sent with nothing lost.
type Extra map[string]json.RawMessage

// knownKeys caches, per struct type, the JSON names of its fields.
var knownKeys sync.Map // reflect.Type -> map[string]bool

func keysOf(t reflect.Type) map[string]bool {
	if v, ok := knownKeys.Load(t); ok {
		return v.(map[string]bool)
	}
	m := map[string]bool{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-":
		case name != "":
			m[name] = true
		case f.IsExported():
			m[f.Name] = true
		}
	}
	knownKeys.Store(t, m)
	return m
}

// decodeKeep decodes b into v (a pointer to a struct without custom
// methods) and returns the fields v has no place for. After encoding/json
// has decoded (and so validated) b, one scan of its top level finds the
// keys, without decoding their values a second time.
func decodeKeep(b []byte, v any) (Extra, error) {
	if err := json.Unmarshal(b, v); err != nil {
		return nil, err
	}
	known := keysOf(reflect.TypeOf(v).Elem())
	var extra Extra
	err := topLevel(b, func(key, raw []byte) error {
		k := string(key)
		if bytes.IndexByte(key, '\\') >= 0 {
			if err := json.Unmarshal(append(append([]byte{'"'}, key...), '"'), &k); err != nil {
				return err
			}
		}
		if known[k] {
			return nil
		}
		if extra == nil {
			extra = Extra{}
		}
		extra[k] = append(json.RawMessage(nil), raw...)
		return nil
	})
	return extra, err
}

// topLevel calls fn with each key (its text between the quotes, escapes
// kept) and raw value of the JSON object b, which must be valid JSON (a
// value other than an object has no keys).
func topLevel(b []byte, fn func(key, raw []byte) error) error {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return nil
	}
	i++
	for {
		i = skipSpace(b, i)
		if i >= len(b) || b[i] == '}' {
			return nil
		}
		if b[i] == ',' {
			i = skipSpace(b, i+1)
		}
		end := stringEnd(b, i)
		key := b[i+1 : end-1]
		i = skipSpace(b, end)
		i = skipSpace(b, i+1) // the colon
		start := i
		i = valueEnd(b, i)
		if err := fn(key, b[start:i]); err != nil {
			return err
		}
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index after the string starting at b[i] == '"'.
func stringEnd(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// valueEnd returns the index after the value starting at b[i].
func valueEnd(b []byte, i int) int {
	depth := 0
	for i < len(b) {
		switch c := b[i]; c {
		case '"':
			i = stringEnd(b, i)
			if depth == 0 {
				return i
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return i
			}
			depth--
			if depth == 0 {
				return i + 1
			}
		case ',':
			if depth == 0 {
				return i
			}
		case ' ', '\t', '\n', '\r':
			if depth == 0 {
				return i
			}
		}
		i++
	}
	return i
}

// encodeKeep encodes v (a struct without custom methods) and adds extra's
// fields, in key order, after v's own.
func encodeKeep(v any, extra Extra) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || len(extra) == 0 {
		return b, err
	}
	known := keysOf(reflect.TypeOf(v))
	buf := bytes.NewBuffer(bytes.TrimSuffix(b, []byte("}")))
	first := bytes.Equal(b, []byte("{}"))
	for _, k := range slices.Sorted(maps.Keys(extra)) {
		if known[k] {
			continue // a typed field wins over a stale extra
		}
		if !first {
			buf.WriteByte(',')
		}
		first = false
		kb, _ := json.Marshal(k)
		buf.Write(kb)
		buf.WriteByte(':')
		raw := extra[k]
		if len(raw) == 0 {
			raw = jsonNull
		}
		buf.Write(raw)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
