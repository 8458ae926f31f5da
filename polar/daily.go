package polar

import (
	"context"
	"time"

	"github.com/wearkit/wearkit"
)

// Day windows: the server returns rows dated on or after today - days (so
// up to days+1 rows), newest first, and refuses a days outside the
// endpoint's range; the client checks the range before sending.
const (
	MinDays          = 1
	MaxDays          = 365
	MaxSleepWiseDays = 30
)

// Sleep is one night in the sleep list. The server's code adds
// breathing_rate_avg and skin_temperature_avg to the page's eight fields,
// sends the heart rate as a float, and sends null hours for a night with
// none: every number is optional.
type Sleep struct {
	// Date is the day the night ends on.
	Date            time.Time `json:"date"`
	SleepScore      *float64  `json:"sleep_score"`
	TotalSleepHours *float64  `json:"total_sleep_hours"`
	DeepSleepHours  *float64  `json:"deep_sleep_hours"`
	REMSleepHours   *float64  `json:"rem_sleep_hours"`
	LightSleepHours *float64  `json:"light_sleep_hours"`
	// HRVAvg is the night's mean RMSSD, ms; HeartRateAvg in bpm.
	HRVAvg       *float64 `json:"hrv_avg"`
	HeartRateAvg *float64 `json:"heart_rate_avg"`
	// BreathingRateAvg (breaths/min) and SkinTemperatureAvg (°C) are sent
	// by the code only.
	BreathingRateAvg   *float64 `json:"breathing_rate_avg"`
	SkinTemperatureAvg *float64 `json:"skin_temperature_avg"`
	// Extra keeps any other key the server sent.
	Extra Extra `json:"-"`
}

// UnmarshalJSON decodes either form of the answer (see the package doc).
func (s *Sleep) UnmarshalJSON(b []byte) error { return decodeObject(b, s) }

// SleepNight is one night by date, with what the list leaves out.
type SleepNight struct {
	Sleep
	// Hypnogram maps a clock time ("23:41") to a sleep stage code as Polar
	// sends it (0 awake, 1 REM, 2 light, 3 deep, ...).
	Hypnogram map[string]int `json:"hypnogram"`
	// HeartRateSamples maps a clock time to a heart rate in bpm.
	HeartRateSamples map[string]float64 `json:"heart_rate_samples"`
}

// UnmarshalJSON decodes either form of the answer.
func (s *SleepNight) UnmarshalJSON(b []byte) error { return decodeObject(b, s) }

// Sleep lists a user's nights of the last days days (1 to 365), newest
// first.
func (c *Client) Sleep(ctx context.Context, userID string, days int) ([]Sleep, error) {
	var out []Sleep
	return out, c.getDays(ctx, "Sleep", userID, "sleep", days, MinDays, MaxDays, &out)
}

// SleepByDate returns the night ending on date's calendar day (in date's
// location). The server answers 200 null when there is no such night; that
// becomes an error matching wearkit.ErrNotFound, as the other by-date
// calls' 404 does.
func (c *Client) SleepByDate(ctx context.Context, userID string, date time.Time) (*SleepNight, error) {
	var out *SleepNight
	if err := c.getUser(ctx, "SleepByDate", userID, &out, "sleep", formatDate(date)); err != nil {
		return nil, err
	}
	if out == nil {
		return nil, notFound("SleepByDate", "night on "+formatDate(date))
	}
	return out, nil
}

// Activity is one day of activity.
type Activity struct {
	Date           time.Time `json:"date"`
	Steps          *float64  `json:"steps"`
	CaloriesActive *float64  `json:"calories_active"`
	CaloriesTotal  *float64  `json:"calories_total"`
	DistanceKm     *float64  `json:"distance_km"`
	ActiveMinutes  *float64  `json:"active_minutes"`
	ActivityScore  *float64  `json:"activity_score"`
	Extra          Extra     `json:"-"`
}

// UnmarshalJSON decodes either form of the answer.
func (a *Activity) UnmarshalJSON(b []byte) error { return decodeObject(b, a) }

