package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
	"golang.org/x/time/rate"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/wearkittest"
)

// chainTexts returns the text of err and of every error its unwrap chain
// reaches (both Unwrap forms), with the fields of the error types that
// carry text of their own.
func chainTexts(err error) []string {
	var out []string
	var walk func(error)
	walk = func(e error) {
		if e == nil {
			return
		}
		out = append(out, e.Error())
		switch x := e.(type) {
		case *wearkit.Error:
			out = append(out, x.URL, x.Message, x.Code, string(x.Body))
		case *wearkit.DecodeError:
			out = append(out, x.URL)
		case *url.Error:
			out = append(out, x.URL)
		case *oauth2.RetrieveError:
			out = append(out, string(x.Body), x.ErrorDescription, x.ErrorURI)
		}
		switch x := e.(type) {
		case interface{ Unwrap() error }:
			walk(x.Unwrap())
		case interface{ Unwrap() []error }:
			for _, c := range x.Unwrap() {
				walk(c)
			}
		}
	}
	walk(err)
	return out
}

// encodings lists the forms in which a secret can be echoed.
func encodings(s string) []string {
	j, _ := json.Marshal(s)
	js := string(j[1 : len(j)-1])
	return []string{s, url.QueryEscape(s), url.PathEscape(s), js, strings.ReplaceAll(js, "/", `\/`)}
}

func assertChainClean(t *testing.T, where string, err error, secrets ...string) {
	t.Helper()
	for i, text := range chainTexts(err) {
		for _, s := range secrets {
			for _, form := range encodings(s) {
				assert.NotContains(t, text, form, "%s: link/field %d leaks %q", where, i, s)
			}
		}
	}
}

// Point 1: net/http's Referer on a redirect to another host carried the
// whole previous URL, query secrets included.
func TestRedirectToAnotherHostSendsNoReferer(t *testing.T) {
	other := wearkittest.Start(t, echoHandler())
	home := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/landed", http.StatusFound)
	}))
	c := newClient(t, home.URL, nil)
	_, err := c.Do(context.Background(), &wearkit.Request{Path: "away", Query: url.Values{"access_token": {"at-5ecret-1"}, "signature": {"sig-5ecret-2"}}}, nil)
	require.NoError(t, err)
	landed, ok := other.Log.Last()
	require.True(t, ok)
	assert.Empty(t, landed.Header.Get("Referer"))
	for k, vs := range landed.Header {
		for _, v := range vs {
			assert.NotContains(t, v, "5ecret", "header %s", k)
		}
	}
}

// Point 2: a token endpoint that never answers must not hold a request past
// its deadline, whatever the token source.
func TestStuckTokenRefreshEndsWithRequestDeadline(t *testing.T) {
	srv := wearkittest.Start(t, echoHandler())
	block := make(chan struct{})
	t.Cleanup(func() { close(block) })
	stored := wearkit.StoredTokenSource(context.Background(), wearkit.NewMemoryTokenStore(&oauth2.Token{AccessToken: "old", RefreshToken: "r", Expiry: time.Now().Add(-time.Hour)}),
		func(context.Context, *oauth2.Token) (*oauth2.Token, error) { <-block; return nil, errors.New("never") })
	plain := oauth2.ReuseTokenSource(nil, tokenSourceFunc(func() (*oauth2.Token, error) { <-block; return nil, errors.New("never") }))
	for name, ts := range map[string]oauth2.TokenSource{"stored": stored, "plain": plain} {
		t.Run(name, func(t *testing.T) {
			c := newClient(t, srv.URL, func(cfg *Config) { cfg.Auth = BearerAuth(ts) })
			var wg sync.WaitGroup
			for range 5 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
					defer cancel()
					start := time.Now()
					_, err := c.Do(ctx, &wearkit.Request{Path: "x"}, nil)
					assert.ErrorIs(t, err, context.DeadlineExceeded)
					assert.NotErrorIs(t, err, wearkit.ErrUnauthorized, "the caller's deadline is not a credential failure")
					assert.Less(t, time.Since(start), 2*time.Second)
				}()
			}
			wg.Wait()
		})
	}
}

