// Package corsanotest is a fake of Corsano's research integration API, its
// health API and the storage host of export downloads, for tests and
// examples.
//
// It enforces what the vendor documents: the researcher token as the token
// query parameter of the integration API; health tokens, HS256 JWTs that
// expire (HealthTokenLifetime by the fake's clock) and are checked as
// bearer tokens by the health API, with x-health-token on user-devices; one
// create-export per patient every five minutes by its clock (429 with
// Retry-After otherwise, counted all the same); exports that stay
// in_progress for a few polls (WithPollsToDone) and then carry a presigned
// download link on a second host (Storage) that expires after
// LinkLifetime and refuses any Corsano credential; raw-metric windows of at
// most 24 h (30 min for ppg1, ppg2, bioz, acc and ecg) in either the zoned
// or the client-date form, with 400 for both, neither or too long. Its
// data come from wearkittest.NewPerson, one seeded person per patient, and
// the summary of ExamplePatient on ExampleDate is the vendor page's
// example verbatim.
package corsanotest

import (
	"crypto/hmac"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wearkit/wearkit/corsano"
	"github.com/wearkit/wearkit/wearkittest"
)

// ResearcherToken is the researcher token the fake accepts.
const ResearcherToken = "fake-researcher-token-5f2c"

// GroupCode is the fake's one group.
const GroupCode = "wearkit-demo"

// Patients of the fake's group. ExamplePatient's summary on ExampleDate is
// the vendor page's example.
const (
	ExamplePatient = "6f1c2a9e-0d4b-4b8e-9a51-2f7d3c8e1a01"
	SecondPatient  = "6f1c2a9e-0d4b-4b8e-9a51-2f7d3c8e1a02"
	ThirdPatient   = "6f1c2a9e-0d4b-4b8e-9a51-2f7d3c8e1a03"
)

// ExampleDate is the date of the vendor page's summary example.
const ExampleDate = "2025-10-08"

// Lifetimes the fake applies by its clock.
const (
	// HealthTokenLifetime is exp - iat of the health tokens it issues.
	HealthTokenLifetime = time.Hour
	// LinkLifetime is X-Amz-Expires of its download links.
	LinkLifetime = time.Hour
	// DefaultPollsToDone is how many polls an export stays in_progress.
	DefaultPollsToDone = 2
)

// Zone is the patients' local time zone (fixed, so the fake needs no time
// zone database).
var Zone = time.FixedZone("CEST", 2*3600)

//go:embed summary_example.json
var summaryExample []byte

// SummaryExample returns the vendor page's summary example, as the fake
// serves it (the page's elided "// ..." lines removed).
func SummaryExample() []byte { return append([]byte(nil), summaryExample...) }

// signing keys of the fake's JWTs and links.
var (
	jwtKey  = []byte("corsanotest-jwt-key")
	linkKey = []byte("corsanotest-link-key")
)

// Server is a running fake. Its embedded wearkittest.Server is the
// integration API (URL, Log, Faults, Clock); Health and Storage are the
// health API and the download host, each with its own log and faults.
type Server struct {
	*wearkittest.Server
	Health  *wearkittest.Server
	Storage *wearkittest.Server

	clock       *wearkittest.Clock
	pollsToDone int
	persons     map[string]*wearkittest.Person
	names       map[string][2]string

	mu         sync.Mutex
	lastCreate map[string]time.Time
	creates    map[string]int
	exports    map[string]*export
	nextID     int
	issued     map[string]int
	tokens     []string
	revoked    map[string]bool
	jti        int
	days       map[string]corsano.Summary
	dayFigs    map[string]wearkittest.DaySummary
}

type export struct {
	id, uuid string
	from, to time.Time
	types    []string
	polls    int
}

// Option configures a fake.
type Option func(*Server)

// WithClock makes the fake judge token expiry, link expiry and the
// five-minute rule by c.
func WithClock(c *wearkittest.Clock) Option { return func(s *Server) { s.clock = c } }

// WithPollsToDone sets how many polls an export answers in_progress before
// it is done (default DefaultPollsToDone).
func WithPollsToDone(n int) Option { return func(s *Server) { s.pollsToDone = max(n, 0) } }

