package polar

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/wearkit/wearkit"
)

// Metric names of the server's baselines (analytics.MetricHRV and the rest
// are the same strings).
const (
	MetricHRV               = "hrv_rmssd"
	MetricSleepScore        = "sleep_score"
	MetricRestingHR         = "resting_hr"
	MetricTrainingLoad      = "training_load"
	MetricTrainingLoadRatio = "training_load_ratio"
)

// Baseline is a personal baseline as the server stores it. The server
// sets its status by the count of non-null samples in 90 days (ready from
// 21, partial from 7), where the page speaks of days. Below 7 samples
// the quartiles, deviation and bounds are null.
type Baseline struct {
	MetricName    string    `json:"metric_name"`
	BaselineValue *float64  `json:"baseline_value"`
	Baseline7d    *float64  `json:"baseline_7d"`
	Baseline30d   *float64  `json:"baseline_30d"`
	Baseline90d   *float64  `json:"baseline_90d"`
	Median        *float64  `json:"median"`
	Q1            *float64  `json:"q1"`
	Q3            *float64  `json:"q3"`
	IQR           *float64  `json:"iqr"`
	StdDev        *float64  `json:"std_dev"`
	Min           *float64  `json:"min"`
	Max           *float64  `json:"max"`
	LowerBound    *float64  `json:"lower_bound"`
	UpperBound    *float64  `json:"upper_bound"`
	SampleCount   int       `json:"sample_count"`
	Status        string    `json:"status"`
	DataStartDate time.Time `json:"data_start_date"`
	DataEndDate   time.Time `json:"data_end_date"`
	CalculatedAt  time.Time `json:"calculated_at"`
	Extra         Extra     `json:"-"`
}

// UnmarshalJSON decodes the answer, keeping unknown keys.
func (b *Baseline) UnmarshalJSON(data []byte) error { return decodeObject(data, b) }

// Baselines returns every stored baseline of the user.
func (c *Client) Baselines(ctx context.Context, userID string) ([]Baseline, error) {
	var out []Baseline
	return out, c.getUser(ctx, "Baselines", userID, &out, "baselines")
}

// Baseline returns one stored baseline; a metric without one is an error
// matching wearkit.ErrNotFound.
func (c *Client) Baseline(ctx context.Context, userID, metric string) (*Baseline, error) {
	if err := checkSegment("Baseline", "metric name", metric); err != nil {
		return nil, err
	}
	var out *Baseline
	if err := c.getUser(ctx, "Baseline", userID, &out, "baselines", url.PathEscape(metric)); err != nil {
		return nil, err
	}
	if out == nil {
		return nil, notFound("Baseline", "baseline of "+metric)
	}
	return out, nil
}

// BaselineCalculation is the answer to CalculateBaselines: each metric's
// new status.
type BaselineCalculation struct {
	UserID              string            `json:"user_id" polar:"id"`
	BaselinesCalculated map[string]string `json:"baselines_calculated"`
	Extra               Extra             `json:"-"`
}

// UnmarshalJSON decodes the answer, keeping unknown keys.
func (b *BaselineCalculation) UnmarshalJSON(data []byte) error { return decodeObject(data, b) }

