package analytics

import (
	"math"
	"math/big"
	"math/bits"
	"slices"
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

// twoSumErr returns the exact error of s = fl(a+b).
func twoSumErr(a, b, s float64) float64 {
	bb := s - a
	return (a - (s - bb)) + (b - bb)
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

// ddSum is a compensated running sum: s + c approximates the exact sum
// with an error of a few n u^2 sabs.
type ddSum struct{ s, c, sabs float64 }

// add adds xs (Knuth's branch-free two-sum; the errors are exact), in two
// interleaved chains.
func (d *ddSum) add(xs []float64) {
	n := len(xs)
	var s, c, sabs, s2, c2, sabs2 float64
	i := 0
	for ; i+1 < n; i += 2 {
		x, y := xs[i], xs[i+1]
		t, u := s+x, s2+y
		z, w := t-s, u-s2
		c += (s - (t - z)) + (x - z)
		c2 += (s2 - (u - w)) + (y - w)
		s, s2 = t, u
		sabs += math.Abs(x)
		sabs2 += math.Abs(y)
	}
	if i < n {
		x := xs[i]
		t := s + x
		z := t - s
		c += (s - (t - z)) + (x - z)
		s = t
		sabs += math.Abs(x)
	}
	s, e := twoSum(s, s2)
	c += c2 + e
	d.s, e = twoSum(d.s, s)
	d.c += c + e
	d.sabs += sabs + sabs2
}

// meanDD returns the mean of xs as q + tail with an absolute error bound on
// q+tail. valid is false when the data is outside the fast path's range;
// decided is true when q is proven to be the correctly rounded mean.
func meanDD(xs []float64) (q, tail, bound float64, valid, decided bool) {
	var d ddSum
	d.add(xs)
	return d.mean(len(xs))
}

// mean finishes meanDD for a sum of n values.
func (d ddSum) mean(n int) (q, tail, bound float64, valid, decided bool) {
	if n == 0 {
		return 0, 0, 0, false, false
	}
	s, c, sabs := d.s, d.c, d.sabs
	if !(sabs < fastMax) || (sabs != 0 && sabs < fastMin) {
		return 0, 0, 0, false, false
	}
	if sabs == 0 {
		return 0, 0, 0, true, true
	}
	hi, lo := twoSum(s, c)
	nf := float64(n)
	q0 := hi / nf
	if q0 == 0 || math.Abs(q0) < fastMin {
		return 0, 0, 0, false, false
	}
	p := q0 * nf
	pe := math.FMA(q0, nf, -p)
	r := ((hi - p) - pe) + lo
	c1 := r / nf
	e1 := math.FMA(-c1, nf, r) / nf // what the rounding of c1 lost
	q = q0 + c1
	tail = (c1 - (q - q0)) + e1
	u2 := unitRoundoff * unitRoundoff
	bound = 8*(nf+4)*u2*sabs/nf + 4*unitRoundoff*math.Abs(c1)
	return q, tail, bound, true, math.Abs(tail)+bound < halfGap(q, tail)
}

// exactMean returns the mean of xs rounded to nearest, ties to even, like
// Python's statistics.mean. It returns NaN for an empty slice.
func exactMean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	if q, _, _, _, decided := meanDD(xs); decided {
		return q
	}
	// Near a tie (about 1 % of daily data: sums of values on a common
	// grid often land exactly halfway), decide with integers.
	if q, ok := intMean(xs); ok {
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
	if mh, ml, mb, valid, _ := meanDD(xs); valid {
		if s, ok := stdDevDD(xs, mh, ml, mb, slices.Min(xs), slices.Max(xs)); ok {
			return s
		}
	}
	return bigStdDev(xs)
}

// stdDevDD is the fast path of exactStdDev, given the mean as mh+ml within
// mb from meanDD and the minimum and maximum of xs.
func stdDevDD(xs []float64, mh, ml, mb, lo, hi float64) (float64, bool) {
	if lo == hi {
		return 0, true // constant data
	}
	if !(hi-lo < 0x1p500) {
		return 0, false // squares could overflow
	}
	nf := float64(len(xs))
	u2 := unitRoundoff * unitRoundoff
	var ss, sl, errSS float64
	if (mh > 0 && lo >= mh/2 && hi <= 2*mh) || (mh < 0 && hi <= mh/2 && lo >= 2*mh) {
		// Every x lies within a factor 2 of mh, so x - mh is exact
		// (Sterbenz). Sum (x - mh)^2 exactly up to u^2, then use
		// sum (x-M)^2 = sum (x-mh)^2 - n (M-mh)^2 with M - mh = ml +- mb.
		var sh, sc, small, sh2, sc2, small2 float64
		k := 0
		for ; k+1 < len(xs); k += 2 {
			dh, eh := xs[k]-mh, xs[k+1]-mh
			p, q := dh*dh, eh*eh
			t, u := sh+p, sh2+q
			z, w := t-sh, u-sh2
			sc += (sh - (t - z)) + (p - z)
			sc2 += (sh2 - (u - w)) + (q - w)
			sh, sh2 = t, u
			small += math.FMA(dh, dh, -p)
			small2 += math.FMA(eh, eh, -q)
		}
		if k < len(xs) {
			dh := xs[k] - mh
			p := dh * dh
			t := sh + p
			z := t - sh
			sc += (sh - (t - z)) + (p - z)
			sh = t
			small += math.FMA(dh, dh, -p)
		}
		sh, e := twoSum(sh, sh2)
		corr := nf * ml * ml
		ss, sl = twoSum(sh, (sc+sc2+e)+(small+small2)-corr)
		if ss <= 0 {
			return 0, false
		}
		errSS = 8*nf*u2*ss + 2*nf*math.Abs(ml)*mb + nf*mb*mb + 2*unitRoundoff*corr
	} else {
		// Sum the squared deviations: the big parts dh*dh in a compensated
		// sum, the small corrections (each about u times smaller) in a plain
		// one. Two interleaved accumulators shorten the dependency chains.
		var sh, sc, small, sh2, sc2, small2 float64
		k := 0
		for ; k+1 < len(xs); k += 2 {
			x, y := xs[k], xs[k+1]
			dh := x - mh
			dl := twoSumErr(x, -mh, dh) - ml
			eh := y - mh
			el := twoSumErr(y, -mh, eh) - ml
			p, q := dh*dh, eh*eh
			t, u := sh+p, sh2+q
			z, w := t-sh, u-sh2
			sc += (sh - (t - z)) + (p - z)
			sc2 += (sh2 - (u - w)) + (q - w)
			sh, sh2 = t, u
			small += math.FMA(dh, dh, -p) + (2*dh+dl)*dl
			small2 += math.FMA(eh, eh, -q) + (2*eh+el)*el
		}
		if k < len(xs) {
			x := xs[k]
			dh := x - mh
			dl := twoSumErr(x, -mh, dh) - ml
			p := dh * dh
			t := sh + p
			z := t - sh
			sc += (sh - (t - z)) + (p - z)
			sh = t
			small += math.FMA(dh, dh, -p) + (2*dh+dl)*dl
		}
		sh, e := twoSum(sh, sh2)
		sc += sc2 + e
		small += small2
		ss, sl = twoSum(sh, sc+small)
		if ss == 0 {
			return 0, false
		}
		// The largest |x - mh|, rounded up.
		dmax := math.Max(hi-mh, mh-lo) * (1 + 4*unitRoundoff)
		// Each deviation is off by at most errd; by Cauchy-Schwarz the sum
		// of |deviation| is at most sqrt(n SS).
		errd := mb + 2*unitRoundoff*(unitRoundoff*dmax+math.Abs(ml))
		errSum := (2*math.Sqrt(nf*ss)*1.01 + nf*errd) * errd
		errSS = 1.01*errSum + 8*nf*u2*ss
	}
	// Squares below the normal range lose their FMA error terms; allow for
	// that (it only matters for data near the underflow threshold).
	errSS += nf * 0x1p-1000
	d := nf - 1
	vh := ss / d
	vl := (math.FMA(-vh, d, ss) + sl) / d
	errV := errSS/d + 4*u2*vh
	s0 := math.Sqrt(vh)
	r := math.FMA(-s0, s0, vh) + vl
	c := r / (2 * s0)
	ec := math.FMA(-c, 2*s0, r) / (2 * s0)
	s := s0 + c
	tail := (c - (s - s0)) + ec
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

// intMean computes the correctly rounded mean with 128-bit integers: every
// value is an integer multiple of the smallest ulp among them, so the sum is
// exact. It reports false when the values span too many binary orders of
// magnitude, there are too many of them, or the result would be subnormal.
func intMean(xs []float64) (float64, bool) {
	n := len(xs)
	if n == 0 || n >= 1<<14 {
		return 0, false
	}
	emin, emax := 4096, -4096
	for _, x := range xs {
		if x == 0 {
			continue
		}
		e := int(math.Float64bits(x)>>52) & 0x7ff
		if e == 0 || e == 0x7ff {
			return 0, false // subnormal, Inf or NaN
		}
		emin = min(emin, e)
		emax = max(emax, e)
	}
	if emax < emin {
		return 0, true // all zero
	}
	if emax-emin > 60 {
		return 0, false
	}
	// Sum positive and negative magnitudes, each mant << (e - emin), in
	// 128 bits: at most 2^(53+60) each, times fewer than 2^14 values.
	var ph, pl, nh, nl uint64
	for _, x := range xs {
		if x == 0 {
			continue
		}
		b := math.Float64bits(x)
		e := int(b>>52) & 0x7ff
		m := b&(1<<52-1) | 1<<52
		sh := uint(e - emin)
		lo, hi := m<<sh, uint64(0)
		if sh > 0 {
			hi = m >> (64 - sh)
		}
		var c uint64
		if b>>63 == 0 {
			pl, c = bits.Add64(pl, lo, 0)
			ph, _ = bits.Add64(ph, hi, c)
		} else {
			nl, c = bits.Add64(nl, lo, 0)
			nh, _ = bits.Add64(nh, hi, c)
		}
	}
	neg := ph < nh || (ph == nh && pl < nl)
	if neg {
		ph, pl, nh, nl = nh, nl, ph, pl
	}
	var bw uint64
	dl, bw := bits.Sub64(pl, nl, 0)
	dh, _ := bits.Sub64(ph, nh, bw)
	if dh == 0 && dl == 0 {
		return 0, true
	}
	// Scale the difference to use all 128 bits, then divide by n.
	k := uint(bits.LeadingZeros64(dh))
	if dh == 0 {
		k = 64 + uint(bits.LeadingZeros64(dl))
	}
	k-- // keep the top bit clear
	if k >= 64 {
		dh, dl = dl<<(k-64), 0
	} else if k > 0 {
		dh, dl = dh<<k|dl>>(64-k), dl<<k
	}
	un := uint64(n)
	qh, r := dh/un, dh%un
	ql, r := bits.Div64(r, dl, un)
	// The quotient has at least 127 - 14 bits; keep 53, round half to even
	// with the remainder as sticky.
	var L int
	if qh != 0 {
		L = 128 - bits.LeadingZeros64(qh)
	} else {
		L = 64 - bits.LeadingZeros64(ql)
	}
	drop := uint(L - 53) // at least 60
	// Keep 54 bits (53 and the rounding bit); the rest and the remainder
	// are sticky.
	s := drop - 1
	var mant54 uint64
	var below bool
	if s >= 64 {
		mant54 = qh >> (s - 64)
		below = ql != 0 || qh&(1<<(s-64)-1) != 0
	} else {
		mant54 = ql>>s | qh<<(64-s)
		below = ql&(1<<s-1) != 0
	}
	below = below || r != 0
	mant := mant54 >> 1
	if mant54&1 == 1 && (below || mant&1 == 1) {
		mant++
	}
	// value = mant * 2^(drop) * 2^(emin-1075) / 2^k
	exp := int(drop) + emin - 1075 - int(k)
	if mant == 1<<53 {
		mant >>= 1
		exp++
	}
	if exp+52 < -1022 || exp+52 > 1023 {
		return 0, false
	}
	v := math.Ldexp(float64(mant), exp)
	if neg {
		v = -v
	}
	return v, true
}
