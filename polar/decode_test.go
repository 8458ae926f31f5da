package polar

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit"
)

// Decode tests of both forms of every answer where the server's code
// (version 1.5.0) and its page differ, numbered as in vendor-notes.md.
// The page forms are the page's own examples.

func decodeInto2[T any](t *testing.T, s string) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal([]byte(s), &v))
	return v
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestParseTimeForms(t *testing.T) {
	want := time.Date(2026, 1, 11, 7, 30, 0, 0, time.UTC)
	for _, s := range []string{"2026-01-11 07:30:00", "2026-01-11 07:30:00+00:00", "2026-01-11T07:30:00", "2026-01-11T07:30:00Z",
		"2026-01-11T07:30:00+00:00", "2026-01-11T09:30:00+02:00", "2026-01-11 07:30:00.000000+00:00", "2026-01-11T07:30:00.000Z"} {
		got, err := ParseTime(s)
		require.NoError(t, err, s)
		assert.True(t, want.Equal(got), "%s gave %v", s, got)
	}
	got, err := ParseTime("2026-01-11 07:30:00.123456+00:00")
	require.NoError(t, err)
	assert.Equal(t, 123456000, got.Nanosecond())
	got, err = ParseTime("2026-01-11")
	require.NoError(t, err)
	assert.Equal(t, day(2026, 1, 11), got)
	for _, bad := range []string{"", "2026-13-01", "11/01/2026", "2026-01-11 7:30", "yesterday"} {
		_, err := ParseTime(bad)
		require.Error(t, err, bad)
		assert.Contains(t, err.Error(), bad)
	}
}

func TestDecodeErrorNamesTheField(t *testing.T) {
	var e Exercise
	err := json.Unmarshal([]byte(`{"id":"x","start_time":"soon"}`), &e)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `polar.Exercise field "start_time"`)
	assert.Contains(t, err.Error(), `"soon"`)
	err = json.Unmarshal([]byte(`{"id":{"a":1}}`), &e)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `field "id"`)
}

// 1: /health.
func TestDecode01Health(t *testing.T) {
	page := decodeInto2[Health](t, `{"status":"healthy","database":"connected"}`)
	assert.True(t, page.OK())
	assert.Equal(t, "connected", page.Database)
	code := decodeInto2[Health](t, `{"status":"ok","version":"1.5.0"}`)
	assert.True(t, code.OK())
	assert.Equal(t, "1.5.0", code.Version)
	down := decodeInto2[Health](t, `{"status":"degraded"}`)
	assert.False(t, down.OK())
}

// 2: the sync answer.
func TestDecode02Sync(t *testing.T) {
	page := decodeInto2[SyncResult](t, `{"status":"success","user_id":"12345","results":{"sleep":28,"recharge":28,"activity":28,
		"exercises":15,"cardio_load":28,"sleepwise_alertness":168,"sleepwise_bedtime":7,"spo2":5,"ecg":3,"body_temperature":7,"skin_temperature":7}}`)
	assert.Equal(t, 28, page.Records["sleep"])
	assert.Len(t, page.Records, 11)
	assert.Equal(t, 324, page.TotalRecords, "summed when the page's form has no total")
	assert.Nil(t, page.Extra, "results is not left in Extra")
	code := decodeInto2[SyncResult](t, `{"status":"partial","user_id":"12345","records":{"sleep":0,"recharge":31},
		"errors":{"sleep":"401 Unauthorized"},"total_records":31}`)
	assert.Equal(t, SyncPartial, code.Status)
	assert.Equal(t, 31, code.Records["recharge"])
	assert.Equal(t, "401 Unauthorized", code.Errors["sleep"])
	assert.Equal(t, 31, code.TotalRecords)
	ok := decodeInto2[SyncResult](t, `{"status":"success","user_id":"12345","records":{"sleep":3},"errors":null,"total_records":3}`)
	assert.Nil(t, ok.Errors)
	d := parseError(409, nil, []byte(`{"status_code":409,"detail":"A sync is already running for this user"}`))
	assert.Equal(t, ErrSyncInProgress, d.Kind)
	assert.Equal(t, "A sync is already running for this user", d.Message)
}

