// Package samplestest is a fake GeroSense samples API, both flavours on one
// loopback server, for tests and examples.
//
// Proxy flavour: /api/v1.1/samples, /api/v1.1/user, /api/v1.1/bioage and
// /api/v1.1/bioage/calculate with "Authorization: Bearer ProxyToken"; the
// proxy's user is ProxyUserID. Direct flavour: POST
// /api/v1.0/login/access-token (form username, password) gives a token that
// expires after TokenTTL on the fake's clock (or at ExpireTokens) and is
// then answered with 403 "The token is expired"; /api/v1.0/login/test-token
// checks one; /api/v2.2/samples, user, bioage and bioage/calculate take
// user_id, which must be registered. GET /api/status answers Ok, or
// Maintenance after SetMaintenance(true), when every POST but the login
// is refused with 503.
//
// Every sample batch is checked as the API documents it, and refused with
// 422 and a FastAPI-style {"detail": [{"loc", "msg", "type"}]} body naming
// the sample and field: data_type steps or bpm; 3..1000 samples;
// device_name required; start_date required and end_date optional, both ISO
// 8601 with milliseconds and a zone offset strictly within a day, end not
// before start; unit
// count, count/min or count/s and fitting the data type (samples.UnitsOf);
// value above 0, at most 30000 for count and 300 for count/min. Unknown
// fields are refused. Accepted samples are recorded (Received, Compare) so
// tests can prove there are no gaps and count duplicates. Faults are pushed
// on the embedded wearkittest.Server.
package samplestest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/wearkit/wearkit/samples"
	"github.com/wearkit/wearkit/wearkittest"
)

// Credentials and ids the fake accepts.
const (
	// ProxyToken is the bearer token of the proxy flavour.
	ProxyToken = "fake-proxy-token"
	// ProxyUserID is the user the proxy flavour's token stands for.
	ProxyUserID = "proxy-user"
	// Username and Password log in to the direct flavour.
	Username = "partner@example.com"
	Password = "demo-password"
	// UserID is a registered user of the direct flavour (born 1988, Female).
	UserID = "user-1"
)

// TokenTTL is how long a direct-flavour token lives on the fake's clock.
const TokenTTL = time.Hour

// timeLayout is what the fake accepts: milliseconds and a zone (Z or an
// offset) required.
const timeLayout = "2006-01-02T15:04:05.000Z07:00"

// Received is one accepted sample.
type Received struct {
	// UserID is the user it was sent for (ProxyUserID for the proxy).
	UserID string
	// DataType is the batch's data type.
	DataType samples.DataType
	// Batch numbers the accepted batches from 1, in order of acceptance.
	Batch int
	// Sample is the sample as decoded, its times in the offset sent.
	Sample samples.Sample
}

// Server is a running fake. Its embedded wearkittest.Server gives URL, the
// request Log, the Faults script and the Clock.
type Server struct {
	*wearkittest.Server

	mu          sync.Mutex
	clock       *wearkittest.Clock
	record      bool
	maintenance bool
	tokens      map[string]time.Time // token -> expiry
	logins      int
	users       map[string]samples.User
	received    []Received
	batches     int
	count       int
	lastBatch   time.Time
	calculated  map[string]bool // user + "/" + model
}

// Option configures a fake.
type Option func(*Server)

// WithClock makes token lifetimes and the bio-age delay follow c.
func WithClock(c *wearkittest.Clock) Option { return func(s *Server) { s.clock = c } }

// WithoutRecording keeps only counts of accepted samples (Count), not the
// samples (Received), for benchmarks of millions of samples.
func WithoutRecording() Option { return func(s *Server) { s.record = false } }

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
		record: true,
		tokens: map[string]time.Time{},
		users: map[string]samples.User{
			UserID:      {ID: UserID, Sex: samples.Female, YearOfBirth: 1988},
			ProxyUserID: {ID: ProxyUserID, Sex: samples.Male, YearOfBirth: 1979},
		},
		calculated: map[string]bool{},
	}
	for _, o := range opts {
		o(s)
	}
	if s.clock == nil {
		s.clock = &wearkittest.Clock{}
	}
	return s
}

// SetMaintenance puts the fake in maintenance (status "Maintenance", POSTs
// refused with 503) or takes it out.
func (s *Server) SetMaintenance(on bool) {
	s.mu.Lock()
	s.maintenance = on
	s.mu.Unlock()
}

// ExpireTokens makes every direct-flavour token issued so far expired.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	now := s.clock.Now()
	for k := range s.tokens {
		s.tokens[k] = now
	}
	s.mu.Unlock()
}

