package polartest

import (
	"fmt"
	"math"
	"time"

	"github.com/wearkit/wearkit/analytics"
	"github.com/wearkit/wearkit/wearkittest"
)

// Today is the fake's "today" for its data: every data set ends on this
// day, and day windows (days=N: rows dated on or after Today - N days),
// baselines, patterns and insights are computed as of it, whatever the
// clock says. The clock dates rate-limit windows and generated_at.
var Today = time.Date(2026, 1, 13, 0, 0, 0, 0, time.UTC)

// Seeded users. UserID and SecondUserID have 91 days of data (Today - 90
// to Today), NewUserID the last 5, so its insights are "unavailable".
// SecondUserID's last night (Today) was bad: HRV at 55 % of what the
// generator gave, resting heart rate 7 bpm higher, sleep score 30 lower,
// so its anomalies and observations are not empty.
const (
	UserID       = "12345"
	SecondUserID = "athlete_2"
	NewUserID    = "new-user"
)

// Seed returns the wearkittest.PersonConfig seed of a seeded user, 0 for
// another id.
func Seed(userID string) uint64 {
	switch userID {
	case UserID:
		return 12345
	case SecondUserID:
		return 2026
	case NewUserID:
		return 7
	}
	return 0
}

// daySummary is the part of wearkittest.DaySummary the fake uses, as
// gen_dataset.go writes it (Unix seconds, seconds, bpm, ms, kg, TRIMP).
type daySummary struct {
	date, bed, wake                 int64
	asleep, light, deep, rem, awake int64
	score                           int
	restingHR, rmssd                float64
	steps                           int
	active                          int64
	weight, load                    float64
}

// day is one day of a user's data, in the server's tables. A nil number is
// a null column.
type day struct {
	date time.Time
	sum  daySummary
	// sleep
	sleepScore, totalH, deepH, remH, lightH, sleepHRV, sleepHR, breathing, skinTemp *float64
	// recharge
	rechargeHRV, ansCharge, rechargeHR, beatToBeat *float64
	ansStatus, nightlyStatus                       int
	// activity
	steps, calActive, calTotal, distance, activeMin, activityScore *float64
	// cardio load
	strain, tolerance, load, ratio *float64
	loadStatus                     string
	// heart rate
	hrMin, hrAvg, hrMax float64
	exercise            *exercise
}

type exercise struct {
	uuid      string
	number    int
	polarID   string
	start     time.Time
	sport     string
	minutes   float64
	distance  float64
	calories  float64
	avgHR     float64
	maxHR     float64
	load      float64
	hasRoute  bool
	cadence   float64
	ascent    float64
	speedKmh  float64
	runIndex  float64
	zoneSecs  [5]float64
	zoneLimit [6]float64
}

type user struct {
	id     string
	person *wearkittest.Person
	days   []day // oldest first
	an     analytics.Analysis
	series analytics.Series
	// table series for the day counts
	sleepPts, rechargePts, activityPts, cardioPts []analytics.Point
}

func ptr(v float64) *float64 { return &v }

func round(v float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(v*p) / p
}

// noise is a deterministic value in [-1, 1) for (user, day, tag).
func noise(seed uint64, i int, tag uint64) float64 {
	x := seed*0x9E3779B97F4A7C15 ^ uint64(i+1)*0xBF58476D1CE4E5B9 ^ tag*0x94D049BB133111EB
	x ^= x >> 31
	x *= 0xD6E8FEB86989FD5F
	x ^= x >> 29
	return float64(x>>11)*0x1p-52 - 1
}

func buildUser(id string, rows []daySummary) (*user, error) {
	seed := Seed(id)
	p, err := wearkittest.NewPerson(wearkittest.PersonConfig{Seed: seed})
	if err != nil {
		return nil, fmt.Errorf("polartest: user %s: %w", id, err)
	}
	u := &user{id: id, person: p}
	var meanHRV float64
	for _, r := range rows {
		meanHRV += r.rmssd / float64(len(rows))
	}
	for i, r := range rows {
		if id == SecondUserID && i == len(rows)-1 {
			// A bad last night (late, short, restless), so this user's
			// anomalies and insights have something to say.
			r.rmssd *= 0.55
			r.restingHR += 7
			r.score -= 30
		}
		d := day{date: time.Unix(r.date, 0).UTC(), sum: r}
		h := func(secs int64) *float64 {
			if secs == 0 {
				return nil
			}
			return ptr(round(float64(secs)/3600, 2))
		}
		d.sleepScore = ptr(float64(r.score))
		d.totalH, d.deepH, d.remH, d.lightH = h(r.asleep), h(r.deep), h(r.rem), h(r.light)
		d.sleepHRV = ptr(round(r.rmssd, 1))
		d.sleepHR = ptr(round(r.restingHR+3.2, 1))
		d.breathing = ptr(round(13.5+1.5*noise(seed, i, 1), 1))
		d.skinTemp = ptr(round(33.6+0.4*noise(seed, i, 2), 2))
		// One night in 13 the watch was off: the recharge row has nulls.
		if noise(seed, i, 3) > 1-2.0/13 {
			d.ansStatus, d.nightlyStatus = 0, 0
		} else {
			d.rechargeHRV = ptr(round(r.rmssd, 1))
			d.rechargeHR = ptr(round(r.restingHR, 1))
			d.beatToBeat = ptr(round(60000/r.restingHR, 0))
			charge := round(10*(r.rmssd-meanHRV)/meanHRV+2*noise(seed, i, 4), 1)
			d.ansCharge = ptr(charge)
			d.ansStatus = int(math.Max(-3, math.Min(3, math.Round(charge/1.2))))
			d.nightlyStatus = 3 + d.ansStatus/2 + int(math.Round(noise(seed, i, 5)))
		}
		steps := float64(r.steps)
		d.steps = ptr(steps)
		d.calActive = ptr(round(steps*0.04+r.load*1.5, 0))
		d.calTotal = ptr(round(1550+steps*0.04+r.load*1.5, 0))
		d.distance = ptr(round(steps*0.00074, 2))
		d.activeMin = ptr(round(float64(r.active)/60, 1))
		d.activityScore = ptr(math.Min(100, round(steps/130, 0)))
		d.hrMin = round(r.restingHR-2.5, 0)
		d.hrAvg = round(r.restingHR+17, 0)
		d.hrMax = round(115+r.load/2.2, 0)
		if r.load > 150 && i%2 == 0 {
			d.exercise = makeExercise(seed, i, d, r)
		}
		u.days = append(u.days, d)
	}
	// Cardio load: strain is the 7-day mean load, tolerance the 28-day
	// mean, their ratio the acute:chronic ratio.
	for i := range u.days {
		var acute, chronic float64
		var na, nc int
		for j := max(0, i-27); j <= i; j++ {
			chronic += u.days[j].sum.load
			nc++
			if j > i-7 {
				acute += u.days[j].sum.load
				na++
			}
		}
		d := &u.days[i]
		d.load = ptr(d.sum.load)
		if nc >= 7 {
			d.strain, d.tolerance = ptr(round(acute/float64(na), 1)), ptr(round(chronic/float64(nc), 1))
			ratio := round(*d.strain / *d.tolerance, 2)
			d.ratio = &ratio
			switch {
			case ratio < 0.8:
				d.loadStatus = "DETRAINING"
			case ratio < 1.3:
				d.loadStatus = "PRODUCTIVE"
			default:
				d.loadStatus = "OVERREACHING"
			}
		} else {
			// Polar sends -1 while it has too little history.
			d.ratio = ptr(-1)
			d.loadStatus = "NOT_AVAILABLE"
		}
	}
	u.analyse()
	return u, nil
}

