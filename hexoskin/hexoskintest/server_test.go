package hexoskintest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit/hexoskin"
	"github.com/wearkit/wearkit/hexoskin/hexoskintest"
	"github.com/wearkit/wearkit/wearkittest"
)

func get(t *testing.T, srv *hexoskintest.Server, path string, ts int64) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", srv.URL+path, nil)
	require.NoError(t, err)
	req.Header.Set("X-HEXOAPIKEY", hexoskintest.PublicKey)
	req.Header.Set("X-HEXOTIMESTAMP", strconv.FormatInt(ts, 10))
	req.Header.Set("X-HEXOAPISIGNATURE", hexoskin.Sign(hexoskintest.PrivateKey, ts, srv.URL+path))
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, b
}

func TestSignatureWindow(t *testing.T) {
	clock := wearkittest.NewClock(time.Unix(1700000000, 0))
	srv := hexoskintest.New(t, hexoskintest.WithClock(clock))
	status, _ := get(t, srv, "/api/user/", 1700000000+299)
	assert.Equal(t, 200, status)
	status, body := get(t, srv, "/api/user/", 1700000000-301)
	assert.Equal(t, 401, status)
	assert.JSONEq(t, `{"error":"API signature failed."}`, string(body))
	clock.Advance(10 * time.Minute)
	status, _ = get(t, srv, "/api/user/", 1700000000)
	assert.Equal(t, 401, status, "stale once the clock moves on")
}

func TestJSONDataIsSubsampledPastTheCap(t *testing.T) {
	srv := hexoskintest.New(t)
	now := time.Now().Unix()
	start := int64(hexoskintest.RecordStart)
	end := start + 600*256 // 600 s of ECG: 153601 points
	status, body := get(t, srv, "/api/data/?datatype__in=4113,19&user=1511&start="+strconv.FormatInt(start, 10)+"&end="+strconv.FormatInt(end, 10), now)
	require.Equal(t, 200, status, string(body))
	var ans []struct {
		Data map[string][][]float64 `json:"data"`
		User string                 `json:"user"`
	}
	require.NoError(t, json.Unmarshal(body, &ans))
	ecg := ans[0].Data["4113"]
	assert.LessOrEqual(t, len(ecg), hexoskintest.MaxDataPoints)
	assert.Equal(t, 51201, len(ecg), "every 3rd point")
	assert.Equal(t, 3.0, ecg[1][0]-ecg[0][0])
	assert.Len(t, ans[0].Data["19"], 600, "heart rate is under the cap")
	assert.Equal(t, "/api/user/1511/", ans[0].User)
	assert.Equal(t, 1, srv.Subsampled())
}

func TestTastypiePaging(t *testing.T) {
	srv := hexoskintest.New(t, hexoskintest.WithRecords(1500))
	now := time.Now().Unix()
	page := func(path string) (meta map[string]any, n int) {
		status, body := get(t, srv, path, now)
		require.Equal(t, 200, status, string(body))
		var v struct {
			Meta    map[string]any   `json:"meta"`
			Objects []map[string]any `json:"objects"`
		}
		require.NoError(t, json.Unmarshal(body, &v))
		return v.Meta, len(v.Objects)
	}
	meta, n := page("/api/record/?limit=0")
	assert.Equal(t, 1000, n, "limit=0 is the maximum")
	assert.Equal(t, 1000.0, meta["limit"])
	assert.Equal(t, "/api/record/?limit=1000&offset=1000", meta["next"])
	meta, n = page("/api/record/?limit=5000&offset=1000")
	assert.Equal(t, 503, n, "never more than 1000 objects")
	assert.Nil(t, meta["next"])
	assert.Equal(t, "/api/record/?limit=1000&offset=0", meta["previous"])
	assert.Equal(t, 1503.0, meta["total_count"])
	_, n = page("/api/record/")
	assert.Equal(t, 20, n, "default limit")

	for path, msg := range map[string]string{
		"/api/record/?limit=-1": "Invalid limit provided.", "/api/record/?limit=ten": "Invalid limit provided.",
		"/api/record/?offset=-5": "Invalid offset provided.", "/api/record/?offset=x": "Invalid offset provided.",
	} {
		status, body := get(t, srv, path, now)
		assert.Equal(t, 400, status, path)
		assert.Contains(t, string(body), msg, path)
	}
}

func TestBinaryZipLayout(t *testing.T) {
	srv := hexoskintest.New(t)
	req, _ := http.NewRequest("GET", srv.URL+"/api/data/?datatype__in=4113,18&record=37700", nil)
	req.SetBasicAuth(hexoskintest.Username, hexoskintest.Password)
	req.Header.Set("Accept", "application/octet-stream")
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, "application/octet-stream", resp.Header.Get("Content-Type"))
	b, _ := io.ReadAll(resp.Body)
	assert.Equal(t, "PK", string(b[:2]))
	assert.Equal(t, 0, srv.Subsampled(), "binary is never subsampled")
}

func TestDataForARangeWithoutTimesDoesNotPanic(t *testing.T) {
	srv := hexoskintest.New(t)
	// PUT replaces the whole object: this range loses its start and end.
	req, err := http.NewRequest("PUT", srv.URL+"/api/range/61495/", strings.NewReader(`{"name":"renamed"}`))
	require.NoError(t, err)
	req.SetBasicAuth(hexoskintest.Username, hexoskintest.Password)
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusAccepted, resp.StatusCode)

	req, err = http.NewRequest("GET", srv.URL+"/api/data/?datatype__in=19&range=61495", nil)
	require.NoError(t, err)
	req.SetBasicAuth(hexoskintest.Username, hexoskintest.Password)
	resp, err = srv.Client().Do(req)
	require.NoError(t, err, "the fake answers instead of dropping the connection")
	resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
}
