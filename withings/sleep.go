package withings

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/internal/rest"
)

// SleepState is a sleep stage of v2/sleep get. It is open: an unknown
// state decodes to its number, and its String says so.
type SleepState int

// Sleep states.
const (
	Awake      SleepState = 0
	LightSleep SleepState = 1
	DeepSleep  SleepState = 2
	REMSleep   SleepState = 3
	// Manual marks a span the user entered by hand.
	Manual SleepState = 4
	// Unspecified marks a span the device could not score.
	Unspecified SleepState = 5
)

// String names the state, or says it is unknown.
func (s SleepState) String() string {
	switch s {
	case Awake:
		return "awake"
	case LightSleep:
		return "light"
	case DeepSleep:
		return "deep"
	case REMSleep:
		return "REM"
	case Manual:
		return "manual"
	case Unspecified:
		return "unspecified"
	}
	return fmt.Sprintf("unknown sleep state %d", int(s))
}

// SleepSpan is one span of a single sleep state.
type SleepSpan struct {
	Start, End time.Time
	State      SleepState
	Model      int
}

type sleepQuery struct {
	Action string `url:"action"`
	Start  int64  `url:"startdate"`
	End    int64  `url:"enddate"`
}

func (q sleepQuery) action() string { return q.Action }

// Sleep returns the sleep states from start to end (v2/sleep get), sorted
// by time. The API cuts a call at 24 hours, so a longer range is split
// into 24-hour calls.
func (c *Client) Sleep(ctx context.Context, start, end time.Time) ([]SleepSpan, error) {
	if err := checkRange("Sleep", start, end); err != nil {
		return nil, err
	}
	var out []SleepSpan
	for a, b := range windows(start, end, MaxWindow) {
		var body struct {
			Model  int `json:"model"`
			Series []struct {
				Start epoch      `json:"startdate"`
				End   epoch      `json:"enddate"`
				State SleepState `json:"state"`
				Model int        `json:"model"`
			} `json:"series"`
		}
		if _, err := c.do(ctx, &wearkit.Request{Path: "v2/sleep", Query: &sleepQuery{Action: "get", Start: a.Unix(), End: b.Unix()}}, &body); err != nil {
			return nil, err
		}
		for _, s := range body.Series {
			m := s.Model
			if m == 0 {
				m = body.Model
			}
			out = append(out, SleepSpan{Start: s.Start.time(), End: s.End.time(), State: s.State, Model: m})
		}
	}
	slices.SortStableFunc(out, func(x, y SleepSpan) int { return x.Start.Compare(y.Start) })
	return slices.CompactFunc(out, func(x, y SleepSpan) bool { return x == y }), nil
}

// SleepSummary is one night (v2/sleep getsummary).
type SleepSummary struct {
	ID         int64     `json:"id"`
	Date       Date      `json:"date"`
	Timezone   string    `json:"timezone"`
	Model      int       `json:"model"`
	Start, End time.Time `json:"-"`
	Modified   time.Time `json:"-"`
	Data       SleepData `json:"-"`
}

// SleepData holds a night's figures.
type SleepData struct {
	Awake, Light, Deep, REM time.Duration
	// ToSleep is the time awake before the first sleep, ToWakeUp after
	// the last.
	ToSleep, ToWakeUp time.Duration
	WakeUpCount       int
	// Score is 0..100, 0 when not computed.
	Score int
	// HRAverage, HRMin and HRMax are in bpm; 0 when not measured.
	HRAverage, HRMin, HRMax int
}

