package rest

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/wearkittest"
)

// HTTP Basic credentials echoed decoded (Django-style "bad credentials
// bob:pw") must not survive in any field or link.
func TestBasicAuthEchoIsScrubbed(t *testing.T) {
	srv := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, _ := r.BasicAuth()
		wearkittest.WriteJSON(w, http.StatusUnauthorized, map[string]string{"detail": "bad credentials " + u + ":" + p + " (password " + p + ")"})
	}))
	c := newClient(t, srv.URL, func(cfg *Config) { cfg.Auth = BasicAuth("bob@example.com", "pw-basic-5ecret") })
	_, err := c.Do(context.Background(), &wearkit.Request{Path: "x"}, nil)
	require.ErrorIs(t, err, wearkit.ErrUnauthorized)
	assertChainClean(t, "basic echo", err, "pw-basic-5ecret")
}