// 5: the error body.
func TestDecode05ErrorBody(t *testing.T) {
	d := parseError(400, nil, []byte(`{"status_code":400,"detail":"Validation failed for GET /api/v1/users/12345/sleep?days=0",
		"extra":[{"message":"Expected `+"`int`"+` >= 1","key":"days","source":"query"}]}`))
	assert.Equal(t, "400", d.Code)
	assert.Equal(t, "Validation failed for GET /api/v1/users/12345/sleep?days=0 [days (query): Expected `int` >= 1]", d.Message)
	assert.Nil(t, d.Kind, "the status's class (ErrBadRequest) applies")
	d = parseError(429, nil, []byte(`{"status_code":429,"detail":"Rate limit exceeded. Retry after 42 seconds.","extra":{"Retry-After":"42"}}`))
	assert.Equal(t, 42*time.Second, d.RetryAfter)
	assert.Equal(t, "Rate limit exceeded. Retry after 42 seconds.", d.Message)
	d = parseError(429, nil, []byte(`{"status_code":429,"detail":"x","extra":{"Retry-After":7}}`))
	assert.Equal(t, 7*time.Second, d.RetryAfter, "a number works too")
	d = parseError(401, http.Header{}, []byte(`{"status_code":401,"detail":"Invalid API key"}`))
	assert.Equal(t, "Invalid API key", d.Message)
	d = parseError(502, nil, []byte(`<html>bad gateway</html>`))
	assert.Empty(t, d.Message, "not JSON: the engine shows the body")
}

// 6: nightly recharge.
func TestDecode06Recharge(t *testing.T) {
	page := decodeInto2[Recharge](t, `{"date":"2026-01-11","hrv_avg":48.5,"ans_charge":4.2,"ans_charge_status":"WELL_RECOVERED",
		"breathing_rate_avg":14.2,"heart_rate_avg":51}`)
	assert.Equal(t, "WELL_RECOVERED", page.ANSChargeStatus.Name)
	assert.False(t, page.ANSChargeStatus.HasLevel)
	assert.Equal(t, "WELL_RECOVERED", page.ANSChargeStatus.String())
	assert.Equal(t, 51.0, *page.HeartRateAvg)
	code := decodeInto2[Recharge](t, `{"date":"2026-01-11","hrv_avg":48.5,"ans_charge":4.2,"ans_charge_status":2,
		"nightly_recharge_status":5,"breathing_rate_avg":14.2,"heart_rate_avg":51.3,"beat_to_beat_avg":1170}`)
	assert.Equal(t, RechargeStatus{Level: 2, HasLevel: true}, code.ANSChargeStatus)
	assert.Equal(t, "+2", code.ANSChargeStatus.String())
	assert.Equal(t, 5, *code.NightlyRechargeStatus)
	assert.Equal(t, 1170.0, *code.BeatToBeatAvg)
	neg := decodeInto2[Recharge](t, `{"date":"2026-01-11","ans_charge_status":"-3","hrv_avg":null,"nightly_recharge_status":null}`)
	assert.Equal(t, -3, neg.ANSChargeStatus.Level, "an integer sent as text")
	assert.Nil(t, neg.HRVAvg)
	assert.Nil(t, neg.NightlyRechargeStatus)
	b, err := json.Marshal(code.ANSChargeStatus)
	require.NoError(t, err)
	assert.Equal(t, "2", string(b))
	var bad Recharge
	require.Error(t, json.Unmarshal([]byte(`{"ans_charge_status":2.5}`), &bad))
}