// UnmarshalJSON decodes times and durations.
func (s *SleepSummary) UnmarshalJSON(b []byte) error {
	type plain SleepSummary
	var w struct {
		plain
		Start    epoch `json:"startdate"`
		End      epoch `json:"enddate"`
		Modified epoch `json:"modified"`
		Data     struct {
			Wake      float64 `json:"wakeupduration"`
			Light     float64 `json:"lightsleepduration"`
			Deep      float64 `json:"deepsleepduration"`
			REM       float64 `json:"remsleepduration"`
			ToSleep   float64 `json:"durationtosleep"`
			ToWake    float64 `json:"durationtowakeup"`
			Count     int     `json:"wakeupcount"`
			Score     int     `json:"sleep_score"`
			HRAverage int     `json:"hr_average"`
			HRMin     int     `json:"hr_min"`
			HRMax     int     `json:"hr_max"`
		} `json:"data"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*s = SleepSummary(w.plain)
	s.Start, s.End, s.Modified = w.Start.time(), w.End.time(), w.Modified.time()
	d := w.Data
	s.Data = SleepData{Awake: seconds(d.Wake), Light: seconds(d.Light), Deep: seconds(d.Deep), REM: seconds(d.REM),
		ToSleep: seconds(d.ToSleep), ToWakeUp: seconds(d.ToWake), WakeUpCount: d.Count, Score: d.Score,
		HRAverage: d.HRAverage, HRMin: d.HRMin, HRMax: d.HRMax}
	return nil
}

// Asleep is the light, deep and REM sleep of the night.
func (d SleepData) Asleep() time.Duration { return d.Light + d.Deep + d.REM }

// MaxSummaryDays is the longest range of one getsummary call.
const MaxSummaryDays = 7

// SleepSummaryOptions selects nights: a Start..End range of dates
// (inclusive; split into MaxSummaryDays calls) or LastUpdate.
type SleepSummaryOptions struct {
	Start, End Date
	LastUpdate time.Time
}

type summaryQuery struct {
	Action     string     `url:"action"`
	Start      Date       `url:"startdateymd"`
	End        Date       `url:"enddateymd"`
	LastUpdate unixOrZero `url:"lastupdate"`
	Offset     int        `url:"offset,omitempty"`
	DataFields string     `url:"data_fields"`
}

func (q summaryQuery) action() string { return q.Action }

// SleepSummaryPage is one answer of getsummary.
type SleepSummaryPage struct {
	Nights     []SleepSummary
	NextOffset int
	Response   *wearkit.Response
}

// SleepSummariesPage fetches one page of v2/sleep getsummary for the range
// or lastupdate opts gives; a range is sent as it is (see SleepSummaries
// for one split into MaxSummaryDays).
func (c *Client) SleepSummariesPage(ctx context.Context, opts *SleepSummaryOptions, offset int) (*SleepSummaryPage, error) {
	if opts == nil || (opts.Start.IsZero() || opts.End.IsZero()) == opts.LastUpdate.IsZero() {
		return nil, fmt.Errorf("withings: SleepSummaryOptions: give Start and End, or LastUpdate")
	}
	if opts.End.Before(opts.Start) {
		return nil, fmt.Errorf("withings: SleepSummaryOptions: End %s is before Start %s", opts.End, opts.Start)
	}
	q := &summaryQuery{Action: "getsummary", Start: opts.Start, End: opts.End, LastUpdate: unixOrZero(opts.LastUpdate), Offset: offset,
		DataFields: "wakeupduration,lightsleepduration,deepsleepduration,remsleepduration,durationtosleep,durationtowakeup,wakeupcount,sleep_score,hr_average,hr_min,hr_max"}
	var body struct {
		page
		Series []SleepSummary `json:"series"`
	}
	meta, err := c.do(ctx, &wearkit.Request{Path: "v2/sleep", Query: q}, &body)
	if err != nil {
		return nil, err
	}
	next, err := body.next()
	if err != nil {
		return nil, err
	}
	return &SleepSummaryPage{Nights: body.Series, NextOffset: next, Response: meta}, nil
}

// SleepSummaries returns every night opts selects, following the offset
// pages; a date range longer than MaxSummaryDays is split into calls of
// MaxSummaryDays days.
func (c *Client) SleepSummaries(ctx context.Context, opts *SleepSummaryOptions) iter.Seq2[SleepSummary, error] {
	return func(yield func(SleepSummary, error) bool) {
		var parts []SleepSummaryOptions
		switch {
		case opts == nil:
			_, err := c.SleepSummariesPage(ctx, opts, 0)
			yield(SleepSummary{}, err)
			return
		case opts.LastUpdate.IsZero() && !opts.Start.IsZero() && !opts.End.IsZero() && !opts.End.Before(opts.Start):
			for a := opts.Start; !opts.End.Before(a); a = a.AddDays(MaxSummaryDays) {
				b := a.AddDays(MaxSummaryDays - 1)
				if opts.End.Before(b) {
					b = opts.End
				}
				parts = append(parts, SleepSummaryOptions{Start: a, End: b})
			}
		default:
			parts = []SleepSummaryOptions{*opts}
		}
		for i := range parts {
			part := &parts[i]
			for n, err := range rest.Pages(0, func(offset int) ([]SleepSummary, int, error) {
				p, err := c.SleepSummariesPage(ctx, part, offset)
				if err != nil {
					return nil, 0, err
				}
				return p.Nights, p.NextOffset, nil
			}) {
				if !yield(n, err) || err != nil {
					return
				}
			}
		}
	}
}
