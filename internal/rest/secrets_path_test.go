package rest

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/wearkittest"
)

// A secret a request carries in its URL (a reset key in the path, a query
// key the engine does not know as secret), named in Request.Secrets, is
// scrubbed from the error's URL and text and from the debug log line, as
// Request.Secrets promises for "every error and log line": a 4xx answer, a
// transport error and a refused out all quoted it.
func TestRequestSecretsInTheURLAreScrubbed(t *testing.T) {
	const key = "reset-k3y-5ecret"
	srv := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
	}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := "http://" + ln.Addr().String()
	require.NoError(t, ln.Close())

	for _, base := range []string{srv.URL, closed} {
		var logs bytes.Buffer
		c := newClient(t, base, func(cfg *Config) {
			cfg.Retry.MaxAttempts = 1
			cfg.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		})
		for _, r := range []*wearkit.Request{
			{Method: http.MethodPost, Path: "reset/" + key + "/", Secrets: []string{key}},
			{Method: http.MethodPost, Path: "reset", Query: map[string][]string{"reset_key": {key}}, Secrets: []string{key}},
		} {
			_, err := c.Do(context.Background(), r, nil)
			require.Error(t, err, "%s %s", base, r.Path)
			assertChainClean(t, base+" "+r.Path, err, key)
			// An out Do refuses before sending.
			_, err = c.Do(context.Background(), r, 3)
			require.Error(t, err)
			assertChainClean(t, "refused out "+r.Path, err, key)
		}
		assert.NotContains(t, logs.String(), key, "the log of %s", base)
	}
}
