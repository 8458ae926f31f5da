// Package polartest is a fake polar-flow-server (version 1.5.0) for tests
// and examples.
//
// It serves the whole API over a seeded, deterministic 90-day data set of
// three users drawn from wearkittest.NewPerson (UserID, SecondUserID and
// NewUserID, whose five days keep its insights locked), computing
// baselines, anomalies, patterns, the analytics status and insights with
// the analytics package, so its numbers are the ones that package gives on
// the same points (see Points). It answers in the forms of the server's
// code by default and in those of its page with WithPageForms, and it
// enforces the server's rules: an API key on every data call (X-API-Key or
// Authorization: Bearer; a key scoped to another user is 401), user_id
// and days validated with the server's 400 body, a per-key rate limit
// with x-ratelimit-* headers and a 429 whose Retry-After is only in the
// body, X-Polar-Token on sync, 409 while a sync for the user is running,
// and 200 null for a night that does not exist. Faults come from the
// embedded wearkittest.Server.
package polartest

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wearkit/wearkit/wearkittest"
)

// Credentials the fake accepts unless options change them.
const (
	// APIKey is a database key for every user, rate limited.
	APIKey = "pfk_fake_database_key"
	// UserKey is a database key scoped to UserID; for another user it is
	// refused with 401, as the server does.
	UserKey = "pfk_fake_user_12345_key"
	// MasterKey is the server's master key: no rate limit and no
	// rate-limit headers.
	MasterKey = "pfk_fake_master_key"
	// PolarToken is the Polar access token sync accepts; another token
	// gives a 200 "partial" answer with an error per endpoint.
	PolarToken = "fake-polar-access-token"
	// Version is what /health reports in the code's form.
	Version = "1.5.0"
)

// Rate limit of a database key unless WithRateLimit says otherwise.
const (
	DefaultRateLimit  = 1000
	DefaultRateWindow = time.Hour
)

// Server is a running fake. Its embedded wearkittest.Server gives URL, the
// request Log, the Faults script and the Clock.
type Server struct {
	*wearkittest.Server

	page       bool
	limit      int
	window     time.Duration
	syncDelay  time.Duration
	clock      *wearkittest.Clock
	users      map[string]*user
	mu         sync.Mutex
	used       map[string]*bucket
	syncing    map[string]bool
	syncs      int
	calculated time.Time
}

type bucket struct {
	start time.Time
	n     int
}

// Option configures a fake.
type Option func(*Server)

// WithPageForms makes the fake answer in the forms of the server's page
// (health "healthy", sync "results", recharge status names, integer
// exercise ids, "HH:MM:SS" bedtimes, ...) instead of its code's.
func WithPageForms() Option { return func(s *Server) { s.page = true } }

// WithRateLimit sets a database key's limit: n requests per window.
func WithRateLimit(n int, window time.Duration) Option {
	return func(s *Server) { s.limit, s.window = n, window }
}

// WithSyncDuration makes every sync take d, so a second one for the same
// user meanwhile gets 409.
func WithSyncDuration(d time.Duration) Option { return func(s *Server) { s.syncDelay = d } }

// WithClock sets the clock of rate-limit windows and generated times.
func WithClock(c *wearkittest.Clock) Option { return func(s *Server) { s.clock = c } }

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
	s := &Server{limit: DefaultRateLimit, window: DefaultRateWindow, used: map[string]*bucket{}, syncing: map[string]bool{}}
	for _, o := range opts {
		o(s)
	}
	if s.clock == nil {
		s.clock = &wearkittest.Clock{}
	}
	s.users = loadUsers()
	s.calculated = s.clock.Now().UTC()
	return s
}

// Syncs returns how many syncs the fake has run.
func (s *Server) Syncs() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.syncs
}

var (
	usersOnce sync.Once
	usersAll  map[string]*user
)

// loadUsers builds the seeded users once per process; they are read-only.
func loadUsers() map[string]*user {
	usersOnce.Do(func() {
		usersAll = map[string]*user{}
		for _, id := range []string{UserID, SecondUserID, NewUserID} {
			u, err := buildUser(id, generated[id])
			if err != nil {
				panic(err) // the seeds are constants: this cannot happen
			}
			usersAll[id] = u
		}
	})
	return usersAll
}

