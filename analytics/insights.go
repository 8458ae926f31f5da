package analytics

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// PatternType classifies a pattern. It is an open string enum.
type PatternType string

// Pattern types and the names of the server's patterns.
const (
	PatternCorrelation PatternType = "correlation"
	PatternTrend       PatternType = "trend"
	PatternComposite   PatternType = "composite"

	PatternSleepHRVCorrelation = "sleep_hrv_correlation"
	PatternOvertrainingRisk    = "overtraining_risk"
	PatternHRVTrend            = "hrv_trend"
	PatternSleepTrend          = "sleep_trend"
)

// Pattern is one detected pattern as the insights bundle lists it.
type Pattern struct {
	Name         string
	Type         PatternType
	Score        *float64 // nil when there was not enough data
	Significance Significance
	// Factors are the risk factors of the overtraining risk.
	Factors []string
	// Interpretation is a one-line reading, empty when there is none.
	Interpretation string
	// Confidence and SampleCount are the server's pattern fields: for a
	// trend, a fixed 0.8 and 7 (the server's constants, not a computed
	// measure); for the correlation 1 - p and the number of paired dates;
	// for the overtraining risk metrics checked / 4 and metrics checked.
	// Confidence is nil where the server stores null (no score), and
	// SampleCount 0 for an unavailable trend.
	Confidence  *float64
	SampleCount int
}

// Pattern returns the correlation as an insights pattern named
// "sleep_hrv_correlation".
func (c Correlation) Pattern() Pattern {
	p := Pattern{Name: PatternSleepHRVCorrelation, Type: PatternCorrelation, Significance: c.Significance,
		SampleCount: c.N}
	if c.Significance != SignificanceInsufficient {
		p.Score = ptr(c.Rho)
		p.Confidence = ptr(c.Confidence)
		p.Interpretation = c.Interpretation
	}
	return p
}

// Feature is an analytics feature that unlocks with days of data. It is an
// open string enum.
type Feature string

// Features, in the order they unlock.
const (
	FeatureBaselines7d      Feature = "baselines_7d"      // 7 days
	FeaturePatterns         Feature = "patterns"          // 21 days
	FeatureAnomalyDetection Feature = "anomaly_detection" // 21 days
	FeatureBaselines30d     Feature = "baselines_30d"     // 30 days
	FeatureMLPredictions    Feature = "ml_predictions"    // 60 days
)

// features lists the features in unlock order; of two unlocking on the same
// day the server names patterns first.
var features = [...]Feature{FeatureBaselines7d, FeaturePatterns, FeatureAnomalyDetection, FeatureBaselines30d, FeatureMLPredictions}

// Features returns the insights features in unlock order (of two unlocking on
// the same day the server names patterns first). The slice is a fresh copy
// the caller may change.
func Features() []Feature {
	out := features
	return out[:]
}

// UnlockDays returns the days of data a feature needs, 0 for an unknown one.
func (f Feature) UnlockDays() int {
	switch f {
	case FeatureBaselines7d:
		return 7
	case FeaturePatterns, FeatureAnomalyDetection:
		return 21
	case FeatureBaselines30d:
		return 30
	case FeatureMLPredictions:
		return 60
	}
	return 0
}

// String returns the feature name, "none" when empty, or a note that it is
// unknown.
func (f Feature) String() string {
	if f == "" {
		return "none"
	}
	if f.UnlockDays() == 0 {
		return fmt.Sprintf("unknown feature %q", string(f))
	}
	return string(f)
}

// FeatureStatus tells whether a feature is available.
type FeatureStatus struct {
	Feature      Feature
	Available    bool
	UnlockAtDays int
	// DaysRemaining is UnlockAtDays minus the days of data, 0 once
	// available; Message is "Unlocks in N days" until then, else empty.
	DaysRemaining int
	Message       string
}

// FeatureAvailability returns the status of every feature, in the order of
// Features, for the given days of data.
func FeatureAvailability(dataAgeDays int) []FeatureStatus {
	out := make([]FeatureStatus, len(features))
	for i, f := range features {
		th := f.UnlockDays()
		s := FeatureStatus{Feature: f, UnlockAtDays: th, Available: dataAgeDays >= th}
		if !s.Available {
			s.DaysRemaining = th - dataAgeDays
			s.Message = fmt.Sprintf("Unlocks in %d days", s.DaysRemaining)
		}
		out[i] = s
	}
	return out
}