// New starts a fake for the length of a test.
func New(t wearkittest.TB, opts ...Option) *Server {
	t.Helper()
	s := build(opts)
	s.Server = wearkittest.Start(t, http.HandlerFunc(s.integration), wearkittest.WithClock(s.clock))
	s.Health = wearkittest.Start(t, http.HandlerFunc(s.health), wearkittest.WithClock(s.clock))
	s.Storage = wearkittest.Start(t, http.HandlerFunc(s.storage), wearkittest.WithClock(s.clock))
	return s
}

// NewServer starts a fake for a program (the examples); call Close.
func NewServer(opts ...Option) *Server {
	s := build(opts)
	s.Server = wearkittest.Serve(http.HandlerFunc(s.integration), wearkittest.WithClock(s.clock))
	s.Health = wearkittest.Serve(http.HandlerFunc(s.health), wearkittest.WithClock(s.clock))
	s.Storage = wearkittest.Serve(http.HandlerFunc(s.storage), wearkittest.WithClock(s.clock))
	return s
}

// Close shuts the three hosts down.
func (s *Server) Close() {
	s.Server.Close()
	s.Health.Close()
	s.Storage.Close()
}

// BaseURL is the integration API root to pass to corsano.WithBaseURL.
func (s *Server) BaseURL() string { return s.URL + "/v1" }

// HealthURL is the health API root to pass to corsano.WithHealthBaseURL.
func (s *Server) HealthURL() string { return s.Health.URL }

func build(opts []Option) *Server {
	s := &Server{
		pollsToDone: DefaultPollsToDone,
		persons:     map[string]*wearkittest.Person{},
		names: map[string][2]string{
			ExamplePatient: {"Ada", "Jansen"}, SecondPatient: {"Bram", "de Vries"}, ThirdPatient: {"Chloé", "Bakker"},
		},
		lastCreate: map[string]time.Time{},
		creates:    map[string]int{},
		exports:    map[string]*export{},
		nextID:     4100,
		issued:     map[string]int{},
		revoked:    map[string]bool{},
		days:       map[string]corsano.Summary{},
		dayFigs:    map[string]wearkittest.DaySummary{},
	}
	for _, o := range opts {
		o(s)
	}
	if s.clock == nil {
		s.clock = &wearkittest.Clock{}
	}
	for i, id := range []string{ExamplePatient, SecondPatient, ThirdPatient} {
		p, err := wearkittest.NewPerson(wearkittest.PersonConfig{Seed: uint64(1300 + i), Location: Zone})
		if err != nil {
			panic(err) // constant configuration
		}
		s.persons[id] = p
	}
	return s
}

// Person returns the generator behind a patient (nil for an unknown uuid),
// so tests can compare the fake's answers with it.
func (s *Server) Person(uuid string) *wearkittest.Person { return s.persons[uuid] }

// Creates returns how many create-export requests for uuid reached the
// fake, refused ones included.
func (s *Server) Creates(uuid string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.creates[uuid]
}

// HealthTokensIssued returns how many health tokens the fake issued for
// uuid.
func (s *Server) HealthTokensIssued(uuid string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issued[uuid]
}

// HealthTokens returns every health token issued so far (tests look for
// them in error strings and logs).
func (s *Server) HealthTokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.tokens...)
}

// RevokeHealthTokens makes every health token issued so far answer 401,
// as a token revoked before its expiry would.
func (s *Server) RevokeHealthTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := 1; i <= s.jti; i++ {
		s.revoked[strconv.Itoa(i)] = true
	}
}

func writeError(w http.ResponseWriter, status int, msg string) {
	wearkittest.WriteJSON(w, status, map[string]string{"message": msg})
}

