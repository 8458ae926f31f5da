package hexoskin_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/hexoskin"
	"github.com/wearkit/wearkit/hexoskin/hexoskintest"
)

func TestLoggerNeverSeesSecrets(t *testing.T) {
	srv := hexoskintest.New(t)
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newClient(t, srv, hexoskin.WithLogger(log))
	srv.Faults.Statuses("", http.StatusInternalServerError)
	_, err := c.Record(context.Background(), hexoskintest.RecordID)
	require.NoError(t, err)
	out := buf.String()
	assert.Equal(t, 2, strings.Count(out, "wearkit http attempt"), out)
	assert.Contains(t, out, "/api/record/37700/")
	assert.NotContains(t, out, hexoskintest.PublicKey)
	assert.NotContains(t, out, hexoskintest.PrivateKey)

	// A call that fails for good: neither its error nor the log carries the
	// signatures that went out.
	srv.Faults.Statuses("", 500, 500, 500, 500)
	_, err = c.Record(context.Background(), hexoskintest.RecordID)
	require.Error(t, err)
	out = buf.String()
	var he *wearkit.Error
	require.ErrorAs(t, err, &he)
	entries := srv.Log.Entries()
	require.Len(t, entries, 2+he.Attempts, "two attempts for the first call, then every retry")
	for _, e := range entries {
		sig := e.Header.Get("X-HEXOAPISIGNATURE")
		require.Len(t, sig, 40, "every attempt was signed")
		assert.NotContains(t, out, sig)
		assert.NotContains(t, err.Error(), sig)
	}
	assert.NotContains(t, err.Error(), hexoskintest.PublicKey)
}

func TestRateLimit(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv, hexoskin.WithRateLimit(20, 1))
	begin := time.Now()
	for range 5 {
		_, err := c.Datatype(context.Background(), hexoskin.HeartRate)
		require.NoError(t, err)
	}
	assert.GreaterOrEqual(t, time.Since(begin), 190*time.Millisecond, "5 calls at 20/s with burst 1")

	// A deadline the limiter cannot meet fails at once as rate limited.
	slow := newClient(t, srv, hexoskin.WithRateLimit(0.1, 1))
	_, err := slow.Datatype(context.Background(), hexoskin.HeartRate)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = slow.Datatype(ctx, hexoskin.HeartRate)
	assert.ErrorIs(t, err, wearkit.ErrRateLimited)
}

func TestServerErrorsAreRetriedThenReported(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	srv.Faults.Statuses("", 500, 500, 500)
	_, err := c.Record(context.Background(), hexoskintest.RecordID)
	require.Error(t, err)
	assert.ErrorIs(t, err, wearkit.ErrServer)
	var he *wearkit.Error
	require.ErrorAs(t, err, &he)
	assert.Equal(t, 3, he.Attempts)
	assert.Equal(t, 500, he.StatusCode)
}

type countingTransport struct {
	n    int
	next http.RoundTripper
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n++
	return c.next.RoundTrip(r)
}

func TestHTTPClientIsUsedNotMutated(t *testing.T) {
	srv := hexoskintest.New(t)
	ct := &countingTransport{next: http.DefaultTransport}
	hc := &http.Client{Transport: ct, Timeout: 7 * time.Second}
	c := newClient(t, srv, hexoskin.WithHTTPClient(hc), hexoskin.WithUserAgent("my-app/1.0"))
	_, err := c.Record(context.Background(), hexoskintest.RecordID)
	require.NoError(t, err)
	assert.Equal(t, 1, ct.n)
	assert.Same(t, ct, hc.Transport, "the caller's client is not modified")
	assert.Equal(t, 7*time.Second, hc.Timeout)
	e, _ := srv.Log.Last()
	assert.True(t, strings.HasPrefix(e.Header.Get("User-Agent"), "wearkit/"))
	assert.True(t, strings.HasSuffix(e.Header.Get("User-Agent"), " my-app/1.0"))
}
