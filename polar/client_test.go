package polar_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/polar"
	"github.com/wearkit/wearkit/polar/polartest"
	"github.com/wearkit/wearkit/wearkittest"
)

func newClient(t *testing.T, srv *polartest.Server, opts ...polar.Option) *polar.Client {
	t.Helper()
	base := []polar.Option{polar.WithBaseURL(srv.URL), polar.WithAPIKey(polartest.APIKey), polar.WithPolarToken(polartest.PolarToken),
		polar.WithRetry(3, time.Millisecond, 2*time.Millisecond, 0)}
	c, err := polar.New(append(base, opts...)...)
	require.NoError(t, err)
	return c
}

func TestNewNeedsABaseURLAndValidatesOptions(t *testing.T) {
	_, err := polar.New(polar.WithAPIKey("k"))
	require.ErrorContains(t, err, "polar: WithBaseURL is required")
	for _, o := range []polar.Option{polar.WithBaseURL(""), polar.WithBaseURL("localhost:8000"), polar.WithBaseURL("ftp://h"),
		polar.WithAPIKey(" "), polar.WithPolarToken(""), polar.WithHTTPClient(nil), polar.WithRateLimit(0, 1),
		polar.WithRetry(0, 0, 0, 0), polar.WithRetry(2, time.Second, time.Millisecond, 0), polar.WithLogger(nil),
		polar.WithUserAgent(""), polar.WithMaxResponseSize(0)} {
		_, err := polar.New(polar.WithBaseURL("http://localhost:8000"), o)
		require.Error(t, err)
		assert.True(t, strings.HasPrefix(err.Error(), "polar: "), err.Error())
	}
}

func TestBaseURLWithOrWithoutAPIPrefix(t *testing.T) {
	srv := polartest.New(t)
	for _, base := range []string{srv.URL, srv.URL + "/", srv.URL + "/api/v1", srv.URL + "/api/v1/"} {
		c, err := polar.New(polar.WithBaseURL(base), polar.WithAPIKey(polartest.APIKey))
		require.NoError(t, err)
		_, err = c.Sleep(context.Background(), polartest.UserID, 1)
		require.NoError(t, err, base)
	}
}

// user_id and days are checked before anything is sent.
func TestUserIDAndDaysChecksNeverReachTheServer(t *testing.T) {
	srv := polartest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()
	long := strings.Repeat("a", 101)
	calls := map[string]func() error{
		"bad user":        func() error { _, err := c.Sleep(ctx, "../admin", 7); return err },
		"empty user":      func() error { _, err := c.Recharge(ctx, "", 7); return err },
		"long user":       func() error { _, err := c.Insights(ctx, long); return err },
		"space in user":   func() error { _, err := c.SleepByDate(ctx, "a b", polartest.Today); return err },
		"days 0":          func() error { _, err := c.Sleep(ctx, polartest.UserID, 0); return err },
		"days 366":        func() error { _, err := c.Exercises(ctx, polartest.UserID, 366); return err },
		"sleepwise 31":    func() error { _, err := c.Bedtime(ctx, polartest.UserID, 31); return err },
		"alertness -1":    func() error { _, err := c.Alertness(ctx, polartest.UserID, -1); return err },
		"sync days 400":   func() error { _, err := c.TriggerSync(ctx, polartest.UserID, 400); return err },
		"csv days 0":      func() error { return c.ExportCSV(ctx, polartest.UserID, polar.CSVSleep, 0, &bytes.Buffer{}) },
		"csv kind":        func() error { return c.ExportCSV(ctx, polartest.UserID, "steps", 7, &bytes.Buffer{}) },
		"metric":          func() error { _, err := c.CheckBaseline(ctx, polartest.UserID, "a/b", 1); return err },
		"value":           func() error { _, err := c.CheckBaseline(ctx, polartest.UserID, polar.MetricHRV, nan()); return err },
		"exercise id":     func() error { _, err := c.ExerciseDetail(ctx, polartest.UserID, ""); return err },
		"user 101 chars":  func() error { _, err := c.Baselines(ctx, long); return err },
		"user with slash": func() error { _, err := c.TriggerSync(ctx, "a/b", 7); return err },
	}
	for name, call := range calls {
		err := call()
		require.Error(t, err, name)
		assert.True(t, strings.HasPrefix(err.Error(), "polar: "), "%s: %v", name, err)
	}
	assert.Equal(t, 0, srv.Log.Len(), "no request was sent")
	err := calls["days 366"]()
	assert.Contains(t, err.Error(), "days 366 is outside 1..365")
	err = calls["bad user"]()
	assert.Contains(t, err.Error(), `user id "../admin"`)
	_, err = c.Sleep(ctx, long[:100], 7)
	require.NoError(t, err, "100 characters are allowed")
}

