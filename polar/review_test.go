package polar_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit/polar/polartest"
)

// A metric, pattern, exercise or ECG id of "." or ".." is a dot segment:
// URL resolution removed it, so CheckBaseline(u, "..", 5) asked for
// baselines/5, ExerciseSamples(u, "..") for users/u/samples and
// Baseline(u, ".") for the baselines list. They are refused before
// sending, naming the argument, like every other bad path segment.
func TestDotSegmentIDsNeverReachTheServer(t *testing.T) {
	srv := polartest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()
	u := polartest.UserID
	for _, id := range []string{".", ".."} {
		calls := map[string]func() error{
			"Baseline":        func() error { _, err := c.Baseline(ctx, u, id); return err },
			"CheckBaseline":   func() error { _, err := c.CheckBaseline(ctx, u, id, 5); return err },
			"Pattern":         func() error { _, err := c.Pattern(ctx, u, id); return err },
			"ExerciseDetail":  func() error { _, err := c.ExerciseDetail(ctx, u, id); return err },
			"ExerciseSamples": func() error { _, err := c.ExerciseSamples(ctx, u, id); return err },
			"ExerciseRoute":   func() error { _, err := c.ExerciseRoute(ctx, u, id); return err },
			"ECGByID":         func() error { _, err := c.ECGByID(ctx, u, id); return err },
		}
		for name, call := range calls {
			err := call()
			require.Error(t, err, "%s(%q)", name, id)
			assert.True(t, strings.HasPrefix(err.Error(), "polar: "+name+": "), "%s(%q): %v", name, id, err)
			assert.Contains(t, err.Error(), `"`+id+`"`, "%s(%q) names the value", name, id)
		}
	}
	assert.Equal(t, 0, srv.Log.Len(), "no request was sent")
}
