package analytics

import (
	"math"
	"math/big"
)

// This file holds the exactly rounded mean and sample standard deviation.
//
// Python's statistics.mean and statistics.stdev (3.11 and later) compute with
// exact fractions and round once at the end, so a naive float64 loop can differ
// from the Polar server in the last bit. The fast path below works in
// double-double arithmetic, carries an error bound, and proves that its result
// is the correctly rounded one; when it cannot (a value sits within the error
// bound of a rounding boundary, or the data is huge, tiny, or overflows) it
// falls back to exact big-number arithmetic. On real data the fallback is rare.

const (
	unitRoundoff = 0x1p-53
	fastMin      = 0x1p-900
	fastMax      = 0x1p+900
)

// twoSum returns s = fl(a+b) and the exact error e with a+b = s+e.
func twoSum(a, b float64) (s, e float64) {
	s = a + b
	bb := s - a
	e = (a - (s - bb)) + (b - bb)
	return s, e
}

// ulpAbove is the distance from |x| to the next float64 away from zero.
func ulpAbove(x float64) float64 {
	x = math.Abs(x)
	return math.Nextafter(x, math.Inf(1)) - x
}

// halfGap returns half the spacing of float64 values on the side of q that
// tail points to.
func halfGap(q, tail float64) float64 {
	u := ulpAbove(q)
	if (tail < 0) == (q > 0) {
		// Towards zero: the gap is half as wide just below a power of two.
		if m, _ := math.Frexp(math.Abs(q)); m == 0.5 {
			u /= 2
		}
	}
	return u / 2
}

// meanDD returns the correctly rounded mean of xs, the remainder tail
// (mean ~ q + tail) and an absolute error bound on q+tail, or ok=false when
// the fast path cannot prove the rounding.
func meanDD(xs []float64) (q, tail, bound float64, ok bool) {
	n := len(xs)
	if n == 0 {
		return 0, 0, 0, false
	}
	var s, c, sabs, amax float64
	for _, x := range xs {
		t := s + x
		if math.Abs(s) >= math.Abs(x) {
			c += (s - t) + x
		} else {
			c += (x - t) + s
		}
		s = t
		ax := math.Abs(x)
		sabs += ax
		if ax > amax {
			amax = ax
		}
	}
	if !(sabs < fastMax) || (amax != 0 && amax < fastMin) {
		return 0, 0, 0, false
	}
	if sabs == 0 {
		return 0, 0, 0, true
	}
	hi, lo := twoSum(s, c)
	nf := float64(n)
	q0 := hi / nf
	if q0 == 0 || math.Abs(q0) < fastMin {
		return 0, 0, 0, false
	}
	p := q0 * nf
	pe := math.FMA(q0, nf, -p)
	r := ((hi - p) - pe) + lo
	c1 := r / nf
	q = q0 + c1
	tail = c1 - (q - q0)
	u2 := unitRoundoff * unitRoundoff
	bound = 4*(nf+4)*u2*sabs/nf + 4*unitRoundoff*math.Abs(c1)
	if math.Abs(tail)+bound >= halfGap(q, tail) {
		return 0, 0, 0, false
	}
	return q, tail, bound, true
}

// exactMean returns the mean of xs rounded to nearest, ties to even, like
// Python's statistics.mean. It returns NaN for an empty slice.
func exactMean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	if q, _, _, ok := meanDD(xs); ok {
		return q
	}
	return bigMean(xs)
}

func bigMean(xs []float64) float64 {
	var sum, t big.Rat
	for _, x := range xs {
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return naiveMean(xs)
		}
		sum.Add(&sum, t.SetFloat64(x))
	}
	sum.Quo(&sum, t.SetInt64(int64(len(xs))))
	f, _ := sum.Float64()
	return f
}

func naiveMean(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// exactStdDev returns the sample standard deviation (n-1) of xs, the square
// root of the exact sample variance rounded to nearest like Python's
// statistics.stdev. It returns NaN when len(xs) < 2.
func exactStdDev(xs []float64) float64 {
	n := len(xs)
	if n < 2 {
		return math.NaN()
	}
	if s, ok := stdDevDD(xs); ok {
		return s
	}
	return bigStdDev(xs)
}

func stdDevDD(xs []float64) (float64, bool) {
	mh, ml, mb, ok := meanDD(xs)
	if !ok {
		return 0, false
	}
	var sh, sc, errSum float64
	add := func(v float64) {
		t := sh + v
		if math.Abs(sh) >= math.Abs(v) {
			sc += (sh - t) + v
		} else {
			sc += (v - t) + sh
		}
		sh = t
	}
	for _, x := range xs {
		dh, dl := twoSum(x, -mh)
		dl -= ml
		p := dh * dh
		pe := math.FMA(dh, dh, -p)
		add(p)
		add(pe + 2*dh*dl + dl*dl)
		errd := mb + 2*unitRoundoff*(math.Abs(dl)+math.Abs(ml))
		errSum += (2*math.Abs(dh) + 2*math.Abs(dl) + errd) * errd
	}
	ss, sl := twoSum(sh, sc)
	if ss == 0 {
		if errSum == 0 {
			return 0, true
		}
		return 0, false
	}
	nf := float64(len(xs))
	u2 := unitRoundoff * unitRoundoff
	errSS := 1.01*errSum + 8*nf*u2*ss
	d := nf - 1
	vh := ss / d
	vl := (math.FMA(-vh, d, ss) + sl) / d
	errV := errSS/d + 4*u2*vh
	s0 := math.Sqrt(vh)
	r := math.FMA(-s0, s0, vh) + vl
	c := r / (2 * s0)
	s := s0 + c
	tail := c - (s - s0)
	errS := 1.01*errV/(2*s) + 4*unitRoundoff*math.Abs(c) + 4*u2*s
	if math.Abs(tail)+errS >= halfGap(s, tail) {
		return 0, false
	}
	return s, true
}

func bigStdDev(xs []float64) float64 {
	var sum, t big.Rat
	for _, x := range xs {
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return math.NaN()
		}
		sum.Add(&sum, t.SetFloat64(x))
	}
	n := int64(len(xs))
	var mean big.Rat
	mean.Quo(&sum, t.SetInt64(n))
	var ss, d big.Rat
	for _, x := range xs {
		d.Sub(t.SetFloat64(x), &mean)
		d.Mul(&d, &d)
		ss.Add(&ss, &d)
	}
	ss.Quo(&ss, t.SetInt64(n-1))
	return sqrtRat(&ss)
}

// sqrtRat returns the square root of a non-negative rational rounded to the
// nearest float64: an integer square root with a sticky bit (round to odd)
// keeps enough bits for the final rounding to be correct.
func sqrtRat(v *big.Rat) float64 {
	if v.Sign() == 0 {
		return 0
	}
	num := new(big.Int).Set(v.Num())
	den := new(big.Int).Set(v.Denom())
	// Scale num/den by 4^k so that the integer quotient has at least 110 bits.
	k := (112 - (num.BitLen() - den.BitLen())) / 2
	if k > 0 {
		num.Lsh(num, uint(2*k))
	} else if k < 0 {
		den.Lsh(den, uint(-2*k))
	}
	q, rem := new(big.Int).QuoRem(num, den, new(big.Int))
	root := new(big.Int).Sqrt(q)
	if rem.Sign() != 0 || new(big.Int).Mul(root, root).Cmp(q) != 0 {
		root.SetBit(root, 0, 1)
	}
	f := new(big.Float).SetInt(root)
	f.SetMantExp(f, -k)
	out, _ := f.Float64()
	return out
}
