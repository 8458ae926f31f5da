package wearkittest

import (
	"fmt"
	"math"
	"time"
)

// Sex selects the sex-specific constants of a Person (weight default,
// training-load weighting). The zero value lets the seed choose.
type Sex int

// Sexes a PersonConfig may name.
const (
	SexFromSeed Sex = iota
	Female
	Male
)

// String names the sex.
func (s Sex) String() string {
	switch s {
	case SexFromSeed:
		return "from seed"
	case Female:
		return "female"
	case Male:
		return "male"
	}
	return fmt.Sprintf("Sex(%d)", int(s))
}

// PersonConfig describes the simulated person. Zero fields take defaults,
// some of them drawn from the seed so that two seeds give two different
// people.
type PersonConfig struct {
	// Seed makes the person: the same seed gives the same values for any
	// time, on any machine.
	Seed uint64
	// Age in years (1..120); 0 means 35. Heart-rate variability falls and
	// maximal heart rate (208 - 0.7 x age, Tanaka) falls with age.
	Age int
	// Sex; SexFromSeed lets the seed choose.
	Sex Sex
	// WeightKg is the mean body weight in kg (20..300); 0 means about 63
	// (female) or 78 (male), varied by the seed.
	WeightKg float64
	// HeightCm is the height in cm (50..250); 0 means 165 (female) or 178
	// (male).
	HeightCm float64
	// RestingHR is the resting heart rate in beats per minute (30..120),
	// as the daily summary reports it (the lowest five-minute mean of the
	// night); 0 draws it from the seed between 50 and 64.
	RestingHR float64
	// Location is where the person lives: days, nights and the daily
	// schedule follow its local clock. Nil means UTC.
	Location *time.Location
}

// Person is a seeded, deterministic simulated human. Every output is a pure
// function of the configuration and the time asked for: any span can be
// generated on its own and gives the same values as a longer span that
// contains it, which is what lets a fake answer "10:00 to 10:05" and "the
// whole day" consistently, and lets every vendor fake show the same person.
// A Person is immutable and safe for concurrent use.
//
// Model, in short: a daily schedule (a night of sleep in 85..110 minute
// cycles of light, deep and REM sleep; a weekday of desk work, walks and
// sometimes a run; weekends differ) sets targets for heart rate, breathing
// rate and tidal volume that the body approaches exponentially (time
// constants of 30..60 s), with a day/night rhythm and slow random drift on
// top. Heart beats are generated interval by interval from that level, with
// respiratory sinus arrhythmia (shorter intervals on inspiration), a Mayer
// wave near 0.1 Hz and beat-to-beat noise, whose amplitudes follow the
// vagal tone of the activity and drift from one five-minute window to the
// next. ECG, heart rate, acceleration and the rest are derived from the
// beats, breaths and steps, so they agree with one another.
type Person struct {
	cfg PersonConfig
	loc *time.Location

	hrvFactor float64 // scales beat-to-beat variability (age, seed)
	brFactor  float64 // scales breathing rate
	vtFactor  float64 // scales tidal volume
	hrMax     float64 // bpm
	walkCad   float64 // steps/min
	runCad    float64 // steps/min
	walkAmp   float64 // g, vertical acceleration while walking
	rAmp      float64 // mV, R-wave amplitude
	hrPhase   float64 // phase of the Mayer wave
	weightPh  float64 // phase of the slow weight trend

	qrs []float64 // P-QRS part of one beat, mV, 1/ecgTabRate s steps from ecgQRSFrom
	tw  []float64 // T wave for RR 1 s, mV, from ecgTFrom
}

