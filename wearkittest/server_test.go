package wearkittest

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func okHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		WriteJSON(w, http.StatusOK, map[string]string{"path": r.URL.Path, "payload": strings.Repeat("p", 200)})
	})
}

func get(t *testing.T, s *Server, path string) (*http.Response, []byte, error) {
	t.Helper()
	resp, err := s.Client().Get(s.URL + path)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

func TestLogRecordsEverythingAndHandlerStillReadsBody(t *testing.T) {
	var seen string
	s := Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		seen = string(b)
		w.WriteHeader(http.StatusNoContent)
	}), WithClock(NewClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))))
	req, _ := http.NewRequest("POST", s.URL+"/api/v1.1/samples?x=1", strings.NewReader(`{"a":1}`))
	req.Header.Set("X-Test", "yes")
	resp, err := s.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()

	assert.Equal(t, `{"a":1}`, seen)
	e, ok := s.Log.Last()
	require.True(t, ok)
	assert.Equal(t, "POST /api/v1.1/samples?x=1", e.String())
	assert.Equal(t, `{"a":1}`, string(e.Body))
	assert.Equal(t, "yes", e.Header.Get("X-Test"))
	assert.Equal(t, "1", e.Query.Get("x"))
	assert.Equal(t, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), e.At)
	assert.Equal(t, 1, s.Log.Count("POST", "/api/v1.1/samples"))
	s.Log.Reset()
	assert.Equal(t, 0, s.Log.Len())
}

func TestFaultsAreTakenInOrderByMatch(t *testing.T) {
	s := Start(t, okHandler())
	s.Faults.Push(
		Fault{Match: MatchPath("GET", "/b"), Status: 418, Body: `{"x":1}`},
		Fault{Status: 503, RetryAfter: "3", Header: http.Header{"X-Why": {"maintenance"}}},
	)
	resp, body, err := get(t, s, "/a")
	require.NoError(t, err)
	assert.Equal(t, 503, resp.StatusCode, "the first fault does not match /a, the second does")
	assert.Equal(t, "3", resp.Header.Get("Retry-After"))
	assert.Equal(t, "maintenance", resp.Header.Get("X-Why"))
	assert.Empty(t, body)

	resp, body, err = get(t, s, "/b")
	require.NoError(t, err)
	assert.Equal(t, 418, resp.StatusCode)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	assert.JSONEq(t, `{"x":1}`, string(body))
	assert.Equal(t, 0, s.Faults.Pending())

	resp, _, err = get(t, s, "/a")
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode, "an empty script lets the handler answer")
	assert.Equal(t, 3, s.Log.Len(), "faulted requests are logged too")
}

func TestResetTruncateAndDelay(t *testing.T) {
	s := Start(t, okHandler())
	s.Faults.Push(Fault{Reset: true})
	_, _, err := get(t, s, "/r")
	require.Error(t, err, "a reset connection gives the client no answer")

	s.Faults.Push(Fault{TruncateAfter: 10})
	resp, body, err := get(t, s, "/t")
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Len(t, body, 10)

	s.Faults.Push(Fault{Delay: 80 * time.Millisecond})
	start := time.Now()
	resp, _, err = get(t, s, "/d")
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.GreaterOrEqual(t, time.Since(start), 75*time.Millisecond)

	s.Faults.Statuses("1", 429, 500)
	assert.Equal(t, 2, s.Faults.Pending())
	s.Faults.Clear()
	assert.Equal(t, 0, s.Faults.Pending())
}

func TestClock(t *testing.T) {
	var real *Clock
	assert.WithinDuration(t, time.Now(), real.Now(), time.Second, "a nil clock is real time")
	var zero Clock
	assert.WithinDuration(t, time.Now(), zero.Now(), time.Second)

	t0 := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	c := NewClock(t0)
	assert.Equal(t, t0, c.Now())
	c.Advance(5 * time.Minute)
	assert.Equal(t, t0.Add(5*time.Minute), c.Now())
	c.Set(t0)
	assert.Equal(t, t0, c.Now())
	zero.Advance(time.Hour)
	assert.WithinDuration(t, time.Now().Add(time.Hour), zero.Now(), time.Second)
}

func TestJSONHelpers(t *testing.T) {
	type in struct {
		A int `json:"a"`
	}
	s := Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var v in
		if err := DecodeJSON(r, &v); err != nil {
			WriteJSON(w, 400, map[string]string{"error": err.Error()})
			return
		}
		WriteJSON(w, 200, v)
	}))
	post := func(body string) (int, string) {
		resp, err := s.Client().Post(s.URL, "application/json", strings.NewReader(body))
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := post(`{"a":3}`)
	assert.Equal(t, 200, code)
	assert.JSONEq(t, `{"a":3}`, body)
	code, body = post(`{"a":3,"b":4}`)
	assert.Equal(t, 400, code)
	assert.Contains(t, body, "unknown field")
	for _, trailing := range []string{`{"a":3} {"a":4}`, `{"a":3}}`, `{"a":3}]`, `{"a":3} x`} {
		code, body = post(trailing)
		assert.Equal(t, 400, code, trailing)
		assert.Contains(t, body, "trailing data", trailing)
	}
	code, _ = post("{\"a\":3}\n")
	assert.Equal(t, 200, code, "trailing white space is fine")

	assert.Equal(t, `{"a":1,"b":[2]}`, JSONBody([]byte(`{ "b":[2],"a":1 }`)))
	assert.Equal(t, "plain", JSONBody([]byte("plain")))
}

func TestServeStandalone(t *testing.T) {
	s := Serve(okHandler())
	resp, _, err := get(t, s, "/x")
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	s.Close()
	_, _, err = get(t, s, "/x")
	require.Error(t, err, "closed")
}