// Activity lists a user's days of activity (days 1 to 365), newest first.
func (c *Client) Activity(ctx context.Context, userID string, days int) ([]Activity, error) {
	var out []Activity
	return out, c.getDays(ctx, "Activity", userID, "activity", days, MinDays, MaxDays, &out)
}

// ActivityByDate returns one day's activity; a day without a record is an
// error matching wearkit.ErrNotFound (the server's 404).
func (c *Client) ActivityByDate(ctx context.Context, userID string, date time.Time) (*Activity, error) {
	var out *Activity
	if err := c.getUser(ctx, "ActivityByDate", userID, &out, "activity", formatDate(date)); err != nil {
		return nil, err
	}
	if out == nil {
		return nil, notFound("ActivityByDate", "activity on "+formatDate(date))
	}
	return out, nil
}

// ActivitySamples is one day of step samples (an endpoint the page does
// not list).
type ActivitySamples struct {
	Date    time.Time    `json:"date"`
	Samples []StepSample `json:"samples"`
	Extra   Extra        `json:"-"`
}

// UnmarshalJSON decodes the answer, keeping unknown keys.
func (a *ActivitySamples) UnmarshalJSON(b []byte) error { return decodeObject(b, a) }

// StepSample is the steps counted in the interval starting at Time.
type StepSample struct {
	Time  time.Time `json:"time"`
	Steps float64   `json:"steps"`
	Extra Extra     `json:"-"`
}

// UnmarshalJSON decodes the answer, keeping unknown keys.
func (s *StepSample) UnmarshalJSON(b []byte) error { return decodeObject(b, s) }

// ActivitySamples lists a user's days of step samples (days 1 to 365).
func (c *Client) ActivitySamples(ctx context.Context, userID string, days int) ([]ActivitySamples, error) {
	var out []ActivitySamples
	return out, c.getDays(ctx, "ActivitySamples", userID, "activity-samples", days, MinDays, MaxDays, &out)
}

// ActivitySamplesByDate returns one day's step samples; none is an error
// matching wearkit.ErrNotFound.
func (c *Client) ActivitySamplesByDate(ctx context.Context, userID string, date time.Time) (*ActivitySamples, error) {
	var out *ActivitySamples
	if err := c.getUser(ctx, "ActivitySamplesByDate", userID, &out, "activity-samples", formatDate(date)); err != nil {
		return nil, err
	}
	if out == nil {
		return nil, notFound("ActivitySamplesByDate", "samples on "+formatDate(date))
	}
	return out, nil
}

// Recharge is one night of Nightly Recharge. The page's ans_charge_status
// is a name ("WELL_RECOVERED"), the code's an integer (-3..+3); the code also
// sends nightly_recharge_status (1-6) and beat_to_beat_avg.
type Recharge struct {
	Date time.Time `json:"date"`
	// HRVAvg is the night's mean RMSSD, ms.
	HRVAvg                *float64       `json:"hrv_avg"`
	ANSCharge             *float64       `json:"ans_charge"`
	ANSChargeStatus       RechargeStatus `json:"ans_charge_status"`
	NightlyRechargeStatus *int           `json:"nightly_recharge_status"`
	BreathingRateAvg      *float64       `json:"breathing_rate_avg"`
	HeartRateAvg          *float64       `json:"heart_rate_avg"`
	// BeatToBeatAvg is the mean RR interval, ms (code only).
	BeatToBeatAvg *float64 `json:"beat_to_beat_avg"`
	Extra         Extra    `json:"-"`
}

// UnmarshalJSON decodes either form of the answer.
func (r *Recharge) UnmarshalJSON(b []byte) error { return decodeObject(b, r) }

// Recharge lists a user's nights of Nightly Recharge (days 1 to 365),
// newest first.
func (c *Client) Recharge(ctx context.Context, userID string, days int) ([]Recharge, error) {
	var out []Recharge
	return out, c.getDays(ctx, "Recharge", userID, "recharge", days, MinDays, MaxDays, &out)
}

