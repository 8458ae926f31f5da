package hexoskin

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// MaxPlanningSpan is the longest a schedule may run: the API refuses a
// planning whose repeat_count (or repeat_period) times repeat_frequency
// passes 5 years ("P1M" x 60 is accepted, x 61 refused).
const MaxPlanningSpan = 5 // years

// maxPlanningDays is the most days MaxPlanningSpan years can hold.
const maxPlanningDays = MaxPlanningSpan*365 + 2

// Duration is an ISO 8601 duration ("P1M", "P10D", "P1W", "P1Y2M3D",
// "PT12H") as repeat_frequency takes it. Years and months are calendar
// units that keep the day of the month, or take the month's last day when
// it is shorter (January 31 plus P1M is February 29 or 28), as ISO 8601
// date libraries do; see AddTo.
type Duration struct {
	Years, Months, Weeks, Days int
	Hours, Minutes, Seconds    int
}

// ParseDuration parses an ISO 8601 duration. Fractions, negative
// durations and numbers of more than 9 digits are refused; the error
// names the byte at fault.
func ParseDuration(s string) (Duration, error) {
	var d Duration
	q := s
	if len(q) > 40 {
		q = q[:40] + "..."
	}
	if len(s) < 2 || s[0] != 'P' {
		return d, fmt.Errorf("hexoskin: duration %q: want ISO 8601 such as P1M or P10D", q)
	}
	inTime := false
	numAt := -1 // where the pending number starts
	seen := false
	for i := 1; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch >= '0' && ch <= '9':
			if numAt < 0 {
				numAt = i
			}
			if i-numAt >= 9 {
				return d, fmt.Errorf("hexoskin: duration %q: number at byte %d has more than 9 digits", q, numAt)
			}
			continue
		case ch == 'T':
			if inTime || numAt >= 0 {
				return d, fmt.Errorf("hexoskin: duration %q: misplaced T at byte %d", q, i)
			}
			inTime = true
			continue
		}
		if numAt < 0 {
			return d, fmt.Errorf("hexoskin: duration %q: unit %q at byte %d has no number", q, ch, i)
		}
		n, err := strconv.Atoi(s[numAt:i])
		if err != nil {
			return d, fmt.Errorf("hexoskin: duration %q: number at byte %d: %w", q, numAt, err)
		}
		numAt = -1
		var dst *int
		switch {
		case !inTime && ch == 'Y':
			dst = &d.Years
		case !inTime && ch == 'M':
			dst = &d.Months
		case !inTime && ch == 'W':
			dst = &d.Weeks
		case !inTime && ch == 'D':
			dst = &d.Days
		case inTime && ch == 'H':
			dst = &d.Hours
		case inTime && ch == 'M':
			dst = &d.Minutes
		case inTime && ch == 'S':
			dst = &d.Seconds
		default:
			return d, fmt.Errorf("hexoskin: duration %q: unknown unit %q at byte %d", q, ch, i)
		}
		*dst = n
		seen = true
	}
	if numAt >= 0 || !seen {
		return d, fmt.Errorf("hexoskin: duration %q: ends without a unit", q)
	}
	return d, nil
}

// IsZero reports an unset duration.
func (d Duration) IsZero() bool { return d == Duration{} }

// String writes the ISO 8601 form ("P1M", "P1W", "PT1H"); "" when zero.
func (d Duration) String() string {
	if d.IsZero() {
		return ""
	}
	var b strings.Builder
	b.WriteByte('P')
	for _, p := range []struct {
		n int
		u byte
	}{{d.Years, 'Y'}, {d.Months, 'M'}, {d.Weeks, 'W'}, {d.Days, 'D'}} {
		if p.n != 0 {
			b.WriteString(strconv.Itoa(p.n))
			b.WriteByte(p.u)
		}
	}
	if d.Hours != 0 || d.Minutes != 0 || d.Seconds != 0 {
		b.WriteByte('T')
		for _, p := range []struct {
			n int
			u byte
		}{{d.Hours, 'H'}, {d.Minutes, 'M'}, {d.Seconds, 'S'}} {
			if p.n != 0 {
				b.WriteString(strconv.Itoa(p.n))
				b.WriteByte(p.u)
			}
		}
	}
	return b.String()
}

