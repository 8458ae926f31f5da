package corsanotest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit/corsano/corsanotest"
	"github.com/wearkit/wearkit/wearkittest"
)

var t0 = time.Date(2025, 10, 8, 10, 0, 0, 0, corsanotest.Zone)

func call(t *testing.T, method, u string, header http.Header, body string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	require.NoError(t, err)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, string(b)
}

func api(srv *corsanotest.Server, path string, q url.Values) string {
	if q == nil {
		q = url.Values{}
	}
	q.Set("token", corsanotest.ResearcherToken)
	return srv.BaseURL() + path + "?" + q.Encode()
}

func TestFakeResearcherToken(t *testing.T) {
	srv := corsanotest.New(t)
	st, _, body := call(t, "GET", srv.BaseURL()+"/groups?token=wrong", nil, "")
	assert.Equal(t, http.StatusUnauthorized, st)
	assert.JSONEq(t, `{"message":"Unauthenticated."}`, body)
	st, _, _ = call(t, "GET", api(srv, "/groups", nil), nil, "")
	assert.Equal(t, http.StatusOK, st)
}

func TestFakeExportRule(t *testing.T) {
	clock := wearkittest.NewClock(t0)
	srv := corsanotest.New(t, corsanotest.WithClock(clock), corsanotest.WithPollsToDone(1))
	body := `{"client_date_from":"2025-10-08T09:00:00.000","client_date_to":"2025-10-08T10:00:00.000","types":["ppg1"]}`
	create := api(srv, "/create-export/"+corsanotest.ExamplePatient, nil)
	st, _, b := call(t, "POST", create, nil, body)
	require.Equal(t, http.StatusOK, st, b)
	var e struct{ ID, Status string }
	require.NoError(t, json.Unmarshal([]byte(b), &e))
	assert.Equal(t, "in_progress", e.Status)

	clock.Advance(4*time.Minute + 59*time.Second)
	st, h, _ := call(t, "POST", create, nil, body)
	assert.Equal(t, http.StatusTooManyRequests, st)
	assert.Equal(t, "1", h.Get("Retry-After"))
	// The path with a type segment, as the vendor page shows it, is the same
	// export.
	st, _, _ = call(t, "POST", api(srv, "/create-export/"+corsanotest.ExamplePatient+"/ppg1", nil), nil, body)
	assert.Equal(t, http.StatusTooManyRequests, st)
	clock.Advance(time.Second)
	st, _, _ = call(t, "POST", create, nil, body)
	assert.Equal(t, http.StatusOK, st)
	assert.Equal(t, 4, srv.Creates(corsanotest.ExamplePatient))

	for _, bad := range []string{`{"types":["ppg1"]}`, `{"client_date_from":"2025-10-08T09:00:00.000","client_date_to":"2025-10-08T10:00:00.000","types":["spo2"]}`, `{"client_date_from":"2025-10-08T09:00:00.000","client_date_to":"2025-10-08T10:00:00.000","types":["ppg1"],"x":1}`} {
		st, _, _ = call(t, "POST", api(srv, "/create-export/"+corsanotest.SecondPatient, nil), nil, bad)
		assert.Equal(t, http.StatusUnprocessableEntity, st, bad)
	}

	// Polls: in_progress once, then done with a link on the storage host.
	poll := api(srv, "/export/"+e.ID, nil)
	_, _, b = call(t, "GET", poll, nil, "")
	assert.Contains(t, b, `"in_progress"`)
	_, _, b = call(t, "GET", poll, nil, "")
	var done struct{ Status, DownloadURL string }
	require.NoError(t, json.Unmarshal([]byte(b), &done))
	assert.Equal(t, "done", done.Status)
	require.True(t, strings.HasPrefix(done.DownloadURL, srv.Storage.URL+"/corsano-exports/"+e.ID+".zip?"), done.DownloadURL)

	st, h, _ = call(t, "GET", done.DownloadURL, nil, "")
	assert.Equal(t, http.StatusOK, st)
	assert.Equal(t, "application/zip", h.Get("Content-Type"))
	st, _, _ = call(t, "GET", done.DownloadURL, http.Header{"Authorization": {"Bearer x"}}, "")
	assert.Equal(t, http.StatusBadRequest, st, "credentials are refused on the storage host")
	st, _, _ = call(t, "GET", strings.Replace(done.DownloadURL, "X-Amz-Expires=3600", "X-Amz-Expires=36000", 1), nil, "")
	assert.Equal(t, http.StatusForbidden, st, "a link changed by hand")
	clock.Advance(corsanotest.LinkLifetime)
	st, _, b = call(t, "GET", done.DownloadURL, nil, "")
	assert.Equal(t, http.StatusForbidden, st)
	assert.Contains(t, b, "Request has expired")
}

