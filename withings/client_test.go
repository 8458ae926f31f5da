package withings_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/wearkittest"
	"github.com/wearkit/wearkit/withings"
	"github.com/wearkit/wearkit/withings/withingstest"
)

func TestNewValidatesOptions(t *testing.T) {
	for name, opt := range map[string]withings.Option{
		"WithBaseURL":       withings.WithBaseURL(" "),
		"WithHTTPClient":    withings.WithHTTPClient(nil),
		"WithTokenSource":   withings.WithTokenSource(nil),
		"WithLimiter":       withings.WithLimiter(nil),
		"WithRetry":         withings.WithRetry(0, 0, 0),
		"WithMaxWait":       withings.WithMaxWait(0),
		"WithNotifySpacing": withings.WithNotifySpacing(-1),
		"WithLogger":        withings.WithLogger(nil),
		"WithUserAgent":     withings.WithUserAgent(""),
	} {
		_, err := withings.New(opt)
		require.Error(t, err, name)
		assert.True(t, strings.HasPrefix(err.Error(), "withings: "+name), err.Error())
	}
	_, err := withings.New(withings.WithBaseURL("ftp://x"))
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "withings: "), err.Error())
}

const too601 = `{"status":601,"body":{"wait_seconds":188},"error":"Same arguments in less than 10 seconds"}`

func TestTooManyRequestsWaitsWaitSeconds(t *testing.T) {
	srv := withingstest.New(t)
	c, _ := newClient(t, srv, withings.WithMaxWait(80*time.Millisecond))
	srv.Faults.Push(wearkittest.Fault{Match: wearkittest.MatchPath("GET", "/v2/user"), Status: 200, Body: too601})
	var resp wearkit.Response
	start := time.Now()
	_, err := c.Devices(wearkit.CaptureResponse(context.Background(), &resp))
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), 80*time.Millisecond, "wait_seconds (188 s) clamped to the maximum wait")
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.Equal(t, 2, resp.Attempts)
	assert.Equal(t, 2, srv.Log.Count("GET", "/v2/user"))
}

func TestTooManyRequestsWithoutWaitBacksOff(t *testing.T) {
	srv := withingstest.New(t)
	c, _ := newClient(t, srv, withings.WithMaxWait(time.Hour))
	srv.Faults.Push(
		wearkittest.Fault{Match: wearkittest.MatchPath("GET", "/v2/user"), Status: 200, Body: `{"status":601,"body":{},"error":"Too Many Requests"}`},
		wearkittest.Fault{Match: wearkittest.MatchPath("GET", "/v2/user"), Status: 200, Body: `{"status":601,"error":"Too Many Requests"}`},
	)
	start := time.Now()
	_, err := c.Devices(context.Background())
	require.NoError(t, err)
	assert.Less(t, time.Since(start), 2*time.Second, "the backoff (1..5 ms here), not a long wait")
	assert.Equal(t, 3, srv.Log.Count("GET", "/v2/user"))
}

func TestTooManyRequestsGivesUp(t *testing.T) {
	srv := withingstest.New(t)
	c, _ := newClient(t, srv, withings.WithMaxWait(time.Millisecond))
	for range 4 {
		srv.Faults.Push(wearkittest.Fault{Match: wearkittest.MatchPath("GET", "/v2/user"), Status: 200, Body: too601})
	}
	_, err := c.Devices(context.Background())
	require.ErrorIs(t, err, wearkit.ErrRateLimited)
	var we *wearkit.Error
	require.ErrorAs(t, err, &we)
	assert.Equal(t, "601", we.Code)
	assert.Equal(t, 4, we.Attempts)
	assert.Contains(t, err.Error(), "Same arguments in less than 10 seconds")
	assert.Contains(t, err.Error(), "120 a minute")
}

// The fake's own limit: past 120 requests in a minute it answers 601 with
// wait_seconds, which the client honours.
func TestFakeRateLimitAnswers601(t *testing.T) {
	clock := fixedClock()
	srv := withingstest.New(t, withingstest.WithClock(clock), withingstest.WithRateLimit(3))
	c, _ := newClient(t, srv, withings.WithRetry(1, 0, 0))
	for range 3 {
		_, err := c.Devices(context.Background())
		require.NoError(t, err)
	}
	_, err := c.Devices(context.Background())
	require.ErrorIs(t, err, wearkit.ErrRateLimited)
	clock.Advance(time.Minute)
	_, err = c.Devices(context.Background())
	require.NoError(t, err)
}

// One limiter shared by the clients of many users holds them all to the
// application's rate.
func TestSharedLimiter(t *testing.T) {
	srv := withingstest.New(t)
	shared := rate.NewLimiter(rate.Every(time.Hour), 2)
	var clients []*withings.Client
	for range 2 {
		c, _ := newClient(t, srv, withings.WithLimiter(shared))
		clients = append(clients, c)
	}
	_, err := clients[0].Devices(context.Background())
	require.NoError(t, err)
	_, err = clients[1].Devices(context.Background())
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = clients[0].Devices(ctx)
	require.ErrorIs(t, err, wearkit.ErrRateLimited, "the third call of the application waits for the shared limiter")
	assert.Equal(t, 2, srv.Log.Count("GET", "/v2/user"))
	assert.NotNil(t, withings.NewLimiter())
	assert.InDelta(t, 2.0, float64(withings.NewLimiter().Limit()), 1e-9, "120 a minute")
}

