package analytics

import (
	"fmt"
	"math"
	"sort"
)

// Severity grades an anomaly. It is an open string enum; the empty value
// means no anomaly.
type Severity string

// Anomaly severities.
const (
	SeverityWarning  Severity = "warning"  // strictly outside Q1 - 1.5 IQR .. Q3 + 1.5 IQR
	SeverityCritical Severity = "critical" // strictly outside Q1 - 3 IQR .. Q3 + 3 IQR
)

// String returns the severity value, "none" when empty, or a note that it
// is unknown.
func (s Severity) String() string {
	switch s {
	case SeverityWarning, SeverityCritical:
		return string(s)
	case "":
		return "none"
	}
	return fmt.Sprintf("unknown severity %q", string(s))
}

// Directions of a value against its baseline.
const (
	DirectionAbove = "above"
	DirectionBelow = "below"
)

// Anomaly is the result of checking one value against a baseline.
type Anomaly struct {
	IsAnomaly bool
	// Severity is SeverityCritical, SeverityWarning, or empty.
	Severity Severity
	// Direction is "above" when the value is greater than the baseline
	// value, else "below" (also for an equal value, as the server does).
	Direction string
	// DeviationPercent is (value - baseline) / baseline x 100, nil when the
	// baseline value is 0 or the value is NaN or ±Inf.
	DeviationPercent *float64
	// Value is the value checked; Baseline, LowerBound and UpperBound are
	// the baseline value and the unclamped 1.5 IQR bounds it was checked
	// against. The bounds are NaN when there were none to check against
	// (a baseline without quartiles, or a value that is NaN or ±Inf), where
	// the server answers null.
	Value, Baseline, LowerBound, UpperBound float64
}

// Check tests value against b as the Polar flow server does: bounds come
// from b.Q1 and b.Q3 alone (IQR = Q3 - Q1), critical when value is strictly
// outside Q1 - 3 IQR .. Q3 + 3 IQR, else warning when strictly outside
// Q1 - 1.5 IQR .. Q3 + 1.5 IQR. Only a baseline with StatusReady or
// StatusPartial has quartiles: any other (StatusInsufficient, the zero
// Baseline a missed map lookup gives, an unknown status) never reports an
// anomaly, as the server answers "No baseline data available"; neither does
// a NaN or ±Inf value, which is no measurement (see Anomaly for the fields
// then).
func Check(value float64, b Baseline) Anomaly {
	a := Anomaly{Value: value, Baseline: b.Value, Direction: DirectionBelow}
	if value > b.Value {
		a.Direction = DirectionAbove
	}
	if b.Value != 0 && finite(value) {
		a.DeviationPercent = ptr((value - b.Value) / b.Value * 100)
	}
	if (b.Status != StatusReady && b.Status != StatusPartial) || !finite(value) {
		a.LowerBound, a.UpperBound = math.NaN(), math.NaN()
		return a
	}
	iqr := b.Q3 - b.Q1
	a.LowerBound = b.Q1 - 1.5*iqr
	a.UpperBound = b.Q3 + 1.5*iqr
	switch {
	case value < b.Q1-3*iqr || value > b.Q3+3*iqr:
		a.IsAnomaly, a.Severity = true, SeverityCritical
	case value < a.LowerBound || value > a.UpperBound:
		a.IsAnomaly, a.Severity = true, SeverityWarning
	}
	return a
}

// MetricAnomaly is an anomaly found by Scan for one metric.
type MetricAnomaly struct {
	Metric string
	Anomaly
}

// Scan checks the latest value of each metric against that metric's
// baseline and returns the anomalies in the order the Polar flow server
// lists them: its metric order hrv_rmssd, sleep_score, resting_hr,
// training_load, training_load_ratio (the order its baselines are written;
// the server's query has no ORDER BY, so this is what it does in practice),
// then any other metric by name. The order matters: the insights name the
// first critical anomaly ("Critical anomaly detected in <metric>").
// Metrics without a baseline or a latest value are skipped, and so is a
// latest value of 0, which the server treats as missing, and a NaN or ±Inf
// one, which is no measurement.
func Scan(latest map[string]float64, baselines map[string]Baseline) []MetricAnomaly {
	var out []MetricAnomaly
	for metric, b := range baselines {
		v, ok := latest[metric]
		if !ok || v == 0 || !finite(v) {
			continue
		}
		if a := Check(v, b); a.IsAnomaly {
			out = append(out, MetricAnomaly{Metric: metric, Anomaly: a})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		ri, rj := metricRank(out[i].Metric), metricRank(out[j].Metric)
		if ri != rj {
			return ri < rj
		}
		return out[i].Metric < out[j].Metric
	})
	return out
}

// metricRank places the server's five metrics first, in its order.
func metricRank(metric string) int {
	switch metric {
	case MetricHRV:
		return 0
	case MetricSleepScore:
		return 1
	case MetricRestingHR:
		return 2
	case MetricTrainingLoad:
		return 3
	case MetricTrainingLoadRatio:
		return 4
	}
	return 5
}

// Latest returns the value of the most recent point that is neither NaN nor
// ±Inf (the first such point among equal dates), and false when there is
// none.
func Latest(points []Point) (float64, bool) {
	best := -1
	for i, p := range points {
		if !finite(p.Value) {
			continue
		}
		if best < 0 || newer(p.Date, points[best].Date) {
			best = i
		}
	}
	if best < 0 {
		return 0, false
	}
	return points[best].Value, true
}

// LatestRow returns the value of the most recent point (the first such point
// among equal dates) even when it is NaN (a null row), and false when there
// is no point. This is the Polar flow server's "current" value in its
// baseline comparisons: a null latest row gives no current value, and a
// sentinel such as Polar's -1.0 for training load passes through.
func LatestRow(points []Point) (float64, bool) {
	best := -1
	for i, p := range points {
		if best < 0 || newer(p.Date, points[best].Date) {
			best = i
		}
	}
	if best < 0 {
		return 0, false
	}
	return points[best].Value, true
}