type tokenSourceFunc func() (*oauth2.Token, error)

func (f tokenSourceFunc) Token() (*oauth2.Token, error) { return f() }

// Points 3, 4 and 16: echoes in other encodings, a secret straddling the
// 4 KiB cut, a body that scrubbing would grow past 4 KiB, an excerpt cut
// inside a character.
func TestErrorBodyEchoesAreScrubbedInEveryForm(t *testing.T) {
	const tok = "tok/With+Plus=Slash9876"
	const jtok = "abc/def+ghi/jkl=="
	var body string
	srv := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(body))
	}))
	c := newClient(t, srv.URL, func(cfg *Config) {
		cfg.Retry.MaxAttempts = 1
		cfg.Auth = AuthFunc(func(r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+tok)
			r.Header.Set("X-API-Key", jtok)
			return nil
		})
	})
	do := func() *wearkit.Error {
		_, err := c.Do(context.Background(), &wearkit.Request{Path: "x"}, nil)
		var e *wearkit.Error
		require.ErrorAs(t, err, &e)
		assertChainClean(t, "error", err, tok, jtok)
		return e
	}

	body = `{"message": "bad token ` + url.QueryEscape(tok) + ` and ` + strings.ReplaceAll(jtok, "/", `\/`) + `"}`
	e := do()
	assert.Contains(t, e.Message, "REDACTED")

	// A 36-character secret straddling byte 4096 of the body.
	const long = "straddle-5ecret-0123456789abcdefghij"
	c2 := newClient(t, srv.URL, func(cfg *Config) {
		cfg.Retry.MaxAttempts = 1
		cfg.Auth = QueryAuth("token", long)
	})
	body = strings.Repeat("x", wearkit.MaxErrorBody-10) + long + strings.Repeat("y", 100)
	_, err := c2.Do(context.Background(), &wearkit.Request{Path: "x"}, nil)
	var e2 *wearkit.Error
	require.ErrorAs(t, err, &e2)
	assert.LessOrEqual(t, len(e2.Body), wearkit.MaxErrorBody)
	assert.NotContains(t, string(e2.Body), long[:10], "no part of the straddling secret survives the cut")

	// A 4-character secret filling the body: REDACTED is longer, the
	// body still keeps at most MaxErrorBody bytes.
	c3 := newClient(t, srv.URL, func(cfg *Config) {
		cfg.Retry.MaxAttempts = 1
		cfg.Auth = QueryAuth("token", "w4x9")
	})
	body = strings.Repeat("w4x9", 2*wearkit.MaxErrorBody)
	_, err = c3.Do(context.Background(), &wearkit.Request{Path: "x"}, nil)
	var e3 *wearkit.Error
	require.ErrorAs(t, err, &e3)
	assert.LessOrEqual(t, len(e3.Body), wearkit.MaxErrorBody)
	assert.NotContains(t, string(e3.Body), "w4x9")

	// The excerpt in Error() never splits a character.
	body = strings.Repeat("a", 511) + strings.Repeat("é", 50)
	e4 := do()
	assert.True(t, utf8.ValidString(e4.Error()), "%q", e4.Error())
	assert.True(t, utf8.Valid(e4.Body))
}

// Point 6: user information in the base URL, a password echoed in a body,
// a token used as the user name.
func TestUserinfoSecretsNeverLeave(t *testing.T) {
	srv := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, _ := r.BasicAuth()
		wearkittest.WriteJSON(w, http.StatusUnauthorized, map[string]string{"message": "bad credentials " + u + ":" + p})
	}))
	host := strings.TrimPrefix(srv.URL, "http://")
	for _, base := range []string{"http://bob:pw-5ecret-77@" + host, "http://tok-5ecret-88@" + host} {
		c := newClient(t, base, func(cfg *Config) { cfg.Retry.MaxAttempts = 1 })
		_, err := c.Do(context.Background(), &wearkit.Request{Path: "x"}, nil)
		require.ErrorIs(t, err, wearkit.ErrUnauthorized)
		assertChainClean(t, base, err, "pw-5ecret-77", "tok-5ecret-88")
	}
}

