// Package withingstest is a fake Withings API for tests and examples.
//
// It speaks today's API as vendor-notes describe it, and enforces its
// rules: the authorization page (which consents at once and redirects with
// a code), the wrapped token endpoint POST /v2/oauth2 (action=requesttoken,
// client id and secret in the form, {"status","body"} answers, userid a
// string after a code exchange and a number after a refresh) and a flat
// RFC 6749 one at /oauth2/token; authorization codes that live 30 seconds
// and work once; refresh tokens that rotate (the old one dies as soon as
// the new access token is used, or 8 hours after the refresh); access
// tokens that live 3 hours; errors as HTTP 200 with a non-zero status; 601
// with wait_seconds past RequestsPerMinute requests in a minute; measure
// getmeas paging with "more" as 0/1 (left out on the last page) and the v2
// endpoints with a boolean "more"; the 24-hour cut of getintradayactivity
// and sleep get and the 7-day cut of sleep getsummary; and the HEAD check
// of a callback URL on subscribe. Its data (weigh-ins, activity, intraday
// steps, sleep, workouts, ECG) comes from wearkittest.NewPerson, so it is
// seeded, deterministic and plausible. The embedded wearkittest.Server
// gives the request Log, fault scripts and the Clock.
package withingstest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/wearkit/wearkit/wearkittest"
)

// Credentials and identities the fake uses unless options change them.
const (
	ClientID     = "fake-withings-client-id"
	ClientSecret = "fake-withings-client-secret"
	// RedirectURL is the redirect URL the fake's application is registered
	// with.
	RedirectURL = "https://app.example.com/withings/callback"
	// UserID is the id of the fake's one user.
	UserID = "13572468"
)

// Lifetimes and limits, as the real API has them.
const (
	CodeLifetime      = 30 * time.Second
	AccessLifetime    = 3 * time.Hour
	RefreshGrace      = 8 * time.Hour
	RequestsPerMinute = 120
	// DefaultPageSize is how many items one answer holds.
	DefaultPageSize = 200
	// DefaultHistory is how far back the fake user's data goes from the
	// fake's now.
	DefaultHistory = 60 * 24 * time.Hour
)

// Paths the fake serves.
const (
	AuthorizePath     = "/oauth2_user/authorize2"
	TokenPath         = "/v2/oauth2"
	StandardTokenPath = "/oauth2/token"
)

// Server is a running fake.
type Server struct {
	*wearkittest.Server

	clock    *wearkittest.Clock
	person   *wearkittest.Person
	redirect string
	pageSize int
	history  time.Duration
	target   func(string) string
	head     *http.Client

	mu         sync.Mutex
	limit      int
	hits       []time.Time
	seq        int
	codes      map[string]*code
	access     map[string]*access
	refresh    map[string]*refresh
	refreshes  int
	exchanges  int
	truncated  int
	subs       []subscription
	subscribes int
}

type code struct {
	issued   time.Time
	used     bool
	redirect string
}

type access struct {
	expiry  time.Time
	retires string // the refresh token that dies on this token's first use
	used    bool
}

type refresh struct {
	alive    bool
	retireAt time.Time // zero: no deadline yet
}

type subscription struct {
	url     string
	appli   int
	comment string
}

// Option configures a fake.
type Option func(*Server)

// WithClock makes the fake judge lifetimes and rate limits, and date its
// data, by c.
func WithClock(c *wearkittest.Clock) Option { return func(s *Server) { s.clock = c } }

// WithRateLimit sets the requests per minute past which the fake answers
// 601 (default RequestsPerMinute); 0 removes the limit.
func WithRateLimit(perMinute int) Option { return func(s *Server) { s.limit = perMinute } }

// WithPageSize sets how many items one answer holds (default
// DefaultPageSize), for paging tests.
func WithPageSize(n int) Option { return func(s *Server) { s.pageSize = max(n, 1) } }

// WithHistory sets how far back the user's data goes from the fake's now
// (default DefaultHistory); asking for older data gives nothing.
func WithHistory(d time.Duration) Option { return func(s *Server) { s.history = max(d, 24*time.Hour) } }

// WithCallbackTarget maps a subscription's callback URL (which must be
// HTTPS on a named host) to where the fake sends its HEAD check and its
// notifications, such as a local test server.
func WithCallbackTarget(f func(callbackURL string) string) Option {
	return func(s *Server) { s.target = f }
}

