package withings

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/time/rate"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/internal/redact"
	"github.com/wearkit/wearkit/internal/rest"
)

// DefaultBaseURL is the Withings API host. Request paths ("measure",
// "v2/sleep") resolve against it.
const DefaultBaseURL = "https://wbsapi.withings.net"

// RequestsPerMinute is Withings' limit per application, across all
// endpoints and all users. Past it the API answers status 601.
const RequestsPerMinute = 120

// DefaultMaxWait caps the wait a 601 answer asks for with wait_seconds
// (Withings has been seen to ask for 188 s); past it the call backs off
// this long and tries again, so a caller is never parked for minutes.
const DefaultMaxWait = time.Minute

// NewLimiter returns a limiter at RequestsPerMinute with a burst of 10. The
// limit is per application: pass one limiter to every client of the
// application (WithLimiter), whatever user each one serves.
func NewLimiter() *rate.Limiter {
	return rate.NewLimiter(rate.Every(time.Minute/RequestsPerMinute), 10)
}

// Client talks to the Withings API for one user. It is safe for concurrent
// use.
type Client struct {
	rc     *rest.Client
	tokens oauth2.TokenSource

	notifyMu      sync.Mutex
	notifyLast    time.Time
	notifySpacing time.Duration
}

type config struct {
	rest.Settings
	tokenSource   oauth2.TokenSource
	notifySpacing time.Duration
}

// Option configures a Client. Options validate their arguments: New returns
// the first error.
type Option func(*config) error

// WithBaseURL sets the API host (default DefaultBaseURL), for example the
// URL of a withingstest fake or a HIPAA cloud host.
func WithBaseURL(u string) Option {
	return func(c *config) error { return c.SetBaseURL("withings", u) }
}

// WithHTTPClient sets the *http.Client requests go through. It is copied,
// never modified.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error { return c.SetHTTPClient("withings", hc) }
}

// WithTokenSource authenticates every attempt with a bearer token from ts.
// Use Config.TokenSource: it refreshes once however many goroutines and
// processes share its store, saves the rotated refresh token before the new
// access token is used, and lets the client refresh once and retry when the
// API answers 401 to a token it still thought valid.
func WithTokenSource(ts oauth2.TokenSource) Option {
	return func(c *config) error {
		if ts == nil {
			return errors.New("withings: WithTokenSource: nil token source")
		}
		c.tokenSource = ts
		return nil
	}
}

// WithLimiter gates every attempt with l. Withings limits an application,
// not a user: an application serving many users passes the same limiter
// (NewLimiter) to all its clients. The default is a limiter of the client's
// own at RequestsPerMinute.
func WithLimiter(l *rate.Limiter) Option {
	return func(c *config) error { return c.SetLimiter("withings", l) }
}

// WithRetry sets the retry policy: attempts in all (first included) and
// the exponential backoff range, used for 5xx answers, transport errors and
// 601 answers without wait_seconds.
func WithRetry(maxAttempts int, minBackoff, maxBackoff time.Duration) Option {
	return func(c *config) error { return c.SetRetry("withings", maxAttempts, minBackoff, maxBackoff) }
}

// WithMaxWait caps the wait a 601 answer's wait_seconds asks for (default
// DefaultMaxWait).
func WithMaxWait(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("withings: WithMaxWait: %v is not positive", d)
		}
		c.Retry.MaxRetryAfter = d
		return nil
	}
}

// WithNotifySpacing sets the least time between two notify calls that
// change subscriptions (default 5 s: quick successive calls fail at
// Withings); 0 disables the spacing.
func WithNotifySpacing(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return fmt.Errorf("withings: WithNotifySpacing: %v is negative", d)
		}
		c.notifySpacing = d
		return nil
	}
}

// WithLogger logs one debug record per attempt (method, host, path, status;
// never a header, a query or a token).
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error { return c.SetLogger("withings", l) }
}

// WithUserAgent appends a product to the User-Agent header.
func WithUserAgent(ua string) Option {
	return func(c *config) error { return c.SetUserAgent("withings", ua) }
}

// New returns a client. Without WithTokenSource requests go unauthenticated,
// which the API refuses with status 401.
func New(opts ...Option) (*Client, error) {
	cfg := config{Settings: rest.Settings{BaseURL: DefaultBaseURL}, notifySpacing: 5 * time.Second}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if cfg.Limiter == nil {
		cfg.Limiter = NewLimiter()
	}
	if cfg.Retry.MaxRetryAfter == 0 {
		cfg.Retry.MaxRetryAfter = DefaultMaxWait
	}
	cfg.Retry.Hint = retryHint
	rcfg := cfg.Config("withings")
	rcfg.ParseError = parseError
	if cfg.tokenSource != nil {
		rcfg.Auth = bearer(cfg.tokenSource)
	}
	rc, err := rest.New(rcfg)
	if err != nil {
		return nil, fmt.Errorf("withings: %w", err)
	}
	return &Client{rc: rc, tokens: cfg.tokenSource, notifySpacing: cfg.notifySpacing}, nil
}

// usedTokenKey carries, in a call's context, where the bearer hook writes
// the access token it sent, so a 401 invalidates that token and no other.
type usedTokenKey struct{}

type usedToken struct {
	mu     sync.Mutex
	access string
}

