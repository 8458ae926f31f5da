package wearkittest

import (
	"fmt"
	"math"
	"time"
)

// Breath is one breathing cycle.
type Breath struct {
	// Start is the start of inspiration.
	Start time.Time
	// Duration is the whole cycle, to the next inspiration.
	Duration time.Duration
	// Inspiration is the inspiratory part of Duration.
	Inspiration time.Duration
	// TidalVolume is the volume breathed in, in ml.
	TidalVolume float64
}

// Breaths returns the breaths starting in [start, end), anchored like
// Beats so that any split of a span gives the same breaths. Breathing rate
// is about 13..16 /min asleep and at rest, 20 walking and 30 running;
// tidal volume about 7 ml/kg at rest, twice that walking.
func (p *Person) Breaths(start, end time.Time) []Breath {
	a, b := secs(start), secs(end)
	if !(b > a) {
		return nil
	}
	g := p.newBreathGen(p.newCursor(a, b))
	ev := g.window(a, b)
	out := make([]Breath, len(ev))
	for i, e := range ev {
		out[i] = Breath{
			Start:       toTime(e.t),
			Duration:    time.Duration(math.Round(e.d * 1e9)),
			Inspiration: time.Duration(math.Round(e.d * e.b * 1e9)),
			TidalVolume: e.a,
		}
	}
	return out
}

// Breathing fills, for the times start + i/rate, the breathing rate in
// breaths per minute (Hexoskin datatype 33), the tidal volume in ml
// (datatype 37) and the minute ventilation in ml/min (datatype 36), each
// averaged over the breaths that started in the 15 s before the time (or
// the breath in progress if none did). Any of the slices may be nil; the
// others must have the same length.
func (p *Person) Breathing(start time.Time, rate float64, br, vt, ve []float64) error {
	if err := checkRate("Breathing", rate); err != nil {
		return err
	}
	n, err := sameLen("Breathing", []string{"br", "vt", "ve"}, br, vt, ve)
	if err != nil || n == 0 {
		return err
	}
	gr := newGrid(start, rate)
	g := p.newBreathGen(p.newCursor(gr.at(0)-15, gr.at(n-1)))
	for i := 0; i < n; i++ {
		t := gr.at(i)
		ev := g.window(t-15, t)
		var dur, vol float64
		for _, e := range ev {
			dur += e.d
			vol += e.a
		}
		k := float64(len(ev))
		if len(ev) == 0 {
			e := g.find(t)
			dur, vol, k = e.d, e.a, 1
		}
		if br != nil {
			br[i] = 60 * k / dur
		}
		if vt != nil {
			vt[i] = vol / k
		}
		if ve != nil {
			ve[i] = 60 * vol / dur
		}
	}
	return nil
}

// Respiration fills thoracic and abdominal with the respiratory inductance
// signals of the two bands at the times start + i/rate, in ml of lung
// volume above the end-expiratory level carried by each band (Hexoskin's
// datatypes 4129 and 4130, 128 Hz, are unitless counts: map ml to counts
// with any affine scale, e.g. 2000 + 2 x ml). The thorax carries about 45 %
// of the volume upright and 35 % lying; slow drift (about +-30 ml) and
// noise (1 ml) are added. Either slice may be nil; both must have the same
// length otherwise.
func (p *Person) Respiration(start time.Time, rate float64, thoracic, abdominal []float64) error {
	if err := checkRate("Respiration", rate); err != nil {
		return err
	}
	n, err := sameLen("Respiration", []string{"thoracic", "abdominal"}, thoracic, abdominal)
	if err != nil || n == 0 {
		return err
	}
	gr := newGrid(start, rate)
	cur := p.newCursor(gr.at(0), gr.at(n-1))
	g := p.newBreathGen(cur)
	sc := &cursor{spans: cur.spans}
	d1, d2 := p.smoother(tagRespDrift, 30), p.smoother(tagRespDrift+100, 37)
	rkey := int64(math.Float64bits(rate))
	for i := 0; i < n; i++ {
		t := gr.at(i)
		share := 0.45
		if sc.at(t).act == InBed {
			share = 0.35
		}
		v := volume(g.find(t), t)
		h := p.h(tagRespNoise, gr.index(t), rkey)
		if thoracic != nil {
			thoracic[i] = share*v + 30*d1.at(t) + gauss(h)
		}
		if abdominal != nil {
			abdominal[i] = (1-share)*v + 30*d2.at(t) + gauss(mix(h))
		}
	}
	return nil
}

// sameLen checks that the non-nil slices have one length and returns it.
func sameLen(what string, names []string, s ...[]float64) (int, error) {
	n, first := -1, ""
	for i, x := range s {
		if x == nil {
			continue
		}
		if n < 0 {
			n, first = len(x), names[i]
			continue
		}
		if len(x) != n {
			return 0, fmt.Errorf("wearkittest: %s: %s has %d values but %s has %d: want equal lengths", what, names[i], len(x), first, n)
		}
	}
	return max(n, 0), nil
}
