package withings_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/wearkittest"
	"github.com/wearkit/wearkit/withings"
	"github.com/wearkit/wearkit/withings/withingstest"
)

func TestAuthCodeURL(t *testing.T) {
	cfg := &withings.Config{ClientID: "cid", RedirectURL: "https://app.example.com/cb", Scopes: []string{"user.info", "user.metrics"}}
	u, err := url.Parse(cfg.AuthCodeURL("xyz"))
	require.NoError(t, err)
	assert.Equal(t, "account.withings.com", u.Host)
	assert.Equal(t, "/oauth2_user/authorize2", u.Path)
	q := u.Query()
	assert.Equal(t, "code", q.Get("response_type"))
	assert.Equal(t, "cid", q.Get("client_id"))
	assert.Equal(t, "https://app.example.com/cb", q.Get("redirect_uri"))
	assert.Equal(t, "user.info,user.metrics", q.Get("scope"))
	assert.Equal(t, "xyz", q.Get("state"))
}

func TestExchangeBothStyles(t *testing.T) {
	for _, style := range []withings.TokenStyle{withings.TokenWrapped, withings.TokenStandard} {
		t.Run(fmt.Sprint(style), func(t *testing.T) {
			srv := withingstest.New(t)
			cfg := config(srv)
			cfg.Style = style
			if style == withings.TokenStandard {
				cfg.Endpoint = srv.StandardEndpoint()
			}
			tok, err := cfg.Exchange(context.Background(), authorize(t, cfg))
			require.NoError(t, err)
			assert.NotEmpty(t, tok.AccessToken)
			assert.NotEmpty(t, tok.RefreshToken)
			assert.Equal(t, withingstest.UserID, withings.UserID(tok), "userid comes as a string from the exchange")
			assert.WithinDuration(t, time.Now().Add(3*time.Hour), tok.Expiry, time.Minute)

			// The refresh answer gives userid as a number.
			fresh, err := cfg.Refresh(context.Background(), tok.RefreshToken)
			require.NoError(t, err)
			assert.Equal(t, withingstest.UserID, withings.UserID(fresh))
			assert.NotEqual(t, tok.RefreshToken, fresh.RefreshToken, "refresh tokens rotate")
			assert.Equal(t, 1, srv.Refreshes())

			// A refused refresh token is invalid_grant for the stored source.
			_, err = cfg.Refresh(context.Background(), "no-such-refresh-token")
			var re *oauth2.RetrieveError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, "invalid_grant", re.ErrorCode)
			assert.True(t, strings.HasPrefix(err.Error(), "withings: "), err.Error())
			assert.NotContains(t, err.Error(), withingstest.ClientSecret)
		})
	}
}

func TestExchangeExpiredOrReusedCode(t *testing.T) {
	clock := fixedClock()
	srv := withingstest.New(t, withingstest.WithClock(clock))
	cfg := config(srv)

	code := authorize(t, cfg)
	clock.Advance(31 * time.Second)
	_, err := cfg.Exchange(context.Background(), code)
	require.ErrorIs(t, err, withings.ErrInvalidCode)
	require.ErrorIs(t, err, wearkit.ErrUnauthorized)
	assert.Contains(t, err.Error(), "30 seconds")
	assert.Contains(t, err.Error(), "invalid code")
	assert.NotContains(t, err.Error(), code)

	code = authorize(t, cfg)
	clock.Advance(29 * time.Second)
	_, err = cfg.Exchange(context.Background(), code)
	require.NoError(t, err)
	_, err = cfg.Exchange(context.Background(), code)
	require.ErrorIs(t, err, withings.ErrInvalidCode, "a code works once")
}

func TestUserIDForms(t *testing.T) {
	assert.Equal(t, "", withings.UserID(nil))
	assert.Equal(t, "", withings.UserID(&oauth2.Token{AccessToken: "a"}))
	assert.Equal(t, "42", withings.UserID((&oauth2.Token{}).WithExtra(map[string]any{"userid": "42"})))
	assert.Equal(t, "42", withings.UserID((&oauth2.Token{}).WithExtra(map[string]any{"userid": float64(42)})))
}

