package wearkittest

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"math"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit/analytics"
)

// A Wednesday, so the schedule is a weekday's.
var testDay = time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)

func person(t testing.TB, seed uint64) *Person {
	t.Helper()
	p, err := NewPerson(PersonConfig{Seed: seed})
	require.NoError(t, err)
	return p
}

func TestNewPersonDefaults(t *testing.T) {
	p := person(t, 7)
	c := p.Config()
	assert.Equal(t, uint64(7), c.Seed)
	assert.Equal(t, 35, c.Age)
	assert.Contains(t, []Sex{Female, Male}, c.Sex)
	assert.InDelta(t, 70, c.WeightKg, 15)
	assert.GreaterOrEqual(t, c.RestingHR, 50.0)
	assert.LessOrEqual(t, c.RestingHR, 64.0)
	assert.Equal(t, time.UTC, c.Location)

	given := PersonConfig{Seed: 7, Age: 60, Sex: Female, WeightKg: 55, HeightCm: 160, RestingHR: 70}
	q, err := NewPerson(given)
	require.NoError(t, err)
	given.Location = time.UTC
	assert.Equal(t, given, q.Config())
}

func TestNewPersonRejectsBadFields(t *testing.T) {
	for _, tc := range []struct {
		cfg   PersonConfig
		field string
	}{
		{PersonConfig{Age: -1}, "Age"},
		{PersonConfig{Age: 121}, "Age"},
		{PersonConfig{Sex: 3}, "Sex"},
		{PersonConfig{WeightKg: 5}, "WeightKg"},
		{PersonConfig{WeightKg: math.NaN()}, "WeightKg"},
		{PersonConfig{HeightCm: 300}, "HeightCm"},
		{PersonConfig{RestingHR: 10}, "RestingHR"},
		{PersonConfig{RestingHR: math.Inf(1)}, "RestingHR"},
	} {
		_, err := NewPerson(tc.cfg)
		require.Error(t, err, "%+v", tc.cfg)
		assert.Contains(t, err.Error(), "PersonConfig."+tc.field)
	}
}

func TestFillFunctionsRejectBadInput(t *testing.T) {
	p := person(t, 1)
	buf := make([]float64, 4)
	for _, rate := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		assert.ErrorContains(t, p.ECG(testDay, rate, buf), "ECG: rate")
		assert.ErrorContains(t, p.HeartRate(testDay, rate, buf), "HeartRate: rate")
		assert.ErrorContains(t, p.Respiration(testDay, rate, buf, buf), "Respiration: rate")
		assert.ErrorContains(t, p.Breathing(testDay, rate, buf, nil, nil), "Breathing: rate")
		assert.ErrorContains(t, p.Acceleration(testDay, rate, buf, buf, buf), "Acceleration: rate")
		assert.ErrorContains(t, p.Activity(testDay, rate, buf), "Activity: rate")
		assert.ErrorContains(t, p.Cadence(testDay, rate, buf), "Cadence: rate")
	}
	err := p.Acceleration(testDay, 64, buf, buf[:3], buf)
	assert.ErrorContains(t, err, "y has 3 values but x has 4")
	err = p.Respiration(testDay, 128, nil, buf[:2])
	assert.NoError(t, err)
	err = p.Breathing(testDay, 1, nil, buf, buf[:1])
	assert.ErrorContains(t, err, "ve has 1 values but vt has 4")
	assert.Empty(t, p.Beats(testDay, testDay))
	assert.Empty(t, p.Steps(testDay.Add(time.Hour), testDay))
}

// rmssd, meanHR and pnn50 are computed here from the beats, independently
// of the package.
func rrMillis(beats []Beat) []float64 {
	rr := make([]float64, len(beats))
	for i, b := range beats {
		rr[i] = float64(b.RR) / 1e6
	}
	return rr
}

func rmssd(rr []float64) float64 {
	var sq float64
	for i := 1; i < len(rr); i++ {
		d := rr[i] - rr[i-1]
		sq += d * d
	}
	return math.Sqrt(sq / float64(len(rr)-1))
}