// UnlockProgress is the progress towards the next feature.
type UnlockProgress struct {
	NextUnlock    Feature
	DaysUntilNext int
	// PercentToNext is days / UnlockDays x 100, at most 99.9.
	PercentToNext float64
}

// NextUnlock returns the progress towards the next locked feature, and false
// once every feature is unlocked (60 days).
func NextUnlock(dataAgeDays int) (UnlockProgress, bool) {
	for _, f := range features {
		th := f.UnlockDays()
		if dataAgeDays < th {
			pct := float64(dataAgeDays) / float64(th) * 100
			return UnlockProgress{NextUnlock: f, DaysUntilNext: th - dataAgeDays, PercentToNext: math.Min(pct, 99.9)}, true
		}
	}
	return UnlockProgress{}, false
}

// InsightStatus is the overall readiness of the insights. It is an open
// string enum.
type InsightStatus string

// Insight statuses by days of data.
const (
	InsightsUnavailable InsightStatus = "unavailable" // fewer than 7 days
	InsightsPartial     InsightStatus = "partial"     // 7 to 20 days
	InsightsReady       InsightStatus = "ready"       // 21 days or more
)

// InsightStatusFor returns the status for the given days of data.
func InsightStatusFor(dataAgeDays int) InsightStatus {
	switch {
	case dataAgeDays < 7:
		return InsightsUnavailable
	case dataAgeDays < 21:
		return InsightsPartial
	}
	return InsightsReady
}

// DataAgeDays counts the calendar days from earliest to today, both
// included, as the server does ((today - earliest).days + 1); 0 when
// earliest is the zero time. An earliest date after today gives 0 or less,
// as the server's formula does; the functions taking a day count read a
// count below 7 as "unavailable", whatever its sign.
func DataAgeDays(earliest, today time.Time) int {
	if earliest.IsZero() {
		return 0
	}
	return int(civilDay(today)-civilDay(earliest)) + 1
}

// BaselineComparison sets a metric's current value against its baseline.
type BaselineComparison struct {
	Current                 *float64
	Baseline                float64
	Baseline7d, Baseline30d *float64
	// PercentOfBaseline is Current / Baseline x 100; nil without a current
	// value or with a zero baseline.
	PercentOfBaseline *float64
	// Trend compares Baseline7d with Baseline30d: more than 5 % above is
	// improving, more than 5 % below declining, else stable; empty when
	// either is missing or Baseline30d is 0 (see Compare).
	Trend  TrendDirection
	Status Status
}

// Compare builds the comparison of current (nil when unknown) with b.
//
// One deliberate difference from the Polar flow server: when b's 30-day
// baseline is 0 (30 recent values of 0), the server's insights fail with a
// division by zero (HTTP 500, version 1.5.0); Compare reports no trend
// instead, so one such metric does not cost the whole bundle.
func Compare(current *float64, b Baseline) BaselineComparison {
	c := BaselineComparison{Current: current, Baseline: b.Value, Baseline7d: b.Baseline7d,
		Baseline30d: b.Baseline30d, Status: b.Status}
	if current != nil && b.Value != 0 {
		c.PercentOfBaseline = ptr(*current / b.Value * 100)
	}
	if b.Baseline7d != nil && b.Baseline30d != nil && *b.Baseline30d != 0 {
		d := (*b.Baseline7d - *b.Baseline30d) / *b.Baseline30d * 100
		switch {
		case d > insightTrendPercent:
			c.Trend = TrendImproving
		case d < -insightTrendPercent:
			c.Trend = TrendDeclining
		default:
			c.Trend = TrendStable
		}
	}
	return c
}

// Category groups observations. It is an open string enum.
type Category string

// Observation categories.
const (
	CategoryRecovery   Category = "recovery"
	CategorySleep      Category = "sleep"
	CategoryTraining   Category = "training"
	CategoryAnomaly    Category = "anomaly"
	CategoryOnboarding Category = "onboarding"
	CategoryTrend      Category = "trend"
)

// Priority ranks observations. It is an open string enum.
type Priority string

