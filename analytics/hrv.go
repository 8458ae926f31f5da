package analytics

import (
	"fmt"
	"math"
)

// HRVOptions controls artifact filtering in ComputeHRV. The zero value
// filters nothing.
type HRVOptions struct {
	// Filter turns on artifact filtering: an interval outside
	// [MinRR, MaxRR] is dropped, and so is one that differs by more than
	// MaxChange times from the local median: the median of the in-range
	// intervals among it and its three neighbours on each side in the input
	// (of an even count, near either middle value is near enough).
	// A median, not the last kept interval, so that one artifact (say a
	// missed beat at the start) cannot become the reference that every good
	// beat after it fails; an ectopic beat and its compensatory pause are
	// both dropped. The other edges: a run of four or more similar outliers
	// outvotes its neighbours and is kept, as a real change of rhythm is;
	// where the votes tie (two intervals in all, say) both sides are kept.
	Filter bool
	// MinRR and MaxRR bound plausible intervals in ms; zero means 300 and
	// 2000 (200 down to 30 beats per minute). They must be finite, MinRR
	// not negative and MaxRR above MinRR.
	MinRR, MaxRR float64
	// MaxChange is the largest relative change from the local median; zero
	// means 0.2 (20 %). It must be finite and not negative.
	MaxChange float64
}

// hrvFilterRadius is how many neighbours on each side the filter's local
// median looks at: three outliers in a window of seven are still outvoted.
const hrvFilterRadius = 3

// HRV holds time-domain heart-rate-variability metrics of RR (NN)
// intervals, all in milliseconds except the counts and PNN50.
type HRV struct {
	// N is the number of intervals used; Dropped the number left out (NaN,
	// or removed by the artifact filter).
	N, Dropped int
	// Diffs is the number of successive differences: pairs of intervals
	// that were adjacent in the input and both kept.
	Diffs int
	// MeanNN is the mean interval.
	MeanNN float64
	// SDNN is the sample standard deviation (n-1 denominator, as Kubios
	// and most HRV tools report it) of the kept intervals; NaN below 2.
	SDNN float64
	// RMSSD is the root mean square of the successive differences; NaN
	// without any.
	RMSSD float64
	// NN50 counts successive differences strictly greater than 50 ms;
	// PNN50 is NN50 / Diffs x 100 (NaN without any difference).
	NN50  int
	PNN50 float64
}

// MillisFromSeconds converts RR intervals in seconds (as Corsano and most
// files give them) to the milliseconds ComputeHRV expects.
func MillisFromSeconds(rr []float64) []float64 {
	out := make([]float64, len(rr))
	for i, v := range rr {
		out[i] = v * 1000
	}
	return out
}

// MillisFromTicks converts RR intervals in 1/256 s ticks (Hexoskin's RR
// channel) to milliseconds.
func MillisFromTicks(rr []int64) []float64 {
	out := make([]float64, len(rr))
	for i, v := range rr {
		out[i] = float64(v) * 1000 / 256
	}
	return out
}

