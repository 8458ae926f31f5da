package wearkittest

import (
	"math"
	"slices"
	"sort"
)

// Beats and breaths are sequences of events generated in blocks of
// blockLen seconds aligned to the Unix epoch. Block k starts with an event
// at its anchor P(k) = k*blockLen + a hashed offset, steps event by event
// from the physiological model, and is stretched by at most half an
// interval over the block (under 0.2 % for beats) so that its last
// interval ends exactly on P(k+1). A block is therefore a pure function of
// the seed and k, and any span is the concatenation of whole blocks, with
// no seam between them.
const blockLen = 300.0

// event is a beat or a breath.
type event struct {
	t    float64 // s since the epoch
	d    float64 // s to the next event
	back float64 // s since the previous event (NaN for the first generated)
	pt   float64 // time of the previous event (NaN for the first generated)
	a, b float64 // beat: ECG amplitude factor; breath: tidal volume (ml), inspiration fraction
}

type seqGen struct {
	p      *Person
	cur    *cursor
	beats  bool
	br     *seqGen // breaths, for the beats' sinus arrhythmia
	next   int64   // next block to generate
	primed bool
	ev     []event
	hint   int
}

func (p *Person) newBreathGen(cur *cursor) *seqGen {
	return &seqGen{p: p, cur: &cursor{spans: cur.spans}}
}

func (p *Person) newBeatGen(cur *cursor) *seqGen {
	return &seqGen{p: p, cur: &cursor{spans: cur.spans}, beats: true, br: p.newBreathGen(cur)}
}

func (g *seqGen) anchor(k int64) float64 {
	if g.beats {
		return float64(k)*blockLen + 0.4*g.p.u(tagBeatPhase, k, 0)
	}
	return float64(k)*blockLen + 2*g.p.u(tagBreathPhase, k, 0)
}

// ensure generates blocks until every event before t exists. The first
// call starts one block before t, so the event before t exists too.
func (g *seqGen) ensure(t float64) {
	if !g.primed {
		g.next = int64(math.Floor(t/blockLen)) - 1
		g.primed = true
	}
	for float64(g.next)*blockLen <= t {
		g.block(g.next)
		g.next++
	}
}

func (g *seqGen) block(k int64) {
	pk, pk1 := g.anchor(k), g.anchor(k+1)
	first := len(g.ev)
	c := pk
	end := pk1
	for n := int64(0); ; n++ {
		d, a, b := g.step(c, k, n)
		g.ev = append(g.ev, event{t: c, d: d, a: a, b: b})
		if c+d >= pk1 {
			if n > 0 && pk1-c < c+d-pk1 {
				g.ev = g.ev[:len(g.ev)-1]
				end = c
			} else {
				end = c + d
			}
			break
		}
		c += d
	}
	scale := (pk1 - pk) / (end - pk)
	pt := math.NaN()
	if first > 0 {
		pt = g.ev[first-1].t
	}
	for i := first; i < len(g.ev); i++ {
		e := &g.ev[i]
		e.t = pk + (e.t-pk)*scale
		e.d *= scale
		e.pt, e.back = pt, e.t-pt
		pt = e.t
	}
}

// step returns the interval from an event at c to the next, and the
// event's attributes; n is the event's number in block k.
func (g *seqGen) step(c float64, k, n int64) (d, a, b float64) {
	p := g.p
	s := g.cur.at(c)
	if !g.beats {
		br := s.level(1, c) * (1 + 0.08*p.smooth(tagBRDrift, c, 90))
		hb := p.h(tagBreath, k, n)
		d = clamp(60/br*(1+brCV[s.st]*gauss(hb)), 1.2, 12)
		vt := s.level(2, c) * (1 + 0.1*gauss(mix(hb)))
		insp := 0.40
		switch s.act {
		case Sitting, Standing:
			insp = 0.42
		case Walking, Running:
			insp = 0.46
		}
		return d, vt, insp
	}
	base := 60 / p.heartRateLevel(s, c)
	phase := g.br.phase(c)
	vag := p.hrvFactor * (1 + 0.25*p.smooth(tagVagal, c, 240)) * (1 + 0.12*p.smooth(tagVagal, c, 1.1*86400))
	resp := math.Cos(2 * math.Pi * phase)
	hb := p.h(tagBeat, k, n)
	rsa := rsaMs[s.st] * 1e-3 * vag * resp
	lf := 0.012 * vag * base * math.Sin(2*math.Pi*0.1*c+p.hrPhase+3*p.smooth(tagLF, c, 60))
	noise := noiseMs[s.st] * 1e-3 * vag * gauss(hb)
	d = clamp(base+rsa+lf+noise, 0.27, 2.2)
	a = 1 + 0.06*resp + 0.015*gauss(mix(hb))
	return d, a, 0
}

// window returns the events with times in [a, b). Successive calls must
// not move a backwards. The slice is valid until the next call.
func (g *seqGen) window(a, b float64) []event {
	g.ensure(a)
	if span := b - float64(g.next)*blockLen; span > blockLen {
		// Room for the span's events at once: growing the slice by
		// appends costs more in fresh pages than in copies (a day of
		// beats is about 5 MB), twice as long as generating them.
		rate := 0.5 // breaths/s, above any breathing rate of the model
		if g.beats {
			rate = 2.2 // beats/s, above a day's mean heart rate
		}
		g.ev = slices.Grow(g.ev, int(span*rate))
	}
	g.ensure(b)
	i := sort.Search(len(g.ev), func(i int) bool { return g.ev[i].t >= a })
	if i > 1 && i > len(g.ev)/2 {
		// Drop what no later call needs, keeping the event before a.
		n := copy(g.ev, g.ev[i-1:])
		g.ev = g.ev[:n]
		i = 1
		g.hint = 0
	}
	j := i + sort.Search(len(g.ev)-i, func(j int) bool { return g.ev[i+j].t >= b })
	return g.ev[i:j]
}

// find returns the event in force at t (the last one at or before t).
// Times may go back a little (within the events kept).
func (g *seqGen) find(t float64) *event {
	g.ensure(t)
	i := g.hint
	if i >= len(g.ev) {
		i = len(g.ev) - 1
	}
	for i > 0 && g.ev[i].t > t {
		i--
	}
	for i+1 < len(g.ev) && g.ev[i+1].t <= t {
		i++
	}
	g.hint = i
	if len(g.ev) > 4096 && i > len(g.ev)/2 {
		n := copy(g.ev, g.ev[i-64:])
		g.ev = g.ev[:n]
		g.hint = 64
		i = 64
	}
	return &g.ev[i]
}

// phase returns the breathing phase at t in [0, 1): 0 at the start of
// inspiration.
func (g *seqGen) phase(t float64) float64 {
	e := g.find(t)
	return clamp((t-e.t)/e.d, 0, 0.999999)
}

// volume is the lung volume above the end-expiratory level (ml) of breath e
// at t: a half cosine up over the inspiration fraction, a half cosine down
// over the rest.
func volume(e *event, t float64) float64 {
	ph := clamp((t-e.t)/e.d, 0, 1)
	fi := e.b
	if ph < fi {
		return e.a * 0.5 * (1 - math.Cos(math.Pi*ph/fi))
	}
	return e.a * 0.5 * (1 + math.Cos(math.Pi*(ph-fi)/(1-fi)))
}
