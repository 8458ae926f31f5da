package corsano_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/corsano"
	"github.com/wearkit/wearkit/corsano/corsanotest"
	"github.com/wearkit/wearkit/wearkittest"
)

// A range a moment longer than whole windows (from := now - 30 min, then
// to := now a little later) must not end in a window shorter than the
// API's millisecond resolution: it goes out with equal from and to, which
// the API refuses, and the whole call failed with it. Both date forms.
func TestRawWindowsNeverShorterThanAMillisecond(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	from := t0.Add(-30*time.Minute - 1500*time.Microsecond)
	to := from.Add(30*time.Minute + 40*time.Microsecond)

	_, err := f.c.RawMetrics(ctx, corsanotest.ExamplePatient, corsano.PPG1, from, to)
	require.NoError(t, err)
	_, err = f.c.RawMetricsLocal(ctx, corsanotest.ExamplePatient, corsano.PPG1, from, to)
	require.NoError(t, err)
	_, err = f.c.RawMetrics(ctx, corsanotest.ExamplePatient, corsano.Activity, from, from.Add(100*time.Microsecond))
	require.NoError(t, err, "a range inside one millisecond is one call of one millisecond")

	qs := rawQueries(f.srv)
	require.NotEmpty(t, qs)
	for i, q := range qs {
		a, b := q.Get("from_date"), q.Get("to_date")
		if a == "" {
			a, b = q.Get("from_client_date"), q.Get("to_client_date")
		}
		assert.NotEqual(t, a, b, "call %d", i)
	}
	assert.Equal(t, "2025-10-08T09:29:59.998+02:00", qs[0].Get("from_date"))
	assert.Equal(t, "2025-10-08T09:59:59.999+02:00", qs[1].Get("to_date"), "to rounded up to its millisecond")
}

// The health-token fetch runs on for other callers when the caller that
// started it gives up; it must not write into that caller's
// wearkit.CaptureResponse afterwards (a data race, and the caller's failed
// call would show the token fetch's 200 as its answer).
func TestHealthTokenFetchLeavesCallersCaptureAlone(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.Faults.Push(wearkittest.Fault{Match: func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/health-token") }, Delay: 150 * time.Millisecond})
	var resp wearkit.Response
	ctx, cancel := context.WithTimeout(wearkit.CaptureResponse(context.Background(), &resp), 30*time.Millisecond)
	defer cancel()
	_, err := f.c.RawMetrics(ctx, corsanotest.ExamplePatient, corsano.Activity, t0.Add(-time.Hour), t0)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	before := resp.StatusCode
	// Let the fetch end (the next caller waits for it, or for a new one).
	_, err = f.c.RawMetrics(context.Background(), corsanotest.ExamplePatient, corsano.Activity, t0.Add(-time.Hour), t0)
	require.NoError(t, err)
	assert.Equal(t, before, resp.StatusCode, "the failed call's capture changed after it returned")
	assert.Zero(t, resp.StatusCode)
}
