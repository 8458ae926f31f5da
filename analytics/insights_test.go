package analytics

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pct divides at run time, as the server does (Go folds constants exactly).
func pct(a, b float64) float64 { return a / b * 100 }

func fmtF(v float64, prec int) string { return strconv.FormatFloat(v, 'f', prec, 64) }

func TestUnlockTimeline(t *testing.T) {
	type row struct {
		days      int
		status    InsightStatus
		available []Feature
		next      Feature
		until     int
		percent   float64
	}
	for _, r := range []row{
		{0, InsightsUnavailable, nil, FeatureBaselines7d, 7, 0},
		{6, InsightsUnavailable, nil, FeatureBaselines7d, 1, pct(6, 7)},
		{7, InsightsPartial, []Feature{FeatureBaselines7d}, FeaturePatterns, 14, pct(7, 21)},
		{20, InsightsPartial, []Feature{FeatureBaselines7d}, FeaturePatterns, 1, pct(20, 21)},
		{21, InsightsReady, []Feature{FeatureBaselines7d, FeaturePatterns, FeatureAnomalyDetection}, FeatureBaselines30d, 9, 70},
		{29, InsightsReady, []Feature{FeatureBaselines7d, FeaturePatterns, FeatureAnomalyDetection}, FeatureBaselines30d, 1, pct(29, 30)},
		{30, InsightsReady, []Feature{FeatureBaselines7d, FeaturePatterns, FeatureAnomalyDetection, FeatureBaselines30d}, FeatureMLPredictions, 30, 50},
		{59, InsightsReady, []Feature{FeatureBaselines7d, FeaturePatterns, FeatureAnomalyDetection, FeatureBaselines30d}, FeatureMLPredictions, 1, pct(59, 60)},
		{60, InsightsReady, Features(), "", 0, 0},
	} {
		assert.Equal(t, r.status, InsightStatusFor(r.days), "day %d", r.days)
		var avail []Feature
		for _, f := range FeatureAvailability(r.days) {
			if f.Available {
				avail = append(avail, f.Feature)
				assert.Empty(t, f.Message)
			} else {
				assert.Equal(t, "Unlocks in "+strconv.Itoa(f.UnlockAtDays-r.days)+" days", f.Message)
			}
		}
		assert.Equal(t, r.available, avail, "day %d", r.days)
		u, ok := NextUnlock(r.days)
		assert.Equal(t, r.next != "", ok, "day %d", r.days)
		assert.Equal(t, r.next, u.NextUnlock, "day %d", r.days)
		assert.Equal(t, r.until, u.DaysUntilNext, "day %d", r.days)
		assert.Equal(t, r.percent, u.PercentToNext, "day %d", r.days)
		in := BuildInsights(InsightsInput{DataAgeDays: r.days})
		assert.Equal(t, r.status, in.Status)
		assert.Equal(t, r.next == "", in.Unlock == nil)
	}
	// The page's examples: 45 days and 5 days.
	u, _ := NextUnlock(45)
	assert.Equal(t, UnlockProgress{FeatureMLPredictions, 15, 75}, u)
	u, _ = NextUnlock(5)
	assert.Equal(t, "71.4", fmtF(u.PercentToNext, 1))
	assert.Equal(t, 1, DataAgeDays(dayN(3), dayN(3)))
	assert.Equal(t, 0, DataAgeDays(time.Time{}, dayN(3)))
}