// NewPerson checks cfg, fills its defaults and builds the person. An
// out-of-range field is an error naming it.
func NewPerson(cfg PersonConfig) (*Person, error) {
	if cfg.Age < 0 || cfg.Age > 120 {
		return nil, fmt.Errorf("wearkittest: PersonConfig.Age %d: want 1..120 years, or 0 for the default", cfg.Age)
	}
	if cfg.Sex < SexFromSeed || cfg.Sex > Male {
		return nil, fmt.Errorf("wearkittest: PersonConfig.Sex %d: want SexFromSeed, Female or Male", int(cfg.Sex))
	}
	if bad(cfg.WeightKg, 20, 300) {
		return nil, fmt.Errorf("wearkittest: PersonConfig.WeightKg %v: want 20..300 kg, or 0 for the default", cfg.WeightKg)
	}
	if bad(cfg.HeightCm, 50, 250) {
		return nil, fmt.Errorf("wearkittest: PersonConfig.HeightCm %v: want 50..250 cm, or 0 for the default", cfg.HeightCm)
	}
	if bad(cfg.RestingHR, 30, 120) {
		return nil, fmt.Errorf("wearkittest: PersonConfig.RestingHR %v: want 30..120 bpm, or 0 for the default", cfg.RestingHR)
	}
	p := &Person{cfg: cfg}
	if cfg.Age == 0 {
		p.cfg.Age = 35
	}
	if cfg.Sex == SexFromSeed {
		p.cfg.Sex = Female
		if p.u(tagSex, 0, 0) < 0.5 {
			p.cfg.Sex = Male
		}
	}
	male := p.cfg.Sex == Male
	if cfg.WeightKg == 0 {
		w := 63.0
		if male {
			w = 78
		}
		p.cfg.WeightKg = math.Round((w+12*(p.u(tagWeight, 0, 0)-0.5))*10) / 10
	}
	if cfg.HeightCm == 0 {
		p.cfg.HeightCm = 165
		if male {
			p.cfg.HeightCm = 178
		}
	}
	if cfg.RestingHR == 0 {
		p.cfg.RestingHR = math.Round(50 + 14*p.u(tagRestHR, 0, 0))
	}
	if cfg.Location == nil {
		p.cfg.Location = time.UTC
	}
	p.loc = p.cfg.Location
	age := float64(p.cfg.Age)
	p.hrvFactor = clamp(1.15-0.01*(age-20), 0.55, 1.25) * (0.92 + 0.16*p.u(tagHRV, 0, 0))
	p.brFactor = 0.92 + 0.16*p.u(tagBR, 0, 0)
	p.vtFactor = 0.9 + 0.2*p.u(tagVT, 0, 0)
	p.hrMax = 208 - 0.7*age
	p.walkCad = 104 + 12*p.u(tagCad, 0, 0)
	p.runCad = 158 + 14*p.u(tagCad, 1, 0)
	p.walkAmp = 0.22 + 0.08*p.u(tagCad, 2, 0)
	p.rAmp = 1.1 + 0.6*p.u(tagECG, 0, 0)
	p.hrPhase = 2 * math.Pi * p.u(tagLF, 0, 0)
	p.weightPh = 2 * math.Pi * p.u(tagWeight, 1, 0)
	p.buildECGTemplate()
	return p, nil
}

// Config returns the configuration with every default filled in.
func (p *Person) Config() PersonConfig { return p.cfg }

func bad(v, lo, hi float64) bool {
	return v != 0 && !(v >= lo && v <= hi) // also catches NaN
}

func clamp(v, lo, hi float64) float64 {
	return math.Max(lo, math.Min(hi, v))
}

// Counter-based randomness: every random number is a hash of the seed, a
// tag naming what it is for, and one or two indices (a day, a block, a
// beat), so any value can be recomputed without the ones before it.

const (
	tagSex uint64 = iota + 1
	tagWeight
	tagRestHR
	tagHRV
	tagBR
	tagVT
	tagCad
	tagECG
	tagLF
	tagBed
	tagWake
	tagNight
	tagDay
	tagBeatPhase
	tagBeat
	tagBreathPhase
	tagBreath
	tagHRDrift
	tagHRDrift2
	tagVagal
	tagBRDrift
	tagWander1
	tagWander2
	tagECGNoise
	tagAccel
	tagAccelNoise
	tagRespDrift
	tagRespNoise
	tagPosture
)

