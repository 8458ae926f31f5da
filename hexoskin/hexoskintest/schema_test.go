package hexoskintest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit/hexoskin"
	"github.com/wearkit/wearkit/hexoskin/hexoskintest"
)

// call sends a signed request (optionally with Basic credentials) and
// returns the status and body.
func call(t *testing.T, srv *hexoskintest.Server, method, path, body string, basic ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, bytes.NewBufferString(body))
	require.NoError(t, err)
	ts := time.Now().Unix()
	req.Header.Set("X-HEXOAPIKEY", hexoskintest.PublicKey)
	req.Header.Set("X-HEXOTIMESTAMP", strconv.FormatInt(ts, 10))
	req.Header.Set("X-HEXOAPISIGNATURE", hexoskin.Sign(hexoskintest.PrivateKey, ts, srv.URL+path))
	if len(basic) == 2 {
		req.SetBasicAuth(basic[0], basic[1])
	}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

// sample returns a value of the schema type typ valid for filter type op.
func sample(typ, op string) string {
	one := map[string]string{
		hexoskintest.TInteger: "1", hexoskintest.TFloat: "1.5", hexoskintest.TBoolean: "true",
		hexoskintest.TRelated: "1", hexoskintest.TDate: "2020-07-14", hexoskintest.TDateTime: "2014-09-28T10:16:28",
		hexoskintest.TString: "x", hexoskintest.TList: "44", hexoskintest.TDict: "x",
	}[typ]
	switch op {
	case hexoskintest.In, hexoskintest.Range:
		return one + "," + one
	case hexoskintest.IsNull:
		return "true"
	}
	return one
}

var allOps = []string{"exact", "in", "gt", "gte", "lt", "lte", "range", "startswith", "isnull"}

func isFilterRefusal(body string) bool {
	return strings.Contains(body, "does not allow filtering") || strings.Contains(body, "is not an allowed filter") ||
		strings.Contains(body, "is not a valid")
}

func isOrderRefusal(body string) bool {
	return strings.Contains(body, "for ordering") || strings.Contains(body, "does not allow ordering")
}

