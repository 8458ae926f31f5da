package hexoskin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/time/rate"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/internal/rest"
)

// DefaultBaseURL is the Hexoskin API host. Request paths ("api/record/")
// resolve against it.
const DefaultBaseURL = "https://api.hexoskin.com"

// DefaultAPIVersion is the API version sent in X-HexoAPIVersion unless
// WithAPIVersion says otherwise. The documentation this client follows is the
// one for 3.3.x.
const DefaultAPIVersion = "3.3.x"

// DefaultRate is the default client-wide request rate: Hexoskin's own helper
// scripts stay below 5 requests per second.
const DefaultRate = 5

// Client talks to the Hexoskin REST API. It is safe for concurrent use.
type Client struct {
	rc         *rest.Client
	apiVersion string
}

type config struct {
	rest.Settings
	apiVersion string
	now        func() time.Time

	publicKey, privateKey string
	basicUser, basicPass  string
	hasBasic              bool
	tokenSource           oauth2.TokenSource
}

// Option configures a Client. Options validate their arguments: New returns
// the first error.
type Option func(*config) error

// WithBaseURL sets the API host (default DefaultBaseURL), for example the
// URL of a hexoskintest fake.
func WithBaseURL(u string) Option {
	return func(c *config) error { return c.SetBaseURL("hexoskin", u) }
}

// WithHTTPClient sets the *http.Client requests go through. It is copied,
// never modified.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error { return c.SetHTTPClient("hexoskin", hc) }
}

// WithAPIKey signs every request (every attempt, every retry) with an API
// key: X-HEXOAPIKEY carries the public key, X-HEXOTIMESTAMP the Unix time
// in seconds and X-HEXOAPISIGNATURE the Sign of the private key, that time
// and the exact URL sent. The private key itself is never sent.
func WithAPIKey(public, private string) Option {
	return func(c *config) error {
		if public == "" || private == "" {
			return errors.New("hexoskin: WithAPIKey: public and private key must both be set")
		}
		c.publicKey, c.privateKey = public, private
		return nil
	}
}

// WithBasicAuth sends HTTP Basic credentials. It may be combined with
// WithAPIKey (Hexoskin's own client sends both).
func WithBasicAuth(username, password string) Option {
	return func(c *config) error {
		if username == "" {
			return errors.New("hexoskin: WithBasicAuth: empty username")
		}
		c.basicUser, c.basicPass, c.hasBasic = username, password, true
		return nil
	}
}

// WithTokenSource authenticates with OAuth2 bearer tokens from ts. A
// refreshing source must refresh once however many calls need it:
// StoredTokenSource does, and saves each new token before it is used;
// oauth2.Config.TokenSource does too, but keeps the token only in memory.
// See OAuth2Config for Hexoskin's endpoints.
func WithTokenSource(ts oauth2.TokenSource) Option {
	return func(c *config) error {
		if ts == nil {
			return errors.New("hexoskin: WithTokenSource: nil token source")
		}
		c.tokenSource = ts
		return nil
	}
}

// WithAPIVersion sets X-HexoAPIVersion (default DefaultAPIVersion). An
// empty string is an error; use WithAPIVersion("current") only if you accept
// breaking changes, since that is what the server picks without the header.
func WithAPIVersion(v string) Option {
	return func(c *config) error {
		if strings.TrimSpace(v) == "" {
			return errors.New("hexoskin: WithAPIVersion: empty version")
		}
		c.apiVersion = v
		return nil
	}
}

// WithRateLimit sets the client-wide request rate (requests per second) and
// burst. The default is DefaultRate per second, burst DefaultRate.
// rate.Inf disables limiting.
func WithRateLimit(perSecond rate.Limit, burst int) Option {
	return func(c *config) error { return c.SetRateLimit("hexoskin", perSecond, burst) }
}

// WithRetry sets the retry policy (see the defaults of the engine: 4
// attempts, 250 ms doubling backoff, Retry-After honoured up to 60 s). A
// zero maxBackoff retries at once.
func WithRetry(maxAttempts int, minBackoff, maxBackoff time.Duration) Option {
	return func(c *config) error {
		if err := c.SetRetry("hexoskin", maxAttempts, minBackoff, maxBackoff); err != nil {
			return err
		}
		return nil
	}
}