func makeExercise(seed uint64, i int, d day, r daySummary) *exercise {
	x := noise(seed, i, 9)
	e := &exercise{number: i + 1, load: round(r.load*0.6, 1)}
	e.uuid = fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", uint32(seed)^uint32(i)*2654435761, i, uint16(seed)&0xfff, i&0xfff, uint64(r.date)&0xffffffffffff)
	e.polarID = fmt.Sprintf("pe%d%04d", seed%1000, i)
	e.start = d.date.Add(17*time.Hour + 30*time.Minute)
	if x > 0.3 {
		e.sport, e.speedKmh, e.cadence = "CYCLING", round(26+4*x, 1), round(85+5*x, 0)
	} else {
		e.sport, e.speedKmh, e.cadence = "RUNNING", round(10.5+1.5*x, 1), round(168+6*x, 0)
	}
	e.minutes = round(35+20*math.Abs(x), 1)
	e.distance = round(e.speedKmh*e.minutes/60, 2)
	e.avgHR = round(140+10*x, 0)
	e.maxHR = e.avgHR + 24
	e.calories = round(e.minutes*11, 0)
	e.hasRoute = x > -0.5
	e.ascent = round(40+30*x, 0)
	e.runIndex = round(48+4*x, 0)
	total := e.minutes * 60
	for z, f := range []float64{0.05, 0.15, 0.4, 0.3, 0.1} {
		e.zoneSecs[z] = round(total*f, 0)
	}
	for z := range e.zoneLimit {
		e.zoneLimit[z] = float64(95 + 19*z)
	}
	return e
}

// analyse computes the server's analytics over the user's rows with the
// analytics package, as of Today.
func (u *user) analyse() {
	val := func(p *float64) float64 {
		if p == nil {
			return math.NaN()
		}
		return *p
	}
	var s analytics.Series
	for _, d := range u.days {
		pt := func(v *float64) analytics.Point { return analytics.Point{Date: d.date, Value: val(v)} }
		s.HRV = append(s.HRV, pt(d.rechargeHRV))
		s.SleepScore = append(s.SleepScore, pt(d.sleepScore))
		s.RestingHR = append(s.RestingHR, pt(d.rechargeHR))
		s.TrainingLoad = append(s.TrainingLoad, pt(d.load))
		s.TrainingLoadRatio = append(s.TrainingLoadRatio, pt(d.ratio))
		u.sleepPts = append(u.sleepPts, pt(d.sleepScore))
		u.rechargePts = append(u.rechargePts, pt(d.rechargeHRV))
		u.activityPts = append(u.activityPts, pt(d.steps))
		u.cardioPts = append(u.cardioPts, pt(d.load))
	}
	u.series = s
	u.an = analytics.Analyze(s, Today)
}

// Points returns the dated values of one of the server's baseline metrics
// (hrv_rmssd from recharge, sleep_score from sleep, resting_hr from
// recharge, training_load and training_load_ratio from cardio load) for a
// seeded user, oldest first, a null row as NaN: the points the fake's
// analytics are computed from.
func Points(userID, metric string) []analytics.Point {
	u := loadUsers()[userID]
	if u == nil {
		return nil
	}
	switch metric {
	case analytics.MetricHRV:
		return append([]analytics.Point(nil), u.series.HRV...)
	case analytics.MetricSleepScore:
		return append([]analytics.Point(nil), u.series.SleepScore...)
	case analytics.MetricRestingHR:
		return append([]analytics.Point(nil), u.series.RestingHR...)
	case analytics.MetricTrainingLoad:
		return append([]analytics.Point(nil), u.series.TrainingLoad...)
	case analytics.MetricTrainingLoadRatio:
		return append([]analytics.Point(nil), u.series.TrainingLoadRatio...)
	}
	return nil
}
