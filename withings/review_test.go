package withings_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
