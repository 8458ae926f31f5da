package corsano_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/wearkit/wearkit/corsano"
)

// FuzzGroupExtra checks the unknown-field keeping of a model against
// encoding/json: for every object a Group decodes from, Extra holds
// exactly the keys Group does not type (the last of duplicates) with the
// same raw values. The scan itself is fuzzed in internal/jsonkeys.
func FuzzGroupExtra(f *testing.F) {
	for _, s := range []string{
		`{}`, `{"a":1}`, ` { "a" : [1, {"b":"}"}] , "c\"d" :"x\\"} `, `{"a":null,"a":true}`,
		`{"date":"2025-10-08","x":{"y":[[],{}]},"n":-0.5e-3}`, `{"\u00e9":"é"}`,
		`{"id":1,"name":"g","na\u006de":"h","extra":[1]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var g corsano.Group
		var all map[string]json.RawMessage
		if json.Unmarshal(b, &all) != nil || all == nil || json.Unmarshal(b, &g) != nil {
			return
		}
		// Group's JSON names, matched exactly (encoding/json also fills a
		// field from a key differing in case; such a key stays in Extra too).
		typed := map[string]bool{"id": true, "name": true, "description": true, "code": true, "hcpCode": true, "timestamp": true}
		want := map[string]json.RawMessage{}
		for k, v := range all {
			if !typed[k] {
				want[k] = v
			}
		}
		if len(g.Extra) != len(want) {
			t.Fatalf("%q: %d extra keys %v, want %d", b, len(g.Extra), g.Extra, len(want))
		}
		for k, v := range want {
			if !bytes.Equal(g.Extra[k], v) {
				t.Fatalf("%q: key %q: %q, want %q", b, k, g.Extra[k], v)
			}
		}
	})
}