// integration serves /v1/... with the researcher token.
func (s *Server) integration(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("token") != ResearcherToken {
		writeError(w, http.StatusUnauthorized, "Unauthenticated.")
		return
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(parts) < 2 || parts[0] != "v1" {
		writeError(w, http.StatusNotFound, "Not found.")
		return
	}
	parts = parts[1:]
	get := r.Method == http.MethodGet
	switch {
	case get && len(parts) == 1 && parts[0] == "groups":
		wearkittest.WriteJSON(w, http.StatusOK, []map[string]any{{
			"id": 17, "name": "wearkit demo ward", "description": "Three simulated patients", "code": GroupCode,
			"hcpCode": "HCP-" + GroupCode, "timestamp": int64(1759874400000),
		}})
	case get && len(parts) == 3 && parts[0] == "groups" && parts[2] == "patients":
		s.patients(w, r, parts[1])
	case get && len(parts) == 3 && parts[0] == "groups" && parts[2] == "summaries":
		s.summaries(w, r, parts[1])
	case get && len(parts) == 3 && parts[0] == "patients" && parts[2] == "health-token":
		s.healthToken(w, parts[1])
	case get && len(parts) == 4 && parts[0] == "patients" && parts[2] == "raw-data-compliance":
		s.compliance(w, parts[1], parts[3])
	case get && len(parts) == 1 && parts[0] == "user-devices":
		uuid, ok := s.bearer(w, r.Header.Get("X-Health-Token"))
		if !ok {
			return
		}
		wearkittest.WriteJSON(w, http.StatusOK, []map[string]any{{
			"id": 900 + len(uuid)%7, "name": "CardioWatch 287-2", "serial": "CW287-" + uuid[len(uuid)-4:], "firmware": "4.12.0", "battery": 81,
		}})
	case r.Method == http.MethodPost && (len(parts) == 2 || len(parts) == 3) && parts[0] == "create-export":
		s.createExport(w, r, parts[1])
	case get && len(parts) == 2 && parts[0] == "export":
		s.pollExport(w, r, parts[1])
	default:
		writeError(w, http.StatusNotFound, "Not found.")
	}
}

func (s *Server) patients(w http.ResponseWriter, r *http.Request, group string) {
	if group != GroupCode {
		writeError(w, http.StatusNotFound, "Group not found.")
		return
	}
	latest := r.URL.Query().Get("with_latest_values") == "1"
	now := s.clock.Now()
	var out []map[string]any
	for i, id := range []string{ExamplePatient, SecondPatient, ThirdPatient} {
		n := s.names[id]
		state := "confirmed"
		if id == ThirdPatient {
			state = "pre_created"
		}
		p := map[string]any{
			"_id": fmt.Sprintf("65f0c0de%016x", 1300+i), "uuid": id, "code": fmt.Sprintf("P-%03d", i+1), "state": state,
			"first_name": n[0], "last_name": n[1], "email": strings.ToLower(n[0]) + "@example.org",
		}
		if latest && state == "confirmed" {
			at := now.Add(-time.Minute).Truncate(time.Minute)
			hr := make([]float64, 1)
			br := make([]float64, 1)
			_ = s.persons[id].HeartRate(at, 1, hr)
			_ = s.persons[id].Breathing(at, 1, br, nil, nil)
			p["latest_values"] = map[string]any{
				"heart_rate":       map[string]any{"value": r3(hr[0]), "timestamp": ms(at)},
				"respiration_rate": map[string]any{"value": r3(br[0]), "timestamp": ms(at)},
				"spo2":             map[string]any{"value": 97, "timestamp": ms(at)},
				"battery":          map[string]any{"value": 81, "timestamp": ms(at)},
				"skin_contact":     true,
			}
		}
		out = append(out, p)
	}
	wearkittest.WriteJSON(w, http.StatusOK, out)
}

func (s *Server) summaries(w http.ResponseWriter, r *http.Request, group string) {
	if group != GroupCode {
		writeError(w, http.StatusNotFound, "Group not found.")
		return
	}
	date, err := corsano.ParseDate(r.URL.Query().Get("date"))
	if err != nil {
		writeError(w, http.StatusBadRequest, "The date field must be a valid date (YYYY-MM-DD).")
		return
	}
	slots := r.URL.Query().Get("include_slots") == "1"
	out := map[string]json.RawMessage{}
	for _, id := range []string{ExamplePatient, SecondPatient} {
		if id == ExamplePatient && date.String() == ExampleDate {
			out[id] = summaryExample
			continue
		}
		b, err := json.Marshal(s.day(id, date, slots))
		if err != nil {
			writeError(w, http.StatusInternalServerError, err.Error())
			return
		}
		out[id] = b
	}
	wearkittest.WriteJSON(w, http.StatusOK, out)
}

// day caches the generated summaries (a day costs about 40 ms).
func (s *Server) day(uuid string, date corsano.Date, slots bool) corsano.Summary {
	key := fmt.Sprintf("%s/%s/%t", uuid, date, slots)
	s.mu.Lock()
	sum, ok := s.days[key]
	s.mu.Unlock()
	if ok {
		return sum
	}
	figKey := uuid + "/" + date.String()
	s.mu.Lock()
	ds, ok := s.dayFigs[figKey]
	s.mu.Unlock()
	if !ok {
		ds = s.persons[uuid].Day(date.In(Zone))
		s.mu.Lock()
		s.dayFigs[figKey] = ds
		s.mu.Unlock()
	}
	sum = summaryOf(s.persons[uuid], ds, date, slots)
	s.mu.Lock()
	s.days[key] = sum
	s.mu.Unlock()
	return sum
}

func (s *Server) compliance(w http.ResponseWriter, uuid, day string) {
	if s.persons[uuid] == nil {
		writeError(w, http.StatusNotFound, "Patient not found.")
		return
	}
	if _, err := corsano.ParseDate(day); err != nil {
		writeError(w, http.StatusBadRequest, "The date must be YYYY-MM-DD.")
		return
	}
	out := map[string]any{"date": day}
	for i, t := range corsano.RawMetricTypes {
		out[string(t)] = r3(88 + float64((len(day)*7+i*13)%12))
	}
	wearkittest.WriteJSON(w, http.StatusOK, out)
}

// healthToken issues an HS256 JWT for the patient, valid
// HealthTokenLifetime by the fake's clock.
func (s *Server) healthToken(w http.ResponseWriter, uuid string) {
	if s.persons[uuid] == nil {
		writeError(w, http.StatusNotFound, "Patient not found.")
		return
	}
	now := s.clock.Now()
	s.mu.Lock()
	s.jti++
	jti := s.jti
	s.issued[uuid]++
	s.mu.Unlock()
	head := b64(`{"alg":"HS256","typ":"JWT"}`)
	claims, _ := json.Marshal(map[string]any{"sub": uuid, "iat": now.Unix(), "exp": now.Add(HealthTokenLifetime).Unix(), "jti": strconv.Itoa(jti)})
	body := head + "." + b64(string(claims))
	tok := body + "." + sign(jwtKey, body)
	s.mu.Lock()
	s.tokens = append(s.tokens, tok)
	s.mu.Unlock()
	wearkittest.WriteJSON(w, http.StatusOK, map[string]string{"token": tok})
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func sign(key []byte, s string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(s))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// bearer checks a health token and returns its patient, answering 401 when
// it is missing, forged, expired or revoked.
func (s *Server) bearer(w http.ResponseWriter, tok string) (string, bool) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 || !hmac.Equal([]byte(sign(jwtKey, parts[0]+"."+parts[1])), []byte(parts[2])) {
		writeError(w, http.StatusUnauthorized, "Unauthenticated.")
		return "", false
	}
	raw, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var c struct {
		Sub string `json:"sub"`
		Exp int64  `json:"exp"`
		JTI string `json:"jti"`
	}
	_ = json.Unmarshal(raw, &c)
	s.mu.Lock()
	revoked := s.revoked[c.JTI]
	s.mu.Unlock()
	if revoked || !s.clock.Now().Before(time.Unix(c.Exp, 0)) {
		writeError(w, http.StatusUnauthorized, "Token has expired.")
		return "", false
	}
	return c.Sub, true
}

type exportBody struct {
	From  string   `json:"client_date_from"`
	To    string   `json:"client_date_to"`
	Types []string `json:"types"`
}

func (s *Server) createExport(w http.ResponseWriter, r *http.Request, uuid string) {
	s.mu.Lock()
	s.creates[uuid]++
	s.mu.Unlock()
	if s.persons[uuid] == nil {
		writeError(w, http.StatusNotFound, "Patient not found.")
		return
	}
	var b exportBody
	if err := wearkittest.DecodeJSON(r, &b); err != nil {
		writeError(w, http.StatusUnprocessableEntity, err.Error())
		return
	}
	from, err1 := time.ParseInLocation(corsano.ClientTimeLayout, b.From, Zone)
	to, err2 := time.ParseInLocation(corsano.ClientTimeLayout, b.To, Zone)
	if err1 != nil || err2 != nil || !from.Before(to) {
		writeError(w, http.StatusUnprocessableEntity, "client_date_from and client_date_to must be YYYY-MM-DDTHH:MM:SS.mmm, from before to.")
		return
	}
	if len(b.Types) == 0 {
		writeError(w, http.StatusUnprocessableEntity, "The types field is required.")
		return
	}
	for _, t := range b.Types {
		if !corsano.RawMetricType(t).Known() && t != "tests" {
			writeError(w, http.StatusUnprocessableEntity, fmt.Sprintf("Unknown type %q.", t))
			return
		}
	}
	now := s.clock.Now()
	s.mu.Lock()
	last, seen := s.lastCreate[uuid]
	if seen && now.Sub(last) < corsano.ExportCooldown {
		s.mu.Unlock()
		wait := last.Add(corsano.ExportCooldown).Sub(now)
		w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
		writeError(w, http.StatusTooManyRequests, "Only one export per user every 5 minutes.")
		return
	}
	s.lastCreate[uuid] = now
	s.nextID++
	e := &export{id: strconv.Itoa(s.nextID), uuid: uuid, from: from, to: to, types: b.Types}
	s.exports[e.id] = e
	s.mu.Unlock()
	wearkittest.WriteJSON(w, http.StatusOK, map[string]any{"id": e.id, "status": "in_progress"})
}

func (s *Server) pollExport(w http.ResponseWriter, r *http.Request, id string) {
	s.mu.Lock()
	e := s.exports[id]
	if e == nil {
		s.mu.Unlock()
		writeError(w, http.StatusNotFound, "Export not found.")
		return
	}
	e.polls++
	done := e.polls > s.pollsToDone
	s.mu.Unlock()
	if !done {
		wearkittest.WriteJSON(w, http.StatusOK, map[string]any{"id": id, "status": "in_progress"})
		return
	}
	wearkittest.WriteJSON(w, http.StatusOK, map[string]any{"id": id, "status": "done", "downloadUrl": s.link(id)})
}

// link presigns the export's ZIP on the storage host, S3 style.
func (s *Server) link(id string) string {
	date := s.clock.Now().UTC().Format("20060102T150405Z")
	exp := strconv.Itoa(int(LinkLifetime / time.Second))
	return fmt.Sprintf("%s/corsano-exports/%s.zip?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=%s&X-Amz-Expires=%s&X-Amz-SignedHeaders=host&X-Amz-Signature=%s",
		s.Storage.URL, id, date, exp, linkSig(id, date, exp))
}

func linkSig(id, date, exp string) string {
	m := hmac.New(sha256.New, linkKey)
	m.Write([]byte(id + "\n" + date + "\n" + exp))
	return hex.EncodeToString(m.Sum(nil))
}

// storageError answers as S3 does.
func storageError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code><Message>%s</Message></Error>", code, msg)
}

