package rest

import (
	"github.com/wearkit/wearkit"

	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/wearkit/wearkit/wearkittest"
)

// fastRetry keeps retry tests quick: waits of a millisecond or two.
var fastRetry = RetryPolicy{MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond, MaxRetryAfter: 5 * time.Second}

// echoHandler answers every request with what it saw.
func echoHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		wearkittest.WriteJSON(w, http.StatusOK, map[string]any{
			"method": r.Method, "path": r.URL.Path, "query": r.URL.RawQuery,
			"body": string(body), "ua": r.UserAgent(), "ct": r.Header.Get("Content-Type"),
		})
	})
}

type echo struct {
	Method, Path, Query, Body, UA, CT string
}

func newClient(t *testing.T, base string, mod func(*Config)) *Client {
	t.Helper()
	cfg := Config{BaseURL: base, Retry: fastRetry}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	require.NoError(t, err)
	return c
}

func TestNewValidatesAndCopiesHTTPClient(t *testing.T) {
	for _, bad := range []string{"", "api.example.com", "ftp://x/", "http://", "://"} {
		_, err := New(Config{BaseURL: bad})
		require.Error(t, err, "base %q", bad)
	}

	orig := &http.Client{Timeout: 7 * time.Second}
	c, err := New(Config{BaseURL: "https://api.example.com/v1", HTTPClient: orig})
	require.NoError(t, err)
	assert.Nil(t, orig.Transport, "the caller's client must not be mutated")
	assert.Equal(t, 7*time.Second, c.hc.Timeout, "the copy keeps the caller's settings")
	assert.Equal(t, "https://api.example.com/v1/", c.BaseURL().String(), "a trailing slash is added")
}

func TestRequestBuilding(t *testing.T) {
	srv := wearkittest.Start(t, echoHandler())
	c := newClient(t, srv.URL+"/api", func(cfg *Config) { cfg.UserAgent = "study-sync/2.0" })

	type opts struct {
		Limit  int      `url:"limit,omitempty"`
		Types  []string `url:"types,comma,omitempty"`
		Offset int      `url:"offset"`
	}
	var got echo
	_, err := c.Do(context.Background(), &wearkit.Request{
		Method: http.MethodPost,
		Path:   "records/?fixed=1",
		Query:  &opts{Limit: 20, Types: []string{"a", "b"}},
		Body:   map[string]int{"n": 1},
		Header: http.Header{"Content-Type": {"application/vnd.test+json"}},
		Safe:   true,
	}, &got)
	require.NoError(t, err)
	assert.Equal(t, "POST", got.Method)
	assert.Equal(t, "/api/records/", got.Path)
	assert.Equal(t, "fixed=1&limit=20&offset=0&types=a%2Cb", got.Query)
	assert.Equal(t, `{"n":1}`, got.Body)
	assert.Equal(t, "wearkit/"+Version+" study-sync/2.0", got.UA)
	assert.Equal(t, "application/vnd.test+json", got.CT, "per-request header overrides the engine's")

	// A leading slash goes to the host root; an absolute URL is used as is.
	_, err = c.Do(context.Background(), &wearkit.Request{Path: "/other"}, &got)
	require.NoError(t, err)
	assert.Equal(t, "/other", got.Path)
	_, err = c.Do(context.Background(), &wearkit.Request{Path: srv.URL + "/abs/?x=1", Query: url.Values{"y": {"2"}}}, &got)
	require.NoError(t, err)
	assert.Equal(t, "/abs/", got.Path)
	assert.Equal(t, "x=1&y=2", got.Query)

	// Form bodies.
	_, err = c.Do(context.Background(), &wearkit.Request{Method: "POST", Path: "f", Form: url.Values{"action": {"getmeas"}}, Safe: true}, &got)
	require.NoError(t, err)
	assert.Equal(t, "action=getmeas", got.Body)
	assert.Equal(t, "application/x-www-form-urlencoded", got.CT)

	// A query that is not a struct or url.Values is a clear error, not a panic.
	_, err = c.Do(context.Background(), &wearkit.Request{Path: "x", Query: 42}, nil)
	require.ErrorContains(t, err, "encoding query")
}

