package corsano

import (
	"bytes"
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/wearkit/wearkit/internal/jsonkeys"
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
		case f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct:
			// An embedded struct's fields are the object's own (SlotState).
			for k := range keysOf(f.Type) {
				m[k] = true
			}
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

// decodeKeep decodes b into *v (a struct without custom methods, the
// plain twin of a type whose UnmarshalJSON calls it) and sets *extra to the
// fields it has no place for; on an error *v and *extra are left as they
// were. After encoding/json has decoded (and so validated) b, one scan of
// its top level finds the keys, without decoding their values a second
// time.
func decodeKeep[P any](b []byte, v *P, extra *Extra) error {
	var p P
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	known := keysOf(reflect.TypeFor[P]())
	var found Extra
	err := jsonkeys.Each(b, func(key, raw []byte) error {
		if jsonkeys.Plain(key) && known[string(key)] {
			return nil
		}
		k, err := jsonkeys.Key(key)
		if err != nil {
			return err
		}
		if known[k] {
			return nil
		}
		if found == nil {
			found = Extra{}
		}
		found[k] = append(json.RawMessage(nil), raw...)
		return nil
	})
	if err != nil {
		return err
	}
	*v, *extra = p, found
	return nil
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
