package wearkittest

import (
	"fmt"
	"math"
	"sort"
	"time"
)

// Activity is what the person is doing.
type Activity int

// Activities of the daily schedule.
const (
	// InBed is the night: asleep, or awake in bed (see SleepStage).
	InBed Activity = iota
	// Sitting is desk work and evenings on the sofa.
	Sitting
	// Standing is light activity: morning routine, cooking, short breaks.
	Standing
	// Walking is a commute or a walk, with steps.
	Walking
	// Running is a training run, with steps.
	Running
)

// String names the activity.
func (a Activity) String() string {
	switch a {
	case InBed:
		return "in bed"
	case Sitting:
		return "sitting"
	case Standing:
		return "standing"
	case Walking:
		return "walking"
	case Running:
		return "running"
	}
	return fmt.Sprintf("Activity(%d)", int(a))
}

// SleepStage is the sleep stage; anyone out of bed is Awake.
type SleepStage int

// Sleep stages, as a hypnogram of 30 s epochs would score them (light is
// N1 and N2, deep is N3).
const (
	Awake SleepStage = iota
	Light
	Deep
	REM
)

// String names the stage.
func (s SleepStage) String() string {
	switch s {
	case Awake:
		return "awake"
	case Light:
		return "light"
	case Deep:
		return "deep"
	case REM:
		return "REM"
	}
	return fmt.Sprintf("SleepStage(%d)", int(s))
}

// HexoskinCode is the value of Hexoskin's sleep_phase channel (datatype
// 280): 6 wake, 5 REM, 2 NREM (light and deep alike).
func (s SleepStage) HexoskinCode() int {
	switch s {
	case REM:
		return 5
	case Light, Deep:
		return 2
	}
	return 6
}

// Segment is one stretch of the schedule with a constant activity and sleep
// stage. Segments are returned whole, not clipped to the span asked for.
type Segment struct {
	Start, End time.Time
	Activity   Activity
	// Stage is the sleep stage; Awake outside InBed.
	Stage SleepStage
	// Cadence is the step rate in steps per minute while Walking or
	// Running, 0 otherwise.
	Cadence float64
}

// Timeline returns the segments of the schedule that overlap [start, end).
func (p *Person) Timeline(start, end time.Time) []Segment {
	a, b := secs(start), secs(end)
	if !(b > a) {
		return nil
	}
	var out []Segment
	for _, s := range p.timeline(a, b) {
		if s.end > a && s.start < b {
			out = append(out, Segment{Start: toTime(s.start), End: toTime(s.end), Activity: s.act, Stage: s.stage, Cadence: s.cadence})
		}
	}
	return out
}

// state combines activity and sleep stage; it indexes the tables below.
type state int

const (
	stAwakeBed state = iota
	stLight
	stDeep
	stREM
	stSitting
	stStanding
	stWalking
	stRunning
	nStates
)

func (s state) activity() (Activity, SleepStage) {
	switch s {
	case stLight:
		return InBed, Light
	case stDeep:
		return InBed, Deep
	case stREM:
		return InBed, REM
	case stAwakeBed:
		return InBed, Awake
	case stSitting:
		return Sitting, Awake
	case stStanding:
		return Standing, Awake
	case stWalking:
		return Walking, Awake
	}
	return Running, Awake
}

// Per-state physiology: heart rate above resting (bpm), respiratory sinus
// arrhythmia amplitude and beat-to-beat noise (ms, before the vagal
// factors), breathing rate (/min), tidal volume (ml/kg), ECG noise (mV).
var (
	hrOffset = [nStates]float64{11.5, 6, 4, 10, 14, 24, 42, 95}
	rsaMs    = [nStates]float64{28, 36, 42, 26, 30, 26, 20, 5}
	noiseMs  = [nStates]float64{16, 17, 18, 20, 17, 17, 18, 5}
	brRate   = [nStates]float64{15, 14, 13, 16, 15, 16, 20, 30}
	brCV     = [nStates]float64{0.10, 0.06, 0.05, 0.15, 0.10, 0.10, 0.07, 0.06}
	vtPerKg  = [nStates]float64{7, 6.8, 6.5, 6.5, 7.5, 8.5, 14, 25}
	ecgNoise = [nStates]float64{0.012, 0.01, 0.01, 0.01, 0.012, 0.016, 0.025, 0.04}
)

