package hexoskin_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit/hexoskin"
)

func dates(t *testing.T, evs []hexoskin.CalendarEvent) []string {
	t.Helper()
	var out []string
	for _, e := range evs {
		out = append(out, e.EventSchedule.Date.String())
	}
	return out
}

func mustDate(t *testing.T, s string) hexoskin.Date {
	t.Helper()
	d, err := hexoskin.ParseDate(s)
	require.NoError(t, err)
	return d
}

// The pages' schedule examples, decoded from their JSON (camelCase and
// quoted counts included) and expanded for a subject starting on Tuesday
// 2020-07-14.
func TestPlanningExpandDocExamples(t *testing.T) {
	start := hexoskin.NewDate(2020, 7, 14)
	for _, tc := range []struct {
		name, json, until string
		want              []string
	}{
		{"every month on the 1st and 15th",
			`{ "name": "Example 1", "event_schedule": { "resource_uri": "/api/activity/4/", "start_time": "09:00", "end_time": "10:00", "repeat_frequency": "P1M", "byMonthDay": [ 1, 15 ] }, "description": "A description here" }`,
			"2020-09-30", []string{"2020-07-15", "2020-08-01", "2020-08-15", "2020-09-01", "2020-09-15"}},
		{"every 10 days on period days 2 and 4",
			`{ "name": "Example", "event_schedule": { "start_time": "09:00", "repeat_frequency": "P10D", "resource_uri": "/api/trainingroutine/4/", "end_time": "10:00", "byPeriodDay": [2, 4] } }`,
			"2020-08-05", []string{"2020-07-15", "2020-07-17", "2020-07-25", "2020-07-27", "2020-08-04"}},
		{"every 7 days, twice",
			`{ "name": "Example", "event_schedule": { "resource_uri": "/api/activity/4/", "repeat_frequency": "P7D", "repeatCount": 2, "start_time": "09:00", "end_time": "10:00" } }`,
			"", []string{"2020-07-14", "2020-07-21"}},
		{"every 2 days between dates, once",
			`{ "name": "Example", "event_schedule": { "repeat_frequency": "P2D", "resource_uri": "/api/activity/4/", "end_date": "2021-01-12", "start_date": "2020-12-24", "repeatCount": 1 } }`,
			"", []string{"2020-12-24"}},
		{"daily, ten times, count as a string",
			`{ "name": "Example", "event_schedule": { "start_date": "2020-12-24", "repeat_frequency": "P1D", "repeatCount": "10", "start_time": "09:00", "end_time": "10:00" } }`,
			"", []string{"2020-12-24", "2020-12-25", "2020-12-26", "2020-12-27", "2020-12-28", "2020-12-29", "2020-12-30", "2020-12-31", "2021-01-01", "2021-01-02"}},
		{"every 2 days on period day 2 between dates",
			`{ "name": "Example", "event_schedule": { "start_date": "2020-12-24", "end_date": "2021-01-24", "repeat_frequency": "P2D", "byPeriodDay": [2] } }`,
			"", []string{"2020-12-25", "2020-12-27", "2020-12-29", "2020-12-31", "2021-01-02", "2021-01-04", "2021-01-06", "2021-01-08",
				"2021-01-10", "2021-01-12", "2021-01-14", "2021-01-16", "2021-01-18", "2021-01-20", "2021-01-22", "2021-01-24"}},
		{"weekly on days 0 and 1 for two repeats",
			`{ "name": "Example", "event_schedule": { "repeat_frequency": "P1W", "by_week_day": [ 0, 1 ], "resource_uri": "/api/activity/4/", "repeatCount": 2 } }`,
			"", []string{"2020-07-14", "2020-07-20", "2020-07-21", "2020-07-27"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var e hexoskin.PlanningEntry
			require.NoError(t, json.Unmarshal([]byte(tc.json), &e))
			var until hexoskin.Date
			if tc.until != "" {
				until = mustDate(t, tc.until)
			}
			evs, err := hexoskin.Planning{e}.Expand(start, until)
			require.NoError(t, err)
			assert.Equal(t, tc.want, dates(t, evs))
			for _, ev := range evs {
				assert.Equal(t, e.Name, ev.Name)
				assert.False(t, ev.Done)
				assert.Equal(t, e.EventSchedule.ResourceURI, ev.EventSchedule.ResourceURI)
			}
		})
	}
}

