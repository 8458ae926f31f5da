package hexoskintest

import (
	"hash/fnv"
	"math"
	"strconv"
	"time"

	"github.com/wearkit/wearkit/binfmt"
	"github.com/wearkit/wearkit/hexoskin"
	"github.com/wearkit/wearkit/wearkittest"
)

// The fake's biosignals come from wearkittest's physiological generator,
// one seeded person per user id, so the same user looks alike in every
// answer (JSON, CSV, binary) and in every span asked. Values leave as the
// API's raw integers: the physical value divided by the channel's gain from
// binfmt's table, rounded and clamped to the 16-bit range of its WAV file.

// person returns the generated person behind a user id.
func (s *Server) person(user string) *wearkittest.Person {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.people[user]; p != nil {
		return p
	}
	seed, err := strconv.ParseUint(user, 10, 64)
	if err != nil {
		h := fnv.New64a()
		_, _ = h.Write([]byte(user))
		seed = h.Sum64()
	}
	p, err := wearkittest.NewPerson(wearkittest.PersonConfig{Seed: seed})
	if err != nil {
		panic("hexoskintest: the default person config is invalid: " + err.Error())
	}
	if s.people == nil {
		s.people = map[string]*wearkittest.Person{}
	}
	s.people[user] = p
	return p
}

// series is one datatype of one user: points every step ticks, or events
// at the times the person's body gives them.
type series struct {
	id     hexoskin.DatatypeID
	p      *wearkittest.Person
	step   int64 // ticks between points; 0 for asynchronous channels
	async  bool
	gain   float64
	signed bool
}

func (s *Server) seriesOf(id hexoskin.DatatypeID, user string) series {
	sr := series{id: id, p: s.person(user), step: 256, gain: 1, signed: true}
	if c, ok := binfmt.LookupDatatype(int64(id), ""); ok {
		sr.gain, sr.signed = c.Gain, c.Signed
	}
	if info, ok := id.Info(); ok {
		if info.Async {
			sr.async, sr.step = true, 0
		} else if info.Rate > 0 {
			sr.step = int64(math.Round(256 / info.Rate))
		}
	}
	return sr
}

// fillChunk is how many samples a synchronous series generates at once.
const fillChunk = 1 << 16

// points calls fn for every point of the series in [start, end], in order.
func (sr series) points(start, end int64, fn func(ts int64, v int64)) {
	if end < start {
		return
	}
	if sr.async {
		sr.events(start, end, fn)
		return
	}
	first := ceilDiv(start, sr.step) * sr.step
	buf := make([]float64, fillChunk)
	for ts := first; ts <= end; {
		n := min(int64(fillChunk), (end-ts)/sr.step+1)
		sr.fill(ts, buf[:n])
		for i, v := range buf[:n] {
			fn(ts+int64(i)*sr.step, sr.raw(v))
		}
		ts += n * sr.step
	}
}

// count returns the number of points in [start, end].
func (sr series) count(start, end int64) int64 {
	if end < start {
		return 0
	}
	if !sr.async {
		first := ceilDiv(start, sr.step) * sr.step
		if first > end {
			return 0
		}
		return (end-first)/sr.step + 1
	}
	var n int64
	sr.events(start, end, func(int64, int64) { n++ })
	return n
}

// value is the raw value of a synchronous series at ts.
func (sr series) value(ts int64) int64 {
	var one [1]float64
	sr.fill(ts, one[:])
	return sr.raw(one[0])
}

// raw turns a physical value into the API's integer.
func (sr series) raw(v float64) int64 {
	r := math.Round(v / sr.gain)
	lo, hi := 0.0, 65535.0
	if sr.signed {
		lo, hi = -32768, 32767
	}
	if !(r >= lo) { // NaN too
		r = lo
	}
	return int64(min(r, hi))
}

// ECG leads: lead I as generated, II and III scaled as Einthoven's triangle
// roughly does for a normal axis.
var leadScale = map[hexoskin.DatatypeID]float64{hexoskin.ECG: 1, hexoskin.ECGII: 1.4, hexoskin.ECGIII: 0.5}