// WithRedirectURL sets the redirect URL the fake's application is
// registered with (default RedirectURL), such as a local example server's
// callback.
func WithRedirectURL(u string) Option { return func(s *Server) { s.redirect = u } }

// New starts a fake for the length of a test.
func New(t wearkittest.TB, opts ...Option) *Server {
	t.Helper()
	s := build(opts)
	s.Server = wearkittest.Start(t, s, wearkittest.WithClock(s.clock))
	return s
}

// NewServer starts a fake for a program (the examples); call Close.
func NewServer(opts ...Option) *Server {
	s := build(opts)
	s.Server = wearkittest.Serve(s, wearkittest.WithClock(s.clock))
	return s
}

func build(opts []Option) *Server {
	s := &Server{
		redirect: RedirectURL,
		pageSize: DefaultPageSize,
		history:  DefaultHistory,
		limit:    RequestsPerMinute,
		codes:    map[string]*code{},
		access:   map[string]*access{},
		refresh:  map[string]*refresh{},
		head:     &http.Client{Timeout: 2 * time.Second},
	}
	for _, o := range opts {
		o(s)
	}
	if s.clock == nil {
		s.clock = &wearkittest.Clock{}
	}
	p, err := wearkittest.NewPerson(wearkittest.PersonConfig{Seed: 1235, Age: 41, Sex: wearkittest.Male})
	if err != nil {
		panic("withingstest: the built-in person: " + err.Error())
	}
	s.person = p
	return s
}

// Endpoint returns the fake's OAuth2 endpoint (for withings.Config).
func (s *Server) Endpoint() oauth2.Endpoint {
	return oauth2.Endpoint{AuthURL: s.URL + AuthorizePath, TokenURL: s.URL + TokenPath, AuthStyle: oauth2.AuthStyleInParams}
}

// StandardEndpoint returns the fake's flat RFC 6749 token endpoint (for
// withings.Config with Style withings.TokenStandard).
func (s *Server) StandardEndpoint() oauth2.Endpoint {
	return oauth2.Endpoint{AuthURL: s.URL + AuthorizePath, TokenURL: s.URL + StandardTokenPath, AuthStyle: oauth2.AuthStyleInParams}
}

// Token issues a token to UserID as if the user had just authorized the
// application, for tests that skip the dance. Its Expiry follows the real
// clock; the fake judges it by its own.
func (s *Server) Token() *oauth2.Token {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, r := s.issue("")
	return (&oauth2.Token{AccessToken: a, RefreshToken: r, TokenType: "Bearer", Expiry: time.Now().Add(AccessLifetime)}).
		WithExtra(map[string]any{"userid": UserID})
}

// Refreshes returns how many refreshes the token endpoints granted.
func (s *Server) Refreshes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refreshes
}

// Exchanges returns how many authorization codes were exchanged.
func (s *Server) Exchanges() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.exchanges
}

// RefreshTokenAlive reports whether the token endpoint would still accept
// rt.
func (s *Server) RefreshTokenAlive(rt string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.refresh[rt]
	return r != nil && r.alive && (r.retireAt.IsZero() || s.clock.Now().Before(r.retireAt))
}

// RevokeAccessToken makes the API refuse at with status 401 (as when the
// user deauthorizes a session or Withings revokes a token early).
func (s *Server) RevokeAccessToken(at string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.access, at)
}

// Truncated returns how many calls the fake cut to its 24-hour (or
// 7-day) window.
func (s *Server) Truncated() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.truncated
}

// Subscribes returns how many subscribe calls the fake accepted.
func (s *Server) Subscribes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.subscribes
}

// issue makes a token pair; it retires rotated when the access token is
// first used. Callers hold s.mu.
func (s *Server) issue(rotated string) (accessToken, refreshToken string) {
	s.seq++
	accessToken = fmt.Sprintf("fake-access-%d-%x", s.seq, uint32(s.seq)*2654435761)
	refreshToken = fmt.Sprintf("fake-refresh-%d-%x", s.seq, uint32(s.seq*40503))
	s.access[accessToken] = &access{expiry: s.clock.Now().Add(AccessLifetime), retires: rotated}
	s.refresh[refreshToken] = &refresh{alive: true}
	return accessToken, refreshToken
}

// ServeHTTP routes a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Date", s.clock.Now().UTC().Format(http.TimeFormat))
	switch r.URL.Path {
	case AuthorizePath:
		s.authorize(w, r)
	case TokenPath:
		s.token(w, r, true)
	case StandardTokenPath:
		s.token(w, r, false)
	case "/measure", "/v2/measure", "/v2/sleep", "/v2/heart", "/v2/user", "/notify":
		s.api(w, r)
	default:
		fail(w, 2554, "Wrong action or wrong webservice")
	}
}

