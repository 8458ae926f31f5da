package wearkittest

import (
	"math"
	"time"
)

// gravity returns the unit vector an accelerometer on the chest reads at
// rest in the span's posture, in g: X points up along the body (head),
// Y to the person's left, Z forward out of the chest.
func gravity(s *span) (x, y, z float64) {
	const tilt = 7 * math.Pi / 180 // a standing chest leans back a little
	switch {
	case s.act == Sitting:
		return math.Cos(19 * math.Pi / 180), 0, math.Sin(19 * math.Pi / 180)
	case s.act != InBed:
		return math.Cos(tilt), 0, math.Sin(tilt)
	case s.posture == 2: // on the left side: the right side is up
		return 0.1, -0.995, 0
	case s.posture == 3:
		return 0.1, 0.995, 0
	}
	return 0.1, 0, 0.995 // supine
}

// motion evaluates the acceleration without white noise.
type motion struct {
	p   *Person
	sc  *cursor
	f   [3]smoother
	amp smoother
}

func (p *Person) newMotion(cur *cursor) *motion {
	m := &motion{p: p, sc: &cursor{spans: cur.spans}, amp: p.smoother(tagAccel+10, 7)}
	for i := range m.f {
		m.f[i] = p.smoother(tagAccel+uint64(i), 0.9)
	}
	return m
}

func (m *motion) at(t float64) (x, y, z float64, s *span) {
	s = m.sc.at(t)
	x, y, z = gravity(s)
	var fidget float64
	switch s.act {
	case Walking, Running:
		a := m.p.walkAmp * (1 + 0.1*m.amp.at(t))
		if s.act == Running {
			a *= 3.5
		}
		th := 2 * math.Pi * (t - s.start) * s.cadence / 60
		x += a*math.Cos(th) + 0.3*a*math.Cos(2*th)
		z += 0.6 * a * math.Sin(th)
		y += 0.35 * a * math.Sin(th/2)
		fidget = 0.02
	case Standing:
		fidget = 0.05
	case Sitting:
		fidget = 0.012
	default:
		if s.stage == Awake {
			fidget = 0.02
		}
	}
	if fidget > 0 {
		x += fidget * m.f[0].at(t)
		y += fidget * m.f[1].at(t)
		z += fidget * m.f[2].at(t)
	}
	return x, y, z, s
}

// Acceleration fills x, y and z with the chest acceleration in g at the
// times start + i/rate (Hexoskin datatypes 4145, 4146, 4147 at 64 Hz;
// divide by the gain 1/256 for raw counts). Axes: X up along the body, Y to
// the left, Z forward; at rest the vector is gravity (1 g on X standing,
// on Z lying on the back, on Y lying on a side). Walking and running add
// the step oscillation at the cadence (about 0.25 g and 0.9 g vertical),
// standing and sitting small fidgets, and every axis 0.004 g white noise.
// Any of the slices may be nil; the others must have the same length.
func (p *Person) Acceleration(start time.Time, rate float64, x, y, z []float64) error {
	if err := checkRate("Acceleration", rate); err != nil {
		return err
	}
	n, err := sameLen("Acceleration", []string{"x", "y", "z"}, x, y, z)
	if err != nil || n == 0 {
		return err
	}
	gr := newGrid(start, rate)
	m := p.newMotion(p.newCursor(gr.at(0), gr.at(n-1)))
	rkey := int64(math.Float64bits(rate))
	for i := 0; i < n; i++ {
		t := gr.at(i)
		ax, ay, az, _ := m.at(t)
		h := p.h(tagAccelNoise, gr.index(t), rkey)
		if x != nil {
			x[i] = ax + 0.004*gauss(h)
		}
		h = mix(h)
		if y != nil {
			y[i] = ay + 0.004*gauss(h)
		}
		if z != nil {
			z[i] = az + 0.004*gauss(mix(h))
		}
	}
	return nil
}

// Activity fills dst with the activity level in g at the times
// start + i/rate (Hexoskin datatype 49, 1 Hz): the mean absolute deviation
// of the acceleration's magnitude from 1 g over the second before each
// time, sampled at 64 Hz without the white noise. About 0.005 g sitting,
// 0.02 g standing, 0.15..0.2 g walking and 0.6 g running.
func (p *Person) Activity(start time.Time, rate float64, dst []float64) error {
	if err := checkRate("Activity", rate); err != nil {
		return err
	}
	if len(dst) == 0 {
		return nil
	}
	gr := newGrid(start, rate)
	m := p.newMotion(p.newCursor(gr.at(0)-1, gr.at(len(dst)-1)))
	for i := range dst {
		t := gr.at(i)
		var sum float64
		for j := 64; j >= 1; j-- {
			ax, ay, az, _ := m.at(t - (float64(j)-0.5)/64)
			sum += math.Abs(math.Sqrt(ax*ax+ay*ay+az*az) - 1)
		}
		dst[i] = sum / 64
	}
	return nil
}

// Cadence fills dst with the step rate in steps per minute at the times
// start + i/rate (Hexoskin datatype 53, 1 Hz): the cadence of the walk or
// run in progress (about 105..115 walking, 160..170 running), 0 otherwise.
func (p *Person) Cadence(start time.Time, rate float64, dst []float64) error {
	if err := checkRate("Cadence", rate); err != nil {
		return err
	}
	if len(dst) == 0 {
		return nil
	}
	gr := newGrid(start, rate)
	sc := p.newCursor(gr.at(0), gr.at(len(dst)-1))
	for i := range dst {
		dst[i] = sc.at(gr.at(i)).cadence
	}
	return nil
}

// Steps returns the times of the steps in [start, end) (Hexoskin datatype
// 52 has one event per step): evenly spaced at the cadence through each
// walk or run, in phase with the acceleration's vertical oscillation.
func (p *Person) Steps(start, end time.Time) []time.Time {
	a, b := secs(start), secs(end)
	if !(b > a) {
		return nil
	}
	var out []time.Time
	for _, s := range p.timeline(a, b) {
		p.stepsIn(&s, a, b, func(t float64) { out = append(out, toTime(t)) })
	}
	return out
}

// stepsIn calls fn with the steps of s in [a, b).
func (p *Person) stepsIn(s *span, a, b float64, fn func(float64)) {
	if s.cadence == 0 || s.end <= a || s.start >= b {
		return
	}
	period := 60 / s.cadence
	m := math.Max(0, math.Ceil((a-s.start)/period-0.5))
	for ; ; m++ {
		t := s.start + (m+0.5)*period
		if t >= s.end || t >= b {
			return
		}
		if t >= a {
			fn(t)
		}
	}
}