// CalculateBaselines makes the server recompute and store the user's
// baselines from its last 90 days. Recomputing twice gives the same
// baselines, so the call is retried like a GET.
func (c *Client) CalculateBaselines(ctx context.Context, userID string) (*BaselineCalculation, error) {
	if err := checkUser("CalculateBaselines", userID); err != nil {
		return nil, err
	}
	var out BaselineCalculation
	if _, err := c.do(ctx, &wearkit.Request{Method: http.MethodPost, Path: userPath(userID, "baselines", "calculate"), Safe: true}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// BaselineCheck is the answer to CheckBaseline. It has two shapes: with a
// baseline, the page's (value, bounds, severity, ...); without one the
// code's {"is_anomaly": false, "reason": "No baseline data available",
// "status": "insufficient"}, where Reason says why and the numbers are nil.
type BaselineCheck struct {
	Value      *float64 `json:"value"`
	MetricName string   `json:"metric_name"`
	IsAnomaly  bool     `json:"is_anomaly"`
	// Severity is "warning", "critical" or empty.
	Severity   string   `json:"severity"`
	Baseline   *float64 `json:"baseline"`
	Baseline7d *float64 `json:"baseline_7d"`
	LowerBound *float64 `json:"lower_bound"`
	UpperBound *float64 `json:"upper_bound"`
	Status     string   `json:"status"`
	// Reason is set when the server could not check (no baseline).
	Reason string `json:"reason"`
	Extra  Extra  `json:"-"`
}

// UnmarshalJSON decodes both shapes of the answer.
func (b *BaselineCheck) UnmarshalJSON(data []byte) error { return decodeObject(data, b) }

// Checked reports whether the server had a baseline to check against (the
// first shape).
func (b *BaselineCheck) Checked() bool { return b != nil && b.Reason == "" && b.Baseline != nil }

// CheckBaseline asks whether value is anomalous for the user's metric (IQR
// rule: warning beyond 1.5 IQR, critical beyond 3 IQR). A metric without a
// baseline is not an error: the answer's Reason says so.
func (c *Client) CheckBaseline(ctx context.Context, userID, metric string, value float64) (*BaselineCheck, error) {
	if err := checkSegment("CheckBaseline", "metric name", metric); err != nil {
		return nil, err
	}
	if math.IsNaN(value) || math.IsInf(value, 0) {
		return nil, errors.New("polar: CheckBaseline: value must be a finite number")
	}
	var out BaselineCheck
	v := strconv.FormatFloat(value, 'f', -1, 64)
	if err := c.getUser(ctx, "CheckBaseline", userID, &out, "baselines", "check", url.PathEscape(metric), v); err != nil {
		return nil, err
	}
	return &out, nil
}

// FeatureProgress is one feature's entry in the analytics status's
// unlock_progress (the code reports all six features, the page one).
type FeatureProgress struct {
	Unlocked        bool    `json:"unlocked"`
	DaysRequired    int     `json:"days_required"`
	DaysRemaining   int     `json:"days_remaining"`
	ProgressPercent float64 `json:"progress_percent"`
	Extra           Extra   `json:"-"`
}

// UnmarshalJSON decodes the answer, keeping unknown keys.
func (f *FeatureProgress) UnmarshalJSON(data []byte) error { return decodeObject(data, f) }

// AnalyticsStatus is the user's analytics readiness: days of data per
// table, the features they unlock, progress and a recommendation.
type AnalyticsStatus struct {
	UserID            string                     `json:"user_id" polar:"id"`
	DataDays          map[string]int             `json:"data_days"`
	MinDataDays       int                        `json:"min_data_days"`
	FeaturesAvailable map[string]bool            `json:"features_available"`
	UnlockProgress    map[string]FeatureProgress `json:"unlock_progress"`
	Recommendations   []string                   `json:"recommendations"`
	Extra             Extra                      `json:"-"`
}

// UnmarshalJSON decodes the answer, keeping unknown keys.
func (a *AnalyticsStatus) UnmarshalJSON(data []byte) error { return decodeObject(data, a) }

// AnalyticsStatus returns the user's analytics readiness.
func (c *Client) AnalyticsStatus(ctx context.Context, userID string) (*AnalyticsStatus, error) {
	var out AnalyticsStatus
	if err := c.getUser(ctx, "AnalyticsStatus", userID, &out, "analytics", "status"); err != nil {
		return nil, err
	}
	return &out, nil
}

// Pattern is one stored pattern. The code's overtraining details add
// risk_score and metrics_checked (and its confidence is metrics checked /
// 4); its correlation details add strength and direction.
type Pattern struct {
	PatternType     string         `json:"pattern_type"`
	PatternName     string         `json:"pattern_name"`
	Score           *float64       `json:"score"`
	Confidence      *float64       `json:"confidence"`
	Significance    string         `json:"significance"`
	MetricsInvolved []string       `json:"metrics_involved"`
	SampleCount     int            `json:"sample_count"`
	Details         PatternDetails `json:"details"`
	AnalyzedAt      time.Time      `json:"analyzed_at"`
	Extra           Extra          `json:"-"`
}

// UnmarshalJSON decodes either form of the answer.
func (p *Pattern) UnmarshalJSON(data []byte) error { return decodeObject(data, p) }

// PatternDetails holds a pattern's details; which keys are set depends on
// the pattern. Unknown ones (a trend's figures) stay in Extra.
type PatternDetails struct {
	CorrelationCoefficient *float64 `json:"correlation_coefficient"`
	PValue                 *float64 `json:"p_value"`
	Strength               string   `json:"strength"`
	Direction              string   `json:"direction"`
	Interpretation         string   `json:"interpretation"`
	RiskScore              *float64 `json:"risk_score"`
	MetricsChecked         *int     `json:"metrics_checked"`
	RiskFactors            []string `json:"risk_factors"`
	Recommendations        []string `json:"recommendations"`
	Extra                  Extra    `json:"-"`
}

// UnmarshalJSON decodes the answer, keeping unknown keys.
func (p *PatternDetails) UnmarshalJSON(data []byte) error { return decodeObject(data, p) }

// Patterns returns the user's stored patterns.
func (c *Client) Patterns(ctx context.Context, userID string) ([]Pattern, error) {
	var out []Pattern
	return out, c.getUser(ctx, "Patterns", userID, &out, "patterns")
}

// Pattern returns one stored pattern. The server computes four
// (sleep_hrv_correlation, overtraining_risk, hrv_trend, sleep_trend);
// any other name is an error matching wearkit.ErrNotFound.
func (c *Client) Pattern(ctx context.Context, userID, name string) (*Pattern, error) {
	if err := checkSegment("Pattern", "pattern name", name); err != nil {
		return nil, err
	}
	var out *Pattern
	if err := c.getUser(ctx, "Pattern", userID, &out, "patterns", url.PathEscape(name)); err != nil {
		return nil, err
	}
	if out == nil {
		return nil, notFound("Pattern", "pattern "+name)
	}
	return out, nil
}

// PatternDetection is the answer to DetectPatterns: each pattern's
// significance.
type PatternDetection struct {
	UserID           string            `json:"user_id" polar:"id"`
	PatternsDetected map[string]string `json:"patterns_detected"`
	Extra            Extra             `json:"-"`
}

// UnmarshalJSON decodes the answer, keeping unknown keys.
func (p *PatternDetection) UnmarshalJSON(data []byte) error { return decodeObject(data, p) }

// DetectPatterns makes the server analyse and store the user's patterns.
// It is retried like a GET (running it twice stores the same patterns).
func (c *Client) DetectPatterns(ctx context.Context, userID string) (*PatternDetection, error) {
	if err := checkUser("DetectPatterns", userID); err != nil {
		return nil, err
	}
	var out PatternDetection
	if _, err := c.do(ctx, &wearkit.Request{Method: http.MethodPost, Path: userPath(userID, "patterns", "detect"), Safe: true}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Anomaly is one metric outside its normal bounds. The code adds
// median_value and sends deviation_percent unrounded; inside the insights
// the metric may be named "metric".
type Anomaly struct {
	MetricName       string   `json:"metric_name"`
	CurrentValue     *float64 `json:"current_value"`
	BaselineValue    *float64 `json:"baseline_value"`
	MedianValue      *float64 `json:"median_value"`
	LowerBound       *float64 `json:"lower_bound"`
	UpperBound       *float64 `json:"upper_bound"`
	Severity         string   `json:"severity"`
	Direction        string   `json:"direction"`
	DeviationPercent *float64 `json:"deviation_percent"`
	Extra            Extra    `json:"-"`
}

// UnmarshalJSON decodes either form of the answer.
func (a *Anomaly) UnmarshalJSON(data []byte) error {
	if err := decodeObject(data, a); err != nil {
		return err
	}
	if raw, ok := a.Extra["metric"]; ok && a.MetricName == "" {
		if err := decodeInto(raw, &a.MetricName); err != nil {
			return fmt.Errorf("polar.Anomaly field \"metric\": %w", err)
		}
	}
	return nil
}

// AnomalyScan is the answer to Anomalies. The code scans only metrics with
// a stored baseline.
type AnomalyScan struct {
	UserID       string    `json:"user_id" polar:"id"`
	AnomalyCount int       `json:"anomaly_count"`
	Anomalies    []Anomaly `json:"anomalies"`
	Extra        Extra     `json:"-"`
}

// UnmarshalJSON decodes the answer, keeping unknown keys.
func (a *AnomalyScan) UnmarshalJSON(data []byte) error { return decodeObject(data, a) }

// Anomalies scans the user's latest values against their baselines.
func (c *Client) Anomalies(ctx context.Context, userID string) (*AnomalyScan, error) {
	var out AnomalyScan
	if err := c.getUser(ctx, "Anomalies", userID, &out, "anomalies"); err != nil {
		return nil, err
	}
	return &out, nil
}
