package analytics

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pointsOn dates values on consecutive days from dayN(0).
func pointsOn(values ...float64) []Point {
	ps := make([]Point, len(values))
	for i, v := range values {
		ps[i] = Point{Date: dayN(i), Value: v}
	}
	return ps
}

// An infinity is no measurement: a baseline drops it like NaN. It used to
// make the mean +Inf (or NaN with both signs) and the standard deviation NaN.
func TestComputeBaselineDropsInfinity(t *testing.T) {
	finite := []float64{51, 48, 55, 47, 52, 50, 49, 53}
	with := append([]float64{math.Inf(1)}, finite[:4]...)
	with = append(with, math.Inf(-1))
	with = append(with, finite[4:]...)
	got := ComputeBaseline(pointsOn(with...))
	assert.Equal(t, len(finite), got.SampleCount)
	for _, v := range []float64{got.Value, got.StdDev, got.Min, got.Max, got.Q1, got.Q3, *got.Baseline7d} {
		assert.False(t, math.IsNaN(v) || math.IsInf(v, 0), "%+v", got)
	}
	// Same statistics as the finite points alone (dates aside).
	want := ComputeBaseline(pointsOn(finite...))
	assert.Equal(t, want.Value, got.Value)
	assert.Equal(t, want.StdDev, got.StdDev)
	assert.Equal(t, want.Median, got.Median)

	// Mixed order takes the other path.
	ps := pointsOn(with...)
	ps[0], ps[5] = ps[5], ps[0]
	assert.Equal(t, len(finite), ComputeBaseline(ps).SampleCount)
	b, err := ComputeBaselineWith(pointsOn(with...), BaselineOptions{AsOf: dayN(9), WindowDays: 90})
	require.NoError(t, err)
	assert.Equal(t, len(finite), b.SampleCount)
}

// An infinity in the older window made the trend "available" with a NaN
// percent, low significance and a stable direction.
func TestComputeTrendDropsInfinity(t *testing.T) {
	vs := make([]float64, 20)
	for i := range vs {
		vs[i] = 50
	}
	want := ComputeTrend(pointsOn(vs...), dayN(19))
	require.True(t, want.Available)
	for _, at := range []int{2, 15} {
		ws := append([]float64(nil), vs...)
		ws[at] = math.Inf(1)
		got := ComputeTrend(pointsOn(ws...), dayN(19))
		assert.True(t, got.Available, "inf at %d", at)
		assert.Equal(t, 0.0, got.Percent, "inf at %d", at)
		assert.Equal(t, TrendStable, got.Direction, "inf at %d", at)
		assert.Equal(t, want.RecentCount+want.BaselineCount-1, got.RecentCount+got.BaselineCount)
	}
}

// Latest skips an infinite value as it skips NaN, so the anomaly scan does
// not report "Current: +Inf" as a critical anomaly.
func TestLatestSkipsInfinity(t *testing.T) {
	v, ok := Latest(pointsOn(5, math.Inf(1)))
	require.True(t, ok)
	assert.Equal(t, 5.0, v)
	_, ok = Latest(pointsOn(math.Inf(-1)))
	assert.False(t, ok)
}

// An infinite current value is no measurement: the scan skips it (it used
// to report a critical anomaly "Current: +Inf") and the comparison has no
// current value (it used to report an infinite percent of baseline).
func TestInsightsSkipInfiniteCurrent(t *testing.T) {
	b := ComputeBaseline(pointsOn(51, 48, 55, 47, 52, 50, 49, 53, 50, 51, 49, 50, 52, 48, 51, 50, 49, 53, 50, 51, 50))
	require.Equal(t, StatusReady, b.Status)
	bs := map[string]Baseline{MetricHRV: b}
	assert.Empty(t, Scan(map[string]float64{MetricHRV: math.Inf(1)}, bs))
	in := BuildInsights(InsightsInput{DataAgeDays: 30, Current: map[string]float64{MetricHRV: math.Inf(-1)}, Baselines: bs})
	assert.Nil(t, in.Comparisons[MetricHRV].Current)
	assert.Nil(t, in.Comparisons[MetricHRV].PercentOfBaseline)
	assert.Empty(t, in.Anomalies)
	assert.Empty(t, in.Observations)
}

