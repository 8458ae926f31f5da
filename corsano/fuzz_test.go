package corsano_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/wearkit/wearkit/corsano"
)

// FuzzTopLevel checks the key scan that keeps unknown fields against
// encoding/json: for every valid JSON object, the same keys (the last of
// duplicates) with the same raw values.
func FuzzTopLevel(f *testing.F) {
	for _, s := range []string{
		`{}`, `{"a":1}`, ` { "a" : [1, {"b":"}"}] , "c\"d" :"x\\"} `, `{"a":null,"a":true}`,
		`{"date":"2025-10-08","x":{"y":[[],{}]},"n":-0.5e-3}`, `[1,2]`, `"s"`, `{"\u00e9":"é"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var want map[string]json.RawMessage
		if !json.Valid(b) || json.Unmarshal(b, &want) != nil {
			return
		}
		got := map[string]json.RawMessage{}
		err := corsano.TopLevel(b, func(key, raw []byte) error {
			var k string
			if err := json.Unmarshal(append(append([]byte{'"'}, key...), '"'), &k); err != nil {
				return err
			}
			got[k] = append(json.RawMessage(nil), raw...)
			return nil
		})
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
