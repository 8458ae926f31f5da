package polar

import (
	"context"
	"time"
)

// Insights is the unified insights bundle, with every key of the server's
// answer typed.
type Insights struct {
	UserID        string     `json:"user_id" polar:"id"`
	GeneratedAt   time.Time  `json:"generated_at"`
	DataFreshness *time.Time `json:"data_freshness"`
	// DataAgeDays is, in the server's code, the calendar days since the
	// earliest sleep or recharge date, plus 1 (the page: days of data).
	DataAgeDays int `json:"data_age_days"`
	// Status is "ready", "partial" or "unavailable".
	Status              string                         `json:"status"`
	FeatureAvailability map[string]FeatureAvailability `json:"feature_availability"`
	// UnlockProgress is nil once every feature is unlocked.
	UnlockProgress *UnlockProgress            `json:"unlock_progress"`
	CurrentMetrics CurrentMetrics             `json:"current_metrics"`
	Baselines      map[string]InsightBaseline `json:"baselines"`
	Patterns       []InsightPattern           `json:"patterns"`
	Anomalies      []Anomaly                  `json:"anomalies"`
	Observations   []Observation              `json:"observations"`
	Suggestions    []Suggestion               `json:"suggestions"`
	Extra          Extra                      `json:"-"`
}

// UnmarshalJSON decodes either form of the answer.
func (i *Insights) UnmarshalJSON(b []byte) error { return decodeObject(b, i) }

// FeatureAvailability tells whether a feature is unlocked. The code always
// sends unlock_at_days; the page only for locked features.
type FeatureAvailability struct {
	Available    bool   `json:"available"`
	Message      string `json:"message"`
	UnlockAtDays *int   `json:"unlock_at_days"`
	Extra        Extra  `json:"-"`
}

// UnmarshalJSON decodes either form of the answer.
func (f *FeatureAvailability) UnmarshalJSON(b []byte) error { return decodeObject(b, f) }

// UnlockProgress is the progress toward the next feature.
type UnlockProgress struct {
	NextUnlock    string  `json:"next_unlock"`
	DaysUntilNext int     `json:"days_until_next"`
	PercentToNext float64 `json:"percent_to_next"`
	Extra         Extra   `json:"-"`
}

// UnmarshalJSON decodes the answer, keeping unknown keys.
func (u *UnlockProgress) UnmarshalJSON(b []byte) error { return decodeObject(b, u) }

// CurrentMetrics holds the latest value of each key metric; nil when
// unknown.
type CurrentMetrics struct {
	HRV               *float64 `json:"hrv"`
	SleepScore        *float64 `json:"sleep_score"`
	RestingHR         *float64 `json:"resting_hr"`
	TrainingLoadRatio *float64 `json:"training_load_ratio"`
	Extra             Extra    `json:"-"`
}

// UnmarshalJSON decodes the answer, keeping unknown keys.
func (c *CurrentMetrics) UnmarshalJSON(b []byte) error { return decodeObject(b, c) }

// InsightBaseline compares a metric's current value with its baseline.
// The code sends every key (trend_days always null); the page omits some.
type InsightBaseline struct {
	Current           *float64 `json:"current"`
	Baseline          *float64 `json:"baseline"`
	Baseline7d        *float64 `json:"baseline_7d"`
	Baseline30d       *float64 `json:"baseline_30d"`
	PercentOfBaseline *float64 `json:"percent_of_baseline"`
	// Trend is "improving", "declining", "stable" or empty.
	Trend     string `json:"trend"`
	TrendDays *int   `json:"trend_days"`
	Status    string `json:"status"`
	Extra     Extra  `json:"-"`
}

// UnmarshalJSON decodes either form of the answer.
func (i *InsightBaseline) UnmarshalJSON(b []byte) error { return decodeObject(b, i) }

// InsightPattern is a pattern as the insights list it.
type InsightPattern struct {
	Name           string   `json:"name"`
	PatternType    string   `json:"pattern_type"`
	Score          *float64 `json:"score"`
	Significance   string   `json:"significance"`
	Factors        []string `json:"factors"`
	Interpretation string   `json:"interpretation"`
	Extra          Extra    `json:"-"`
}

// UnmarshalJSON decodes the answer, keeping unknown keys.
func (p *InsightPattern) UnmarshalJSON(b []byte) error { return decodeObject(b, p) }

// Observation is a plain-language statement for a coaching layer.
// Categories: recovery, sleep, training, anomaly, onboarding (and trend on
// the page, which the code never sends); priorities critical, high,
// medium, low, info, positive.
type Observation struct {
	Category string `json:"category"`
	Priority string `json:"priority"`
	Fact     string `json:"fact"`
	Context  string `json:"context"`
	Trend    string `json:"trend"`
	Extra    Extra  `json:"-"`
}

// UnmarshalJSON decodes the answer, keeping unknown keys.
func (o *Observation) UnmarshalJSON(b []byte) error { return decodeObject(b, o) }

// Suggestion is an action with the reason for it.
type Suggestion struct {
	Action      string  `json:"action"`
	Description string  `json:"description"`
	Confidence  float64 `json:"confidence"`
	Reason      string  `json:"reason"`
	Extra       Extra   `json:"-"`
}

// UnmarshalJSON decodes the answer, keeping unknown keys.
func (s *Suggestion) UnmarshalJSON(b []byte) error { return decodeObject(b, s) }

// Insights returns the user's unified insights bundle.
func (c *Client) Insights(ctx context.Context, userID string) (*Insights, error) {
	var out Insights
	if err := c.getUser(ctx, "Insights", userID, &out, "insights"); err != nil {
		return nil, err
	}
	return &out, nil
}