func meanHR(rr []float64) float64 {
	var s float64
	for _, v := range rr {
		s += v
	}
	return 60000 * float64(len(rr)) / s
}

func quantile(v []float64, q float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[int(q*float64(len(s)-1))]
}

func TestDeterministicAndSeeded(t *testing.T) {
	from := testDay.Add(9 * time.Hour)
	to := from.Add(10 * time.Minute)
	a, b, c := person(t, 42), person(t, 42), person(t, 43)
	assert.Equal(t, a.Beats(from, to), b.Beats(from, to))
	assert.NotEqual(t, a.Beats(from, to), c.Beats(from, to))

	ea, eb, ec := make([]float64, 2560), make([]float64, 2560), make([]float64, 2560)
	require.NoError(t, a.ECG(from, 256, ea))
	require.NoError(t, b.ECG(from, 256, eb))
	require.NoError(t, c.ECG(from, 256, ec))
	assert.Equal(t, ea, eb)
	assert.NotEqual(t, ea, ec)
	assert.Equal(t, a.Timeline(testDay, testDay.Add(24*time.Hour)), b.Timeline(testDay, testDay.Add(24*time.Hour)))
	assert.NotEqual(t, a.Timeline(testDay, testDay.Add(24*time.Hour)), c.Timeline(testDay, testDay.Add(24*time.Hour)))
	assert.Equal(t, a.Day(testDay), b.Day(testDay))
}

func TestConcurrentUse(t *testing.T) {
	p := person(t, 21)
	from := testDay.Add(11 * time.Hour)
	want := make([]float64, 256*30)
	require.NoError(t, p.ECG(from, 256, want))
	got := make([][]float64, 4)
	done := make(chan int)
	for g := range got {
		go func() {
			got[g] = make([]float64, len(want))
			_ = p.ECG(from, 256, got[g])
			_ = p.Day(testDay)
			done <- g
		}()
	}
	for range got {
		<-done
	}
	for g := range got {
		assert.Equal(t, want, got[g], "goroutine %d", g)
	}
}

func TestBeatsSplitInvariant(t *testing.T) {
	p := person(t, 3)
	from := testDay.Add(7*time.Hour + 3*time.Minute + 17*time.Second)
	to := from.Add(40 * time.Minute)
	whole := p.Beats(from, to)
	require.Greater(t, len(whole), 2000)
	// Cut at odd times and at block boundaries (multiples of 5 minutes).
	cuts := []time.Time{from, from.Add(1234567 * time.Microsecond), testDay.Add(7*time.Hour + 10*time.Minute), from.Add(17 * time.Minute), to}
	var pieces []Beat
	for i := 1; i < len(cuts); i++ {
		pieces = append(pieces, p.Beats(cuts[i-1], cuts[i])...)
	}
	assert.Equal(t, whole, pieces)
	for i := 1; i < len(whole); i++ {
		require.Equal(t, whole[i].Time.Sub(whole[i-1].Time), whole[i].RR, "beat %d: RR is the time since the previous beat", i)
	}
}

// splitFill checks that fill over n samples equals the same fill over
// pieces of the span cut at sample boundaries.
func splitFill(t *testing.T, name string, rate float64, n int, fill func(start time.Time, dst []float64) error) {
	t.Helper()
	start := testDay.Add(12*time.Hour + 4*time.Minute + 59*time.Second)
	whole := make([]float64, n)
	require.NoError(t, fill(start, whole))
	step := time.Duration(1e9 / rate)
	got := make([]float64, n)
	cuts := []int{0, 1, n / 3, n/3 + 7, n - 2, n}
	for i := 1; i < len(cuts); i++ {
		require.NoError(t, fill(start.Add(time.Duration(cuts[i-1])*step), got[cuts[i-1]:cuts[i]]))
	}
	assert.Equal(t, whole, got, name)
}