// 7: the sleep list.
func TestDecode07Sleep(t *testing.T) {
	page := decodeInto2[Sleep](t, `{"date":"2026-01-11","sleep_score":85,"total_sleep_hours":7.5,"deep_sleep_hours":1.8,
		"rem_sleep_hours":1.9,"light_sleep_hours":3.8,"hrv_avg":45.2,"heart_rate_avg":52}`)
	assert.Equal(t, day(2026, 1, 11), page.Date)
	assert.Equal(t, 52.0, *page.HeartRateAvg)
	assert.Nil(t, page.BreathingRateAvg)
	code := decodeInto2[Sleep](t, `{"date":"2026-01-11","sleep_score":85,"total_sleep_hours":7.5,"deep_sleep_hours":null,
		"rem_sleep_hours":1.9,"light_sleep_hours":3.8,"hrv_avg":45.2,"heart_rate_avg":52.4,"breathing_rate_avg":13.9,
		"skin_temperature_avg":33.71,"sleep_cycles":5}`)
	assert.Nil(t, code.DeepSleepHours, "0 hours come as null")
	assert.Equal(t, 52.4, *code.HeartRateAvg)
	assert.Equal(t, 13.9, *code.BreathingRateAvg)
	assert.Equal(t, 33.71, *code.SkinTemperatureAvg)
	assert.JSONEq(t, "5", string(code.Extra["sleep_cycles"]), "an unknown key is kept")
}

// 8: exercises.
func TestDecode08Exercise(t *testing.T) {
	page := decodeInto2[Exercise](t, `{"id":1,"polar_exercise_id":"abc123","start_time":"2026-01-11 07:30:00","sport":"RUNNING",
		"duration_minutes":45.5,"distance_km":8.2,"calories":520,"average_heart_rate":145,"max_heart_rate":172,"training_load":85}`)
	assert.Equal(t, "1", page.ID)
	assert.Equal(t, time.Date(2026, 1, 11, 7, 30, 0, 0, time.UTC), page.StartTime)
	code := decodeInto2[Exercise](t, `{"id":"0b8e4c1e-5f0a-4c6b-9d7e-2f1a3b4c5d6e","polar_exercise_id":"abc123",
		"start_time":"2026-01-11 07:30:00+00:00","sport":"RUNNING","duration_minutes":45.5,"distance_km":null,"calories":520}`)
	assert.Equal(t, "0b8e4c1e-5f0a-4c6b-9d7e-2f1a3b4c5d6e", code.ID)
	assert.True(t, code.StartTime.Equal(page.StartTime))
	assert.Nil(t, code.DistanceKm)
	big := decodeInto2[Exercise](t, `{"id":12345678901234567890}`)
	assert.Equal(t, "12345678901234567890", big.ID, "a large number keeps its digits")
}

// 9: SleepWise bedtime.
func TestDecode09Bedtime(t *testing.T) {
	page := decodeInto2[Bedtime](t, `{"period_start_time":"2026-01-11 00:00:00","period_end_time":"2026-01-12 00:00:00",
		"preferred_sleep_start":"22:30:00","preferred_sleep_end":"06:30:00","sleep_gate_start":"22:00:00","sleep_gate_end":"23:00:00","quality":"GOOD"}`)
	assert.Equal(t, 22*time.Hour+30*time.Minute, page.PreferredSleepStart.Clock)
	assert.True(t, page.PreferredSleepStart.Time.IsZero())
	assert.Equal(t, "22:30:00", page.PreferredSleepStart.String())
	assert.Equal(t, "GOOD", page.Quality)
	code := decodeInto2[Bedtime](t, `{"period_start_time":"2026-01-11 00:00:00+00:00","period_end_time":"2026-01-12 00:00:00+00:00",
		"preferred_sleep_start":"2026-01-11 22:30:00+00:00","preferred_sleep_end":"2026-01-12 06:30:00+00:00",
		"sleep_gate_start":"2026-01-11 22:00:00+00:00","sleep_gate_end":"2026-01-11T23:00:00Z","quality":"CIRCADIAN_BEDTIME_QUALITY_COMPROMISED"}`)
	assert.Equal(t, 22*time.Hour+30*time.Minute, code.PreferredSleepStart.Clock)
	assert.Equal(t, time.Date(2026, 1, 12, 6, 30, 0, 0, time.UTC), code.PreferredSleepEnd.Time)
	assert.Equal(t, 23*time.Hour, code.SleepGateEnd.Clock)
	assert.Equal(t, "2026-01-11 22:30:00", code.PreferredSleepStart.String())
	var bad Bedtime
	for _, v := range []string{`"25:00:00"`, `"22:61"`, `"noon"`, `22`} {
		require.Error(t, json.Unmarshal([]byte(`{"preferred_sleep_start":`+v+`}`), &bad), v)
	}
}

