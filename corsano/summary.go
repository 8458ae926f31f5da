package corsano

import "encoding/json"

// Summary is one patient's day as the summaries call sends it: every
// section the vendor documents, typed, with the fields it does not (yet)
// type kept in Extra, so it encodes back to what the API sent.
type Summary struct {
	// Date is the patient's local day.
	Date Date `json:"date"`
	// Activity: steps, distance, calories and the five-minute step slots.
	Activity *ActivitySummary `json:"activity,omitempty"`
	// CorsanoSleep is undocumented (an empty object in the vendor's
	// example) and kept raw.
	CorsanoSleep json.RawMessage `json:"corsano_sleep,omitempty"`
	// HeartRate: daily figures, heart-rate zone times and slots.
	HeartRate *HeartRateSummary `json:"heart_rate,omitempty"`
	// NonInvasiveBloodPressure: daily averages and 30-minute (or longer)
	// slots.
	NonInvasiveBloodPressure *BloodPressureSummary `json:"non_invasive_blood_pressure,omitempty"`
	// Recovery: the recovery score and its inputs, most of them nullable.
	Recovery *RecoverySummary `json:"recovery,omitempty"`
	// RespirationRate: the daily average and five-minute slots.
	RespirationRate *RespirationSummary `json:"respiration_rate,omitempty"`
	// Sleep: last night's session, stages and scores.
	Sleep *SleepSummary `json:"sleep,omitempty"`
	// SpO2: the daily average and five-minute slots.
	SpO2 *SpO2Summary `json:"spo2,omitempty"`
	// Stress: HRV-based stress figures of the day's spot measurements.
	Stress *StressSummary `json:"stress,omitempty"`
	// StressContinuous: the same figures from continuous measurement.
	StressContinuous *StressSummary `json:"stress_continuous,omitempty"`
	// Temperature: skin temperatures and five-minute slots.
	Temperature *TemperatureSummary `json:"temperature,omitempty"`
	// Extra holds the fields the SDK does not type.
	Extra Extra `json:"-"`
}

// ActivitySummary is the activity section of a Summary.
type ActivitySummary struct {
	// Date is the patient's local day.
	Date Date `json:"date"`
	// AvgGaitAsymmetry, AvgGaitSpeed and AvgGaitVar describe the gait.
	AvgGaitAsymmetry float64 `json:"avg_gait_asymmetry"`
	AvgGaitSpeed     float64 `json:"avg_gait_speed"`
	AvgGaitVar       float64 `json:"avg_gait_var"`
	// SlotsFiveMinutes are the day's steps per five minutes (include_slots).
	SlotsFiveMinutes []StepSlot `json:"slots_five_minutes,omitempty"`
	// TotalSteps counts the day's steps.
	TotalSteps int `json:"total_steps"`
	// DailyPercent is the share of the daily goal reached.
	DailyPercent float64 `json:"daily_percent"`
	// Distance walked, Calories burnt (as the API counts them).
	Distance float64 `json:"distance"`
	Calories float64 `json:"calories"`
	// Workouts, ActiveMinutes, MoveEveryHour and TotalGlasses (of water)
	// are counters of the day.
	Workouts      float64 `json:"workouts"`
	ActiveMinutes float64 `json:"active_minutes"`
	MoveEveryHour float64 `json:"move_every_hour"`
	TotalGlasses  float64 `json:"total_glasses"`
	// Extra holds the fields the SDK does not type.
	Extra Extra `json:"-"`
}

// StepSlot is five minutes of steps.
type StepSlot struct {
	// Timestamp starts the slot.
	Timestamp Millis `json:"timestamp"`
	// Date is the slot's local time of day.
	Date ClockTime `json:"date"`
	// StepCount counts the slot's steps.
	StepCount int `json:"step_count"`
	// Extra holds the fields the SDK does not type.
	Extra Extra `json:"-"`
}

