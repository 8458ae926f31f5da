package corsano_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit/corsano"
	"github.com/wearkit/wearkit/corsano/corsanotest"
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
