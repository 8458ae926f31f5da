package polar

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/internal/rest"
)

// apiPrefix is where the server mounts its API under the base URL.
const apiPrefix = "api/v1/"

// DefaultMaxRetryAfter caps the wait a 429 asks for (the server names it in
// its body) before each retry; a longer wait is cut to this, and a call
// still refused after its last attempt fails with wearkit.ErrRateLimited,
// the wait the server asked for in the error's RetryAfter.
const DefaultMaxRetryAfter = time.Minute

// Client talks to one polar-flow-server. It is safe for concurrent use.
type Client struct {
	rc         *rest.Client
	polarToken string
	apiKey     string
}

type config struct {
	rest.Settings
	apiKey     string
	polarToken string
}

// Option configures a Client. Options validate their arguments: New returns
// the first error.
type Option func(*config) error

// WithBaseURL sets the server's address, the page's {base_url}
// ("http://localhost:8000"); a trailing "/api/v1" is accepted too. It is
// required: a self-hosted server has no default host.
func WithBaseURL(u string) Option {
	return func(c *config) error {
		if err := rest.CheckURL("polar", "WithBaseURL", u); err != nil {
			return err
		}
		v := strings.TrimSpace(u)
		p, err := url.Parse(v)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return fmt.Errorf("polar: WithBaseURL: %q is not an absolute http or https URL", v)
		}
		p.Path = strings.TrimSuffix(strings.TrimSuffix(p.Path, "/"), "/api/v1")
		c.BaseURL = p.String()
		return nil
	}
}

// WithAPIKey sends key as X-API-Key on every request. The server's code
// requires a key on every data endpoint (its page says "if configured").
func WithAPIKey(key string) Option {
	return func(c *config) error {
		if strings.TrimSpace(key) == "" {
			return errors.New("polar: WithAPIKey: empty key")
		}
		c.apiKey = key
		return nil
	}
}

// WithPolarToken sets the Polar AccessLink access token the server needs to
// sync a user's data from Polar. It is sent, as X-Polar-Token, with
// TriggerSync only, never with the other calls.
func WithPolarToken(token string) Option {
	return func(c *config) error {
		if strings.TrimSpace(token) == "" {
			return errors.New("polar: WithPolarToken: empty token")
		}
		c.polarToken = token
		return nil
	}
}

// WithHTTPClient sets the *http.Client requests go through. It is copied,
// never modified.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error { return c.SetHTTPClient("polar", hc) }
}

// WithRateLimit limits the client to perSecond requests per second with the
// given burst, on top of the server's own limit (by default 1000 per hour
// per key, which the server enforces with 429). The default is no client
// limit.
func WithRateLimit(perSecond rate.Limit, burst int) Option {
	return func(c *config) error { return c.SetRateLimit("polar", perSecond, burst) }
}

// WithRetry sets the retry policy: attempts in all, the backoff range, and
// the longest Retry-After honoured (0 keeps DefaultMaxRetryAfter). GETs are
// retried on 429, 5xx and connection errors; POSTs only when no attempt
// reached the server.
func WithRetry(maxAttempts int, minBackoff, maxBackoff, maxRetryAfter time.Duration) Option {
	return func(c *config) error {
		return c.SetRetryCapped("polar", maxAttempts, minBackoff, maxBackoff, maxRetryAfter)
	}
}

// WithLogger logs one debug record per attempt (method, host, path,
// status; never a header, a query or a key).
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error { return c.SetLogger("polar", l) }
}

// WithUserAgent appends a product to the User-Agent header.
func WithUserAgent(ua string) Option {
	return func(c *config) error { return c.SetUserAgent("polar", ua) }
}

// WithMaxResponseSize bounds a JSON answer, in bytes (default 64 MiB); a
// larger one fails with wearkit.ErrTooLarge. CSV exports streamed to a
// writer are not bounded.
func WithMaxResponseSize(n int64) Option {
	return func(c *config) error { return c.SetMaxResponseSize("polar", n) }
}

// New returns a client. WithBaseURL is required; WithAPIKey nearly always
// is (the server refuses data calls without a key).
func New(opts ...Option) (*Client, error) {
	cfg := config{Settings: rest.Settings{Retry: rest.RetryPolicy{MaxRetryAfter: DefaultMaxRetryAfter}}}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if cfg.BaseURL == "" {
		return nil, errors.New("polar: WithBaseURL is required: a self-hosted server has no default address")
	}
	rcfg := cfg.Config("polar")
	rcfg.ParseError = parseError
	if cfg.apiKey != "" {
		rcfg.Auth = rest.HeaderAuth("X-API-Key", cfg.apiKey)
	}
	rc, err := rest.New(rcfg)
	if err != nil {
		return nil, fmt.Errorf("polar: %w", err)
	}
	return &Client{rc: rc, polarToken: cfg.polarToken, apiKey: cfg.apiKey}, nil
}