// Observation priorities, most urgent first.
const (
	PriorityCritical Priority = "critical"
	PriorityHigh     Priority = "high"
	PriorityMedium   Priority = "medium"
	PriorityLow      Priority = "low"
	PriorityInfo     Priority = "info"
	PriorityPositive Priority = "positive"
)

// Rank orders priorities: 0 for critical up to 5 for positive, 99 for an
// unknown one.
func (p Priority) Rank() int {
	switch p {
	case PriorityCritical:
		return 0
	case PriorityHigh:
		return 1
	case PriorityMedium:
		return 2
	case PriorityLow:
		return 3
	case PriorityInfo:
		return 4
	case PriorityPositive:
		return 5
	}
	return 99
}

// Observation is a plain-language statement for a coaching layer.
type Observation struct {
	Category Category
	Priority Priority
	Fact     string
	Context  string // empty when there is none
	Trend    TrendDirection
}

// Suggestion is an action with the reason for it.
type Suggestion struct {
	Action      string // rest_day, reduce_intensity, prioritize_recovery, monitor_closely, train_normally
	Description string
	Confidence  float64
	Reason      string
}

// InsightsInput is what the insights bundle is made from.
type InsightsInput struct {
	// DataAgeDays is the days of data (see DataAgeDays).
	DataAgeDays int
	// Current holds the current value of each metric by name (MetricHRV,
	// MetricSleepScore, ...) for the baseline comparisons; NaN, ±Inf or a
	// missing entry means none. The server takes the latest row's value, null or a
	// sentinel included (see LatestRow and CurrentRule).
	Current map[string]float64
	// LatestValid holds the values the anomaly scan checks when Anomalies
	// is nil: the server scans the latest non-null value (> 0 for the
	// training-load metrics), which differs from Current when the latest
	// row is null. Nil means Current.
	LatestValid map[string]float64
	// Baselines holds each metric's baseline by name.
	Baselines map[string]Baseline
	// Patterns are reported once patterns unlock (21 days).
	Patterns []Pattern
	// Anomalies are reported once anomaly detection unlocks (21 days);
	// when nil they are computed with Scan(LatestValid, Baselines), or
	// Scan(Current, Baselines) when LatestValid is nil.
	Anomalies []MetricAnomaly
}

// Insights is the server's unified insights bundle, without the clock and
// database fields (user, generated_at, data_freshness).
type Insights struct {
	DataAgeDays int
	Status      InsightStatus
	Features    []FeatureStatus
	// Unlock is nil once every feature is unlocked.
	Unlock       *UnlockProgress
	Comparisons  map[string]BaselineComparison
	Patterns     []Pattern
	Anomalies    []MetricAnomaly
	Observations []Observation
	Suggestions  []Suggestion
}

// BuildInsights assembles the insights bundle as the server does: status and
// feature unlocks by days of data, a baseline comparison per metric,
// patterns and anomalies once unlocked, observations sorted by priority
// (stable), and suggestions.
func BuildInsights(in InsightsInput) Insights {
	age := in.DataAgeDays
	out := Insights{DataAgeDays: age, Status: InsightStatusFor(age), Features: FeatureAvailability(age)}
	if u, ok := NextUnlock(age); ok {
		out.Unlock = &u
	}
	out.Comparisons = make(map[string]BaselineComparison, len(in.Baselines))
	for name, b := range in.Baselines {
		var cur *float64
		if v, ok := in.Current[name]; ok && finite(v) {
			cur = ptr(v)
		}
		out.Comparisons[name] = Compare(cur, b)
	}
	if age >= FeaturePatterns.UnlockDays() {
		out.Patterns = in.Patterns
	}
	if age >= FeatureAnomalyDetection.UnlockDays() {
		out.Anomalies = in.Anomalies
		if out.Anomalies == nil {
			latest := in.LatestValid
			if latest == nil {
				latest = in.Current
			}
			out.Anomalies = Scan(latest, in.Baselines)
		}
	}
	out.Observations = observations(in, out)
	out.Suggestions = suggestions(out)
	return out
}

