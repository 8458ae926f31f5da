package analytics

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func BenchmarkZZParts2(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 5))
	vs := make([][]float64, 200)
	for i := range vs {
		ps := benchSeries(rng, 0, 90)
		vs[i] = make([]float64, 90)
		for j := range ps {
			vs[i][j] = ps[j].Value
		}
	}
	w := make([]float64, 90)
	b.Run("select", func(b *testing.B) {
		var buf [8]int
		i := 0
		for b.Loop() {
			copy(w, vs[i%200])
			i++
			selectPositions(w, orderPositions(buf[:0], 90, Exclusive))
		}
	})
	b.Run("sort", func(b *testing.B) {
		i := 0
		for b.Loop() {
			copy(w, vs[i%200])
			i++
			slices.Sort(w)
		}
	})
	b.Run("meanDD", func(b *testing.B) {
		i := 0
		for b.Loop() {
			meanDD(vs[i%200])
			i++
		}
	})
	b.Run("stdDevDD", func(b *testing.B) {
		i := 0
		for b.Loop() {
			v := vs[i%200]
			i++
			mh, ml, mb, _, _ := meanDD(v)
			stdDevDD(v, mh, ml, mb)
		}
	})
}
