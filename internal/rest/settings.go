package rest

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"golang.org/x/time/rate"
)

// Settings holds the options every vendor client offers alike (base URL,
// HTTP client, User-Agent, retry, logger, rate limit, answer size), so that
// each vendor's With... option is one call to a setter here and the checks
// and their error texts live in one place. A vendor's config embeds it and
// New turns it into a Config with Config.
//
// Each setter takes the vendor's name ("hexoskin") for its error text,
// which reads "<vendor>: <Option>: <what is wrong>", as every error of a
// vendor package does; it leaves the Settings unchanged on error.
type Settings struct {
	BaseURL         string
	HTTPClient      *http.Client
	UserAgent       string
	Limiter         *rate.Limiter
	Retry           RetryPolicy
	Logger          *slog.Logger
	MaxResponseSize int64
}

// optionError is the error of a vendor option: "<vendor>: <option>: <msg>".
func optionError(vendor, option, format string, a ...any) error {
	return fmt.Errorf("%s: %s: %s", vendor, option, fmt.Sprintf(format, a...))
}

// CheckURL reports an empty (or blank) URL given to the vendor's option, for
// options that set a URL other than BaseURL (a second API host).
func CheckURL(vendor, option, u string) error {
	if strings.TrimSpace(u) == "" {
		return optionError(vendor, option, "empty URL")
	}
	return nil
}

// SetBaseURL is WithBaseURL: u must not be empty. Its form is checked by
// New, which wants an absolute http or https URL.
func (s *Settings) SetBaseURL(vendor, u string) error {
	if err := CheckURL(vendor, "WithBaseURL", u); err != nil {
		return err
	}
	s.BaseURL = u
	return nil
}

// SetHTTPClient is WithHTTPClient: hc must not be nil. The engine copies
// it and never modifies it.
func (s *Settings) SetHTTPClient(vendor string, hc *http.Client) error {
	if hc == nil {
		return optionError(vendor, "WithHTTPClient", "nil client")
	}
	s.HTTPClient = hc
	return nil
}

// SetUserAgent is WithUserAgent: ua, appended to the engine's own product,
// must not be blank.
func (s *Settings) SetUserAgent(vendor, ua string) error {
	if strings.TrimSpace(ua) == "" {
		return optionError(vendor, "WithUserAgent", "empty user agent")
	}
	s.UserAgent = ua
	return nil
}

// SetLogger is WithLogger: l must not be nil.
func (s *Settings) SetLogger(vendor string, l *slog.Logger) error {
	if l == nil {
		return optionError(vendor, "WithLogger", "nil logger")
	}
	s.Logger = l
	return nil
}

// SetLimiter is WithLimiter, for a limiter the caller shares between
// clients: l must not be nil.
func (s *Settings) SetLimiter(vendor string, l *rate.Limiter) error {
	if l == nil {
		return optionError(vendor, "WithLimiter", "nil limiter")
	}
	s.Limiter = l
	return nil
}

// SetRateLimit is WithRateLimit: a limiter of the client's own at
// perSecond requests per second with the given burst, both positive.
// rate.Inf removes any limiter (a default one included).
func (s *Settings) SetRateLimit(vendor string, perSecond rate.Limit, burst int) error {
	if perSecond <= 0 || burst < 1 {
		return optionError(vendor, "WithRateLimit", "rate %v and burst %d must be positive", perSecond, burst)
	}
	if perSecond == rate.Inf {
		s.Limiter = nil
		return nil
	}
	s.Limiter = rate.NewLimiter(perSecond, burst)
	return nil
}

// SetRetry is WithRetry: attempts in all (at least 1) and a backoff range
// (minBackoff not negative, maxBackoff not below it). Retry's other
// fields (MaxRetryAfter, NoBackoff, Hint) are kept.
func (s *Settings) SetRetry(vendor string, maxAttempts int, minBackoff, maxBackoff time.Duration) error {
	if !validBackoff(maxAttempts, minBackoff, maxBackoff) {
		return optionError(vendor, "WithRetry", "invalid policy (%d attempts, %v..%v)", maxAttempts, minBackoff, maxBackoff)
	}
	s.Retry.MaxAttempts, s.Retry.MinBackoff, s.Retry.MaxBackoff = maxAttempts, minBackoff, maxBackoff
	// (n, 0, 0) retries at once: what the caller set, not the defaults.
	s.Retry.NoBackoff = maxBackoff == 0
	return nil
}

// SetRetryCapped is SetRetry for a WithRetry that also takes the longest
// Retry-After honoured: maxRetryAfter may not be negative, and 0 keeps the
// current cap.
func (s *Settings) SetRetryCapped(vendor string, maxAttempts int, minBackoff, maxBackoff, maxRetryAfter time.Duration) error {
	if !validBackoff(maxAttempts, minBackoff, maxBackoff) || maxRetryAfter < 0 {
		return optionError(vendor, "WithRetry", "invalid policy (%d attempts, %v..%v, Retry-After cap %v)", maxAttempts, minBackoff, maxBackoff, maxRetryAfter)
	}
	s.Retry.MaxAttempts, s.Retry.MinBackoff, s.Retry.MaxBackoff = maxAttempts, minBackoff, maxBackoff
	s.Retry.NoBackoff = maxBackoff == 0
	if maxRetryAfter > 0 {
		s.Retry.MaxRetryAfter = maxRetryAfter
	}
	return nil
}

func validBackoff(maxAttempts int, minBackoff, maxBackoff time.Duration) bool {
	return maxAttempts >= 1 && minBackoff >= 0 && maxBackoff >= minBackoff
}

// SetMaxResponseSize is WithMaxResponseSize: n bytes, positive.
func (s *Settings) SetMaxResponseSize(vendor string, n int64) error {
	if n <= 0 {
		return optionError(vendor, "WithMaxResponseSize", "%d is not positive", n)
	}
	s.MaxResponseSize = n
	return nil
}

// Config returns the engine configuration these settings make for vendor;
// the caller adds what is its own (Auth, ParseError, KeyLimiter).
func (s *Settings) Config(vendor string) Config {
	return Config{
		Vendor:          vendor,
		BaseURL:         s.BaseURL,
		HTTPClient:      s.HTTPClient,
		UserAgent:       s.UserAgent,
		Limiter:         s.Limiter,
		Retry:           s.Retry,
		Logger:          s.Logger,
		MaxResponseSize: s.MaxResponseSize,
	}
}
