// Package hexoskintest is a fake Hexoskin REST API for tests and examples.
//
// One table (Schema) describes every resource as the real 3.3.x API's
// schema does: allowed list and detail methods, filters with their types,
// orderings and fields. The fake serves /api/ and /api/<resource>/schema/
// from it and answers from it: 405 to a method the row does not allow
// (PATCH on list views creates or updates objects as Tastypie does), 400 to
// a filter on a field that does not allow it, a filter type not listed, a
// value the field's type cannot hold or an order_by column not listed,
// while query parameters that name no field ("_=1") are ignored; a path
// without its trailing slash is 404.
//
// It checks API-key signatures (recomputed over the exact URL received,
// and refusing an X-HEXOTIMESTAMP more than five minutes off its clock),
// HTTP Basic credentials (also when sent beside a key) and OAuth2 bearer
// tokens; serves seeded users, profiles, records, ranges, datatypes,
// metrics, annotations, tracks, trackpoints, training routines, activity
// types and devices as Tastypie list and detail views (limit up to 1000
// with limit=0 meaning 1000, meta.next and previous links); answers
// /api/data/ in JSON (subsampled past 65535 points per datatype, like the
// real server), CSV, binary zips (WAV and .hxd) and EDF; serves a study
// with groups, subjects, a planning (refusing schedules past 5 years) and
// the calendar it generates, a survey taking responses, TCX and FIT
// exports and imports with a progress resource, reports, user operations,
// bundle permissions, an OAuth2 client and tokens; and takes fault scripts
// through the embedded wearkittest.Server.
package hexoskintest

import (
	"crypto/sha1"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wearkit/wearkit/wearkittest"
)

// Credentials the fake accepts unless options change them. The keys are the
// examples of the Hexoskin documentation.
const (
	PublicKey    = "3X4mP1ePu6licK3y"
	PrivateKey   = "3x4mPl3pR1v4tEK3y3x4mPl3pR1v4tEK3y"
	Username     = "athlete@example.com"
	Password     = "demo-password"
	ClientID     = "fake-client-id"
	ClientSecret = "fake-client-secret"
	AuthCode     = "fake-authorization-code"
	AccessToken  = "fake-access-token"
	RefreshToken = "fake-refresh-token"
)

// UserID is the id of the seeded authenticated user ("Athlete Hexoskin");
// FriendID is a second user it can see.
const (
	UserID   = 1511
	FriendID = 1512
)

// MaxSkew is how far X-HEXOTIMESTAMP may be from the fake's clock.
const MaxSkew = 5 * time.Minute

// MaxDataPoints is the per-datatype cap of JSON and CSV data answers.
const MaxDataPoints = 65535

// Server is a running fake. Its embedded wearkittest.Server gives URL, the
// request Log, the Faults script and the Clock.
type Server struct {
	*wearkittest.Server

	// Keys and credentials the fake accepts.
	PublicKey, PrivateKey string
	Username, Password    string

	mu         sync.Mutex
	store      map[string]*collection
	thin       bool
	cachedAt   time.Time
	subsampled int
	dataCalls  int
	extra      int
	clock      *wearkittest.Clock
	tokens     map[string]bool
	people     map[string]*wearkittest.Person
	maxSkew    time.Duration
	done       map[string]bool
	ops        []map[string]any
}

// Option configures a fake.
type Option func(*Server)

// WithClock makes the fake judge X-HEXOTIMESTAMP against c.
func WithClock(c *wearkittest.Clock) Option { return func(s *Server) { s.clock = c } }

// WithKeys sets the API key pair the fake accepts.
func WithKeys(public, private string) Option {
	return func(s *Server) { s.PublicKey, s.PrivateKey = public, private }
}

// WithRecords seeds n more records for UserID, one per hour from
// 2015-01-01T00:00:00Z, with ids 100000.. (for paging tests).
func WithRecords(n int) Option { return func(s *Server) { s.extra = n } }

// WithThinData makes JSON data answers carry only the first and last point
// of each datatype (after subsampling), so tests can ask for long spans
// cheaply; the fake still counts what it would have subsampled.
func WithThinData() Option { return func(s *Server) { s.thin = true } }

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
		PublicKey: PublicKey, PrivateKey: PrivateKey,
		Username: Username, Password: Password,
		tokens:  map[string]bool{AccessToken: true},
		maxSkew: MaxSkew,
	}
	for _, o := range opts {
		o(s)
	}
	if s.clock == nil {
		s.clock = &wearkittest.Clock{}
	}
	s.seed()
	return s
}

// SetCached makes every later GET answer carry X-HexoCache: at (Unix
// seconds); the zero time stops it.
func (s *Server) SetCached(at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cachedAt = at
}

// Subsampled returns how many JSON or CSV data answers the fake had to
// subsample because a datatype exceeded MaxDataPoints points.
func (s *Server) Subsampled() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.subsampled
}