var userIDRule = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,100}$`)

// apiError writes the server's error body.
func apiError(w http.ResponseWriter, status int, detail string, extra any) {
	body := map[string]any{"status_code": status, "detail": detail}
	if extra != nil {
		body["extra"] = extra
	}
	wearkittest.WriteJSON(w, status, body)
}

func validation(w http.ResponseWriter, r *http.Request, key, source, msg string) {
	apiError(w, http.StatusBadRequest, "Validation failed for "+r.Method+" "+r.URL.RequestURI(),
		[]map[string]string{{"message": msg, "key": key, "source": source}})
}

// ServeHTTP routes a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := strings.Trim(r.URL.Path, "/")
	switch path {
	case "health":
		if s.page {
			wearkittest.WriteJSON(w, 200, map[string]any{"status": "healthy", "database": "connected"})
		} else {
			wearkittest.WriteJSON(w, 200, map[string]any{"status": "ok", "version": Version})
		}
		return
	case "schema/openapi.json":
		wearkittest.WriteJSON(w, 200, map[string]any{"openapi": "3.1.0", "info": map[string]any{"title": "polar-flow-server", "version": Version},
			"paths": map[string]any{"/api/v1/users/{user_id}/sleep": map[string]any{"get": map[string]any{"responses": map[string]any{"200": map[string]any{"description": "OK"}}}}}})
		return
	}
	parts := strings.Split(path, "/")
	if len(parts) < 5 || parts[0] != "api" || parts[1] != "v1" || parts[2] != "users" {
		apiError(w, http.StatusNotFound, "Not Found", nil)
		return
	}
	uid := parts[3]
	key, ok := s.authorize(w, r, uid)
	if !ok {
		return
	}
	if !s.admit(w, key) {
		return
	}
	if !userIDRule.MatchString(uid) {
		validation(w, r, "user_id", "path", "Invalid user_id: must match ^[a-zA-Z0-9_-]{1,100}$")
		return
	}
	s.route(w, r, uid, parts[4:])
}

// authorize checks the key and returns it.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, uid string) (string, bool) {
	key := r.Header.Get("X-API-Key")
	if key == "" {
		if a := r.Header.Get("Authorization"); strings.HasPrefix(a, "Bearer ") {
			key = strings.TrimPrefix(a, "Bearer ")
		}
	}
	switch key {
	case "":
		apiError(w, http.StatusUnauthorized, "Missing API key. Provide X-API-Key header or Authorization: Bearer <key>", nil)
		return "", false
	case APIKey, MasterKey:
		return key, true
	case UserKey:
		if uid != UserID {
			apiError(w, http.StatusUnauthorized, "API key is not valid for this user", nil)
			return "", false
		}
		return key, true
	}
	apiError(w, http.StatusUnauthorized, "Invalid API key", nil)
	return "", false
}

// admit applies the per-key limit and its headers (none for the master
// key).
func (s *Server) admit(w http.ResponseWriter, key string) bool {
	if key == MasterKey {
		return true
	}
	now := s.clock.Now()
	s.mu.Lock()
	b := s.used[key]
	start := now.Truncate(s.window)
	if b == nil || !b.start.Equal(start) {
		b = &bucket{start: start}
		s.used[key] = b
	}
	b.n++
	n := b.n
	s.mu.Unlock()
	reset := start.Add(s.window)
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(s.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(0, s.limit-n)))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	if n > s.limit {
		wait := int(math.Ceil(reset.Sub(now).Seconds()))
		apiError(w, http.StatusTooManyRequests, fmt.Sprintf("Rate limit exceeded. Retry after %d seconds.", wait),
			map[string]string{"Retry-After": strconv.Itoa(wait)})
		return false
	}
	return true
}

// days reads the days query: def when absent, 400 outside lo..hi.
func days(w http.ResponseWriter, r *http.Request, def, lo, hi int) (int, bool) {
	v := r.URL.Query().Get("days")
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	switch {
	case err != nil:
		validation(w, r, "days", "query", "Expected `int`, got `str`")
		return 0, false
	case n < lo:
		validation(w, r, "days", "query", fmt.Sprintf("Expected `int` >= %d", lo))
		return 0, false
	case n > hi:
		validation(w, r, "days", "query", fmt.Sprintf("Expected `int` <= %d", hi))
		return 0, false
	}
	return n, true
}

// window returns the user's days dated on or after Today - n, newest
// first.
func (u *user) window(n int) []*day {
	if u == nil {
		return nil
	}
	from := Today.AddDate(0, 0, -n)
	var out []*day
	for i := len(u.days) - 1; i >= 0; i-- {
		if !u.days[i].date.Before(from) {
			out = append(out, &u.days[i])
		}
	}
	return out
}

func (u *user) on(date time.Time) *day {
	if u == nil {
		return nil
	}
	for i := range u.days {
		if u.days[i].date.Equal(date) {
			return &u.days[i]
		}
	}
	return nil
}

func (s *Server) route(w http.ResponseWriter, r *http.Request, uid string, p []string) {
	u := s.users[uid]
	get := r.Method == http.MethodGet
	post := r.Method == http.MethodPost
	list := func(def, hi int, row func(*day) any) {
		n, ok := days(w, r, def, 1, hi)
		if !ok {
			return
		}
		out := []any{}
		for _, d := range u.window(n) {
			if v := row(d); v != nil {
				out = append(out, v)
			}
		}
		wearkittest.WriteJSON(w, 200, out)
	}
	byDate := func(nullWhenMissing bool, row func(*day) any) {
		date, err := time.Parse(time.DateOnly, p[1])
		if err != nil {
			apiError(w, http.StatusInternalServerError, "Internal Server Error", nil)
			return
		}
		d := u.on(date)
		var v any
		if d != nil {
			v = row(d)
		}
		if v == nil && !nullWhenMissing {
			apiError(w, http.StatusNotFound, "No data for "+p[1], nil)
			return
		}
		wearkittest.WriteJSON(w, 200, v)
	}
	switch {
	case get && len(p) == 1 && p[0] == "sleep":
		list(7, 365, func(d *day) any { return s.sleepJSON(d, false) })
	case get && len(p) == 2 && p[0] == "sleep":
		byDate(true, func(d *day) any { return s.sleepJSON(d, true) })
	case get && len(p) == 1 && p[0] == "activity":
		list(30, 365, activityJSON)
	case get && len(p) == 2 && p[0] == "activity":
		byDate(false, activityJSON)
	case get && len(p) == 1 && p[0] == "activity-samples":
		list(30, 365, func(d *day) any { return activitySamplesJSON(u, d) })
	case get && len(p) == 2 && p[0] == "activity-samples":
		byDate(false, func(d *day) any { return activitySamplesJSON(u, d) })
	case get && len(p) == 1 && p[0] == "recharge":
		list(30, 365, s.rechargeJSON)
	case get && len(p) == 1 && p[0] == "cardio-load":
		list(30, 365, cardioJSON)
	case get && len(p) == 1 && p[0] == "heart-rate":
		list(30, 365, heartRateJSON)
	case get && len(p) == 3 && p[0] == "heart-rate" && p[2] == "samples":
		byDate(false, func(d *day) any { return heartRateSamplesJSON(u, d) })
	case get && len(p) == 2 && p[0] == "sleepwise" && p[1] == "alertness":
		n, ok := days(w, r, 7, 1, 30)
		if ok {
			wearkittest.WriteJSON(w, 200, alertnessJSON(u.window(n)))
		}
	case get && len(p) == 2 && p[0] == "sleepwise" && p[1] == "bedtime":
		list(7, 30, s.bedtimeJSON)
	case get && len(p) == 1 && p[0] == "spo2":
		list(30, 365, spo2JSON)
	case get && len(p) == 1 && p[0] == "ecg":
		list(30, 365, func(d *day) any { return ecgJSON(u, d, false) })
	case get && len(p) == 2 && p[0] == "ecg":
		d := u.ecgByID(p[1])
		if d == nil {
			apiError(w, http.StatusNotFound, "ECG not found", nil)
			return
		}
		wearkittest.WriteJSON(w, 200, ecgJSON(u, d, true))
	case get && len(p) == 2 && p[0] == "temperature" && (p[1] == "body" || p[1] == "skin"):
		list(30, 365, func(d *day) any { return temperatureJSON(d, p[1]) })
	case get && len(p) == 1 && p[0] == "exercises":
		list(30, 365, s.exerciseJSON)
	case get && len(p) >= 2 && len(p) <= 3 && p[0] == "exercises":
		s.exerciseDetail(w, u, p[1:])
	case get && len(p) == 1 && p[0] == "physical-info":
		wearkittest.WriteJSON(w, 200, physicalInfoJSON(u))
	case get && len(p) == 1 && p[0] == "status":
		s.userStatus(w, uid, u)
	case post && len(p) == 2 && p[0] == "sync" && p[1] == "trigger":
		s.sync(w, r, uid)
	case get && len(p) == 2 && p[0] == "export" && p[1] == "summary":
		s.exportSummary(w, r, uid, u)
	case get && len(p) == 2 && p[0] == "export" && strings.HasSuffix(p[1], ".csv"):
		s.exportCSV(w, r, u, strings.TrimSuffix(p[1], ".csv"))
	case get && len(p) == 1 && p[0] == "baselines":
		wearkittest.WriteJSON(w, 200, s.baselinesJSON(u))
	case post && len(p) == 2 && p[0] == "baselines" && p[1] == "calculate":
		s.calculate(w, uid, u)
	case get && len(p) == 4 && p[0] == "baselines" && p[1] == "check":
		s.check(w, r, u, p[2], p[3])
	case get && len(p) == 2 && p[0] == "baselines":
		s.baseline(w, u, p[1])
	case get && len(p) == 2 && p[0] == "analytics" && p[1] == "status":
		s.analyticsStatus(w, uid, u)
	case get && len(p) == 1 && p[0] == "patterns":
		wearkittest.WriteJSON(w, 200, s.patternsJSON(u))
	case post && len(p) == 2 && p[0] == "patterns" && p[1] == "detect":
		s.detect(w, uid, u)
	case get && len(p) == 2 && p[0] == "patterns":
		s.pattern(w, u, p[1])
	case get && len(p) == 1 && p[0] == "anomalies":
		s.anomalies(w, uid, u)
	case get && len(p) == 1 && p[0] == "insights":
		s.insights(w, uid, u)
	default:
		apiError(w, http.StatusNotFound, "Not Found", nil)
	}
}

// sync runs a sync: 409 while one runs for the user.
func (s *Server) sync(w http.ResponseWriter, r *http.Request, uid string) {
	token := r.Header.Get("X-Polar-Token")
	if token == "" {
		apiError(w, http.StatusUnauthorized, "Missing X-Polar-Token header", nil)
		return
	}
	lookback := 30 // the code's default; the page says 28
	if s.page {
		lookback = 28
	}
	n, ok := days(w, r, lookback, 1, 365)
	if !ok {
		return
	}
	s.mu.Lock()
	if s.syncing[uid] {
		s.mu.Unlock()
		apiError(w, http.StatusConflict, "A sync is already running for this user", nil)
		return
	}
	s.syncing[uid] = true
	s.syncs++
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.syncing, uid)
		s.mu.Unlock()
	}()
	if s.syncDelay > 0 {
		if !sleepCtx(r.Context(), s.syncDelay) {
			return
		}
	}
	u := s.users[uid]
	counts := s.recordCounts(u, n)
	var errs map[string]string
	status := "success"
	if token != PolarToken {
		status = "partial"
		errs = map[string]string{}
		for k := range counts {
			counts[k] = 0
			errs[k] = "401 Unauthorized: invalid Polar access token"
		}
	}
	if s.page {
		page := map[string]int{}
		for _, k := range []string{"sleep", "recharge", "activity", "exercises", "cardio_load", "sleepwise_alertness", "sleepwise_bedtime", "spo2", "ecg", "body_temperature", "skin_temperature"} {
			page[k] = counts[k]
		}
		wearkittest.WriteJSON(w, 200, map[string]any{"status": status, "user_id": uid, "results": page})
		return
	}
	total := 0
	for _, v := range counts {
		total += v
	}
	body := map[string]any{"status": status, "user_id": uid, "records": counts, "errors": nil, "total_records": total}
	if errs != nil {
		body["errors"] = errs
	}
	wearkittest.WriteJSON(w, 200, body)
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
