package corsano_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit/corsano"
	"github.com/wearkit/wearkit/corsano/corsanotest"
)

func TestSummaryVendorExampleNoFieldLost(t *testing.T) {
	f := newFixture(t, nil)
	date, err := corsano.ParseDate(corsanotest.ExampleDate)
	require.NoError(t, err)
	all, err := f.c.Summaries(context.Background(), corsanotest.GroupCode, date, nil)
	require.NoError(t, err)
	s, ok := all[corsanotest.ExamplePatient]
	require.True(t, ok)

	// Every field of the vendor's example comes back, with its value.
	back, err := json.Marshal(s)
	require.NoError(t, err)
	assert.JSONEq(t, string(corsanotest.SummaryExample()), string(back))
	assert.Empty(t, s.Extra, "every section is typed")

	// And the typed values are the example's.
	assert.Equal(t, corsano.Date{Year: 2025, Month: time.October, Day: 8}, s.Date)
	assert.Equal(t, 2.0, s.Activity.Calories)
	require.Len(t, s.Activity.SlotsFiveMinutes, 1)
	assert.True(t, s.Activity.SlotsFiveMinutes[0].Timestamp.Equal(time.UnixMilli(1759874400000)))
	assert.Equal(t, corsano.ClockTime("00:00"), s.Activity.SlotsFiveMinutes[0].Date)
	assert.Equal(t, 78.0, s.HeartRate.AvgDailyHeartRate)
	assert.Equal(t, 600.0, s.HeartRate.RestTime)
	require.Len(t, s.NonInvasiveBloodPressure.Slots, 1)
	assert.True(t, s.NonInvasiveBloodPressure.Slots[0].EndTimestamp.Equal(time.UnixMilli(1759881599000)))
	require.NotNil(t, s.Recovery.Value)
	assert.Equal(t, 58.41383, *s.Recovery.Value)
	assert.Nil(t, s.Recovery.SleepScore)
	assert.Nil(t, s.Recovery.RestingBPMDelta)
	assert.True(t, s.Sleep.StartDate.Equal(time.Date(2025, 10, 7, 20, 16, 0, 0, time.UTC)))
	_, off := s.Sleep.StartDate.Zone()
	assert.Equal(t, 2*3600, off, "the zone is kept")
	assert.Equal(t, 27540.0, s.Sleep.SleepDuration)
	assert.True(t, s.SpO2.EndTimestamp.Equal(time.UnixMilli(1759960799999)))
	assert.Equal(t, 63.65794392523368, s.Stress.AvgSI)
	assert.Equal(t, 62.403571428571404, s.StressContinuous.AvgHRV)
	assert.Equal(t, 36.89, s.Temperature.MaxTempSk1)
	assert.JSONEq(t, `{}`, string(s.CorsanoSleep))
	d, err := s.NonInvasiveBloodPressure.Slots[0].EndDate.Offset()
	require.NoError(t, err)
	assert.Equal(t, time.Hour+59*time.Minute, d)
}

func TestSummaryKeepsUnknownFields(t *testing.T) {
	in := `{"date":"2025-10-09","new_section":{"a":1},
		"spo2":{"date":"2025-10-09","avg_spo2":97,"start_timestamp":1,"end_timestamp":2,"trend":"up",
			"slots_five_minutes":[{"is_wearing":true,"is_charging":false,"is_low_battery":false,"timestamp":1759874400000,"date":"00:00","spo2":97,"spo2_q":3,"motion":0.2}]},
		"heart_rate":{"date":"2025-10-09","slots":[{"is_wearing":true,"is_charging":false,"is_low_battery":false,"timestamp":1759874400000,"date":"00:00","heart_rate":61,"quality":4,"bpm_q":2}],
			"avg_daily_heart_rate":1,"max_daily_heart_rate":1,"rest_daily_heart_rate":1,"daily_percent":0,"all_time":0,"max_time":0,"performance_time":0,"endurance_time":0,"fat_burn_time":0,"warm_up_time":0,"rest_time":0}}`
	var s corsano.Summary
	require.NoError(t, json.Unmarshal([]byte(in), &s))
	assert.JSONEq(t, `{"a":1}`, string(s.Extra["new_section"]))
	assert.JSONEq(t, `"up"`, string(s.SpO2.Extra["trend"]))
	assert.JSONEq(t, `0.2`, string(s.SpO2.SlotsFiveMinutes[0].Extra["motion"]))
	assert.Equal(t, 61.0, s.HeartRate.Slots[0].HeartRate)
	out, err := json.Marshal(s)
	require.NoError(t, err)
	assert.JSONEq(t, in, string(out))
}