// AddTo returns t plus n times d: years and months first, keeping t's day
// or the target month's last day when it has fewer (not time.AddDate's
// overflow, which makes January 31 plus a month March 2 and leaves
// February without a monthly event), then weeks and days, then the clock
// part. n times d is taken from t in one step, so a schedule from the
// 31st comes back to the 31st in the months that have one.
func (d Duration) AddTo(t time.Time, n int) time.Time {
	if m := n * (12*d.Years + d.Months); m != 0 {
		y, mo, day := t.Date()
		hh, mm, ss := t.Clock()
		first := time.Date(y, mo+time.Month(m), 1, hh, mm, ss, t.Nanosecond(), t.Location())
		last := first.AddDate(0, 1, -1).Day()
		t = time.Date(first.Year(), first.Month(), min(day, last), hh, mm, ss, t.Nanosecond(), t.Location())
	}
	t = t.AddDate(0, 0, n*(7*d.Weeks+d.Days))
	return t.Add(time.Duration(n) * (time.Duration(d.Hours)*time.Hour + time.Duration(d.Minutes)*time.Minute + time.Duration(d.Seconds)*time.Second))
}

// dateOnly reports whether d counts whole days (a planning needs that).
func (d Duration) dateOnly() bool { return d.Hours == 0 && d.Minutes == 0 && d.Seconds == 0 }

// maxDays is the most days one period of d can hold (31 per month, 366
// per year): the upper bound of by_period_day.
func (d Duration) maxDays() int { return 366*d.Years + 31*d.Months + 7*d.Weeks + d.Days }

// MarshalJSON writes the ISO 8601 string, null when zero.
func (d Duration) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON parses the ISO 8601 string (null is zero).
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s *string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("hexoskin: duration: %w", err)
	}
	if s == nil || *s == "" {
		*d = Duration{}
		return nil
	}
	v, err := ParseDuration(*s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Date is a calendar day ("2020-12-24"), in UTC.
type Date struct{ time.Time }

// NewDate returns the day y-m-d.
func NewDate(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

// DateOf returns the calendar day of t in its own location.
func DateOf(t time.Time) Date { return NewDate(t.Year(), t.Month(), t.Day()) }

// ParseDate parses YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return Date{}, fmt.Errorf("hexoskin: date %q: want YYYY-MM-DD", s)
	}
	return Date{t}, nil
}

// String writes YYYY-MM-DD ("" when zero).
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.Format("2006-01-02")
}

// AddDays returns the day n days later.
func (d Date) AddDays(n int) Date { return Date{d.AddDate(0, 0, n)} }

// MarshalJSON writes "YYYY-MM-DD", null when zero.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads "YYYY-MM-DD" (a date-time keeps its day) or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	var s *string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("hexoskin: date: %w", err)
	}
	if s == nil || *s == "" {
		*d = Date{}
		return nil
	}
	v, err := ParseDate((*s)[:min(len(*s), 10)])
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// EncodeValues implements go-querystring's Encoder.
func (d Date) EncodeValues(key string, v *url.Values) error {
	if !d.IsZero() {
		v.Set(key, d.String())
	}
	return nil
}

// TimeOfDay is a schedule's "09:00".
type TimeOfDay struct{ Hour, Minute int }

// ParseTimeOfDay parses HH:MM (24-hour clock).
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	h, m, ok := strings.Cut(s, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || len(h) != 2 || len(m) != 2 || err1 != nil || err2 != nil || hh > 23 || mm > 59 || hh < 0 || mm < 0 {
		return TimeOfDay{}, fmt.Errorf("hexoskin: time of day %q: want HH:MM", s)
	}
	return TimeOfDay{hh, mm}, nil
}