// CardioLoad is one day of cardio load.
type CardioLoad struct {
	Date             time.Time `json:"date"`
	Strain           *float64  `json:"strain"`
	Tolerance        *float64  `json:"tolerance"`
	CardioLoad       *float64  `json:"cardio_load"`
	CardioLoadRatio  *float64  `json:"cardio_load_ratio"`
	CardioLoadStatus string    `json:"cardio_load_status"`
	Extra            Extra     `json:"-"`
}

// UnmarshalJSON decodes the answer, keeping unknown keys.
func (l *CardioLoad) UnmarshalJSON(b []byte) error { return decodeObject(b, l) }

// CardioLoad lists a user's days of cardio load (days 1 to 365).
func (c *Client) CardioLoad(ctx context.Context, userID string, days int) ([]CardioLoad, error) {
	var out []CardioLoad
	return out, c.getDays(ctx, "CardioLoad", userID, "cardio-load", days, MinDays, MaxDays, &out)
}

// HeartRateDay is one day's heart-rate summary, bpm.
type HeartRateDay struct {
	Date        time.Time `json:"date"`
	HRMin       *float64  `json:"hr_min"`
	HRAvg       *float64  `json:"hr_avg"`
	HRMax       *float64  `json:"hr_max"`
	SampleCount int       `json:"sample_count"`
	Extra       Extra     `json:"-"`
}

// UnmarshalJSON decodes the answer, keeping unknown keys.
func (h *HeartRateDay) UnmarshalJSON(b []byte) error { return decodeObject(b, h) }

// HeartRate lists a user's daily heart-rate summaries (days 1 to 365).
func (c *Client) HeartRate(ctx context.Context, userID string, days int) ([]HeartRateDay, error) {
	var out []HeartRateDay
	return out, c.getDays(ctx, "HeartRate", userID, "heart-rate", days, MinDays, MaxDays, &out)
}

// HeartRateSamples is one day's heart-rate samples (an endpoint the page
// does not list).
type HeartRateSamples struct {
	Date    time.Time         `json:"date"`
	Samples []HeartRateSample `json:"samples"`
	Extra   Extra             `json:"-"`
}

// UnmarshalJSON decodes the answer, keeping unknown keys.
func (h *HeartRateSamples) UnmarshalJSON(b []byte) error { return decodeObject(b, h) }

// HeartRateSample is one heart rate, bpm.
type HeartRateSample struct {
	Time      time.Time `json:"time"`
	HeartRate float64   `json:"heart_rate"`
	Extra     Extra     `json:"-"`
}

// UnmarshalJSON decodes the answer, keeping unknown keys.
func (h *HeartRateSample) UnmarshalJSON(b []byte) error { return decodeObject(b, h) }

// HeartRateSamples returns the heart-rate samples of one day; none is an
// error matching wearkit.ErrNotFound.
func (c *Client) HeartRateSamples(ctx context.Context, userID string, date time.Time) (*HeartRateSamples, error) {
	var out *HeartRateSamples
	if err := c.getUser(ctx, "HeartRateSamples", userID, &out, "heart-rate", formatDate(date), "samples"); err != nil {
		return nil, err
	}
	if out == nil {
		return nil, notFound("HeartRateSamples", "samples on "+formatDate(date))
	}
	return out, nil
}

// Alertness is one hour of SleepWise alertness prediction.
type Alertness struct {
	PeriodStartTime     time.Time `json:"period_start_time"`
	PeriodEndTime       time.Time `json:"period_end_time"`
	Grade               *float64  `json:"grade"`
	GradeClassification string    `json:"grade_classification"`
	Extra               Extra     `json:"-"`
}

// UnmarshalJSON decodes the answer, keeping unknown keys.
func (a *Alertness) UnmarshalJSON(b []byte) error { return decodeObject(b, a) }

// Alertness lists a user's hourly alertness predictions (days 1 to 30).
func (c *Client) Alertness(ctx context.Context, userID string, days int) ([]Alertness, error) {
	var out []Alertness
	return out, c.getDays(ctx, "Alertness", userID, "sleepwise/alertness", days, MinDays, MaxSleepWiseDays, &out)
}

