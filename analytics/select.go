package analytics

import (
	"math/bits"
	"slices"
)

// orderPositions appends the sorted positions that the median and the
// quartiles of n values by method read, so that only those need selecting.
func orderPositions(dst []int, n int, method QuantileMethod) []int {
	add := func(ks ...int) {
		for _, k := range ks {
			if k >= 0 && k < n {
				dst = append(dst, k)
			}
		}
	}
	add(n/2, (n-1)/2)
	for _, i := range []int{1, 3} {
		switch method {
		case Inclusive:
			j := i * (n - 1) / 4
			add(j, j+1)
		case Linear:
			j := int(float64(n-1) * (float64(i) / 4))
			add(j, j+1)
		default:
			j := min(max(i*(n+1)/4, 1), n-1)
			add(j-1, j)
		}
	}
	slices.Sort(dst)
	return slices.Compact(dst)
}

// selectPositions reorders a so that a[k] holds the value a sorted copy
// would hold there, for every k in ks (sorted). It runs a three-way
// quickselect that only descends into parts holding a wanted position, and
// sorts outright when a part gets small or the recursion too deep.
func selectPositions(a []float64, ks []int) {
	multiSelect(a, 0, len(a), ks, 2*bits.Len(uint(len(a)))+4)
}

func multiSelect(a []float64, lo, hi int, ks []int, depth int) {
	for len(ks) > 0 {
		if hi-lo <= 8 || depth == 0 {
			insertionSort(a[lo:hi])
			return
		}
		depth--
		// Median of three moved to a[lo], then Hoare's partition: it
		// returns j with a[lo..j] <= p <= a[j+1..hi-1], both sides non-empty.
		m := lo + (hi-lo)/2
		if a[m] < a[lo] {
			a[m], a[lo] = a[lo], a[m]
		}
		if a[hi-1] < a[lo] {
			a[hi-1], a[lo] = a[lo], a[hi-1]
		}
		if a[hi-1] < a[m] {
			a[hi-1], a[m] = a[m], a[hi-1]
		}
		a[lo], a[m] = a[m], a[lo]
		p := a[lo]
		i, j := lo-1, hi
		for {
			i++
			for a[i] < p {
				i++
			}
			j--
			for a[j] > p {
				j--
			}
			if i >= j {
				break
			}
			a[i], a[j] = a[j], a[i]
		}
		l := 0
		for l < len(ks) && ks[l] <= j {
			l++
		}
		left, right := ks[:l], ks[l:]
		if len(left) > 0 {
			if len(right) > 0 {
				multiSelect(a, j+1, hi, right, depth)
			}
			hi, ks = j+1, left
		} else {
			lo, ks = j+1, right
		}
	}
}

func insertionSort(a []float64) {
	for i := 1; i < len(a); i++ {
		v := a[i]
		j := i
		for j > 0 && a[j-1] > v {
			a[j] = a[j-1]
			j--
		}
		a[j] = v
	}
}
