package analytics

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Tests for the five points where the Polar flow server's code (1.5.0)
// differed from this package (issue 11), each with the example.

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// Point 1: the training_load baseline keeps today's value.
func TestServerTrainingLoadKeepsToday(t *testing.T) {
	today := date(2026, 8, 6)
	var load []Point
	for i := 0; i < 7; i++ { // 10, 20 ... 70 dated 07-31 .. 08-06
		load = append(load, Point{date(2026, 7, 31).AddDate(0, 0, i), float64(10 * (i + 1))})
	}
	b, err := ComputeBaselineWith(load, ServerOptions(MetricTrainingLoad, today))
	require.NoError(t, err)
	assert.Equal(t, 7, b.SampleCount)
	assert.Equal(t, StatusPartial, b.Status)
	assert.Equal(t, 40.0, b.Value)
	require.NotNil(t, b.Baseline7d)
	assert.Equal(t, 40.0, *b.Baseline7d)
	assert.Equal(t, today, b.DataEnd)
	assert.False(t, ServerOptions(MetricTrainingLoad, today).ExcludeAsOf)

	// The same through Analyze.
	a := Analyze(Series{TrainingLoad: load}, today)
	assert.Equal(t, 7, a.Baselines[MetricTrainingLoad].SampleCount)
	assert.Equal(t, today, a.Baselines[MetricTrainingLoad].DataEnd)

	// The sentinels -1 and 0 are still dropped, and so is a day older than
	// today - 90; a later day (no upper bound in the server's query) counts.
	withSentinels := append([]Point{{today.AddDate(0, 0, -91), 500}, {today.AddDate(0, 0, -90), 5},
		{today.AddDate(0, 0, -3), -1}, {today.AddDate(0, 0, -2), 0}, {today.AddDate(0, 0, 1), 80}}, load...)
	b, err = ComputeBaselineWith(withSentinels, ServerOptions(MetricTrainingLoad, today))
	require.NoError(t, err)
	assert.Equal(t, 9, b.SampleCount)
	assert.Equal(t, today.AddDate(0, 0, -90), b.DataStart)
	assert.Equal(t, today.AddDate(0, 0, 1), b.DataEnd)
}

// hrvDipSeries is the second example: HRV around 50 ms for 40
// nights (mean 50.85), 30.0 yesterday, and today's row null (NaN).
func hrvDipSeries(today time.Time) Series {
	var s Series
	for d := 41; d >= 2; d-- {
		s.HRV = append(s.HRV, Point{today.AddDate(0, 0, -d), 49.35 + float64(d%4)})
	}
	s.HRV = append(s.HRV, Point{today.AddDate(0, 0, -1), 30}, Point{today, nan})
	return s
}

// Point 2: the comparison's current value is the latest row's, by default.
func TestServerCurrentIsLatestRow(t *testing.T) {
	today := date(2026, 8, 6)
	s := hrvDipSeries(today)

	a := Analyze(s, today)
	hrv := a.Insights.Comparisons[MetricHRV]
	assert.Nil(t, hrv.Current)
	assert.Nil(t, hrv.PercentOfBaseline)
	require.Len(t, a.Insights.Anomalies, 1) // the anomaly scan still checks 30.0
	assert.Equal(t, 30.0, a.Insights.Anomalies[0].Value)
	assert.Equal(t, []Observation{{Category: CategoryAnomaly, Priority: PriorityCritical,
		Fact:    "HRV RMSSD is significantly below normal range",
		Context: fmt.Sprintf("Current: 30.0, Baseline: %.1f (%+.0f%%)", a.Baselines[MetricHRV].Value, *a.Insights.Anomalies[0].DeviationPercent),
		Trend:   TrendAnomalous}}, a.Insights.Observations)
	require.Len(t, a.Insights.Suggestions, 1)
	assert.Equal(t, "monitor_closely", a.Insights.Suggestions[0].Action)
	assert.Equal(t, "Critical anomaly detected in hrv_rmssd", a.Insights.Suggestions[0].Reason)

	// The latest-valid-value rule, for other vendors' data: what the package
	// did before.
	v, err := AnalyzeWith(s, today, AnalyzeOptions{Current: CurrentLatestValid})
	require.NoError(t, err)
	hrv = v.Insights.Comparisons[MetricHRV]
	require.NotNil(t, hrv.Current)
	assert.Equal(t, 30.0, *hrv.Current)
	require.NotNil(t, hrv.PercentOfBaseline)
	assert.Equal(t, "59.6", fmtF(*hrv.PercentOfBaseline, 1))
	facts := make([]string, len(v.Insights.Observations))
	for i, o := range v.Insights.Observations {
		facts[i] = o.Fact
	}
	assert.Equal(t, []string{"HRV RMSSD is significantly below normal range", "HRV is 40% below personal baseline"}, facts)
	actions := make([]string, len(v.Insights.Suggestions))
	for i, sg := range v.Insights.Suggestions {
		actions[i] = sg.Action
	}
	assert.Equal(t, []string{"prioritize_recovery", "monitor_closely"}, actions)
	assert.Equal(t, a.Baselines, v.Baselines)

	// An unknown rule is an error naming it.
	_, err = AnalyzeWith(s, today, AnalyzeOptions{Current: CurrentRule(7)})
	require.ErrorContains(t, err, "current rule 7")
}

