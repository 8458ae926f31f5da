package hexoskin_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/hexoskin"
	"github.com/wearkit/wearkit/wearkittest"
)

// expandWithin runs p.Expand and fails the test instead of hanging when
// it does not come back within d.
func expandWithin(t *testing.T, d time.Duration, p hexoskin.Planning, start, until hexoskin.Date) ([]hexoskin.CalendarEvent, error) {
	t.Helper()
	type result struct {
		evs []hexoskin.CalendarEvent
		err error
	}
	ch := make(chan result, 1)
	go func() {
		evs, err := p.Expand(start, until)
		ch <- result{evs, err}
	}()
	select {
	case r := <-ch:
		return r.evs, r.err
	case <-time.After(d):
		t.Fatalf("Expand did not return within %v", d)
		return nil, nil
	}
}

// A frequency or a count so large that their product overflows, and a
// negative frequency (a Duration built in code, not parsed), passed
// Validate: P(2^62)D x 4 expanded to four events on the same day, and
// P-1D up to an end date never returned (and grew without bound); a huge
// days_offset wrapped round to a day before the start.
func TestPlanningValidateRefusesNegativeAndOverflowingSchedules(t *testing.T) {
	start := hexoskin.NewDate(2020, 1, 1)
	for _, tc := range []struct {
		e    hexoskin.EventSchedule
		want string
	}{
		{hexoskin.EventSchedule{RepeatFrequency: hexoskin.Duration{Days: 1 << 62}, RepeatCount: 4}, "repeat_frequency"},
		{hexoskin.EventSchedule{RepeatFrequency: hexoskin.Duration{Months: 1 << 61}, RepeatCount: 8}, "repeat_frequency"},
		{hexoskin.EventSchedule{RepeatFrequency: hexoskin.Duration{Days: 4}, RepeatCount: 1 << 62}, "runs past 5 years"},
		{hexoskin.EventSchedule{RepeatFrequency: hexoskin.Duration{Weeks: 1}, RepeatPeriod: 1 << 60}, "runs past 5 years"},
		{hexoskin.EventSchedule{RepeatFrequency: hexoskin.Duration{Days: -1}, RepeatCount: 3}, "repeat_frequency"},
		{hexoskin.EventSchedule{RepeatFrequency: hexoskin.Duration{Months: 1, Days: -30}, RepeatCount: 3}, "repeat_frequency"},
		{hexoskin.EventSchedule{RepeatFrequency: hexoskin.Duration{Days: -1},
			StartDate: hexoskin.NewDate(2020, 1, 10), EndDate: hexoskin.NewDate(2020, 2, 1)}, "repeat_frequency"},
		{hexoskin.EventSchedule{RepeatFrequency: hexoskin.Duration{Days: 1}, RepeatCount: 2, DaysOffset: 1 << 40}, "days_offset"},
		// This one dated its events on 2019-12-31 and 2020-01-01, before the start.
		{hexoskin.EventSchedule{RepeatFrequency: hexoskin.Duration{Days: 1}, RepeatCount: 2, DaysOffset: 1<<63 - 1}, "days_offset"},
	} {
		err := tc.e.Validate()
		require.Error(t, err, "%+v", tc.e)
		assert.Contains(t, err.Error(), tc.want, "%+v", tc.e)
		_, err = expandWithin(t, 5*time.Second, hexoskin.Planning{{Name: "x", EventSchedule: tc.e}}, start, hexoskin.Date{})
		require.Error(t, err, "Expand refuses what Validate refuses: %+v", tc.e)
	}
	// The same from JSON, as the fake (and the API) would receive it.
	var e hexoskin.EventSchedule
	require.NoError(t, e.UnmarshalJSON([]byte(`{"repeat_frequency": "P4611686018427387904D", "repeat_count": 4}`)))
	require.ErrorContains(t, e.Validate(), "repeat_frequency")
}

// ChangeEmail's doc promises the password never reaches an error, but it
// travels in a JSON body, which the engine does not know holds a secret:
// a server (or proxy) echoing the body in a 400 put it in the error's
// text and Body, raw and JSON-escaped.
func TestChangeEmailPasswordNeverInTheError(t *testing.T) {
	const pw = `pa"ss-5ecret/word`
	srv := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		wearkittest.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": "bad request: " + string(b), "raw": pw})
	}))
	c, err := hexoskin.New(hexoskin.WithBaseURL(srv.URL), hexoskin.WithAPIKey("pub", "priv"), hexoskin.WithRetry(1, 0, 0))
	require.NoError(t, err)
	err = c.ChangeEmail(context.Background(), "moved@example.com", pw)
	require.ErrorIs(t, err, wearkit.ErrBadRequest)
	var we *wearkit.Error
	require.ErrorAs(t, err, &we, "the error keeps its type")
	escaped, _ := json.Marshal(pw)
	for _, text := range []string{err.Error(), string(we.Body), we.Message, we.Code} {
		assert.NotContains(t, text, pw)
		assert.NotContains(t, text, string(escaped[1:len(escaped)-1]))
	}
}
