package withings

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"time"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/internal/rest"
)

// Activity is one day's activity summary (v2/measure getactivity).
type Activity struct {
	Date     Date   `json:"date"`
	Timezone string `json:"timezone"`
	DeviceID string `json:"deviceid"`
	Steps    int    `json:"steps"`
	// Distance is in meters, Elevation in meters climbed.
	Distance  float64 `json:"distance"`
	Elevation float64 `json:"elevation"`
	// Calories are the active kcal, TotalCalories all of them.
	Calories      float64 `json:"calories"`
	TotalCalories float64 `json:"totalcalories"`
	// Soft, Moderate and Intense are the time spent at each intensity.
	Soft, Moderate, Intense time.Duration `json:"-"`
	// HRAverage, HRMin and HRMax are in bpm, 0 when not measured.
	HRAverage float64 `json:"hr_average"`
	HRMin     float64 `json:"hr_min"`
	HRMax     float64 `json:"hr_max"`
}

// UnmarshalJSON decodes the durations, given in seconds.
func (a *Activity) UnmarshalJSON(b []byte) error {
	type plain Activity
	var w struct {
		plain
		Soft, Moderate, Intense float64
		DeviceID                json.RawMessage `json:"deviceid"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*a = Activity(w.plain)
	a.Soft, a.Moderate, a.Intense = seconds(w.Soft), seconds(w.Moderate), seconds(w.Intense)
	id, err := flexString(w.DeviceID)
	if err != nil {
		return fmt.Errorf("withings: activity %s: deviceid: %w", a.Date, err)
	}
	a.DeviceID = id
	return nil
}

func seconds(f float64) time.Duration { return time.Duration(f * float64(time.Second)) }

// ActivityOptions selects activity days: one Date, a Start..End range of
// dates (inclusive), or LastUpdate (incremental sync). One of them is
// required.
type ActivityOptions struct {
	Date       Date
	Start, End Date
	LastUpdate time.Time
	// Offset starts at a page the API handed out.
	Offset int
}

type activityQuery struct {
	Action     string     `url:"action"`
	Date       Date       `url:"date"`
	Start      Date       `url:"startdateymd"`
	End        Date       `url:"enddateymd"`
	LastUpdate unixOrZero `url:"lastupdate"`
	Offset     int        `url:"offset,omitempty"`
	DataFields string     `url:"data_fields,omitempty"`
}

func (q activityQuery) action() string { return q.Action }

func (o *ActivityOptions) query(offset int) (*activityQuery, error) {
	if o == nil {
		return nil, fmt.Errorf("withings: ActivityOptions: nil; give a Date, a Start and End, or a LastUpdate")
	}
	set := 0
	if !o.Date.IsZero() {
		set++
	}
	if !o.Start.IsZero() || !o.End.IsZero() {
		if o.Start.IsZero() || o.End.IsZero() {
			return nil, fmt.Errorf("withings: ActivityOptions: Start and End go together")
		}
		if o.End.Before(o.Start) {
			return nil, fmt.Errorf("withings: ActivityOptions: End %s is before Start %s", o.End, o.Start)
		}
		set++
	}
	if !o.LastUpdate.IsZero() {
		set++
	}
	if set != 1 {
		return nil, fmt.Errorf("withings: ActivityOptions: give exactly one of Date, Start and End, or LastUpdate")
	}
	q := &activityQuery{Action: "getactivity", Date: o.Date, Start: o.Start, End: o.End, LastUpdate: unixOrZero(o.LastUpdate), Offset: offset,
		DataFields: "steps,distance,elevation,soft,moderate,intense,active,calories,totalcalories,hr_average,hr_min,hr_max"}
	if offset == 0 {
		q.Offset = o.Offset
	}
	return q, nil
}

// ActivityPage is one answer of getactivity.
type ActivityPage struct {
	Activities []Activity
	NextOffset int
	Response   *wearkit.Response
}

// ActivitiesPage fetches one page of v2/measure getactivity.
func (c *Client) ActivitiesPage(ctx context.Context, opts *ActivityOptions, offset int) (*ActivityPage, error) {
	q, err := opts.query(offset)
	if err != nil {
		return nil, err
	}
	var body struct {
		page
		Activities []Activity `json:"activities"`
		Date       *Date      `json:"date"` // the old single-day answer is the activity itself
	}
	var raw json.RawMessage
	meta, err := c.do(ctx, &wearkit.Request{Path: "v2/measure", Query: q}, &raw)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(raw, &body); err != nil {
		return nil, &wearkit.DecodeError{Vendor: "withings", Method: "GET", URL: c.url(&wearkit.Request{Path: "v2/measure", Query: q}), Response: meta, Err: err}
	}
	if body.Activities == nil && body.Date != nil {
		var a Activity
		if err := json.Unmarshal(raw, &a); err != nil {
			return nil, &wearkit.DecodeError{Vendor: "withings", Method: "GET", URL: c.url(&wearkit.Request{Path: "v2/measure", Query: q}), Response: meta, Err: err}
		}
		body.Activities = []Activity{a}
	}
	next, err := body.next()
	if err != nil {
		return nil, err
	}
	return &ActivityPage{Activities: body.Activities, NextOffset: next, Response: meta}, nil
}

// Activities returns every activity day opts selects, following the
// offset pages.
func (c *Client) Activities(ctx context.Context, opts *ActivityOptions) iter.Seq2[Activity, error] {
	return rest.Pages(0, func(offset int) ([]Activity, int, error) {
		p, err := c.ActivitiesPage(ctx, opts, offset)
		if err != nil {
			return nil, 0, err
		}
		return p.Activities, p.NextOffset, nil
	})
}

// IntradayPoint is one interval of intraday activity. Fields the device
// did not measure are 0.
type IntradayPoint struct {
	Time     time.Time
	Duration time.Duration
	Steps    int
	// Distance and Elevation are in meters, Calories in kcal.
	Distance, Elevation, Calories float64
	// HeartRate is in bpm.
	HeartRate int
	Strokes   int
	PoolLaps  int
	DeviceID  string
}

type intradayWire struct {
	Steps     int             `json:"steps"`
	Duration  float64         `json:"duration"`
	Distance  float64         `json:"distance"`
	Elevation float64         `json:"elevation"`
	Calories  float64         `json:"calories"`
	HeartRate int             `json:"heart_rate"`
	Strokes   int             `json:"strokes"`
	PoolLap   int             `json:"pool_lap"`
	DeviceID  json.RawMessage `json:"deviceid"`
}

// MaxWindow is the longest span of one intraday activity or sleep get
// call: the API cuts a longer one to 24 hours.
const MaxWindow = 24 * time.Hour

type intradayQuery struct {
	Action     string `url:"action"`
	Start      int64  `url:"startdate"`
	End        int64  `url:"enddate"`
	DataFields string `url:"data_fields"`
}

func (q intradayQuery) action() string { return q.Action }

// IntradayActivity returns the intraday activity from start to end,
// sorted by time. The API cuts a call at 24 hours, so a longer range is
// split into 24-hour calls made one after the other.
func (c *Client) IntradayActivity(ctx context.Context, start, end time.Time) ([]IntradayPoint, error) {
	if err := checkRange("IntradayActivity", start, end); err != nil {
		return nil, err
	}
	var out []IntradayPoint
	for a, b := range windows(start, end, MaxWindow) {
		var body struct {
			Series json.RawMessage `json:"series"`
		}
		q := &intradayQuery{Action: "getintradayactivity", Start: a.Unix(), End: b.Unix(), DataFields: "steps,elevation,calories,distance,stroke,pool_lap,duration,heart_rate"}
		if _, err := c.do(ctx, &wearkit.Request{Path: "v2/measure", Query: q}, &body); err != nil {
			return nil, err
		}
		pts, err := decodeSeries(body.Series)
		if err != nil {
			return nil, err
		}
		out = append(out, pts...)
	}
	slices.SortStableFunc(out, func(x, y IntradayPoint) int { return x.Time.Compare(y.Time) })
	// Windows share their edges: a point on one is sent twice.
	return slices.CompactFunc(out, func(x, y IntradayPoint) bool { return x.Time.Equal(y.Time) && x.DeviceID == y.DeviceID }), nil
}

// decodeSeries reads the intraday series: an object keyed by Unix
// seconds (an empty answer may be [] instead).
func decodeSeries(raw json.RawMessage) ([]IntradayPoint, error) {
	if len(raw) == 0 || string(raw) == "null" || string(raw) == "[]" {
		return nil, nil
	}
	var m map[string]intradayWire
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("withings: intraday series: %w", err)
	}
	out := make([]IntradayPoint, 0, len(m))
	for k, w := range m {
		sec, err := strconv.ParseInt(k, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("withings: intraday series: key %q is not Unix seconds", k)
		}
		id, err := flexString(w.DeviceID)
		if err != nil {
			return nil, fmt.Errorf("withings: intraday series at %s: deviceid: %w", k, err)
		}
		out = append(out, IntradayPoint{Time: time.Unix(sec, 0).UTC(), Duration: seconds(w.Duration), Steps: w.Steps,
			Distance: w.Distance, Elevation: w.Elevation, Calories: w.Calories, HeartRate: w.HeartRate,
			Strokes: w.Strokes, PoolLaps: w.PoolLap, DeviceID: id})
	}
	return out, nil
}

func checkRange(call string, start, end time.Time) error {
	if start.IsZero() || end.IsZero() {
		return fmt.Errorf("withings: %s: start and end are required", call)
	}
	if !end.After(start) {
		return fmt.Errorf("withings: %s: end %v is not after start %v", call, end, start)
	}
	return nil
}

// windows cuts [start, end] into spans of at most w, on whole seconds (the
// API's resolution): start's second to the second at or after end, so no
// span is shorter than a second (one would go out with startdate equal to
// enddate, which the API refuses) and none of the range is left out.
func windows(start, end time.Time, w time.Duration) iter.Seq2[time.Time, time.Time] {
	return func(yield func(time.Time, time.Time) bool) {
		first, last := start.Unix(), end.Unix()
		if end.Nanosecond() != 0 {
			last++
		}
		step := max(int64(w/time.Second), 1)
		for a := first; a < last; {
			b := last
			if last-a > step { // never a+step: it could overflow
				b = a + step
			}
			if !yield(time.Unix(a, 0).UTC(), time.Unix(b, 0).UTC()) {
				return
			}
			a = b
		}
	}
}

// WorkoutCategory is the sport of a workout. It is open: an unknown
// category decodes to its number, and its String says so.
type WorkoutCategory int

// Workout categories.
const (
	WorkoutWalk          WorkoutCategory = 1
	WorkoutRun           WorkoutCategory = 2
	WorkoutHiking        WorkoutCategory = 3
	WorkoutSkating       WorkoutCategory = 4
	WorkoutBMX           WorkoutCategory = 5
	WorkoutBicycling     WorkoutCategory = 6
	WorkoutSwimming      WorkoutCategory = 7
	WorkoutSurfing       WorkoutCategory = 8
	WorkoutTennis        WorkoutCategory = 12
	WorkoutWeights       WorkoutCategory = 16
	WorkoutElliptical    WorkoutCategory = 18
	WorkoutPilates       WorkoutCategory = 19
	WorkoutBasketball    WorkoutCategory = 20
	WorkoutSoccer        WorkoutCategory = 21
	WorkoutGolf          WorkoutCategory = 27
	WorkoutYoga          WorkoutCategory = 28
	WorkoutDancing       WorkoutCategory = 29
	WorkoutBoxing        WorkoutCategory = 30
	WorkoutSkiing        WorkoutCategory = 34
	WorkoutSnowboarding  WorkoutCategory = 35
	WorkoutOther         WorkoutCategory = 36
	WorkoutRowing        WorkoutCategory = 187
	WorkoutIndoorWalk    WorkoutCategory = 306
	WorkoutIndoorRunning WorkoutCategory = 307
	WorkoutIndoorCycling WorkoutCategory = 308
)

var workoutNames = map[WorkoutCategory]string{
	WorkoutWalk: "walk", WorkoutRun: "run", WorkoutHiking: "hiking", WorkoutSkating: "skating", WorkoutBMX: "BMX",
	WorkoutBicycling: "bicycling", WorkoutSwimming: "swimming", WorkoutSurfing: "surfing", WorkoutTennis: "tennis",
	WorkoutWeights: "weights", WorkoutElliptical: "elliptical", WorkoutPilates: "pilates", WorkoutBasketball: "basketball",
	WorkoutSoccer: "soccer", WorkoutGolf: "golf", WorkoutYoga: "yoga", WorkoutDancing: "dancing", WorkoutBoxing: "boxing",
	WorkoutSkiing: "skiing", WorkoutSnowboarding: "snowboarding", WorkoutOther: "other", WorkoutRowing: "rowing",
	WorkoutIndoorWalk: "indoor walk", WorkoutIndoorRunning: "indoor running", WorkoutIndoorCycling: "indoor cycling",
}

// String names the category, or says it is unknown.
func (w WorkoutCategory) String() string {
	if n, ok := workoutNames[w]; ok {
		return n
	}
	return fmt.Sprintf("unknown workout category %d", int(w))
}

// Workout is one workout session (v2/measure getworkouts).
type Workout struct {
	ID         int64           `json:"id"`
	Category   WorkoutCategory `json:"category"`
	Start, End time.Time       `json:"-"`
	Date       Date            `json:"date"`
	Timezone   string          `json:"timezone"`
	Model      int             `json:"model"`
	DeviceID   string          `json:"-"`
	Data       WorkoutData     `json:"data"`
}

// WorkoutData holds a workout's figures; fields not measured are 0.
type WorkoutData struct {
	Calories  float64 `json:"calories"`
	Steps     int     `json:"steps"`
	Distance  float64 `json:"distance"`  // m
	Elevation float64 `json:"elevation"` // m
	HRAverage int     `json:"hr_average"`
	HRMin     int     `json:"hr_min"`
	HRMax     int     `json:"hr_max"`
}

// UnmarshalJSON decodes the Unix-second times.
func (w *Workout) UnmarshalJSON(b []byte) error {
	type plain Workout
	var x struct {
		plain
		Start    epoch           `json:"startdate"`
		End      epoch           `json:"enddate"`
		DeviceID json.RawMessage `json:"deviceid"`
	}
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	*w = Workout(x.plain)
	w.Start, w.End = x.Start.time(), x.End.time()
	id, err := flexString(x.DeviceID)
	if err != nil {
		return fmt.Errorf("withings: workout %d: deviceid: %w", w.ID, err)
	}
	w.DeviceID = id
	return nil
}

// WorkoutOptions selects workouts: a Start..End range of dates or
// LastUpdate (one is required).
type WorkoutOptions struct {
	Start, End Date
	LastUpdate time.Time
	Offset     int
}

type workoutQuery struct {
	Action     string     `url:"action"`
	Start      Date       `url:"startdateymd"`
	End        Date       `url:"enddateymd"`
	LastUpdate unixOrZero `url:"lastupdate"`
	Offset     int        `url:"offset,omitempty"`
	DataFields string     `url:"data_fields"`
}

func (q workoutQuery) action() string { return q.Action }

func (o *WorkoutOptions) query(offset int) (*workoutQuery, error) {
	if o == nil || (o.Start.IsZero() || o.End.IsZero()) == o.LastUpdate.IsZero() {
		return nil, fmt.Errorf("withings: WorkoutOptions: give Start and End, or LastUpdate")
	}
	if o.End.Before(o.Start) {
		return nil, fmt.Errorf("withings: WorkoutOptions: End %s is before Start %s", o.End, o.Start)
	}
	q := &workoutQuery{Action: "getworkouts", Start: o.Start, End: o.End, LastUpdate: unixOrZero(o.LastUpdate), Offset: offset,
		DataFields: "calories,steps,distance,elevation,hr_average,hr_min,hr_max"}
	if offset == 0 {
		q.Offset = o.Offset
	}
	return q, nil
}

// WorkoutPage is one answer of getworkouts.
type WorkoutPage struct {
	Workouts   []Workout
	NextOffset int
	Response   *wearkit.Response
}

// WorkoutsPage fetches one page of v2/measure getworkouts.
func (c *Client) WorkoutsPage(ctx context.Context, opts *WorkoutOptions, offset int) (*WorkoutPage, error) {
	q, err := opts.query(offset)
	if err != nil {
		return nil, err
	}
	var body struct {
		page
		Series []Workout `json:"series"`
	}
	meta, err := c.do(ctx, &wearkit.Request{Path: "v2/measure", Query: q}, &body)
	if err != nil {
		return nil, err
	}
	next, err := body.next()
	if err != nil {
		return nil, err
	}
	return &WorkoutPage{Workouts: body.Series, NextOffset: next, Response: meta}, nil
}

// Workouts returns every workout opts selects, following the offset pages.
func (c *Client) Workouts(ctx context.Context, opts *WorkoutOptions) iter.Seq2[Workout, error] {
	return rest.Pages(0, func(offset int) ([]Workout, int, error) {
		p, err := c.WorkoutsPage(ctx, opts, offset)
		if err != nil {
			return nil, 0, err
		}
		return p.Workouts, p.NextOffset, nil
	})
}