// The fake answers, refuses and accepts exactly as its one schema table
// says, resource by resource.
func TestFakeFollowsSchemaTable(t *testing.T) {
	srv := hexoskintest.New(t)
	status, body := call(t, srv, "GET", "/api/", "")
	require.Equal(t, 200, status)
	var index map[string]struct {
		List   string `json:"list_endpoint"`
		Schema string `json:"schema"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &index))
	table := hexoskintest.Schema()
	require.Len(t, index, len(table))

	for _, res := range table {
		t.Run(res.Name, func(t *testing.T) {
			srv := hexoskintest.New(t)
			list := "/api/" + res.Name + "/"
			require.Equal(t, list, index[res.Name].List)

			// The schema view is the row.
			status, body := call(t, srv, "GET", index[res.Name].Schema, "")
			require.Equal(t, 200, status, body)
			var sc struct {
				List      []string                   `json:"allowed_list_http_methods"`
				Detail    []string                   `json:"allowed_detail_http_methods"`
				Filtering map[string]json.RawMessage `json:"filtering"`
				Ordering  []string                   `json:"ordering"`
				Fields    map[string]struct {
					Type string `json:"type"`
				} `json:"fields"`
			}
			require.NoError(t, json.Unmarshal([]byte(body), &sc))
			assert.ElementsMatch(t, res.ListMethods, sc.List)
			assert.ElementsMatch(t, res.DetailMethods, sc.Detail)
			assert.ElementsMatch(t, res.Ordering, sc.Ordering)
			assert.Len(t, sc.Filtering, len(res.Filters))
			for f, typ := range res.Fields {
				assert.Equal(t, typ, sc.Fields[f].Type, f)
			}

			// Trailing slash required.
			status, _ = call(t, srv, "GET", strings.TrimSuffix(list, "/"), "")
			assert.Equal(t, 404, status, "no trailing slash")

			// Methods on the list and on a detail view.
			for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
				st, b := call(t, srv, m, list, `{"objects": []}`)
				if slices.Contains(res.ListMethods, strings.ToLower(m)) {
					assert.NotEqual(t, 405, st, "%s list: %s", m, b)
				} else {
					assert.Equal(t, 405, st, "%s list: %s", m, b)
				}
				st, b = call(t, srv, m, list+"1/", `{}`)
				if slices.Contains(res.DetailMethods, strings.ToLower(m)) {
					assert.NotEqual(t, 405, st, "%s detail: %s", m, b)
				} else {
					assert.Equal(t, 405, st, "%s detail: %s", m, b)
				}
			}
			if !slices.Contains(res.ListMethods, "get") {
				return
			}

			// Filters: every listed type accepted with a value of the
			// field's type, every other type refused.
			for f, types := range res.Filters {
				typ, ok := res.Fields[f]
				if !ok {
					typ = res.Params[f]
				}
				for _, op := range allOps {
					path := list + "?" + f + "__" + op + "=" + sample(typ, op)
					_, b := call(t, srv, "GET", path, "")
					if slices.Contains(types, op) || slices.Contains(types, hexoskintest.Related) {
						assert.False(t, isFilterRefusal(b), "%s: %s", path, b)
					} else {
						assert.True(t, isFilterRefusal(b), "%s: %s", path, b)
					}
				}
				// A value the field's type cannot hold.
				if typ == hexoskintest.TInteger || typ == hexoskintest.TDate || typ == hexoskintest.TBoolean {
					path := list + "?" + f + "=yesterday-ish"
					st, b := call(t, srv, "GET", path, "")
					assert.Equal(t, 400, st, "%s: %s", path, b)
				}
			}
			// A field that is not filterable is refused; no field at all is
			// ignored.
			for f := range res.Fields {
				if _, ok := res.Filters[f]; ok {
					continue
				}
				_, b := call(t, srv, "GET", list+"?"+f+"=1", "")
				assert.True(t, isFilterRefusal(b), "%s: %s", f, b)
			}
			_, b := call(t, srv, "GET", list+"?_=1&callback_nonce=abc", "")
			assert.False(t, isFilterRefusal(b), b)

			// Orderings.
			for _, o := range res.Ordering {
				_, b := call(t, srv, "GET", list+"?order_by=-"+o, "")
				assert.False(t, isOrderRefusal(b), "%s: %s", o, b)
			}
			for f := range res.Fields {
				if slices.Contains(res.Ordering, f) {
					continue
				}
				_, b := call(t, srv, "GET", list+"?order_by="+f, "")
				assert.True(t, isOrderRefusal(b), "%s: %s", f, b)
			}
			_, b = call(t, srv, "GET", list+"?order_by=nosuchcolumn", "")
			assert.True(t, isOrderRefusal(b) || res.Name == "data", b)
		})
	}
}

// The cases the official client met, one by one.
func TestFakeAgreesWithRealAPI(t *testing.T) {
	srv := hexoskintest.New(t)
	for _, tc := range []struct {
		method, path, body string
		want               int
	}{
		{"GET", "/api/record/?include_histograms=true", "", 200},
		{"GET", "/api/range/?include_histograms=1&show_all=true", "", 200},
		{"GET", "/api/user/?search=athlete", "", 200},
		{"GET", "/api/activitytype/?show_all=true", "", 200},
		{"GET", "/api/range/?activitytype__isnull=true", "", 200},
		{"GET", "/api/record/?_=1", "", 200},
		{"PATCH", "/api/annotation/", `{"objects": [{"annotation": "bulk", "start": 1}]}`, 202},
		{"PATCH", "/api/range/", `{"objects": []}`, 202},
		{"PATCH", "/api/track/", `{"objects": []}`, 202},
		{"PUT", "/api/profile/1460/", `{"gender": "M", "height": 1.8, "weight": 77}`, 202},
		{"GET", "/api/record/?status=complete", "", 400},
		{"GET", "/api/record/?start__in=1,2", "", 400},
		{"GET", "/api/datatype/?name=ECG", "", 400},
		{"GET", "/api/datatype/?order_by=name", "", 400},
		{"GET", "/api/record", "", 404},
	} {
		st, b := call(t, srv, tc.method, tc.path, tc.body)
		assert.Equal(t, tc.want, st, "%s %s: %s", tc.method, tc.path, b)
	}
	// Tastypie's PATCH on a list created the object.
	found := false
	for _, o := range srv.Objects("annotation") {
		found = found || o["annotation"] == "bulk"
	}
	assert.True(t, found)
	// search filters the users.
	_, b := call(t, srv, "GET", "/api/user/?search=friend", "")
	assert.Contains(t, b, `"friend"`)
	assert.NotContains(t, b, `"athlete"`)
}

func TestBasicCheckedBesideKey(t *testing.T) {
	srv := hexoskintest.New(t)
	st, _ := call(t, srv, "GET", "/api/user/", "", hexoskintest.Username, "wrong")
	assert.Equal(t, 401, st, "a signature does not excuse a wrong password")
	st, _ = call(t, srv, "GET", "/api/user/", "", hexoskintest.Username, hexoskintest.Password)
	assert.Equal(t, 200, st)
	st, _ = call(t, srv, "GET", "/api/user/", "")
	assert.Equal(t, 200, st, "a key alone")
}
