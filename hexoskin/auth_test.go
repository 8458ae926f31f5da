package hexoskin_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/hexoskin"
	"github.com/wearkit/wearkit/hexoskin/hexoskintest"
)

// The worked example of the Hexoskin documentation: private key
// 3x4mPl3pR1v4tEK3y3x4mPl3pR1v4tEK3y, timestamp 1400000000, the user
// resource on the default host.
func TestSignDocumentationExample(t *testing.T) {
	got := hexoskin.Sign("3x4mPl3pR1v4tEK3y3x4mPl3pR1v4tEK3y", 1400000000, "https://api.hexoskin.com/api/user/")
	assert.Equal(t, "88c7a8e7b35f145ddac98f861476d89dc6604fb3", got)
	// The URL is part of the signature, query string included.
	assert.NotEqual(t, got, hexoskin.Sign("3x4mPl3pR1v4tEK3y3x4mPl3pR1v4tEK3y", 1400000000, "https://api.hexoskin.com/api/user/?limit=1"))
}

func TestAPIKeyHeadersOnTheWire(t *testing.T) {
	srv := hexoskintest.New(t)
	now := time.Unix(1700000000, 0)
	srv.Clock.Set(now)
	c := newClient(t, srv, hexoskin.WithClock(func() time.Time { return now }))
	_, err := c.User(context.Background(), hexoskintest.UserID)
	require.NoError(t, err)
	e, ok := srv.Log.Last()
	require.True(t, ok)
	assert.Equal(t, hexoskintest.PublicKey, e.Header.Get("X-HEXOAPIKEY"))
	assert.Equal(t, "1700000000", e.Header.Get("X-HEXOTIMESTAMP"))
	full := srv.URL + "/api/user/1511/"
	assert.Equal(t, hexoskin.Sign(hexoskintest.PrivateKey, 1700000000, full), e.Header.Get("X-HEXOAPISIGNATURE"))
	assert.Equal(t, hexoskin.DefaultAPIVersion, e.Header.Get("X-HexoAPIVersion"))
	assert.NotContains(t, e.String(), hexoskintest.PrivateKey)
	for k, vs := range e.Header {
		for _, v := range vs {
			assert.NotContains(t, v, hexoskintest.PrivateKey, k)
		}
	}
}

func TestRetryIsSignedAgain(t *testing.T) {
	srv := hexoskintest.New(t)
	var tick int64 = 1700000000
	srv.Clock.Set(time.Unix(tick, 0))
	clock := func() time.Time { tick++; return time.Unix(tick, 0) }
	c := newClient(t, srv, hexoskin.WithClock(clock))
	srv.Faults.Statuses("", http.StatusServiceUnavailable, http.StatusBadGateway)

	got := collect(t, c.Records(context.Background(), &hexoskin.RecordListOptions{User: hexoskintest.UserID}))
	require.Len(t, got, 2)

	entries := srv.Log.Entries()
	require.Len(t, entries, 3, "two faults then the answer")
	seen := map[string]bool{}
	for _, e := range entries {
		ts, err := strconv.ParseInt(e.Header.Get("X-HEXOTIMESTAMP"), 10, 64)
		require.NoError(t, err)
		u := srv.URL + e.Path + "?" + e.RawQuery
		assert.Equal(t, hexoskin.Sign(hexoskintest.PrivateKey, ts, u), e.Header.Get("X-HEXOAPISIGNATURE"), "attempt signed over its own timestamp and URL")
		seen[e.Header.Get("X-HEXOAPISIGNATURE")] = true
	}
	assert.Len(t, seen, 3, "every attempt carries a fresh signature")
}