// pyNum formats v as Python's str() shows an int-valued score, else as the
// shortest float.
func pyNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func observations(in InsightsInput, out Insights) []Observation {
	var obs []Observation
	age := out.DataAgeDays
	switch {
	case age < 7:
		obs = append(obs, Observation{Category: CategoryOnboarding, Priority: PriorityInfo,
			Fact:    fmt.Sprintf("Building your personal baselines (%d/7 days)", age),
			Context: fmt.Sprintf("Keep wearing your device. Basic insights unlock in %d days.", 7-age)})
	case age < 21:
		obs = append(obs, Observation{Category: CategoryOnboarding, Priority: PriorityInfo,
			Fact:    fmt.Sprintf("Your baselines are being established (%d days of data)", age),
			Context: fmt.Sprintf("Pattern detection unlocks in %d days. Accuracy improves over time.", 21-age)})
	}
	for _, a := range out.Anomalies {
		name := strings.ToUpper(strings.ReplaceAll(a.Metric, "_", " "))
		o := Observation{Category: CategoryAnomaly, Priority: PriorityHigh, Trend: TrendAnomalous,
			Fact: fmt.Sprintf("%s is %s normal range", name, a.Direction)}
		if a.Severity == SeverityCritical {
			o.Priority = PriorityCritical
			o.Fact = fmt.Sprintf("%s is significantly %s normal range", name, a.Direction)
		}
		o.Context = fmt.Sprintf("Current: %.1f, Baseline: %.1f", a.Value, a.Baseline)
		if a.DeviationPercent != nil {
			o.Context += fmt.Sprintf(" (%+.0f%%)", *a.DeviationPercent)
		}
		obs = append(obs, o)
	}
	if c, ok := out.Comparisons[MetricHRV]; ok && c.PercentOfBaseline != nil && *c.PercentOfBaseline != 0 && c.Status != StatusInsufficient {
		pct := *c.PercentOfBaseline
		switch {
		case pct < percentOfBaselineLow:
			o := Observation{Category: CategoryRecovery, Priority: PriorityHigh, Trend: c.Trend,
				Fact: fmt.Sprintf("HRV is %.0f%% below personal baseline", 100-pct)}
			if *c.Current != 0 && c.Baseline != 0 {
				o.Context = fmt.Sprintf("Current: %.0fms, Baseline: %.0fms", *c.Current, c.Baseline)
			}
			obs = append(obs, o)
		case pct > 110:
			obs = append(obs, Observation{Category: CategoryRecovery, Priority: PriorityPositive, Trend: TrendImproving,
				Fact:    fmt.Sprintf("HRV is %.0f%% above baseline - excellent recovery", pct-100),
				Context: "Body is well-recovered and ready for training"})
		}
	}
	if c, ok := out.Comparisons[MetricSleepScore]; ok && c.PercentOfBaseline != nil && *c.PercentOfBaseline != 0 && c.Status != StatusInsufficient {
		if pct := *c.PercentOfBaseline; pct < percentOfBaselineLow {
			o := Observation{Category: CategorySleep, Priority: PriorityMedium, Trend: c.Trend,
				Fact: fmt.Sprintf("Sleep score is %.0f%% below your average", 100-pct)}
			if *c.Current != 0 && c.Baseline != 0 {
				o.Context = fmt.Sprintf("Current: %s, Baseline: %.0f", pyNum(*c.Current), c.Baseline)
			}
			obs = append(obs, o)
		}
	}
	for _, p := range out.Patterns {
		if p.Significance == SignificanceInsufficient || p.Score == nil || *p.Score == 0 {
			continue
		}
		s := *p.Score
		switch {
		case p.Name == PatternOvertrainingRisk && s >= 50:
			obs = append(obs, Observation{Category: CategoryTraining, Priority: PriorityHigh, Trend: TrendDeclining,
				Fact: fmt.Sprintf("Overtraining risk is elevated (%.0f/100)", s), Context: strings.Join(p.Factors, ", ")})
		case p.Name == PatternOvertrainingRisk && s >= 25:
			obs = append(obs, Observation{Category: CategoryTraining, Priority: PriorityMedium, Trend: TrendStable,
				Fact: fmt.Sprintf("Moderate overtraining indicators detected (%.0f/100)", s), Context: strings.Join(p.Factors, ", ")})
		case p.Name == PatternSleepHRVCorrelation && p.Significance == SignificanceHigh && s > 0.5:
			obs = append(obs, Observation{Category: CategoryRecovery, Priority: PriorityInfo,
				Fact:    "Strong connection between your sleep quality and HRV detected",
				Context: "Better sleep directly improves your recovery metrics"})
		}
	}
	sort.SliceStable(obs, func(i, j int) bool { return obs[i].Priority.Rank() < obs[j].Priority.Rank() })
	return obs
}