// HeartRateSummary is the heart_rate section of a Summary. Times are
// seconds spent in each heart-rate zone.
type HeartRateSummary struct {
	// Date is the patient's local day.
	Date Date `json:"date"`
	// AvgDailyHeartRate, MaxDailyHeartRate and RestDailyHeartRate in bpm.
	AvgDailyHeartRate  float64 `json:"avg_daily_heart_rate"`
	MaxDailyHeartRate  float64 `json:"max_daily_heart_rate"`
	RestDailyHeartRate float64 `json:"rest_daily_heart_rate"`
	// DailyPercent is the share of the daily goal reached.
	DailyPercent float64 `json:"daily_percent"`
	// Zone times in seconds.
	AllTime         float64 `json:"all_time"`
	MaxTime         float64 `json:"max_time"`
	PerformanceTime float64 `json:"performance_time"`
	EnduranceTime   float64 `json:"endurance_time"`
	FatBurnTime     float64 `json:"fat_burn_time"`
	WarmUpTime      float64 `json:"warm_up_time"`
	RestTime        float64 `json:"rest_time"`
	// Slots are the day's heart-rate slots; the vendor page elides their
	// fields, so each keeps what it does not type in Extra.
	Slots []HeartRateSlot `json:"slots"`
	// SlotsFiveMinutes and SlotsThirtyMinutes, when sent (include_slots).
	SlotsFiveMinutes   []HeartRateSlot `json:"slots_five_minutes,omitempty"`
	SlotsThirtyMinutes []HeartRateSlot `json:"slots_thirty_minutes,omitempty"`
	// Extra holds the fields the SDK does not type.
	Extra Extra `json:"-"`
}

// SlotState is what every measurement slot (heart rate, respiration,
// SpO2, temperature) says about the bracelet and when; the slot types embed
// it, so its fields read as the slot's own (slot.IsWearing).
type SlotState struct {
	// IsWearing, IsCharging and IsLowBattery describe the bracelet.
	IsWearing    bool `json:"is_wearing"`
	IsCharging   bool `json:"is_charging"`
	IsLowBattery bool `json:"is_low_battery"`
	// Timestamp starts the slot; Date is its local time of day.
	Timestamp Millis    `json:"timestamp"`
	Date      ClockTime `json:"date"`
}

// HeartRateSlot is one heart-rate slot.
type HeartRateSlot struct {
	SlotState
	// HeartRate in bpm, Quality as the API grades it.
	HeartRate float64 `json:"heart_rate"`
	Quality   float64 `json:"quality"`
	// Extra holds the fields the SDK does not type.
	Extra Extra `json:"-"`
}

// BloodPressureSummary is the non_invasive_blood_pressure section of a
// Summary, in mmHg.
type BloodPressureSummary struct {
	// Date is the patient's local day.
	Date Date `json:"date"`
	// Daily, sleeping and awake averages.
	DailyAverageSystolicPressure     float64 `json:"daily_average_systolic_pressure"`
	DailyAverageDiastolicPressure    float64 `json:"daily_average_diastolic_pressure"`
	SleepingAverageSystolicPressure  float64 `json:"sleeping_average_systolic_pressure"`
	SleepingAverageDiastolicPressure float64 `json:"sleeping_average_diastolic_pressure"`
	AwakenAverageSystolicPressure    float64 `json:"awaken_average_systolic_pressure"`
	AwakenAverageDiastolicPressure   float64 `json:"awaken_average_diastolic_pressure"`
	// Slots are the day's blood-pressure slots.
	Slots []BloodPressureSlot `json:"slots"`
	// Extra holds the fields the SDK does not type.
	Extra Extra `json:"-"`
}

// BloodPressureSlot is one blood-pressure slot, in mmHg.
type BloodPressureSlot struct {
	SystolicPressureCombine  float64 `json:"systolic_pressure_combine"`
	DiastolicPressureCombine float64 `json:"diastolic_pressure_combine"`
	// StartTimestamp and EndTimestamp bound the slot.
	StartTimestamp Millis `json:"start_timestamp"`
	EndTimestamp   Millis `json:"end_timestamp"`
	// StartDate and EndDate are its local times of day.
	StartDate ClockTime `json:"start_date"`
	EndDate   ClockTime `json:"end_date"`
	// Extra holds the fields the SDK does not type.
	Extra Extra `json:"-"`
}