// String writes HH:MM.
func (t TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", t.Hour, t.Minute) }

// MarshalJSON writes "HH:MM".
func (t TimeOfDay) MarshalJSON() ([]byte, error) { return json.Marshal(t.String()) }

// UnmarshalJSON reads "HH:MM".
func (t *TimeOfDay) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("hexoskin: time of day: %w", err)
	}
	v, err := ParseTimeOfDay(s)
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// EventSchedule is the event_schedule of a planning entry, every property
// of the pages' table. Zero fields are left out when sending.
type EventSchedule struct {
	// RepeatFrequency is the length of one period ("P1M", "P10D").
	RepeatFrequency Duration `json:"repeat_frequency,omitzero"`
	// RepeatPeriod is how many periods the schedule runs; 0 means until
	// the study ends.
	RepeatPeriod int `json:"repeat_period,omitempty"`
	// RepeatCount is how many times the recurring event takes place, one
	// per period (or per selected day within a period); when both are set
	// it bounds the periods before RepeatPeriod does.
	RepeatCount int `json:"repeat_count,omitempty"`
	// DaysOffset is the day after the subject's start date (or StartDate)
	// the schedule begins; 0 is the start date itself.
	DaysOffset int `json:"days_offset,omitempty"`
	// ResourceURI is what to do: an activitytype, trainingroutine, survey
	// or kpi URI ("/api/trainingroutine/1012/").
	ResourceURI string `json:"resource_uri,omitempty"`
	// StartTime and EndTime bound the time of day (a survey must be
	// answered between them); optional.
	StartTime *TimeOfDay `json:"start_time,omitempty"`
	EndTime   *TimeOfDay `json:"end_time,omitempty"`
	// ByMonthDay selects days of the month, 1..31.
	ByMonthDay []int `json:"by_month_day,omitempty"`
	// ByWeekDay selects days of the week, 0..6 with Monday = 0 (not
	// time.Weekday's Sunday = 0; see WeekDay).
	ByWeekDay []int `json:"by_week_day,omitempty"`
	// ByPeriodDay selects days of each period, 1..N where N is the
	// period's length in days.
	ByPeriodDay []int `json:"by_period_day,omitempty"`
	// StartDate and EndDate fix the schedule's first and last day instead
	// of the subject's start date and the study end.
	StartDate Date `json:"start_date,omitzero"`
	EndDate   Date `json:"end_date,omitzero"`
}

// WeekDay returns the by_week_day number of wd (Monday = 0, Sunday = 6).
func WeekDay(wd time.Weekday) int { return (int(wd) + 6) % 7 }

// scheduleKeys maps the camelCase names the pages' examples also use to
// the table's names.
var scheduleKeys = map[string]string{
	"repeatFrequency": "repeat_frequency", "repeatPeriod": "repeat_period", "repeatCount": "repeat_count",
	"daysOffset": "days_offset", "resourceUri": "resource_uri", "startTime": "start_time", "endTime": "end_time",
	"byMonthDay": "by_month_day", "byWeekDay": "by_week_day", "byDay": "by_week_day", "byPeriodDay": "by_period_day",
	"startDate": "start_date", "endDate": "end_date",
}

// UnmarshalJSON accepts the table's names and the camelCase ones of the
// pages' examples ("byMonthDay", "repeatCount"), and counts written as
// strings ("10").
func (e *EventSchedule) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("hexoskin: event_schedule: %w", err)
	}
	norm := make(map[string]json.RawMessage, len(m))
	// In key order, so two camelCase spellings of one property ("byDay",
	// "byWeekDay") decode the same way every time.
	for _, k := range slices.Sorted(maps.Keys(m)) {
		v := m[k]
		if s, ok := scheduleKeys[k]; ok {
			if _, both := m[s]; both {
				continue // the table's name wins over the pages' camelCase one
			}
			k = s
		}
		switch k {
		case "repeat_period", "repeat_count", "days_offset":
			if t := bytes.TrimSpace(v); len(t) > 0 && t[0] == '"' {
				var str string
				if err := json.Unmarshal(t, &str); err != nil {
					return fmt.Errorf("hexoskin: event_schedule.%s: %w", k, err)
				}
				n, err := strconv.Atoi(strings.TrimSpace(str))
				if err != nil {
					return fmt.Errorf("hexoskin: event_schedule.%s: %q is not an integer", k, str)
				}
				v = strconv.AppendInt(nil, int64(n), 10)
			}
		}
		norm[k] = v
	}
	nb, err := json.Marshal(norm)
	if err != nil {
		return err
	}
	type plain EventSchedule
	var p plain
	if err := json.Unmarshal(nb, &p); err != nil {
		return fmt.Errorf("hexoskin: event_schedule: %s", strings.TrimPrefix(err.Error(), "hexoskin: "))
	}
	*e = EventSchedule(p)
	return nil
}