func suggestions(out Insights) []Suggestion {
	var sg []Suggestion
	for _, p := range out.Patterns {
		if p.Name != PatternOvertrainingRisk || p.Score == nil || *p.Score == 0 {
			continue
		}
		s := *p.Score
		switch {
		case s >= 50:
			sg = append(sg, Suggestion{Action: "rest_day", Description: "Take a rest day or do light recovery activity",
				Confidence: math.Min(s/100, 0.95), Reason: "Elevated overtraining risk score indicates need for recovery"})
		case s >= 25:
			sg = append(sg, Suggestion{Action: "reduce_intensity", Description: "Consider reducing training intensity",
				Confidence: math.Min(s/100, 0.8), Reason: "Moderate overtraining risk detected"})
		}
		break
	}
	var hrvPct *float64
	if c, ok := out.Comparisons[MetricHRV]; ok && c.PercentOfBaseline != nil && *c.PercentOfBaseline != 0 {
		hrvPct = c.PercentOfBaseline
	}
	if hrvPct != nil && *hrvPct < percentOfBaselineLow {
		sg = append(sg, Suggestion{Action: "prioritize_recovery", Description: "Prioritize sleep and recovery today",
			Confidence: 0.85, Reason: fmt.Sprintf("HRV is %.0f%% below baseline", 100-*hrvPct)})
	}
	for _, a := range out.Anomalies {
		if a.Severity == SeverityCritical {
			sg = append(sg, Suggestion{Action: "monitor_closely", Description: "Monitor your metrics closely today",
				Confidence: 0.9, Reason: "Critical anomaly detected in " + a.Metric})
			break
		}
	}
	if len(sg) == 0 && hrvPct != nil && *hrvPct >= 100 {
		sg = append(sg, Suggestion{Action: "train_normally", Description: "Body is well-recovered, train as planned",
			Confidence: 0.85, Reason: "HRV at or above baseline indicates good recovery"})
	}
	return sg
}

// Series holds one user's dated metrics for Analyze.
type Series struct {
	HRV               []Point // nightly HRV (RMSSD), ms
	SleepScore        []Point
	RestingHR         []Point // bpm
	TrainingLoad      []Point
	TrainingLoadRatio []Point
}

// Analysis is everything the server computes for one user on one day.
type Analysis struct {
	Baselines   map[string]Baseline
	Correlation Correlation
	HRVTrend    Trend
	SleepTrend  Trend
	Risk        Risk
	Insights    Insights
}

// CurrentRule chooses a metric's current value for the baseline
// comparisons of Analyze.
type CurrentRule int

// Current-value rules. The anomaly scan always checks the latest valid
// value, as the server does.
const (
	// CurrentLatestRow is the Polar flow server's rule (the default): the
	// latest point's value, so a null (NaN) latest point gives no current
	// value and Polar's -1.0 or 0 "not available" training load passes
	// through (see LatestRow).
	CurrentLatestRow CurrentRule = iota
	// CurrentLatestValid takes the latest non-NaN value (> 0 for the
	// training-load metrics), for data from vendors that send a row per
	// day whether or not it was measured.
	CurrentLatestValid
)

// String names the rule, or says it is unknown.
func (r CurrentRule) String() string {
	switch r {
	case CurrentLatestRow:
		return "latest row"
	case CurrentLatestValid:
		return "latest valid value"
	}
	return fmt.Sprintf("unknown current rule %d", int(r))
}

// AnalyzeOptions adjusts AnalyzeWith. The zero value is the server's
// behaviour.
type AnalyzeOptions struct {
	// Current is the rule for the comparisons' current values.
	Current CurrentRule
}