func TestStreamIntoWriterAndOpen(t *testing.T) {
	payload := bytes.Repeat([]byte("0123456789"), 100_000)
	srv := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-HexoCache", "1700000000")
		_, _ = w.Write(payload)
	}))
	c := newClient(t, srv.URL, nil)
	var buf bytes.Buffer
	meta, err := c.Do(context.Background(), &wearkit.Request{Path: "blob"}, &buf)
	require.NoError(t, err)
	assert.Equal(t, payload, buf.Bytes())
	assert.Equal(t, "1700000000", meta.Header.Get("X-HexoCache"))
	assert.Equal(t, 1, meta.Attempts)

	resp, _, err := c.Open(context.Background(), &wearkit.Request{Path: "blob"})
	require.NoError(t, err)
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Len(t, got, len(payload))
}

func TestDecodeErrorOnTruncatedBody(t *testing.T) {
	srv := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wearkittest.WriteJSON(w, 200, map[string]string{"a": strings.Repeat("x", 1000)})
	}))
	srv.Faults.Push(wearkittest.Fault{TruncateAfter: 100})
	c := newClient(t, srv.URL, nil)
	var out map[string]string
	_, err := c.Do(context.Background(), &wearkit.Request{Path: "x?token=sekrit-token"}, &out)
	var de *wearkit.DecodeError
	require.ErrorAs(t, err, &de)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.NotContains(t, err.Error(), "sekrit-token")
}

func TestRetriesIdempotentAndSafeWithIdenticalBody(t *testing.T) {
	for _, tc := range []struct {
		name   string
		method string
		safe   bool
	}{
		{"PUT", http.MethodPut, false},
		{"GET", http.MethodGet, false},
		{"safe POST", http.MethodPost, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := wearkittest.Start(t, echoHandler())
			srv.Faults.Statuses("", 503, 502, 429)
			c := newClient(t, srv.URL, nil)
			var got echo
			meta, err := c.Do(context.Background(), &wearkit.Request{Method: tc.method, Path: "r", Body: map[string]any{"steps": []int{1, 2, 3}}, Safe: tc.safe}, &got)
			require.NoError(t, err)
			assert.Equal(t, 4, meta.Attempts)
			entries := srv.Log.Entries()
			require.Len(t, entries, 4)
			for i, e := range entries {
				assert.Equal(t, `{"steps":[1,2,3]}`, string(e.Body), "attempt %d body", i+1)
			}
		})
	}
}

func TestNoRetryFor501And4xx(t *testing.T) {
	for _, status := range []int{501, 400, 401, 403, 404, 405, 409} {
		srv := wearkittest.Start(t, echoHandler())
		srv.Faults.Statuses("", status)
		c := newClient(t, srv.URL, nil)
		_, err := c.Do(context.Background(), &wearkit.Request{Path: "x"}, nil)
		require.Error(t, err)
		assert.Equal(t, 1, srv.Log.Len(), "status %d is not retried", status)
	}
}

func TestFinalErrorNamesLastStatusAndBody(t *testing.T) {
	srv := wearkittest.Start(t, echoHandler())
	for range 4 {
		srv.Faults.Push(wearkittest.Fault{Status: 503, Body: `{"message":"upstream database down"}`})
	}
	c := newClient(t, srv.URL, nil)
	_, err := c.Do(context.Background(), &wearkit.Request{Path: "x"}, nil)
	var e *wearkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 503, e.StatusCode)
	assert.Equal(t, 4, e.Attempts)
	assert.Equal(t, "upstream database down", e.Message)
	assert.ErrorIs(t, err, wearkit.ErrServer)
	assert.Contains(t, err.Error(), "503 Service Unavailable: upstream database down (after 4 attempts)")
	assert.NotContains(t, err.Error(), "giving up")
}

