package analytics

import (
	"math"
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