// The pages' calendar answer: a rest test twice a day and a daily survey,
// three days from 2020-07-14.
func TestPlanningExpandDocCalendar(t *testing.T) {
	nine := func(s string) *hexoskin.TimeOfDay { v, _ := hexoskin.ParseTimeOfDay(s); return &v }
	daily := hexoskin.Duration{Days: 1}
	p := hexoskin.Planning{
		{Name: "Do 5 min Rest Test twice a day", EventSchedule: hexoskin.EventSchedule{RepeatFrequency: daily, RepeatCount: 3, ResourceURI: "/api/activitytype/4/", StartTime: nine("09:00")}},
		{Name: "Answer the survey every day", EventSchedule: hexoskin.EventSchedule{RepeatFrequency: daily, RepeatCount: 3, ResourceURI: "/api/survey/3/"}},
		{Name: "Do 5 min Rest Test twice a day", EventSchedule: hexoskin.EventSchedule{RepeatFrequency: daily, RepeatCount: 3, ResourceURI: "/api/activitytype/4/", StartTime: nine("16:00")}},
	}
	evs, err := p.Expand(hexoskin.NewDate(2020, 7, 14), hexoskin.Date{})
	require.NoError(t, err)
	doc := `[ { "name": "Do 5 min Rest Test twice a day", "done": false, "event_schedule": { "date": "2020-07-14", "resource_uri": "/api/activitytype/4/" } }, { "name": "Do 5 min Rest Test twice a day", "done": false, "event_schedule": { "date": "2020-07-14", "resource_uri": "/api/activitytype/4/" } }, { "name": "Do 5 min Rest Test twice a day", "done": false, "event_schedule": { "date": "2020-07-15", "resource_uri": "/api/activitytype/4/" } }, { "name": "Do 5 min Rest Test twice a day", "done": false, "event_schedule": { "date": "2020-07-15", "resource_uri": "/api/activitytype/4/" } }, { "name": "Do 5 min Rest Test twice a day", "done": false, "event_schedule": { "date": "2020-07-16", "resource_uri": "/api/activitytype/4/" } }, { "name": "Do 5 min Rest Test twice a day", "done": false, "event_schedule": { "date": "2020-07-16", "resource_uri": "/api/activitytype/4/" } }, { "name": "Answer the survey every day", "done": false, "event_schedule": { "date": "2020-07-14", "resource_uri": "/api/survey/3/" } }, { "name": "Answer the survey every day", "done": false, "event_schedule": { "date": "2020-07-15", "resource_uri": "/api/survey/3/" } }, { "name": "Answer the survey every day", "done": false, "event_schedule": { "date": "2020-07-16", "resource_uri": "/api/survey/3/" } } ]`
	var want []hexoskin.CalendarEvent
	require.NoError(t, json.Unmarshal([]byte(doc), &want))
	require.Len(t, evs, len(want))
	for i := range want {
		assert.Equal(t, want[i].Name, evs[i].Name, i)
		assert.Equal(t, want[i].EventSchedule.Date, evs[i].EventSchedule.Date, i)
		assert.Equal(t, want[i].EventSchedule.ResourceURI, evs[i].EventSchedule.ResourceURI, i)
	}
}

func TestPlanningFiveYearLimit(t *testing.T) {
	monthly := hexoskin.Duration{Months: 1}
	ok := hexoskin.EventSchedule{RepeatFrequency: monthly, RepeatPeriod: 60}
	require.NoError(t, ok.Validate(), "60 months is 5 years")
	over := hexoskin.EventSchedule{RepeatFrequency: monthly, RepeatPeriod: 61}
	err := over.Validate()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "61 x P1M runs past 5 years")
	count := hexoskin.EventSchedule{RepeatFrequency: monthly, RepeatCount: 61}
	require.Error(t, count.Validate())
	days := hexoskin.EventSchedule{RepeatFrequency: hexoskin.Duration{Days: 1}, RepeatCount: 1826}
	require.NoError(t, days.Validate())
	days.RepeatCount = 1827
	require.Error(t, days.Validate())
	span := hexoskin.EventSchedule{StartDate: hexoskin.NewDate(2020, 1, 1), EndDate: hexoskin.NewDate(2025, 1, 2)}
	require.ErrorContains(t, span.Validate(), "passes 5 years")
	// Expand refuses what Validate refuses.
	_, err = hexoskin.Planning{{Name: "x", EventSchedule: over}}.Expand(hexoskin.NewDate(2020, 1, 1), hexoskin.Date{})
	require.ErrorContains(t, err, `planning[0] "x": event_schedule: 61 x P1M`)
	evs, err := hexoskin.Planning{{Name: "x", EventSchedule: ok}}.Expand(hexoskin.NewDate(2020, 1, 1), hexoskin.Date{})
	require.NoError(t, err)
	assert.Len(t, evs, 60)
	assert.Equal(t, "2024-12-01", evs[59].EventSchedule.Date.String())
}

