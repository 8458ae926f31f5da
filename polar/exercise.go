package polar

import (
	"context"
	"net/url"
	"time"
)

// Exercise is one training session in the list. ID is a UUID string in the
// server's code and a number on its page; either way it is kept as text,
// the form ExerciseDetail takes back. StartTime comes as
// "2026-01-11 07:30:00+00:00" (code) or without the zone (page).
type Exercise struct {
	ID               string    `json:"id" polar:"id"`
	PolarExerciseID  string    `json:"polar_exercise_id" polar:"id"`
	StartTime        time.Time `json:"start_time"`
	Sport            string    `json:"sport"`
	DurationMinutes  *float64  `json:"duration_minutes"`
	DistanceKm       *float64  `json:"distance_km"`
	Calories         *float64  `json:"calories"`
	AverageHeartRate *float64  `json:"average_heart_rate"`
	MaxHeartRate     *float64  `json:"max_heart_rate"`
	TrainingLoad     *float64  `json:"training_load"`
	Extra            Extra     `json:"-"`
}

// UnmarshalJSON decodes either form of the answer.
func (e *Exercise) UnmarshalJSON(b []byte) error { return decodeObject(b, e) }

// HeartRateZone is the time spent in one heart-rate zone.
type HeartRateZone struct {
	Index         int      `json:"index"`
	LowerLimit    *float64 `json:"lower_limit"`
	UpperLimit    *float64 `json:"upper_limit"`
	InZoneSeconds *float64 `json:"in_zone_seconds"`
	Extra         Extra    `json:"-"`
}

// UnmarshalJSON decodes the answer, keeping unknown keys.
func (z *HeartRateZone) UnmarshalJSON(b []byte) error { return decodeObject(b, z) }

// ExerciseDetail is one exercise with the fields the server's code adds
// to the list's (the page shows only the list's).
type ExerciseDetail struct {
	Exercise
	AvgSpeedKmh    *float64        `json:"avg_speed_kmh"`
	MaxSpeedKmh    *float64        `json:"max_speed_kmh"`
	AvgCadence     *float64        `json:"avg_cadence"`
	MaxCadence     *float64        `json:"max_cadence"`
	AvgPower       *float64        `json:"avg_power"`
	MaxPower       *float64        `json:"max_power"`
	AscentM        *float64        `json:"ascent_m"`
	DescentM       *float64        `json:"descent_m"`
	RunningIndex   *float64        `json:"running_index"`
	HeartRateZones []HeartRateZone `json:"heart_rate_zones"`
	HasSamples     bool            `json:"has_samples"`
	HasRouteData   bool            `json:"has_route_data"`
}

// UnmarshalJSON decodes either form of the answer.
func (e *ExerciseDetail) UnmarshalJSON(b []byte) error { return decodeObject(b, e) }

// ExerciseSamples holds an exercise's recorded series, one per sample type
// (heart rate, speed, cadence, ...).
type ExerciseSamples struct {
	ExerciseID string         `json:"exercise_id" polar:"id"`
	Samples    []SampleSeries `json:"samples"`
	Extra      Extra          `json:"-"`
}

// UnmarshalJSON decodes the answer, keeping unknown keys.
func (e *ExerciseSamples) UnmarshalJSON(b []byte) error { return decodeObject(b, e) }

// SampleSeries is one recorded series: values every RecordingRate seconds
// from the exercise's start; a nil value is a gap.
type SampleSeries struct {
	SampleType    string     `json:"sample_type"`
	RecordingRate int        `json:"recording_rate"`
	Values        []*float64 `json:"values"`
	Extra         Extra      `json:"-"`
}

// UnmarshalJSON decodes the answer, keeping unknown keys.
func (s *SampleSeries) UnmarshalJSON(b []byte) error { return decodeObject(b, s) }

// RoutePoint is one GPS fix of an exercise's route.
type RoutePoint struct {
	Time      time.Time `json:"time"`
	Latitude  float64   `json:"latitude"`
	Longitude float64   `json:"longitude"`
	Altitude  *float64  `json:"altitude"`
	Extra     Extra     `json:"-"`
}

// UnmarshalJSON decodes the answer, keeping unknown keys.
func (p *RoutePoint) UnmarshalJSON(b []byte) error { return decodeObject(b, p) }

// Exercises lists a user's exercises started in the last days days (1 to
// 365), newest first.
func (c *Client) Exercises(ctx context.Context, userID string, days int) ([]Exercise, error) {
	var out []Exercise
	return out, c.getDays(ctx, "Exercises", userID, "exercises", days, MinDays, MaxDays, &out)
}

// ExerciseDetail returns one exercise by the ID the list gave; an unknown
// one is an error matching wearkit.ErrNotFound.
func (c *Client) ExerciseDetail(ctx context.Context, userID, exerciseID string) (*ExerciseDetail, error) {
	if err := checkSegment("ExerciseDetail", "exercise id", exerciseID); err != nil {
		return nil, err
	}
	var out ExerciseDetail
	if err := c.getUser(ctx, "ExerciseDetail", userID, &out, "exercises", url.PathEscape(exerciseID)); err != nil {
		return nil, err
	}
	return &out, nil
}

// ExerciseSamples returns an exercise's recorded series (see
// ExerciseDetail.HasSamples).
func (c *Client) ExerciseSamples(ctx context.Context, userID, exerciseID string) (*ExerciseSamples, error) {
	if err := checkSegment("ExerciseSamples", "exercise id", exerciseID); err != nil {
		return nil, err
	}
	var out ExerciseSamples
	if err := c.getUser(ctx, "ExerciseSamples", userID, &out, "exercises", url.PathEscape(exerciseID), "samples"); err != nil {
		return nil, err
	}
	return &out, nil
}

// ExerciseRoute returns an exercise's GPS route (see
// ExerciseDetail.HasRouteData), oldest fix first.
func (c *Client) ExerciseRoute(ctx context.Context, userID, exerciseID string) ([]RoutePoint, error) {
	if err := checkSegment("ExerciseRoute", "exercise id", exerciseID); err != nil {
		return nil, err
	}
	var out []RoutePoint
	if err := c.getUser(ctx, "ExerciseRoute", userID, &out, "exercises", url.PathEscape(exerciseID), "route"); err != nil {
		return nil, err
	}
	return out, nil
}