func TestStaleOrWrongSignatureIsUnauthorized(t *testing.T) {
	srv := hexoskintest.New(t)
	srv.Clock.Set(time.Unix(1700000000, 0))

	stale := newClient(t, srv, hexoskin.WithClock(func() time.Time { return time.Unix(1700000000-6*60, 0) }))
	_, err := stale.Account(context.Background())
	require.Error(t, err)
	assert.ErrorIs(t, err, wearkit.ErrUnauthorized)
	var he *wearkit.Error
	require.True(t, errors.As(err, &he))
	assert.Equal(t, http.StatusUnauthorized, he.StatusCode)
	assert.Equal(t, "API signature failed.", he.Message)
	assert.Equal(t, 1, he.Attempts, "401 is not retried")

	fresh := newClient(t, srv, hexoskin.WithClock(func() time.Time { return time.Unix(1700000000-4*60, 0) }))
	_, err = fresh.Account(context.Background())
	require.NoError(t, err, "4 minutes of skew is accepted")

	wrong, err := hexoskin.New(hexoskin.WithBaseURL(srv.URL), hexoskin.WithAPIKey(hexoskintest.PublicKey, "not-the-key"),
		hexoskin.WithClock(func() time.Time { return time.Unix(1700000000, 0) }))
	require.NoError(t, err)
	_, err = wrong.Account(context.Background())
	assert.ErrorIs(t, err, wearkit.ErrUnauthorized)
	assert.NotContains(t, err.Error(), "not-the-key")
}

func TestBasicAuth(t *testing.T) {
	srv := hexoskintest.New(t)
	c, err := hexoskin.New(hexoskin.WithBaseURL(srv.URL), hexoskin.WithBasicAuth(hexoskintest.Username, hexoskintest.Password))
	require.NoError(t, err)
	u, err := c.Account(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(hexoskintest.UserID), u.ID)

	bad, err := hexoskin.New(hexoskin.WithBaseURL(srv.URL), hexoskin.WithBasicAuth(hexoskintest.Username, "wrong"))
	require.NoError(t, err)
	_, err = bad.Account(context.Background())
	assert.ErrorIs(t, err, wearkit.ErrUnauthorized)
}

func TestOAuth2Grants(t *testing.T) {
	srv := hexoskintest.New(t)
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, srv.Client())
	cfg := hexoskin.OAuth2Config(srv.URL, hexoskintest.ClientID, hexoskintest.ClientSecret, "https://app.example/cb", hexoskin.ScopeReadOnly)

	auth, err := url.Parse(cfg.AuthCodeURL("state-1"))
	require.NoError(t, err)
	assert.Equal(t, "/api/connect/oauth2/auth/", auth.Path)
	assert.Equal(t, "readonly", auth.Query().Get("scope"))

	// Password grant.
	ts, err := hexoskin.PasswordTokenSource(ctx, cfg, hexoskintest.Username, hexoskintest.Password)
	require.NoError(t, err)
	c, err := hexoskin.New(hexoskin.WithBaseURL(srv.URL), hexoskin.WithTokenSource(ts))
	require.NoError(t, err)
	_, err = c.Account(context.Background())
	require.NoError(t, err)
	e, _ := srv.Log.Last()
	assert.Equal(t, "Bearer "+hexoskintest.AccessToken, e.Header.Get("Authorization"))

	_, err = hexoskin.PasswordTokenSource(ctx, cfg, hexoskintest.Username, "wrong")
	assert.Error(t, err)

	// Authorization-code grant.
	tok, err := cfg.Exchange(ctx, hexoskintest.AuthCode)
	require.NoError(t, err)
	c2, err := hexoskin.New(hexoskin.WithBaseURL(srv.URL), hexoskin.WithTokenSource(cfg.TokenSource(ctx, tok)))
	require.NoError(t, err)
	_, err = c2.Account(context.Background())
	require.NoError(t, err)

	// A token the server does not know.
	c3, err := hexoskin.New(hexoskin.WithBaseURL(srv.URL), hexoskin.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "nope"})))
	require.NoError(t, err)
	_, err = c3.Account(context.Background())
	assert.ErrorIs(t, err, wearkit.ErrUnauthorized)
}