func TestAPIKeyOnEveryCallPolarTokenOnSyncOnly(t *testing.T) {
	srv := polartest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()
	_, err := c.Sleep(ctx, polartest.UserID, 3)
	require.NoError(t, err)
	res, err := c.TriggerSync(ctx, polartest.UserID, 30)
	require.NoError(t, err)
	assert.Equal(t, polar.SyncSuccess, res.Status)
	e := srv.Log.Entries()
	require.Len(t, e, 2)
	assert.Equal(t, polartest.APIKey, e[0].Header.Get("X-API-Key"))
	assert.Empty(t, e[0].Header.Get("X-Polar-Token"))
	assert.Equal(t, polartest.APIKey, e[1].Header.Get("X-API-Key"))
	assert.Equal(t, polartest.PolarToken, e[1].Header.Get("X-Polar-Token"))
	// 3: days travels in the query, never in a body.
	assert.Equal(t, "days=30", e[1].Query.Encode())
	assert.Empty(t, e[1].Body)
	assert.Equal(t, http.MethodPost, e[1].Method)
}

func TestUnauthorizedAnswers(t *testing.T) {
	srv := polartest.New(t)
	ctx := context.Background()
	for key, want := range map[string]string{"wrong-key": "Invalid API key", polartest.UserKey: "API key is not valid for this user"} {
		c, err := polar.New(polar.WithBaseURL(srv.URL), polar.WithAPIKey(key))
		require.NoError(t, err)
		_, err = c.Sleep(ctx, polartest.SecondUserID, 7)
		require.ErrorIs(t, err, wearkit.ErrUnauthorized)
		assert.Contains(t, err.Error(), want)
		assert.NotContains(t, err.Error(), key, "the key never appears in an error")
	}
	c, err := polar.New(polar.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = c.Sleep(ctx, polartest.UserID, 7)
	require.ErrorIs(t, err, wearkit.ErrUnauthorized)
	assert.Contains(t, err.Error(), "Missing API key")
	h, err := c.Health(ctx)
	require.NoError(t, err, "health needs no key")
	assert.True(t, h.OK())
	// A user key works for its own user.
	c, err = polar.New(polar.WithBaseURL(srv.URL), polar.WithAPIKey(polartest.UserKey))
	require.NoError(t, err)
	_, err = c.Sleep(ctx, polartest.UserID, 7)
	require.NoError(t, err)
}

func TestValidationErrorCarriesDetails(t *testing.T) {
	srv := polartest.New(t)
	c := newClient(t, srv)
	err := c.Do(context.Background(), &wearkit.Request{Path: "api/v1/users/12345/sleep", Query: map[string][]string{"days": {"0"}}}, nil)
	require.ErrorIs(t, err, wearkit.ErrBadRequest)
	assert.Contains(t, err.Error(), "Validation failed for GET /api/v1/users/12345/sleep?days=0 [days (query): Expected `int` >= 1]")
	var we *wearkit.Error
	require.ErrorAs(t, err, &we)
	assert.Equal(t, "400", we.Code)
}

func TestRateLimitFiguresInResponseMetadata(t *testing.T) {
	clock := wearkittest.NewClock(time.Date(2026, 1, 13, 10, 15, 0, 0, time.UTC))
	srv := polartest.New(t, polartest.WithClock(clock))
	c := newClient(t, srv)
	var resp wearkit.Response
	ctx := wearkit.CaptureResponse(context.Background(), &resp)
	_, err := c.Recharge(ctx, polartest.UserID, 7)
	require.NoError(t, err)
	_, err = c.Recharge(ctx, polartest.UserID, 7)
	require.NoError(t, err)
	assert.True(t, resp.RateLimit.Known)
	assert.Equal(t, polartest.DefaultRateLimit, resp.RateLimit.Limit)
	assert.Equal(t, polartest.DefaultRateLimit-2, resp.RateLimit.Remaining)
	assert.Equal(t, time.Date(2026, 1, 13, 11, 0, 0, 0, time.UTC), resp.RateLimit.Reset.UTC())
}

// A 429 waits for the Retry-After the server names in its body, then
// retries.
func TestRateLimitedCallWaitsForBodyRetryAfter(t *testing.T) {
	srv := polartest.New(t, polartest.WithRateLimit(1, time.Second))
	c := newClient(t, srv, polar.WithRetry(3, time.Millisecond, 2*time.Millisecond, 5*time.Second))
	ctx := context.Background()
	_, err := c.Sleep(ctx, polartest.UserID, 1)
	require.NoError(t, err)
	start := time.Now()
	_, err = c.Sleep(ctx, polartest.UserID, 1)
	require.NoError(t, err, "retried after the window")
	e := srv.Log.Entries()
	require.GreaterOrEqual(t, len(e), 3)
	gap := e[2].At.Sub(e[1].At)
	assert.GreaterOrEqual(t, gap, 900*time.Millisecond, "waited about the second asked for, not the 1-2 ms backoff")
	assert.Less(t, time.Since(start), 3*time.Second)
}

// A wait longer than the cap is clamped; the final error reports the wait
// asked for.
func TestRateLimitedWaitIsClamped(t *testing.T) {
	clock := wearkittest.NewClock(time.Date(2026, 1, 13, 10, 0, 0, 0, time.UTC))
	srv := polartest.New(t, polartest.WithRateLimit(1, time.Hour), polartest.WithClock(clock))
	c := newClient(t, srv, polar.WithRetry(2, time.Millisecond, 2*time.Millisecond, 20*time.Millisecond))
	ctx := context.Background()
	_, err := c.Sleep(ctx, polartest.UserID, 1)
	require.NoError(t, err)
	start := time.Now()
	_, err = c.Sleep(ctx, polartest.UserID, 1)
	require.ErrorIs(t, err, wearkit.ErrRateLimited)
	assert.Less(t, time.Since(start), 900*time.Millisecond)
	var we *wearkit.Error
	require.ErrorAs(t, err, &we)
	assert.Equal(t, time.Hour, we.RetryAfter)
	assert.Equal(t, 2, we.Attempts)
	assert.Contains(t, err.Error(), "Rate limit exceeded. Retry after 3600 seconds.")
}

func TestConcurrentSyncIsErrSyncInProgress(t *testing.T) {
	srv := polartest.New(t, polartest.WithSyncDuration(300*time.Millisecond))
	c := newClient(t, srv)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i == 1 {
				time.Sleep(100 * time.Millisecond)
			}
			_, errs[i] = c.TriggerSync(ctx, polartest.UserID, 7)
		}()
	}
	wg.Wait()
	require.NoError(t, errs[0])
	require.ErrorIs(t, errs[1], polar.ErrSyncInProgress)
	assert.Contains(t, errs[1].Error(), "A sync is already running for this user")
	assert.Equal(t, 1, srv.Syncs())
	assert.Equal(t, 2, srv.Log.Count(http.MethodPost, "/api/v1/users/12345/sync/trigger"), "a 409 is not retried")
}

