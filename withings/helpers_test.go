package withings_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
	"golang.org/x/time/rate"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/wearkittest"
	"github.com/wearkit/wearkit/withings"
	"github.com/wearkit/wearkit/withings/withingstest"
)

// fixedNow is the fake's clock in tests that print or count data.
var fixedNow = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

func config(srv *withingstest.Server) *withings.Config {
	return &withings.Config{
		ClientID: withingstest.ClientID, ClientSecret: withingstest.ClientSecret,
		RedirectURL: withingstest.RedirectURL, Scopes: []string{withings.ScopeMetrics, withings.ScopeActivity},
		Endpoint: srv.Endpoint(),
	}
}

// fast are options for tests: no client-side limit, quick retries.
func fast(extra ...withings.Option) []withings.Option {
	return append([]withings.Option{
		withings.WithLimiter(rate.NewLimiter(rate.Inf, 1)),
		withings.WithRetry(4, time.Millisecond, 5*time.Millisecond),
		withings.WithNotifySpacing(0),
	}, extra...)
}

// newClient returns a client of srv over a memory store holding a fresh
// token, and the store.
func newClient(t *testing.T, srv *withingstest.Server, opts ...withings.Option) (*withings.Client, *wearkit.MemoryTokenStore) {
	t.Helper()
	store := wearkit.NewMemoryTokenStore(srv.Token())
	ts := config(srv).TokenSource(context.Background(), store)
	c, err := withings.New(append(fast(withings.WithBaseURL(srv.URL), withings.WithTokenSource(ts)), opts...)...)
	require.NoError(t, err)
	return c, store
}

// authorize runs the authorization page of the fake and returns the code.
func authorize(t *testing.T, cfg *withings.Config) string {
	t.Helper()
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(cfg.AuthCodeURL("st4te"))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode)
	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, "st4te", loc.Query().Get("state"))
	return loc.Query().Get("code")
}

// expired returns a copy of tok that the client holds expired.
func expired(tok *oauth2.Token) *oauth2.Token {
	cp := *tok
	cp.Expiry = time.Now().Add(-time.Minute)
	return &cp
}

// recordingStore wraps a store and notes events in a shared log.
type recordingStore struct {
	wearkit.TokenStore
	ev      *events
	failing func() bool
}

func (s *recordingStore) Save(ctx context.Context, tok *oauth2.Token) error {
	if s.failing != nil && s.failing() {
		s.ev.add("save failed")
		return errors.New("disk full")
	}
	if err := s.TokenStore.Save(ctx, tok); err != nil {
		return err
	}
	s.ev.add("save " + tok.RefreshToken + " " + tok.AccessToken)
	return nil
}

type events struct {
	mu  sync.Mutex
	all []string
}

func (e *events) add(s string) { e.mu.Lock(); e.all = append(e.all, s); e.mu.Unlock() }
func (e *events) list() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.all...)
}

// usingTransport notes the bearer token of every API request.
type usingTransport struct{ ev *events }

func (u usingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if a := r.Header.Get("Authorization"); a != "" {
		u.ev.add("use " + a[len("Bearer "):])
	}
	return http.DefaultTransport.RoundTrip(r)
}

func fixedClock() *wearkittest.Clock { return wearkittest.NewClock(fixedNow) }

func reqIntraday(start, end time.Time) *wearkit.Request {
	return &wearkit.Request{Path: "v2/measure", Query: url.Values{"action": {"getintradayactivity"},
		"startdate": {strconv.FormatInt(start.Unix(), 10)}, "enddate": {strconv.FormatInt(end.Unix(), 10)}}}
}

func httpTestServer(h http.Handler) *httptest.Server { return httptest.NewServer(h) }
