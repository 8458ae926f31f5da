package samples

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/internal/rest"
)

// DefaultDirectURL is GeroSense's own API host, used by the direct flavour
// (WithLogin) unless WithBaseURL says otherwise. The proxy flavour has no
// default: it is your own proxy's URL.
const DefaultDirectURL = "https://api-b2b.gerosense.ai"

// Client talks to the GeroSense samples API in one of two flavours. Proxy
// (WithBaseURL and WithBearerToken): your API proxy knows the user, paths
// are /api/v1.1/.... Direct (WithLogin and WithUserID): the client logs in
// with a username and password, sends user_id in every body, uses the v2.2
// paths and logs in again when the API answers 403 "token is expired". It
// is safe for concurrent use.
type Client struct {
	rc      *rest.Client
	direct  bool
	userID  string
	session *session
}

type config struct {
	rest.Settings

	bearer             string
	username, password string
	userID             string
}

// Option configures a Client. Options validate their arguments: New
// returns the first error.
type Option func(*config) error

// WithBaseURL sets the API root: your proxy's URL (proxy flavour, required)
// or GeroSense's host (direct flavour, default DefaultDirectURL), or a
// samplestest fake's URL.
func WithBaseURL(u string) Option {
	return func(c *config) error { return c.SetBaseURL("samples", u) }
}

// WithBearerToken selects the proxy flavour: every request carries
// "Authorization: Bearer <token>", a token your own authentication gave.
func WithBearerToken(token string) Option {
	return func(c *config) error {
		if strings.TrimSpace(token) == "" {
			return errors.New("samples: WithBearerToken: empty token")
		}
		c.bearer = token
		return nil
	}
}

// WithLogin selects the direct flavour: the client logs in with username
// and password (POST /api/v1.0/login/access-token) before its first call
// and again whenever the API answers 403 "token is expired".
func WithLogin(username, password string) Option {
	return func(c *config) error {
		if username == "" || password == "" {
			return errors.New("samples: WithLogin: username and password must both be set")
		}
		c.username, c.password = username, password
		return nil
	}
}

// WithUserID sets the user the direct flavour sends samples for (user_id in
// every body); required with WithLogin. Register the user first
// (RegisterUser).
func WithUserID(id string) Option {
	return func(c *config) error {
		if strings.TrimSpace(id) == "" {
			return errors.New("samples: WithUserID: empty user id")
		}
		c.userID = id
		return nil
	}
}

// WithHTTPClient sets the *http.Client requests go through. It is copied,
// never modified.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error { return c.SetHTTPClient("samples", hc) }
}

// WithRetry sets the retry policy of every request (the engine's default:
// 4 attempts, 250 ms doubling backoff up to 10 s, Retry-After honoured up
// to 60 s). Sample uploads are retried on 429, 5xx and network errors.
func WithRetry(maxAttempts int, minBackoff, maxBackoff time.Duration) Option {
	return func(c *config) error { return c.SetRetry("samples", maxAttempts, minBackoff, maxBackoff) }
}

// WithLogger logs one debug record per attempt (method, host, path, status;
// never a header, a query or a body).
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error { return c.SetLogger("samples", l) }
}

// WithUserAgent appends a product to the User-Agent header.
func WithUserAgent(ua string) Option {
	return func(c *config) error { return c.SetUserAgent("samples", ua) }
}

// New returns a client of the flavour its options select: WithBearerToken
// (proxy, needs WithBaseURL) or WithLogin with WithUserID (direct).
func New(opts ...Option) (*Client, error) {
	var cfg config
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	direct := cfg.username != ""
	switch {
	case direct && cfg.bearer != "":
		return nil, errors.New("samples: WithBearerToken (proxy) and WithLogin (direct) cannot be combined")
	case !direct && cfg.bearer == "":
		return nil, errors.New("samples: no credentials: use WithBearerToken (proxy) or WithLogin (direct)")
	case !direct && cfg.BaseURL == "":
		return nil, errors.New("samples: the proxy flavour needs WithBaseURL (your proxy's URL)")
	case direct && cfg.userID == "":
		return nil, errors.New("samples: the direct flavour needs WithUserID")
	case !direct && cfg.userID != "":
		return nil, errors.New("samples: WithUserID is for the direct flavour; the proxy knows the user")
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultDirectURL
	}
	c := &Client{direct: direct, userID: cfg.userID}
	rcfg := cfg.Config("samples")
	rcfg.ParseError = parseError
	if direct {
		// The login itself goes through an engine without credentials.
		login, err := rest.New(rcfg)
		if err != nil {
			return nil, fmt.Errorf("samples: %w", err)
		}
		c.session = &session{rc: login, username: cfg.username, password: cfg.password}
		rcfg.Auth = c.session
	} else {
		rcfg.Auth = rest.HeaderAuth("Authorization", "Bearer "+cfg.bearer)
	}
	rc, err := rest.New(rcfg)
	if err != nil {
		return nil, fmt.Errorf("samples: %w", err)
	}
	c.rc = rc
	return c, nil
}

// Direct reports whether the client speaks the direct flavour.
func (c *Client) Direct() bool { return c.direct }

// path returns the flavour's path of a resource ("samples" ->
// api/v1.1/samples or api/v2.2/samples).
func (c *Client) path(resource string) string {
	if c.direct {
		return "api/v2.2/" + resource
	}
	return "api/v1.1/" + resource
}

// Do sends an API call the client does not type yet through the same path
// as every typed call: credentials (and the direct flavour's login and
// re-login on expiry), retries, the *wearkit.Error type and redaction.
// r.Path resolves against the base URL ("api/v2.2/..."). out is a pointer
// to decode a JSON answer into, an io.Writer to stream it to, or nil.
func (c *Client) Do(ctx context.Context, r *wearkit.Request, out any) error {
	if r == nil {
		return errors.New("samples: Do: nil request")
	}
	cp := *r
	cp.Header = r.Header.Clone()
	_, err := c.do(ctx, &cp, out)
	return err
}

// do is the one request path of the package. In the direct flavour an
// answer of 403 "token is expired" drops the token and sends the request
// once more, after a new login.
func (c *Client) do(ctx context.Context, r *wearkit.Request, out any) (*wearkit.Response, error) {
	if !c.direct {
		return c.rc.Do(ctx, r, out)
	}
	// The generation of the token the refused attempt carried, not of the
	// one held before the call: the call may itself have waited for a
	// login.
	used := &usedToken{}
	resp, err := c.rc.Do(context.WithValue(ctx, usedKey{}, used), r, out)
	if isExpired(err) {
		c.session.expire(used.get())
		resp, err = c.rc.Do(ctx, r, out)
	}
	return resp, err
}