// Validate checks the schedule as the API does before it is sent: the
// frequency counts whole days and no part of it is negative, every day
// selector is in range, times and dates are ordered, and the total span
// (and days_offset) stays within MaxPlanningSpan years. The error names
// the property (and index) at fault.
func (e *EventSchedule) Validate() error {
	f := e.RepeatFrequency
	if f.Years < 0 || f.Months < 0 || f.Weeks < 0 || f.Days < 0 || f.Hours < 0 || f.Minutes < 0 || f.Seconds < 0 {
		return fmt.Errorf("hexoskin: event_schedule.repeat_frequency %s: a part is negative", f)
	}
	// One period longer than the limit is refused before any product is
	// taken, so the span checks below cannot overflow.
	if f.Years > MaxPlanningSpan || f.Months > 12*MaxPlanningSpan || f.Weeks > maxPlanningDays/7 || f.Days > maxPlanningDays {
		return fmt.Errorf("hexoskin: event_schedule.repeat_frequency %s: one period passes %d years", f, MaxPlanningSpan)
	}
	if !f.IsZero() && !f.dateOnly() {
		return fmt.Errorf("hexoskin: event_schedule.repeat_frequency %s: a planning counts whole days, weeks, months or years", f)
	}
	if f.IsZero() && (len(e.ByPeriodDay) > 0 || e.RepeatCount > 1 || e.RepeatPeriod > 0) {
		return errors.New("hexoskin: event_schedule.repeat_frequency: required to repeat an event")
	}
	for _, c := range []struct {
		name string
		v    int
	}{{"repeat_period", e.RepeatPeriod}, {"repeat_count", e.RepeatCount}, {"days_offset", e.DaysOffset}} {
		if c.v < 0 {
			return fmt.Errorf("hexoskin: event_schedule.%s: %d is negative", c.name, c.v)
		}
	}
	if e.DaysOffset > maxPlanningDays {
		// Not a documented API rule: a schedule starting past the 5 years
		// a planning may span is refused here, so the day arithmetic
		// cannot overflow (and date an event before the start).
		return fmt.Errorf("hexoskin: event_schedule.days_offset: %d passes %d years", e.DaysOffset, MaxPlanningSpan)
	}
	check := func(name string, days []int, lo, hi int) error {
		for i, d := range days {
			if d < lo || d > hi {
				return fmt.Errorf("hexoskin: event_schedule.%s[%d]: %d out of %d..%d", name, i, d, lo, hi)
			}
		}
		return nil
	}
	if err := check("by_month_day", e.ByMonthDay, 1, 31); err != nil {
		return err
	}
	if err := check("by_week_day", e.ByWeekDay, 0, 6); err != nil {
		return err
	}
	if len(e.ByPeriodDay) > 0 {
		if err := check("by_period_day", e.ByPeriodDay, 1, f.maxDays()); err != nil {
			return err
		}
	}
	if e.StartTime != nil && e.EndTime != nil && e.EndTime.String() < e.StartTime.String() {
		return fmt.Errorf("hexoskin: event_schedule.end_time %s is before start_time %s", e.EndTime, e.StartTime)
	}
	if !e.StartDate.IsZero() && !e.EndDate.IsZero() && e.EndDate.Before(e.StartDate.Time) {
		return fmt.Errorf("hexoskin: event_schedule.end_date %s is before start_date %s", e.EndDate, e.StartDate)
	}
	if e.ResourceURI != "" {
		parts := strings.Split(strings.Trim(e.ResourceURI, "/"), "/")
		if len(parts) != 3 || parts[0] != "api" || parts[2] == "" {
			return fmt.Errorf("hexoskin: event_schedule.resource_uri %q: want /api/<resource>/<id>/", e.ResourceURI)
		}
	}
	ref := e.StartDate
	if ref.IsZero() {
		ref = NewDate(2001, 1, 1) // any 5 years from here hold one leap day
	}
	limit := ref.AddDate(MaxPlanningSpan, 0, 0)
	// Each of repeat_count and repeat_period times the frequency stays
	// within the limit (the pages: P1M with a repeat_period of 61 exceeds
	// it), whichever of them bounds the expansion.
	for _, c := range []struct {
		name string
		n    int
	}{{"repeat_count", e.RepeatCount}, {"repeat_period", e.RepeatPeriod}} {
		if c.n <= 0 || f.IsZero() {
			continue
		}
		// Every period lasts a day at least: a count past the days of 5
		// years is refused before it multiplies anything.
		if end := f.AddTo(ref.Time, min(c.n, maxPlanningDays+1)); c.n > maxPlanningDays || end.After(limit) {
			return fmt.Errorf("hexoskin: event_schedule: %d x %s runs past %d years (%s %d)", c.n, f, MaxPlanningSpan, c.name, c.n)
		}
	}
	if !e.StartDate.IsZero() && !e.EndDate.IsZero() && e.EndDate.After(limit) {
		return fmt.Errorf("hexoskin: event_schedule: start_date %s to end_date %s passes %d years", e.StartDate, e.EndDate, MaxPlanningSpan)
	}
	return nil
}