// Logins returns how many direct-flavour logins succeeded.
func (s *Server) Logins() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logins
}

// Count returns how many batches and samples were accepted.
func (s *Server) Count() (batches, samples int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.batches, s.count
}

// Received returns a copy of the accepted samples in order of acceptance
// (empty WithoutRecording).
func (s *Server) Received() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.received...)
}

// User returns a registered user.
func (s *Server) User(id string) (samples.User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[id]
	return u, ok
}

// Compare matches the accepted samples of one data type against want, as
// multisets keyed by every field (times compared as instants): missing are
// the samples of want never received; duplicates counts receptions beyond
// the first of a wanted sample; unexpected counts received samples not in
// want.
func (s *Server) Compare(dt samples.DataType, want []samples.Sample) (missing []samples.Sample, duplicates, unexpected int) {
	got := map[string]int{}
	for _, r := range s.Received() {
		if r.DataType == dt {
			got[key(r.Sample)]++
		}
	}
	for _, w := range want {
		k := key(w)
		switch n := got[k]; {
		case n == 0:
			missing = append(missing, w)
		default:
			got[k] = n - 1
			if n == 1 {
				delete(got, k)
			}
		}
	}
	// What is left: extra copies of wanted samples, or samples never wanted.
	wanted := map[string]bool{}
	for _, w := range want {
		wanted[key(w)] = true
	}
	for k, n := range got {
		if wanted[k] {
			duplicates += n
		} else {
			unexpected += n
		}
	}
	return missing, duplicates, unexpected
}

// key identifies a sample at the API's millisecond precision.
func key(x samples.Sample) string {
	end := int64(0)
	if !x.End.IsZero() {
		end = x.End.UnixMilli()
	}
	return fmt.Sprintf("%s\x00%s\x00%d\x00%d\x00%s\x00%v", x.DeviceName, x.DeviceVersion, x.Start.UnixMilli(), end, x.Unit, x.Value)
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case p == "/api/status" && r.Method == http.MethodGet:
		s.status(w)
		return
	case p == "/api/v1.0/login/access-token":
		s.login(w, r)
		return
	}
	var user string
	var direct bool
	switch {
	case strings.HasPrefix(p, "/api/v1.1/"):
		if !s.proxyAuth(w, r) {
			return
		}
		user, p = ProxyUserID, strings.TrimPrefix(p, "/api/v1.1/")
	case strings.HasPrefix(p, "/api/v2.2/"), p == "/api/v1.0/login/test-token":
		if !s.directAuth(w, r) {
			return
		}
		direct, p = true, strings.TrimPrefix(p, "/api/v2.2/")
	default:
		detail(w, http.StatusNotFound, "Not Found")
		return
	}
	if r.Method == http.MethodPost && s.inMaintenance() {
		detail(w, http.StatusServiceUnavailable, "Service is under maintenance")
		return
	}
	switch {
	case p == "/api/v1.0/login/test-token":
		wearkittest.WriteJSON(w, http.StatusOK, map[string]string{"status": "Ok"})
	case p == "samples" && r.Method == http.MethodPost:
		s.samples(w, r, user, direct)
	case p == "user" && r.Method == http.MethodPost:
		s.register(w, r)
	case p == "bioage/calculate" && r.Method == http.MethodPost:
		s.calculate(w, r, user, direct)
	case p == "bioage" && r.Method == http.MethodGet:
		s.bioage(w, r, user, direct)
	default:
		detail(w, http.StatusNotFound, "Not Found")
	}
}

func (s *Server) inMaintenance() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maintenance
}

func (s *Server) status(w http.ResponseWriter) {
	st := "Ok"
	if s.inMaintenance() {
		st = "Maintenance"
	}
	wearkittest.WriteJSON(w, http.StatusOK, map[string]string{"status": st, "minimal_api_version": "v1.0"})
}

func bearer(r *http.Request) (string, bool) {
	a := r.Header.Get("Authorization")
	if !strings.HasPrefix(a, "Bearer ") {
		return "", false
	}
	return strings.TrimPrefix(a, "Bearer "), true
}

func (s *Server) proxyAuth(w http.ResponseWriter, r *http.Request) bool {
	tok, ok := bearer(r)
	if !ok {
		detail(w, http.StatusUnauthorized, "Not authenticated")
		return false
	}
	if tok != ProxyToken {
		detail(w, http.StatusForbidden, "Could not validate credentials")
		return false
	}
	return true
}

