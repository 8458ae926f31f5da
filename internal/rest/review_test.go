package rest

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

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

// A redirect to another host whose target carries the bearer token under a
// key not on the list, then a transport failure there: the *url.Error's URL
// is the target's.
func TestRedirectTargetURLInTransportErrorIsScrubbed(t *testing.T) {
	dead := closedAddr(t)
	srv := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		http.Redirect(w, r, "http://"+dead+"/cb?state="+tok, http.StatusFound)
	}))
	c := newClient(t, srv.URL, func(cfg *Config) {
		cfg.Retry.MaxAttempts = 1
		cfg.Auth = BearerAuth(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "at-redirect-5ecret"}))
	})
	_, err := c.Do(context.Background(), &wearkit.Request{Path: "x"}, nil)
	require.Error(t, err)
	assertChainClean(t, "redirect target", err, "at-redirect-5ecret")
}

// A plain oauth2 token source (oauth2.Config's) fails with a RetrieveError
// that holds the token request's *http.Response: scrubbing it must keep
// *wearkit.AuthError reachable.
func TestPlainSourceRetrieveErrorKeepsAuthError(t *testing.T) {
	srv := wearkittest.Start(t, echoHandler())
	ts := tokenSourceFunc(func() (*oauth2.Token, error) {
		return nil, &oauth2.RetrieveError{
			Response:  &http.Response{Status: "400 Bad Request", StatusCode: 400, Header: http.Header{"Content-Type": {"application/json"}}},
			Body:      []byte(`{"error":"invalid_grant"}`),
			ErrorCode: "invalid_grant",
		}
	})
	c := newClient(t, srv.URL, func(cfg *Config) { cfg.Auth = BearerAuth(ts) })
	_, err := c.Do(context.Background(), &wearkit.Request{Path: "x"}, nil)
	require.ErrorIs(t, err, wearkit.ErrUnauthorized)
	var ae *wearkit.AuthError
	require.ErrorAs(t, err, &ae, "the credential failure keeps its type")
	var re *oauth2.RetrieveError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "invalid_grant", re.ErrorCode)
	assert.Nil(t, re.Response.Request, "no token request leaves")
}

// An answer exactly MaxResponseSize long decodes; one byte more fails.
func TestMaxResponseSizeExactlyAtTheLimit(t *testing.T) {
	body := `{"method":"` + strings.Repeat("x", 100) + `"}`
	srv := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(body + r.URL.Query().Get("tail")))
	}))
	c := newClient(t, srv.URL, func(cfg *Config) { cfg.MaxResponseSize = int64(len(body)) })
	var e echo
	_, err := c.Do(context.Background(), &wearkit.Request{Path: "x"}, &e)
	require.NoError(t, err)
	assert.Len(t, e.Method, 100)
	_, err = c.Do(context.Background(), &wearkit.Request{Path: "x?tail=%20"}, &e)
	require.ErrorIs(t, err, wearkit.ErrTooLarge)
}

// Do with an out it cannot decode into must say so before the request goes
// out (a POST must not be sent for nothing).
func TestDoRejectsUnusableOutBeforeSending(t *testing.T) {
	srv := wearkittest.Start(t, echoHandler())
	c := newClient(t, srv.URL, nil)
	var typedNil *echo
	for name, out := range map[string]any{"struct value": echo{}, "typed nil pointer": typedNil, "map value": map[string]any{}} {
		_, err := c.Do(context.Background(), &wearkit.Request{Method: "POST", Path: "x", Body: map[string]int{"a": 1}}, out)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), "out", name)
	}
	assert.Equal(t, 0, srv.Log.Len(), "nothing was sent")
}

// Errors made before anything is sent start with the vendor's name too.
func TestPreSendErrorsStartWithVendor(t *testing.T) {
	c := newClient(t, "http://127.0.0.1:1/", func(cfg *Config) { cfg.Vendor = "acme" })
	for name, r := range map[string]*wearkit.Request{
		"bad path":  {Path: "/x%zz/"},
		"bad query": {Path: "x", Query: 42},
		"bad body":  {Method: "POST", Path: "x", Body: func() {}},
	} {
		_, err := c.Do(context.Background(), r, nil)
		require.Error(t, err, name)
		assert.True(t, strings.HasPrefix(err.Error(), "acme: "), "%s: %q", name, err)
	}
}