// Point 7: credentials are applied after the limiter's wait, so each
// signature is fresh when it is sent.
func TestCredentialsAppliedAfterRateLimitWait(t *testing.T) {
	srv := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		signedAt, _ := time.Parse(time.RFC3339Nano, r.Header.Get("X-Signed-At"))
		wearkittest.WriteJSON(w, http.StatusOK, map[string]any{"age_ms": time.Since(signedAt).Milliseconds()})
	}))
	c := newClient(t, srv.URL, func(cfg *Config) {
		cfg.Limiter = rate.NewLimiter(rate.Every(150*time.Millisecond), 1)
		cfg.Auth = AuthFunc(func(r *http.Request) error {
			r.Header.Set("X-Signed-At", time.Now().Format(time.RFC3339Nano))
			return nil
		})
	})
	var wg sync.WaitGroup
	ages := make([]int64, 4)
	for i := range ages {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var out struct {
				AgeMS int64 `json:"age_ms"`
			}
			_, err := c.Do(context.Background(), &wearkit.Request{Path: "x"}, &out)
			assert.NoError(t, err)
			ages[i] = out.AgeMS
		}()
	}
	wg.Wait()
	for i, a := range ages {
		// The last caller waited about 450 ms in the limiter; its
		// signature must not be that old.
		assert.Less(t, a, int64(100), "caller %d's credentials were %d ms old when they arrived", i, a)
	}
}

// Point 8: a 2xx JSON answer larger than the maximum fails cleanly, having
// read no more than the maximum (plus one byte).
func TestHugeJSONAnswerFailsAtTheMaximum(t *testing.T) {
	srv := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte("["))
		chunk := []byte(strings.Repeat("1234567,", 1<<14))
		for range 64 { // 8 MiB
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
		_, _ = w.Write([]byte("0]"))
	}))
	c := newClient(t, srv.URL, func(cfg *Config) { cfg.MaxResponseSize = 1 << 20 })
	var out []int
	_, err := c.Do(context.Background(), &wearkit.Request{Path: "x"}, &out)
	require.ErrorIs(t, err, wearkit.ErrTooLarge)
	var de *wearkit.DecodeError
	require.ErrorAs(t, err, &de)
	assert.Contains(t, err.Error(), "more than 1048576 bytes")

	// Under the maximum it decodes.
	big := newClient(t, srv.URL, func(cfg *Config) { cfg.MaxResponseSize = 16 << 20 })
	_, err = big.Do(context.Background(), &wearkit.Request{Path: "x"}, &out)
	require.NoError(t, err)
	assert.Len(t, out, 64<<14+1)

	_, err = New(Config{BaseURL: "http://h/", MaxResponseSize: -1})
	require.Error(t, err)
}

// Point 14: a zero minimum backoff with a 5 ms maximum waits at most 5 ms
// per retry (it waited about 430 ms); a maximum below the minimum is
// refused rather than raised.
func TestRetryPolicyHonoursWhatTheCallerSet(t *testing.T) {
	srv := wearkittest.Start(t, echoHandler())
	c := newClient(t, srv.URL, func(cfg *Config) {
		cfg.Retry = RetryPolicy{MaxAttempts: 3, MinBackoff: 0, MaxBackoff: 5 * time.Millisecond}
	})
	srv.Faults.Statuses("", 503, 503)
	start := time.Now()
	_, err := c.Do(context.Background(), &wearkit.Request{Path: "x"}, nil)
	require.NoError(t, err)
	assert.Less(t, time.Since(start), 200*time.Millisecond)
	assert.Equal(t, 0, srv.Faults.Pending())

	_, err = New(Config{BaseURL: "http://h/", Retry: RetryPolicy{MinBackoff: time.Second, MaxBackoff: time.Millisecond}})
	require.ErrorContains(t, err, "below the minimum")
	_, err = New(Config{BaseURL: "http://h/", Retry: RetryPolicy{MaxAttempts: -1}})
	require.Error(t, err)
}