const nLevels = 3 // heart rate offset (bpm), breathing rate (/min), tidal volume (ml)

// span is one segment of the internal timeline, with the levels the body
// had when it started, so a level at any time is a closed form.
type span struct {
	start, end float64
	st         state
	act        Activity
	stage      SleepStage
	mid        float64 // local midnight (Unix s) of the day the span's plan belongs to
	night      int64   // day number whose night this is (InBed only)
	posture    int     // 0 upright, 1 supine, 2 left, 3 right, 4 sitting
	cadence    float64 // steps/min
	lv0, tg    [nLevels]float64
}

func (p *Person) targets(s state) [nLevels]float64 {
	return [nLevels]float64{hrOffset[s], brRate[s] * p.brFactor, vtPerKg[s] * p.cfg.WeightKg * p.vtFactor}
}

var tau = [nLevels]float64{30, 40, 40}

// level returns level j of the span at time t (t within the span).
func (s *span) level(j int, t float64) float64 {
	d := s.lv0[j] - s.tg[j]
	tc := tau[j]
	if j == 0 && d > 0 {
		tc = 60 // heart rate recovers more slowly than it rises
	}
	return s.tg[j] + d*math.Exp(-(t-s.start)/tc)
}

func (s *span) endLevels() [nLevels]float64 {
	var l [nLevels]float64
	for j := range l {
		l[j] = s.level(j, s.end)
	}
	return l
}

// Days are numbered by their local date: days since 1970-01-01.