// bearer is rest.BearerAuth that also notes the token sent.
func bearer(ts oauth2.TokenSource) rest.Authenticator {
	inner := rest.BearerAuth(ts)
	return rest.AuthFunc(func(req *http.Request) error {
		if err := inner.Authenticate(req); err != nil {
			return err
		}
		if u, ok := req.Context().Value(usedTokenKey{}).(*usedToken); ok {
			u.mu.Lock()
			u.access = strings.TrimPrefix(req.Header.Get("Authorization"), "Bearer ")
			u.mu.Unlock()
		}
		return nil
	})
}

// envelope is every Withings answer: {"status": 0, "body": {...}} or a
// non-zero status with an "error" text.
type envelope struct {
	Status int    `json:"status"`
	Body   any    `json:"body"` // a pointer to decode the body into
	Error  string `json:"error"`
}

// retryHint is the engine's hint for 2xx answers: status 601 inside a 200
// means "too many requests"; body.wait_seconds, when present, is the wait.
func retryHint(_ *http.Response, peek []byte) (bool, time.Duration) {
	var e struct {
		Status int `json:"status"`
		Body   struct {
			WaitSeconds json.Number `json:"wait_seconds"`
		} `json:"body"`
	}
	if !bytes.Contains(peek, []byte("601")) || json.Unmarshal(peek, &e) != nil || e.Status != StatusTooManyRequests {
		return false, 0
	}
	if f, err := strconv.ParseFloat(e.Body.WaitSeconds.String(), 64); err == nil && f > 0 {
		return true, time.Duration(min(f, 1e6) * float64(time.Second))
	}
	return true, 0
}

// Do sends an API call the client does not type yet through the same path
// as every typed call: the bearer token (refreshed once and retried on a
// 401), the limiter, retries (601 included), the *wearkit.Error type and
// redaction. r.Path resolves against the base URL ("v2/measure"); put
// action= in r.Query or r.Form. out receives the answer's "body" member
// (a pointer to decode it into, or nil to discard it); a non-zero status is
// a *wearkit.Error. Use wearkit.CaptureResponse for the answer's metadata.
func (c *Client) Do(ctx context.Context, r *wearkit.Request, out any) error {
	if r == nil {
		return errors.New("withings: Do: nil request")
	}
	cp := *r
	cp.Header = r.Header.Clone()
	_, err := c.do(ctx, &cp, out)
	return err
}

// do is the one request path of the package: send, check the status inside
// the answer, decode its body into out (in the same pass as the status). A
// 401 (the status inside the answer, or HTTP's from a proxy) makes the
// token source refresh once (when it can) and the call go once more.
func (c *Client) do(ctx context.Context, r *wearkit.Request, out any) (*wearkit.Response, error) {
	used := &usedToken{}
	ctx = context.WithValue(ctx, usedTokenKey{}, used)
	meta, env, err := c.send(ctx, r, out)
	if env.Status == StatusInvalidToken || meta != nil && meta.StatusCode == http.StatusUnauthorized {
		if inv, ok := c.tokens.(invalidator); ok {
			inv.invalidate(used.get())
			meta, env, err = c.send(ctx, r, out)
		}
	}
	if env.Status != 0 {
		// The body of an error answer need not fit out.
		return meta, c.statusError(r, meta, env, used.get())
	}
	return meta, err
}

// send makes one call; the answer's body is decoded into out.
func (c *Client) send(ctx context.Context, r *wearkit.Request, out any) (*wearkit.Response, *envelope, error) {
	if out == nil {
		out = new(json.RawMessage)
	}
	env := &envelope{Body: out}
	meta, err := c.rc.Do(ctx, r, env)
	var de *wearkit.DecodeError
	if err != nil && !errors.As(err, &de) {
		env.Status = 0 // no answer: the engine's error says why
	}
	return meta, env, err
}

func (u *usedToken) get() string {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.access
}

func method(r *wearkit.Request) string {
	if r.Method == "" {
		return http.MethodGet
	}
	return r.Method
}

// url names the request's endpoint and action in errors: the path and the
// action, never another parameter (the engine's own errors carry the full
// redacted URL).
func (c *Client) url(r *wearkit.Request) string {
	u := c.rc.BaseURL().JoinPath(r.Path)
	if a := actionOf(r); a != "" {
		u.RawQuery = "action=" + a
	}
	return u.String()
}

func actionOf(r *wearkit.Request) string {
	if r.Form != nil && r.Form.Get("action") != "" {
		return r.Form.Get("action")
	}
	if q, ok := r.Query.(interface{ action() string }); ok {
		return q.action()
	}
	return ""
}

// statusError turns a non-zero status into the *wearkit.Error every call
// returns: the code, the error text (explained for the codes that need it,
// any echo of the token or a secret parameter scrubbed) and the class.
func (c *Client) statusError(r *wearkit.Request, meta *wearkit.Response, env *envelope, access string) error {
	var sec redact.Secrets
	sec.Add(access)
	sec.AddValues(r.Form)
	if q, ok := r.Query.(url.Values); ok {
		sec.AddValues(q)
	}
	e := &wearkit.Error{
		Vendor:   "withings",
		Method:   method(r),
		URL:      c.url(r),
		Code:     strconv.Itoa(env.Status),
		Message:  sec.Scrub(explain(env.Status, env.Error)),
		Kind:     ClassOf(env.Status),
		Response: meta,
	}
	if meta != nil {
		e.Attempts = meta.Attempts
		e.StatusCode = meta.StatusCode
	}
	return e
}
