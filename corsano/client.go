package corsano

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

// Hosts of Corsano's APIs. Integration paths ("groups") resolve against the
// integration base URL, health paths ("v2/raw-metrics/ppg1") against the
// health one.
const (
	// DefaultBaseURL is the research integration API.
	DefaultBaseURL = "https://api.integration.corsano.com/v1"
	// StudyIntegrationBaseURL is the study-integration host, which serves
	// the same API for study groups; pass it to WithBaseURL.
	StudyIntegrationBaseURL = "https://api.study-integration.corsano.com/v1"
	// DefaultHealthBaseURL is the health cloud API (bearer health tokens).
	DefaultHealthBaseURL = "https://api.health.cloud.corsano.com"
)

// DefaultPollInterval is the first wait between two polls of an export; it
// doubles up to DefaultMaxPollInterval.
const DefaultPollInterval = 5 * time.Second

// DefaultMaxPollInterval caps the wait between two polls of an export.
const DefaultMaxPollInterval = time.Minute

// Client talks to Corsano's integration API with the researcher token and to
// the health API with per-patient health tokens it fetches and caches. It is
// safe for concurrent use.
type Client struct {
	rc      *rest.Client // integration API, ?token=
	hc      *rest.Client // health API, Authorization: Bearer <health token>
	now     func() time.Time
	poll    time.Duration
	maxPoll time.Duration
	wait    bool

	tokens  *healthTokens
	exports *cooldowns
}

type config struct {
	rest.Settings
	token       string
	healthURL   string
	now         func() time.Time
	poll        time.Duration
	maxPoll     time.Duration
	waitExports bool
}

// Option configures a Client. Options validate their arguments: New returns
// the first error.
type Option func(*config) error

// WithResearcherToken sets the researcher token of the integration API
// (required). It is sent as the token query parameter, which every error
// and log line shows as REDACTED.
func WithResearcherToken(token string) Option {
	return func(c *config) error {
		if strings.TrimSpace(token) == "" {
			return errors.New("corsano: WithResearcherToken: empty token")
		}
		c.token = token
		return nil
	}
}

// WithBaseURL sets the integration API root (default DefaultBaseURL; also
// StudyIntegrationBaseURL or a corsanotest fake), version segment included.
func WithBaseURL(u string) Option {
	return func(c *config) error { return c.SetBaseURL("corsano", u) }
}

// WithHealthBaseURL sets the health API root (default DefaultHealthBaseURL).
func WithHealthBaseURL(u string) Option {
	return func(c *config) error {
		if err := rest.CheckURL("corsano", "WithHealthBaseURL", u); err != nil {
			return err
		}
		c.healthURL = u
		return nil
	}
}

// WithHTTPClient sets the *http.Client both APIs go through. It is copied,
// never modified.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error { return c.SetHTTPClient("corsano", hc) }
}

// WithClock sets the clock that judges health-token expiry and the
// five-minute export rule (tests with a fake clock; default time.Now).
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("corsano: WithClock: nil clock")
		}
		c.now = now
		return nil
	}
}

// WithPollInterval sets the first wait between two polls of an export
// (default DefaultPollInterval); the wait doubles up to the maximum of
// WithMaxPollInterval, raised to d if it is below it.
func WithPollInterval(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("corsano: WithPollInterval: interval %v must be positive", d)
		}
		c.poll = d
		return nil
	}
}

// WithMaxPollInterval caps the wait between two polls of an export
// (default DefaultMaxPollInterval).
func WithMaxPollInterval(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("corsano: WithMaxPollInterval: interval %v must be positive", d)
		}
		c.maxPoll = d
		return nil
	}
}

// WithExportWait makes CreateExport (and DownloadExport) wait for a
// patient's five-minute export cooldown to end instead of failing with
// ErrExportCooldown. A create-export the server refuses with 429 (another
// program or replica exported the patient) is waited out the same way and
// sent again. A wait that would end after the context's deadline fails at
// once.
func WithExportWait() Option {
	return func(c *config) error {
		c.waitExports = true
		return nil
	}
}