func (p *Person) dayOf(t float64) int64 {
	y, m, d := time.Unix(int64(math.Floor(t)), 0).In(p.loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

func (p *Person) midnight(day int64) float64 {
	y, m, d := time.Unix(day*86400, 0).UTC().Date()
	return float64(time.Date(y, m, d, 0, 0, 0, 0, p.loc).Unix())
}

func weekday(day int64) time.Weekday { return time.Unix(day*86400, 0).UTC().Weekday() }

// bedtime is when the person goes to bed on the evening of day.
func (p *Person) bedtime(day int64) float64 {
	h := 22.4 + 1.2*p.u(tagBed, day, 0)
	if wd := weekday(day); wd == time.Friday || wd == time.Saturday {
		h += 0.6
	}
	return p.midnight(day) + h*3600
}

// waketime is when the person gets up on the morning of day.
func (p *Person) waketime(day int64) float64 {
	h := 6.5 + 0.8*p.u(tagWake, day, 0)
	if wd := weekday(day); wd == time.Saturday || wd == time.Sunday {
		h += 1.3
	}
	return p.midnight(day) + h*3600
}

// night builds the night ending on the morning of day: from the bedtime of
// day-1 to the waketime of day.
func (p *Person) night(day int64) []span {
	bed, wake := p.bedtime(day-1), p.waketime(day)
	mid := p.midnight(day)
	var out []span
	lv := p.targets(stSitting)
	t := bed
	n := int64(0)
	posture := 1
	r := func() float64 { n++; return p.u(tagNight, day, n) }
	add := func(st state, dur float64) {
		if t >= wake || dur <= 0 {
			return
		}
		end := math.Min(t+dur, wake)
		act, stage := st.activity()
		s := span{start: t, end: end, st: st, act: act, stage: stage, mid: mid, night: day, posture: posture, lv0: lv, tg: p.targets(st)}
		out = append(out, s)
		lv = s.endLevels()
		t = end
	}
	add(stAwakeBed, (8+17*r())*60)
	for c := 0; t < wake; c++ {
		posture = 1 + int(r()*3)
		cyc := (85 + 25*r()) * 60
		deep := math.Max(0, 45-13*float64(c)) * (0.7 + 0.6*r()) * 60
		rem := math.Min(45, 10+8*float64(c)) * (0.7 + 0.6*r()) * 60
		light := math.Max(cyc-deep-rem, 10*60)
		add(stLight, 0.55*light)
		add(stDeep, deep)
		add(stLight, 0.45*light)
		add(stREM, rem)
		if r() < 0.35 {
			add(stAwakeBed, (1+4*r())*60)
		}
	}
	return out
}

// dayPlan builds the waking day: from the waketime of day to its bedtime,
// starting from the levels lv the night left.
func (p *Person) dayPlan(day int64, lv [nLevels]float64) []span {
	wake, bed := p.waketime(day), p.bedtime(day)
	mid := p.midnight(day)
	stop := bed - 3600 // the last hour before bed is always spent sitting
	var out []span
	t := wake
	n := int64(0)
	r := func() float64 { n++; return p.u(tagDay, day, n) }
	push := func(st state, end float64) {
		act, stage := st.activity()
		s := span{start: t, end: end, st: st, act: act, stage: stage, mid: mid, lv0: lv, tg: p.targets(st)}
		switch st {
		case stSitting:
			s.posture = 4
		case stWalking:
			s.cadence = math.Round(p.walkCad * (1 + 0.03*(2*r()-1)))
		case stRunning:
			s.cadence = math.Round(p.runCad * (1 + 0.02*(2*r()-1)))
		}
		out = append(out, s)
		lv = s.endLevels()
		t = end
	}
	add := func(st state, dur float64) {
		if t >= stop || dur <= 0 {
			return
		}
		end := math.Min(t+dur, stop)
		if st != stSitting {
			push(st, end)
			return
		}
		// Long sitting is broken by short standing breaks.
		for t < end {
			chunk := (45 + 25*r()) * 60
			if end-t < chunk+10*60 {
				push(stSitting, end)
				break
			}
			push(stSitting, t+chunk)
			push(stStanding, t+(3+3*r())*60)
		}
	}
	until := func(st state, hour float64) { add(st, mid+hour*3600-t) }
	mins := func(lo, hi float64) float64 { return (lo + (hi-lo)*r()) * 60 }
	if wd := weekday(day); wd == time.Saturday || wd == time.Sunday {
		add(stStanding, mins(60, 90))
		if r() < 0.8 {
			add(stWalking, mins(45, 90))
		}
		add(stSitting, mins(60, 120))
		add(stStanding, mins(30, 60))
		if r() < 0.45 {
			add(stRunning, mins(30, 60))
		} else {
			add(stWalking, mins(20, 40))
		}
		add(stStanding, mins(40, 60))
	} else {
		add(stStanding, mins(35, 60))
		add(stWalking, mins(15, 25))
		until(stSitting, 12+0.5*r())
		if r() < 0.75 {
			add(stWalking, mins(20, 35))
		} else {
			add(stStanding, mins(25, 40))
		}
		until(stSitting, 17+0.75*r())
		add(stWalking, mins(15, 25))
		if r() < 0.4 {
			add(stRunning, mins(25, 45))
		}
		add(stStanding, mins(30, 50))
	}
	if t < bed {
		push(stSitting, bed)
	}
	return out
}

// timeline returns the spans, in order, of every night and day that
// overlaps [a, b].
func (p *Person) timeline(a, b float64) []span {
	d0, d1 := p.dayOf(a), p.dayOf(b)
	var out []span
	for d := d0; d <= d1; d++ {
		n := p.night(d)
		out = append(out, n...)
		out = append(out, p.dayPlan(d, n[len(n)-1].endLevels())...)
	}
	return append(out, p.night(d1+1)...)
}

// cursor finds the span of increasing (mostly) times in a timeline.
type cursor struct {
	spans []span
	i     int
}

func (c *cursor) at(t float64) *span {
	s := c.spans
	if c.i < len(s) && s[c.i].start <= t {
		for c.i+1 < len(s) && s[c.i].end <= t {
			c.i++
		}
		return &s[c.i]
	}
	c.i = sort.Search(len(s), func(i int) bool { return s[i].end > t })
	if c.i == len(s) {
		c.i = len(s) - 1
	}
	return &s[c.i]
}

// newCursor builds the timeline around [a, b] with a margin for the
// generators that look before and after.
func (p *Person) newCursor(a, b float64) *cursor {
	return &cursor{spans: p.timeline(a-2*blockLen, b+2*blockLen)}
}

// heartRateLevel is the heart rate (bpm) the body is driven to at t,
// before beat-to-beat variability.
func (p *Person) heartRateLevel(s *span, t float64) float64 {
	hour := (t - s.mid) / 3600
	circ := 3 * math.Cos(2*math.Pi*(hour-16)/24)
	drift := 2.5*p.smooth(tagHRDrift, t, 150) + 1.2*p.smooth(tagHRDrift2, t, 23) + 1.5*p.smooth(tagHRDrift, t, 1.3*86400)
	return p.cfg.RestingHR + s.level(0, t) + circ + drift
}