func (s *Server) directAuth(w http.ResponseWriter, r *http.Request) bool {
	tok, ok := bearer(r)
	if !ok {
		detail(w, http.StatusUnauthorized, "Not authenticated")
		return false
	}
	s.mu.Lock()
	exp, known := s.tokens[tok]
	now := s.clock.Now()
	s.mu.Unlock()
	switch {
	case !known:
		detail(w, http.StatusForbidden, "Could not validate credentials")
		return false
	case !now.Before(exp):
		detail(w, http.StatusForbidden, "The token is expired")
		return false
	}
	return true
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		detail(w, http.StatusMethodNotAllowed, "Method Not Allowed")
		return
	}
	if err := r.ParseForm(); err != nil {
		detail(w, http.StatusUnprocessableEntity, "form body required")
		return
	}
	if r.PostForm.Get("username") != Username || r.PostForm.Get("password") != Password {
		detail(w, http.StatusBadRequest, "Incorrect email or password")
		return
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	tok := "fake-access-" + hex.EncodeToString(b[:])
	s.mu.Lock()
	s.tokens[tok] = s.clock.Now().Add(TokenTTL)
	s.logins++
	s.mu.Unlock()
	wearkittest.WriteJSON(w, http.StatusOK, map[string]string{"access_token": tok, "token_type": "Bearer"})
}

// detail answers FastAPI's {"detail": msg}.
func detail(w http.ResponseWriter, status int, msg string) {
	wearkittest.WriteJSON(w, status, map[string]string{"detail": msg})
}

// issue is one item of a FastAPI validation answer.
type issue struct {
	Loc  []any  `json:"loc"`
	Msg  string `json:"msg"`
	Type string `json:"type"`
}

func invalid(w http.ResponseWriter, issues []issue) {
	wearkittest.WriteJSON(w, http.StatusUnprocessableEntity, map[string]any{"detail": issues})
}

type wireSample struct {
	DeviceName    *string  `json:"device_name"`
	DeviceVersion *string  `json:"device_version"`
	StartDate     *string  `json:"start_date"`
	EndDate       *string  `json:"end_date"`
	Unit          *string  `json:"unit"`
	Value         *float64 `json:"value"`
}

type wireBatch struct {
	UserID   *string      `json:"user_id"`
	DataType *string      `json:"data_type"`
	Data     []wireSample `json:"data"`
}

func (s *Server) samples(w http.ResponseWriter, r *http.Request, user string, direct bool) {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		invalid(w, []issue{{Loc: []any{"header", "Content-Type"}, Msg: "application/json required, got " + ct, Type: "value_error"}})
		return
	}
	var b wireBatch
	if err := wearkittest.DecodeJSON(r, &b); err != nil {
		invalid(w, []issue{{Loc: []any{"body"}, Msg: err.Error(), Type: "value_error.jsondecode"}})
		return
	}
	var issues []issue
	add := func(msg, typ string, loc ...any) {
		issues = append(issues, issue{Loc: append([]any{"body"}, loc...), Msg: msg, Type: typ})
	}
	if direct {
		switch {
		case b.UserID == nil || *b.UserID == "":
			add("field required", "value_error.missing", "user_id")
		default:
			if _, ok := s.User(*b.UserID); !ok {
				detail(w, http.StatusNotFound, "User not found")
				return
			}
			user = *b.UserID
		}
	} else if b.UserID != nil {
		add("extra fields not permitted", "value_error.extra", "user_id")
	}
	dt := samples.DataType("")
	if b.DataType == nil {
		add("field required", "value_error.missing", "data_type")
	} else if dt = samples.DataType(*b.DataType); !dt.Known() {
		add("value is not a valid enumeration member; permitted: 'steps', 'bpm'", "type_error.enum", "data_type")
	}
	switch n := len(b.Data); {
	case b.Data == nil:
		add("field required", "value_error.missing", "data")
	case n < samples.MinBatch:
		add(fmt.Sprintf("ensure this value has at least %d items", samples.MinBatch), "value_error.list.min_items", "data")
	case n > samples.MaxBatch:
		add(fmt.Sprintf("ensure this value has at most %d items", samples.MaxBatch), "value_error.list.max_items", "data")
	}
	got := make([]samples.Sample, len(b.Data))
	for i, ws := range b.Data {
		got[i] = checkSample(dt, i, ws, add)
	}
	if len(issues) > 0 {
		invalid(w, issues)
		return
	}
	s.mu.Lock()
	s.batches++
	s.count += len(got)
	s.lastBatch = s.clock.Now()
	if s.record {
		for _, x := range got {
			s.received = append(s.received, Received{UserID: user, DataType: dt, Batch: s.batches, Sample: x})
		}
	}
	s.mu.Unlock()
	wearkittest.WriteJSON(w, http.StatusOK, map[string]any{"status": "Ok", "count": len(got)})
}

