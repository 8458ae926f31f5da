package polar

import (
	"context"
	"net/url"
	"time"
)

// SpO2 is one blood-oxygen test (Vantage V3 and other Elixir devices).
type SpO2 struct {
	TestTime           time.Time `json:"test_time"`
	BloodOxygenPercent *float64  `json:"blood_oxygen_percent"`
	SpO2Class          string    `json:"spo2_class"`
	AvgHeartRate       *float64  `json:"avg_heart_rate"`
	HRVms              *float64  `json:"hrv_ms"`
	AltitudeMeters     *float64  `json:"altitude_meters"`
	Extra              Extra     `json:"-"`
}

// UnmarshalJSON decodes the answer, keeping unknown keys.
func (s *SpO2) UnmarshalJSON(b []byte) error { return decodeObject(b, s) }

// SpO2 lists a user's blood-oxygen tests (days 1 to 365).
func (c *Client) SpO2(ctx context.Context, userID string, days int) ([]SpO2, error) {
	var out []SpO2
	return out, c.getDays(ctx, "SpO2", userID, "spo2", days, MinDays, MaxDays, &out)
}

// ECG is one ECG recording; ECGByID adds its samples.
type ECG struct {
	ID               string    `json:"id" polar:"id"`
	TestTime         time.Time `json:"test_time"`
	AvgHeartRate     *float64  `json:"avg_heart_rate"`
	HRVms            *float64  `json:"hrv_ms"`
	HRVLevel         string    `json:"hrv_level"`
	RRIms            *float64  `json:"rri_ms"`
	PulseTransitTime *float64  `json:"pulse_transit_time_ms"`
	Extra            Extra     `json:"-"`
}

// UnmarshalJSON decodes the answer, keeping unknown keys.
func (e *ECG) UnmarshalJSON(b []byte) error { return decodeObject(b, e) }

// ECGSample is one ECG amplitude, in mV, at an offset from the start.
type ECGSample struct {
	RecordingTimeDeltaMs int64   `json:"recording_time_delta_ms"`
	AmplitudeMv          float64 `json:"amplitude_mv"`
	Extra                Extra   `json:"-"`
}

// UnmarshalJSON decodes the answer, keeping unknown keys.
func (e *ECGSample) UnmarshalJSON(b []byte) error { return decodeObject(b, e) }

// ECGRecording is one ECG with its samples.
type ECGRecording struct {
	ECG
	Samples []ECGSample `json:"samples"`
}

// UnmarshalJSON decodes the answer, keeping unknown keys.
func (e *ECGRecording) UnmarshalJSON(b []byte) error { return decodeObject(b, e) }

// ECG lists a user's ECG recordings without samples (days 1 to 365).
func (c *Client) ECG(ctx context.Context, userID string, days int) ([]ECG, error) {
	var out []ECG
	return out, c.getDays(ctx, "ECG", userID, "ecg", days, MinDays, MaxDays, &out)
}

// ECGByID returns one ECG recording with its samples; an unknown id is an
// error matching wearkit.ErrNotFound.
func (c *Client) ECGByID(ctx context.Context, userID, id string) (*ECGRecording, error) {
	if err := checkSegment("ECGByID", "ECG id", id); err != nil {
		return nil, err
	}
	var out ECGRecording
	if err := c.getUser(ctx, "ECGByID", userID, &out, "ecg", url.PathEscape(id)); err != nil {
		return nil, err
	}
	return &out, nil
}

// Temperature is one period of body or skin temperature measurement.
type Temperature struct {
	StartTime       time.Time           `json:"start_time"`
	EndTime         time.Time           `json:"end_time"`
	MeasurementType string              `json:"measurement_type"`
	SensorLocation  string              `json:"sensor_location"`
	Samples         []TemperatureSample `json:"samples"`
	Extra           Extra               `json:"-"`
}

// UnmarshalJSON decodes the answer, keeping unknown keys.
func (t *Temperature) UnmarshalJSON(b []byte) error { return decodeObject(b, t) }

// TemperatureSample is one temperature, °C, at an offset from the start.
type TemperatureSample struct {
	RecordingTimeDeltaMs int64   `json:"recording_time_delta_ms"`
	TemperatureCelsius   float64 `json:"temperature_celsius"`
	Extra                Extra   `json:"-"`
}

// UnmarshalJSON decodes the answer, keeping unknown keys.
func (t *TemperatureSample) UnmarshalJSON(b []byte) error { return decodeObject(b, t) }

// BodyTemperature lists a user's body-temperature periods (days 1 to 365).
func (c *Client) BodyTemperature(ctx context.Context, userID string, days int) ([]Temperature, error) {
	var out []Temperature
	return out, c.getDays(ctx, "BodyTemperature", userID, "temperature/body", days, MinDays, MaxDays, &out)
}

// SkinTemperature lists a user's skin-temperature periods (days 1 to 365).
func (c *Client) SkinTemperature(ctx context.Context, userID string, days int) ([]Temperature, error) {
	var out []Temperature
	return out, c.getDays(ctx, "SkinTemperature", userID, "temperature/skin", days, MinDays, MaxDays, &out)
}
