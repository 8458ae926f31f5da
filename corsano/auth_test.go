package corsano_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/corsano"
	"github.com/wearkit/wearkit/corsano/corsanotest"
	"github.com/wearkit/wearkit/wearkittest"
)

func TestNewOptions(t *testing.T) {
	_, err := corsano.New()
	require.ErrorContains(t, err, "corsano: New: WithResearcherToken is required")
	for name, o := range map[string]corsano.Option{
		"token":    corsano.WithResearcherToken(" "),
		"base":     corsano.WithBaseURL(""),
		"health":   corsano.WithHealthBaseURL(""),
		"clock":    corsano.WithClock(nil),
		"poll":     corsano.WithPollInterval(0),
		"maxpoll":  corsano.WithMaxPollInterval(-time.Second),
		"retry":    corsano.WithRetry(0, 0, 0),
		"logger":   corsano.WithLogger(nil),
		"ua":       corsano.WithUserAgent(""),
		"http":     corsano.WithHTTPClient(nil),
		"badbase":  corsano.WithBaseURL("ftp://x"),
		"badhealt": corsano.WithHealthBaseURL("::"),
	} {
		_, err := corsano.New(corsano.WithResearcherToken("t"), o)
		require.Error(t, err, name)
		assert.Regexp(t, "^corsano: ", err.Error(), name)
	}
}

func jwt(payload string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"HS256"}`)) + "." + enc([]byte(payload)) + ".c2ln"
}

func TestJWTExpiry(t *testing.T) {
	exp, ok := corsano.JWTExpiry(jwt(`{"sub":"x","exp":1759917600}`))
	require.True(t, ok)
	assert.Equal(t, time.Unix(1759917600, 0), exp)
	// Padded base64 as some issuers send it.
	padded := base64.URLEncoding.EncodeToString([]byte(`{"exp":1759917601.5}`))
	exp, ok = corsano.JWTExpiry("h." + padded + ".s")
	require.True(t, ok)
	assert.Equal(t, time.Unix(1759917601, 5e8), exp)
	for _, bad := range []string{"", "opaque-token", "a.b", "a.!!!.c", jwt(`{"sub":"x"}`), jwt(`{"exp":"soon"}`), jwt(`[1]`), jwt(`{"exp":-5}`)} {
		_, ok := corsano.JWTExpiry(bad)
		assert.False(t, ok, bad)
	}
}

func rawCalls(srv *corsanotest.Server) int {
	n := 0
	for _, e := range srv.Health.Log.Entries() {
		if len(e.Path) > len("/v2/raw-metrics/") {
			n++
		}
	}
	return n
}

func TestHealthTokenFetchedOncePerPatient(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.c.RawMetrics(ctx, corsanotest.ExamplePatient, corsano.Activity, t0.Add(-10*time.Minute), t0)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, 1, f.srv.HealthTokensIssued(corsanotest.ExamplePatient))
	assert.Equal(t, 20, rawCalls(f.srv))

	// Another patient has its own token.
	_, err := f.c.RawMetrics(ctx, corsanotest.SecondPatient, corsano.Activity, t0.Add(-10*time.Minute), t0)
	require.NoError(t, err)
	assert.Equal(t, 1, f.srv.HealthTokensIssued(corsanotest.SecondPatient))
	assert.Equal(t, 1, f.srv.HealthTokensIssued(corsanotest.ExamplePatient))
}

func TestHealthTokenRenewedBeforeExpiry(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	get := func() {
		t.Helper()
		_, err := f.c.RawMetrics(ctx, corsanotest.ExamplePatient, corsano.Temperature, t0.Add(-5*time.Minute), t0)
		require.NoError(t, err)
	}
	get()
	// Still well before the expiry (iat + 1 h): reused.
	f.clock.Advance(corsanotest.HealthTokenLifetime - corsano.HealthTokenRefreshBefore - time.Second)
	get()
	assert.Equal(t, 1, f.srv.HealthTokensIssued(corsanotest.ExamplePatient))
	// Inside the refresh margin, though the fake would still accept it:
	// replaced before it is sent, so no call meets a 401.
	f.clock.Advance(2 * time.Second)
	get()
	assert.Equal(t, 2, f.srv.HealthTokensIssued(corsanotest.ExamplePatient))
	assert.Equal(t, 3, rawCalls(f.srv), "no call was refused and sent again")
}

func TestHealthTokenRenewedAfter401(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	_, err := f.c.RawMetrics(ctx, corsanotest.ExamplePatient, corsano.Sleep, t0.Add(-10*time.Hour), t0)
	require.NoError(t, err)
	f.srv.RevokeHealthTokens()
	items, err := f.c.RawMetrics(ctx, corsanotest.ExamplePatient, corsano.Sleep, t0.Add(-10*time.Hour), t0)
	require.NoError(t, err)
	assert.NotEmpty(t, items)
	assert.Equal(t, 2, f.srv.HealthTokensIssued(corsanotest.ExamplePatient))
	assert.Equal(t, 3, rawCalls(f.srv), "the refused call was sent once more")

	// A 401 that a new token does not cure ends with ErrUnauthorized after
	// one renewal, not a loop.
	f.srv.Health.Faults.Statuses("", http.StatusUnauthorized, http.StatusUnauthorized)
	_, err = f.c.RawMetrics(ctx, corsanotest.ExamplePatient, corsano.Sleep, t0.Add(-time.Hour), t0)
	require.ErrorIs(t, err, wearkit.ErrUnauthorized)
	assert.Equal(t, 3, f.srv.HealthTokensIssued(corsanotest.ExamplePatient))
	requireNoSecret(t, f.srv, err)
}

func TestHealthTokenFetchFailure(t *testing.T) {
	f := newFixture(t, nil)
	_, err := f.c.RawMetrics(context.Background(), "6f1c2a9e-0000-0000-0000-000000000000", corsano.Activity, t0.Add(-time.Hour), t0)
	require.Error(t, err)
	assert.ErrorIs(t, err, wearkit.ErrNotFound, "the health-token call's 404")
	requireNoSecret(t, f.srv, err)

	// The waiting caller's context ends its wait.
	f.srv.Faults.Push(wearkittest.Fault{Delay: time.Second, Match: wearkittest.MatchPath("GET", "/v1/patients/"+corsanotest.SecondPatient+"/health-token")})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err = f.c.RawMetrics(ctx, corsanotest.SecondPatient, corsano.Activity, t0.Add(-time.Hour), t0)
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.DeadlineExceeded), err.Error())
}

func TestHealthDoNeedsPatient(t *testing.T) {
	f := newFixture(t, nil)
	err := f.c.HealthDo(context.Background(), "", &wearkit.Request{Path: "user-summaries"}, nil)
	require.ErrorContains(t, err, "corsano: empty patient uuid")
	err = f.c.HealthDo(context.Background(), "a/b", &wearkit.Request{Path: "user-summaries"}, nil)
	require.ErrorContains(t, err, "path segment")
	require.Error(t, f.c.HealthDo(context.Background(), "x", nil, nil))
}