func TestStatusClasses(t *testing.T) {
	cases := []struct {
		status int
		class  error
	}{
		{100, wearkit.ErrUnauthorized}, {102, wearkit.ErrUnauthorized}, {200, wearkit.ErrUnauthorized},
		{214, wearkit.ErrForbidden}, {2554, wearkit.ErrForbidden}, {328, wearkit.ErrForbidden},
		{286, wearkit.ErrNotFound}, {343, wearkit.ErrNotFound},
		{601, wearkit.ErrRateLimited}, {522, wearkit.ErrServer}, {524, wearkit.ErrServer},
		{201, wearkit.ErrBadRequest}, {216, wearkit.ErrBadRequest}, {293, wearkit.ErrBadRequest}, {503, wearkit.ErrBadRequest}, {3001, wearkit.ErrBadRequest},
		{0, nil}, {9999, nil},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.class, withings.ClassOf(tc.status), "status %d", tc.status)
	}

	srv := withingstest.New(t)
	c, _ := newClient(t, srv)
	srv.Faults.Push(wearkittest.Fault{Status: 200, Body: `{"status":293,"body":{},"error":"The callback URL is either absent or incorrect"}`})
	_, err := c.Devices(context.Background())
	require.ErrorIs(t, err, wearkit.ErrBadRequest)
	assert.Contains(t, err.Error(), "(code 293)")
	assert.Contains(t, err.Error(), "HEAD")
	assert.True(t, strings.HasPrefix(err.Error(), "withings: GET "), err.Error())

	srv.Faults.Push(wearkittest.Fault{Status: 200, Body: `{"status":7777,"body":{}}`})
	_, err = c.Devices(context.Background())
	var we *wearkit.Error
	require.ErrorAs(t, err, &we)
	assert.Equal(t, "7777", we.Code, "an unknown status keeps its code")
	assert.Nil(t, we.Kind)
}

// A non-2xx answer from a proxy still reads the Withings envelope.
func TestHTTPErrorWithEnvelope(t *testing.T) {
	srv := withingstest.New(t)
	c, _ := newClient(t, srv, withings.WithRetry(1, 0, 0))
	srv.Faults.Push(wearkittest.Fault{Status: 502, Body: `{"status":2555,"body":{},"error":"An unknown error occurred"}`})
	_, err := c.Devices(context.Background())
	var we *wearkit.Error
	require.ErrorAs(t, err, &we)
	assert.Equal(t, 502, we.StatusCode)
	assert.Equal(t, "2555", we.Code)
}

// Do: an endpoint the SDK does not type, through the same path.
func TestDoEscapeHatch(t *testing.T) {
	srv := withingstest.New(t, withingstest.WithClock(fixedClock()))
	c, _ := newClient(t, srv)
	var body struct {
		Devices []struct {
			Model string `json:"model"`
		} `json:"devices"`
	}
	require.NoError(t, c.Do(context.Background(), &wearkit.Request{Path: "v2/user", Query: url.Values{"action": {"getdevice"}}}, &body))
	assert.Equal(t, "Body Cardio", body.Devices[0].Model)

	err := c.Do(context.Background(), &wearkit.Request{Path: "v2/user", Query: url.Values{"action": {"nope"}}}, nil)
	require.ErrorIs(t, err, wearkit.ErrForbidden)
	require.Error(t, c.Do(context.Background(), nil, nil))
}

// The token never shows in an error or its chain.
func TestSecretsStayOut(t *testing.T) {
	srv := withingstest.New(t)
	c, store := newClient(t, srv, withings.WithRetry(1, 0, 0))
	tok, _ := store.Load(context.Background())
	srv.Faults.Push(wearkittest.Fault{Status: 500, Body: `{"status":2555,"error":"echo ` + tok.AccessToken + `"}`})
	_, err := c.Devices(context.Background())
	require.Error(t, err)
	for e := err; e != nil; e = errors.Unwrap(e) {
		assert.NotContains(t, e.Error(), tok.AccessToken)
	}
	// The same echo inside a 200 answer's error text.
	srv.Faults.Push(wearkittest.Fault{Status: 200, Body: `{"status":2555,"error":"echo ` + tok.AccessToken + `"}`})
	_, err = c.Devices(context.Background())
	require.ErrorContains(t, err, "echo REDACTED")
	assert.NotContains(t, err.Error(), tok.AccessToken)
}

// A proxy's HTTP 401 is treated like the status 401 inside an answer.
func TestHTTPUnauthorizedRefreshesOnce(t *testing.T) {
	srv := withingstest.New(t)
	c, _ := newClient(t, srv)
	srv.Faults.Push(wearkittest.Fault{Match: wearkittest.MatchPath("GET", "/v2/user"), Status: 401, Body: `{"error":"invalid_token"}`})
	_, err := c.Devices(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1, srv.Refreshes())
	assert.Equal(t, 2, srv.Log.Count("GET", "/v2/user"))
}
