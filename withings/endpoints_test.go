package withings_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit/wearkittest"
	"github.com/wearkit/wearkit/withings"
	"github.com/wearkit/wearkit/withings/withingstest"
)

// queries returns the query of every logged request to path.
func queries(srv *withingstest.Server, path string) []map[string]string {
	var out []map[string]string
	for _, e := range srv.Log.Entries() {
		if e.Path != path {
			continue
		}
		m := map[string]string{}
		for k, v := range e.Query {
			m[k] = v[0]
		}
		out = append(out, m)
	}
	return out
}

func unix(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

func TestMeasuresPagingIntMore(t *testing.T) {
	srv := withingstest.New(t, withingstest.WithClock(fixedClock()), withingstest.WithPageSize(3))
	c, _ := newClient(t, srv)
	start, end := fixedNow.AddDate(0, 0, -10), fixedNow
	var groups []withings.MeasureGroup
	for g, err := range c.Measures(context.Background(), &withings.MeasureOptions{Start: start, End: end}) {
		require.NoError(t, err)
		groups = append(groups, g)
	}
	require.Len(t, groups, 10, "one weigh-in a day")
	for i := 1; i < len(groups); i++ {
		assert.True(t, groups[i].Date.Before(groups[i-1].Date), "newest first")
	}
	w, found := groups[0].Find(withings.Weight)
	require.True(t, found)
	assert.InDelta(t, 80, w.Float(), 25, "a plausible weight in kg")
	h, found := groups[0].Find(withings.Hydration)
	require.True(t, found)
	assert.Equal(t, "kg", h.Type.Unit())
	assert.InDelta(t, 45, h.Float(), 15, "hydration is kg, not %")

	qs := queries(srv, "/measure")
	require.Len(t, qs, 4, "pages at offsets 0, 3, 6, 9")
	assert.Equal(t, map[string]string{"action": "getmeas", "startdate": unix(start), "enddate": unix(end)}, qs[0])
	for i, off := range []string{"3", "6", "9"} {
		assert.Equal(t, off, qs[i+1]["offset"])
	}

	// The last page of getmeas leaves more and offset out.
	p, err := c.MeasuresPage(context.Background(), &withings.MeasureOptions{Start: start, End: end}, 9)
	require.NoError(t, err)
	assert.Equal(t, 0, p.NextOffset)
	assert.Equal(t, fixedNow.Unix(), p.UpdateTime.Unix())
}

func TestMeasuresTypesAndCategory(t *testing.T) {
	srv := withingstest.New(t, withingstest.WithClock(fixedClock()))
	c, _ := newClient(t, srv)
	one := &withings.MeasureOptions{Start: fixedNow.AddDate(0, 0, -2), End: fixedNow, Types: []withings.MeasureType{withings.Weight}, Category: withings.RealMeasures}
	for g, err := range c.Measures(context.Background(), one) {
		require.NoError(t, err)
		require.Len(t, g.Measures, 1)
		assert.Equal(t, withings.Weight, g.Measures[0].Type)
	}
	two := &withings.MeasureOptions{Start: fixedNow.AddDate(0, 0, -2), End: fixedNow, Types: []withings.MeasureType{withings.Weight, withings.FatRatio}}
	for g, err := range c.Measures(context.Background(), two) {
		require.NoError(t, err)
		assert.Len(t, g.Measures, 2)
	}
	qs := queries(srv, "/measure")
	assert.Equal(t, "1", qs[0]["meastype"])
	assert.Equal(t, "1", qs[0]["category"])
	assert.Equal(t, "1,6", qs[1]["meastypes"])
	assert.NotContains(t, qs[1], "meastype")

	// Bad options are errors before any request.
	_, err := c.MeasuresPage(context.Background(), &withings.MeasureOptions{Start: fixedNow, End: fixedNow.Add(-time.Hour)}, 0)
	require.ErrorContains(t, err, "End")
	_, err = c.MeasuresPage(context.Background(), &withings.MeasureOptions{Start: fixedNow, End: fixedNow, LastUpdate: fixedNow}, 0)
	require.ErrorContains(t, err, "LastUpdate")
}

func TestSyncMeasuresCursor(t *testing.T) {
	clock := fixedClock()
	srv := withingstest.New(t, withingstest.WithClock(clock), withingstest.WithPageSize(5))
	c, _ := newClient(t, srv)
	groups, cursor, err := c.SyncMeasures(context.Background(), fixedNow.AddDate(0, 0, -8))
	require.NoError(t, err)
	assert.Len(t, groups, 8)
	assert.Equal(t, fixedNow.Unix(), cursor.Unix())
	assert.Equal(t, unix(fixedNow.AddDate(0, 0, -8)), queries(srv, "/measure")[0]["lastupdate"])

	clock.Advance(24 * time.Hour)
	groups, next, err := c.SyncMeasures(context.Background(), cursor)
	require.NoError(t, err)
	assert.Len(t, groups, 1, "only the new weigh-in")
	assert.Equal(t, clock.Now().Unix(), next.Unix())
}

func TestMeasureFloatAndTypes(t *testing.T) {
	assert.InDelta(t, 79.3, withings.Measure{Value: 79300, Type: withings.Weight, Unit: -3}.Float(), 1e-12)
	assert.InDelta(t, 1730, withings.Measure{Value: 173, Unit: 1}.Float(), 1e-9)
	assert.InDelta(t, 65.2, withings.Measure{Value: 652, Unit: -1}.Float(), 1e-12)
	assert.Equal(t, "ms", withings.QTInterval.Unit())
	assert.Equal(t, withings.MeasureType(137), withings.QTInterval)
	assert.Equal(t, withings.MeasureType(138), withings.CorrectedQTInterval)
	assert.Equal(t, "unknown measure type 999", withings.MeasureType(999).String())
	assert.False(t, withings.MeasureType(999).Known())

	var g withings.MeasureGroup
	require.NoError(t, json.Unmarshal([]byte(`{"grpid":1,"date":1222930968,"category":1,"deviceid":12,"measures":[{"value":5,"type":999,"unit":0}]}`), &g))
	assert.Equal(t, withings.MeasureType(999), g.Measures[0].Type, "an unknown type passes through")
	assert.Equal(t, "12", g.DeviceID)
	assert.Equal(t, int64(1222930968), g.Date.Unix())
}

// "more" as a boolean, as 0/1, as a string, or absent.
func TestMoreForms(t *testing.T) {
	srv := withingstest.New(t, withingstest.WithClock(fixedClock()))
	c, _ := newClient(t, srv)
	opts := &withings.ActivityOptions{Start: withings.DateOf(fixedNow.AddDate(0, 0, -1)), End: withings.DateOf(fixedNow)}
	for _, body := range []string{
		`{"status":0,"body":{"activities":[{"date":"2026-03-01","steps":1}],"more":true,"offset":1}}`,
		`{"status":0,"body":{"activities":[{"date":"2026-03-01","steps":1}],"more":1,"offset":"1"}}`,
	} {
		srv.Faults.Push(wearkittest.Fault{Match: wearkittest.MatchPath("GET", "/v2/measure"), Status: 200, Body: body})
		p, err := c.ActivitiesPage(context.Background(), opts, 0)
		require.NoError(t, err)
		assert.Equal(t, 1, p.NextOffset, body)
	}
	for _, body := range []string{
		`{"status":0,"body":{"activities":[],"more":false,"offset":0}}`,
		`{"status":0,"body":{"activities":[],"more":0}}`,
		`{"status":0,"body":{"activities":[]}}`,
	} {
		srv.Faults.Push(wearkittest.Fault{Match: wearkittest.MatchPath("GET", "/v2/measure"), Status: 200, Body: body})
		p, err := c.ActivitiesPage(context.Background(), opts, 0)
		require.NoError(t, err)
		assert.Equal(t, 0, p.NextOffset, body)
	}
	srv.Faults.Push(wearkittest.Fault{Match: wearkittest.MatchPath("GET", "/v2/measure"), Status: 200, Body: `{"status":0,"body":{"activities":[],"more":"perhaps"}}`})
	_, err := c.ActivitiesPage(context.Background(), opts, 0)
	require.ErrorContains(t, err, "more")
}

func TestActivitiesBoolPaging(t *testing.T) {
	srv := withingstest.New(t, withingstest.WithClock(fixedClock()), withingstest.WithPageSize(2))
	c, _ := newClient(t, srv)
	opts := &withings.ActivityOptions{Start: withings.DateOf(fixedNow.AddDate(0, 0, -4)), End: withings.DateOf(fixedNow)}
	var days []withings.Activity
	for a, err := range c.Activities(context.Background(), opts) {
		require.NoError(t, err)
		days = append(days, a)
	}
	require.Len(t, days, 5)
	assert.Equal(t, withings.DateOf(fixedNow.AddDate(0, 0, -4)), days[0].Date)
	for _, d := range days[:4] {
		assert.Greater(t, d.Steps, 500, "a plausible day")
		assert.Greater(t, d.Distance, 0.0)
	}
	qs := queries(srv, "/v2/measure")
	require.Len(t, qs, 3)
	assert.Equal(t, "getactivity", qs[0]["action"])
	assert.Equal(t, opts.Start.String(), qs[0]["startdateymd"])
	assert.Equal(t, opts.End.String(), qs[0]["enddateymd"])
	assert.Equal(t, "2", qs[1]["offset"])
	assert.Equal(t, "4", qs[2]["offset"])

	_, err := c.ActivitiesPage(context.Background(), &withings.ActivityOptions{Date: withings.DateOf(fixedNow)}, 0)
	require.NoError(t, err)
	assert.Equal(t, "2026-03-10", queries(srv, "/v2/measure")[3]["date"])
	_, err = c.ActivitiesPage(context.Background(), &withings.ActivityOptions{LastUpdate: fixedNow.Add(-time.Hour)}, 0)
	require.NoError(t, err)
	assert.Equal(t, unix(fixedNow.Add(-time.Hour)), queries(srv, "/v2/measure")[4]["lastupdate"])

	for _, bad := range []*withings.ActivityOptions{nil, {}, {Start: withings.DateOf(fixedNow)}, {Date: withings.DateOf(fixedNow), LastUpdate: fixedNow}} {
		_, err := c.ActivitiesPage(context.Background(), bad, 0)
		require.Error(t, err, "%+v", bad)
	}
}

func TestIntradaySplitsInto24Hours(t *testing.T) {
	srv := withingstest.New(t, withingstest.WithClock(fixedClock()))
	c, _ := newClient(t, srv)
	start := fixedNow.Add(-60 * time.Hour)
	pts, err := c.IntradayActivity(context.Background(), start, fixedNow)
	require.NoError(t, err)
	require.NotEmpty(t, pts)
	for i := 1; i < len(pts); i++ {
		require.True(t, pts[i].Time.After(pts[i-1].Time), "sorted, no duplicates")
	}
	assert.False(t, pts[0].Time.Before(start))
	assert.Equal(t, 0, srv.Truncated(), "no call asked for more than 24 h")
	qs := queries(srv, "/v2/measure")
	require.Len(t, qs, 3)
	for i, q := range qs {
		a := start.Add(time.Duration(i) * 24 * time.Hour)
		b := min(a.Add(24*time.Hour).Unix(), fixedNow.Unix())
		assert.Equal(t, "getintradayactivity", q["action"])
		assert.Equal(t, unix(a), q["startdate"])
		assert.Equal(t, strconv.FormatInt(b, 10), q["enddate"])
	}
	total := 0
	for _, p := range pts {
		total += p.Steps
		assert.Equal(t, time.Minute, p.Duration)
	}
	assert.Greater(t, total, 1000)

	// The real API (and the fake) cut a longer call: splitting is needed.
	require.NoError(t, c.Do(context.Background(), reqIntraday(start, fixedNow), nil))
	assert.Equal(t, 1, srv.Truncated())

	_, err = c.IntradayActivity(context.Background(), fixedNow, start)
	require.ErrorContains(t, err, "not after start")
}

func TestSleepSplitsAndTypesStates(t *testing.T) {
	srv := withingstest.New(t, withingstest.WithClock(fixedClock()))
	c, _ := newClient(t, srv)
	start := fixedNow.Add(-30 * time.Hour)
	spans, err := c.Sleep(context.Background(), start, fixedNow)
	require.NoError(t, err)
	require.NotEmpty(t, spans)
	seen := map[withings.SleepState]bool{}
	for _, s := range spans {
		seen[s.State] = true
		assert.True(t, s.End.After(s.Start))
		assert.Equal(t, 32, s.Model)
	}
	assert.True(t, seen[withings.LightSleep] && seen[withings.DeepSleep] && seen[withings.REMSleep], seen)
	qs := queries(srv, "/v2/sleep")
	require.Len(t, qs, 2)
	assert.Equal(t, "get", qs[0]["action"])
	assert.Equal(t, unix(start), qs[0]["startdate"])
	assert.Equal(t, unix(start.Add(24*time.Hour)), qs[0]["enddate"])
	assert.Equal(t, unix(fixedNow), qs[1]["enddate"])
	assert.Equal(t, "unknown sleep state 9", withings.SleepState(9).String())
}

func TestSleepSummariesSplitInto7Days(t *testing.T) {
	srv := withingstest.New(t, withingstest.WithClock(fixedClock()))
	c, _ := newClient(t, srv)
	opts := &withings.SleepSummaryOptions{Start: withings.DateOf(fixedNow.AddDate(0, 0, -9)), End: withings.DateOf(fixedNow)}
	var nights []withings.SleepSummary
	for n, err := range c.SleepSummaries(context.Background(), opts) {
		require.NoError(t, err)
		nights = append(nights, n)
	}
	require.Len(t, nights, 10)
	for _, n := range nights {
		assert.Greater(t, n.Data.Asleep(), 4*time.Hour)
		assert.True(t, n.End.After(n.Start))
	}
	qs := queries(srv, "/v2/sleep")
	require.Len(t, qs, 2)
	assert.Equal(t, "getsummary", qs[0]["action"])
	assert.Equal(t, "2026-03-01", qs[0]["startdateymd"])
	assert.Equal(t, "2026-03-07", qs[0]["enddateymd"])
	assert.Equal(t, "2026-03-08", qs[1]["startdateymd"])
	assert.Equal(t, "2026-03-10", qs[1]["enddateymd"])
	assert.Equal(t, 0, srv.Truncated())
}

func TestWorkouts(t *testing.T) {
	srv := withingstest.New(t, withingstest.WithClock(fixedClock()), withingstest.WithPageSize(2))
	c, _ := newClient(t, srv)
	opts := &withings.WorkoutOptions{Start: withings.DateOf(fixedNow.AddDate(0, 0, -14)), End: withings.DateOf(fixedNow)}
	var ws []withings.Workout
	for w, err := range c.Workouts(context.Background(), opts) {
		require.NoError(t, err)
		ws = append(ws, w)
	}
	require.NotEmpty(t, ws)
	for _, w := range ws {
		assert.Contains(t, []withings.WorkoutCategory{withings.WorkoutWalk, withings.WorkoutRun}, w.Category)
		assert.True(t, w.End.After(w.Start))
	}
	qs := queries(srv, "/v2/measure")
	assert.Equal(t, "getworkouts", qs[0]["action"])
	assert.Equal(t, opts.Start.String(), qs[0]["startdateymd"])
	assert.Equal(t, "unknown workout category 999", withings.WorkoutCategory(999).String())
	_, err := c.WorkoutsPage(context.Background(), &withings.WorkoutOptions{}, 0)
	require.Error(t, err)
}

func TestHeartAndDevices(t *testing.T) {
	srv := withingstest.New(t, withingstest.WithClock(fixedClock()))
	c, _ := newClient(t, srv)
	var recs []withings.HeartRecord
	for r, err := range c.HeartRecords(context.Background(), &withings.HeartOptions{Start: fixedNow.AddDate(0, 0, -3), End: fixedNow}) {
		require.NoError(t, err)
		recs = append(recs, r)
	}
	require.Len(t, recs, 3)
	q := queries(srv, "/v2/heart")[0]
	assert.Equal(t, "list", q["action"])
	assert.Equal(t, unix(fixedNow.AddDate(0, 0, -3)), q["startdate"])
	sig, err := c.HeartSignal(context.Background(), recs[0].SignalID)
	require.NoError(t, err)
	assert.Equal(t, 300, sig.SamplingFrequency)
	assert.Len(t, sig.Signal, 9000)
	assert.Equal(t, strconv.FormatInt(recs[0].SignalID, 10), queries(srv, "/v2/heart")[1]["signalid"])

	devs, err := c.Devices(context.Background())
	require.NoError(t, err)
	require.Len(t, devs, 2)
	assert.Equal(t, "Scale", devs[0].Type)
	assert.Equal(t, "getdevice", queries(srv, "/v2/user")[0]["action"])
}

func TestDate(t *testing.T) {
	d, err := withings.ParseDate("2026-02-28")
	require.NoError(t, err)
	assert.Equal(t, "2026-03-01", d.AddDays(1).String())
	_, err = withings.ParseDate("28/02/2026")
	require.ErrorContains(t, err, "YYYY-MM-DD")
	var x withings.Date
	require.Error(t, json.Unmarshal([]byte(`"2026-13-01"`), &x))
	require.NoError(t, json.Unmarshal([]byte(`null`), &x))
	assert.True(t, x.IsZero())
}

// Incremental sync: each lastupdate call returns the cursor for the next.
func TestSyncCursors(t *testing.T) {
	clock := fixedClock()
	srv := withingstest.New(t, withingstest.WithClock(clock), withingstest.WithHistory(3*24*time.Hour), withingstest.WithPageSize(2))
	c, _ := newClient(t, srv)
	ctx := context.Background()

	acts, cursor, err := c.SyncActivities(ctx, time.Time{})
	require.NoError(t, err)
	assert.Len(t, acts, 4, "three days of history and today")
	assert.Equal(t, fixedNow, cursor, "the server's time of the first answer")
	assert.Equal(t, "1", queries(srv, "/v2/measure")[0]["lastupdate"])

	nights, ncursor, err := c.SyncSleepSummaries(ctx, time.Time{})
	require.NoError(t, err)
	assert.Len(t, nights, 4)
	assert.Equal(t, fixedNow, ncursor)

	works, wcursor, err := c.SyncWorkouts(ctx, time.Time{})
	require.NoError(t, err)
	assert.Equal(t, fixedNow, wcursor)
	for _, w := range works {
		assert.False(t, w.Start.Before(fixedNow.AddDate(0, 0, -3).Truncate(24*time.Hour)))
	}

	clock.Advance(24 * time.Hour)
	nights, next, err := c.SyncSleepSummaries(ctx, ncursor)
	require.NoError(t, err)
	require.Len(t, nights, 1, "only the night since")
	assert.Equal(t, withings.DateOf(clock.Now()), nights[0].Date)
	assert.Equal(t, clock.Now(), next)
	q := queries(srv, "/v2/sleep")
	assert.Equal(t, unix(ncursor), q[len(q)-1]["lastupdate"])
}