// Point 2, training load: the -1.0 and 0 sentinels of the latest row pass
// through to the comparison, and nothing else: the baseline and the anomaly
// scan keep dropping them.
func TestServerCurrentSentinelPassesThrough(t *testing.T) {
	today := date(2026, 8, 6)
	for _, sentinel := range []float64{-1, 0} {
		var s Series
		for d := 30; d >= 1; d-- {
			s.TrainingLoad = append(s.TrainingLoad, Point{today.AddDate(0, 0, -d), 100 + float64(d%5)})
			s.TrainingLoadRatio = append(s.TrainingLoadRatio, Point{today.AddDate(0, 0, -d), 1 + float64(d%3)/10})
		}
		s.TrainingLoad = append(s.TrainingLoad, Point{today, sentinel})
		s.TrainingLoadRatio = append(s.TrainingLoadRatio, Point{today, sentinel})
		a := Analyze(s, today)
		for _, m := range []string{MetricTrainingLoad, MetricTrainingLoadRatio} {
			c := a.Insights.Comparisons[m]
			require.NotNil(t, c.Current, m)
			assert.Equal(t, sentinel, *c.Current, m)
			require.NotNil(t, c.PercentOfBaseline, m)
			assert.Equal(t, sentinel/a.Baselines[m].Value*100, *c.PercentOfBaseline, m)
			assert.Equal(t, 30, a.Baselines[m].SampleCount, m)
		}
		assert.Empty(t, a.Insights.Anomalies, "sentinel %v", sentinel)

		v, err := AnalyzeWith(s, today, AnalyzeOptions{Current: CurrentLatestValid})
		require.NoError(t, err)
		c := v.Insights.Comparisons[MetricTrainingLoad]
		require.NotNil(t, c.Current)
		assert.Equal(t, 101.0, *c.Current) // yesterday, d = 1
	}
}

func TestLatestRow(t *testing.T) {
	v, ok := LatestRow([]Point{{dayN(1), 3}, {dayN(3), nan}, {dayN(2), 4}})
	assert.True(t, ok)
	assert.True(t, v != v, "the latest row is null: NaN")
	v, ok = LatestRow([]Point{{dayN(3), 5}, {dayN(3), 6}, {dayN(2), 4}})
	assert.True(t, ok)
	assert.Equal(t, 5.0, v, "first of equal dates")
	_, ok = LatestRow(nil)
	assert.False(t, ok)
}

// Point 3: patterns newest analysis first.
func TestServerPatternOrder(t *testing.T) {
	today := dayN(100)
	var s Series
	for d := 0; d <= 100; d++ {
		s.SleepScore = append(s.SleepScore, Point{dayN(d), 60 + float64((d*7)%31)})
		s.HRV = append(s.HRV, Point{dayN(d), 40 + float64((d*5)%17)})
	}
	a := Analyze(s, today)
	names := make([]string, len(a.Insights.Patterns))
	for i, p := range a.Insights.Patterns {
		names[i] = p.Name
	}
	assert.Equal(t, []string{PatternSleepTrend, PatternHRVTrend, PatternOvertrainingRisk, PatternSleepHRVCorrelation}, names)
}