// WithRetry sets the retry policy of both APIs (engine defaults: 4
// attempts, 250 ms doubling backoff). A create-export is never sent again
// once it may have reached the server, whatever the policy.
func WithRetry(maxAttempts int, minBackoff, maxBackoff time.Duration) Option {
	return func(c *config) error { return c.SetRetry("corsano", maxAttempts, minBackoff, maxBackoff) }
}

// WithLogger logs one debug record per attempt (method, host, path,
// status; never a query, a header or a token).
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error { return c.SetLogger("corsano", l) }
}

// WithUserAgent appends a product to the User-Agent header.
func WithUserAgent(ua string) Option {
	return func(c *config) error { return c.SetUserAgent("corsano", ua) }
}

// New returns a client. WithResearcherToken is required: the integration
// API wants it on every call and health tokens are fetched with it.
func New(opts ...Option) (*Client, error) {
	cfg := config{
		Settings:  rest.Settings{BaseURL: DefaultBaseURL},
		healthURL: DefaultHealthBaseURL,
		now:       time.Now,
		poll:      DefaultPollInterval,
		maxPoll:   DefaultMaxPollInterval,
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if cfg.token == "" {
		return nil, errors.New("corsano: New: WithResearcherToken is required")
	}
	c := &Client{now: cfg.now, poll: cfg.poll, maxPoll: max(cfg.maxPoll, cfg.poll), wait: cfg.waitExports}
	var err error
	rcfg := cfg.Config("corsano")
	rcfg.Auth, rcfg.ParseError = rest.QueryAuth("token", cfg.token), parseError
	c.rc, err = rest.New(rcfg)
	if err != nil {
		return nil, fmt.Errorf("corsano: integration API: %w", err)
	}
	c.tokens = newHealthTokens(c.fetchHealthToken, cfg.now)
	hcfg := cfg.Config("corsano")
	hcfg.BaseURL, hcfg.Auth, hcfg.ParseError = cfg.healthURL, rest.AuthFunc(c.tokens.authenticate), parseError
	c.hc, err = rest.New(hcfg)
	if err != nil {
		return nil, fmt.Errorf("corsano: health API: %w", err)
	}
	c.exports = newCooldowns(cfg.now)
	return c, nil
}

// Do sends an integration API call the client does not type yet through the
// same path as every typed call: the researcher token, retries, the
// *wearkit.Error type and redaction. r.Path resolves against the
// integration base URL ("groups"). out is a pointer to decode JSON into, an
// io.Writer to stream the answer to, or nil to discard it.
func (c *Client) Do(ctx context.Context, r *wearkit.Request, out any) error {
	if r == nil {
		return errors.New("corsano: Do: nil request")
	}
	cp := *r
	cp.Header = r.Header.Clone()
	_, err := c.do(ctx, &cp, out)
	return err
}

// HealthDo sends a health API call for one patient the client does not type
// yet, with the patient's health token (fetched, cached, and fetched again
// once after a 401). r.Path resolves against the health base URL.
func (c *Client) HealthDo(ctx context.Context, uuid string, r *wearkit.Request, out any) error {
	if r == nil {
		return errors.New("corsano: HealthDo: nil request")
	}
	if err := checkUUID(uuid); err != nil {
		return err
	}
	cp := *r
	cp.Header = r.Header.Clone()
	_, err := c.healthDo(ctx, uuid, &cp, out)
	return err
}

// do is the integration API's one request path.
func (c *Client) do(ctx context.Context, r *wearkit.Request, out any) (*wearkit.Response, error) {
	return c.rc.Do(ctx, r, out)
}

// checkUUID refuses a patient id that would change the request's path.
func checkUUID(uuid string) error {
	if uuid == "" {
		return errors.New("corsano: empty patient uuid")
	}
	if strings.ContainsAny(uuid, "/?#%") || strings.TrimSpace(uuid) != uuid {
		return fmt.Errorf("corsano: patient uuid %q holds a character a path segment cannot", uuid)
	}
	return nil
}