// The secrets test of the whole engine: every error and log line of a run
// of scenarios (success, 4xx echoing secrets raw, percent-encoded and
// JSON-escaped, a secret at the 4 KiB cut, transport errors, a refresh
// error echoing the refresh token, a redirect to another host) is searched,
// each link of each error's unwrap chain too, for every secret used.
func TestNoSecretInAnyErrorLinkOrLogLine(t *testing.T) {
	secrets := []string{"q-token-5ecret", "q-access-5ecret", "q-signature-5ecret", "h-bearer-5ecret/+x=",
		"h-xapikey-5ecret", "f-refresh-5ecret", "rt-refresh-5ecret", "at-old-5ecret", "u-pass-5ecret", "u-tok-5ecret"}
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var errs []error

	echoAll := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b strings.Builder
		_, _ = b.WriteString(r.URL.String())
		for k, vs := range r.Header {
			fmt.Fprintf(&b, " %s=%s", k, strings.Join(vs, ","))
		}
		raw := b.String()
		msg := raw + " " + url.QueryEscape(raw) + " " + strings.ReplaceAll(raw, "/", `\/`)
		switch r.URL.Path {
		case "/ok":
			wearkittest.WriteJSON(w, http.StatusOK, map[string]string{"fine": "yes"})
		case "/cut":
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(strings.Repeat(".", wearkit.MaxErrorBody-7) + r.URL.Query().Get("token")))
		default:
			wearkittest.WriteJSON(w, http.StatusUnauthorized, map[string]string{"message": msg, "code": r.URL.Query().Get("signature")})
		}
	})
	other := wearkittest.Start(t, echoAll)
	srv := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/redirect" {
			http.Redirect(w, r, other.URL+"/elsewhere?"+r.URL.RawQuery, http.StatusFound)
			return
		}
		echoAll(w, r)
	}))
	tokenSrv := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		wearkittest.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant", "error_description": "refresh token " + r.PostForm.Get("refresh_token") + " expired"})
	}))
	conf := &oauth2.Config{ClientID: "id", ClientSecret: "cs-5ecret", Endpoint: oauth2.Endpoint{TokenURL: tokenSrv.URL + "/token", AuthStyle: oauth2.AuthStyleInParams}}
	refreshing := wearkit.StoredTokenSource(context.Background(),
		wearkit.NewMemoryTokenStore(&oauth2.Token{AccessToken: "at-old-5ecret", RefreshToken: "rt-refresh-5ecret", Expiry: time.Now().Add(-time.Hour)}),
		func(ctx context.Context, old *oauth2.Token) (*oauth2.Token, error) {
			return conf.TokenSource(ctx, old).Token()
		})
	secrets = append(secrets, "cs-5ecret")

	query := url.Values{"token": {"q-token-5ecret"}, "access_token": {"q-access-5ecret"}, "signature": {"q-signature-5ecret"}}
	hdr := http.Header{"X-API-Key": {"h-xapikey-5ecret"}}
	bearer := BearerAuth(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "h-bearer-5ecret/+x="}))
	host := strings.TrimPrefix(srv.URL, "http://")
	scenarios := []struct {
		name string
		base string
		auth Authenticator
		req  wearkit.Request
	}{
		{"success", srv.URL, bearer, wearkit.Request{Path: "ok", Query: query, Header: hdr}},
		{"echo 401", srv.URL, bearer, wearkit.Request{Path: "echo", Query: query, Header: hdr}},
		{"form echo", srv.URL, bearer, wearkit.Request{Method: "POST", Safe: true, Path: "echo", Form: url.Values{"refresh_token": {"f-refresh-5ecret"}}}},
		{"cut at 4 KiB", srv.URL, bearer, wearkit.Request{Path: "cut", Query: query}},
		{"transport error", "http://" + closedAddr(t), bearer, wearkit.Request{Path: "x", Query: query, Header: hdr}},
		{"refresh error", srv.URL, BearerAuth(refreshing), wearkit.Request{Path: "echo", Query: query}},
		{"redirect", srv.URL, bearer, wearkit.Request{Path: "redirect", Query: query, Header: hdr}},
		{"userinfo password", "http://bob:u-pass-5ecret@" + host, nil, wearkit.Request{Path: "echo"}},
		{"userinfo token", "http://u-tok-5ecret@" + host, nil, wearkit.Request{Path: "echo"}},
		{"decode error", srv.URL, bearer, wearkit.Request{Path: "ok", Query: query}},
	}
	for _, sc := range scenarios {
		c := newClient(t, sc.base, func(cfg *Config) {
			cfg.Logger, cfg.Auth = logger, sc.auth
			cfg.Retry.MaxAttempts = 2
		})
		var out any = nil
		if sc.name == "decode error" {
			out = &[]int{}
		}
		req := sc.req
		_, err := c.Do(context.Background(), &req, out)
		if sc.name == "success" || sc.name == "redirect" && err == nil {
			continue
		}
		require.Error(t, err, sc.name)
		errs = append(errs, err)
	}
	require.GreaterOrEqual(t, len(errs), 8)
	for i, err := range errs {
		assertChainClean(t, fmt.Sprintf("error %d", i), err, secrets...)
	}
	require.NotEmpty(t, logs.String())
	for _, s := range secrets {
		for _, form := range encodings(s) {
			assert.NotContains(t, logs.String(), form, "the log leaks %q", s)
		}
	}
}

