package rest

import (
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

func TestSettingsRejectBadValuesWithTheOptionName(t *testing.T) {
	for want, set := range map[string]func(*Settings) error{
		"acme: WithBaseURL: empty URL":                             func(s *Settings) error { return s.SetBaseURL("acme", " ") },
		"acme: WithHealthURL: empty URL":                           func(*Settings) error { return CheckURL("acme", "WithHealthURL", "") },
		"acme: WithHTTPClient: nil client":                         func(s *Settings) error { return s.SetHTTPClient("acme", nil) },
		"acme: WithUserAgent: empty user agent":                    func(s *Settings) error { return s.SetUserAgent("acme", "\t") },
		"acme: WithLogger: nil logger":                             func(s *Settings) error { return s.SetLogger("acme", nil) },
		"acme: WithLimiter: nil limiter":                           func(s *Settings) error { return s.SetLimiter("acme", nil) },
		"acme: WithRateLimit: rate 0 and burst 1 must be positive": func(s *Settings) error { return s.SetRateLimit("acme", 0, 1) },
		"acme: WithRateLimit: rate 1 and burst 0 must be positive": func(s *Settings) error { return s.SetRateLimit("acme", 1, 0) },
		"acme: WithRetry: invalid policy (0 attempts, 0s..0s)":     func(s *Settings) error { return s.SetRetry("acme", 0, 0, 0) },
		"acme: WithRetry: invalid policy (2 attempts, -1ns..0s)":   func(s *Settings) error { return s.SetRetry("acme", 2, -1, 0) },
		"acme: WithRetry: invalid policy (2 attempts, 1s..1ms)":    func(s *Settings) error { return s.SetRetry("acme", 2, time.Second, time.Millisecond) },
		"acme: WithRetry: invalid policy (2 attempts, 0s..0s, Retry-After cap -1ns)": func(s *Settings) error {
			return s.SetRetryCapped("acme", 2, 0, 0, -1)
		},
		"acme: WithRetry: invalid policy (2 attempts, 1s..1ms, Retry-After cap 0s)": func(s *Settings) error {
			return s.SetRetryCapped("acme", 2, time.Second, time.Millisecond, 0)
		},
		"acme: WithMaxResponseSize: 0 is not positive": func(s *Settings) error { return s.SetMaxResponseSize("acme", 0) },
	} {
		s := Settings{BaseURL: "https://keep", MaxResponseSize: 7}
		before := s
		require.EqualError(t, set(&s), want)
		assert.Equal(t, before, s, "a failed setter leaves the settings alone: %s", want)
	}
}

func TestSettingsFillTheEngineConfig(t *testing.T) {
	hc := &http.Client{}
	l := slog.New(slog.DiscardHandler)
	s := Settings{Retry: RetryPolicy{MaxRetryAfter: time.Minute}}
	require.NoError(t, s.SetBaseURL("acme", "https://api.acme"))
	require.NoError(t, s.SetHTTPClient("acme", hc))
	require.NoError(t, s.SetUserAgent("acme", "app/1"))
	require.NoError(t, s.SetLogger("acme", l))
	require.NoError(t, s.SetRateLimit("acme", 3, 2))
	require.NoError(t, s.SetRetry("acme", 2, time.Millisecond, time.Second))
	require.NoError(t, s.SetMaxResponseSize("acme", 10))

	cfg := s.Config("acme")
	assert.Equal(t, "acme", cfg.Vendor)
	assert.Equal(t, "https://api.acme", cfg.BaseURL)
	assert.Same(t, hc, cfg.HTTPClient)
	assert.Equal(t, "app/1", cfg.UserAgent)
	assert.Same(t, l, cfg.Logger)
	require.NotNil(t, cfg.Limiter)
	assert.Equal(t, rate.Limit(3), cfg.Limiter.Limit())
	assert.Equal(t, 2, cfg.Limiter.Burst())
	assert.Equal(t, RetryPolicy{MaxAttempts: 2, MinBackoff: time.Millisecond, MaxBackoff: time.Second, MaxRetryAfter: time.Minute}, cfg.Retry)
	assert.Equal(t, int64(10), cfg.MaxResponseSize)
	_, err := New(cfg)
	require.NoError(t, err)
}

func TestSettingsRetryCappedKeepsTheCapOnZero(t *testing.T) {
	s := Settings{Retry: RetryPolicy{MaxRetryAfter: time.Minute}}
	require.NoError(t, s.SetRetryCapped("acme", 3, 0, 0, 0))
	assert.Equal(t, time.Minute, s.Retry.MaxRetryAfter)
	require.NoError(t, s.SetRetryCapped("acme", 3, 0, 0, time.Second))
	assert.Equal(t, RetryPolicy{MaxAttempts: 3, NoBackoff: true, MaxRetryAfter: time.Second}, s.Retry)
}

func TestSettingsRateLimitInfRemovesTheLimiter(t *testing.T) {
	s := Settings{Limiter: rate.NewLimiter(1, 1)}
	require.NoError(t, s.SetRateLimit("acme", rate.Inf, 1))
	assert.Nil(t, s.Limiter)
}

// WithRetry(n, 0, 0) means no wait between attempts, for every vendor, not
// the engine's default backoff.
func TestSetRetryZeroBackoffMeansNone(t *testing.T) {
	var s Settings
	require.NoError(t, s.SetRetry("v", 3, 0, 0))
	assert.True(t, s.Retry.NoBackoff)
	p, err := s.Retry.withDefaults()
	require.NoError(t, err)
	assert.Zero(t, p.MinBackoff)
	assert.Zero(t, p.MaxBackoff)
	require.NoError(t, s.SetRetryCapped("v", 3, 0, 0, time.Second))
	assert.True(t, s.Retry.NoBackoff)
	require.NoError(t, s.SetRetry("v", 3, time.Millisecond, 5*time.Millisecond))
	assert.False(t, s.Retry.NoBackoff)
}
