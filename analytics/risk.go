package analytics

import (
	"fmt"
	"math"
	"time"
)

// RiskInput holds the four signals of the overtraining risk; nil (or a
// pointer to NaN) means the signal is not available. The trends are percentages as Trend.Percent gives
// them.
type RiskInput struct {
	HRVTrend       *float64
	SleepTrend     *float64
	RestingHRTrend *float64
	// LoadRatio is the latest training-load (acute:chronic) ratio > 0.
	LoadRatio *float64
}

// Risk is the server's overtraining_risk pattern.
type Risk struct {
	// Score is 0 to 100: HRV trend < -10 adds 25, < -5 adds 15; sleep
	// trend the same; resting-HR trend > 5 adds 25, > 2 adds 15; load
	// ratio > 1.5 adds 25, > 1.3 adds 15.
	Score int
	// Level: insufficient when fewer than 2 signals are available, else
	// Score >= 50 high, >= 25 medium, otherwise low.
	Level Significance
	// MetricsChecked counts the available signals; Confidence is
	// MetricsChecked / 4.
	MetricsChecked int
	Confidence     float64
	// Factors say which signals added to the score, in the server's words.
	Factors []string
	// Recommendations are the server's advice for the score.
	Recommendations []string
}

// OvertrainingRisk scores the overtraining risk from its four signals with
// the server's thresholds (all comparisons strict).
func OvertrainingRisk(in RiskInput) Risk {
	var r Risk
	if v := in.HRVTrend; v != nil && !math.IsNaN(*v) {
		r.MetricsChecked++
		switch {
		case *v < -10:
			r.add(25, "HRV declining significantly (%.1f%%)", *v)
		case *v < -5:
			r.add(15, "HRV declining moderately (%.1f%%)", *v)
		}
	}
	if v := in.SleepTrend; v != nil && !math.IsNaN(*v) {
		r.MetricsChecked++
		switch {
		case *v < -10:
			r.add(25, "Sleep quality declining (%.1f%%)", *v)
		case *v < -5:
			r.add(15, "Sleep quality declining slightly (%.1f%%)", *v)
		}
	}
	if v := in.RestingHRTrend; v != nil && !math.IsNaN(*v) {
		r.MetricsChecked++
		switch {
		case *v > 5:
			r.add(25, "Resting heart rate elevated (%+.1f%%)", *v)
		case *v > 2:
			r.add(15, "Resting heart rate slightly elevated (%+.1f%%)", *v)
		}
	}
	if v := in.LoadRatio; v != nil && !math.IsNaN(*v) {
		r.MetricsChecked++
		switch {
		case *v > 1.5:
			r.add(25, "Training load ratio high (%.2f)", *v)
		case *v > 1.3:
			r.add(15, "Training load ratio elevated (%.2f)", *v)
		}
	}
	r.Confidence = float64(r.MetricsChecked) / 4
	switch {
	case r.MetricsChecked < 2:
		r.Level = SignificanceInsufficient
	case r.Score >= 50:
		r.Level = SignificanceHigh
	case r.Score >= 25:
		r.Level = SignificanceMedium
	default:
		r.Level = SignificanceLow
	}
	r.Recommendations = recoveryAdvice(r.Score)
	return r
}

func (r *Risk) add(points int, format string, v float64) {
	r.Score += points
	r.Factors = append(r.Factors, fmt.Sprintf(format, v))
}

func recoveryAdvice(score int) []string {
	switch {
	case score >= 75:
		return []string{
			"Consider taking a rest day or reducing training intensity significantly",
			"Prioritize sleep quality and duration",
			"Monitor symptoms of overtraining (fatigue, mood changes, decreased performance)",
		}
	case score >= 50:
		return []string{
			"Reduce training intensity for the next few days",
			"Focus on recovery activities (light stretching, walking)",
			"Ensure adequate sleep (7-9 hours)",
		}
	case score >= 25:
		return []string{
			"Monitor your body's response to training",
			"Consider adding an extra recovery day this week",
		}
	}
	return []string{
		"Training load appears manageable",
		"Continue current training while monitoring recovery metrics",
	}
}

// RiskInputFrom builds the risk signals from dated series on day today: the
// trends of hrv, sleep and restingHR (ComputeTrend; unavailable trends stay
// nil) and the latest loadRatio value > 0, of any date.
func RiskInputFrom(hrv, sleep, restingHR, loadRatio []Point, today time.Time) RiskInput {
	var in RiskInput
	trend := func(ps []Point) *float64 {
		if tr := ComputeTrend(ps, today); tr.Available {
			return ptr(tr.Percent)
		}
		return nil
	}
	in.HRVTrend = trend(hrv)
	in.SleepTrend = trend(sleep)
	in.RestingHRTrend = trend(restingHR)
	pos := make([]Point, 0, len(loadRatio))
	for _, p := range loadRatio {
		if p.Value > 0 {
			pos = append(pos, p)
		}
	}
	if v, ok := Latest(pos); ok {
		in.LoadRatio = ptr(v)
	}
	return in
}

// Pattern returns the risk as an insights pattern named "overtraining_risk".
func (r Risk) Pattern() Pattern {
	return Pattern{Name: PatternOvertrainingRisk, Type: PatternComposite, Score: ptr(float64(r.Score)),
		Significance: r.Level, Factors: r.Factors, Confidence: ptr(r.Confidence), SampleCount: r.MetricsChecked}
}