// periods is how many periods bound the schedule (0: none).
func (e *EventSchedule) periods() int {
	if e.RepeatCount > 0 {
		return e.RepeatCount
	}
	return e.RepeatPeriod
}

// PlanningEntry is one item of a study's planning.
type PlanningEntry struct {
	Name          string        `json:"name"`
	Description   string        `json:"description,omitempty"`
	EventSchedule EventSchedule `json:"event_schedule"`
}

// Planning is a study's planning property: what each subject does when,
// counted from the subject's start date.
type Planning []PlanningEntry

// Validate checks every entry; the error names the entry's index and name.
func (p Planning) Validate() error {
	for i := range p {
		if strings.TrimSpace(p[i].Name) == "" {
			return fmt.Errorf("hexoskin: planning[%d]: empty name", i)
		}
		if err := p[i].EventSchedule.Validate(); err != nil {
			return fmt.Errorf("hexoskin: planning[%d] %q: %s", i, p[i].Name, strings.TrimPrefix(err.Error(), "hexoskin: "))
		}
	}
	return nil
}

// CalendarEvent is one dated event of a subject's calendar
// (/api/calendar/), or of Planning.Expand.
type CalendarEvent struct {
	Name string `json:"name"`
	// Done tells whether the event took place.
	Done          bool      `json:"done"`
	EventSchedule EventDate `json:"event_schedule"`
}

// EventDate is a calendar event's day and what to do.
type EventDate struct {
	Date        Date       `json:"date"`
	ResourceURI string     `json:"resource_uri"`
	StartTime   *TimeOfDay `json:"start_time,omitempty"`
	EndTime     *TimeOfDay `json:"end_time,omitempty"`
}

// Kind returns the resource an event asks for: "activitytype",
// "trainingroutine", "survey", "kpi" (or whatever the URI names).
func (e EventDate) Kind() string {
	parts := strings.Split(strings.Trim(e.ResourceURI, "/"), "/")
	if len(parts) < 2 {
		return ""
	}
	return parts[1]
}