// storage serves the presigned ZIPs.
func (s *Server) storage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if r.Header.Get("Authorization") != "" || q.Has("token") || r.Header.Get("X-Health-Token") != "" {
		storageError(w, http.StatusBadRequest, "InvalidArgument", "Only one auth mechanism allowed; Corsano credentials must not be sent here")
		return
	}
	id, ok := strings.CutSuffix(strings.TrimPrefix(r.URL.Path, "/corsano-exports/"), ".zip")
	date, exp := q.Get("X-Amz-Date"), q.Get("X-Amz-Expires")
	if !ok || r.Method != http.MethodGet || !hmac.Equal([]byte(q.Get("X-Amz-Signature")), []byte(linkSig(id, date, exp))) {
		storageError(w, http.StatusForbidden, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.")
		return
	}
	at, err := time.Parse("20060102T150405Z", date)
	secs, err2 := strconv.Atoi(exp)
	if err != nil || err2 != nil || !s.clock.Now().Before(at.Add(time.Duration(secs)*time.Second)) {
		storageError(w, http.StatusForbidden, "AccessDenied", "Request has expired")
		return
	}
	s.mu.Lock()
	e := s.exports[id]
	s.mu.Unlock()
	if e == nil {
		storageError(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
		return
	}
	b, err := s.zip(e)
	if err != nil {
		storageError(w, http.StatusInternalServerError, "InternalError", err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	_, _ = w.Write(b)
}