func TestSummaryBadInput(t *testing.T) {
	for _, in := range []string{
		`{"date":"08-10-2025"}`,
		`{"date":20251008}`,
		`{"spo2":{"start_timestamp":"soon"}}`,
		`{"sleep":{"start_date":"yesterday"}}`,
		`{"recovery":{"value":"high"}}`,
		`[1]`,
	} {
		var s corsano.Summary
		require.Error(t, json.Unmarshal([]byte(in), &s), in)
	}
}

func TestSummariesGenerated(t *testing.T) {
	f := newFixture(t, nil)
	date := corsano.Date{Year: 2025, Month: time.October, Day: 6}
	ctx := context.Background()
	plain, err := f.c.Summaries(ctx, corsanotest.GroupCode, date, nil)
	require.NoError(t, err)
	s := plain[corsanotest.SecondPatient]
	assert.Equal(t, date, s.Date)
	assert.Empty(t, s.HeartRate.Slots)
	assert.Nil(t, s.SpO2.SlotsFiveMinutes)

	day := f.srv.Person(corsanotest.SecondPatient).Day(date.In(corsanotest.Zone))
	assert.Equal(t, day.Steps, s.Activity.TotalSteps, "the generator's steps")
	assert.InDelta(t, day.RestingHR, s.HeartRate.RestDailyHeartRate, 0.5)
	assert.InDelta(t, 70, s.HeartRate.AvgDailyHeartRate, 25)

	slots, err := f.c.Summaries(ctx, corsanotest.GroupCode, date, &corsano.SummaryOptions{IncludeSlots: true})
	require.NoError(t, err)
	s = slots[corsanotest.SecondPatient]
	require.Len(t, s.HeartRate.Slots, 288)
	require.Len(t, s.Activity.SlotsFiveMinutes, 288)
	steps := 0
	for i, sl := range s.Activity.SlotsFiveMinutes {
		steps += sl.StepCount
		assert.True(t, sl.Timestamp.Equal(date.In(corsanotest.Zone).Add(time.Duration(i)*5*time.Minute)))
	}
	assert.Equal(t, day.Steps, steps, "the slots add up to the day")
	assert.Equal(t, corsano.ClockTime("00:05"), s.HeartRate.Slots[1].Date)
	for _, sl := range s.HeartRate.Slots {
		assert.InDelta(t, 90, sl.HeartRate, 60)
	}
	assert.Len(t, s.NonInvasiveBloodPressure.Slots, 48)
	last, _ := f.srv.Log.Last()
	assert.Equal(t, "1", last.Query.Get("include_slots"))
	assert.Equal(t, "2025-10-06", last.Query.Get("date"))

	_, err = f.c.Summaries(ctx, "other-group", date, nil)
	require.ErrorContains(t, err, "404")
	_, err = f.c.Summaries(ctx, corsanotest.GroupCode, corsano.Date{}, nil)
	require.ErrorContains(t, err, "zero date")
	_, err = f.c.Summaries(ctx, "a/b", date, nil)
	require.ErrorContains(t, err, "not a path segment")
}

