package analytics

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestExactMeanPaths checks the fast, integer and big-number means against
// each other on data built to hit exact ties, and the standard deviation's
// fast path against its big-number fallback.
func TestExactMeanPaths(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	ties := 0
	for trial := 0; trial < 6000; trial++ {
		n := 2 + rng.IntN(120)
		xs := make([]float64, n)
		scale := math.Ldexp(1, rng.IntN(40)-20)
		for i := range xs {
			switch trial % 5 {
			case 0:
				xs[i] = math.Round((45+9*rng.NormFloat64())*10) / 10
			case 1:
				xs[i] = float64(rng.IntN(1000)-500) * scale
			case 2:
				xs[i] = (1 + float64(rng.IntN(8))*0x1p-52) * scale
			case 3:
				xs[i] = (60 + math.Round(rng.Float64()*300)/10) * scale // within a factor 2
			default:
				xs[i] = rng.NormFloat64() * scale
			}
		}
		want := bigMean(xs)
		require.Equal(t, want, exactMean(xs), "exactMean %v", xs)
		if got, ok := intMean(xs); ok {
			require.Equal(t, math.Float64bits(want), math.Float64bits(got), "intMean %v", xs)
		}
		if _, _, _, _, decided := meanDD(xs); !decided {
			ties++
		}
		if mh, ml, mb, valid, _ := meanDD(xs); valid {
			if s, ok := stdDevDD(xs, mh, ml, mb, slices.Min(xs), slices.Max(xs)); ok {
				require.Equal(t, bigStdDev(xs), s, "stdDevDD %v", xs)
			}
		}
	}
	t.Logf("%d of 6000 means needed the integer path", ties)
}

func TestSelectPositions(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for trial := 0; trial < 3000; trial++ {
		n := 1 + rng.IntN(300)
		a := make([]float64, n)
		for i := range a {
			switch trial % 3 {
			case 0:
				a[i] = float64(rng.IntN(5))
			case 1:
				a[i] = rng.NormFloat64()
				if rng.IntN(50) == 0 {
					a[i] *= 1e6 // an outlier crowds one bucket
				}
			default:
				a[i] = float64(i) // sorted input
			}
		}
		want := append([]float64(nil), a...)
		slices.Sort(want)
		for _, m := range []QuantileMethod{Exclusive, Inclusive, Linear} {
			b := append([]float64(nil), a...)
			ks := orderPositions(nil, n, m)
			selectPositions(b, ks)
			for _, k := range ks {
				require.Equal(t, want[k], b[k], "n=%d k=%d", n, k)
			}
			lo, hi := slices.Min(a), slices.Max(a)
			d := make([]float64, n)
			if bucketSelect(d, a, ks, lo, hi, make([]uint8, n)) {
				for _, k := range ks {
					require.Equal(t, want[k], d[k], "buckets n=%d k=%d", n, k)
				}
			}
			if n >= 2 {
				for _, i := range []int{1, 3} {
					require.Equal(t, quantileSorted(want, i, 4, m), quantileSorted(b, i, 4, m))
				}
				require.Equal(t, medianSorted(want), medianSorted(b))
			}
		}
	}
}

// A span of subnormal width makes (nb-1)/span infinite; converting the
// resulting Inf or NaN bucket numbers to uint8 is implementation-defined
// (0 on amd64, 255 on arm64: an index out of range), so bucketSelect must
// decline and leave the work to quickselect.
func TestBucketSelectSubnormalSpan(t *testing.T) {
	a := []float64{0, 5e-324, 0, 1e-310, 0, 5e-324, 1e-310, 0}
	ks := orderPositions(nil, len(a), Exclusive)
	lo, hi := slices.Min(a), slices.Max(a)
	require.False(t, bucketSelect(make([]float64, len(a)), a, ks, lo, hi, make([]uint8, len(a))))

	pts := make([]Point, len(a))
	for i, v := range a {
		pts[i] = Point{time.Date(2026, 1, 1+i, 0, 0, 0, 0, time.UTC), v}
	}
	b := ComputeBaseline(pts)
	want, err := Quantiles(a, 4, Exclusive)
	require.NoError(t, err)
	require.Equal(t, want[0], b.Q1)
	require.Equal(t, want[1], b.Median)
	require.Equal(t, want[2], b.Q3)
}

// selectPositions must place every wanted order statistic correctly on the
// orders that defeat a fixed pivot and on runs of equal values, where its
// fallbacks (the equal-to-minimum gathering, the sort at depth 0) run.
func TestSelectPositionsAdversarialOrders(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	pats := map[string]func(i, n int) float64{
		"organ pipe": func(i, n int) float64 { return float64(min(i, n-i)) },
		"sawtooth":   func(i, n int) float64 { return float64(i % 100) },
		"equal":      func(i, n int) float64 { return 5 },
		"99% equal":  func(i, n int) float64 { return float64(60 + rng.IntN(100)/99) },
		"reversed":   func(i, n int) float64 { return float64(n - i) },
		"two values": func(i, n int) float64 { return float64(i % 2) },
	}
	for name, f := range pats {
		for _, n := range []int{9, 257, 1000, 4099} {
			a := make([]float64, n)
			for i := range a {
				a[i] = f(i, n)
			}
			want := slices.Sorted(slices.Values(a))
			for _, m := range []QuantileMethod{Exclusive, Inclusive, Linear} {
				b := slices.Clone(a)
				ks := orderPositions(nil, n, m)
				selectPositions(b, ks)
				for _, k := range ks {
					require.Equal(t, want[k], b[k], "%s n=%d k=%d", name, n, k)
				}
				// Depth 0 goes straight to the sort.
				b = slices.Clone(a)
				multiSelect(b, 0, n, ks, 0, new(uint64))
				for _, k := range ks {
					require.Equal(t, want[k], b[k], "%s depth 0 n=%d k=%d", name, n, k)
				}
			}
		}
	}
}

