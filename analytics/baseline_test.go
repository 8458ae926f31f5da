package analytics

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func vectorPoints(v baselineVector) []Point {
	ps := make([]Point, len(v.values))
	for i := range v.values {
		ps[i] = Point{Date: dayN(v.days[i]), Value: v.values[i]}
	}
	return ps
}

func TestBaselineVectors(t *testing.T) {
	for _, v := range baselineVectors {
		t.Run(v.name, func(t *testing.T) {
			b := ComputeBaseline(vectorPoints(v))
			assertBaseline(t, v.want, b, true)
		})
	}
}

func TestMomentVectors(t *testing.T) {
	for i, v := range momentVectors {
		sameBits(t, v.mean, exactMean(v.values), "mean %d", i)
		sameBits(t, v.sd, exactStdDev(v.values), "stdev %d", i)
		// The exact fallbacks agree too.
		sameBits(t, v.mean, bigMean(v.values), "big mean %d", i)
		sameBits(t, v.sd, bigStdDev(v.values), "big stdev %d", i)
	}
}

func TestQuantileVectors(t *testing.T) {
	for i, v := range quantileVectors {
		for _, c := range []struct {
			m    QuantileMethod
			want []float64
		}{{Exclusive, v.exclusive}, {Inclusive, v.inclusive}, {Linear, v.linear}} {
			got, err := Quantiles(v.values, v.n, c.m)
			require.NoError(t, err)
			require.Len(t, got, len(c.want))
			for j := range got {
				sameBits(t, c.want[j], got[j], "vector %d method %s cut %d", i, c.m, j)
			}
		}
	}
}

func TestBaselineProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 300; trial++ {
		n := 1 + rng.IntN(120)
		ps := make([]Point, n)
		for i := range ps {
			ps[i] = Point{Date: dayN(i), Value: math.Round(rng.NormFloat64()*900+4500) / 100}
		}
		want := ComputeBaseline(ps)
		for s := 0; s < 3; s++ {
			sh := slices.Clone(ps)
			rng.Shuffle(len(sh), func(i, j int) { sh[i], sh[j] = sh[j], sh[i] })
			got := ComputeBaseline(sh)
			require.Equal(t, want, got, "order independence, n=%d", n)
		}
		if n < MinSamplesPartial {
			assert.Equal(t, StatusInsufficient, want.Status)
			continue
		}
		for _, m := range []QuantileMethod{Exclusive, Inclusive, Linear} {
			b, err := ComputeBaselineWith(ps, BaselineOptions{Method: m})
			require.NoError(t, err)
			assert.LessOrEqual(t, b.Q1, b.Median, m)
			assert.LessOrEqual(t, b.Median, b.Q3, m)
			assert.LessOrEqual(t, b.LowerBound, b.Q1, m)
			assert.GreaterOrEqual(t, b.UpperBound, b.Q3, m)
			assert.LessOrEqual(t, b.Min, b.Value)
			assert.LessOrEqual(t, b.Value, b.Max)
			assert.GreaterOrEqual(t, b.IQR, 0.0)
			assert.GreaterOrEqual(t, b.StdDev, 0.0)
			if m != Exclusive {
				// Type 7 stays inside the data.
				assert.LessOrEqual(t, b.Min, b.Q1)
				assert.LessOrEqual(t, b.Q3, b.Max)
			}
		}
	}
}

func TestBaselineOptions(t *testing.T) {
	today := dayN(100)
	var ps []Point
	for i := 0; i <= 100; i++ {
		v := float64(i%13) - 1
		ps = append(ps, Point{Date: dayN(i), Value: v})
	}
	b, err := ComputeBaselineWith(ps, ServerOptions(MetricTrainingLoad, today))
	require.NoError(t, err)
	// Window keeps days 10..100 (today included, as server 1.5.0 does),
	// then only values > 0.
	count := 0
	for _, p := range ps {
		d := p.Date.Sub(day0).Hours() / 24
		if d >= 10 && p.Value > 0 {
			count++
		}
	}
	assert.Equal(t, count, b.SampleCount)
	assert.Equal(t, dayN(10).Year(), b.DataStart.Year())
	assert.Equal(t, dayN(100), b.DataEnd)

	// ExcludeAsOf, for callers who want today left out.
	b, err = ComputeBaselineWith(ps, BaselineOptions{AsOf: today, WindowDays: 90, PositiveOnly: true, ExcludeAsOf: true})
	require.NoError(t, err)
	assert.Equal(t, count-1, b.SampleCount)
	assert.Equal(t, dayN(99), b.DataEnd)

	b, err = ComputeBaselineWith(ps, ServerOptions(MetricHRV, today))
	require.NoError(t, err)
	assert.Equal(t, 91, b.SampleCount) // days 10..100 inclusive
	assert.Equal(t, dayN(100), b.DataEnd)

	_, err = ComputeBaselineWith(ps, BaselineOptions{Method: "type9"})
	require.Error(t, err)

	low := []Point{}
	for i := 0; i < 10; i++ {
		low = append(low, Point{Date: dayN(i), Value: []float64{1, 1, 1, 1, 1, 1, 1, 1, 20, 20}[i]})
	}
	b, _ = ComputeBaselineWith(low, BaselineOptions{})
	b2, _ := ComputeBaselineWith(low, BaselineOptions{FloorLowerBound: true})
	assert.Less(t, b.LowerBound, 0.0)
	assert.Equal(t, 0.0, b2.LowerBound)
}

func TestBaselineEqualDatesStable(t *testing.T) {
	// Six points on newer days, then two on one older day: the 7 most
	// recent end between the two, so the tie decides. The earlier one in
	// the slice counts as more recent, whatever the order of the rest.
	newer := []Point{}
	for i := 10; i < 16; i++ {
		newer = append(newer, Point{dayN(i), 1})
	}
	tie := []Point{{dayN(5), 100}, {dayN(5), 200}}
	orders := map[string][]Point{
		"newest first": append(reversed(newer), tie...),
		"oldest first": append(slices.Clone(tie), newer...),
		"mixed":        {newer[2], tie[0], newer[0], newer[5], tie[1], newer[1], newer[4], newer[3]},
	}
	for name, ps := range orders {
		b := ComputeBaseline(ps)
		require.NotNil(t, b.Baseline7d, name)
		assert.Equal(t, 106.0/7, *b.Baseline7d, name) // six 1s and the 100
	}
}

func reversed(ps []Point) []Point {
	out := slices.Clone(ps)
	slices.Reverse(out)
	return out
}

func TestCalculatorNoAllocs(t *testing.T) {
	ps := make([]Point, 90)
	for i := range ps {
		ps[i] = Point{Date: dayN(i), Value: 40 + float64(i%17)}
	}
	c, err := NewCalculator(BaselineOptions{})
	require.NoError(t, err)
	c.Baseline(ps)
	allocs := testing.AllocsPerRun(100, func() { c.Baseline(ps) })
	// The three recent means share one allocation.
	assert.LessOrEqual(t, allocs, 1.0)
}

func TestComputeBaselineConcurrent(t *testing.T) {
	ps := make([]Point, 60)
	for i := range ps {
		ps[i] = Point{Date: dayN(i), Value: float64(40 + i%9)}
	}
	want := ComputeBaseline(ps)
	done := make(chan Baseline)
	for g := 0; g < 8; g++ {
		go func() {
			var b Baseline
			for i := 0; i < 50; i++ {
				b = ComputeBaseline(ps)
			}
			done <- b
		}()
	}
	for g := 0; g < 8; g++ {
		require.Equal(t, want, <-done)
	}
}
