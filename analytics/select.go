package analytics

import (
	"math"
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
// would hold there, for every k in ks (sorted). It runs a quickselect that
// only descends into parts holding a wanted position, and sorts outright
// when a part gets small (insertion sort) or the recursion too deep
// (slices.Sort, O(n log n) whatever the order: an organ-pipe or sawtooth
// series defeats the median-of-three pivot, and insertion-sorting what was
// left made such a baseline quadratic).
func selectPositions(a []float64, ks []int) {
	rng := uint64(len(a))*0x9E3779B97F4A7C15 | 1
	multiSelect(a, 0, len(a), ks, 2*bits.Len(uint(len(a)))+4, &rng)
}

// sampleIndex returns a pseudo-random index in [lo, hi) from the xorshift
// state rng: pivots sampled this way cannot be defeated by the order of
// the data (organ pipes, sawtooth), and the sequence is deterministic.
func sampleIndex(rng *uint64, lo, hi int) int {
	x := *rng
	x ^= x << 13
	x ^= x >> 7
	x ^= x << 17
	*rng = x
	return lo + int(x%uint64(hi-lo))
}

func multiSelect(a []float64, lo, hi int, ks []int, depth int, rng *uint64) {
	for len(ks) > 0 {
		if hi-lo <= 8 {
			insertionSort(a[lo:hi])
			return
		}
		if depth == 0 {
			slices.Sort(a[lo:hi])
			return
		}
		depth--
		// Median of three sampled values as the pivot, parked at a[hi-1];
		// then a branch-free Lomuto partition (random data makes a branchy
		// one mispredict half the time): [lo,j) < p, a[j] = p, (j,hi) >= p.
		m := lo + (hi-lo)/2
		for _, at := range [3]int{lo, m, hi - 1} {
			s := sampleIndex(rng, lo, hi)
			a[at], a[s] = a[s], a[at]
		}
		if a[m] < a[lo] {
			a[m], a[lo] = a[lo], a[m]
		}
		if a[hi-1] < a[lo] {
			a[hi-1], a[lo] = a[lo], a[hi-1]
		}
		if a[hi-1] < a[m] {
			a[hi-1], a[m] = a[m], a[hi-1]
		}
		a[m], a[hi-1] = a[hi-1], a[m]
		p := a[hi-1]
		j := lo
		seg := a[lo : hi-1]
		for i, x := range seg {
			seg[i] = a[j]
			a[j] = x
			inc := 0
			if x < p {
				inc = 1
			}
			j += inc
		}
		a[hi-1], a[j] = a[j], p
		if j == lo {
			// The pivot is the minimum: gather the values equal to it
			// too, or many equal values would shrink the range by one
			// per pass. [lo,e) == p, (e,hi) > p afterwards.
			e := lo + 1
			for i := lo + 1; i < hi; i++ {
				if a[i] == p {
					a[i], a[e] = a[e], a[i]
					e++
				}
			}
			j = e - 1
			l := 0
			for l < len(ks) && ks[l] <= j {
				l++
			}
			lo, ks = j+1, ks[l:]
			continue
		}
		// Positions equal to j are done; split the rest.
		l := 0
		for l < len(ks) && ks[l] < j {
			l++
		}
		r := l
		for r < len(ks) && ks[r] == j {
			r++
		}
		left, right := ks[:l], ks[r:]
		if len(left) > 0 {
			if len(right) > 0 {
				multiSelect(a, j+1, hi, right, depth, rng)
			}
			hi, ks = j, left
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

// bucketSelect writes src into dst (same length) ordered by value buckets so
// that dst[k] holds the value a sorted copy would hold there, for every k in
// ks (sorted). lo and hi are the minimum and maximum of src. Values are
// distributed into buckets by linear interpolation, branch-free, and only
// the buckets holding a wanted position are sorted. It reports false (and
// leaves dst undefined) when the data does not spread over the buckets:
// a range that is not finite or too narrow to scale, or a wanted bucket
// with too many values.
func bucketSelect(dst, src []float64, ks []int, lo, hi float64, ids []uint8) bool {
	const nb = 32
	span := hi - lo
	if !(span > 0) || math.IsInf(span, 0) {
		return false
	}
	scale := (nb - 1) / span
	if math.IsInf(scale, 0) {
		// A subnormal span: bucket numbers would be Inf or NaN, whose
		// conversion to uint8 is implementation-defined.
		return false
	}
	// Counting sort by bucket: count, turn counts into bucket ends, then
	// place values from the back so that pos[b] ends up as the start of
	// bucket b and pos[b+1] as its end.
	var pos [nb + 1]int32
	for i, v := range src {
		b := uint8((v - lo) * scale) // monotone in v; 0 .. nb-1
		ids[i] = b
		pos[b]++
	}
	var sum int32
	for b := 0; b < nb; b++ {
		sum += pos[b]
		pos[b] = sum
	}
	pos[nb] = sum
	for i := len(src) - 1; i >= 0; i-- {
		b := ids[i]
		pos[b]--
		dst[pos[b]] = src[i]
	}
	// Sort each bucket that holds a wanted position (once).
	last := -1
	for _, k := range ks {
		// The bucket b with pos[b] <= k < pos[b+1].
		b, e := 0, nb
		for b < e {
			m := int(uint(b+e) >> 1)
			if int(pos[m+1]) > k {
				e = m
			} else {
				b = m + 1
			}
		}
		if b == last {
			continue
		}
		last = b
		seg := dst[pos[b]:pos[b+1]]
		if len(seg) > 32 {
			return false
		}
		insertionSort(seg)
	}
	return true
}