func TestPOSTThatReachedTheServerIsNotSentTwice(t *testing.T) {
	t.Run("5xx answer", func(t *testing.T) {
		srv := wearkittest.Start(t, echoHandler())
		srv.Faults.Statuses("", 503, 503)
		c := newClient(t, srv.URL, nil)
		_, err := c.Do(context.Background(), &wearkit.Request{Method: "POST", Path: "samples", Body: []int{1}}, nil)
		require.ErrorIs(t, err, wearkit.ErrServer)
		assert.Equal(t, 1, srv.Log.Count("POST", "/samples"))
	})
	t.Run("connection reset after the request was sent", func(t *testing.T) {
		srv := wearkittest.Start(t, echoHandler())
		srv.Faults.Push(wearkittest.Fault{Reset: true}, wearkittest.Fault{Reset: true})
		c := newClient(t, srv.URL, nil)
		_, err := c.Do(context.Background(), &wearkit.Request{Method: "POST", Path: "samples", Body: []int{1}}, nil)
		require.Error(t, err)
		assert.Equal(t, 1, srv.Log.Count("POST", "/samples"))
		assert.Equal(t, 1, srv.Faults.Pending(), "the second reset was never needed")
	})
	t.Run("the same reset is retried for GET", func(t *testing.T) {
		srv := wearkittest.Start(t, echoHandler())
		srv.Faults.Push(wearkittest.Fault{Reset: true})
		c := newClient(t, srv.URL, nil)
		_, err := c.Do(context.Background(), &wearkit.Request{Path: "samples"}, nil)
		require.NoError(t, err)
		assert.Equal(t, 2, srv.Log.Count("GET", "/samples"))
	})
	t.Run("a POST that never reached a server is retried", func(t *testing.T) {
		addr := closedAddr(t)
		c := newClient(t, "http://"+addr, nil)
		_, err := c.Do(context.Background(), &wearkit.Request{Method: "POST", Path: "samples", Body: []int{1}}, nil)
		var e *wearkit.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, 4, e.Attempts, "refused connections are safe to retry")
		assert.Equal(t, 0, e.StatusCode)
		assert.Contains(t, err.Error(), "connection refused")
	})
}

// closedAddr returns a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}