// RecoverySummary is the recovery section of a Summary. Every figure may be
// null (nil) when the API could not compute it.
type RecoverySummary struct {
	// Date is the patient's local day.
	Date Date `json:"date"`
	// Value is the recovery score.
	Value *float64 `json:"value"`
	// RMSSD averages in ms.
	AvgRMSSDPast60Days *float64 `json:"avg_rmssd_past_60_days"`
	AvgRMSSDToday      *float64 `json:"avg_rmssd_today"`
	AvgRMSSDPast7Days  *float64 `json:"avg_rmssd_past_7_days"`
	// Resting heart rates in bpm.
	RestingBPMToday      *float64 `json:"resting_bpm_today"`
	RestingBPMPast60Days *float64 `json:"resting_bpm_past_60_days"`
	RestingBPMDelta      *float64 `json:"resting_bpm_delta"`
	// Score inputs.
	AgeGenderFactor            *float64 `json:"age_gender_factor"`
	RecoveryRHRScore           *float64 `json:"recovery_rhr_score"`
	AvgHRVDelta                *float64 `json:"avg_hrv_delta"`
	AvgHRVDeltaFactor          *float64 `json:"avg_hrv_delta_factor"`
	RecoveryHRVScore           *float64 `json:"recovery_hrv_score"`
	TemperatureDeviation       *float64 `json:"temperature_deviation"`
	TemperatureDeviationFactor *float64 `json:"temperature_deviation_factor"`
	AvgTemperatureToday        *float64 `json:"avg_temperature_today"`
	AvgTemperaturePast7Days    *float64 `json:"avg_temperature_past_7_days"`
	SleepScore                 *float64 `json:"sleep_score"`
	// Extra holds the fields the SDK does not type.
	Extra Extra `json:"-"`
}

// RespirationSummary is the respiration_rate section of a Summary, in
// breaths per minute.
type RespirationSummary struct {
	// Date is the patient's local day.
	Date Date `json:"date"`
	// AvgRespirationRate over the day.
	AvgRespirationRate float64 `json:"avg_respiration_rate"`
	// StartTimestamp and EndTimestamp bound the day.
	StartTimestamp Millis `json:"start_timestamp"`
	EndTimestamp   Millis `json:"end_timestamp"`
	// SlotsFiveMinutes and SlotsThirtyMinutes, when sent (include_slots).
	SlotsFiveMinutes   []RespirationSlot `json:"slots_five_minutes,omitempty"`
	SlotsThirtyMinutes []RespirationSlot `json:"slots_thirty_minutes,omitempty"`
	// Extra holds the fields the SDK does not type.
	Extra Extra `json:"-"`
}

// RespirationSlot is one respiration-rate slot.
type RespirationSlot struct {
	SlotState
	// RespirationRate in breaths per minute, Quality as the API grades it.
	RespirationRate float64 `json:"respiration_rate"`
	Quality         float64 `json:"quality"`
	// Extra holds the fields the SDK does not type.
	Extra Extra `json:"-"`
}

// SleepSummary is the sleep section of a Summary: the night that ended on
// its date. Durations are in seconds unless said otherwise.
type SleepSummary struct {
	// Date is the patient's local day.
	Date Date `json:"date"`
	// HeartRate in bpm during sleep and its quality.
	HeartRate        float64 `json:"heart_rate"`
	HeartRateQuality float64 `json:"heart_rate_quality"`
	// TimeToSleep and TimeToWakeUp in minutes.
	TimeToSleep  float64 `json:"time_to_sleep"`
	TimeToWakeUp float64 `json:"time_to_wake_up"`
	// The session as recorded, zoned.
	StartSessionOriginalPH ZonedTime `json:"start_session_original_ph"`
	StopSessionOriginalPH  ZonedTime `json:"stop_session_original_ph"`
	// StartDate and EndDate bound the night, zoned.
	StartDate ZonedTime `json:"start_date"`
	EndDate   ZonedTime `json:"end_date"`
	// SleepDuration and the stage times, in seconds.
	SleepDuration float64 `json:"sleep_duration"`
	AwakeTime     float64 `json:"awake_time"`
	REMTime       float64 `json:"rem_time"`
	LightTime     float64 `json:"light_time"`
	DeepTime      float64 `json:"deep_time"`
	// DailyPercent, Performance, Tranquility and Consistency are scores.
	DailyPercent float64 `json:"daily_percent"`
	Performance  float64 `json:"performance"`
	Tranquility  float64 `json:"tranquility"`
	Consistency  float64 `json:"consistency"`
	// Extra holds the fields the SDK does not type.
	Extra Extra `json:"-"`
}