func TestPlanningValidationErrors(t *testing.T) {
	for _, tc := range []struct {
		json, want string
	}{
		{`{"repeat_frequency": "P1X"}`, `unknown unit 'X'`},
		{`{"repeat_frequency": "1M"}`, `want ISO 8601`},
		{`{"repeat_frequency": "P"}`, `want ISO 8601`},
		{`{"repeat_frequency": "P1"}`, `ends without a unit`},
	} {
		var e hexoskin.EventSchedule
		err := json.Unmarshal([]byte(tc.json), &e)
		require.Error(t, err, tc.json)
		assert.Contains(t, err.Error(), tc.want, tc.json)
	}
	for _, tc := range []struct {
		e    hexoskin.EventSchedule
		want string
	}{
		{hexoskin.EventSchedule{RepeatFrequency: hexoskin.Duration{Weeks: 1}, ByWeekDay: []int{0, 7}}, "by_week_day[1]: 7 out of 0..6"},
		{hexoskin.EventSchedule{RepeatFrequency: hexoskin.Duration{Months: 1}, ByMonthDay: []int{0}}, "by_month_day[0]: 0 out of 1..31"},
		{hexoskin.EventSchedule{RepeatFrequency: hexoskin.Duration{Months: 1}, ByMonthDay: []int{32}}, "by_month_day[0]: 32 out of 1..31"},
		{hexoskin.EventSchedule{RepeatFrequency: hexoskin.Duration{Days: 10}, ByPeriodDay: []int{2, 11}}, "by_period_day[1]: 11 out of 1..10"},
		{hexoskin.EventSchedule{RepeatFrequency: hexoskin.Duration{Hours: 12}}, "whole days"},
		{hexoskin.EventSchedule{RepeatCount: 3}, "repeat_frequency: required"},
		{hexoskin.EventSchedule{DaysOffset: -1}, "days_offset: -1 is negative"},
		{hexoskin.EventSchedule{ResourceURI: "trainingroutine/4"}, "resource_uri"},
		{hexoskin.EventSchedule{StartDate: hexoskin.NewDate(2021, 1, 2), EndDate: hexoskin.NewDate(2021, 1, 1)}, "end_date 2021-01-01 is before start_date 2021-01-02"},
	} {
		err := tc.e.Validate()
		require.Error(t, err, tc.want)
		assert.Contains(t, err.Error(), tc.want)
		assert.True(t, strings.HasPrefix(err.Error(), "hexoskin: "), err.Error())
	}
	var tod hexoskin.TimeOfDay
	require.ErrorContains(t, json.Unmarshal([]byte(`"9:00"`), &tod), "want HH:MM")
	// A schedule with no bound needs the study's end.
	_, err := hexoskin.Planning{{Name: "open", EventSchedule: hexoskin.EventSchedule{RepeatFrequency: hexoskin.Duration{Days: 1}}}}.Expand(hexoskin.NewDate(2020, 1, 1), hexoskin.Date{})
	require.ErrorContains(t, err, "study's end date")
	_, err = hexoskin.Planning{{EventSchedule: hexoskin.EventSchedule{}}}.Expand(hexoskin.NewDate(2020, 1, 1), hexoskin.Date{})
	require.ErrorContains(t, err, "planning[0]: empty name")
}

func TestDurationRoundTrip(t *testing.T) {
	for _, s := range []string{"P1M", "P10D", "P1W", "P1Y2M3D", "PT12H30M", "P2DT1S"} {
		d, err := hexoskin.ParseDuration(s)
		require.NoError(t, err)
		assert.Equal(t, s, d.String())
	}
	e := hexoskin.EventSchedule{RepeatFrequency: hexoskin.Duration{Months: 1}, ByMonthDay: []int{1, 15}, StartDate: hexoskin.NewDate(2020, 12, 24)}
	b, err := json.Marshal(e)
	require.NoError(t, err)
	assert.JSONEq(t, `{"repeat_frequency":"P1M","by_month_day":[1,15],"start_date":"2020-12-24"}`, string(b))
	assert.Equal(t, 0, hexoskin.WeekDay(1), "Monday is 0")
	assert.Equal(t, 6, hexoskin.WeekDay(0), "Sunday is 6")
}