// fill writes the physical values of the synchronous series from ts on,
// one per step, into dst.
func (sr series) fill(ts int64, dst []float64) {
	t, rate := tickTime(ts), 256/float64(sr.step)
	p := sr.p
	switch sr.id {
	case hexoskin.ECG, hexoskin.ECGII, hexoskin.ECGIII:
		_ = p.ECG(t, rate, dst)
		for i := range dst {
			dst[i] *= leadScale[sr.id]
		}
	case hexoskin.RespirationThoracic, hexoskin.RespirationAbdominal:
		// Raw band counts (unit "na"): a baseline and about 2 counts per
		// ml of the band's volume.
		if sr.id == hexoskin.RespirationThoracic {
			_ = p.Respiration(t, rate, dst, nil)
		} else {
			_ = p.Respiration(t, rate, nil, dst)
		}
		for i := range dst {
			dst[i] = 2048 + 2*dst[i]
		}
	case hexoskin.AccelerationX:
		_ = p.Acceleration(t, rate, dst, nil, nil)
	case hexoskin.AccelerationY:
		_ = p.Acceleration(t, rate, nil, dst, nil)
	case hexoskin.AccelerationZ:
		_ = p.Acceleration(t, rate, nil, nil, dst)
	case hexoskin.HeartRate:
		_ = p.HeartRate(t, rate, dst)
	case hexoskin.BreathingRate:
		_ = p.Breathing(t, rate, dst, nil, nil)
	case hexoskin.TidalVolume, hexoskin.TidalVolumeAdj:
		_ = p.Breathing(t, rate, nil, dst, nil)
	case hexoskin.MinuteVentilation, hexoskin.MinuteVentilationAdj:
		_ = p.Breathing(t, rate, nil, nil, dst)
	case hexoskin.Activity:
		_ = p.Activity(t, rate, dst)
	case hexoskin.Cadence:
		_ = p.Cadence(t, rate, dst)
	case hexoskin.HeartRateQuality, hexoskin.BreathingRateQuality:
		// Good signal: no quality bit set.
		clear(dst)
	case hexoskin.Temperature:
		// Raw, unit unknown ("na"): a skin temperature in 1/100 degC
		// following the day.
		for i := range dst {
			sec := float64(ts)/256 + float64(i)/rate
			dst[i] = 3350 + 60*math.Sin(2*math.Pi*sec/86400)
		}
	case hexoskin.HRVANN, hexoskin.HRVSDNN, hexoskin.HRVLFNorm, hexoskin.HRVNNOverRR,
		hexoskin.HRVTriangular, hexoskin.HRVLF, hexoskin.HRVHF, hexoskin.HRVRMSSD:
		for i := range dst {
			end := ts + int64(i)*sr.step
			dst[i] = sr.hrv(tickTime(end-300*256), tickTime(end))
		}
	default:
		for i := range dst {
			dst[i] = float64(((ts+int64(i)*sr.step)/256)%100) * sr.gain
		}
	}
}

// hrv computes the series' HRV figure over the beats of [from, to), as the
// 300 s HRV channels report it (ms, ms², % or a count; raw "na").
func (sr series) hrv(from, to time.Time) float64 {
	beats := sr.p.Beats(from, to)
	if len(beats) < 3 {
		return 0
	}
	var sum, sumSq, diffSq float64
	var close int
	for i, b := range beats {
		ms := float64(b.RR) / float64(time.Millisecond)
		sum += ms
		sumSq += ms * ms
		if i > 0 {
			d := ms - float64(beats[i-1].RR)/float64(time.Millisecond)
			diffSq += d * d
			if math.Abs(d) <= 50 {
				close++
			}
		}
	}
	n := float64(len(beats))
	mean := sum / n
	sdnn := math.Sqrt(max(sumSq/n-mean*mean, 0))
	rmssd := math.Sqrt(diffSq / (n - 1))
	lf, hf := 0.6*sdnn*sdnn, 0.5*rmssd*rmssd
	switch sr.id {
	case hexoskin.HRVANN:
		return mean
	case hexoskin.HRVSDNN:
		return sdnn
	case hexoskin.HRVRMSSD:
		return rmssd
	case hexoskin.HRVLF:
		return lf
	case hexoskin.HRVHF:
		return hf
	case hexoskin.HRVLFNorm:
		return 100 * lf / (lf + hf)
	case hexoskin.HRVNNOverRR:
		return 100 * float64(close) / (n - 1)
	case hexoskin.HRVTriangular:
		return n / 8
	}
	return 0
}

// events calls fn for every event of an asynchronous series in [start, end].
func (sr series) events(start, end int64, fn func(ts, v int64)) {
	from, to := tickTime(start), tickTime(end+1)
	emit := func(t time.Time, v int64) {
		if ts := timeTick(t); ts >= start && ts <= end {
			fn(ts, v)
		}
	}
	p := sr.p
	switch sr.id {
	case hexoskin.RRInterval, hexoskin.NNInterval, hexoskin.RRIntervalQuality:
		var last time.Duration
		for _, b := range p.Beats(from, to) {
			v := int64(math.Round(b.RR.Seconds() * 256))
			if sr.id == hexoskin.RRIntervalQuality {
				// 0x80 "unreliable" where the interval jumps by over 20 %.
				v = 0
				if last > 0 && math.Abs(float64(b.RR-last)) > 0.2*float64(last) {
					v = 0x80
				}
				last = b.RR
			}
			emit(b.Time, v)
		}
	case hexoskin.Step:
		for _, t := range p.Steps(from, to) {
			emit(t, 1)
		}
	case hexoskin.Inspiration, hexoskin.Expiration:
		for _, b := range p.Breaths(from.Add(-10*time.Second), to) {
			t := b.Start
			if sr.id == hexoskin.Expiration {
				t = t.Add(b.Inspiration)
			}
			emit(t, int64(math.Round(b.TidalVolume)))
		}
	case hexoskin.SleepPhase, hexoskin.SleepPosition, hexoskin.DevicePosition:
		for _, seg := range p.Timeline(from, to) {
			if seg.Activity != wearkittest.InBed {
				continue
			}
			v := int64(seg.Stage.HexoskinCode())
			if sr.id != hexoskin.SleepPhase {
				v = 1 // lying
			}
			emit(seg.Start, v)
		}
	}
}

func tickTime(ts int64) time.Time {
	sec := floorDiv(ts, 256)
	return time.Unix(sec, (ts-sec*256)*int64(time.Second)/256)
}

// timeTick is the tick a time falls in, rounded down.
func timeTick(t time.Time) int64 {
	return t.Unix()*256 + int64(t.Nanosecond())*256/int64(time.Second)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

func ceilDiv(a, b int64) int64 { return -floorDiv(-a, b) }
