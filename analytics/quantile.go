package analytics

import (
	"fmt"
	"math"
	"slices"
)

// QuantileMethod names a rule for interpolating quantiles between sorted
// values. It is an open string enum: unknown values are kept as given and
// rejected by the functions that need a known method.
type QuantileMethod string

// Quantile methods.
const (
	// Exclusive is Python's statistics.quantiles default (method="exclusive"),
	// Hyndman and Fan type 6: positions i*(n+1)/k, clamped to the data. The
	// Polar flow server computes its q1 and q3 this way.
	Exclusive QuantileMethod = "exclusive"
	// Inclusive is statistics.quantiles(method="inclusive"), Hyndman and Fan
	// type 7 computed with Python's exact integer positions i*(n-1)/k.
	Inclusive QuantileMethod = "inclusive"
	// Linear is numpy.quantile's default (method="linear"), also type 7, with
	// numpy's floating-point position (n-1)*q and its two-sided lerp.
	Linear QuantileMethod = "linear"
)

// String returns the method name, or a note that it is unknown.
func (m QuantileMethod) String() string {
	switch m {
	case Exclusive, Inclusive, Linear:
		return string(m)
	}
	return fmt.Sprintf("unknown quantile method %q", string(m))
}

func (m QuantileMethod) valid() bool {
	return m == Exclusive || m == Inclusive || m == Linear
}

// MaxQuantileGroups is the largest k Quantiles accepts (a million cut
// points, 8 MB): more would exhaust memory, and its integer positions could
// overflow.
const MaxQuantileGroups = 1 << 20

// Quantiles returns the k-1 cut points that divide data into k groups of equal
// probability (k=4 gives q1, median, q3), like Python's
// statistics.quantiles(data, n=k, method=...). For Linear, cut point i is
// numpy.quantile(data, i/k). NaN values are dropped; data is not modified.
// Exclusive and Inclusive need at least two values, Linear at least one; k
// must lie in [1, MaxQuantileGroups], and k = 1 gives no cut point. ±Inf is
// an error naming its index (ErrInvalidValue): Python and numpy let it
// through and answer NaN (Inf - Inf) for the cut points next to it.
// Exclusive with few values extrapolates beyond the data, as Python does
// (for two values q1 lies below the minimum).
func Quantiles(data []float64, k int, method QuantileMethod) ([]float64, error) {
	if k < 1 || k > MaxQuantileGroups {
		return nil, fmt.Errorf("%w: quantiles: k must be in [1, %d], got %d", ErrInvalidValue, MaxQuantileGroups, k)
	}
	if !method.valid() {
		return nil, fmt.Errorf("%w: quantiles: method: %v", ErrInvalidValue, method)
	}
	s, err := finiteValues(data)
	if err != nil {
		return nil, err
	}
	min := 2
	if method == Linear {
		min = 1
	}
	if len(s) < min {
		return nil, fmt.Errorf("%w: quantiles need at least %d values, got %d", ErrTooFewSamples, min, len(s))
	}
	slices.Sort(s)
	out := make([]float64, 0, k-1)
	for i := 1; i < k; i++ {
		out = append(out, quantileSorted(s, i, k, method))
	}
	return out, nil
}

// Quantile returns numpy.quantile(data, q) with numpy's default linear method.
// NaN values are dropped; q must lie in [0, 1] and ±Inf is an error naming
// its index (ErrInvalidValue; numpy answers NaN next to one). q = 0 gives
// the minimum, q = 1 the maximum, and one value is every quantile.
func Quantile(data []float64, q float64) (float64, error) {
	if !(q >= 0 && q <= 1) {
		return math.NaN(), fmt.Errorf("%w: quantile %v outside [0, 1]", ErrInvalidValue, q)
	}
	s, err := finiteValues(data)
	if err != nil {
		return math.NaN(), err
	}
	if len(s) == 0 {
		return math.NaN(), fmt.Errorf("%w: quantile of no values", ErrTooFewSamples)
	}
	slices.Sort(s)
	return linearSorted(s, q), nil
}

// finiteValues returns the values of data other than NaN, or an error
// naming the index of an infinite one.
func finiteValues(data []float64) ([]float64, error) {
	s := make([]float64, 0, len(data))
	for i, v := range data {
		switch {
		case math.IsNaN(v):
		case math.IsInf(v, 0):
			return nil, fmt.Errorf("%w: infinite value at index %d", ErrInvalidValue, i)
		default:
			s = append(s, v)
		}
	}
	return s, nil
}

// Median returns the median of data like Python's statistics.median: the
// middle value, or the mean of the two middle values computed as (a+b)/2.
// NaN values are dropped; it returns NaN when nothing is left, and ±Inf
// take part as numbers (the median of -Inf and +Inf is NaN, as in Python).
func Median(data []float64) float64 {
	s := make([]float64, 0, len(data))
	for _, v := range data {
		if !math.IsNaN(v) {
			s = append(s, v)
		}
	}
	slices.Sort(s)
	return medianSorted(s)
}

func medianSorted(s []float64) float64 {
	n := len(s)
	if n == 0 {
		return math.NaN()
	}
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// quantileSorted returns cut point i of k for sorted s (len(s) >= 2 for the
// Python methods), with the exact arithmetic of the reference implementations.
func quantileSorted(s []float64, i, k int, method QuantileMethod) float64 {
	ld := len(s)
	switch method {
	case Inclusive:
		m := ld - 1
		// j+1 <= ld-1 because i < k.
		j, delta := (i*m)/k, (i*m)%k
		return (s[j]*float64(k-delta) + s[j+1]*float64(delta)) / float64(k)
	case Linear:
		return linearSorted(s, float64(i)/float64(k))
	default:
		m := ld + 1
		j := i * m / k
		if j < 1 {
			j = 1
		} else if j > ld-1 {
			j = ld - 1
		}
		delta := i*m - j*k
		return (s[j-1]*float64(k-delta) + s[j]*float64(delta)) / float64(k)
	}
}

// linearSorted is numpy's "linear" quantile on sorted s: virtual index
// (n-1)*q, then lerp(a, b, t) = a + (b-a)*t, or b - (b-a)*(1-t) when t >= 0.5.
func linearSorted(s []float64, q float64) float64 {
	n := len(s)
	v := float64(n-1) * q
	if v >= float64(n-1) {
		return s[n-1]
	}
	if v <= 0 {
		v = 0
	}
	prev := math.Floor(v)
	j := int(prev)
	a, b := s[j], s[j+1]
	t := v - prev
	d := b - a
	if t >= 0.5 {
		return b - d*(1-t)
	}
	return a + d*t
}