// Expand lists the dated events of p for a subject who starts on start,
// in planning order and by date within an entry: the list /api/calendar/
// returns (all not done), so a study team can preview a calendar before
// creating it. Entries of the same name (a test "twice a day" is two
// entries) are listed together, by date. until is the study's last day, inclusive; a schedule with
// no repeat count, repeat period or end date runs to it, and is an error
// when until is zero. No schedule runs past MaxPlanningSpan years.
//
// Within each period (RepeatFrequency from the first day: start plus
// days_offset, or start_date): by_period_day picks days 1..N of the
// period; by_month_day and by_week_day pick matching days (both given:
// days matching both); without selectors the event falls on the period's
// first day.
func (p Planning) Expand(start Date, until Date) ([]CalendarEvent, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	var out []CalendarEvent
	for i := range p {
		dates, err := p[i].EventSchedule.dates(start, until)
		if err != nil {
			return nil, fmt.Errorf("hexoskin: planning[%d] %q: %w", i, p[i].Name, err)
		}
		for _, d := range dates {
			s := &p[i].EventSchedule
			out = append(out, CalendarEvent{Name: p[i].Name, EventSchedule: EventDate{
				Date: d, ResourceURI: s.ResourceURI, StartTime: s.StartTime, EndTime: s.EndTime}})
		}
	}
	group := map[string]int{}
	for _, ev := range out {
		if _, ok := group[ev.Name]; !ok {
			group[ev.Name] = len(group)
		}
	}
	slices.SortStableFunc(out, func(a, b CalendarEvent) int {
		if d := group[a.Name] - group[b.Name]; d != 0 {
			return d
		}
		return a.EventSchedule.Date.Compare(b.EventSchedule.Date.Time)
	})
	return out, nil
}

func (e *EventSchedule) dates(start, until Date) ([]Date, error) {
	first := start
	if !e.StartDate.IsZero() {
		first = e.StartDate
	}
	if first.IsZero() {
		return nil, errors.New("no start date")
	}
	first = first.AddDays(e.DaysOffset)
	last := Date{first.AddDate(MaxPlanningSpan, 0, 0)}
	// An end date or a study end bounds the schedule, even one on or past
	// the 5-year cap (which then ends it).
	bounded := !e.EndDate.IsZero() || !until.IsZero()
	if !e.EndDate.IsZero() && e.EndDate.Before(last.Time) {
		last = e.EndDate
	}
	if !until.IsZero() && until.Before(last.Time) {
		last = until
	}
	f := e.RepeatFrequency
	if f.IsZero() {
		if first.After(last.Time) {
			return nil, nil
		}
		return []Date{first}, nil
	}
	n := e.periods()
	if n == 0 && !bounded {
		return nil, errors.New("runs until the study ends: give the study's end date")
	}
	var out []Date
	for k := 0; n == 0 || k < n; k++ {
		ps := Date{f.AddTo(first.Time, k)}
		if ps.After(last.Time) {
			break
		}
		pe := Date{f.AddTo(first.Time, k+1)}
		var days []Date
		switch {
		case len(e.ByPeriodDay) > 0:
			pd := slices.Clone(e.ByPeriodDay)
			slices.Sort(pd)
			for _, d := range slices.Compact(pd) {
				if day := ps.AddDays(d - 1); day.Before(pe.Time) {
					days = append(days, day)
				}
			}
		case len(e.ByMonthDay) > 0 || len(e.ByWeekDay) > 0:
			for day := ps; day.Before(pe.Time); day = day.AddDays(1) {
				if (len(e.ByMonthDay) == 0 || slices.Contains(e.ByMonthDay, day.Day())) &&
					(len(e.ByWeekDay) == 0 || slices.Contains(e.ByWeekDay, WeekDay(day.Weekday()))) {
					days = append(days, day)
				}
			}
		default:
			days = []Date{ps}
		}
		for _, d := range days {
			if !d.After(last.Time) {
				out = append(out, d)
			}
		}
	}
	return out, nil
}