func TestRetryAfterHonouredInBothFormsAndClamped(t *testing.T) {
	gap := func(t *testing.T, retryAfter string, maxRA time.Duration) time.Duration {
		srv := wearkittest.Start(t, echoHandler())
		srv.Faults.Statuses(retryAfter, 429)
		c := newClient(t, srv.URL, func(cfg *Config) { cfg.Retry.MaxRetryAfter = maxRA })
		_, err := c.Do(context.Background(), &wearkit.Request{Path: "x"}, nil)
		require.NoError(t, err)
		e := srv.Log.Entries()
		require.Len(t, e, 2)
		return e[1].At.Sub(e[0].At)
	}
	t.Run("seconds", func(t *testing.T) {
		d := gap(t, "1", 5*time.Second)
		assert.GreaterOrEqual(t, d, 950*time.Millisecond)
		assert.Less(t, d, 3*time.Second)
	})
	t.Run("HTTP date", func(t *testing.T) {
		// HTTP dates have one-second resolution: two seconds ahead is a wait
		// of more than one second.
		d := gap(t, time.Now().Add(2*time.Second).UTC().Format(http.TimeFormat), 5*time.Second)
		assert.GreaterOrEqual(t, d, 950*time.Millisecond)
		assert.Less(t, d, 3*time.Second)
	})
	t.Run("clamped", func(t *testing.T) {
		d := gap(t, "3600", 30*time.Millisecond)
		assert.GreaterOrEqual(t, d, 25*time.Millisecond)
		assert.Less(t, d, 900*time.Millisecond)
	})
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"0", 0, true},
		{"120", 2 * time.Minute, true},
		{" 7 ", 7 * time.Second, true},
		{"Sat, 21 Nov 2026 12:00:30 GMT", 30 * time.Second, true},
		{"Saturday, 21-Nov-26 12:01:00 GMT", time.Minute, true},
		{"Sat, 21 Nov 2026 11:00:00 GMT", 0, true},
		{"-5", 0, false},
		{"soon", 0, false},
		{"", 0, false},
	} {
		got, ok := ParseRetryAfter(tc.in, now)
		assert.Equal(t, tc.ok, ok, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
}

func TestBackoffIsCappedAndJittered(t *testing.T) {
	c := newClient(t, "http://127.0.0.1:1", func(cfg *Config) {
		cfg.Retry = RetryPolicy{MinBackoff: 100 * time.Millisecond, MaxBackoff: 800 * time.Millisecond}
	})
	distinct := map[time.Duration]bool{}
	for attempt := range 40 {
		want := min(100*time.Millisecond<<min(attempt, 20), 800*time.Millisecond)
		d := c.backoff(0, 0, attempt, nil)
		assert.GreaterOrEqual(t, d, want/2, "attempt %d", attempt)
		assert.LessOrEqual(t, d, want, "attempt %d", attempt)
		distinct[d] = true
	}
	assert.Greater(t, len(distinct), 10, "waits are jittered")

	// A huge first wait must not overflow into a tiny one when doubled.
	big := newClient(t, "http://127.0.0.1:1", func(cfg *Config) {
		cfg.Retry = RetryPolicy{MinBackoff: 2 * time.Hour, MaxBackoff: 100 * time.Hour}
	})
	for attempt := range 70 {
		d := big.backoff(0, 0, attempt, nil)
		assert.GreaterOrEqual(t, d, time.Hour, "attempt %d", attempt)
		assert.LessOrEqual(t, d, 100*time.Hour, "attempt %d", attempt)
	}
}

func TestCancelledContextEndsBackoffWaitQuickly(t *testing.T) {
	srv := wearkittest.Start(t, echoHandler())
	srv.Faults.Statuses("10", 503)
	c := newClient(t, srv.URL, func(cfg *Config) { cfg.Retry.MaxRetryAfter = time.Minute })
	ctx, cancel := context.WithCancel(context.Background())
	var cancelledAt atomic.Int64
	go func() {
		for srv.Log.Len() == 0 {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(50 * time.Millisecond) // well inside the 10 s wait
		cancelledAt.Store(time.Now().UnixNano())
		cancel()
	}()
	_, err := c.Do(ctx, &wearkit.Request{Path: "x"}, nil)
	elapsed := time.Since(time.Unix(0, cancelledAt.Load()))
	require.ErrorIs(t, err, context.Canceled)
	assert.Less(t, elapsed, 50*time.Millisecond, "the wait ends when the context does")
	assert.Contains(t, err.Error(), "503", "the error still names the last answer")
	assert.Equal(t, 1, srv.Log.Len())
}

func TestVendorRetryHint(t *testing.T) {
	// Withings answers HTTP 200 with status 601 and a wait.
	srv := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wearkittest.WriteJSON(w, 200, map[string]any{"status": 0, "body": map[string]int{"n": 7}})
	}))
	srv.Faults.Push(wearkittest.Fault{Status: 200, Body: `{"status":601,"body":{"wait_seconds":1}}`})
	hint := func(resp *http.Response, peek []byte) (bool, time.Duration) {
		var env struct {
			Status int `json:"status"`
			Body   struct {
				Wait int `json:"wait_seconds"`
			} `json:"body"`
		}
		if json.Unmarshal(peek, &env) != nil || env.Status != 601 {
			return false, 0
		}
		return true, time.Duration(env.Body.Wait) * time.Second
	}
	c := newClient(t, srv.URL, func(cfg *Config) {
		cfg.Retry.Hint = hint
		cfg.Retry.MaxRetryAfter = 40 * time.Millisecond
	})
	var out struct {
		Status int
		Body   struct{ N int }
	}
	meta, err := c.Do(context.Background(), &wearkit.Request{Method: "POST", Path: "measure", Form: url.Values{"action": {"getmeas"}}, Safe: true}, &out)
	require.NoError(t, err)
	assert.Equal(t, 2, meta.Attempts)
	assert.Equal(t, 7, out.Body.N, "the body after the hint's peek is intact")
	e := srv.Log.Entries()
	gap := e[1].At.Sub(e[0].At)
	assert.GreaterOrEqual(t, gap, 35*time.Millisecond, "the hint's wait, clamped, is honoured")
	assert.Less(t, gap, 900*time.Millisecond)

	// An unsafe POST is not retried on the hint: it reached the server.
	srv.Faults.Push(wearkittest.Fault{Status: 200, Body: `{"status":601}`})
	_, err = c.Do(context.Background(), &wearkit.Request{Method: "POST", Path: "measure"}, &out)
	require.NoError(t, err)
	assert.Equal(t, 601, out.Status, "the vendor package sees the 601 and reports it")
}

