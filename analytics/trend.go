package analytics

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// TrendDirection is the way a metric is moving. It is an open string enum.
type TrendDirection string

// Trend directions. Anomalous marks observations made from an anomaly.
const (
	TrendImproving TrendDirection = "improving"
	TrendDeclining TrendDirection = "declining"
	TrendStable    TrendDirection = "stable"
	TrendAnomalous TrendDirection = "anomalous"
)

// String returns the direction, "none" when empty, or a note that it is
// unknown.
func (d TrendDirection) String() string {
	switch d {
	case TrendImproving, TrendDeclining, TrendStable, TrendAnomalous:
		return string(d)
	case "":
		return "none"
	}
	return fmt.Sprintf("unknown trend direction %q", string(d))
}

// Windows and minimum counts of the server's trend analysis.
const (
	TrendWindowDays      = 30 // points dated on or after today - 30 days
	TrendRecentDays      = 7  // recent: dated on or after today - 7 days
	TrendMinRecent       = 3  // recent points needed
	TrendMinBaseline     = 7  // older points needed (and points in all)
	trendHighPercent     = 10
	trendMediumPercent   = 5
	insightTrendPercent  = 5 // baseline_7d vs baseline_30d, for insights
	percentOfBaselineLow = 85
)

// Trend is the server's hrv_trend / sleep_trend pattern: the mean of the
// last 7 days against the mean of the 23 days before them.
type Trend struct {
	// Available is false when there is not enough data (or the older mean
	// is 0); then Percent is NaN and Significance is insufficient.
	Available bool
	// Percent is (mean(recent) - mean(older)) / mean(older) x 100.
	Percent float64
	// RecentMean and BaselineMean are the two correctly rounded means;
	// RecentCount and BaselineCount the numbers of points behind them.
	RecentMean, BaselineMean   float64
	RecentCount, BaselineCount int
	// Significance: |Percent| >= 10 high, >= 5 medium, else low.
	Significance Significance
	// Direction: improving above 0, declining below, stable at 0.
	Direction TrendDirection
}

// ComputeTrend computes the trend of points on day today as the server does:
// points (NaN and ±Inf dropped) dated on or after today - 30 days; at least 7 of
// them; recent = dated on or after today - 7 days (later dates count as
// recent too), at least 3; older = the rest, at least 7.
func ComputeTrend(points []Point, today time.Time) Trend {
	tr := Trend{Percent: math.NaN(), RecentMean: math.NaN(), BaselineMean: math.NaN(),
		Significance: SignificanceInsufficient}
	t0 := civilDay(today)
	var recent, older []float64
	for _, p := range points {
		if !finite(p.Value) {
			continue
		}
		d := civilDay(p.Date)
		switch {
		case d < t0-TrendWindowDays:
		case d >= t0-TrendRecentDays:
			recent = append(recent, p.Value)
		default:
			older = append(older, p.Value)
		}
	}
	tr.RecentCount, tr.BaselineCount = len(recent), len(older)
	if len(recent)+len(older) < TrendMinBaseline || len(recent) < TrendMinRecent || len(older) < TrendMinBaseline {
		return tr
	}
	tr.RecentMean, tr.BaselineMean = exactMean(recent), exactMean(older)
	if tr.BaselineMean == 0 {
		return tr
	}
	tr.Available = true
	tr.Percent = (tr.RecentMean - tr.BaselineMean) / tr.BaselineMean * 100
	a := math.Abs(tr.Percent)
	switch {
	case a >= trendHighPercent:
		tr.Significance = SignificanceHigh
	case a >= trendMediumPercent:
		tr.Significance = SignificanceMedium
	default:
		tr.Significance = SignificanceLow
	}
	switch {
	case tr.Percent > 0:
		tr.Direction = TrendImproving
	case tr.Percent < 0:
		tr.Direction = TrendDeclining
	default:
		tr.Direction = TrendStable
	}
	return tr
}

// The server's fixed confidence and sample count of an available trend
// pattern: constants in its code, not measured from the data.
const (
	trendConfidence  = 0.8
	trendSampleCount = 7
)

// Pattern returns the trend as an insights pattern named name (for example
// "hrv_trend"); label names the metric in the interpretation ("hrv"). An
// available trend has the server's fixed Confidence 0.8 and SampleCount 7.
func (tr Trend) Pattern(name, label string) Pattern {
	p := Pattern{Name: name, Type: PatternTrend, Significance: tr.Significance}
	if tr.Available {
		p.Score = ptr(tr.Percent)
		p.Confidence = ptr(trendConfidence)
		p.SampleCount = trendSampleCount
		p.Interpretation = fmt.Sprintf("%s is %s (%+.1f%% from baseline)", strings.ToUpper(label), tr.Direction, tr.Percent)
	}
	return p
}