// DataCalls returns how many /api/data/ requests were answered.
func (s *Server) DataCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dataCalls
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/api/connect/oauth2/token/" {
		s.token(w, r)
		return
	}
	if !s.authorized(w, r) {
		return
	}
	s.mu.Lock()
	cached := s.cachedAt
	s.mu.Unlock()
	if !cached.IsZero() && r.Method == http.MethodGet {
		w.Header().Set("X-HexoCache", strconv.FormatInt(cached.Unix(), 10))
	}
	if !strings.HasSuffix(r.URL.Path, "/") { // Tastypie's URLs need the trailing slash
		writeError(w, http.StatusNotFound, "Not found.")
		return
	}
	if r.URL.Path == "/api/" {
		serveIndex(w, r)
		return
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(parts) < 2 || len(parts) > 3 || parts[0] != "api" {
		writeError(w, http.StatusNotFound, "Not found.")
		return
	}
	res := lookup(parts[1])
	if res == nil {
		writeError(w, http.StatusNotFound, "Not found.")
		return
	}
	if len(parts) == 3 && parts[2] == "schema" {
		serveSchema(w, r, res)
		return
	}
	detail := len(parts) == 3
	if !res.allows(r.Method, detail) {
		writeError(w, http.StatusMethodNotAllowed, "Method not allowed.")
		return
	}
	var conds []cond
	if !detail && r.Method == http.MethodGet {
		var err error
		if conds, err = res.checkQuery(r.URL.Query()); err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
	}
	if s.serveExtra(w, r, res, parts) {
		return
	}
	switch {
	case res.Name == "data":
		s.data(w, r)
	case res.Name == "account":
		s.account(w, r)
	case !detail:
		s.list(w, r, res, conds)
	default:
		s.detail(w, r, res.Name, parts[2])
	}
}

// authorized checks the request's credentials and answers 401 if they fail.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	if key := r.Header.Get("X-HEXOAPIKEY"); key != "" {
		ts, err := strconv.ParseInt(r.Header.Get("X-HEXOTIMESTAMP"), 10, 64)
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		full := scheme + "://" + r.Host + r.RequestURI
		skew := s.clock.Now().Sub(time.Unix(ts, 0))
		if err != nil || key != s.PublicKey || skew > s.maxSkew || skew < -s.maxSkew ||
			r.Header.Get("X-HEXOAPISIGNATURE") != sign(s.PrivateKey, ts, full) {
			writeError(w, http.StatusUnauthorized, "API signature failed.")
			return false
		}
		// Hexoskin's client sends Basic credentials beside the key: they
		// are checked too, a valid signature does not excuse them.
		if u, p, ok := r.BasicAuth(); ok && (u != s.Username || p != s.Password) {
			writeError(w, http.StatusUnauthorized, "Invalid username or password.")
			return false
		}
		return true
	}
	if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "Bearer ") {
		s.mu.Lock()
		ok := s.tokens[strings.TrimPrefix(auth, "Bearer ")]
		s.mu.Unlock()
		if !ok {
			writeError(w, http.StatusUnauthorized, "Invalid token.")
		}
		return ok
	}
	if u, p, ok := r.BasicAuth(); ok {
		if u == s.Username && p == s.Password {
			return true
		}
		writeError(w, http.StatusUnauthorized, "Invalid username or password.")
		return false
	}
	writeError(w, http.StatusUnauthorized, "Authentication required.")
	return false
}

func sign(private string, ts int64, url string) string {
	sum := sha1.Sum([]byte(private + strconv.FormatInt(ts, 10) + url))
	return hex.EncodeToString(sum[:])
}

// token is the OAuth2 token endpoint: password, authorization_code and
// refresh_token grants, client credentials as HTTP Basic.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeError(w, http.StatusMethodNotAllowed, "Method not allowed.")
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok || id != ClientID || secret != ClientSecret {
		wearkittest.WriteJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client"})
		return
	}
	if err := r.ParseForm(); err != nil {
		wearkittest.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request"})
		return
	}
	f := r.PostForm
	switch f.Get("grant_type") {
	case "password":
		ok = f.Get("username") == s.Username && f.Get("password") == s.Password
	case "authorization_code":
		ok = f.Get("code") == AuthCode
	case "refresh_token":
		ok = f.Get("refresh_token") == RefreshToken
	default:
		wearkittest.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": "unsupported_grant_type"})
		return
	}
	if !ok {
		wearkittest.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant"})
		return
	}
	wearkittest.WriteJSON(w, http.StatusOK, map[string]any{
		"access_token": AccessToken, "token_type": "Bearer", "expires_in": 36000,
		"refresh_token": RefreshToken, "scope": "readwrite",
	})
}

func writeError(w http.ResponseWriter, status int, msg string) {
	wearkittest.WriteJSON(w, status, map[string]string{"error": msg})
}

// FaultOnOffset returns a fault that answers status to the list request
// for the page at offset (for tests of paging failures).
func FaultOnOffset(offset, status int) wearkittest.Fault {
	want := strconv.Itoa(offset)
	return wearkittest.Fault{
		Status: status,
		Body:   `{"error": "injected"}`,
		Match:  func(r *http.Request) bool { return r.URL.Query().Get("offset") == want },
	}
}

// Fault405 returns a fault answering 405 as the API does to a method a
// resource does not allow.
func Fault405() wearkittest.Fault {
	return wearkittest.Fault{Status: http.StatusMethodNotAllowed, Body: `{"error": "Method not allowed."}`}
}

// TruncateData returns a fault that sends only the first n bytes of the
// next /api/data/ answer, then drops the connection.
func TruncateData(n int) wearkittest.Fault {
	return wearkittest.Fault{TruncateAfter: n, Match: wearkittest.MatchPath("GET", "/api/data/")}
}