func TestAPIVersionOption(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv, hexoskin.WithAPIVersion("3.4.1"))
	_, err := c.Datatype(context.Background(), hexoskin.ECG)
	require.NoError(t, err)
	e, _ := srv.Log.Last()
	assert.Equal(t, "3.4.1", e.Header.Get("X-HexoAPIVersion"))
}

func TestOptionsValidate(t *testing.T) {
	for name, opt := range map[string]hexoskin.Option{
		"WithAPIKey":      hexoskin.WithAPIKey("", "x"),
		"WithBaseURL":     hexoskin.WithBaseURL(" "),
		"WithHTTPClient":  hexoskin.WithHTTPClient(nil),
		"WithBasicAuth":   hexoskin.WithBasicAuth("", "p"),
		"WithTokenSource": hexoskin.WithTokenSource(nil),
		"WithAPIVersion":  hexoskin.WithAPIVersion(""),
		"WithRateLimit":   hexoskin.WithRateLimit(0, 1),
		"WithRetry":       hexoskin.WithRetry(0, 0, 0),
		"WithLogger":      hexoskin.WithLogger(nil),
		"WithUserAgent":   hexoskin.WithUserAgent(""),
		"WithClock":       hexoskin.WithClock(nil),
	} {
		_, err := hexoskin.New(opt)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), name)
	}
	_, err := hexoskin.New(hexoskin.WithBaseURL("ftp://x"))
	assert.Error(t, err)
	_, err = hexoskin.New(hexoskin.WithAPIKey("a", "b"), hexoskin.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "t"})))
	assert.Error(t, err)
	c, err := hexoskin.New()
	require.NoError(t, err)
	require.NotNil(t, c)
}

func TestUnauthenticatedFakeRequest(t *testing.T) {
	srv := hexoskintest.New(t)
	resp, err := srv.Client().Get(srv.URL + "/api/user/")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
}

func TestStoredTokenSourceRefreshesAndSaves(t *testing.T) {
	srv := hexoskintest.New(t)
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, srv.Client())
	cfg := hexoskin.OAuth2Config(srv.URL, hexoskintest.ClientID, hexoskintest.ClientSecret, "https://app.example/cb")
	store := wearkit.NewMemoryTokenStore(&oauth2.Token{
		AccessToken: "expired-access", RefreshToken: hexoskintest.RefreshToken, Expiry: time.Now().Add(-time.Hour),
	})
	ts, err := hexoskin.StoredTokenSource(ctx, cfg, store)
	require.NoError(t, err)
	c, err := hexoskin.New(hexoskin.WithBaseURL(srv.URL), hexoskin.WithTokenSource(ts))
	require.NoError(t, err)
	for range 3 {
		_, err = c.Account(context.Background())
		require.NoError(t, err)
	}
	assert.Equal(t, 1, srv.Log.Count("POST", hexoskin.TokenPath), "one refresh for three calls")
	e, _ := srv.Log.Last()
	assert.Equal(t, "Bearer "+hexoskintest.AccessToken, e.Header.Get("Authorization"))
	saved, err := store.Load(context.Background())
	require.NoError(t, err)
	assert.Equal(t, hexoskintest.AccessToken, saved.AccessToken, "the refreshed token was saved")
	assert.True(t, saved.Expiry.After(time.Now().Add(time.Hour)))

	// A refresh token the server refuses: the call fails as unauthorized.
	bad, err := hexoskin.StoredTokenSource(ctx, cfg, wearkit.NewMemoryTokenStore(&oauth2.Token{
		AccessToken: "x", RefreshToken: "revoked", Expiry: time.Now().Add(-time.Hour),
	}))
	require.NoError(t, err)
	c, err = hexoskin.New(hexoskin.WithBaseURL(srv.URL), hexoskin.WithTokenSource(bad))
	require.NoError(t, err)
	_, err = c.Account(context.Background())
	require.ErrorIs(t, err, wearkit.ErrUnauthorized)
	assert.Contains(t, err.Error(), "invalid_grant")

	_, err = hexoskin.StoredTokenSource(ctx, nil, store)
	require.Error(t, err)
}