// SpO2Summary is the spo2 section of a Summary, in percent.
type SpO2Summary struct {
	// Date is the patient's local day.
	Date Date `json:"date"`
	// AvgSpO2 over the day.
	AvgSpO2 float64 `json:"avg_spo2"`
	// StartTimestamp and EndTimestamp bound the day.
	StartTimestamp Millis `json:"start_timestamp"`
	EndTimestamp   Millis `json:"end_timestamp"`
	// SlotsFiveMinutes and SlotsThirtyMinutes, when sent (include_slots).
	SlotsFiveMinutes   []SpO2Slot `json:"slots_five_minutes,omitempty"`
	SlotsThirtyMinutes []SpO2Slot `json:"slots_thirty_minutes,omitempty"`
	// Extra holds the fields the SDK does not type.
	Extra Extra `json:"-"`
}

// SpO2Slot is one SpO2 slot.
type SpO2Slot struct {
	SlotState
	// SpO2 in percent, SpO2Q its quality.
	SpO2  float64 `json:"spo2"`
	SpO2Q float64 `json:"spo2_q"`
	// Extra holds the fields the SDK does not type.
	Extra Extra `json:"-"`
}

// StressSummary is the stress (or stress_continuous) section of a Summary:
// the stress index and the HRV figures it comes from (times in ms, powers
// in ms², shares in percent).
type StressSummary struct {
	// Date is the patient's local day.
	Date Date `json:"date"`
	// Stress index (Baevsky) and its normalised form.
	AvgSI  float64 `json:"avg_si"`
	AvgSIN float64 `json:"avg_si_n"`
	// Time-domain HRV.
	AvgMRR   float64 `json:"avg_mrr"`
	AvgSDNN  float64 `json:"avg_sdnn"`
	AvgRMSSD float64 `json:"avg_rmssd"`
	AvgPNN50 float64 `json:"avg_pnn50"`
	AvgHRV   float64 `json:"avg_hrv"`
	// Frequency-domain HRV.
	AvgVLF        float64 `json:"avg_vlf"`
	AvgVLFPercent float64 `json:"avg_vlf_percent"`
	AvgLF         float64 `json:"avg_lf"`
	AvgLFPercent  float64 `json:"avg_lf_percent"`
	AvgHF         float64 `json:"avg_hf"`
	AvgHFPercent  float64 `json:"avg_hf_percent"`
	// Mode and amplitude of the mode of the RR histogram.
	AvgMo  float64 `json:"avg_mo"`
	AvgAMo float64 `json:"avg_amo"`
	// Extra holds the fields the SDK does not type.
	Extra Extra `json:"-"`
}

// TemperatureSummary is the temperature section of a Summary: two skin
// sensors, in °C.
type TemperatureSummary struct {
	// Date is the patient's local day.
	Date Date `json:"date"`
	// Averages and maxima of both sensors.
	AvgTempSk1 float64 `json:"avg_temp_sk1"`
	AvgTempSk2 float64 `json:"avg_temp_sk2"`
	MaxTempSk1 float64 `json:"max_temp_sk1"`
	MaxTempSk2 float64 `json:"max_temp_sk2"`
	// StartTimestamp and EndTimestamp bound the day.
	StartTimestamp Millis `json:"start_timestamp"`
	EndTimestamp   Millis `json:"end_timestamp"`
	// SlotsFiveMinutes and SlotsThirtyMinutes, when sent (include_slots).
	SlotsFiveMinutes   []TemperatureSlot `json:"slots_five_minutes,omitempty"`
	SlotsThirtyMinutes []TemperatureSlot `json:"slots_thirty_minutes,omitempty"`
	// Extra holds the fields the SDK does not type.
	Extra Extra `json:"-"`
}