// Bedtime is one day's SleepWise bedtime recommendation. The page sends
// the four times as "22:30:00" and quality as "GOOD"; the code sends full
// datetimes and qualities like "CIRCADIAN_BEDTIME_QUALITY_COMPROMISED".
type Bedtime struct {
	PeriodStartTime     time.Time `json:"period_start_time"`
	PeriodEndTime       time.Time `json:"period_end_time"`
	PreferredSleepStart TimeOfDay `json:"preferred_sleep_start"`
	PreferredSleepEnd   TimeOfDay `json:"preferred_sleep_end"`
	SleepGateStart      TimeOfDay `json:"sleep_gate_start"`
	SleepGateEnd        TimeOfDay `json:"sleep_gate_end"`
	Quality             string    `json:"quality"`
	Extra               Extra     `json:"-"`
}

// UnmarshalJSON decodes either form of the answer.
func (t *Bedtime) UnmarshalJSON(b []byte) error { return decodeObject(b, t) }

// Bedtime lists a user's bedtime recommendations (days 1 to 30).
func (c *Client) Bedtime(ctx context.Context, userID string, days int) ([]Bedtime, error) {
	var out []Bedtime
	return out, c.getDays(ctx, "Bedtime", userID, "sleepwise/bedtime", days, MinDays, MaxSleepWiseDays, &out)
}

// PhysicalInfo is the user's physical information as Polar last sent it.
type PhysicalInfo struct {
	WeightKg         *float64  `json:"weight_kg"`
	HeightCm         *float64  `json:"height_cm"`
	MaxHeartRate     *float64  `json:"max_heart_rate"`
	RestingHeartRate *float64  `json:"resting_heart_rate"`
	VO2Max           *float64  `json:"vo2_max"`
	Gender           string    `json:"gender"`
	Birthday         time.Time `json:"birthday"`
	Extra            Extra     `json:"-"`
}

// UnmarshalJSON decodes the answer, keeping unknown keys.
func (p *PhysicalInfo) UnmarshalJSON(b []byte) error { return decodeObject(b, p) }

// PhysicalInfo returns the user's physical information (an endpoint the
// page does not list). The server answers 200 null when it has none; that
// is an error matching wearkit.ErrNotFound.
func (c *Client) PhysicalInfo(ctx context.Context, userID string) (*PhysicalInfo, error) {
	var out *PhysicalInfo
	if err := c.getUser(ctx, "PhysicalInfo", userID, &out, "physical-info"); err != nil {
		return nil, err
	}
	if out == nil {
		return nil, notFound("PhysicalInfo", "physical information")
	}
	return out, nil
}

// UserStatus is what the server knows of a user (an endpoint the page does
// not list): the keys are kept as sent.
type UserStatus struct {
	UserID       string         `json:"user_id"`
	LastSync     *time.Time     `json:"last_sync"`
	RecordCounts map[string]int `json:"record_counts"`
	Extra        Extra          `json:"-"`
}

// UnmarshalJSON decodes the answer, keeping unknown keys.
func (u *UserStatus) UnmarshalJSON(b []byte) error { return decodeObject(b, u) }

// UserStatus returns the server's status of one user.
func (c *Client) UserStatus(ctx context.Context, userID string) (*UserStatus, error) {
	var out UserStatus
	if err := c.getUser(ctx, "UserStatus", userID, &out, "status"); err != nil {
		return nil, err
	}
	return &out, nil
}

// Health is the server's health answer: {"status":"ok","version":...} in
// its code, {"status":"healthy","database":"connected"} on its page.
type Health struct {
	Status   string `json:"status"`
	Version  string `json:"version"`
	Database string `json:"database"`
	Extra    Extra  `json:"-"`
}

// UnmarshalJSON decodes either form of the answer.
func (h *Health) UnmarshalJSON(b []byte) error { return decodeObject(b, h) }

// OK reports whether the status says the server is up ("ok" or "healthy").
func (h *Health) OK() bool { return h != nil && (h.Status == "ok" || h.Status == "healthy") }

// Health asks the server whether it is up. It needs no key.
func (c *Client) Health(ctx context.Context) (*Health, error) {
	var out Health
	if _, err := c.do(ctx, &wearkit.Request{Path: "health"}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
