package analytics

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadinessTimeline(t *testing.T) {
	today := dayN(200)
	// Progress percents of the six features (7, 14, 21, 30, 60, 90 days)
	// as Python's round(m / t * 100, 1) gives them, and the server's
	// recommendation.
	for _, c := range []struct {
		days     int
		progress [6]float64
		rec      string
	}{
		{0, [6]float64{0, 0, 0, 0, 0, 0}, "Keep syncing! 7 more days until basic statistics unlock."},
		{6, [6]float64{85.7, 42.9, 28.6, 20, 10, 6.7}, "Keep syncing! 1 more days until basic statistics unlock."},
		{7, [6]float64{100, 50, 33.3, 23.3, 11.7, 7.8}, "Trend analysis unlocks in 7 days. Keep wearing your device!"},
		{13, [6]float64{100, 92.9, 61.9, 43.3, 21.7, 14.4}, "Trend analysis unlocks in 1 days. Keep wearing your device!"},
		{14, [6]float64{100, 100, 66.7, 46.7, 23.3, 15.6}, "Personalized baselines unlock in 7 days. This enables accurate anomaly detection."},
		{20, [6]float64{100, 100, 95.2, 66.7, 33.3, 22.2}, "Personalized baselines unlock in 1 days. This enables accurate anomaly detection."},
		{21, [6]float64{100, 100, 100, 70, 35, 23.3}, "Predictive models unlock in 9 days. Soon we can forecast recovery and readiness!"},
		{29, [6]float64{100, 100, 100, 96.7, 48.3, 32.2}, "Predictive models unlock in 1 days. Soon we can forecast recovery and readiness!"},
		{30, [6]float64{100, 100, 100, 100, 50, 33.3}, "Great progress! Advanced ML features unlock after 60 days of data."},
		{59, [6]float64{100, 100, 100, 100, 98.3, 65.6}, "Great progress! Advanced ML features unlock after 60 days of data."},
		{60, [6]float64{100, 100, 100, 100, 100, 66.7}, "Excellent! All features are unlocked. Full analytics suite available."},
		{89, [6]float64{100, 100, 100, 100, 100, 98.9}, "Excellent! All features are unlocked. Full analytics suite available."},
		{90, [6]float64{100, 100, 100, 100, 100, 100}, "Excellent! All features are unlocked. Full analytics suite available."},
	} {
		t.Run(fmt.Sprint(c.days), func(t *testing.T) {
			// Every table has c.days days in the window, with a null row
			// (counted) and rows outside the window (not counted); cardio
			// load has 5 more days, so the others set the minimum.
			var rows, more []Point
			for d := 0; d < c.days; d++ {
				v := 50.0
				if d == 0 {
					v = nan
				}
				rows = append(rows, Point{today.AddDate(0, 0, -d), v})
			}
			rows = append(rows, Point{today.AddDate(0, 0, -91), 1}, Point{today.AddDate(0, 0, -200), 1})
			more = append(more, rows...)
			for d := 0; d < 5; d++ {
				more = append(more, Point{today.AddDate(0, 0, -85+d), 1})
				more = append(more, Point{today.AddDate(0, 0, -85+d), 2}) // same date twice counts once
			}
			dd := DataDaysFrom(rows, rows, rows, more, today)
			assert.Equal(t, DataDays{c.days, c.days, c.days, CountDataDays(more, today)}, dd)
			if c.days <= 85 {
				assert.Equal(t, c.days+5, dd.CardioLoad)
			}

			r, err := ReadinessFor(dd)
			require.NoError(t, err)
			assert.Equal(t, c.days, r.MinDataDays)
			assert.Equal(t, []string{c.rec}, r.Recommendations)
			require.Len(t, r.Features, 6)
			for i, f := range r.Features {
				th := []int{7, 14, 21, 30, 60, 90}[i]
				assert.Equal(t, ReadinessFeatures()[i], f.Feature)
				assert.Equal(t, th, f.DaysRequired)
				assert.Equal(t, c.days >= th, f.Unlocked, "%s", f.Feature)
				assert.Equal(t, max(th-c.days, 0), f.DaysRemaining, "%s", f.Feature)
				assert.Equal(t, c.progress[i], f.ProgressPercent, "%s", f.Feature)
			}
		})
	}
}

func TestReadinessMinimumAndErrors(t *testing.T) {
	// The page's example: 45, 45, 45 and 30 days: 30 unlocks up to
	// predictive models, advanced_ml at 50 %.
	r, err := ReadinessFor(DataDays{Sleep: 45, Recharge: 45, Activity: 45, CardioLoad: 30})
	require.NoError(t, err)
	assert.Equal(t, 30, r.MinDataDays)
	assert.Equal(t, FeatureProgress{ReadinessAdvancedML, false, 60, 30, 50}, r.Features[4])
	assert.Equal(t, []string{"Great progress! Advanced ML features unlock after 60 days of data."}, r.Recommendations)

	// One empty table locks everything.
	r, err = ReadinessFor(DataDays{Sleep: 90, Recharge: 90, Activity: 0, CardioLoad: 90})
	require.NoError(t, err)
	assert.Equal(t, 0, r.MinDataDays)
	assert.False(t, r.Features[0].Unlocked)

	_, err = ReadinessFor(DataDays{Sleep: 3, Activity: -1})
	require.ErrorContains(t, err, "DataDays.Activity is negative (-1)")

	// A later date counts (no upper bound), the day before the window not.
	today := dayN(100)
	assert.Equal(t, 2, CountDataDays([]Point{{dayN(101), 1}, {dayN(10), 1}, {dayN(9), 1}}, today))
	assert.Equal(t, 0, CountDataDays(nil, today))

	fs := ReadinessFeatures()
	fs[0] = "changed"
	assert.Equal(t, ReadinessBasicStats, ReadinessFeatures()[0])
	assert.Equal(t, "long_term_patterns", ReadinessLongTermPatterns.String())
	assert.Contains(t, ReadinessFeature("x").String(), "unknown")
	assert.Equal(t, 0, ReadinessFeature("x").DaysRequired())
}

func TestPyRound1(t *testing.T) {
	// Python: round(0.25, 1) == 0.2 (a tie, to even); 0.35 is stored just
	// below and 0.45 just above their ties.
	for _, c := range [][2]float64{{0.25, 0.2}, {0.35, 0.3}, {0.45, 0.5}, {85.71428571428571, 85.7}, {99.95, 100}, {0, 0}} {
		assert.Equal(t, c[1], pyRound1(c[0]), "%v", c[0])
	}
	assert.Equal(t, math.Inf(1), pyRound1(math.Inf(1)))
}