func TestFillsSplitInvariant(t *testing.T) {
	p := person(t, 5)
	splitFill(t, "ECG", 256, 256*200, func(s time.Time, d []float64) error { return p.ECG(s, 256, d) })
	splitFill(t, "HeartRate", 1, 900, func(s time.Time, d []float64) error { return p.HeartRate(s, 1, d) })
	splitFill(t, "Respiration", 128, 128*120, func(s time.Time, d []float64) error { return p.Respiration(s, 128, d, nil) })
	splitFill(t, "BreathingRate", 1, 600, func(s time.Time, d []float64) error { return p.Breathing(s, 1, d, nil, nil) })
	splitFill(t, "MinuteVentilation", 1, 600, func(s time.Time, d []float64) error { return p.Breathing(s, 1, nil, nil, d) })
	splitFill(t, "AccelerationZ", 64, 64*120, func(s time.Time, d []float64) error { return p.Acceleration(s, 64, nil, nil, d) })
	splitFill(t, "Activity", 1, 300, func(s time.Time, d []float64) error { return p.Activity(s, 1, d) })
	splitFill(t, "Cadence", 1, 3600, func(s time.Time, d []float64) error { return p.Cadence(s, 1, d) })
}

// TestRMSSDPhysiological computes RMSSD in every five-minute window of a
// day (except during runs, where it is physiologically lower) for several
// people: each within 20..80 ms, spread across windows, pNN50 neither 0
// nor 100 %.
func TestRMSSDPhysiological(t *testing.T) {
	for seed := uint64(1); seed <= 4; seed++ {
		p := person(t, seed)
		end := testDay.Add(24 * time.Hour)
		beats := p.Beats(testDay, end)
		var running []Segment
		for _, s := range p.Timeline(testDay, end) {
			if s.Activity == Running {
				running = append(running, s)
			}
		}
		var values []float64
		var nn50, diffs int
		i := 0
	windows:
		for w := testDay; w.Before(end); w = w.Add(5 * time.Minute) {
			j := i
			for j < len(beats) && beats[j].Time.Before(w.Add(5*time.Minute)) {
				j++
			}
			rr := rrMillis(beats[i:j])
			i = j
			for _, s := range running {
				if s.Start.Before(w.Add(5*time.Minute)) && s.End.After(w) {
					continue windows
				}
			}
			r := rmssd(rr)
			assert.True(t, r >= 20 && r <= 80, "seed %d window %s: RMSSD %.1f ms", seed, w.Format("15:04"), r)
			values = append(values, r)
			for k := 1; k < len(rr); k++ {
				diffs++
				if math.Abs(rr[k]-rr[k-1]) > 50 {
					nn50++
				}
			}
		}
		require.Greater(t, len(values), 250)
		iqr := quantile(values, 0.75) - quantile(values, 0.25)
		assert.Greater(t, iqr, 5.0, "seed %d: RMSSD must vary from window to window", seed)
		pnn50 := 100 * float64(nn50) / float64(diffs)
		assert.True(t, pnn50 > 2 && pnn50 < 50, "seed %d: pNN50 %.1f %%", seed, pnn50)
		t.Logf("seed %d: RMSSD min %.1f q1 %.1f median %.1f q3 %.1f max %.1f ms over %d windows, pNN50 %.1f %%", seed,
			quantile(values, 0), quantile(values, 0.25), quantile(values, 0.5), quantile(values, 0.75), quantile(values, 1), len(values), pnn50)
	}
}

func TestAnalyticsAgrees(t *testing.T) {
	p := person(t, 9)
	from := testDay.Add(3 * time.Hour)
	rr := rrMillis(p.Beats(from, from.Add(5*time.Minute)))
	h, err := analytics.ComputeHRV(rr, analytics.HRVOptions{Filter: true})
	require.NoError(t, err)
	assert.Zero(t, h.Dropped, "no beat looks like an artifact")
	assert.InDelta(t, rmssd(rr), h.RMSSD, 1e-9)
	assert.True(t, h.SDNN > 20 && h.SDNN < 150, "SDNN %.1f ms", h.SDNN)
	assert.True(t, h.PNN50 > 0 && h.PNN50 < 100, "pNN50 %.1f", h.PNN50)
}

// segmentsOf returns the segments of a day with the activity, and, when
// stage >= 0, the sleep stage.
func segmentsOf(p *Person, day time.Time, a Activity, stage SleepStage) []Segment {
	var out []Segment
	for _, s := range p.Timeline(day, day.Add(24*time.Hour)) {
		if s.Activity == a && (stage < 0 || s.Stage == stage) && !s.Start.Before(day) {
			out = append(out, s)
		}
	}
	return out
}