// Through the engine too, a scrubbed refresh error keeps *wearkit.AuthError
// and *oauth2.RetrieveError reachable with errors.As.
func TestEngineRefreshErrorKeepsItsTypes(t *testing.T) {
	srv := wearkittest.Start(t, echoHandler())
	ts := wearkit.StoredTokenSource(context.Background(), wearkit.NewMemoryTokenStore(&oauth2.Token{AccessToken: "at-5ecret-5", RefreshToken: "rt-5ecret-6", Expiry: time.Now().Add(-time.Hour)}),
		func(_ context.Context, old *oauth2.Token) (*oauth2.Token, error) {
			return nil, &oauth2.RetrieveError{ErrorCode: "invalid_grant", ErrorDescription: "token " + old.RefreshToken + " expired"}
		})
	c := newClient(t, srv.URL, func(cfg *Config) { cfg.Auth = BearerAuth(ts) })
	_, err := c.Do(context.Background(), &wearkit.Request{Path: "x"}, nil)
	require.ErrorIs(t, err, wearkit.ErrUnauthorized)
	var ae *wearkit.AuthError
	require.ErrorAs(t, err, &ae)
	var re *oauth2.RetrieveError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "invalid_grant", re.ErrorCode)
	assertChainClean(t, "refresh error", err, "rt-5ecret-6", "at-5ecret-5")
	assert.Equal(t, 0, srv.Log.Len(), "nothing was sent without credentials")
}

// A secret the engine cannot recognise (a password inside a JSON body),
// named in Request.Secrets, is scrubbed from the error in every form the
// server may echo it, and across the 4 KiB cut.
func TestRequestSecretsAreScrubbedLikeCredentials(t *testing.T) {
	const pw = `pa55/word+with"quote`
	var body string
	srv := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(body))
	}))
	c := newClient(t, srv.URL, func(cfg *Config) { cfg.Retry.MaxAttempts = 1 })
	escaped, _ := json.Marshal(pw)
	for _, b := range []string{
		`{"message": "wrong password ` + string(escaped[1:len(escaped)-1]) + `"}`,
		`{"message": "wrong password ` + url.QueryEscape(pw) + `"}`,
		strings.Repeat("x", 4096-8) + pw,
	} {
		body = b
		_, err := c.Do(context.Background(), &wearkit.Request{Method: http.MethodPost, Path: "x", Body: map[string]string{"password": pw}, Secrets: []string{pw}}, nil)
		var e *wearkit.Error
		require.ErrorAs(t, err, &e)
		assertChainClean(t, "error", err, pw, string(escaped[1:len(escaped)-1]), url.QueryEscape(pw), pw[:8])
		assert.NotContains(t, string(e.Body), pw[:8])
	}
}