// 100 goroutines on an expired token: one refresh, every call served.
func TestManyGoroutinesOneRefresh(t *testing.T) {
	srv := withingstest.New(t, withingstest.WithRateLimit(0))
	store := wearkit.NewMemoryTokenStore(expired(srv.Token()))
	ts := config(srv).TokenSource(context.Background(), store)
	c, err := withings.New(fast(withings.WithBaseURL(srv.URL), withings.WithTokenSource(ts))...)
	require.NoError(t, err)

	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Devices(context.Background())
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, 1, srv.Refreshes())
	saved, err := store.Load(context.Background())
	require.NoError(t, err)
	assert.True(t, srv.RefreshTokenAlive(saved.RefreshToken))
}

// Two clients, each with its own token source (as two processes would
// have), sharing one token file: one refresh between them.
func TestTwoSourcesShareFileStoreOneRefresh(t *testing.T) {
	srv := withingstest.New(t, withingstest.WithRateLimit(0))
	path := filepath.Join(t.TempDir(), "withings-token.json")
	require.NoError(t, wearkit.NewFileTokenStore(path).Save(context.Background(), expired(srv.Token())))

	var clients []*withings.Client
	for range 2 {
		ts := config(srv).TokenSource(context.Background(), wearkit.NewFileTokenStore(path))
		c, err := withings.New(fast(withings.WithBaseURL(srv.URL), withings.WithTokenSource(ts))...)
		require.NoError(t, err)
		clients = append(clients, c)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := clients[i%2].Devices(context.Background())
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, 1, srv.Refreshes())
	saved, err := wearkit.NewFileTokenStore(path).Load(context.Background())
	require.NoError(t, err)
	assert.True(t, srv.RefreshTokenAlive(saved.RefreshToken), "the file holds the living refresh token")
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
}

// The rotated refresh token is in the store before the new access token
// goes out (the old refresh token dies on that first use).
func TestStoreHoldsNewRefreshTokenBeforeUse(t *testing.T) {
	srv := withingstest.New(t)
	ev := &events{}
	old := expired(srv.Token())
	store := &recordingStore{TokenStore: wearkit.NewMemoryTokenStore(old), ev: ev}
	ts := config(srv).TokenSource(context.Background(), store)
	c, err := withings.New(fast(withings.WithBaseURL(srv.URL), withings.WithTokenSource(ts),
		withings.WithHTTPClient(&http.Client{Transport: usingTransport{ev}}))...)
	require.NoError(t, err)

	_, err = c.Devices(context.Background())
	require.NoError(t, err)
	got := ev.list()
	require.Len(t, got, 2, got)
	saved, err := store.Load(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "save "+saved.RefreshToken+" "+saved.AccessToken, got[0])
	assert.Equal(t, "use "+saved.AccessToken, got[1])
	assert.False(t, srv.RefreshTokenAlive(old.RefreshToken), "the old refresh token died when the new access token was used")
	assert.True(t, srv.RefreshTokenAlive(saved.RefreshToken))
}

// A store that fails to save: the error surfaces, the new token is not
// used, the stored (old) token still works, and once the store heals the
// kept token is saved without a second refresh.
func TestFailingStoreKeepsOldTokenUsable(t *testing.T) {
	srv := withingstest.New(t)
	ev := &events{}
	old := expired(srv.Token())
	mem := wearkit.NewMemoryTokenStore(old)
	var mu sync.Mutex
	broken := true
	store := &recordingStore{TokenStore: mem, ev: ev, failing: func() bool { mu.Lock(); defer mu.Unlock(); return broken }}
	ts := config(srv).TokenSource(context.Background(), store)
	c, err := withings.New(fast(withings.WithBaseURL(srv.URL), withings.WithTokenSource(ts),
		withings.WithHTTPClient(&http.Client{Transport: usingTransport{ev}}))...)
	require.NoError(t, err)

	_, err = c.Devices(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "disk full")
	assert.Equal(t, []string{"save failed"}, ev.list(), "no API request went out with an unsaved token")
	stored, err := mem.Load(context.Background())
	require.NoError(t, err)
	assert.Equal(t, old.RefreshToken, stored.RefreshToken)
	assert.True(t, srv.RefreshTokenAlive(old.RefreshToken), "the stored refresh token still works")

	mu.Lock()
	broken = false
	mu.Unlock()
	_, err = c.Devices(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1, srv.Refreshes(), "the kept token was saved, not refreshed again")
}