func meanOver(t *testing.T, segs []Segment, rate float64, fill func(time.Time, []float64) error) float64 {
	t.Helper()
	var sum float64
	var n int
	for _, s := range segs {
		// Skip the first two minutes: the body is still adjusting.
		from := s.Start.Add(2 * time.Minute)
		k := int(s.End.Sub(from).Seconds() * rate)
		if k <= 0 {
			continue
		}
		buf := make([]float64, k)
		require.NoError(t, fill(from, buf))
		for _, v := range buf {
			sum += v
		}
		n += k
	}
	require.Positive(t, n)
	return sum / float64(n)
}

func TestHeartRateFollowsActivityAndNight(t *testing.T) {
	p := person(t, 11)
	hr := func(s time.Time, d []float64) error { return p.HeartRate(s, 1, d) }
	deep := meanOver(t, segmentsOf(p, testDay, InBed, Deep), 1, hr)
	sitting := meanOver(t, segmentsOf(p, testDay, Sitting, -1), 1, hr)
	walking := meanOver(t, segmentsOf(p, testDay, Walking, -1), 1, hr)
	t.Logf("mean HR: deep sleep %.1f, sitting %.1f, walking %.1f bpm (resting %.0f)", deep, sitting, walking, p.Config().RestingHR)
	assert.Less(t, deep+5, sitting)
	assert.Less(t, sitting+15, walking)
	assert.InDelta(t, p.Config().RestingHR, deep, 6)

	// The 1 Hz rate matches the beats: 60 / mean RR over five seconds.
	at := testDay.Add(14*time.Hour + 30*time.Second)
	one := make([]float64, 1)
	require.NoError(t, p.HeartRate(at, 1, one))
	assert.InDelta(t, meanHR(rrMillis(p.Beats(at.Add(-5*time.Second), at))), one[0], 1e-6)
}

func TestBreathing(t *testing.T) {
	p := person(t, 12)
	br := func(s time.Time, d []float64) error { return p.Breathing(s, 1, d, nil, nil) }
	sleep := meanOver(t, segmentsOf(p, testDay, InBed, Light), 1, br)
	sitting := meanOver(t, segmentsOf(p, testDay, Sitting, -1), 1, br)
	walking := meanOver(t, segmentsOf(p, testDay, Walking, -1), 1, br)
	t.Logf("breathing rate: light sleep %.1f, sitting %.1f, walking %.1f /min", sleep, sitting, walking)
	assert.True(t, sleep >= 11 && sleep < sitting, "sleep %.1f", sleep)
	assert.True(t, sitting >= 12 && sitting <= 20, "sitting %.1f", sitting)
	assert.True(t, walking > sitting+2 && walking < 30, "walking %.1f", walking)

	rate, vt, ve := make([]float64, 600), make([]float64, 600), make([]float64, 600)
	require.NoError(t, p.Breathing(testDay.Add(10*time.Hour), 1, rate, vt, ve))
	w := p.Config().WeightKg
	for i := range rate {
		require.InDelta(t, rate[i]*vt[i], ve[i], 1e-6*ve[i], "minute ventilation is rate x tidal volume")
		require.True(t, vt[i] > 4*w && vt[i] < 11*w, "tidal volume %.0f ml at rest", vt[i])
	}

	// The band signals rise by the tidal volume over each breath.
	from := testDay.Add(10 * time.Hour)
	th, ab := make([]float64, 128*60), make([]float64, 128*60)
	require.NoError(t, p.Respiration(from, 128, th, ab))
	for _, b := range p.Breaths(from.Add(5*time.Second), from.Add(50*time.Second)) {
		i0 := int(b.Start.Sub(from).Seconds() * 128)
		i1 := int((b.Start.Sub(from) + b.Inspiration).Seconds() * 128)
		rise := th[i1] + ab[i1] - th[i0] - ab[i0]
		assert.InDelta(t, b.TidalVolume, rise, 0.15*b.TidalVolume, "breath at %s", b.Start)
		assert.True(t, b.Duration > 2*time.Second && b.Duration < 8*time.Second)
	}
}

