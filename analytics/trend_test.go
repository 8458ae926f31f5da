package analytics

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTrendWindows(t *testing.T) {
	today := dayN(40)
	var ps []Point
	var recent, older []float64
	for d := 5; d <= 41; d++ {
		v := 50 + float64(d%6)
		if d >= 33 {
			v -= 6
		}
		ps = append(ps, Point{dayN(d), v})
		switch {
		case d < 10: // before today - 30: outside the window
		case d >= 33:
			recent = append(recent, v) // today - 7 and later, tomorrow included
		default:
			older = append(older, v)
		}
	}
	tr := ComputeTrend(ps, today)
	require.True(t, tr.Available)
	assert.Equal(t, len(recent), tr.RecentCount)
	assert.Equal(t, len(older), tr.BaselineCount)
	want := (exactMean(recent) - exactMean(older)) / exactMean(older) * 100
	assert.Equal(t, want, tr.Percent)
	assert.Equal(t, TrendDeclining, tr.Direction)
	assert.Equal(t, SignificanceHigh, tr.Significance)
	p := tr.Pattern(PatternHRVTrend, "hrv")
	assert.Equal(t, fmt.Sprintf("HRV is declining (%+.1f%% from baseline)", want), p.Interpretation)

	// Two recent points are not enough.
	var few []Point
	for d := 15; d <= 34; d++ {
		few = append(few, Point{dayN(d), 50})
	}
	tr = ComputeTrend(few, today)
	assert.False(t, tr.Available)
	assert.Equal(t, SignificanceInsufficient, tr.Significance)
	assert.True(t, math.IsNaN(tr.Percent))
}

func TestTrendSignificance(t *testing.T) {
	today := dayN(30)
	mk := func(recent float64) []Point {
		var ps []Point
		for d := 5; d < 23; d++ {
			ps = append(ps, Point{dayN(d), 100})
		}
		for d := 23; d <= 30; d++ {
			ps = append(ps, Point{dayN(d), recent})
		}
		return ps
	}
	for _, c := range []struct {
		recent float64
		sig    Significance
		dir    TrendDirection
	}{{110, SignificanceHigh, TrendImproving}, {105, SignificanceMedium, TrendImproving}, {104.9, SignificanceLow, TrendImproving},
		{100, SignificanceLow, TrendStable}, {95, SignificanceMedium, TrendDeclining}, {90, SignificanceHigh, TrendDeclining}} {
		tr := ComputeTrend(mk(c.recent), today)
		require.True(t, tr.Available)
		assert.Equal(t, c.sig, tr.Significance, "recent %v -> %v", c.recent, tr.Percent)
		assert.Equal(t, c.dir, tr.Direction)
	}
}

func TestOvertrainingRisk(t *testing.T) {
	for _, c := range []struct {
		in    RiskInput
		score int
		level Significance
	}{
		{RiskInput{}, 0, SignificanceInsufficient},
		{RiskInput{HRVTrend: f64p(-20)}, 25, SignificanceInsufficient},
		{RiskInput{HRVTrend: f64p(-10), SleepTrend: f64p(-5)}, 15, SignificanceLow},
		{RiskInput{HRVTrend: f64p(-10.1), SleepTrend: f64p(-5.1)}, 40, SignificanceMedium},
		{RiskInput{HRVTrend: f64p(-11), SleepTrend: f64p(-11), RestingHRTrend: f64p(5.5), LoadRatio: f64p(1.6)}, 100, SignificanceHigh},
		{RiskInput{RestingHRTrend: f64p(5), LoadRatio: f64p(1.5)}, 30, SignificanceMedium},
		{RiskInput{RestingHRTrend: f64p(2), LoadRatio: f64p(1.3)}, 0, SignificanceLow},
		{RiskInput{HRVTrend: f64p(-6), LoadRatio: f64p(1.51), SleepTrend: f64p(3)}, 40, SignificanceMedium},
		{RiskInput{HRVTrend: f64p(-12), LoadRatio: f64p(1.51)}, 50, SignificanceHigh},
	} {
		r := OvertrainingRisk(c.in)
		assert.Equal(t, c.score, r.Score, "%+v", c.in)
		assert.Equal(t, c.level, r.Level, "%+v", c.in)
		assert.NotEmpty(t, r.Recommendations)
	}
	r := OvertrainingRisk(RiskInput{HRVTrend: f64p(-12.34), RestingHRTrend: f64p(3.21), LoadRatio: f64p(1.555)})
	assert.Equal(t, []string{"HRV declining significantly (-12.3%)", "Resting heart rate slightly elevated (+3.2%)", "Training load ratio high (1.55)"}, r.Factors)
	assert.Equal(t, 0.75, r.Confidence)
	assert.Equal(t, 65, r.Score)
	assert.Equal(t, "Reduce training intensity for the next few days", r.Recommendations[0])
}