// Analyze runs the server's analytics on s as of today: baselines with
// ServerOptions, the sleep-HRV correlation, the HRV and sleep trends, the
// overtraining risk (resting-HR trend from RestingHR), and the insights
// bundle, with data age counted from the earliest sleep or HRV date. A null
// row is a Point whose Value is NaN.
//
// As in the server, each comparison's current value is the latest point's
// (CurrentLatestRow), the anomaly scan checks the latest valid value, and
// the patterns are listed newest analysis first: sleep_trend, hrv_trend,
// overtraining_risk, sleep_hrv_correlation. AnalyzeWith offers the
// latest-valid rule for the comparisons too.
func Analyze(s Series, today time.Time) Analysis {
	a, _ := AnalyzeWith(s, today, AnalyzeOptions{}) // the zero options are valid
	return a
}

// AnalyzeWith is Analyze with options. It fails only on an unknown current
// rule.
func AnalyzeWith(s Series, today time.Time, opts AnalyzeOptions) (Analysis, error) {
	if opts.Current != CurrentLatestRow && opts.Current != CurrentLatestValid {
		return Analysis{}, fmt.Errorf("%w: AnalyzeOptions.Current: %v", ErrInvalidValue, opts.Current)
	}
	var a Analysis
	a.Baselines = make(map[string]Baseline, 5)
	current := make(map[string]float64, 5)
	valid := make(map[string]float64, 5)
	for name, ps := range map[string][]Point{MetricHRV: s.HRV, MetricSleepScore: s.SleepScore,
		MetricRestingHR: s.RestingHR, MetricTrainingLoad: s.TrainingLoad, MetricTrainingLoadRatio: s.TrainingLoadRatio} {
		opts := ServerOptions(name, today)
		b, _ := ComputeBaselineWith(ps, opts) // ServerOptions are valid
		a.Baselines[name] = b
		src := ps
		if opts.PositiveOnly {
			src = make([]Point, 0, len(ps))
			for _, p := range ps {
				if p.Value > 0 {
					src = append(src, p)
				}
			}
		}
		if v, ok := Latest(src); ok {
			valid[name] = v
		}
		if v, ok := LatestRow(ps); ok {
			current[name] = v
		}
	}
	if opts.Current == CurrentLatestValid {
		current = valid
	}
	a.Correlation = SleepHRVCorrelation(s.SleepScore, s.HRV, today)
	a.HRVTrend = ComputeTrend(s.HRV, today)
	a.SleepTrend = ComputeTrend(s.SleepScore, today)
	a.Risk = OvertrainingRisk(RiskInputFrom(s.HRV, s.SleepScore, s.RestingHR, s.TrainingLoadRatio, today))
	var earliest time.Time
	for _, ps := range [][]Point{s.SleepScore, s.HRV} {
		for _, p := range ps {
			if earliest.IsZero() || civilDay(p.Date) < civilDay(earliest) {
				earliest = p.Date
			}
		}
	}
	a.Insights = BuildInsights(InsightsInput{
		DataAgeDays: DataAgeDays(earliest, today),
		Current:     current,
		LatestValid: valid,
		Baselines:   a.Baselines,
		// Newest analysis first: the server detects the correlation, the
		// risk, the HRV trend, then the sleep trend, and lists them by
		// analysis time descending.
		Patterns: []Pattern{a.SleepTrend.Pattern(PatternSleepTrend, "sleep"), a.HRVTrend.Pattern(PatternHRVTrend, "hrv"),
			a.Risk.Pattern(), a.Correlation.Pattern()},
	})
	return a, nil
}

// String returns the pattern type, or a note that it is unknown.
func (t PatternType) String() string {
	switch t {
	case PatternCorrelation, PatternTrend, PatternComposite:
		return string(t)
	}
	return fmt.Sprintf("unknown pattern type %q", string(t))
}

// String returns the status, or a note that it is unknown.
func (s InsightStatus) String() string {
	switch s {
	case InsightsUnavailable, InsightsPartial, InsightsReady:
		return string(s)
	}
	return fmt.Sprintf("unknown insights status %q", string(s))
}

// String returns the category, or a note that it is unknown.
func (c Category) String() string {
	switch c {
	case CategoryRecovery, CategorySleep, CategoryTraining, CategoryAnomaly, CategoryOnboarding, CategoryTrend:
		return string(c)
	}
	return fmt.Sprintf("unknown category %q", string(c))
}

// String returns the priority, or a note that it is unknown.
func (p Priority) String() string {
	if p.Rank() == 99 {
		return fmt.Sprintf("unknown priority %q", string(p))
	}
	return string(p)
}
