package analytics

import (
	"fmt"
	"math"
)

// HRVOptions controls artifact filtering in ComputeHRV. The zero value
// filters nothing.
type HRVOptions struct {
	// Filter turns on artifact filtering: an interval outside
	// [MinRR, MaxRR] is dropped, and so is one that differs from the last
	// kept interval by more than MaxChange times that interval.
	Filter bool
	// MinRR and MaxRR bound plausible intervals in ms; zero means 300 and
	// 2000 (200 down to 30 beats per minute).
	MinRR, MaxRR float64
	// MaxChange is the largest relative change from the last kept
	// interval; zero means 0.2 (20 %).
	MaxChange float64
}

// HRV holds time-domain heart-rate-variability metrics of RR (NN)
// intervals, all in milliseconds except the counts and PNN50.
type HRV struct {
	// N is the number of intervals used; Dropped the number removed by the
	// artifact filter.
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
// dropped. It fails when no interval is left.
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
	keep := make([]bool, len(rr))
	kept := make([]float64, 0, len(rr))
	prev := math.NaN()
	for i, v := range rr {
		if math.IsNaN(v) {
			continue
		}
		if opts.Filter {
			if v < lo || v > hi {
				continue
			}
			if !math.IsNaN(prev) && math.Abs(v-prev) > maxc*prev {
				continue
			}
		}
		prev = v
		keep[i] = true
		kept = append(kept, v)
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