// TemperatureSlot is one skin-temperature slot, in °C.
type TemperatureSlot struct {
	SlotState
	// TempSk1 and TempSk2 are the two skin sensors.
	TempSk1 float64 `json:"temp_sk1"`
	TempSk2 float64 `json:"temp_sk2"`
	// Extra holds the fields the SDK does not type.
	Extra Extra `json:"-"`
}

// UnmarshalJSON decodes the API's form, keeping unknown fields in Extra.
func (v *Summary) UnmarshalJSON(b []byte) error {
	type plain Summary
	return decodeKeep(b, (*plain)(v), &v.Extra)
}

// MarshalJSON encodes the API's form, Extra included.
func (v Summary) MarshalJSON() ([]byte, error) {
	type plain Summary
	return encodeKeep(plain(v), v.Extra)
}

// UnmarshalJSON decodes the API's form, keeping unknown fields in Extra.
func (v *ActivitySummary) UnmarshalJSON(b []byte) error {
	type plain ActivitySummary
	return decodeKeep(b, (*plain)(v), &v.Extra)
}

// MarshalJSON encodes the API's form, Extra included.
func (v ActivitySummary) MarshalJSON() ([]byte, error) {
	type plain ActivitySummary
	return encodeKeep(plain(v), v.Extra)
}

// UnmarshalJSON decodes the API's form, keeping unknown fields in Extra.
func (v *StepSlot) UnmarshalJSON(b []byte) error {
	type plain StepSlot
	return decodeKeep(b, (*plain)(v), &v.Extra)
}

// MarshalJSON encodes the API's form, Extra included.
func (v StepSlot) MarshalJSON() ([]byte, error) {
	type plain StepSlot
	return encodeKeep(plain(v), v.Extra)
}

// UnmarshalJSON decodes the API's form, keeping unknown fields in Extra.
func (v *HeartRateSummary) UnmarshalJSON(b []byte) error {
	type plain HeartRateSummary
	return decodeKeep(b, (*plain)(v), &v.Extra)
}

// MarshalJSON encodes the API's form, Extra included.
func (v HeartRateSummary) MarshalJSON() ([]byte, error) {
	type plain HeartRateSummary
	return encodeKeep(plain(v), v.Extra)
}

// UnmarshalJSON decodes the API's form, keeping unknown fields in Extra.
func (v *HeartRateSlot) UnmarshalJSON(b []byte) error {
	type plain HeartRateSlot
	return decodeKeep(b, (*plain)(v), &v.Extra)
}

// MarshalJSON encodes the API's form, Extra included.
func (v HeartRateSlot) MarshalJSON() ([]byte, error) {
	type plain HeartRateSlot
	return encodeKeep(plain(v), v.Extra)
}

// UnmarshalJSON decodes the API's form, keeping unknown fields in Extra.
func (v *BloodPressureSummary) UnmarshalJSON(b []byte) error {
	type plain BloodPressureSummary
	return decodeKeep(b, (*plain)(v), &v.Extra)
}

// MarshalJSON encodes the API's form, Extra included.
func (v BloodPressureSummary) MarshalJSON() ([]byte, error) {
	type plain BloodPressureSummary
	return encodeKeep(plain(v), v.Extra)
}

// UnmarshalJSON decodes the API's form, keeping unknown fields in Extra.
func (v *BloodPressureSlot) UnmarshalJSON(b []byte) error {
	type plain BloodPressureSlot
	return decodeKeep(b, (*plain)(v), &v.Extra)
}

// MarshalJSON encodes the API's form, Extra included.
func (v BloodPressureSlot) MarshalJSON() ([]byte, error) {
	type plain BloodPressureSlot
	return encodeKeep(plain(v), v.Extra)
}

// UnmarshalJSON decodes the API's form, keeping unknown fields in Extra.
func (v *RecoverySummary) UnmarshalJSON(b []byte) error {
	type plain RecoverySummary
	return decodeKeep(b, (*plain)(v), &v.Extra)
}