func TestErrorClasses(t *testing.T) {
	srv := wearkittest.Start(t, echoHandler())
	c := newClient(t, srv.URL, func(cfg *Config) { cfg.Retry.MaxAttempts = 1 })
	for status, want := range map[int]error{
		401: wearkit.ErrUnauthorized, 403: wearkit.ErrForbidden, 404: wearkit.ErrNotFound, 429: wearkit.ErrRateLimited,
		500: wearkit.ErrServer, 502: wearkit.ErrServer, 503: wearkit.ErrServer,
	} {
		srv.Faults.Push(wearkittest.Fault{Status: status, RetryAfter: "7", Body: `{"detail":"nope","code":42}`})
		_, err := c.Do(context.Background(), &wearkit.Request{Path: "x"}, nil)
		require.ErrorIs(t, err, want, "status %d", status)
		for _, other := range []error{wearkit.ErrUnauthorized, wearkit.ErrForbidden, wearkit.ErrNotFound, wearkit.ErrRateLimited, wearkit.ErrServer} {
			if other != want {
				assert.NotErrorIs(t, err, other, "status %d", status)
			}
		}
		var e *wearkit.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "42", e.Code)
		assert.Equal(t, "nope", e.Message)
		assert.Equal(t, 7*time.Second, e.RetryAfter)
	}

	// A vendor parser may reclassify.
	vc := newClient(t, srv.URL, func(cfg *Config) {
		cfg.ParseError = func(status int, _ http.Header, body []byte) ErrorDetail {
			if strings.Contains(string(body), "signature failed") {
				return ErrorDetail{Message: "API signature failed.", Kind: wearkit.ErrUnauthorized}
			}
			return ErrorDetail{}
		}
	})
	srv.Faults.Push(wearkittest.Fault{Status: 400, Body: `{"error":"API signature failed."}`})
	_, err := vc.Do(context.Background(), &wearkit.Request{Path: "x"}, nil)
	assert.ErrorIs(t, err, wearkit.ErrUnauthorized)
}

func TestErrorBodyIsBoundedAndHugeBodyNeverRead(t *testing.T) {
	const huge = 50 << 20
	var written atomic.Int64
	chunk := bytes.Repeat([]byte("E"), 32<<10)
	srv := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(huge))
		w.WriteHeader(http.StatusInternalServerError)
		for sent := 0; sent < huge; sent += len(chunk) {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	}))
	for _, attempts := range []int{1, 3} {
		written.Store(0)
		c := newClient(t, srv.URL, func(cfg *Config) { cfg.Retry.MaxAttempts = attempts })
		_, err := c.Do(context.Background(), &wearkit.Request{Path: "x"}, nil)
		var e *wearkit.Error
		require.ErrorAs(t, err, &e)
		assert.Len(t, e.Body, wearkit.MaxErrorBody)
		assert.Equal(t, attempts, e.Attempts)
		assert.Less(t, len(err.Error()), 1024, "the error text carries an excerpt only")
		// Wait until the server gives up writing into a closed connection,
		// then check how much it managed to send: socket buffers, not 50 MiB.
		require.Eventually(t, func() bool {
			before := written.Load()
			time.Sleep(20 * time.Millisecond)
			return written.Load() == before
		}, 5*time.Second, 10*time.Millisecond)
		assert.Less(t, written.Load(), int64(attempts*12<<20), "attempts=%d: the body was not read", attempts)
	}
}