// 10: a night that does not exist is 200 null, decoded to nil.
func TestDecode10SleepNightNull(t *testing.T) {
	var n *SleepNight
	require.NoError(t, json.Unmarshal([]byte(`null`), &n))
	assert.Nil(t, n)
	n = decodeInto2[*SleepNight](t, `{"date":"2026-01-11","sleep_score":80,"hypnogram":{"23:00":2,"23:15":3},"heart_rate_samples":{"23:00":55.0}}`)
	assert.Equal(t, 80.0, *n.SleepScore)
	assert.Equal(t, 3, n.Hypnogram["23:15"])
	assert.Equal(t, 55.0, n.HeartRateSamples["23:00"])
	assert.Nil(t, n.Extra)
}

// 11: exercise detail.
func TestDecode11ExerciseDetail(t *testing.T) {
	page := decodeInto2[ExerciseDetail](t, `{"id":1,"start_time":"2026-01-11 07:30:00","sport":"RUNNING"}`)
	assert.Equal(t, "1", page.ID)
	assert.False(t, page.HasSamples)
	code := decodeInto2[ExerciseDetail](t, `{"id":"u-1","start_time":"2026-01-11 07:30:00+00:00","sport":"RUNNING","avg_speed_kmh":10.9,
		"max_speed_kmh":14.2,"avg_cadence":170,"max_cadence":182,"avg_power":null,"max_power":null,"ascent_m":55,"descent_m":54,
		"running_index":51,"heart_rate_zones":[{"index":1,"lower_limit":95,"upper_limit":114,"in_zone_seconds":120}],
		"has_samples":true,"has_route_data":false,"fat_percentage":31}`)
	assert.Equal(t, "u-1", code.ID)
	assert.Equal(t, 10.9, *code.AvgSpeedKmh)
	assert.Nil(t, code.AvgPower)
	assert.Equal(t, 120.0, *code.HeartRateZones[0].InZoneSeconds)
	assert.True(t, code.HasSamples)
	assert.Contains(t, code.Extra, "fat_percentage")
}

// 13: the two shapes of a baseline check.
func TestDecode13BaselineCheck(t *testing.T) {
	page := decodeInto2[BaselineCheck](t, `{"value":25.5,"metric_name":"hrv_rmssd","is_anomaly":true,"severity":"warning","baseline":42.5,
		"baseline_7d":44.2,"lower_bound":24.0,"upper_bound":62.8,"status":"ready"}`)
	assert.True(t, page.IsAnomaly)
	assert.True(t, page.Checked())
	assert.Equal(t, 24.0, *page.LowerBound)
	code := decodeInto2[BaselineCheck](t, `{"is_anomaly":false,"reason":"No baseline data available","status":"insufficient"}`)
	assert.False(t, code.IsAnomaly)
	assert.False(t, code.Checked())
	assert.Equal(t, "No baseline data available", code.Reason)
	assert.Nil(t, code.Value)
}