// MarshalJSON encodes the API's form, Extra included.
func (v RecoverySummary) MarshalJSON() ([]byte, error) {
	type plain RecoverySummary
	return encodeKeep(plain(v), v.Extra)
}

// UnmarshalJSON decodes the API's form, keeping unknown fields in Extra.
func (v *RespirationSummary) UnmarshalJSON(b []byte) error {
	type plain RespirationSummary
	return decodeKeep(b, (*plain)(v), &v.Extra)
}

// MarshalJSON encodes the API's form, Extra included.
func (v RespirationSummary) MarshalJSON() ([]byte, error) {
	type plain RespirationSummary
	return encodeKeep(plain(v), v.Extra)
}

// UnmarshalJSON decodes the API's form, keeping unknown fields in Extra.
func (v *RespirationSlot) UnmarshalJSON(b []byte) error {
	type plain RespirationSlot
	return decodeKeep(b, (*plain)(v), &v.Extra)
}

// MarshalJSON encodes the API's form, Extra included.
func (v RespirationSlot) MarshalJSON() ([]byte, error) {
	type plain RespirationSlot
	return encodeKeep(plain(v), v.Extra)
}

// UnmarshalJSON decodes the API's form, keeping unknown fields in Extra.
func (v *SleepSummary) UnmarshalJSON(b []byte) error {
	type plain SleepSummary
	return decodeKeep(b, (*plain)(v), &v.Extra)
}

// MarshalJSON encodes the API's form, Extra included.
func (v SleepSummary) MarshalJSON() ([]byte, error) {
	type plain SleepSummary
	return encodeKeep(plain(v), v.Extra)
}

// UnmarshalJSON decodes the API's form, keeping unknown fields in Extra.
func (v *SpO2Summary) UnmarshalJSON(b []byte) error {
	type plain SpO2Summary
	return decodeKeep(b, (*plain)(v), &v.Extra)
}

// MarshalJSON encodes the API's form, Extra included.
func (v SpO2Summary) MarshalJSON() ([]byte, error) {
	type plain SpO2Summary
	return encodeKeep(plain(v), v.Extra)
}

// UnmarshalJSON decodes the API's form, keeping unknown fields in Extra.
func (v *SpO2Slot) UnmarshalJSON(b []byte) error {
	type plain SpO2Slot
	return decodeKeep(b, (*plain)(v), &v.Extra)
}

// MarshalJSON encodes the API's form, Extra included.
func (v SpO2Slot) MarshalJSON() ([]byte, error) {
	type plain SpO2Slot
	return encodeKeep(plain(v), v.Extra)
}

// UnmarshalJSON decodes the API's form, keeping unknown fields in Extra.
func (v *StressSummary) UnmarshalJSON(b []byte) error {
	type plain StressSummary
	return decodeKeep(b, (*plain)(v), &v.Extra)
}

// MarshalJSON encodes the API's form, Extra included.
func (v StressSummary) MarshalJSON() ([]byte, error) {
	type plain StressSummary
	return encodeKeep(plain(v), v.Extra)
}

// UnmarshalJSON decodes the API's form, keeping unknown fields in Extra.
func (v *TemperatureSummary) UnmarshalJSON(b []byte) error {
	type plain TemperatureSummary
	return decodeKeep(b, (*plain)(v), &v.Extra)
}

// MarshalJSON encodes the API's form, Extra included.
func (v TemperatureSummary) MarshalJSON() ([]byte, error) {
	type plain TemperatureSummary
	return encodeKeep(plain(v), v.Extra)
}

// UnmarshalJSON decodes the API's form, keeping unknown fields in Extra.
func (v *TemperatureSlot) UnmarshalJSON(b []byte) error {
	type plain TemperatureSlot
	return decodeKeep(b, (*plain)(v), &v.Extra)
}

// MarshalJSON encodes the API's form, Extra included.
func (v TemperatureSlot) MarshalJSON() ([]byte, error) {
	type plain TemperatureSlot
	return encodeKeep(plain(v), v.Extra)
}
