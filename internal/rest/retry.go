package rest

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/internal/redact"
)

// RetryPolicy says when and how long the engine waits before sending a
// request again. The zero value means the defaults below.
type RetryPolicy struct {
	// MaxAttempts is the total number of attempts, first included
	// (default 4). 1 disables retries.
	MaxAttempts int
	// MinBackoff is the first wait; it doubles per attempt. Zero, with
	// MaxBackoff zero too, means the defaults: 250 ms, capped at 10 s.
	MinBackoff time.Duration
	// MaxBackoff caps the exponential wait; it may not be below
	// MinBackoff. Each wait is jittered in [d/2, d].
	MaxBackoff time.Duration
	// NoBackoff makes a zero MinBackoff and MaxBackoff mean what they say,
	// retry at once, instead of the defaults (a vendor's WithRetry(n, 0, 0)).
	NoBackoff bool
	// MaxRetryAfter caps a wait the server asks for with Retry-After or a
	// vendor hint (default 60 s), so a server cannot park a caller for hours.
	MaxRetryAfter time.Duration
	// Hint, when set, is asked about every 2xx answer of a retryable request:
	// vendors that report "too many requests" inside a 200 answer (Withings
	// status 601) say so here. peek holds the first bytes of the body (at
	// most MaxErrorBody); the body itself is left intact for the caller.
	// A positive wait overrides the backoff (clamped to MaxRetryAfter).
	Hint func(resp *http.Response, peek []byte) (retry bool, wait time.Duration)
}

// withDefaults fills what the caller left unset. The backoff pair is one
// setting: only when both are zero do the defaults apply, so a policy of
// "no minimum, at most 5 ms" waits at most 5 ms.
func (p RetryPolicy) withDefaults() (RetryPolicy, error) {
	if p.MaxAttempts < 0 || p.MinBackoff < 0 || p.MaxBackoff < 0 || p.MaxRetryAfter < 0 {
		return p, fmt.Errorf("retry policy: negative value (%d attempts, backoff %v..%v, Retry-After cap %v)", p.MaxAttempts, p.MinBackoff, p.MaxBackoff, p.MaxRetryAfter)
	}
	if p.MaxAttempts == 0 {
		p.MaxAttempts = 4
	}
	if p.MinBackoff == 0 && p.MaxBackoff == 0 && !p.NoBackoff {
		p.MinBackoff, p.MaxBackoff = 250*time.Millisecond, 10*time.Second
	}
	if p.MaxBackoff < p.MinBackoff {
		return p, fmt.Errorf("retry policy: maximum backoff %v is below the minimum %v", p.MaxBackoff, p.MinBackoff)
	}
	if p.MaxRetryAfter == 0 {
		p.MaxRetryAfter = time.Minute
	}
	return p, nil
}

// call is the state of one Client.Do across its attempts. It travels in the
// request context so that the retry hooks and the transport can share it.
type call struct {
	retryable bool // idempotent method, or marked safe
	rateKey   string
	wrote     atomic.Bool // some attempt wrote its headers: the server may have it
	attempts  int
	hintWait  time.Duration
	status    int    // last status seen
	body      []byte // excerpt of the last error answer
	header    http.Header
	req       *wearkit.Request // what the caller asked for
	url       *url.URL         // the URL built from it
	sent      []*http.Request  // every attempt and redirect hop as sent, credentials applied
}

// secretValues collects the secrets this call carried: sensitive query and
// form values, sensitive headers of the caller's request and of every
// attempt and hop. It runs only when text is about to leave (an error, a
// log line about a failure), so the happy path pays nothing for it.
func (st *call) secretValues() *redact.Secrets {
	var s redact.Secrets
	if st == nil {
		return &s
	}
	s.AddURL(st.url)
	if st.req != nil {
		s.AddValues(st.req.Form)
		s.AddHeader(st.req.Header)
		for _, v := range st.req.Secrets {
			s.Add(v)
		}
	}
	// Every hop, not only the last: a redirect to another host is sent
	// without credentials, yet its answer or its URL may echo the ones the
	// first hop carried.
	for _, r := range st.sent {
		s.AddHeader(r.Header)
		s.AddURL(r.URL)
	}
	return &s
}