// A context reused for several calls: a call that got no answer must not
// leave the previous call's answer in the captured Response.
func TestCaptureResponseAfterTransportFailureIsNotStale(t *testing.T) {
	srv := wearkittest.Start(t, echoHandler())
	var meta wearkit.Response
	ctx := wearkit.CaptureResponse(context.Background(), &meta)
	c := newClient(t, srv.URL, nil)
	_, err := c.Do(ctx, &wearkit.Request{Path: "x"}, nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, meta.StatusCode)

	dead := newClient(t, "http://"+closedAddr(t), func(cfg *Config) { cfg.Retry.MaxAttempts = 2 })
	_, err = dead.Do(ctx, &wearkit.Request{Path: "x"}, nil)
	require.Error(t, err)
	assert.Equal(t, 0, meta.StatusCode, "no answer came")
	assert.Nil(t, meta.Header)
	assert.Equal(t, 2, meta.Attempts)
}

// A redirect to another host whose target carries the token under a key not
// on the list, answering 200 with a body that does not decode: the
// DecodeError names the last hop's URL.
func TestDecodeErrorAfterRedirectIsScrubbed(t *testing.T) {
	other := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("not json"))
	}))
	srv := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		http.Redirect(w, r, other.URL+"/cb?state="+tok, http.StatusFound)
	}))
	c := newClient(t, srv.URL, func(cfg *Config) {
		cfg.Auth = BearerAuth(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "at-decode-5ecret"}))
	})
	var e echo
	_, err := c.Do(context.Background(), &wearkit.Request{Path: "x"}, &e)
	var de *wearkit.DecodeError
	require.ErrorAs(t, err, &de)
	assertChainClean(t, "decode error after redirect", err, "at-decode-5ecret")
}

// A path copied from an OAuth implicit-flow redirect keeps its fragment
// (#access_token=...): the fragment is never sent, and must not be printed.
func TestFragmentSecretsNeverInErrors(t *testing.T) {
	srv := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wearkittest.WriteJSON(w, http.StatusNotFound, map[string]string{"detail": "no"})
	}))
	c := newClient(t, srv.URL, nil)
	_, err := c.Do(context.Background(), &wearkit.Request{Path: "cb#access_token=at-frag-5ecret&state=s"}, nil)
	require.ErrorIs(t, err, wearkit.ErrNotFound)
	assertChainClean(t, "fragment", err, "at-frag-5ecret")
	for _, e := range srv.Log.Entries() {
		assert.NotContains(t, e.String(), "at-frag-5ecret")
	}
}

// The debug log names each hop's path: a redirect whose target path carries
// the token must not print it.
func TestLogPathOfRedirectHopIsScrubbed(t *testing.T) {
	other := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wearkittest.WriteJSON(w, http.StatusOK, map[string]string{})
	}))
	srv := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		http.Redirect(w, r, other.URL+"/sessions/"+tok+"/", http.StatusFound)
	}))
	var logs bytes.Buffer
	c := newClient(t, srv.URL, func(cfg *Config) {
		cfg.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		cfg.Auth = BearerAuth(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "at-logpath-5ecret"}))
	})
	_, err := c.Do(context.Background(), &wearkit.Request{Path: "x"}, nil)
	require.NoError(t, err)
	require.Contains(t, logs.String(), "/sessions/")
	assert.NotContains(t, logs.String(), "at-logpath-5ecret")
}

// A vendor message longer than the kept body is cut like the body: the
// error's text stays bounded.
func TestLongVendorMessageIsBounded(t *testing.T) {
	srv := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wearkittest.WriteJSON(w, http.StatusBadRequest, map[string]string{"message": strings.Repeat("é", 7000)})
	}))
	c := newClient(t, srv.URL, nil)
	_, err := c.Do(context.Background(), &wearkit.Request{Path: "x"}, nil)
	var e *wearkit.Error
	require.ErrorAs(t, err, &e)
	assert.LessOrEqual(t, len(e.Message), wearkit.MaxErrorBody)
	assert.True(t, utf8.ValidString(e.Message), "cut on a character boundary")
	assert.Less(t, len(err.Error()), 2*wearkit.MaxErrorBody)
}