// TestECGPeaksOnBeats finds R peaks with a threshold detector and checks
// they fall on the beats, one for one.
func TestECGPeaksOnBeats(t *testing.T) {
	p := person(t, 13)
	for _, from := range []time.Time{testDay.Add(3 * time.Hour), testDay.Add(10 * time.Hour)} {
		const rate = 256
		ecg := make([]float64, rate*300)
		require.NoError(t, p.ECG(from, rate, ecg))
		lo, hi := ecg[0], ecg[0]
		for _, v := range ecg {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		assert.True(t, hi > 0.9 && hi < 2.2, "R peak %.2f mV", hi)
		assert.True(t, lo > -1 && lo < -0.1, "minimum %.2f mV", lo)
		var peaks []time.Time
		for i := 1; i+1 < len(ecg); i++ {
			if ecg[i] > 0.6*hi && ecg[i] >= ecg[i-1] && ecg[i] > ecg[i+1] {
				tp := from.Add(time.Duration(i) * time.Second / rate)
				if len(peaks) > 0 && tp.Sub(peaks[len(peaks)-1]) < 250*time.Millisecond {
					continue
				}
				peaks = append(peaks, tp)
			}
		}
		beats := p.Beats(from, from.Add(300*time.Second-time.Second/rate))
		require.Len(t, peaks, len(beats))
		for i, b := range beats {
			assert.InDelta(t, 0, peaks[i].Sub(b.Time).Seconds(), 1.5/rate, "beat %d at %s", i, b.Time)
		}
	}
}

func deflateRatio(t testing.TB, ecg []float64) float64 {
	raw := make([]byte, 2*len(ecg))
	for i, v := range ecg {
		binary.LittleEndian.PutUint16(raw[2*i:], uint16(int16(math.Round(v/0.0064))))
	}
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.DefaultCompression)
	require.NoError(t, err)
	_, err = w.Write(raw)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return float64(len(raw)) / float64(buf.Len())
}

func TestECGCompressesLikeARecording(t *testing.T) {
	p := person(t, 14)
	ecg := make([]float64, 256*1800)
	for _, h := range []time.Duration{3 * time.Hour, 12 * time.Hour} {
		require.NoError(t, p.ECG(testDay.Add(h), 256, ecg))
		r := deflateRatio(t, ecg)
		t.Logf("ECG at %v: 16-bit samples (gain 0.0064 mV) deflate %.2fx", h, r)
		assert.True(t, r > 1.5 && r < 6, "ratio %.2f", r)
	}
	for i := range ecg {
		ecg[i] = math.Sin(2 * math.Pi * 1.2 * float64(i) / 256)
	}
	assert.Greater(t, deflateRatio(t, ecg), 20.0, "the old sine wave, for contrast")
}

func TestMotion(t *testing.T) {
	p := person(t, 15)
	sitting := segmentsOf(p, testDay, Sitting, -1)[0]
	walk := segmentsOf(p, testDay, Walking, -1)[0]
	deep := segmentsOf(p, testDay, InBed, Deep)[0]

	mean := func(from time.Time) (x, y, z float64) {
		ax, ay, az := make([]float64, 64*10), make([]float64, 64*10), make([]float64, 64*10)
		require.NoError(t, p.Acceleration(from, 64, ax, ay, az))
		for i := range ax {
			x, y, z = x+ax[i]/640, y+ay[i]/640, z+az[i]/640
		}
		return
	}
	x, y, z := mean(sitting.Start.Add(time.Minute))
	assert.InDelta(t, 1, math.Sqrt(x*x+y*y+z*z), 0.03, "gravity while sitting")
	assert.Greater(t, x, 0.8, "upright: gravity on X")
	x, y, z = mean(deep.Start.Add(time.Minute))
	assert.InDelta(t, 1, math.Sqrt(x*x+y*y+z*z), 0.03)
	assert.Greater(t, math.Max(math.Abs(y), math.Abs(z)), 0.9, "lying: gravity on Y or Z")

	act := func(s time.Time, d []float64) error { return p.Activity(s, 1, d) }
	aSit := meanOver(t, []Segment{sitting}, 1, act)
	aWalk := meanOver(t, []Segment{walk}, 1, act)
	t.Logf("activity: sitting %.3f g, walking %.3f g", aSit, aWalk)
	assert.Less(t, aSit, 0.02)
	assert.True(t, aWalk > 0.08 && aWalk < 0.4, "walking %.3f g", aWalk)

	// Steps agree with the cadence and fall on the walk.
	steps := p.Steps(walk.Start, walk.End)
	cad := make([]float64, int(walk.End.Sub(walk.Start).Seconds()))
	require.NoError(t, p.Cadence(walk.Start, 1, cad))
	var sum float64
	for _, c := range cad {
		assert.Equal(t, walk.Cadence, c)
		sum += c / 60
	}
	assert.InDelta(t, sum, float64(len(steps)), 2)
	assert.True(t, walk.Cadence > 95 && walk.Cadence < 125, "cadence %.0f", walk.Cadence)
	none := make([]float64, 60)
	require.NoError(t, p.Cadence(sitting.Start, 1, none))
	assert.Equal(t, make([]float64, 60), none)
}