func TestPartialSyncSurfacesEndpointErrors(t *testing.T) {
	srv := polartest.New(t)
	c, err := polar.New(polar.WithBaseURL(srv.URL), polar.WithAPIKey(polartest.APIKey), polar.WithPolarToken("expired-token"))
	require.NoError(t, err)
	res, err := c.TriggerSync(context.Background(), polartest.UserID, 7)
	var pe *polar.PartialSyncError
	require.ErrorAs(t, err, &pe)
	require.NotNil(t, res, "the counts come with the error")
	assert.Equal(t, polar.SyncPartial, res.Status)
	assert.Len(t, pe.Errors, 14)
	assert.Contains(t, err.Error(), "sleep: 401 Unauthorized: invalid Polar access token")
	assert.NotContains(t, err.Error(), "expired-token")
	// Without a token the client refuses before sending.
	c2 := newClientNoToken(t, srv)
	_, err = c2.TriggerSync(context.Background(), polartest.UserID, 7)
	require.ErrorContains(t, err, "WithPolarToken")
}

func newClientNoToken(t *testing.T, srv *polartest.Server) *polar.Client {
	c, err := polar.New(polar.WithBaseURL(srv.URL), polar.WithAPIKey(polartest.APIKey))
	require.NoError(t, err)
	return c
}

