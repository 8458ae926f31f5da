package analytics

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHRVVectors(t *testing.T) {
	var worst float64
	for i, v := range hrvVectors {
		h, err := ComputeHRV(v.rr, HRVOptions{Filter: v.filter})
		require.NoError(t, err)
		assert.Equal(t, v.n, h.N, "vector %d", i)
		assert.Equal(t, v.dropped, h.Dropped, "vector %d", i)
		assert.Equal(t, v.ndiff, h.Diffs, "vector %d", i)
		assert.Equal(t, v.nn50, h.NN50, "vector %d", i)
		for _, c := range []struct {
			name      string
			want, got float64
		}{{"mean", v.mean, h.MeanNN}, {"sdnn", v.sdnn, h.SDNN}, {"rmssd", v.rmssd, h.RMSSD}, {"pnn50", v.pnn50, h.PNN50}} {
			e := relErr(c.got, c.want)
			worst = math.Max(worst, e)
			assert.LessOrEqual(t, e, 1e-12, "vector %d %s want %v got %v", i, c.name, c.want, c.got)
		}
	}
	t.Logf("max relative error against numpy: %.3g", worst)
}

func TestHRVFilterAndUnits(t *testing.T) {
	rr := MillisFromSeconds([]float64{0.8, 0.81, 0.2, 0.82, 1.3, 0.83})
	h, err := ComputeHRV(rr, HRVOptions{Filter: true})
	require.NoError(t, err)
	// 200 ms is out of range; 1300 ms jumps by more than 20 %.
	assert.Equal(t, 4, h.N)
	assert.Equal(t, 2, h.Dropped)
	assert.Equal(t, 1, h.Diffs) // only 800 -> 810 were neighbours and kept
	assert.InDelta(t, 10, h.RMSSD, 1e-9)
	assert.Equal(t, []float64{1000, 500}, MillisFromTicks([]int64{256, 128}))

	_, err = ComputeHRV(nil, HRVOptions{})
	require.ErrorIs(t, err, ErrTooFewSamples)
	h, err = ComputeHRV([]float64{800}, HRVOptions{})
	require.NoError(t, err)
	assert.True(t, math.IsNaN(h.SDNN))
	assert.True(t, math.IsNaN(h.RMSSD))
}

// An interval that cannot be a heartbeat (0, negative, infinite) is an error
// naming its index when nothing filters it; the filter drops it as an
// artifact.
func TestComputeHRVRejectsImpossibleIntervals(t *testing.T) {
	for _, c := range []struct {
		rr    []float64
		index string
	}{
		{[]float64{800, -800, 810}, "index 1"},
		{[]float64{800, 810, 790, 0, 820}, "index 3"},
		{[]float64{800, 810, math.Inf(1)}, "index 2"},
		{[]float64{math.Inf(-1), 800}, "index 0"},
	} {
		_, err := ComputeHRV(c.rr, HRVOptions{})
		require.ErrorIs(t, err, ErrInvalidValue, "%v", c.rr)
		assert.Contains(t, err.Error(), c.index)

		h, err := ComputeHRV(c.rr, HRVOptions{Filter: true})
		require.NoError(t, err, "%v", c.rr)
		assert.Equal(t, 1, h.Dropped, "%v", c.rr)
		assert.Greater(t, h.MeanNN, 700.0, "%v", c.rr)
	}
}

// Options that cannot describe a plausible range are an error naming the
// field, not "no RR interval left" or negative intervals let through.
func TestComputeHRVRejectsBadOptions(t *testing.T) {
	rr := []float64{800, 810, 790}
	for _, c := range []struct {
		opts  HRVOptions
		field string
	}{
		{HRVOptions{Filter: true, MinRR: -5}, "MinRR"},
		{HRVOptions{Filter: true, MinRR: math.NaN()}, "MinRR"},
		{HRVOptions{Filter: true, MinRR: 900, MaxRR: 500}, "MaxRR"},
		{HRVOptions{Filter: true, MaxRR: math.Inf(1)}, "MaxRR"},
		{HRVOptions{Filter: true, MaxChange: -0.1}, "MaxChange"},
		{HRVOptions{Filter: true, MaxChange: math.NaN()}, "MaxChange"},
	} {
		_, err := ComputeHRV(rr, c.opts)
		require.ErrorIs(t, err, ErrInvalidValue, "%+v", c.opts)
		assert.Contains(t, err.Error(), c.field, "%+v", c.opts)
	}
}

// The artifact filter must not lock onto an artifact: a first beat of
// 1500 ms among beats near 800 ms used to become the reference, and every
// good beat after it was dropped (N = 1, MeanNN = 1500).
func TestComputeHRVFilterSurvivesAnArtifactFirstBeat(t *testing.T) {
	rr := []float64{1500, 800, 810, 790, 800, 805, 800, 810}
	h, err := ComputeHRV(rr, HRVOptions{Filter: true})
	require.NoError(t, err)
	assert.Equal(t, 7, h.N)
	assert.Equal(t, 1, h.Dropped)
	assert.Equal(t, 6, h.Diffs)
	want, err := ComputeHRV(rr[1:], HRVOptions{})
	require.NoError(t, err)
	assert.InDelta(t, want.MeanNN, h.MeanNN, 1e-9)
	assert.InDelta(t, want.RMSSD, h.RMSSD, 1e-9)

	// An ectopic beat and its compensatory pause are both dropped.
	h, err = ComputeHRV([]float64{800, 800, 800, 600, 1000, 800, 800, 800}, HRVOptions{Filter: true})
	require.NoError(t, err)
	assert.Equal(t, 2, h.Dropped)
	assert.Equal(t, 4, h.Diffs)
}

// The edges of the local-median filter, as its doc states them.
func TestComputeHRVFilterEdges(t *testing.T) {
	// Four similar outliers in a row outvote their neighbours.
	h, err := ComputeHRV([]float64{800, 800, 800, 1500, 1500, 1500, 1500, 800, 800, 800}, HRVOptions{Filter: true})
	require.NoError(t, err)
	assert.Equal(t, 0, h.Dropped)
	// Three do not.
	h, err = ComputeHRV([]float64{800, 800, 800, 1500, 1500, 1500, 800, 800, 800}, HRVOptions{Filter: true})
	require.NoError(t, err)
	assert.Equal(t, 3, h.Dropped)
	// Two intervals far apart: the votes tie, both are kept.
	h, err = ComputeHRV([]float64{800, 1500}, HRVOptions{Filter: true})
	require.NoError(t, err)
	assert.Equal(t, 2, h.N)
}

// sort7 sorts every arrangement of seven values: by the 0-1 principle the
// 128 inputs of zeros and ones prove the network, and random values and
// ties check the float comparisons.
func TestSort7(t *testing.T) {
	for m := 0; m < 1<<7; m++ {
		var w [7]float64
		for i := range w {
			w[i] = float64(m >> i & 1)
		}
		want := slices.Sorted(slices.Values(w[:]))
		sort7(&w)
		require.Equal(t, want, w[:], "mask %07b", m)
	}
	rng := rand.New(rand.NewPCG(8, 9))
	for range 1000 {
		var w [7]float64
		for i := range w {
			w[i] = float64(rng.IntN(5)) * 100.5
		}
		want := slices.Sorted(slices.Values(w[:]))
		sort7(&w)
		require.Equal(t, want, w[:])
	}
}