// WithLogger logs one debug record per attempt (method, host, path, status;
// never a header, a query or a key).
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error { return c.SetLogger("hexoskin", l) }
}

// WithUserAgent appends a product to the User-Agent header.
func WithUserAgent(ua string) Option {
	return func(c *config) error { return c.SetUserAgent("hexoskin", ua) }
}

// WithClock sets the clock used for X-HEXOTIMESTAMP (tests; the default is
// time.Now).
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("hexoskin: WithClock: nil clock")
		}
		c.now = now
		return nil
	}
}

// New returns a client. Without an authentication option requests go
// unauthenticated, which the API refuses for almost everything.
func New(opts ...Option) (*Client, error) {
	cfg := config{
		Settings:   rest.Settings{BaseURL: DefaultBaseURL, Limiter: rate.NewLimiter(DefaultRate, DefaultRate)},
		apiVersion: DefaultAPIVersion,
		now:        time.Now,
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if cfg.tokenSource != nil && (cfg.privateKey != "" || cfg.hasBasic) {
		return nil, errors.New("hexoskin: WithTokenSource cannot be combined with WithAPIKey or WithBasicAuth")
	}
	rcfg := cfg.Config("hexoskin")
	rcfg.Auth, rcfg.ParseError = cfg.authenticator(), parseError
	rc, err := rest.New(rcfg)
	if err != nil {
		return nil, fmt.Errorf("hexoskin: %w", err)
	}
	return &Client{rc: rc, apiVersion: cfg.apiVersion}, nil
}

// Cached reports whether an answer came from the API's cache (an
// X-HexoCache header) and when that cache entry was made.
func Cached(resp *wearkit.Response) (at time.Time, ok bool) {
	if resp == nil {
		return time.Time{}, false
	}
	if v := resp.Header.Get("X-HexoCache"); v != "" {
		return parseUnix(v)
	}
	return time.Time{}, false
}

// Do sends an API call the client does not type yet (reports, EDF, a new
// resource) through the same path as every typed call: API-key signing on
// every attempt (or Basic or OAuth2), X-HexoAPIVersion, the rate limiter,
// retries, the *wearkit.Error type and redaction. r.Path resolves against
// the base URL ("api/report/"). out is a pointer to decode a JSON answer
// into, an io.Writer to stream the answer to, or nil to discard it. Use
// wearkit.CaptureResponse for the answer's status and headers.
func (c *Client) Do(ctx context.Context, r *wearkit.Request, out any) error {
	if r == nil {
		return errors.New("hexoskin: Do: nil request")
	}
	cp := *r
	cp.Header = r.Header.Clone()
	resp, err := c.do(ctx, &cp, out)
	// Tastypie answers 204 without a body (or a Content-Type) after a
	// DELETE or a write without always_return_data: nothing to decode.
	var de *wearkit.DecodeError
	if err != nil && resp != nil && resp.StatusCode == http.StatusNoContent && errors.As(err, &de) && errors.Is(de.Err, io.EOF) {
		return nil
	}
	return err
}

// do is the one request path of the package.
func (c *Client) do(ctx context.Context, r *wearkit.Request, out any) (*wearkit.Response, error) {
	c.prepare(r)
	return c.rc.Do(ctx, r, out)
}

// open is do for an answer the caller streams; it must close the body.
func (c *Client) open(ctx context.Context, r *wearkit.Request) (*http.Response, *wearkit.Response, error) {
	c.prepare(r)
	return c.rc.Open(ctx, r)
}

func (c *Client) prepare(r *wearkit.Request) {
	// Keys written by hand ("x-hexoapiversion") are made canonical first, so
	// the check below sees them and the engine does not get two spellings
	// of one header, whose map order would pick the winner.
	h := make(http.Header, len(r.Header)+1)
	for k, vs := range r.Header {
		ck := http.CanonicalHeaderKey(k)
		h[ck] = append(h[ck], vs...)
	}
	r.Header = h
	if r.Header.Get("X-HexoAPIVersion") == "" {
		r.Header.Set("X-HexoAPIVersion", c.apiVersion)
	}
}
