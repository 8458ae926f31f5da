package wearkittest

import (
	"math"
	"time"
)

// DaySummary holds the daily figures other vendors report (Withings,
// Corsano, Polar, GeroSense), computed from the same intraday beats, steps
// and schedule that the fine-grained functions give, so they agree.
type DaySummary struct {
	// Date is local midnight starting the day, in the person's Location.
	Date time.Time
	// Bedtime and WakeTime bound the night that ends on this day's
	// morning; sleep figures describe that night, as most vendors date it.
	Bedtime, WakeTime time.Time
	// TimeInBed is WakeTime - Bedtime; Asleep is the light, deep and REM
	// sleep in it, AwakeInBed the rest.
	TimeInBed, Asleep, AwakeInBed time.Duration
	// LightSleep, DeepSleep and REMSleep split Asleep by stage.
	LightSleep, DeepSleep, REMSleep time.Duration
	// SleepScore is 0..100: half duration (4 h scores 0, 9 h full), a
	// quarter efficiency (Asleep / TimeInBed), a quarter deep and REM
	// share (45 % of Asleep scores full).
	SleepScore int
	// RestingHR is the lowest mean heart rate, in bpm, of the night's
	// five-minute clock windows (aligned to the Unix epoch, wholly in bed).
	RestingHR float64
	// NightlyRMSSD is the mean RMSSD, in ms, of the same windows, each
	// computed from the successive differences of the beats' RR intervals.
	NightlyRMSSD float64
	// Steps counts the steps between this midnight and the next.
	Steps int
	// ActiveTime is the time spent walking or running that day.
	ActiveTime time.Duration
	// WeightKg is the morning weight in kg: the configured weight with a
	// slow +-0.6 kg wave over weeks and +-0.25 kg day-to-day noise.
	WeightKg float64
	// TrainingLoad is Banister's TRIMP (arbitrary units) over the waking
	// day, from every beat's heart rate against resting and maximal rate.
	TrainingLoad float64
}

// Day computes the summary of the local day containing date. Cost: it
// generates the night's and the waking day's beats, about 100 000, in
// about 40 ms (BenchmarkDay); cache the result if you serve it often.
func (p *Person) Day(date time.Time) DaySummary {
	y, m, dd := date.In(p.loc).Date()
	d := time.Date(y, m, dd, 0, 0, 0, 0, time.UTC).Unix() / 86400
	mid, next := p.midnight(d), p.midnight(d+1)
	bed, wake := p.bedtime(d-1), p.waketime(d)
	ds := DaySummary{Date: toTime(mid), Bedtime: toTime(bed), WakeTime: toTime(wake)}
	ds.TimeInBed = time.Duration(math.Round((wake - bed) * 1e9))
	var light, deep, rem, awake float64
	for _, s := range p.night(d) {
		dur := s.end - s.start
		switch s.stage {
		case Light:
			light += dur
		case Deep:
			deep += dur
		case REM:
			rem += dur
		default:
			awake += dur
		}
	}
	dur := func(s float64) time.Duration { return time.Duration(math.Round(s * 1e9)) }
	asleep := light + deep + rem
	ds.LightSleep, ds.DeepSleep, ds.REMSleep = dur(light), dur(deep), dur(rem)
	ds.Asleep, ds.AwakeInBed = dur(asleep), dur(awake)
	score := 0.5*clamp((asleep-4*3600)/(5*3600), 0, 1) + 0.25*asleep/(wake-bed) + 0.25*clamp((deep+rem)/asleep/0.45, 0, 1)
	ds.SleepScore = int(math.Round(100 * score))

	// Night: five-minute windows wholly in bed.
	cur := p.newCursor(bed, next)
	g := p.newBeatGen(cur)
	ds.RestingHR = math.Inf(1)
	var sumRMSSD float64
	var windows int
	for w := math.Ceil(bed/300) * 300; w+300 <= wake; w += 300 {
		ev := g.window(w, w+300)
		if len(ev) < 3 {
			continue
		}
		var sum, sq float64
		for i, e := range ev {
			sum += e.back
			if i > 0 {
				dd := (e.back - ev[i-1].back) * 1000
				sq += dd * dd
			}
		}
		ds.RestingHR = math.Min(ds.RestingHR, 60*float64(len(ev))/sum)
		sumRMSSD += math.Sqrt(sq / float64(len(ev)-1))
		windows++
	}
	if windows > 0 {
		ds.NightlyRMSSD = sumRMSSD / float64(windows)
	}

	// Day: training load from every beat while up, then steps.
	k, b := 0.86, 1.67
	if p.cfg.Sex == Male {
		k, b = 0.64, 1.92
	}
	rest := p.cfg.RestingHR
	var trimp float64
	for _, e := range g.window(wake, p.bedtime(d)) {
		hrr := clamp((60/e.back-rest)/(p.hrMax-rest), 0, 1)
		trimp += e.back / 60 * hrr * k * math.Exp(b*hrr)
	}
	ds.TrainingLoad = math.Round(trimp*10) / 10
	var active float64
	for _, s := range cur.spans {
		if s.cadence == 0 || s.end <= mid || s.start >= next {
			continue
		}
		active += math.Min(s.end, next) - math.Max(s.start, mid)
		p.stepsIn(&s, mid, next, func(float64) { ds.Steps++ })
	}
	ds.ActiveTime = dur(active)
	ds.WeightKg = p.Weight(toTime(mid))
	return ds
}

// Weight returns the morning body weight in kg of the local day containing
// date (see DaySummary.WeightKg), rounded to 0.1 kg as scales show it.
func (p *Person) Weight(date time.Time) float64 {
	y, m, dd := date.In(p.loc).Date()
	d := time.Date(y, m, dd, 0, 0, 0, 0, time.UTC).Unix() / 86400
	w := p.cfg.WeightKg + 0.6*math.Sin(2*math.Pi*float64(d)/45+p.weightPh) + 0.25*gauss(p.h(tagWeight, d, 2))
	return math.Round(w*10) / 10
}