func TestBuildInsights(t *testing.T) {
	b7, b30 := 40.0, 50.0
	in := InsightsInput{
		DataAgeDays: 45,
		Current:     map[string]float64{MetricHRV: 40, MetricSleepScore: 60, MetricRestingHR: 70},
		Baselines: map[string]Baseline{
			MetricHRV:        {Value: 52, Q1: 45, Q3: 58, Status: StatusReady, Baseline7d: &b7, Baseline30d: &b30},
			MetricSleepScore: {Value: 80, Q1: 75, Q3: 85, Status: StatusReady},
			MetricRestingHR:  {Value: 55, Q1: 53, Q3: 57, Status: StatusReady},
		},
		Patterns: []Pattern{
			{Name: PatternSleepHRVCorrelation, Type: PatternCorrelation, Score: f64p(0.72), Significance: SignificanceHigh},
			{Name: PatternOvertrainingRisk, Type: PatternComposite, Score: f64p(40), Significance: SignificanceMedium,
				Factors: []string{"HRV declining significantly (-20.0%)", "Resting heart rate slightly elevated (+3.0%)"}},
		},
	}
	out := BuildInsights(in)
	assert.Equal(t, InsightsReady, out.Status)
	require.NotNil(t, out.Unlock)
	assert.Equal(t, FeatureMLPredictions, out.Unlock.NextUnlock)

	hrv := out.Comparisons[MetricHRV]
	require.NotNil(t, hrv.PercentOfBaseline)
	assert.Equal(t, pct(40, 52), *hrv.PercentOfBaseline)
	assert.Equal(t, TrendDeclining, hrv.Trend)
	assert.Equal(t, TrendDirection(""), out.Comparisons[MetricSleepScore].Trend)

	// Resting HR 70 is outside 53-3*4 .. 57+3*4 = 41..69: critical.
	require.Len(t, out.Anomalies, 1)
	assert.Equal(t, MetricRestingHR, out.Anomalies[0].Metric)
	assert.Equal(t, SeverityCritical, out.Anomalies[0].Severity)

	assert.Equal(t, []Observation{
		{CategoryAnomaly, PriorityCritical, "RESTING HR is significantly above normal range", "Current: 70.0, Baseline: 55.0 (+27%)", TrendAnomalous},
		{CategoryRecovery, PriorityHigh, "HRV is 23% below personal baseline", "Current: 40ms, Baseline: 52ms", TrendDeclining},
		{CategorySleep, PriorityMedium, "Sleep score is 25% below your average", "Current: 60, Baseline: 80", ""},
		{CategoryTraining, PriorityMedium, "Moderate overtraining indicators detected (40/100)", "HRV declining significantly (-20.0%), Resting heart rate slightly elevated (+3.0%)", TrendStable},
		{CategoryRecovery, PriorityInfo, "Strong connection between your sleep quality and HRV detected", "Better sleep directly improves your recovery metrics", ""},
	}, out.Observations)
	assert.Equal(t, []Suggestion{
		{"reduce_intensity", "Consider reducing training intensity", 0.4, "Moderate overtraining risk detected"},
		{"prioritize_recovery", "Prioritize sleep and recovery today", 0.85, "HRV is 23% below baseline"},
		{"monitor_closely", "Monitor your metrics closely today", 0.9, "Critical anomaly detected in resting_hr"},
	}, out.Suggestions)

	// Before 21 days: no patterns, no anomalies, an onboarding note.
	in.DataAgeDays = 12
	out = BuildInsights(in)
	assert.Empty(t, out.Patterns)
	assert.Empty(t, out.Anomalies)
	assert.Contains(t, out.Observations, Observation{Category: CategoryOnboarding, Priority: PriorityInfo,
		Fact: "Your baselines are being established (12 days of data)", Context: "Pattern detection unlocks in 9 days. Accuracy improves over time."})

	// New user, 5 days: the page's onboarding text.
	out = BuildInsights(InsightsInput{DataAgeDays: 5})
	assert.Equal(t, []Observation{{Category: CategoryOnboarding, Priority: PriorityInfo,
		Fact: "Building your personal baselines (5/7 days)", Context: "Keep wearing your device. Basic insights unlock in 2 days."}}, out.Observations)
	assert.Empty(t, out.Suggestions)

	// Well recovered.
	out = BuildInsights(InsightsInput{DataAgeDays: 30, Current: map[string]float64{MetricHRV: 60},
		Baselines: map[string]Baseline{MetricHRV: {Value: 50, Q1: 45, Q3: 55, Status: StatusReady}}})
	assert.Equal(t, "train_normally", out.Suggestions[0].Action)
	assert.Equal(t, PriorityPositive, out.Observations[0].Priority)
	assert.Equal(t, "HRV is 20% above baseline - excellent recovery", out.Observations[0].Fact)
}

func TestAnalyze(t *testing.T) {
	today := dayN(100)
	var s Series
	for d := 0; d <= 100; d++ {
		sl := 60 + float64((d*7)%31)
		s.SleepScore = append(s.SleepScore, Point{dayN(d), sl})
		s.HRV = append(s.HRV, Point{dayN(d), 20 + sl/2 + float64(d%5)})
		s.RestingHR = append(s.RestingHR, Point{dayN(d), 50 + float64(d%4)})
		s.TrainingLoad = append(s.TrainingLoad, Point{dayN(d), float64(d%9) - 1})
		s.TrainingLoadRatio = append(s.TrainingLoadRatio, Point{dayN(d), 0.8 + float64(d%5)/10})
	}
	a := Analyze(s, today)
	assert.Equal(t, 101, a.Insights.DataAgeDays)
	assert.Nil(t, a.Insights.Unlock)
	assert.Equal(t, 91, a.Baselines[MetricHRV].SampleCount)
	assert.Equal(t, StatusReady, a.Baselines[MetricTrainingLoad].Status)
	assert.Less(t, a.Baselines[MetricTrainingLoad].SampleCount, 90)
	assert.Equal(t, SignificanceHigh, a.Correlation.Significance)
	assert.True(t, a.HRVTrend.Available)
	assert.Len(t, a.Insights.Patterns, 4)
	assert.Equal(t, 4, a.Risk.MetricsChecked)
}

func TestEnumStrings(t *testing.T) {
	assert.Equal(t, "ready", InsightsReady.String())
	assert.Equal(t, `unknown insights status "later"`, InsightStatus("later").String())
	assert.Equal(t, "trend", PatternTrend.String())
	assert.Contains(t, PatternType("x").String(), "unknown")
	assert.Equal(t, "sleep", CategorySleep.String())
	assert.Contains(t, Category("x").String(), "unknown")
	assert.Equal(t, "info", PriorityInfo.String())
	assert.Contains(t, Priority("x").String(), "unknown")
	assert.Equal(t, 99, Priority("x").Rank())
	assert.Equal(t, "none", Severity("").String())
	assert.Contains(t, Severity("x").String(), "unknown")
	assert.Contains(t, Status("x").String(), "unknown")
	assert.Contains(t, Significance("x").String(), "unknown")
	assert.Contains(t, QuantileMethod("type9").String(), "unknown")
	assert.Contains(t, TrendDirection("x").String(), "unknown")
	assert.Equal(t, "none", TrendDirection("").String())
	assert.Contains(t, Feature("x").String(), "unknown")
	assert.Equal(t, "patterns", FeaturePatterns.String())
}
