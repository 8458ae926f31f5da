// Command withings-oauth is a small web server that runs the Withings
// OAuth2 dance, keeps the user's token in a file (refreshed once, saved
// before use, shared safely with other processes), and shows the latest
// weight and last night's sleep.
//
//	go run ./examples/withings-oauth
//
// Then open the address it prints and follow "connect". Without
// credentials it runs against the built-in fake (withingstest), whose
// authorization page consents at once. With WITHINGS_CLIENT_ID and
// WITHINGS_CLIENT_SECRET set it talks to the real API; WITHINGS_REDIRECT_URL
// must then be the callback registered with Withings, pointing at this
// server's /callback. Other settings:
//
//	WITHINGS_ADDR        address to listen on (default 127.0.0.1:8080)
//	WITHINGS_TOKEN_FILE  where the token is kept (default withings-token.json
//	                     in the user's cache folder)
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"time"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/withings"
	"github.com/wearkit/wearkit/withings/withingstest"
)

const usage = `usage: withings-oauth

A small web server running the Withings OAuth2 dance, keeping the token in a
file, and showing the latest weight and last night's sleep. Without
credentials it runs against the built-in fake. Settings come from the
environment:

  WITHINGS_CLIENT_ID, WITHINGS_CLIENT_SECRET  application credentials (default: the fake)
  WITHINGS_REDIRECT_URL  the registered callback, ending in /callback (required with credentials)
  WITHINGS_ADDR          address to listen on (default 127.0.0.1:8080)
  WITHINGS_TOKEN_FILE    token file (default withings-token.json in the user's cache folder)
`

func main() { os.Exit(cli(os.Args[1:], os.Stdout, os.Stderr, os.Getenv)) }

// cli runs the command and returns its exit code: 0 for -h, 2 for a bad
// argument, 1 for a failure.
func cli(args []string, stdout, stderr io.Writer, env func(string) string) int {
	fl := flag.NewFlagSet("withings-oauth", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() { fmt.Fprint(stdout, usage) }
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "withings-oauth: unexpected argument %q\n\n%s", fl.Arg(0), usage)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, stdout, env); err != nil {
		fmt.Fprintln(stderr, "withings-oauth:", err)
		return 1
	}
	return 0
}

// settings are the environment's values, all checked before any request.
type settings struct {
	clientID, clientSecret string
	redirect               *url.URL
	addr                   string
	tokenFile              string
}

func readSettings(env func(string) string) (settings, error) {
	s := settings{clientID: env("WITHINGS_CLIENT_ID"), clientSecret: env("WITHINGS_CLIENT_SECRET"), addr: env("WITHINGS_ADDR"), tokenFile: env("WITHINGS_TOKEN_FILE")}
	if (s.clientID == "") != (s.clientSecret == "") {
		return s, errors.New("WITHINGS_CLIENT_ID and WITHINGS_CLIENT_SECRET go together: set both or neither")
	}
	if s.addr == "" {
		s.addr = "127.0.0.1:8080"
	}
	if _, _, err := net.SplitHostPort(s.addr); err != nil {
		return s, fmt.Errorf("WITHINGS_ADDR %q: want host:port", s.addr)
	}
	if r := env("WITHINGS_REDIRECT_URL"); r != "" {
		u, err := url.Parse(r)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Path != "/callback" {
			return s, fmt.Errorf("WITHINGS_REDIRECT_URL %q: want an absolute http(s) URL ending in /callback", r)
		}
		s.redirect = u
	} else if s.clientID != "" {
		return s, errors.New("WITHINGS_REDIRECT_URL is required with WITHINGS_CLIENT_ID: the callback registered with Withings")
	}
	if s.tokenFile == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			return s, fmt.Errorf("WITHINGS_TOKEN_FILE is not set and there is no cache folder: %w", err)
		}
		s.tokenFile = filepath.Join(dir, "withings-token.json")
	}
	if fi, err := os.Stat(filepath.Dir(s.tokenFile)); err != nil || !fi.IsDir() {
		return s, fmt.Errorf("WITHINGS_TOKEN_FILE %q: folder %s does not exist", s.tokenFile, filepath.Dir(s.tokenFile))
	}
	return s, nil
}

