//go:build amd64 && !purego

package binfmt

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// The AVX2 kernel converts values in [-2^51, 2^51) itself and reports a
// value outside in any lane of any group of eight; records after the last
// whole group are not its business.
func TestScaleHXDAVX2Range(t *testing.T) {
	if len(hxdKernels) < 2 {
		t.Skip("the CPU has no AVX2")
	}
	rng := rand.New(rand.NewPCG(9, 10))
	for _, tc := range []struct {
		v  int64
		in bool
	}{{-1 << 51, true}, {1<<51 - 1, true}, {0, true}, {1 << 51, false}, {-1<<51 - 1, false}, {math.MaxInt64, false}, {math.MinInt64, false}} {
		for at := range 20 {
			recs := hxdNear51(rng, 20, at, tc.v)
			got := make([]float64, len(recs))
			ok := scaleHXDAVX2x8(got, recs, 0.5)
			require.Equal(t, tc.in || at >= 16, ok, "value %d at %d", tc.v, at)
			if ok {
				for i := range 16 {
					require.Equal(t, math.Float64bits(float64(recs[i].Value)*0.5), math.Float64bits(got[i]), "value %d at %d", recs[i].Value, i)
				}
			}
		}
	}
	require.False(t, scaleHXDAVX2x8(make([]float64, 7), make([]HXDRecord, 7), 1), "no whole group: nothing converted, reported as not done")
}
