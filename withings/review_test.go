package withings_test

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/wearkittest"
	"github.com/wearkit/wearkit/withings"
	"github.com/wearkit/wearkit/withings/withingstest"
)

// A range a little over a whole number of days (start := now - 24 h, then
// end := now a moment later) must not end in a window shorter than the
// API's one-second resolution: that window goes out with startdate equal to
// enddate, which the API refuses, and the whole call failed with it.
func TestWindowsNeverShorterThanASecond(t *testing.T) {
	srv := withingstest.New(t, withingstest.WithClock(fixedClock()))
	c, _ := newClient(t, srv)
	start := fixedNow.Add(-24*time.Hour - 1500*time.Millisecond)
	end := start.Add(24*time.Hour + 40*time.Microsecond)

	pts, err := c.IntradayActivity(context.Background(), start, end)
	require.NoError(t, err)
	require.NotEmpty(t, pts)
	_, err = c.Sleep(context.Background(), start, end)
	require.NoError(t, err)

	for _, path := range []string{"/v2/measure", "/v2/sleep"} {
		for i, q := range queries(srv, path) {
			assert.Less(t, atoi(t, q["startdate"]), atoi(t, q["enddate"]), "%s call %d", path, i)
		}
	}
	// The whole range is still asked for: from start's second to end's.
	qs := queries(srv, "/v2/measure")
	assert.Equal(t, unix(start), qs[0]["startdate"])
	assert.Equal(t, unix(end.Add(time.Second-1)), qs[len(qs)-1]["enddate"])

	// A range inside one second is still one call of one second.
	srv.Log.Reset()
	_, err = c.IntradayActivity(context.Background(), start, start.Add(time.Millisecond))
	require.NoError(t, err)
	qs = queries(srv, "/v2/measure")
	require.Len(t, qs, 1)
	assert.Less(t, atoi(t, qs[0]["startdate"]), atoi(t, qs[0]["enddate"]))
}

func atoi(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	require.NoError(t, err, "%q is not Unix seconds", s)
	return n
}

// A Date that is no calendar day (February 30th, month 13) is bad input: the
// client must say so, naming the field, rather than send it and get the
// API's bare "Invalid Params".
func TestImpossibleDateIsRefusedBeforeSending(t *testing.T) {
	srv := withingstest.New(t, withingstest.WithClock(fixedClock()))
	c, _ := newClient(t, srv)
	ctx := context.Background()
	bad := withings.Date{Year: 2026, Month: 2, Day: 30}
	good := withings.Date{Year: 2026, Month: 3, Day: 1}

	_, err := c.ActivitiesPage(ctx, &withings.ActivityOptions{Date: bad}, 0)
	require.ErrorContains(t, err, "date 2026-02-30")
	_, err = c.WorkoutsPage(ctx, &withings.WorkoutOptions{Start: good, End: withings.Date{Year: 2026, Month: 13, Day: 1}}, 0)
	require.ErrorContains(t, err, "enddateymd 2026-13-01")
	n := 0
	for _, err := range c.SleepSummaries(ctx, &withings.SleepSummaryOptions{Start: bad, End: good.AddDays(9)}) {
		require.ErrorContains(t, err, "startdateymd 2026-02-30")
		n++
	}
	assert.Equal(t, 1, n, "one error, then the iterator stops")
	assert.Zero(t, srv.Log.Len(), "nothing was sent")
}

// A 401 that arrives while the token's refresh (started because it expired)
// is still on its way must join that refresh, not start a second one
// beside it: one refresh however the need for it is learnt.
func TestUnauthorizedDuringRefreshJoinsIt(t *testing.T) {
	srv := withingstest.New(t, withingstest.WithRateLimit(0))
	tok := srv.Token()
	tok.Expiry = time.Now().Add(30*time.Second + time.Second) // expires for the client in 1 s
	store := wearkit.NewMemoryTokenStore(tok)
	ts := config(srv).TokenSource(context.Background(), store)
	c, err := withings.New(fast(withings.WithBaseURL(srv.URL), withings.WithTokenSource(ts))...)
	require.NoError(t, err)

	srv.Faults.Push(
		// The first call's answer, a 401, comes while the refresh runs.
		wearkittest.Fault{Match: wearkittest.MatchPath("", "/v2/user"), Delay: 1800 * time.Millisecond, Status: http.StatusOK,
			Body: `{"status":401,"body":{},"error":"XRequestError: invalid_token"}`},
		wearkittest.Fault{Match: wearkittest.MatchPath("", withingstest.TokenPath), Delay: 1500 * time.Millisecond},
	)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	wg.Add(2)
	go func() { defer wg.Done(); _, errs[0] = c.Devices(context.Background()) }()
	go func() {
		defer wg.Done()
		time.Sleep(1200 * time.Millisecond) // the token has expired: this call refreshes
		_, errs[1] = c.Devices(context.Background())
	}()
	wg.Wait()
	require.NoError(t, errs[0])
	require.NoError(t, errs[1])
	assert.Equal(t, 1, srv.Refreshes())
	assert.Equal(t, 1, srv.Log.Count(http.MethodPost, withingstest.TokenPath), "one refresh request, not one per way of learning the token is stale")
}