func TestAuthenticatorRunsOnEveryAttempt(t *testing.T) {
	srv := wearkittest.Start(t, echoHandler())
	srv.Faults.Statuses("", 503, 503)
	var n atomic.Int32
	c := newClient(t, srv.URL, func(cfg *Config) {
		cfg.Auth = AuthFunc(func(req *http.Request) error {
			req.Header.Set("X-Hexoapisignature", fmt.Sprintf("sig-%d-%s", n.Add(1), req.URL.String()))
			return nil
		})
	})
	_, err := c.Do(context.Background(), &wearkit.Request{Path: "user/?limit=1"}, nil)
	require.NoError(t, err)
	var sigs []string
	for _, e := range srv.Log.Entries() {
		sigs = append(sigs, e.Header.Get("X-Hexoapisignature"))
	}
	u := srv.URL + "/user/?limit=1"
	assert.Equal(t, []string{"sig-1-" + u, "sig-2-" + u, "sig-3-" + u}, sigs, "signed per attempt over the URL as sent")

	// A failing authenticator is not retried and is wearkit.ErrUnauthorized.
	bad := newClient(t, srv.URL, func(cfg *Config) {
		cfg.Auth = AuthFunc(func(*http.Request) error { return errors.New("refresh failed") })
	})
	before := srv.Log.Len()
	_, err = bad.Do(context.Background(), &wearkit.Request{Path: "x"}, nil)
	require.ErrorIs(t, err, wearkit.ErrUnauthorized)
	assert.Contains(t, err.Error(), "refresh failed")
	assert.Equal(t, before, srv.Log.Len(), "nothing was sent")
}

func TestRedirectToAnotherHostDropsCredentials(t *testing.T) {
	other := wearkittest.Start(t, echoHandler())
	home := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/away":
			http.Redirect(w, r, other.URL+"/landed", http.StatusFound)
		case "/here":
			http.Redirect(w, r, "/landed", http.StatusFound)
		default:
			echoHandler().ServeHTTP(w, r)
		}
	}))
	c := newClient(t, home.URL, func(cfg *Config) {
		cfg.Auth = AuthFunc(func(req *http.Request) error {
			req.Header.Set("Authorization", "Bearer tok-123456")
			req.Header.Set("X-HEXOAPIKEY", "pub-123456")
			return nil
		})
	})
	hdr := http.Header{"X-Polar-Token": {"polar-123456"}, "X-API-Key": {"key-123456"}}

	_, err := c.Do(context.Background(), &wearkit.Request{Path: "away", Header: hdr}, nil)
	require.NoError(t, err)
	landed, ok := other.Log.Last()
	require.True(t, ok)
	for _, h := range []string{"Authorization", "X-Hexoapikey", "X-Polar-Token", "X-Api-Key"} {
		assert.Empty(t, landed.Header.Get(h), "%s must not reach another host", h)
	}

	_, err = c.Do(context.Background(), &wearkit.Request{Path: "here"}, nil)
	require.NoError(t, err)
	same, _ := home.Log.Last()
	assert.Equal(t, "/landed", same.Path)
	assert.Equal(t, "Bearer tok-123456", same.Header.Get("Authorization"), "same-host redirects keep credentials")
}

func TestRateLimiterPastDeadlineFailsAtOnce(t *testing.T) {
	srv := wearkittest.Start(t, echoHandler())
	c := newClient(t, srv.URL, func(cfg *Config) {
		cfg.Limiter = rate.NewLimiter(rate.Every(time.Hour), 1)
		cfg.KeyLimiter = NewKeyedLimiter(1.0/300, 1) // once per 5 minutes per key
	})
	require.NoError(t, doGet(c, context.Background(), "", "first"))

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	err := doGet(c, ctx, "", "second")
	assert.Less(t, time.Since(start), 50*time.Millisecond, "no waiting for a token that comes too late")
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.ErrorIs(t, err, wearkit.ErrRateLimited)
	var le *wearkit.LimitError
	require.ErrorAs(t, err, &le)
	assert.Greater(t, le.Delay, time.Minute)
	assert.Equal(t, 1, srv.Log.Len())

	// Per key: the first use of a key passes, the second waits five minutes.
	k := newClient(t, srv.URL, func(cfg *Config) { cfg.KeyLimiter = NewKeyedLimiter(1.0/300, 1) })
	require.NoError(t, doGet(k, ctx, "patient-a", "export"))
	require.NoError(t, doGet(k, ctx, "patient-b", "export"), "other keys are not held up")
	start = time.Now()
	err = doGet(k, ctx, "patient-a", "export")
	assert.Less(t, time.Since(start), 50*time.Millisecond)
	require.ErrorAs(t, err, &le)
	assert.Equal(t, "patient-a", le.Key)

	// Without a deadline, a cancelled wait returns the context's error.
	cctx, ccancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, ccancel)
	err = doGet(k, cctx, "patient-a", "export")
	require.ErrorIs(t, err, context.Canceled)
}