// ok answers {"status":0,"body":body}.
func ok(w http.ResponseWriter, body any) {
	wearkittest.WriteJSON(w, http.StatusOK, map[string]any{"status": 0, "body": body})
}

// fail answers a non-zero status inside an HTTP 200, as Withings does.
func fail(w http.ResponseWriter, status int, msg string) {
	wearkittest.WriteJSON(w, http.StatusOK, map[string]any{"status": status, "body": map[string]any{}, "error": msg})
}

func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch {
	case q.Get("response_type") != "code":
		http.Error(w, "response_type must be code", http.StatusBadRequest)
	case q.Get("client_id") != ClientID:
		http.Error(w, "unknown client_id", http.StatusBadRequest)
	case q.Get("redirect_uri") != s.redirect:
		http.Error(w, "redirect_uri does not match the application's", http.StatusBadRequest)
	case q.Get("state") == "":
		http.Error(w, "state is required", http.StatusBadRequest)
	case q.Get("scope") == "" || strings.Contains(q.Get("scope"), " "):
		http.Error(w, "scope must be comma-separated scopes", http.StatusBadRequest)
	default:
		s.mu.Lock()
		s.seq++
		c := fmt.Sprintf("fake-code-%d", s.seq)
		s.codes[c] = &code{issued: s.clock.Now(), redirect: q.Get("redirect_uri")}
		s.mu.Unlock()
		u, _ := url.Parse(s.redirect)
		v := u.Query()
		v.Set("code", c)
		v.Set("state", q.Get("state"))
		u.RawQuery = v.Encode()
		http.Redirect(w, r, u.String(), http.StatusFound)
	}
}

// tokenError is a refusal in the endpoint's style.
type tokenError struct {
	status int    // wrapped
	http   int    // standard
	code   string // standard
	msg    string
}

func (s *Server) token(w http.ResponseWriter, r *http.Request, wrapped bool) {
	tok, err := s.grant(r, wrapped)
	if err != nil {
		if wrapped {
			fail(w, err.status, err.msg)
		} else {
			wearkittest.WriteJSON(w, err.http, map[string]any{"error": err.code, "error_description": err.msg})
		}
		return
	}
	if wrapped {
		ok(w, tok)
	} else {
		wearkittest.WriteJSON(w, http.StatusOK, tok)
	}
}

func (s *Server) grant(r *http.Request, wrapped bool) (map[string]any, *tokenError) {
	if r.Method != http.MethodPost {
		return nil, &tokenError{2554, http.StatusMethodNotAllowed, "invalid_request", "the token endpoint takes POST"}
	}
	if err := r.ParseForm(); err != nil {
		return nil, &tokenError{503, http.StatusBadRequest, "invalid_request", "Invalid Params: the body is not a form"}
	}
	f := r.PostForm
	if r.URL.RawQuery != "" {
		return nil, &tokenError{503, http.StatusBadRequest, "invalid_request", "Invalid Params: parameters go in the body, not the URL"}
	}
	if wrapped && f.Get("action") != "requesttoken" {
		return nil, &tokenError{2554, 0, "", "Wrong action or wrong webservice"}
	}
	if f.Get("client_id") != ClientID || f.Get("client_secret") != ClientSecret {
		return nil, &tokenError{503, http.StatusUnauthorized, "invalid_client", "Invalid Params: invalid client_id or client_secret"}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	var userid any
	var at, rt string
	switch f.Get("grant_type") {
	case "authorization_code":
		c := s.codes[f.Get("code")]
		if c == nil || c.used || now.Sub(c.issued) > CodeLifetime || f.Get("redirect_uri") != c.redirect {
			return nil, &tokenError{503, http.StatusBadRequest, "invalid_grant", "Invalid Params: invalid code"}
		}
		c.used = true
		s.exchanges++
		at, rt = s.issue("")
		userid = UserID // a string after a code exchange
	case "refresh_token":
		old := f.Get("refresh_token")
		ref := s.refresh[old]
		if ref == nil || !ref.alive || (!ref.retireAt.IsZero() && !now.Before(ref.retireAt)) {
			return nil, &tokenError{503, http.StatusBadRequest, "invalid_grant", "Invalid Params: invalid refresh_token"}
		}
		if ref.retireAt.IsZero() {
			ref.retireAt = now.Add(RefreshGrace)
		}
		s.refreshes++
		at, rt = s.issue(old)
		n, _ := strconv.ParseInt(UserID, 10, 64)
		userid = n // a number after a refresh
	default:
		return nil, &tokenError{503, http.StatusBadRequest, "unsupported_grant_type", "Invalid Params: grant_type"}
	}
	return map[string]any{
		"userid": userid, "access_token": at, "refresh_token": rt, "expires_in": int(AccessLifetime / time.Second),
		"scope": "user.info,user.metrics,user.activity", "token_type": "Bearer",
	}, nil
}

// api checks the token and the rate limit, then runs the action.
func (s *Server) api(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		fail(w, 2554, "Wrong action or wrong webservice")
		return
	}
	if err := r.ParseForm(); err != nil {
		fail(w, 503, "Invalid Params: the body is not a form")
		return
	}
	if wait, limited := s.rateLimited(); limited {
		wearkittest.WriteJSON(w, http.StatusOK, map[string]any{"status": 601, "body": map[string]any{"wait_seconds": wait}, "error": "Too Many Requests"})
		return
	}
	if !s.authorized(r) {
		fail(w, 401, "XRequestError: invalid_token: The access token provided is invalid")
		return
	}
	key := strings.TrimPrefix(r.URL.Path, "/") + " " + r.Form.Get("action")
	h, found := s.actions()[key]
	if !found {
		fail(w, 2554, "Wrong action or wrong webservice")
		return
	}
	body, status, msg := h(r.Form)
	if status != 0 {
		fail(w, status, msg)
		return
	}
	ok(w, body)
}