// checkSample applies the API's rules to one sample, reporting through add.
func checkSample(dt samples.DataType, i int, ws wireSample, add func(msg, typ string, loc ...any)) samples.Sample {
	var x samples.Sample
	if ws.DeviceName == nil || *ws.DeviceName == "" {
		add("field required", "value_error.missing", "data", i, "device_name")
	} else {
		x.DeviceName = *ws.DeviceName
	}
	if ws.DeviceVersion != nil {
		x.DeviceVersion = *ws.DeviceVersion
	}
	parse := func(field string, v *string) time.Time {
		t, err := time.Parse(timeLayout, *v)
		if err != nil {
			add(fmt.Sprintf("%q is not ISO 8601 with milliseconds and a zone offset", *v), "value_error.datetime", "data", i, field)
			return t
		}
		// Python's datetime takes offsets strictly within a day.
		if _, off := t.Zone(); off <= -24*3600 || off >= 24*3600 {
			add(fmt.Sprintf("%q: the offset must be strictly between -24:00 and +24:00", *v), "value_error.datetime", "data", i, field)
			return time.Time{}
		}
		return t
	}
	if ws.StartDate == nil {
		add("field required", "value_error.missing", "data", i, "start_date")
	} else {
		x.Start = parse("start_date", ws.StartDate)
	}
	if ws.EndDate != nil {
		x.End = parse("end_date", ws.EndDate)
		if !x.Start.IsZero() && !x.End.IsZero() && x.End.Before(x.Start) {
			add("end_date must not be earlier than start_date", "value_error", "data", i, "end_date")
		}
	}
	if ws.Unit == nil {
		add("field required", "value_error.missing", "data", i, "unit")
	} else {
		x.Unit = samples.Unit(*ws.Unit)
		fits := false
		for _, u := range samples.UnitsOf(dt) {
			fits = fits || u == x.Unit
		}
		switch {
		case !x.Unit.Known():
			add("value is not a valid enumeration member; permitted: 'count', 'count/min', 'count/s'", "type_error.enum", "data", i, "unit")
		case dt.Known() && !fits:
			add(fmt.Sprintf("unit %s does not fit data_type %s", x.Unit, dt), "value_error", "data", i, "unit")
		}
	}
	if ws.Value == nil {
		add("field required", "value_error.missing", "data", i, "value")
	} else {
		x.Value = *ws.Value
		switch v := x.Value; {
		case v <= 0 || math.IsNaN(v):
			add("ensure this value is greater than 0", "value_error.number.not_gt", "data", i, "value")
		case x.Unit == samples.Count && v > samples.MaxCount:
			add("ensure this value is less than or equal to 30000", "value_error.number.not_le", "data", i, "value")
		case x.Unit == samples.CountPerMinute && v > samples.MaxCountPerMinute:
			add("ensure this value is less than or equal to 300", "value_error.number.not_le", "data", i, "value")
		}
	}
	return x
}