func TestSleepStages(t *testing.T) {
	assert.Equal(t, 6, Awake.HexoskinCode())
	assert.Equal(t, 5, REM.HexoskinCode())
	assert.Equal(t, 2, Light.HexoskinCode())
	assert.Equal(t, 2, Deep.HexoskinCode())
	p := person(t, 16)
	night := p.Timeline(testDay.Add(2*time.Hour), testDay.Add(2*time.Hour+time.Second))
	require.Len(t, night, 1)
	assert.Equal(t, InBed, night[0].Activity)
	// The day starts and ends in bed, with every stage during the night,
	// and segments tile the day without gaps.
	segs := p.Timeline(testDay, testDay.Add(24*time.Hour))
	seen := map[SleepStage]bool{}
	for i, s := range segs {
		if i > 0 {
			require.Equal(t, segs[i-1].End, s.Start)
		}
		if s.Activity == InBed {
			seen[s.Stage] = true
		}
	}
	assert.Len(t, seen, 4)
	assert.Equal(t, InBed, segs[0].Activity)
	assert.Equal(t, InBed, segs[len(segs)-1].Activity)
}

func TestScheduleFollowsLocation(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	p, err := NewPerson(PersonConfig{Seed: 17, Location: tokyo})
	require.NoError(t, err)
	at3 := time.Date(2026, 3, 4, 3, 0, 0, 0, tokyo)
	at15 := time.Date(2026, 3, 4, 15, 0, 0, 0, tokyo)
	assert.Equal(t, InBed, p.Timeline(at3, at3.Add(time.Second))[0].Activity)
	assert.NotEqual(t, InBed, p.Timeline(at15, at15.Add(time.Second))[0].Activity)
	assert.Equal(t, time.Date(2026, 3, 4, 0, 0, 0, 0, tokyo).Unix(), p.Day(at15).Date.Unix())
}