func TestFaultsFromTheSharedKit(t *testing.T) {
	srv := polartest.New(t)
	c := newClient(t, srv)
	srv.Faults.Statuses("", 503)
	_, err := c.Sleep(context.Background(), polartest.UserID, 3)
	require.NoError(t, err, "a 503 is retried")
	srv.Faults.Push(wearkittest.Fault{TruncateAfter: 10})
	_, err = c.Sleep(context.Background(), polartest.UserID, 3)
	var de *wearkit.DecodeError
	require.True(t, errors.As(err, &de), "a truncated answer is a decode error: %v", err)
	assert.True(t, strings.HasPrefix(err.Error(), "polar: "), err.Error())
}

// 4: the server also takes the key as a bearer token.
func TestBearerKeyAccepted(t *testing.T) {
	srv := polartest.New(t)
	c, err := polar.New(polar.WithBaseURL(srv.URL))
	require.NoError(t, err)
	var out []map[string]any
	err = c.Do(context.Background(), &wearkit.Request{Path: "api/v1/users/12345/sleep",
		Header: http.Header{"Authorization": {"Bearer " + polartest.APIKey}}}, &out)
	require.NoError(t, err)
	assert.Len(t, out, 8)
}

// 10: an impossible date is the server's 500.
func TestImpossibleDateIsServerError(t *testing.T) {
	srv := polartest.New(t)
	c := newClient(t, srv, polar.WithRetry(1, 0, 0, 0))
	err := c.Do(context.Background(), &wearkit.Request{Path: "api/v1/users/12345/sleep/2026-02-30"}, nil)
	require.ErrorIs(t, err, wearkit.ErrServer)
}

// Neither the API key nor the Polar token leaves in an error, even when
// the server echoes them.
func TestSecretsNeverInErrors(t *testing.T) {
	srv := polartest.New(t)
	c := newClient(t, srv, polar.WithRetry(1, 0, 0, 0))
	body := `{"status_code":500,"detail":"token ` + polartest.PolarToken + ` and key ` + polartest.APIKey + ` rejected"}`
	srv.Faults.Push(wearkittest.Fault{Status: 500, Body: body})
	_, err := c.TriggerSync(context.Background(), polartest.UserID, 7)
	require.ErrorIs(t, err, wearkit.ErrServer)
	for e := err; e != nil; e = errors.Unwrap(e) {
		assert.NotContains(t, e.Error(), polartest.PolarToken)
		assert.NotContains(t, e.Error(), polartest.APIKey)
	}
	var we *wearkit.Error
	require.ErrorAs(t, err, &we)
	assert.NotContains(t, string(we.Body), polartest.PolarToken)
	assert.Contains(t, we.Message, "REDACTED")
}