func (s *Server) register(w http.ResponseWriter, r *http.Request) {
	var u struct {
		ID          *string `json:"id"`
		Sex         *string `json:"biological_sex"`
		YearOfBirth *int    `json:"year_of_birth"`
	}
	if err := wearkittest.DecodeJSON(r, &u); err != nil {
		invalid(w, []issue{{Loc: []any{"body"}, Msg: err.Error(), Type: "value_error.jsondecode"}})
		return
	}
	var issues []issue
	if u.ID == nil || *u.ID == "" {
		issues = append(issues, issue{Loc: []any{"body", "id"}, Msg: "field required", Type: "value_error.missing"})
	}
	if u.Sex == nil || (*u.Sex != "Male" && *u.Sex != "Female") {
		issues = append(issues, issue{Loc: []any{"body", "biological_sex"}, Msg: "value is not a valid enumeration member; permitted: 'Male', 'Female'", Type: "type_error.enum"})
	}
	if u.YearOfBirth == nil || *u.YearOfBirth < 1900 || *u.YearOfBirth > s.clock.Now().Year() {
		issues = append(issues, issue{Loc: []any{"body", "year_of_birth"}, Msg: "a year of birth from 1900 to this year required", Type: "value_error"})
	}
	if len(issues) > 0 {
		invalid(w, issues)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[*u.ID]; ok {
		detail(w, http.StatusBadRequest, "User already exists")
		return
	}
	s.users[*u.ID] = samples.User{ID: *u.ID, Sex: samples.Sex(*u.Sex), YearOfBirth: *u.YearOfBirth}
	wearkittest.WriteJSON(w, http.StatusOK, map[string]any{"id": *u.ID, "biological_sex": *u.Sex, "year_of_birth": *u.YearOfBirth})
}

func (s *Server) calculate(w http.ResponseWriter, r *http.Request, user string, direct bool) {
	var body struct {
		UserID    *string `json:"user_id"`
		ModelType string  `json:"model_type"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		invalid(w, []issue{{Loc: []any{"body"}, Msg: err.Error(), Type: "value_error.jsondecode"}})
		return
	}
	if direct {
		if body.UserID == nil {
			invalid(w, []issue{{Loc: []any{"body", "user_id"}, Msg: "field required", Type: "value_error.missing"}})
			return
		}
		user = *body.UserID
	}
	if m := samples.DataType(body.ModelType); !m.Known() {
		invalid(w, []issue{{Loc: []any{"body", "model_type"}, Msg: "value is not a valid enumeration member; permitted: 'steps', 'bpm'", Type: "type_error.enum"}})
		return
	}
	s.mu.Lock()
	_, ok := s.users[user]
	if ok {
		s.calculated[user+"/"+body.ModelType] = true
	}
	s.mu.Unlock()
	if !ok {
		detail(w, http.StatusNotFound, "User not found")
		return
	}
	wearkittest.WriteJSON(w, http.StatusOK, map[string]string{"status": "Ok"})
}

// BioAgeDelay is how long after the last batch the fake computes bio-age
// by itself, as the API does.
const BioAgeDelay = 5 * time.Minute

// bioage answers one value per date with samples of the model's data type:
// the user's age on the fake's clock, moved by the day's mean heart rate
// (0.25 year per bpm from 65) or step total (a year younger per 1500 steps
// over 7000, at most 10 years either way), rounded to 0.1; null for dates
// in the range without samples, and every value null until bio-age was
// calculated or BioAgeDelay passed after the last batch.
func (s *Server) bioage(w http.ResponseWriter, r *http.Request, user string, direct bool) {
	q := r.URL.Query()
	if direct {
		user = q.Get("user_id")
	}
	model := samples.DataType(q.Get("model_type"))
	if !model.Known() {
		invalid(w, []issue{{Loc: []any{"query", "model_type"}, Msg: "value is not a valid enumeration member; permitted: 'steps', 'bpm'", Type: "type_error.enum"}})
		return
	}
	var from, to time.Time
	for _, f := range []struct {
		name string
		dst  *time.Time
	}{{"from_date", &from}, {"to_date", &to}} {
		if v := q.Get(f.name); v != "" {
			t, err := time.Parse("2006-01-02", v)
			if err != nil {
				invalid(w, []issue{{Loc: []any{"query", f.name}, Msg: "invalid date format", Type: "value_error.date"}})
				return
			}
			*f.dst = t
		}
	}
	device := q.Get("device_name")
	s.mu.Lock()
	u, ok := s.users[user]
	ready := s.calculated[user+"/"+string(model)] || (!s.lastBatch.IsZero() && !s.clock.Now().Before(s.lastBatch.Add(BioAgeDelay)))
	type acc struct {
		sum float64
		n   int
	}
	days := map[string]*acc{}
	var order []string
	for _, rc := range s.received {
		if rc.UserID != user || rc.DataType != model || device != "" && rc.Sample.DeviceName != device {
			continue
		}
		d := rc.Sample.Start.Format("2006-01-02")
		if !from.IsZero() && d < from.Format("2006-01-02") || !to.IsZero() && d > to.Format("2006-01-02") {
			continue
		}
		a := days[d]
		if a == nil {
			a = &acc{}
			days[d] = a
			order = append(order, d)
		}
		a.sum += rc.Sample.Value
		a.n++
	}
	age := float64(s.clock.Now().Year() - u.YearOfBirth)
	s.mu.Unlock()
	slices.Sort(order)
	if !ok {
		detail(w, http.StatusNotFound, "User not found")
		return
	}
	type point struct {
		Date  string   `json:"date"`
		Value *float64 `json:"value"`
	}
	pts := []point{}
	for _, d := range order {
		p := point{Date: d}
		if ready {
			a := days[d]
			var shift float64
			if model == samples.BPM {
				shift = (a.sum/float64(a.n) - 65) * 0.25
			} else {
				shift = -(a.sum - 7000) / 1500
			}
			v := math.Round((age+max(-10, min(10, shift)))*10) / 10
			p.Value = &v
		}
		pts = append(pts, p)
	}
	wearkittest.WriteJSON(w, http.StatusOK, map[string]any{"user_id": user, "device_name": device, "model_type": model, "bioage": pts})
}