func TestDaySummaryAgreesWithIntraday(t *testing.T) {
	p := person(t, 18)
	cfg := p.Config()
	var runLoads, otherLoads []float64
	for d := 0; d < 14; d++ {
		day := testDay.AddDate(0, 0, d)
		ds := p.Day(day)
		next := day.AddDate(0, 0, 1)

		// Resting HR and nightly RMSSD, recomputed from the night's beats.
		beats := p.Beats(ds.Bedtime, ds.WakeTime)
		minHR, sumR, n := math.Inf(1), 0.0, 0
		w := ds.Bedtime.Truncate(5 * time.Minute)
		if w.Before(ds.Bedtime) {
			w = w.Add(5 * time.Minute)
		}
		i := 0
		for ; !w.Add(5 * time.Minute).After(ds.WakeTime); w = w.Add(5 * time.Minute) {
			for i < len(beats) && beats[i].Time.Before(w) {
				i++
			}
			j := i
			for j < len(beats) && beats[j].Time.Before(w.Add(5*time.Minute)) {
				j++
			}
			rr := rrMillis(beats[i:j])
			minHR = math.Min(minHR, meanHR(rr))
			sumR += rmssd(rr)
			n++
		}
		assert.InDelta(t, minHR, ds.RestingHR, 1e-6, "day %d", d)
		assert.InDelta(t, sumR/float64(n), ds.NightlyRMSSD, 1e-6, "day %d", d)
		assert.InDelta(t, cfg.RestingHR, ds.RestingHR, 4, "day %d", d)
		assert.True(t, ds.NightlyRMSSD > 20 && ds.NightlyRMSSD < 80, "day %d: %.1f ms", d, ds.NightlyRMSSD)

		assert.Equal(t, len(p.Steps(day, next)), ds.Steps, "day %d", d)
		assert.True(t, ds.Steps > 1500 && ds.Steps < 20000, "day %d: %d steps", d, ds.Steps)
		assert.InDelta(t, ds.TimeInBed, ds.Asleep+ds.AwakeInBed, 3)
		assert.InDelta(t, ds.Asleep, ds.LightSleep+ds.DeepSleep+ds.REMSleep, 3)
		assert.True(t, ds.Asleep > 6*time.Hour && ds.Asleep < 10*time.Hour, "day %d: asleep %v", d, ds.Asleep)
		assert.True(t, ds.SleepScore >= 50 && ds.SleepScore <= 100, "day %d: score %d", d, ds.SleepScore)
		assert.InDelta(t, cfg.WeightKg, ds.WeightKg, 1.5)
		assert.Equal(t, p.Weight(day.Add(20*time.Hour)), ds.WeightKg)

		ran := false
		for _, s := range p.Timeline(day, next) {
			ran = ran || s.Activity == Running
		}
		if ran {
			runLoads = append(runLoads, ds.TrainingLoad)
		} else {
			otherLoads = append(otherLoads, ds.TrainingLoad)
		}
		t.Logf("%s: steps %d, asleep %v, score %d, resting %.1f bpm, RMSSD %.1f ms, weight %.1f kg, load %.1f",
			day.Format("Mon 02"), ds.Steps, ds.Asleep.Round(time.Minute), ds.SleepScore, ds.RestingHR, ds.NightlyRMSSD, ds.WeightKg, ds.TrainingLoad)
	}
	require.NotEmpty(t, runLoads)
	require.NotEmpty(t, otherLoads)
	assert.Greater(t, quantile(runLoads, 0), quantile(otherLoads, 1), "a run day loads more than any other")
}

func BenchmarkECG(b *testing.B) {
	p := person(b, 1)
	dst := make([]float64, 256*3600)
	from := testDay.Add(8 * time.Hour)
	b.Run("generator", func(b *testing.B) {
		b.SetBytes(int64(8 * len(dst)))
		for i := 0; i < b.N; i++ {
			if err := p.ECG(from, 256, dst); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sin-baseline", func(b *testing.B) {
		b.SetBytes(int64(8 * len(dst)))
		for i := 0; i < b.N; i++ {
			for j := range dst {
				dst[j] = math.Sin(2 * math.Pi * 1.2 * float64(j) / 256)
			}
		}
	})
}

// BenchmarkECGDay is the whole-day figure: 24 h at 256 Hz, 22 M samples.
func BenchmarkECGDay(b *testing.B) {
	p := person(b, 1)
	dst := make([]float64, 256*86400)
	b.SetBytes(int64(8 * len(dst)))
	for i := 0; i < b.N; i++ {
		if err := p.ECG(testDay, 256, dst); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBeatsDay generates a day of beats (about 100 000).
func BenchmarkBeatsDay(b *testing.B) {
	p := person(b, 1)
	for i := 0; i < b.N; i++ {
		if len(p.Beats(testDay, testDay.Add(24*time.Hour))) < 80000 {
			b.Fatal("too few beats")
		}
	}
}

// BenchmarkDay computes one daily summary.
func BenchmarkDay(b *testing.B) {
	p := person(b, 1)
	for i := 0; i < b.N; i++ {
		if p.Day(testDay).Steps == 0 {
			b.Fatal("no steps")
		}
	}
}