// 14: the analytics status.
func TestDecode14AnalyticsStatus(t *testing.T) {
	page := decodeInto2[AnalyticsStatus](t, `{"user_id":"12345","data_days":{"sleep":45,"recharge":45,"activity":45,"cardio_load":30},
		"min_data_days":30,"features_available":{"basic_stats":true,"advanced_ml":false},
		"unlock_progress":{"advanced_ml":{"unlocked":false,"days_required":60,"days_remaining":30,"progress_percent":50.0}},
		"recommendations":["Great progress! Advanced ML features unlock after 60 days of data."]}`)
	assert.Len(t, page.UnlockProgress, 1)
	assert.Equal(t, 30, page.UnlockProgress["advanced_ml"].DaysRemaining)
	assert.Equal(t, 30, page.DataDays["cardio_load"])
	code := decodeInto2[AnalyticsStatus](t, `{"user_id":"12345","data_days":{"sleep":5},"min_data_days":5,"features_available":{},
		"unlock_progress":{"basic_stats":{"unlocked":false,"days_required":7,"days_remaining":2,"progress_percent":71.4},
		"trend_analysis":{"unlocked":false,"days_required":14,"days_remaining":9,"progress_percent":35.7},
		"personalized_baselines":{"unlocked":false,"days_required":21,"days_remaining":16,"progress_percent":23.8},
		"predictive_models":{"unlocked":false,"days_required":30,"days_remaining":25,"progress_percent":16.7},
		"advanced_ml":{"unlocked":false,"days_required":60,"days_remaining":55,"progress_percent":8.3},
		"long_term_patterns":{"unlocked":false,"days_required":90,"days_remaining":85,"progress_percent":5.6}},"recommendations":[]}`)
	assert.Len(t, code.UnlockProgress, 6)
	assert.Equal(t, 71.4, code.UnlockProgress["basic_stats"].ProgressPercent)
}

// 15, 17, 18: patterns (significance is an open string either way).
func TestDecode17And18PatternDetails(t *testing.T) {
	pageList := decodeInto2[[]Pattern](t, `[{"pattern_type":"correlation","pattern_name":"sleep_hrv_correlation","score":0.72,"confidence":0.95,
		"significance":"high","metrics_involved":["sleep_score","hrv_rmssd"],"sample_count":28,"details":{"correlation_coefficient":0.72,
		"p_value":0.001,"interpretation":"Strong positive correlation between sleep quality and HRV"},"analyzed_at":"2026-01-13T08:00:00Z"},
		{"pattern_type":"composite","pattern_name":"overtraining_risk","score":35,"confidence":0.88,"significance":"medium",
		"metrics_involved":["hrv_rmssd","sleep_score","resting_hr","training_load_ratio"],"sample_count":7,
		"details":{"risk_factors":["HRV trending 8% below baseline"],"recommendations":["Monitor your body's response to training"]},
		"analyzed_at":"2026-01-13T08:00:00Z"}]`)
	require.Len(t, pageList, 2)
	assert.Equal(t, 0.001, *pageList[0].Details.PValue)
	assert.Empty(t, pageList[0].Details.Strength)
	assert.Nil(t, pageList[1].Details.RiskScore)
	assert.Equal(t, time.Date(2026, 1, 13, 8, 0, 0, 0, time.UTC), pageList[0].AnalyzedAt)
	code := decodeInto2[[]Pattern](t, `[{"pattern_type":"correlation","pattern_name":"sleep_hrv_correlation","score":0.08,"confidence":0.55,
		"significance":"low","details":{"correlation_coefficient":0.08,"p_value":0.45,"interpretation":"Negligible positive correlation between sleep quality and HRV",
		"strength":"negligible","direction":"positive"},"analyzed_at":"2026-01-13T08:00:00.123456+00:00"},
		{"pattern_type":"composite","pattern_name":"overtraining_risk","score":30,"confidence":0.75,"significance":"medium","sample_count":3,
		"details":{"risk_factors":[],"recommendations":[],"risk_score":30,"metrics_checked":3}},
		{"pattern_type":"trend","pattern_name":"hrv_trend","score":null,"confidence":null,"significance":"insufficient","details":{"trend_percent":null}}]`)
	assert.Equal(t, "negligible", code[0].Details.Strength)
	assert.Equal(t, "positive", code[0].Details.Direction)
	assert.Equal(t, 30.0, *code[1].Details.RiskScore)
	assert.Equal(t, 3, *code[1].Details.MetricsChecked)
	assert.Equal(t, 0.75, *code[1].Confidence, "metrics checked / 4")
	assert.Nil(t, code[2].Score)
	assert.Contains(t, code[2].Details.Extra, "trend_percent")
}

