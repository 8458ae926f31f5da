package jsonkeys

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type member struct{ key, value string }

func members(t *testing.T, b string) ([]member, error) {
	t.Helper()
	var got []member
	err := Each([]byte(b), func(k, v []byte) error {
		got = append(got, member{string(k), string(v)})
		return nil
	})
	return got, err
}

func TestEachWalksTheTopLevelInOrder(t *testing.T) {
	got, err := members(t, ` { "date" : "2026-01-11", "a\"b": {"x": ["}", "{", 1]}, "z":null,"n":-1.5e3 , "s":"\\u00e9,}" ,"t":true,"e":[],"o":{}} trailing`)
	require.NoError(t, err)
	assert.Equal(t, []member{
		{"date", `"2026-01-11"`}, {`a\"b`, `{"x": ["}", "{", 1]}`}, {"z", "null"}, {"n", "-1.5e3"},
		{"s", `"\\u00e9,}"`}, {"t", "true"}, {"e", "[]"}, {"o", "{}"},
	}, got)
}

func TestEachIgnoresWhatIsNotAnObject(t *testing.T) {
	for _, b := range []string{``, `  `, `[1,{"a":2}]`, `"s"`, `12`, `null`} {
		got, err := members(t, b)
		require.NoError(t, err, b)
		assert.Empty(t, got, b)
	}
	got, err := members(t, " {\n} ")
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestEachStopsAtTheCallbacksError(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	err := Each([]byte(`{"a":1,"b":2}`), func(k, v []byte) error { n++; return stop })
	require.ErrorIs(t, err, stop)
	assert.Equal(t, 1, n)
}

func TestEachReportsHostileInputWithItsOffset(t *testing.T) {
	for b, want := range map[string]SyntaxError{
		`{`:                  {1, "expected a quoted key"},
		`{"a`:                {1, "unterminated string"},
		`{"a\"}`:             {1, "unterminated string"},
		`{"a\`:               {1, "unterminated string"},
		`{"a"`:               {4, "expected a colon after the key"},
		`{"a" 1}`:            {5, "expected a colon after the key"},
		`{"a":`:              {5, "missing value"},
		`{"a":}`:             {5, "missing value"},
		`{"a":,"b":1}`:       {5, "missing value"},
		`{"a":"x`:            {5, "unterminated string"},
		`{"a":1`:             {6, "unterminated object"},
		`{"a":1 "b":2}`:      {7, "expected a comma or a closing brace"},
		`{"a":1,}`:           {7, "expected a quoted key"},
		`{a:1}`:              {1, "expected a quoted key"},
		`{"a":[1,{"b":"}]}`:  {13, "unterminated string"},
		`{"a":[[[`:           {5, "unterminated value"},
		`{"a":{"b":1}, 2:3}`: {14, "expected a quoted key"},
	} {
		_, err := members(t, b)
		var se *SyntaxError
		require.ErrorAs(t, err, &se, b)
		assert.Equal(t, want, *se, b)
		assert.Contains(t, err.Error(), "at byte", b)
	}
}

func TestEachTakesDeepNestingWithoutRecursion(t *testing.T) {
	const depth = 1 << 20
	deep := `{"deep":` + strings.Repeat(`[{"k":`, depth) + `1` + strings.Repeat(`}]`, depth) + `,"after":"x"}`
	got, err := members(t, deep)
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, "deep", got[0].key)
	assert.Len(t, got[0].value, len(deep)-len(`{"deep":`)-len(`,"after":"x"}`))
	assert.Equal(t, member{"after", `"x"`}, got[1])

	_, err = members(t, `{"deep":`+strings.Repeat(`[`, depth))
	var se *SyntaxError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, SyntaxError{8, "unterminated value"}, *se)
}

func TestKeyResolvesEscapesLikeEncodingJSON(t *testing.T) {
	for raw, want := range map[string]string{
		`plain`:         "plain",
		`a\"b`:          `a"b`,
		`\u00e9t\u00e9`: "été",
		`\ud83d\ude00`:  "😀",
		`\ud800`:        "\ufffd",
		"bad\xffutf8":   "bad\ufffdutf8",
		`tab\tslash\/`:  "tab\tslash/",
		`back\\slash\\`: `back\slash\`,
	} {
		got, err := Key([]byte(raw))
		require.NoError(t, err, raw)
		assert.Equal(t, want, got, raw)
		assert.Equal(t, !strings.Contains(raw, `\`) && utf8.ValidString(raw), Plain([]byte(raw)), raw)
	}
	_, err := Key([]byte(`bad\x`))
	require.ErrorContains(t, err, `key "bad\\x"`)
}

func TestPlainKeyLookupDoesNotAllocate(t *testing.T) {
	known := map[string]bool{"date": true, "sleep_score": true}
	b := []byte(`{"date":"2026-01-11","sleep_score":85}`)
	hits := 0
	allocs := testing.AllocsPerRun(100, func() {
		_ = Each(b, func(k, _ []byte) error {
			if Plain(k) && known[string(k)] {
				hits++
			}
			return nil
		})
	})
	assert.Zero(t, allocs)
	assert.Equal(t, 2*101, hits) // AllocsPerRun runs once more to warm up
}

// Each agrees with encoding/json on every object it accepts, and never
// panics on anything else.
func FuzzEach(f *testing.F) {
	for _, s := range []string{
		`{}`, `{"a":1}`, ` { "a" : [1, {"b":"}"}] , "c\"d" :"x\\"} `, `{"a":null,"a":true}`,
		`{"date":"2025-10-08","x":{"y":[[],{}]},"n":-0.5e-3}`, `[1,2]`, `"s"`, `{"\u00e9":"é"}`,
		`{"a`, `{"a":[`, `{"a":1,}`, `{"\ud800":1}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got := map[string]json.RawMessage{}
		err := Each(b, func(key, raw []byte) error {
			k, err := Key(key)
			if err != nil {
				return err
			}
			got[k] = append(json.RawMessage(nil), raw...)
			return nil
		})
		var want map[string]json.RawMessage
		if !json.Valid(b) || json.Unmarshal(b, &want) != nil {
			return // anything but a panic will do
		}
		if err != nil {
			t.Fatalf("%q: %v", b, err)
		}
		if len(got) != len(want) {
			t.Fatalf("%q: %d keys, want %d", b, len(got), len(want))
		}
		for k, v := range want {
			if !bytes.Equal(got[k], v) {
				t.Fatalf("%q: key %q: %q, want %q", b, k, got[k], v)
			}
		}
	})
}

func TestSpaceSkipsOnlyJSONWhitespace(t *testing.T) {
	b := []byte(" \t\r\n x \v")
	assert.Equal(t, 5, Space(b, 0))
	assert.Equal(t, 5, Space(b, 5))
	assert.Equal(t, 7, Space(b, 6), "a vertical tab is not JSON whitespace")
	assert.Equal(t, 8, Space(b, 8))
	assert.Equal(t, 0, Space(nil, 0))
}