func TestTimeTypes(t *testing.T) {
	var m corsano.Millis
	require.NoError(t, json.Unmarshal([]byte(`1759874400000`), &m))
	assert.Equal(t, int64(1759874400000), m.UnixMilli())
	b, _ := json.Marshal(m)
	assert.Equal(t, `1759874400000`, string(b))
	require.NoError(t, json.Unmarshal([]byte(`null`), &m))
	assert.True(t, m.IsZero())
	b, _ = json.Marshal(m)
	assert.Equal(t, `null`, string(b))
	require.NoError(t, json.Unmarshal([]byte(`1759874400000.5`), &m))
	assert.Equal(t, int64(1759874400000), m.UnixMilli())

	var c corsano.ClientTime
	require.NoError(t, json.Unmarshal([]byte(`"2023-06-05T10:00:00.000"`), &c))
	assert.Equal(t, "2023-06-05T10:00:00.000", c.String())
	assert.True(t, c.In(corsanotest.Zone).Equal(time.Date(2023, 6, 5, 8, 0, 0, 0, time.UTC)))
	require.NoError(t, json.Unmarshal([]byte(`"2023-06-05 10:00:00"`), &c))
	assert.Equal(t, "2023-06-05T10:00:00.000", c.String())
	require.Error(t, json.Unmarshal([]byte(`"10:00"`), &c))

	var z corsano.ZonedTime
	require.NoError(t, json.Unmarshal([]byte(`"2022-11-22T00:12:03.000+01:00"`), &z))
	b, _ = json.Marshal(z)
	assert.Equal(t, `"2022-11-22T00:12:03.000+01:00"`, string(b))

	_, err := corsano.ClockTime("25:99").Offset()
	require.ErrorContains(t, err, `"25:99" is not HH:MM`)
	_, err = corsano.ParseDate("2025-13-01")
	require.ErrorContains(t, err, "corsano: date")
}

func TestExtraSurvivesTrickyJSON(t *testing.T) {
	in := "{ \"date\" : \"2025-10-09\" ,\n\t\"we\\\"ird\\u00e9\": \"a }, \\\"b\\\": [\" , \"n\":-1.5e3,\"t\":true,\"z\":null,\"arr\":[{\"x\":\"]\"},[1,2]],\"obj\":{\"k\":{\"l\":[]}} }"
	var s corsano.Summary
	require.NoError(t, json.Unmarshal([]byte(in), &s))
	assert.Equal(t, corsano.Date{Year: 2025, Month: time.October, Day: 9}, s.Date)
	require.Len(t, s.Extra, 6)
	assert.JSONEq(t, `"a }, \"b\": ["`, string(s.Extra["we\"irdé"]))
	assert.Equal(t, `-1.5e3`, string(s.Extra["n"]))
	assert.Equal(t, `true`, string(s.Extra["t"]))
	assert.Equal(t, `null`, string(s.Extra["z"]))
	assert.Equal(t, `[{"x":"]"},[1,2]]`, string(s.Extra["arr"]))
	assert.Equal(t, `{"k":{"l":[]}}`, string(s.Extra["obj"]))
	out, err := json.Marshal(s)
	require.NoError(t, err)
	assert.JSONEq(t, in, string(out))
}

// The slots' shared SlotState fields are the slot's own: decoded into it,
// not kept aside as unknown, and written once when encoded again.
func TestSlotStateFieldsAreKnown(t *testing.T) {
	raw := `{"is_wearing":true,"is_charging":false,"is_low_battery":true,"timestamp":1700000000000,"date":"10:05","heart_rate":61,"quality":4,"new_field":1}`
	var s corsano.HeartRateSlot
	require.NoError(t, json.Unmarshal([]byte(raw), &s))
	assert.True(t, s.IsWearing)
	assert.True(t, s.IsLowBattery)
	assert.Equal(t, 61.0, s.HeartRate)
	assert.Len(t, s.Extra, 1, "only new_field is unknown: %v", s.Extra)
	out, err := json.Marshal(s)
	require.NoError(t, err)
	assert.Equal(t, 1, strings.Count(string(out), `"is_wearing"`), "%s", out)
	assert.JSONEq(t, raw, string(out))
}