// A huge group count panicked in make ("cap out of range") or would have
// exhausted memory; it is an error naming k.
func TestQuantilesHugeKIsAnError(t *testing.T) {
	for _, k := range []int{MaxQuantileGroups + 1, math.MaxInt >> 1, math.MaxInt} {
		assert.NotPanics(t, func() {
			_, err := Quantiles([]float64{1, 2}, k, Exclusive)
			require.ErrorIs(t, err, ErrInvalidValue)
			assert.Contains(t, err.Error(), "k")
		})
	}
	q, err := Quantiles([]float64{1, 2}, MaxQuantileGroups, Inclusive)
	require.NoError(t, err)
	assert.Len(t, q, MaxQuantileGroups-1)
}

// An infinity in the data made cut points NaN (Inf - Inf in the
// interpolation, as numpy.quantile([1, inf], 0.5) and
// statistics.quantiles([-inf, inf, inf], n=4, method="inclusive") answer
// nan) with no error; it is now an error naming the index.
func TestQuantilesRejectInfinity(t *testing.T) {
	_, err := Quantile([]float64{1, math.Inf(1)}, 0.5)
	require.ErrorIs(t, err, ErrInvalidValue)
	assert.Contains(t, err.Error(), "index 1")
	for _, m := range []QuantileMethod{Exclusive, Inclusive, Linear} {
		_, err = Quantiles([]float64{math.Inf(-1), 2, math.Inf(1)}, 4, m)
		require.ErrorIs(t, err, ErrInvalidValue, m)
		assert.Contains(t, err.Error(), "index 0", m)
	}
	// Edges that stay: q = 0 and 1 are the extremes, one value is every
	// quantile (numpy.quantile([3.0], q) = 3.0).
	for _, q := range []float64{0, 0.3, 1} {
		v, err := Quantile([]float64{3}, q)
		require.NoError(t, err)
		assert.Equal(t, 3.0, v)
	}
	v, err := Quantile([]float64{5, 1, 3}, 0)
	require.NoError(t, err)
	assert.Equal(t, 1.0, v)
	v, err = Quantile([]float64{5, 1, 3}, 1)
	require.NoError(t, err)
	assert.Equal(t, 5.0, v)
}

// Quantiles at the edges, against numpy and Python's statistics module.
func TestQuantileEdges(t *testing.T) {
	two := []float64{42.2, 57.1}
	for _, c := range []struct {
		data []float64
		q    float64
		want float64 // numpy.quantile(data, q)
	}{
		{two, 0, 42.2},
		{two, 1, 57.1},
		{two, 0.5, 49.650000000000006},
		{two, 1e-300, 42.2},
		{two, 1 - 0x1p-53, 57.1},
		{[]float64{57.1, 42.2, 50.0}, 0.25, 46.1},
		{[]float64{7}, 0.75, 7},
	} {
		got, err := Quantile(c.data, c.q)
		require.NoError(t, err)
		sameBits(t, c.want, got, "numpy.quantile(%v, %v)", c.data, c.q)
	}
	for _, c := range []struct {
		data []float64
		k    int
		m    QuantileMethod
		want []float64 // statistics.quantiles(data, n=k, method=m)
	}{
		// Exclusive extrapolates beyond two values.
		{two, 4, Exclusive, []float64{38.475, 49.650000000000006, 60.825}},
		{two, 4, Inclusive, []float64{45.925000000000004, 49.650000000000006, 53.375}},
		{[]float64{5, 5}, 4, Exclusive, []float64{5, 5, 5}},
	} {
		got, err := Quantiles(c.data, c.k, c.m)
		require.NoError(t, err)
		assert.Equal(t, c.want, got, "statistics.quantiles(%v, n=%d, method=%s)", c.data, c.k, c.m)
	}
	q, err := Quantiles([]float64{1, 2, 3}, 100, Exclusive)
	require.NoError(t, err)
	// statistics.quantiles([1.0, 2.0, 3.0], n=100): [0.04, 0.08, ..., 3.92, 3.96]
	assert.Equal(t, []float64{0.04, 0.08}, q[:2])
	assert.Equal(t, []float64{3.92, 3.96}, q[97:])
	_, err = Quantiles([]float64{1}, 4, Exclusive)
	require.ErrorIs(t, err, ErrTooFewSamples)
	_, err = Quantile(nil, 0.5)
	require.ErrorIs(t, err, ErrTooFewSamples)
	for _, q := range []float64{-0.01, 1.01, math.NaN()} {
		_, err = Quantile(two, q)
		require.ErrorIs(t, err, ErrInvalidValue, "%v", q)
	}
}