// mix is splitmix64's finalizer: a bijection of 64-bit words whose outputs
// pass as independent uniform words for consecutive inputs.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// h hashes the seed, a tag and two indices.
func (p *Person) h(tag uint64, a, b int64) uint64 {
	return mix(mix(mix(p.cfg.Seed^(tag*0xd1b54a32d192ed03))^uint64(a)) ^ uint64(b))
}

// u is a uniform number in [0, 1).
func (p *Person) u(tag uint64, a, b int64) float64 { return unit(p.h(tag, a, b)) }

func unit(h uint64) float64 { return float64(h>>11) * 0x1p-53 }

// gauss turns a hash into an approximately standard normal number (the sum
// of four 16-bit uniforms, Irwin-Hall, rescaled to variance 1): cheap,
// bounded at +-3.46, good enough for noise.
func gauss(h uint64) float64 {
	s := float64(h&0xffff) + float64((h>>16)&0xffff) + float64((h>>32)&0xffff) + float64(h>>48)
	return (s*(1.0/65536) - 2) * 1.7320508075688772
}

// smooth is value noise: hashed lattice values in [-1, 1] every period
// seconds, joined by a smoothstep. A pure function of t.
func (p *Person) smooth(tag uint64, t, period float64) float64 {
	x := t / period
	i := math.Floor(x)
	f := x - i
	a := 2*p.u(tag, int64(i), 0) - 1
	b := 2*p.u(tag, int64(i)+1, 0) - 1
	return a + (b-a)*f*f*(3-2*f)
}

// smoother evaluates smooth for increasing times, caching the lattice.
type smoother struct {
	p      *Person
	tag    uint64
	inv    float64
	i      float64
	a, b   float64
	primed bool
}

func (p *Person) smoother(tag uint64, period float64) smoother {
	return smoother{p: p, tag: tag, inv: 1 / period}
}

func (s *smoother) at(t float64) float64 {
	x := t * s.inv
	i := math.Floor(x)
	if !s.primed || i != s.i {
		if s.primed && i == s.i+1 {
			s.a = s.b
		} else {
			s.a = 2*s.p.u(s.tag, int64(i), 0) - 1
		}
		s.b = 2*s.p.u(s.tag, int64(i)+1, 0) - 1
		s.i, s.primed = i, true
	}
	f := x - i
	return s.a + (s.b-s.a)*f*f*(3-2*f)
}

// Time: internally seconds since the Unix epoch as float64 (resolution
// about 0.25 us today).

func secs(t time.Time) float64 {
	return float64(t.Unix()) + float64(t.Nanosecond())*1e-9
}

func toTime(s float64) time.Time {
	sec := math.Floor(s)
	return time.Unix(int64(sec), int64(math.Round((s-sec)*1e9)))
}

// grid gives the times of samples start + i/rate. Times come from whole
// nanoseconds, so a span split at a sample boundary (start.Add of a whole
// number of periods, when 1e9/rate is a whole number of nanoseconds, as for
// 256, 128, 64 and 1 Hz) yields exactly the same times as the whole span.
type grid struct {
	sec  int64
	ns   int64
	rate float64
	step float64 // ns per sample
}

func newGrid(start time.Time, rate float64) grid {
	return grid{sec: start.Unix(), ns: int64(start.Nanosecond()), rate: rate, step: 1e9 / rate}
}

func (g grid) at(i int) float64 {
	off := g.ns + int64(math.Round(float64(i)*g.step))
	s := g.sec + off/1e9
	off %= 1e9
	if off < 0 {
		off += 1e9
		s--
	}
	return float64(s) + float64(off)*1e-9
}

// index is the sample's number on the absolute grid of this rate, the key
// of its white noise, so that noise is the same however the span is split.
func (g grid) index(t float64) int64 { return int64(math.Round(t * g.rate)) }

func checkRate(what string, rate float64) error {
	if !(rate > 0) || math.IsInf(rate, 0) {
		return fmt.Errorf("wearkittest: %s: rate %v Hz: want a positive, finite rate", what, rate)
	}
	return nil
}