// 20: anomalies.
func TestDecode20Anomalies(t *testing.T) {
	page := decodeInto2[AnomalyScan](t, `{"user_id":"12345","anomaly_count":1,"anomalies":[{"metric_name":"hrv_rmssd","current_value":22.5,
		"baseline_value":42.5,"lower_bound":24.0,"upper_bound":62.8,"severity":"critical","direction":"below","deviation_percent":-47.1}]}`)
	assert.Equal(t, -47.1, *page.Anomalies[0].DeviationPercent)
	assert.Nil(t, page.Anomalies[0].MedianValue)
	code := decodeInto2[AnomalyScan](t, `{"user_id":"12345","anomaly_count":1,"anomalies":[{"metric_name":"hrv_rmssd","current_value":22.5,
		"baseline_value":42.5,"median_value":42.0,"lower_bound":24.0,"upper_bound":62.8,"severity":"critical","direction":"below",
		"deviation_percent":-47.05882352941177}]}`)
	assert.Equal(t, 42.0, *code.Anomalies[0].MedianValue)
	assert.Equal(t, -47.05882352941177, *code.Anomalies[0].DeviationPercent)
	alt := decodeInto2[Anomaly](t, `{"metric":"resting_hr","current_value":68}`)
	assert.Equal(t, "resting_hr", alt.MetricName, "insights may name it metric")
}

// 21, 22, 23, 24: insights (the page's two examples, and the code's form).
func TestDecode21To24Insights(t *testing.T) {
	page := decodeInto2[Insights](t, `{"user_id":"12345","generated_at":"2026-01-13T10:30:00Z","data_freshness":"2026-01-13T06:00:00Z",
		"data_age_days":45,"status":"ready","feature_availability":{"baselines_7d":{"available":true,"message":null},
		"ml_predictions":{"available":false,"message":"Unlocks in 15 days","unlock_at_days":60}},
		"unlock_progress":{"next_unlock":"ml_predictions","days_until_next":15,"percent_to_next":75.0},
		"current_metrics":{"hrv":45.2,"sleep_score":78,"resting_hr":52,"training_load_ratio":1.1},
		"baselines":{"sleep_score":{"current":78,"baseline":82.0,"percent_of_baseline":95.1,"trend":"stable","status":"ready"}},
		"patterns":[{"name":"overtraining_risk","pattern_type":"composite","score":35,"significance":"medium","factors":["HRV trending below baseline"],"interpretation":null}],
		"anomalies":[],"observations":[{"category":"trend","priority":"info","fact":"f","context":"c","trend":null}],
		"suggestions":[{"action":"prioritize_recovery","description":"Prioritize sleep and recovery today","confidence":0.85,"reason":"HRV is 13% below baseline"}]}`)
	assert.Nil(t, page.FeatureAvailability["baselines_7d"].UnlockAtDays)
	assert.Equal(t, 60, *page.FeatureAvailability["ml_predictions"].UnlockAtDays)
	assert.Nil(t, page.Baselines["sleep_score"].Baseline7d, "the page omits keys")
	assert.Equal(t, "trend", page.Observations[0].Category)
	assert.Equal(t, 45, page.DataAgeDays)
	assert.Equal(t, 1.1, *page.CurrentMetrics.TrainingLoadRatio)
	assert.Equal(t, "ml_predictions", page.UnlockProgress.NextUnlock)
	assert.Equal(t, time.Date(2026, 1, 13, 6, 0, 0, 0, time.UTC), *page.DataFreshness)
	fresh := decodeInto2[Insights](t, `{"user_id":"12345","generated_at":"2026-01-13T10:30:00Z","data_age_days":5,"status":"unavailable",
		"current_metrics":{"hrv":48.0,"sleep_score":75,"resting_hr":55,"training_load_ratio":null},"baselines":{},"patterns":[],"anomalies":[],
		"observations":[{"category":"onboarding","priority":"info","fact":"Building your personal baselines (5/7 days)","context":"x","trend":null}],"suggestions":[]}`)
	assert.Nil(t, fresh.DataFreshness)
	assert.Nil(t, fresh.CurrentMetrics.TrainingLoadRatio)
	assert.Nil(t, fresh.UnlockProgress)
	code := decodeInto2[Insights](t, `{"user_id":"12345","generated_at":"2026-01-13T10:30:00.123456+00:00","data_age_days":91,"status":"ready",
		"feature_availability":{"baselines_7d":{"available":true,"message":null,"unlock_at_days":7}},"unlock_progress":null,
		"baselines":{"hrv_rmssd":{"current":null,"baseline":41.2,"baseline_7d":42.8,"baseline_30d":41.3,"percent_of_baseline":null,"trend":"stable","trend_days":null,"status":"ready"}},
		"observations":[],"suggestions":[]}`)
	assert.Equal(t, 7, *code.FeatureAvailability["baselines_7d"].UnlockAtDays)
	b := code.Baselines["hrv_rmssd"]
	assert.Nil(t, b.Current)
	assert.Nil(t, b.TrendDays)
	assert.Equal(t, 42.8, *b.Baseline7d)
}