func healthToken(t *testing.T, srv *corsanotest.Server, uuid string) string {
	t.Helper()
	st, _, b := call(t, "GET", api(srv, "/patients/"+uuid+"/health-token", nil), nil, "")
	require.Equal(t, http.StatusOK, st, b)
	var v struct{ Token string }
	require.NoError(t, json.Unmarshal([]byte(b), &v))
	return v.Token
}

func TestFakeHealthTokensAndWindows(t *testing.T) {
	clock := wearkittest.NewClock(t0)
	srv := corsanotest.New(t, corsanotest.WithClock(clock))
	tok := healthToken(t, srv, corsanotest.ExamplePatient)
	bearer := http.Header{"Authorization": {"Bearer " + tok}}
	raw := func(typ string, q url.Values) (int, string) {
		st, _, b := call(t, "GET", srv.HealthURL()+"/v2/raw-metrics/"+typ+"?"+q.Encode(), bearer, "")
		return st, b
	}
	zoned := url.Values{"from_date": {"2025-10-08T09:30:00.000+02:00"}, "to_date": {"2025-10-08T10:00:00.000+02:00"}}
	st, b := raw("ppg2", zoned)
	require.Equal(t, http.StatusOK, st, b)
	var items []map[string]any
	require.NoError(t, json.Unmarshal([]byte(b), &items))
	assert.Len(t, items, 1800)

	zoned.Set("to_date", "2025-10-08T10:00:00.001+02:00")
	st, b = raw("ppg2", zoned)
	assert.Equal(t, http.StatusBadRequest, st)
	assert.Contains(t, b, "exceeds the maximum of 30m0s")
	st, _ = raw("rr-interval", url.Values{"from_date": {"2025-10-07T09:59:59.000+02:00"}, "to_date": {"2025-10-08T10:00:00.000+02:00"}})
	assert.Equal(t, http.StatusBadRequest, st, "24 h and a second")
	st, b = raw("activity", url.Values{"from_client_date": {"2025-10-08T09:00:00.000"}, "to_client_date": {"2025-10-08T10:00:00.000"}, "from_date": {"2025-10-08T09:00:00.000+02:00"}})
	assert.Equal(t, http.StatusBadRequest, st)
	assert.Contains(t, b, "not both")
	st, _ = raw("activity", url.Values{})
	assert.Equal(t, http.StatusBadRequest, st)
	st, _ = raw("spo2", url.Values{"from_client_date": {"2025-10-08T09:00:00.000"}, "to_client_date": {"2025-10-08T10:00:00.000"}})
	assert.Equal(t, http.StatusNotFound, st)

	// The token expires an hour after it was issued, by the fake's clock.
	clock.Advance(corsanotest.HealthTokenLifetime)
	st, b = raw("activity", url.Values{"from_client_date": {"2025-10-08T09:00:00.000"}, "to_client_date": {"2025-10-08T10:00:00.000"}})
	assert.Equal(t, http.StatusUnauthorized, st)
	assert.Contains(t, b, "expired")
	// A forged token is refused.
	forged := tok[:strings.LastIndexByte(tok, '.')] + ".AAAA"
	st, _, _ = call(t, "GET", srv.HealthURL()+"/user-summaries?date_from=2025-10-01&date_to=2025-10-02", http.Header{"Authorization": {"Bearer " + forged}}, "")
	assert.Equal(t, http.StatusUnauthorized, st)
}

func TestFakeServesTheVendorExample(t *testing.T) {
	srv := corsanotest.New(t)
	st, _, b := call(t, "GET", api(srv, "/groups/"+corsanotest.GroupCode+"/summaries", url.Values{"date": {corsanotest.ExampleDate}}), nil, "")
	require.Equal(t, http.StatusOK, st)
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(b), &m))
	assert.JSONEq(t, string(corsanotest.SummaryExample()), string(m[corsanotest.ExamplePatient]))
	st, _, _ = call(t, "GET", api(srv, "/groups/"+corsanotest.GroupCode+"/summaries", url.Values{"date": {"8-10-2025"}}), nil, "")
	assert.Equal(t, http.StatusBadRequest, st)
}