// Pearson answered r = NaN with no error for an infinite input, and for
// values whose deviations from the mean overflow.
func TestPearsonNonFinite(t *testing.T) {
	_, _, err := Pearson([]float64{1, 2, math.Inf(1)}, []float64{1, 2, 3})
	require.ErrorIs(t, err, ErrInvalidValue)
	assert.Contains(t, err.Error(), "pair 2")
	_, _, err = Pearson([]float64{1, 2, 3}, []float64{math.Inf(-1), 2, 3})
	require.ErrorIs(t, err, ErrInvalidValue)
	assert.Contains(t, err.Error(), "pair 0")

	// Finite but huge: x - mean overflows unless the data is scaled first.
	// Pearson is scale-invariant, so the answer is that of x / 1e308:
	// scipy.stats.pearsonr([1.7, -1.7, 1.7], [1, 2, 3]) = (0.0, 1.0).
	r, p, err := Pearson([]float64{1.7e308, -1.7e308, 1.7e308}, []float64{1, 2, 3})
	require.NoError(t, err)
	wr, wp, err := Pearson([]float64{1.7, -1.7, 1.7}, []float64{1, 2, 3})
	require.NoError(t, err)
	assert.InDelta(t, wr, r, 1e-15)
	assert.InDelta(t, wp, p, 1e-12)
	assert.InDelta(t, 0, r, 1e-15)
}

// Spearman ranks infinities like any value, as scipy.stats.spearmanr does:
// spearmanr([1, 2, inf, 4], [1, 2, 3, 4]) = (0.7999999999999999, 0.20000000000000007).
func TestSpearmanRanksInfinity(t *testing.T) {
	rho, p, err := Spearman([]float64{1, 2, math.Inf(1), 4}, []float64{1, 2, 3, 4})
	require.NoError(t, err)
	assert.InDelta(t, 0.7999999999999999, rho, 1e-15)
	assert.InDelta(t, 0.20000000000000007, p, 1e-13)
}

// Check of a NaN value gave a DeviationPercent pointing at NaN (and of an
// infinite one at ±Inf), which no JSON encoder accepts; the doc promised nil
// only for a zero baseline.
func TestCheckNonFiniteValueHasNoDeviation(t *testing.T) {
	b := ComputeBaseline(pointsOn(51, 48, 55, 47, 52, 50, 49, 53))
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		a := Check(v, b)
		assert.False(t, a.IsAnomaly, "%v", v)
		assert.Nil(t, a.DeviationPercent, "%v", v)
	}
}

// A NaN trend is no signal: it was counted as checked, so two NaN signals
// made a "low" risk with confidence 0.5 instead of "insufficient".
func TestOvertrainingRiskNaNSignalIsNotAvailable(t *testing.T) {
	nan := math.NaN()
	r := OvertrainingRisk(RiskInput{HRVTrend: &nan, SleepTrend: &nan, LoadRatio: &nan})
	assert.Equal(t, 0, r.MetricsChecked)
	assert.Equal(t, SignificanceInsufficient, r.Level)
	assert.Equal(t, 0.0, r.Confidence)
}

// AlignByDate drops ±Inf like NaN: an infinite sleep score used to be
// paired and ranked as the best night in the sleep-HRV correlation.
func TestAlignByDateDropsInfinity(t *testing.T) {
	a := pointsOn(70, math.Inf(1), 80, 75)
	b := pointsOn(50, 60, math.Inf(-1), 55)
	xs, ys := AlignByDate(a, b)
	assert.Equal(t, []float64{70, 75}, xs)
	assert.Equal(t, []float64{50, 55}, ys)
}

// Option and argument errors name the field and match ErrInvalidValue, so a
// caller can tell bad input from too little data.
func TestOptionErrorsNameTheField(t *testing.T) {
	_, err := ComputeBaselineWith(nil, BaselineOptions{Method: "type9"})
	require.ErrorIs(t, err, ErrInvalidValue)
	assert.Contains(t, err.Error(), "BaselineOptions.Method")
	_, err = ComputeBaselineWith(nil, BaselineOptions{WindowDays: -1})
	require.ErrorIs(t, err, ErrInvalidValue)
	assert.Contains(t, err.Error(), "BaselineOptions.WindowDays")
	_, err = Quantiles([]float64{1, 2}, 4, "type9")
	require.ErrorIs(t, err, ErrInvalidValue)
	assert.Contains(t, err.Error(), "method")
	_, err = AnalyzeWith(Series{}, dayN(0), AnalyzeOptions{Current: 7})
	require.ErrorIs(t, err, ErrInvalidValue)
	assert.Contains(t, err.Error(), "AnalyzeOptions.Current")
	_, err = ReadinessFor(DataDays{Activity: -1})
	require.ErrorIs(t, err, ErrInvalidValue)
	assert.Contains(t, err.Error(), "DataDays.Activity")
}