// 27: CSV in both forms.
func TestDecode27CSVForms(t *testing.T) {
	code := "date,sleep_score,total_hours,deep_hours,light_hours,rem_hours,hrv_avg,heart_rate_avg,breathing_rate_avg\r\n" +
		"2026-01-10,83,7.44,,4.18,1.24,41.7,58.7,13.9\r\n2026-01-11,,,,,,,,\r\n"
	rows, err := ParseSleepCSV(strings.NewReader(code))
	require.NoError(t, err)
	require.Len(t, rows, 2)
	assert.Equal(t, day(2026, 1, 10), rows[0].Date, "oldest first")
	assert.Nil(t, rows[0].DeepHours, "an empty cell is a missing value")
	assert.Equal(t, 83.0, *rows[0].SleepScore)
	assert.Nil(t, rows[1].SleepScore)
	page := "date,hrv_avg,ans_charge,status,breathing_rate,heart_rate_avg\n2026-01-11,48.5,0,WELL_RECOVERED,14.2,51\n2026-01-12,40,-2.5,-1,,\n"
	rr, err := ParseRechargeCSV(strings.NewReader(page))
	require.NoError(t, err)
	assert.Equal(t, 0.0, *rr[0].ANSCharge, "a written 0 is a 0")
	assert.Equal(t, "WELL_RECOVERED", rr[0].Status.Name)
	assert.Equal(t, -1, rr[1].Status.Level)
	assert.Nil(t, rr[1].BreathingRate)
	_, err = ParseActivityCSV(strings.NewReader("date,steps\n2026-01-11,many\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `activity.csv line 2 column "steps"`)
	_, err = ParseCardioLoadCSV(strings.NewReader("when,strain\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `no "date" column`)
	empty, err := ParseCardioLoadCSV(strings.NewReader(""))
	require.NoError(t, err)
	assert.Empty(t, empty)
}

func TestErrSyncInProgressIsAKind(t *testing.T) {
	e := &wearkit.Error{Vendor: "polar", StatusCode: 409, Kind: ErrSyncInProgress}
	assert.ErrorIs(t, e, ErrSyncInProgress)
}
