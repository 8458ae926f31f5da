package polar

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUnknownKeysScanner(t *testing.T) {
	known := infoOf(reflect.TypeOf(Sleep{})).known
	data := []byte(` { "date" : "2026-01-11", "a\"b": {"x": ["}", "{", 1]}, "sleep_score":null,"n":-1.5e3 , "s":"\\u00e9,}" ,"t":true}`)
	got := unknownKeys(data, known)
	assert.Equal(t, Extra{`a"b`: json.RawMessage(`{"x": ["}", "{", 1]}`), "n": json.RawMessage(`-1.5e3`),
		"s": json.RawMessage(`"\\u00e9,}"`), "t": json.RawMessage(`true`)}, got)
	assert.Nil(t, unknownKeys([]byte(`{"date":"2026-01-11"}`), known))
}

// The one-pass decoder and the field-by-field one (used to name the field
// of an error) agree.
func FuzzDecodeSleep(f *testing.F) {
	for _, s := range []string{
		`{"date":"2026-01-11","sleep_score":85,"total_sleep_hours":7.5,"hrv_avg":null,"extra":[1,{"a":"}"}]}`,
		`{"date":"2026-01-11 07:30:00+00:00","heart_rate_avg":52.4}`,
		`{"date":"2026-01-11T07:30:00Z","hypnogram":{"23:00":2}}`,
		`null`, `{}`, `{"date":5}`, `[1]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var fast SleepNight
		err := json.Unmarshal(data, &fast)
		if err != nil {
			return
		}
		mi := infoOf(reflect.TypeOf(fast))
		for k := range fast.Extra {
			if _, ok := mi.known[strings.ToLower(k)]; ok {
				return // encoding/json matches keys without case; the slow path does not
			}
		}
		var m map[string]json.RawMessage
		if json.Unmarshal(data, &m) != nil {
			return // null
		}
		var slow SleepNight
		require.NoError(t, decodeFields(data, reflect.ValueOf(&slow).Elem(), mi))
		assert.Equal(t, slow, fast)
	})
}