func doGet(c *Client, ctx context.Context, key, path string) error {
	_, err := c.Do(ctx, &wearkit.Request{Path: path, RateKey: key}, nil)
	return err
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestRoundTripperAnswerWithoutRequestDoesNotPanic(t *testing.T) {
	// A hand-written RoundTripper (a user's test double) need not set
	// Response.Request; retries and decode errors must not depend on it.
	var n atomic.Int32
	rt := roundTripFunc(func(*http.Request) (*http.Response, error) {
		status, body := http.StatusServiceUnavailable, "busy"
		if n.Add(1) > 1 {
			status, body = http.StatusOK, "{not json"
		}
		return &http.Response{StatusCode: status, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body))}, nil
	})
	c := newClient(t, "https://vendor.example/", func(cfg *Config) { cfg.HTTPClient = &http.Client{Transport: rt} })
	var out map[string]any
	var err error
	require.NotPanics(t, func() { _, err = c.Do(context.Background(), &wearkit.Request{Path: "x"}, &out) })
	var de *wearkit.DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, int32(2), n.Load())
}

// A vendor that names its wait in the error body (the Polar flow server's
// 429 carries {"extra": {"Retry-After": "1"}} and no header) has it
// honoured through ErrorDetail.RetryAfter, clamped like a header, and
// reported on the final error.
func TestRetryAfterFromErrorParser(t *testing.T) {
	parse := func(status int, h http.Header, body []byte) ErrorDetail {
		d := DefaultErrorParser(status, h, body)
		var m struct {
			Extra struct {
				RetryAfter string `json:"Retry-After"`
			} `json:"extra"`
		}
		if json.Unmarshal(body, &m) == nil {
			d.RetryAfter, _ = ParseRetryAfter(m.Extra.RetryAfter, time.Now())
		}
		return d
	}
	body := `{"status_code":429,"detail":"Rate limit exceeded. Retry after 1 seconds.","extra":{"Retry-After":"1"}}`
	t.Run("honoured", func(t *testing.T) {
		srv := wearkittest.Start(t, echoHandler())
		srv.Faults.Push(wearkittest.Fault{Status: 429, Body: body})
		c := newClient(t, srv.URL, func(cfg *Config) { cfg.ParseError = parse })
		_, err := c.Do(context.Background(), &wearkit.Request{Path: "x"}, nil)
		require.NoError(t, err)
		e := srv.Log.Entries()
		require.Len(t, e, 2)
		gap := e[1].At.Sub(e[0].At)
		assert.GreaterOrEqual(t, gap, 950*time.Millisecond)
		assert.Less(t, gap, 3*time.Second)
	})
	t.Run("clamped and reported", func(t *testing.T) {
		srv := wearkittest.Start(t, echoHandler())
		long := strings.Replace(body, `"1"`, `"3600"`, 1)
		srv.Faults.Push(wearkittest.Fault{Status: 429, Body: long}, wearkittest.Fault{Status: 429, Body: long})
		c := newClient(t, srv.URL, func(cfg *Config) {
			cfg.ParseError = parse
			cfg.Retry.MaxAttempts, cfg.Retry.MaxRetryAfter = 2, 20*time.Millisecond
		})
		start := time.Now()
		_, err := c.Do(context.Background(), &wearkit.Request{Path: "x"}, nil)
		require.ErrorIs(t, err, wearkit.ErrRateLimited)
		assert.Less(t, time.Since(start), 900*time.Millisecond)
		var we *wearkit.Error
		require.ErrorAs(t, err, &we)
		assert.Equal(t, time.Hour, we.RetryAfter, "the wait the server asked for, unclamped, is reported")
	})
}
