package hexoskin_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/hexoskin"
	"github.com/wearkit/wearkit/hexoskin/hexoskintest"
	"github.com/wearkit/wearkit/wearkittest"
)

// The escape hatch with an absolute URL on another host: none of the
// client's credentials, nor a key the user put in Header, go there.
func TestDoToAnotherHostSendsNoCredentials(t *testing.T) {
	srv := hexoskintest.New(t)
	other := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wearkittest.WriteJSON(w, http.StatusOK, map[string]string{"ok": "yes"})
	}))
	c := newClient(t, srv, hexoskin.WithBasicAuth("bob@example.com", "pw-basic-5ecret"))
	var out map[string]string
	err := c.Do(context.Background(), &wearkit.Request{
		Path:   other.URL + "/export?x=1",
		Header: http.Header{"X-HEXOAPIKEY": {"user-set-key-5ecret"}},
	}, &out)
	require.NoError(t, err)
	assert.Equal(t, "yes", out["ok"])
	entries := other.Log.Entries()
	require.Len(t, entries, 1)
	h := entries[0].Header
	for _, k := range []string{"Authorization", "X-HEXOAPIKEY", "X-HEXOAPISIGNATURE"} {
		assert.Empty(t, h.Get(k), "%s went to another host", k)
	}
	assert.Equal(t, 0, srv.Log.Len())
}

// WithRetry(3, 0, 0) asks for retries without waiting; it must not wait the
// engine's defaults (250 ms, doubling).
func TestWithRetryZeroBackoffIsHonoured(t *testing.T) {
	srv := hexoskintest.New(t)
	srv.Faults.Push(wearkittest.Fault{Status: 503}, wearkittest.Fault{Status: 503})
	c := newClient(t, srv, hexoskin.WithRetry(3, 0, 0), hexoskin.WithRateLimit(rate.Inf, 1))
	start := time.Now()
	err := c.Do(context.Background(), &wearkit.Request{Path: "api/report/900/"}, nil)
	require.NoError(t, err)
	assert.Less(t, time.Since(start), 200*time.Millisecond, "two retries without a wait")
	assert.Equal(t, 3, srv.Log.Len())
}

// A header map written by hand with a non-canonical key: the user's API
// version wins every time, not by the map's iteration order.
func TestDoUserHeaderNonCanonicalKeyWins(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	for range 30 {
		require.NoError(t, c.Do(context.Background(), &wearkit.Request{
			Path:   "api/report/900/",
			Header: http.Header{"x-hexoapiversion": {"4.0.x"}},
		}, nil))
	}
	for _, e := range srv.Log.Entries() {
		assert.Equal(t, []string{"4.0.x"}, e.Header.Values("X-HexoAPIVersion"))
	}
}
