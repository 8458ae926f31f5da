package wearkittest

import (
	"math"
	"time"
)

// Beat is one heart beat.
type Beat struct {
	// Time is the R peak.
	Time time.Time
	// RR is the interval since the previous beat (the RR interval; Hexoskin
	// datatype 18 gives it in seconds, analytics.ComputeHRV wants ms).
	RR time.Duration
}

// Beats returns the beats with R peaks in [start, end), in order. RMSSD
// over five minutes is about 20..60 ms asleep, sitting and walking
// (varying from window to window and night to night), 5..10 ms running;
// pNN50 about 10..20 % over a day. Beats are
// anchored to fixed five-minute blocks of the epoch, so the beats of a span
// are the same whether it is asked for whole or in pieces. Cost: about
// 0.4 us per beat, a day (~100 000 beats) in about 40 ms
// (BenchmarkBeatsDay), plus one block (~300 beats) of warm-up per call.
func (p *Person) Beats(start, end time.Time) []Beat {
	a, b := secs(start), secs(end)
	if !(b > a) {
		return nil
	}
	g := p.newBeatGen(p.newCursor(a, b))
	ev := g.window(a, b)
	out := make([]Beat, len(ev))
	for i, e := range ev {
		tt := toTime(e.t)
		out[i] = Beat{Time: tt, RR: tt.Sub(toTime(e.pt))}
	}
	return out
}

// HeartRate fills dst with the heart rate in beats per minute at the times
// start + i/rate: 60 over the mean RR interval of the beats in the five
// seconds before each time, as a chest strap reports it (Hexoskin datatype
// 19 at 1 Hz). A span split at a sample boundary gives the same values.
func (p *Person) HeartRate(start time.Time, rate float64, dst []float64) error {
	if err := checkRate("HeartRate", rate); err != nil {
		return err
	}
	if len(dst) == 0 {
		return nil
	}
	gr := newGrid(start, rate)
	g := p.newBeatGen(p.newCursor(gr.at(0)-5, gr.at(len(dst)-1)))
	for i := range dst {
		t := gr.at(i)
		var sum float64
		ev := g.window(t-5, t)
		for _, e := range ev {
			sum += e.back
		}
		if len(ev) == 0 { // cannot happen: intervals are at most 2.2 s
			dst[i] = math.NaN()
			continue
		}
		dst[i] = 60 * float64(len(ev)) / sum
	}
	return nil
}

// ECG table layout: the P-QRS part of a beat from ecgQRSFrom to ecgQRSTo
// seconds around the R peak, the T wave from ecgTFrom to ecgTTo seconds
// for an RR of 1 s (stretched by sqrt(RR), Bazett, for other rates).
const (
	ecgTabRate = 4000.0
	ecgQRSFrom = -0.30
	ecgQRSTo   = 0.10
	ecgTFrom   = 0.04
	ecgTTo     = 0.62
)

func (p *Person) buildECGTemplate() {
	u := func(i int64) float64 { return p.u(tagECG, 1, i) }
	type wave struct{ amp, at, width float64 }
	qrs := []wave{
		{0.10 + 0.08*u(1), -0.17, 0.022}, // P
		{-0.05 - 0.07*u(2), -0.028, 0.008},
		{1, 0, 0.0095},                   // R
		{-0.15 - 0.2*u(3), 0.028, 0.009}, // S
		{0.02, 0.06, 0.02},               // ST
	}
	tw := []wave{
		{0.22 + 0.13*u(4), 0.25, 0.05}, // T
		{0.06, 0.31, 0.03},             // its steeper descent
	}
	fill := func(from, to float64, ws []wave) []float64 {
		n := int((to-from)*ecgTabRate) + 2
		tab := make([]float64, n)
		for i := range tab {
			x := from + float64(i)/ecgTabRate
			var v float64
			for _, w := range ws {
				z := (x - w.at) / w.width
				v += w.amp * math.Exp(-z*z/2)
			}
			tab[i] = p.rAmp * v
		}
		return tab
	}
	p.qrs = fill(ecgQRSFrom, ecgQRSTo, qrs)
	p.tw = fill(ecgTFrom, ecgTTo, tw)
}

// ECG fills dst with a single-lead ECG in mV at the times start + i/rate
// (Hexoskin's ECG_I, datatype 4113, is 256 Hz; divide by its gain 0.0064
// for raw counts). Each beat of Beats places a P-QRS-T complex with its R
// peak (1.1..1.7 mV, by seed) on the beat time, its amplitude modulated by
// breathing; the T wave stretches with sqrt(RR). Baseline wander (about
// +-0.15 mV), motion artefacts while walking and white noise (0.01 mV at
// rest, more with activity) are added. The work is streamed in one-minute
// chunks, so memory beyond dst stays at a few thousand beats whatever the
// span; cost is about 40 ns per sample, some 4x a math.Sin fill of the
// same slice (BenchmarkECG): 24 h at 256 Hz, 22 M samples, in about 1 s
// (BenchmarkECGDay). A span split at a sample boundary gives exactly the
// same values.
func (p *Person) ECG(start time.Time, rate float64, dst []float64) error {
	if err := checkRate("ECG", rate); err != nil {
		return err
	}
	n := len(dst)
	if n == 0 {
		return nil
	}
	gr := newGrid(start, rate)
	cur := p.newCursor(gr.at(0), gr.at(n-1))
	g := p.newBeatGen(cur)
	sc := &cursor{spans: cur.spans}
	w1, w2 := p.smoother(tagWander1, 3.7), p.smoother(tagWander2, 1.3)
	rkey := int64(math.Float64bits(rate))
	t0 := gr.at(0)
	chunk := int(60*rate) + 1
	const before, after = -ecgQRSFrom, ecgTTo * 1.25 // support of one beat, s
	for i0 := 0; i0 < n; i0 += chunk {
		i1 := min(i0+chunk, n)
		for i := i0; i < i1; i++ {
			t := gr.at(i)
			s := sc.at(t)
			v := 0.10*w1.at(t) + 0.04*w2.at(t)
			if s.cadence > 0 {
				v += 0.03 * math.Sin(2*math.Pi*(t-s.start)*s.cadence/60)
			}
			dst[i] = v + ecgNoise[s.st]*gauss(p.h(tagECGNoise, gr.index(t), rkey))
		}
		ta, tb := gr.at(i0), gr.at(i1-1)
		for _, e := range g.window(ta-after, tb+before+1e-6) {
			q := 1.0
			if !math.IsNaN(e.back) {
				q = clamp(math.Sqrt(e.back), 0.6, 1.25)
			}
			lo, hi := e.t-before, e.t+ecgTTo*q
			i := max(i0, int((lo-t0)*rate)-1)
			for ; i < i1; i++ {
				t := gr.at(i)
				if t >= hi {
					break
				}
				d := t - e.t
				if d < -before {
					continue
				}
				var v float64
				if d < ecgQRSTo {
					v = interp(p.qrs, (d-ecgQRSFrom)*ecgTabRate)
				}
				if x := d / q; x >= ecgTFrom {
					v += interp(p.tw, (x-ecgTFrom)*ecgTabRate)
				}
				dst[i] += e.a * v
			}
		}
	}
	return nil
}

func interp(tab []float64, x float64) float64 {
	i := int(x)
	if i < 0 || i >= len(tab)-1 {
		return 0
	}
	f := x - float64(i)
	return tab[i] + (tab[i+1]-tab[i])*f
}