func run(ctx context.Context, out io.Writer, env func(string) string) error {
	set, err := readSettings(env)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", set.addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	self := "http://" + ln.Addr().String()
	var fake *withingstest.Server
	if set.clientID == "" {
		fake = withingstest.NewServer(withingstest.WithRedirectURL(self + "/callback"))
		defer fake.Close()
	}
	a := newApp(ctx, set, self, fake)
	fmt.Fprintf(out, "open %s/ (token file %s)\n", self, set.tokenFile)
	hs := &http.Server{Handler: a, ReadHeaderTimeout: 10 * time.Second}
	// Serve returns as soon as Shutdown starts; run waits for Shutdown to
	// finish the requests in flight (a token being saved) before returning.
	served := make(chan struct{})
	shutDown := make(chan struct{})
	go func() {
		defer close(shutDown)
		select {
		case <-ctx.Done():
		case <-served:
			return
		}
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(sctx)
	}()
	err = hs.Serve(ln)
	close(served)
	<-shutDown
	if !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// app is the web application: the OAuth2 configuration, the token file
// and the pending states of logins.
type app struct {
	cfg    *withings.Config
	apiURL string
	store  *wearkit.FileTokenStore
	base   context.Context
	mux    *http.ServeMux

	mu     sync.Mutex
	states map[string]time.Time
	user   *withings.Client
}

// newApp builds the application for a server reachable at self, talking
// to the fake when set has no credentials.
func newApp(ctx context.Context, set settings, self string, fake *withingstest.Server) *app {
	a := &app{store: wearkit.NewFileTokenStore(set.tokenFile), base: ctx, states: map[string]time.Time{}, mux: http.NewServeMux()}
	redirect := self + "/callback"
	if set.redirect != nil {
		redirect = set.redirect.String()
	}
	if set.clientID != "" {
		a.cfg = &withings.Config{ClientID: set.clientID, ClientSecret: set.clientSecret, RedirectURL: redirect,
			Scopes: []string{withings.ScopeMetrics, withings.ScopeActivity}}
		a.apiURL = withings.DefaultBaseURL
	} else {
		a.cfg = &withings.Config{ClientID: withingstest.ClientID, ClientSecret: withingstest.ClientSecret, RedirectURL: redirect,
			Scopes: []string{withings.ScopeMetrics, withings.ScopeActivity}, Endpoint: fake.Endpoint()}
		a.apiURL = fake.URL
	}
	a.mux.HandleFunc("GET /{$}", a.home)
	a.mux.HandleFunc("GET /login", a.login)
	a.mux.HandleFunc("GET /callback", a.callback)
	return a
}

func (a *app) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.mux.ServeHTTP(w, r) }

func (a *app) login(w http.ResponseWriter, r *http.Request) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		http.Error(w, "no randomness", http.StatusInternalServerError)
		return
	}
	state := hex.EncodeToString(b)
	a.mu.Lock()
	for s, t := range a.states {
		if time.Since(t) > 10*time.Minute {
			delete(a.states, s)
		}
	}
	a.states[state] = time.Now()
	a.mu.Unlock()
	http.Redirect(w, r, a.cfg.AuthCodeURL(state), http.StatusFound)
}

func (a *app) callback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	a.mu.Lock()
	_, known := a.states[q.Get("state")]
	delete(a.states, q.Get("state"))
	a.mu.Unlock()
	if !known {
		http.Error(w, "unknown or expired login: start again at /login", http.StatusBadRequest)
		return
	}
	// The code lives 30 seconds: exchange it at once.
	tok, err := a.cfg.Exchange(r.Context(), q.Get("code"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	if err := a.store.Save(r.Context(), tok); err != nil {
		http.Error(w, "saving the token: "+err.Error(), http.StatusInternalServerError)
		return
	}
	http.Redirect(w, r, "/", http.StatusFound)
}

// client returns the user's client over the token file.
func (a *app) client() (*withings.Client, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.user != nil {
		return a.user, nil
	}
	c, err := withings.New(withings.WithBaseURL(a.apiURL), withings.WithTokenSource(a.cfg.TokenSource(a.base, a.store)),
		withings.WithUserAgent("withings-oauth-example"))
	if err != nil {
		return nil, err
	}
	a.user = c
	return c, nil
}

func (a *app) home(w http.ResponseWriter, r *http.Request) {
	tok, err := a.store.Load(r.Context())
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if tok == nil {
		fmt.Fprint(w, `<p>Not connected. <a href="/login">connect</a> your Withings account.</p>`)
		return
	}
	c, err := a.client()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	lines, err := summary(r.Context(), c, time.Now())
	if err != nil {
		if errors.Is(err, wearkit.ErrUnauthorized) {
			fmt.Fprintf(w, `<p>%s</p><p><a href="/login">connect again</a></p>`, html.EscapeString(err.Error()))
			return
		}
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	// The token file keeps the user id the token answer gave.
	fmt.Fprintf(w, "<p>Withings user %s</p><ul>", html.EscapeString(withings.UserID(tok)))
	for _, l := range lines {
		fmt.Fprintf(w, "<li>%s</li>", html.EscapeString(l))
	}
	fmt.Fprint(w, "</ul>")
}

// summary is the latest weight and last night's sleep.
func summary(ctx context.Context, c *withings.Client, now time.Time) ([]string, error) {
	var out []string
	for g, err := range c.Measures(ctx, &withings.MeasureOptions{Types: []withings.MeasureType{withings.Weight}}) {
		if err != nil {
			return nil, err
		}
		m, _ := g.Find(withings.Weight)
		out = append(out, fmt.Sprintf("latest weight: %.1f kg on %s", m.Float(), g.Date.Format("2006-01-02 15:04")))
		break
	}
	if len(out) == 0 {
		out = append(out, "latest weight: none yet")
	}
	today := withings.DateOf(now)
	var last *withings.SleepSummary
	for n, err := range c.SleepSummaries(ctx, &withings.SleepSummaryOptions{Start: today.AddDays(-1), End: today}) {
		if err != nil {
			return nil, err
		}
		if last == nil || last.End.Before(n.End) {
			last = &n
		}
	}
	if last == nil {
		return append(out, "last night: no sleep recorded"), nil
	}
	return append(out, fmt.Sprintf("last night: %v asleep, %s to %s", last.Data.Asleep().Round(time.Minute), last.Start.Format("15:04"), last.End.Format("15:04"))), nil
}