// Do sends an API call the client does not type through the same path as
// every typed call: the API key, the rate limiter, retries (429 waits for
// the Retry-After the server puts in its body), the *wearkit.Error type and
// redaction. r.Path resolves against the base URL, so API paths start with
// "api/v1/". out is a pointer to decode JSON into, an io.Writer to stream
// the answer to, or nil to discard it.
func (c *Client) Do(ctx context.Context, r *wearkit.Request, out any) error {
	if r == nil {
		return errors.New("polar: Do: nil request")
	}
	cp := *r
	cp.Header = r.Header.Clone()
	_, err := c.do(ctx, &cp, out)
	return err
}

// do is the one request path of the package.
func (c *Client) do(ctx context.Context, r *wearkit.Request, out any) (*wearkit.Response, error) {
	return c.rc.Do(ctx, r, out)
}

// userIDRule is the server's rule for the user_id path segment.
var userIDRule = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,100}$`)

// ValidateUserID reports whether the server would take userID as a path
// segment (^[a-zA-Z0-9_-]{1,100}$), so a program can check its settings
// before any request. Every call checks it too.
func ValidateUserID(userID string) error { return checkUser("ValidateUserID", userID) }

// checkUser refuses a user id the server would refuse, before sending.
func checkUser(method, userID string) error {
	if !userIDRule.MatchString(userID) {
		return fmt.Errorf("polar: %s: user id %q must be 1 to 100 letters, digits, '_' or '-'", method, userID)
	}
	return nil
}

// checkSegment refuses a value the client puts in a path segment (a
// metric, pattern, exercise or ECG id) that would not reach the server as
// that segment: empty, holding '/', '?' or '#', or a dot segment ("." or
// "..", which URL resolution removes, sending the call to another
// endpoint). what names the argument in the error.
func checkSegment(method, what, s string) error {
	switch {
	case strings.TrimSpace(s) == "":
		return fmt.Errorf("polar: %s: %s %q is empty", method, what, s)
	case s == "." || s == "..":
		return fmt.Errorf("polar: %s: %s %q is a dot segment, which would name another path", method, what, s)
	case strings.ContainsAny(s, "/?#"):
		return fmt.Errorf("polar: %s: %s %q holds a '/', '?' or '#'", method, what, s)
	}
	return nil
}

// checkDays refuses a days window outside the endpoint's range.
func checkDays(method string, days, lo, hi int) error {
	if days < lo || days > hi {
		return fmt.Errorf("polar: %s: days %d is outside %d..%d", method, days, lo, hi)
	}
	return nil
}

// userPath builds "api/v1/users/{id}/" + rest, escaping the segments.
func userPath(userID string, rest ...string) string {
	var b strings.Builder
	b.WriteString(apiPrefix + "users/" + url.PathEscape(userID))
	for _, s := range rest {
		b.WriteByte('/')
		b.WriteString(s)
	}
	return b.String()
}

// daysQuery is the only query most endpoints take.
type daysQuery struct {
	Days int `url:"days"`
}

// getDays is a GET of a user's list endpoint with a days window checked
// against lo..hi.
func (c *Client) getDays(ctx context.Context, method, userID, resource string, days, lo, hi int, out any) error {
	if err := checkUser(method, userID); err != nil {
		return err
	}
	if err := checkDays(method, days, lo, hi); err != nil {
		return err
	}
	_, err := c.do(ctx, &wearkit.Request{Path: userPath(userID, resource), Query: daysQuery{days}}, out)
	return err
}

// getUser is a GET of a user's endpoint without a window.
func (c *Client) getUser(ctx context.Context, method, userID string, out any, path ...string) error {
	if err := checkUser(method, userID); err != nil {
		return err
	}
	_, err := c.do(ctx, &wearkit.Request{Path: userPath(userID, path...)}, out)
	return err
}

// OpenAPI streams the server's OpenAPI document (/schema/openapi.json)
// into w. The server serves it, but its handlers return plain dicts, so it
// has no response schemas: this package's models are the schema.
func (c *Client) OpenAPI(ctx context.Context, w io.Writer) error {
	if w == nil {
		return errors.New("polar: OpenAPI: nil writer")
	}
	_, err := c.do(ctx, &wearkit.Request{Path: "schema/openapi.json"}, w)
	return err
}