// ComputeHRV computes mean NN, SDNN, RMSSD and pNN50 of RR intervals in
// milliseconds, optionally dropping artifacts first. Successive differences
// are taken only between intervals that were neighbours in the input, so a
// dropped beat does not create a false difference. NaN intervals are always
// dropped.
//
// Errors (ErrInvalidValue, naming the index or field): without Filter, an
// interval that is not a positive finite number (0, negative, ±Inf; with
// Filter it is dropped as an artifact); options out of range (see
// HRVOptions). ErrTooFewSamples when no interval is left.
func ComputeHRV(rr []float64, opts HRVOptions) (HRV, error) {
	lo, hi, maxc := opts.MinRR, opts.MaxRR, opts.MaxChange
	if lo == 0 {
		lo = 300
	}
	if hi == 0 {
		hi = 2000
	}
	if maxc == 0 {
		maxc = 0.2
	}
	nan := HRV{SDNN: math.NaN(), RMSSD: math.NaN(), PNN50: math.NaN()}
	switch {
	case !(lo >= 0) || math.IsInf(lo, 0):
		return nan, fmt.Errorf("%w: HRVOptions.MinRR is %v, want a finite value >= 0", ErrInvalidValue, opts.MinRR)
	case !(hi > lo) || math.IsInf(hi, 0):
		return nan, fmt.Errorf("%w: HRVOptions.MaxRR is %v, want a finite value above MinRR (%v)", ErrInvalidValue, hi, lo)
	case !(maxc >= 0) || math.IsInf(maxc, 0):
		return nan, fmt.Errorf("%w: HRVOptions.MaxChange is %v, want a finite value >= 0", ErrInvalidValue, opts.MaxChange)
	}
	keep := make([]bool, len(rr))
	for i, v := range rr {
		switch {
		case math.IsNaN(v):
		case opts.Filter:
			keep[i] = v >= lo && v <= hi
		case !(v > 0) || math.IsInf(v, 0):
			return nan, fmt.Errorf("%w: RR interval %v ms at index %d", ErrInvalidValue, v, i)
		default:
			keep[i] = true
		}
	}
	if opts.Filter {
		// Compare each in-range interval with the median of the in-range
		// intervals around it (decided on the range test alone, so the
		// result does not depend on the order of the checks).
		inRange := keep
		keep = make([]bool, len(rr))
		var buf [2*hrvFilterRadius + 1]float64
		for i, v := range rr {
			if !inRange[i] {
				continue
			}
			// The median is one of the window's values (or, of an even
			// count, the test is on one of the two middle ones), so when
			// every value of the window is near v, so is the median: the
			// usual case, decided without sorting.
			win := buf[:0]
			allNear := true
			for j := max(0, i-hrvFilterRadius); j <= min(len(rr)-1, i+hrvFilterRadius); j++ {
				if inRange[j] {
					w := rr[j]
					win = append(win, w)
					allNear = allNear && math.Abs(v-w) <= maxc*w
				}
			}
			if allNear {
				keep[i] = true
				continue
			}
			if len(win) == len(buf) {
				sort7(&buf)
			} else {
				insertionSort(win)
			}
			near := func(m float64) bool { return math.Abs(v-m) <= maxc*m }
			if h := len(win) / 2; len(win)%2 == 1 {
				keep[i] = near(win[h])
			} else {
				keep[i] = near(win[h-1]) || near(win[h])
			}
		}
	}
	kept := make([]float64, 0, len(rr))
	for i, v := range rr {
		if keep[i] {
			kept = append(kept, v)
		}
	}
	h := HRV{N: len(kept), Dropped: len(rr) - len(kept), SDNN: math.NaN(), RMSSD: math.NaN(), PNN50: math.NaN()}
	if len(kept) == 0 {
		return h, fmt.Errorf("%w: no RR interval left", ErrTooFewSamples)
	}
	h.MeanNN = exactMean(kept)
	if len(kept) >= 2 {
		var ss float64
		for _, v := range kept {
			d := v - h.MeanNN
			ss += d * d
		}
		h.SDNN = math.Sqrt(ss / float64(len(kept)-1))
	}
	var sq float64
	for i := 1; i < len(rr); i++ {
		if keep[i] && keep[i-1] {
			d := rr[i] - rr[i-1]
			sq += d * d
			h.Diffs++
			if math.Abs(d) > 50 {
				h.NN50++
			}
		}
	}
	if h.Diffs > 0 {
		h.RMSSD = math.Sqrt(sq / float64(h.Diffs))
		h.PNN50 = 100 * float64(h.NN50) / float64(h.Diffs)
	}
	return h, nil
}

// sort7 sorts seven values with a 16-comparator sorting network (Knuth,
// TAOCP 5.3.4): branch-free, unlike an insertion sort, so random beats
// cost no mispredictions in the filter's full windows.
func sort7(w *[7]float64) {
	ce := func(a, b int) {
		if x, y := w[a], w[b]; y < x {
			w[a], w[b] = y, x
		}
	}
	ce(0, 6)
	ce(2, 3)
	ce(4, 5)
	ce(0, 2)
	ce(1, 4)
	ce(3, 6)
	ce(0, 1)
	ce(2, 5)
	ce(3, 4)
	ce(1, 2)
	ce(4, 6)
	ce(2, 3)
	ce(4, 5)
	ce(1, 2)
	ce(3, 4)
	ce(5, 6)
}
