package polar_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit/polar"
	"github.com/wearkit/wearkit/polar/polartest"
	"github.com/wearkit/wearkit/wearkittest"
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

// A partial sync's per-endpoint messages come from a 200 answer, which the
// engine does not scrub: a server echoing the Polar token or the API key in
// them (an upstream error quoting the request) leaked both through
// PartialSyncError.
func TestPartialSyncErrorNeverHoldsSecrets(t *testing.T) {
	srv := polartest.New(t)
	c := newClient(t, srv)
	body := `{"status":"partial","user_id":"12345","records":{"sleep":0},"errors":{"sleep":"401 for token ` + polartest.PolarToken +
		` (key ` + polartest.APIKey + `)"},"total_records":0}`
	srv.Faults.Push(wearkittest.Fault{Status: 200, Body: body})
	res, err := c.TriggerSync(context.Background(), polartest.UserID, 7)
	var pe *polar.PartialSyncError
	require.ErrorAs(t, err, &pe)
	require.NotNil(t, res)
	for e := error(err); e != nil; e = errors.Unwrap(e) {
		assert.NotContains(t, e.Error(), polartest.PolarToken)
		assert.NotContains(t, e.Error(), polartest.APIKey)
	}
	for k, v := range pe.Errors {
		assert.NotContains(t, v, polartest.PolarToken, k)
		assert.NotContains(t, v, polartest.APIKey, k)
	}
	assert.Contains(t, err.Error(), "sleep: 401 for token")
}

// Malformed CSV is an error naming the file and line, never a panic: the
// parser asked csv.Reader.FieldPos for the line of a record Read had just
// failed to return (an unterminated quote), which panics.
func TestCSVParseErrorsNeverPanic(t *testing.T) {
	for _, in := range csvMalformed {
		require.NotPanics(t, func() {
			_, err := polar.ParseActivityCSV(strings.NewReader(in))
			require.Error(t, err, "%q", in)
			assert.True(t, strings.HasPrefix(err.Error(), "polar: activity.csv"), err.Error())
			assert.Contains(t, err.Error(), "line", err.Error())
		}, "%q", in)
	}
}

var csvMalformed = []string{
	"date,steps\r\n\"2026-01-01,5\r\n",
	"date,steps\r\n2026-01-01,\"bad\"x\r\n",
	"date,steps\r\n2026-01-01,5\r\n2026-01-02,\"7\r\n",
}

// FuzzParseCSV feeds the four CSV parsers arbitrary bytes: they return rows
// or an error, never panic.
func FuzzParseCSV(f *testing.F) {
	for _, s := range csvMalformed {
		f.Add(s)
	}
	f.Add("date,sleep_score,total_hours\r\n2026-01-11,82,\r\n2026-01-12,,7.5\r\n")
	f.Add("\ufeffdate,hrv_avg,ans_charge,status\n2026-01-11,45,,-2\n")
	f.Add("date,strain,status\n2026-01-11,1e3,OK\n,\n")
	f.Fuzz(func(t *testing.T, in string) {
		_, _ = polar.ParseSleepCSV(strings.NewReader(in))
		_, _ = polar.ParseActivityCSV(strings.NewReader(in))
		_, _ = polar.ParseRechargeCSV(strings.NewReader(in))
		_, _ = polar.ParseCardioLoadCSV(strings.NewReader(in))
	})
}