// A refresh that fails leaves the stored token as it was.
func TestFailedRefreshLeavesStoredToken(t *testing.T) {
	srv := withingstest.New(t)
	old := expired(srv.Token())
	store := wearkit.NewMemoryTokenStore(old)
	ts := config(srv).TokenSource(context.Background(), store)
	c, err := withings.New(fast(withings.WithBaseURL(srv.URL), withings.WithTokenSource(ts))...)
	require.NoError(t, err)

	srv.Faults.Push(wearkittest.Fault{Match: wearkittest.MatchPath("POST", withingstest.TokenPath), Status: 200,
		Body: `{"status":2555,"body":{},"error":"An unknown error occurred"}`})
	_, err = c.Devices(context.Background())
	require.Error(t, err)
	stored, err := store.Load(context.Background())
	require.NoError(t, err)
	assert.Equal(t, old.AccessToken, stored.AccessToken)
	assert.Equal(t, old.RefreshToken, stored.RefreshToken)
	assert.Equal(t, old.Expiry.Unix(), stored.Expiry.Unix())
	assert.Equal(t, 0, srv.Refreshes())

	_, err = c.Devices(context.Background())
	require.NoError(t, err, "the untouched token refreshes on the next call")
}

// 401 to a token the client held valid: one refresh, one retry.
func TestUnauthorizedRefreshesOnceAndRetries(t *testing.T) {
	srv := withingstest.New(t)
	c, store := newClient(t, srv)
	tok, err := store.Load(context.Background())
	require.NoError(t, err)
	srv.RevokeAccessToken(tok.AccessToken)

	devs, err := c.Devices(context.Background())
	require.NoError(t, err)
	assert.NotEmpty(t, devs)
	assert.Equal(t, 1, srv.Refreshes())
	assert.Equal(t, 2, srv.Log.Count("GET", "/v2/user"))

	// A token source that cannot refresh: the 401 is the answer.
	plain, err := withings.New(fast(withings.WithBaseURL(srv.URL), withings.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "revoked"})))...)
	require.NoError(t, err)
	_, err = plain.Devices(context.Background())
	require.ErrorIs(t, err, wearkit.ErrUnauthorized)
	var we *wearkit.Error
	require.ErrorAs(t, err, &we)
	assert.Equal(t, "401", we.Code)
	assert.True(t, strings.HasPrefix(err.Error(), "withings: GET "), err.Error())
	assert.NotContains(t, err.Error(), "revoked")
}

// 401 to many calls at once with the same token: still one refresh.
func TestUnauthorizedManyCallsOneRefresh(t *testing.T) {
	srv := withingstest.New(t, withingstest.WithRateLimit(0))
	c, store := newClient(t, srv)
	tok, err := store.Load(context.Background())
	require.NoError(t, err)
	srv.RevokeAccessToken(tok.AccessToken)
	var wg sync.WaitGroup
	var failed sync.Map
	for i := range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Devices(context.Background()); err != nil {
				failed.Store(i, err)
			}
		}()
	}
	wg.Wait()
	failed.Range(func(k, v any) bool { t.Errorf("call %v: %v", k, v); return true })
	assert.Equal(t, 1, srv.Refreshes())
}

// Process A refreshed and used the new token; process B still holds the
// old one in memory: the 401 makes it reload the store, not refresh.
func TestUnauthorizedReloadsStoreFirst(t *testing.T) {
	srv := withingstest.New(t)
	path := filepath.Join(t.TempDir(), "tok.json")
	first := srv.Token()
	require.NoError(t, wearkit.NewFileTokenStore(path).Save(context.Background(), first))
	tsB := config(srv).TokenSource(context.Background(), wearkit.NewFileTokenStore(path))
	_, err := tsB.Token() // B loads the token
	require.NoError(t, err)

	fresh, err := config(srv).Refresh(context.Background(), first.RefreshToken)
	require.NoError(t, err)
	require.NoError(t, wearkit.NewFileTokenStore(path).Save(context.Background(), fresh))
	srv.RevokeAccessToken(first.AccessToken)

	c, err := withings.New(fast(withings.WithBaseURL(srv.URL), withings.WithTokenSource(tsB))...)
	require.NoError(t, err)
	_, err = c.Devices(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1, srv.Refreshes(), "B used the saved token without refreshing")
}