func (s *Server) rateLimited() (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.limit <= 0 {
		return 0, false
	}
	now := s.clock.Now()
	keep := s.hits[:0]
	for _, t := range s.hits {
		if now.Sub(t) < time.Minute {
			keep = append(keep, t)
		}
	}
	s.hits = keep
	if len(s.hits) >= s.limit {
		wait := s.hits[0].Add(time.Minute).Sub(now)
		return max(int((wait+time.Second-1)/time.Second), 1), true
	}
	s.hits = append(s.hits, now)
	return 0, false
}

func (s *Server) authorized(r *http.Request) bool {
	h := r.Header.Get("Authorization")
	at, found := strings.CutPrefix(h, "Bearer ")
	if !found {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.access[at]
	if a == nil || !s.clock.Now().Before(a.expiry) {
		return false
	}
	if !a.used {
		a.used = true
		if ref := s.refresh[a.retires]; ref != nil {
			ref.alive = false // rotation: the old refresh token dies with the new token's first use
		}
	}
	return true
}

// HeadCheck sends the HEAD request Withings sends to a callback URL before
// it accepts a subscription.
func (s *Server) headCheck(ctx context.Context, callback string) error {
	target := callback
	if s.target != nil {
		target = s.target(callback)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, target, nil)
	if err != nil {
		return err
	}
	resp, err := s.head.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("HEAD answered %d", resp.StatusCode)
	}
	return nil
}

// Notify posts a notification of appli for [start, end] to every
// subscription of that category, as Withings does when data changes, and
// returns how many callbacks answered 2xx.
func (s *Server) Notify(ctx context.Context, appli int, start, end time.Time) (int, error) {
	s.mu.Lock()
	var urls []string
	for _, sub := range s.subs {
		if sub.appli == appli {
			urls = append(urls, sub.url)
		}
	}
	s.mu.Unlock()
	n := 0
	for _, u := range urls {
		target := u
		if s.target != nil {
			target = s.target(u)
		}
		form := url.Values{"userid": {UserID}, "appli": {strconv.Itoa(appli)},
			"startdate": {strconv.FormatInt(start.Unix(), 10)}, "enddate": {strconv.FormatInt(end.Unix(), 10)}}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(form.Encode()))
		if err != nil {
			return n, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := s.head.Do(req)
		if err != nil {
			return n, err
		}
		resp.Body.Close()
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			n++
		}
	}
	return n, nil
}

// validCallback applies Withings' rules to a callback URL.
func validCallback(raw string) bool {
	if raw == "" || len(raw) > 255 {
		return false
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Hostname() == "" {
		return false
	}
	if p := u.Port(); p != "" && p != "443" {
		return false
	}
	h := strings.ToLower(u.Hostname())
	return net.ParseIP(h) == nil && h != "localhost" && !strings.HasSuffix(h, ".localhost")
}