// Point 4: anomalies in the server's metric order, not by name.
func TestServerAnomalyOrder(t *testing.T) {
	bs := map[string]Baseline{
		MetricHRV:               {Value: 45, Q1: 40, Q3: 50, Status: StatusReady},
		MetricSleepScore:        {Value: 80, Q1: 75, Q3: 85, Status: StatusReady},
		MetricRestingHR:         {Value: 55, Q1: 53, Q3: 57, Status: StatusReady},
		MetricTrainingLoad:      {Value: 80, Q1: 75, Q3: 85, Status: StatusReady},
		MetricTrainingLoadRatio: {Value: 1, Q1: 0.9, Q3: 1.1, Status: StatusReady},
		"b_custom":              {Value: 10, Q1: 9, Q3: 11, Status: StatusReady},
		"a_custom":              {Value: 10, Q1: 9, Q3: 11, Status: StatusReady},
	}
	// The example: critical sleep 20 and critical resting HR 70.
	in := InsightsInput{DataAgeDays: 30, Current: map[string]float64{MetricSleepScore: 20, MetricRestingHR: 70}, Baselines: bs}
	out := BuildInsights(in)
	require.Len(t, out.Anomalies, 2)
	assert.Equal(t, MetricSleepScore, out.Anomalies[0].Metric)
	assert.Equal(t, MetricRestingHR, out.Anomalies[1].Metric)
	assert.Equal(t, "Critical anomaly detected in sleep_score", out.Suggestions[len(out.Suggestions)-1].Reason)

	// Every metric anomalous, two unknown ones after the five, by name.
	got := Scan(map[string]float64{MetricHRV: 100, MetricSleepScore: 200, MetricRestingHR: 100,
		MetricTrainingLoad: 200, MetricTrainingLoadRatio: 5, "b_custom": 50, "a_custom": 50}, bs)
	names := make([]string, len(got))
	for i, a := range got {
		names[i] = a.Metric
	}
	assert.Equal(t, []string{MetricHRV, MetricSleepScore, MetricRestingHR, MetricTrainingLoad, MetricTrainingLoadRatio, "a_custom", "b_custom"}, names)
}

// Point 5: a 30-day baseline of 0 makes the server's insights fail with a
// division by zero (HTTP 500); the package reports no trend instead.
func TestServerZeroBaseline30d(t *testing.T) {
	zero, seven := 0.0, 1.0
	c := Compare(f64p(1), Baseline{Value: 0.5, Baseline7d: &seven, Baseline30d: &zero, Status: StatusReady})
	assert.Equal(t, TrendDirection(""), c.Trend)
	require.NotNil(t, c.PercentOfBaseline)
	assert.Equal(t, 200.0, *c.PercentOfBaseline)

	// Through Analyze: 40 nights of HRV 0 give baseline_30d = 0.
	today := dayN(60)
	var s Series
	for d := 20; d <= 60; d++ {
		s.HRV = append(s.HRV, Point{dayN(d), 0})
	}
	a := Analyze(s, today)
	require.NotNil(t, a.Baselines[MetricHRV].Baseline30d)
	assert.Equal(t, 0.0, *a.Baselines[MetricHRV].Baseline30d)
	hrv := a.Insights.Comparisons[MetricHRV]
	assert.Equal(t, TrendDirection(""), hrv.Trend)
	assert.Nil(t, hrv.PercentOfBaseline)
}

// The trend patterns carry the server's fixed confidence and sample count;
// the others theirs.
func TestPatternConfidenceAndSampleCount(t *testing.T) {
	tr := Trend{Available: true, Percent: -12, Significance: SignificanceHigh, Direction: TrendDeclining}
	p := tr.Pattern(PatternHRVTrend, "hrv")
	require.NotNil(t, p.Confidence)
	assert.Equal(t, 0.8, *p.Confidence)
	assert.Equal(t, 7, p.SampleCount)
	p = Trend{Significance: SignificanceInsufficient}.Pattern(PatternSleepTrend, "sleep")
	assert.Nil(t, p.Confidence)
	assert.Equal(t, 0, p.SampleCount)

	c := Correlation{Rho: 0.6, P: 0.002, Confidence: 0.998, N: 40, Significance: SignificanceHigh}
	p = c.Pattern()
	require.NotNil(t, p.Confidence)
	assert.Equal(t, 0.998, *p.Confidence)
	assert.Equal(t, 40, p.SampleCount)
	p = Correlation{N: 12, Significance: SignificanceInsufficient}.Pattern()
	assert.Nil(t, p.Confidence)
	assert.Equal(t, 12, p.SampleCount)

	hrvTrend, ratio := -12.0, 1.4
	r := OvertrainingRisk(RiskInput{HRVTrend: &hrvTrend, LoadRatio: &ratio})
	p = r.Pattern()
	require.NotNil(t, p.Confidence)
	assert.Equal(t, 0.5, *p.Confidence)
	assert.Equal(t, 2, p.SampleCount)
}

// Issue 8: Features returns a fresh copy each time.
func TestFeaturesIsACopy(t *testing.T) {
	fs := Features()
	require.Equal(t, []Feature{FeatureBaselines7d, FeaturePatterns, FeatureAnomalyDetection, FeatureBaselines30d, FeatureMLPredictions}, fs)
	fs[0] = "changed"
	assert.Equal(t, FeatureBaselines7d, Features()[0])
	assert.Equal(t, FeatureBaselines7d, FeatureAvailability(0)[0].Feature)
	u, _ := NextUnlock(0)
	assert.Equal(t, FeatureBaselines7d, u.NextUnlock)
}