// A token endpoint that echoes what it was sent: no code, secret or
// refresh token in the error, in either style.
func TestTokenErrorsScrubSecrets(t *testing.T) {
	srv := withingstest.New(t)
	cfg := config(srv)
	const code, refresh = "the-one-time-code-123", "the-refresh-token-456"
	echo := withingstest.ClientSecret + " " + code + " " + refresh
	srv.Faults.Push(wearkittest.Fault{Status: 200, Body: `{"status":503,"body":{},"error":"Invalid Params: ` + echo + `"}`})
	_, err := cfg.Exchange(context.Background(), code)
	require.ErrorIs(t, err, withings.ErrInvalidCode)
	srv.Faults.Push(wearkittest.Fault{Status: 200, Body: `{"status":503,"body":{},"error":"Invalid Params: ` + echo + `"}`})
	_, err2 := cfg.Refresh(context.Background(), refresh)
	require.Error(t, err2)
	std := config(srv)
	std.Style, std.Endpoint = withings.TokenStandard, srv.StandardEndpoint()
	srv.Faults.Push(wearkittest.Fault{Status: 400, Body: `{"error":"invalid_grant","error_description":"` + echo + `"}`})
	_, err3 := std.Refresh(context.Background(), refresh)
	var re *oauth2.RetrieveError
	require.ErrorAs(t, err3, &re)
	// Each error is checked for the secrets its own request carried.
	for e, sent := range map[error][]string{err: {withingstest.ClientSecret, code}, err2: {withingstest.ClientSecret, refresh}, err3: {withingstest.ClientSecret, refresh}} {
		assert.Contains(t, e.Error(), "REDACTED")
		for ; e != nil; e = errors.Unwrap(e) {
			for _, s := range sent {
				assert.NotContains(t, e.Error(), s)
			}
		}
	}
}

// staleStore shows its first snapshot to the first loads, as a store
// without a lock can when another process saves meanwhile.
type staleStore struct {
	wearkit.TokenStore
	mu    sync.Mutex
	stale *oauth2.Token
	left  int
}

func (s *staleStore) Load(ctx context.Context) (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.left > 0 {
		s.left--
		cp := *s.stale
		return &cp, nil
	}
	return s.TokenStore.Load(ctx)
}

// Another process rotated the refresh token and used the new access
// token: this one's refresh is refused with status 503, which the withings
// refresh reports as invalid_grant, so the stored source reloads the store
// and takes the other's token instead of losing the user.
func TestRefusedRefreshReloadsTheStore(t *testing.T) {
	srv := withingstest.New(t)
	old := expired(srv.Token())
	mem := wearkit.NewMemoryTokenStore(old)
	// The other process.
	other := config(srv).TokenSource(context.Background(), mem)
	otherClient, err := withings.New(fast(withings.WithBaseURL(srv.URL), withings.WithTokenSource(other))...)
	require.NoError(t, err)
	_, err = otherClient.Devices(context.Background())
	require.NoError(t, err)
	require.False(t, srv.RefreshTokenAlive(old.RefreshToken))

	// This process read the store before the other saved.
	this := config(srv).TokenSource(context.Background(), &staleStore{TokenStore: mem, stale: old, left: 2})
	c, err := withings.New(fast(withings.WithBaseURL(srv.URL), withings.WithTokenSource(this))...)
	require.NoError(t, err)
	_, err = c.Devices(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1, srv.Refreshes(), "the refused refresh reloaded the store and used the other's token")
	assert.Equal(t, 2, srv.Log.Count("POST", withingstest.TokenPath), "one granted refresh, one refused")
	saved, err := mem.Load(context.Background())
	require.NoError(t, err)
	assert.True(t, srv.RefreshTokenAlive(saved.RefreshToken))
}