type callKey struct{}

func callFrom(ctx context.Context) *call {
	c, _ := ctx.Value(callKey{}).(*call)
	return c
}

// checkRetry is the engine's retryablehttp.CheckRetry.
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	st := callFrom(ctx)
	if st == nil {
		return false, nil
	}
	st.attempts++
	if err != nil {
		if !retryableTransportError(err) {
			return false, nil
		}
		// A request that never reached the server may always go again.
		return st.retryable || !st.wrote.Load(), nil
	}
	st.status, st.header, st.hintWait = resp.StatusCode, resp.Header, 0
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if c.retry.Hint == nil || !st.retryable {
			return false, nil
		}
		peek := peekBody(resp, wearkit.MaxErrorBody)
		again, wait := c.retry.Hint(resp, peek)
		st.hintWait = wait
		return again, nil
	}
	if resp.StatusCode >= 300 {
		st.body = peekBody(resp, errorPeek)
	}
	if !st.retryable {
		return false, nil
	}
	switch s := resp.StatusCode; {
	case s == http.StatusTooManyRequests:
		if resp.Header.Get("Retry-After") == "" {
			// A wait named in the body: the parser says it.
			st.hintWait = c.parseError(s, resp.Header, st.body).RetryAfter
		}
		return true, nil
	case s >= 500 && s != http.StatusNotImplemented:
		return true, nil
	}
	return false, nil
}

// peekBody reads up to n bytes of resp's body and puts them back in front of
// the rest, so the caller still reads the whole body.
func peekBody(resp *http.Response, n int64) []byte {
	buf, err := io.ReadAll(io.LimitReader(resp.Body, n))
	rest := resp.Body
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(buf), readErr{rest, err}), rest}
	return buf
}

// readErr replays a read error that happened while peeking.
type readErr struct {
	r   io.Reader
	err error
}

func (r readErr) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	return r.r.Read(p)
}

// retryableTransportError reports whether a transport failure might go away
// by itself: connection refused, reset, timeouts. Bad certificates, bad URLs,
// credential failures and local rate-limit refusals do not.
func retryableTransportError(err error) bool {
	var (
		authErr  *wearkit.AuthError
		limitErr *wearkit.LimitError
		certErr  *tls.CertificateVerificationError
	)
	switch {
	case errors.As(err, &authErr), errors.As(err, &limitErr), errors.As(err, &certErr):
		return false
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return false
	}
	msg := err.Error()
	for _, permanent := range []string{"unsupported protocol scheme", "stopped after", "invalid header", "malformed HTTP"} {
		if strings.Contains(msg, permanent) {
			return false
		}
	}
	return true
}

// backoff is the engine's retryablehttp.Backoff: a vendor hint or
// Retry-After if the answer had one (clamped), else capped exponential
// backoff with jitter.
func (c *Client) backoff(_, _ time.Duration, attempt int, resp *http.Response) time.Duration {
	p := c.retry
	if resp != nil {
		if st := callFrom(resp.Request.Context()); st != nil && st.hintWait > 0 {
			return min(st.hintWait, p.MaxRetryAfter)
		}
		if d, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return min(d, p.MaxRetryAfter)
		}
	}
	// MinBackoff doubled per attempt, capped; the comparison is made before
	// shifting so that a large MinBackoff cannot overflow into a small wait.
	d := p.MaxBackoff
	if attempt < 62 && p.MinBackoff <= p.MaxBackoff>>attempt {
		d = p.MinBackoff << attempt
	}
	half := d / 2
	return half + rand.N(d-half+1)
}

// ParseRetryAfter reads a Retry-After value in either form: delay seconds
// ("120") or an HTTP date, relative to now. A date in the past is a zero
// wait.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(1<<62/time.Second) {
			secs = int64(1 << 62 / time.Second)
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}
