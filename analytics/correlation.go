package analytics

import (
	"fmt"
	"math"
	"slices"
	"time"

	"gonum.org/v1/gonum/mathext"
)

// Spearman returns Spearman's rank correlation of x and y and its two-sided
// p-value, as scipy.stats.spearmanr computes them: ranks with ties given
// their average rank, the Pearson correlation of the ranks computed the way
// numpy.corrcoef does (so rho agrees bit for bit on the reference vectors),
// then t = rho sqrt((n-2) / ((1+rho)(1-rho))) against Student's t with n-2
// degrees of freedom. A perfect correlation can come out as 0.9999999999999999
// there, and so it does here.
//
// Errors: ErrLengthMismatch; ErrNaN when an input holds NaN (scipy would
// answer nan); ErrTooFewSamples for fewer than 3 pairs (no p-value: scipy
// answers rho = ±1 and p = nan for 2); ErrConstantInput when x or y is
// constant (scipy warns and answers nan). On error rho and p are NaN.
func Spearman(x, y []float64) (rho, p float64, err error) {
	if err := checkPairs(x, y, 3); err != nil {
		return math.NaN(), math.NaN(), err
	}
	n := len(x)
	rx := rankAverage(x)
	ry := rankAverage(y)
	// numpy.corrcoef: covariances about the means, multiplied by 1/(n-1),
	// then c[1,0] / stddev[1] / stddev[0]. Ranks are multiples of 1/2, so
	// the sums below are exact.
	m := float64(n+1) / 2
	var sxx, syy, sxy float64
	for i := range rx {
		dx, dy := rx[i]-m, ry[i]-m
		sxx += dx * dx
		syy += dy * dy
		sxy += dx * dy
	}
	f := 1 / float64(n-1)
	rho = (sxy * f) / math.Sqrt(syy*f) / math.Sqrt(sxx*f)
	rho = math.Max(-1, math.Min(1, rho))
	dof := float64(n - 2)
	q := dof / ((rho + 1) * (1 - rho))
	if q < 0 {
		q = 0
	}
	t := rho * math.Sqrt(q)
	return rho, studentTwoSided(t, dof), nil
}

// studentTwoSided is 2 P(T > |t|) for Student's t with dof degrees of
// freedom: the regularized incomplete beta I_x(dof/2, 1/2) with
// x = dof/(dof+t^2). Where p is near 1 (x above (a+1)/(a+b+2) for
// a = dof/2, b = 1/2, the point where the continued fraction switches to
// the complement anyway) it is computed as 1 - I_{1-x}(1/2, dof/2) with
// 1-x = t^2/(dof+t^2) formed directly, which keeps the digits that x itself
// has lost to rounding.
func studentTwoSided(t, dof float64) float64 {
	if math.IsInf(t, 0) {
		return 0
	}
	if t == 0 {
		return 1
	}
	t2 := t * t
	a := dof / 2
	if x := dof / (dof + t2); x <= (a+1)/(a+2.5) {
		return mathext.RegIncBeta(a, 0.5, x)
	}
	return 1 - mathext.RegIncBeta(0.5, a, t2/(dof+t2))
}

// Pearson returns Pearson's correlation of x and y and its two-sided p-value
// as scipy.stats.pearsonr does: r from the centred, normalised vectors,
// clipped to [-1, 1], and p from the beta distribution of r under
// independence, 2 I_{(1-|r|)/2}(n/2-1, n/2-1). For two pairs r is ±1 and p
// is 1, as scipy answers. Errors as for Spearman, with at least 2 pairs,
// and ErrInvalidValue naming the pair for ±Inf. Values so large that their
// deviations from the mean would overflow (scipy answers nan) are halved
// first, which leaves r unchanged.
func Pearson(x, y []float64) (r, p float64, err error) {
	if err := checkPairs(x, y, 2); err != nil {
		return math.NaN(), math.NaN(), err
	}
	for i := range x {
		if math.IsInf(x[i], 0) || math.IsInf(y[i], 0) {
			return math.NaN(), math.NaN(), fmt.Errorf("%w: infinite value at pair %d", ErrInvalidValue, i)
		}
	}
	n := len(x)
	if n == 2 {
		r = sign(x[1]-x[0]) * sign(y[1]-y[0])
		return r, 1, nil
	}
	x, y = halveHuge(x), halveHuge(y)
	mx, my := exactMean(x), exactMean(y)
	// Scale the deviations to at most 1 in magnitude, as scipy's norm
	// does, so that their squares neither overflow nor underflow.
	var ax, ay float64
	for i := range x {
		ax = math.Max(ax, math.Abs(x[i]-mx))
		ay = math.Max(ay, math.Abs(y[i]-my))
	}
	var sxx, syy, sxy float64
	for i := range x {
		dx, dy := (x[i]-mx)/ax, (y[i]-my)/ay
		sxx += dx * dx
		syy += dy * dy
		sxy += dx * dy
	}
	r = sxy / (math.Sqrt(sxx) * math.Sqrt(syy))
	r = math.Max(-1, math.Min(1, r))
	a := float64(n)/2 - 1
	xb := (math.Abs(r) + 1) / 2
	p = 2 * mathext.RegIncBeta(a, a, 1-xb)
	return r, p, nil
}

// halveHuge returns v, or v halved (exactly, for values this large) when
// some |v[i]| exceeds 2^1022, so that v[i] - mean cannot overflow.
func halveHuge(v []float64) []float64 {
	for _, e := range v {
		if math.Abs(e) > 0x1p1022 {
			out := make([]float64, len(v))
			for i, e := range v {
				out[i] = e / 2
			}
			return out
		}
	}
	return v
}

func sign(v float64) float64 {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

func checkPairs(x, y []float64, min int) error {
	if len(x) != len(y) {
		return fmt.Errorf("%w: %d and %d", ErrLengthMismatch, len(x), len(y))
	}
	for i := range x {
		if math.IsNaN(x[i]) || math.IsNaN(y[i]) {
			return fmt.Errorf("%w at pair %d", ErrNaN, i)
		}
	}
	if len(x) < min {
		return fmt.Errorf("%w: %d pairs, need %d", ErrTooFewSamples, len(x), min)
	}
	if constant(x) || constant(y) {
		return ErrConstantInput
	}
	return nil
}

func constant(v []float64) bool {
	for _, e := range v[1:] {
		if e != v[0] {
			return false
		}
	}
	return true
}

// rankAverage returns the 1-based ranks of v, ties sharing their average
// rank (scipy.stats.rankdata's default "average" method).
func rankAverage(v []float64) []float64 {
	n := len(v)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case v[a] < v[b]:
			return -1
		case v[a] > v[b]:
			return 1
		}
		return 0
	})
	ranks := make([]float64, n)
	for i := 0; i < n; {
		j := i + 1
		for j < n && v[idx[j]] == v[idx[i]] {
			j++
		}
		// Ranks i+1 .. j share their average (i+1+j)/2.
		r := float64(i+1+j) / 2
		for k := i; k < j; k++ {
			ranks[idx[k]] = r
		}
		i = j
	}
	return ranks
}

// Significance grades a pattern. It is an open string enum.
type Significance string

// Significance levels used by correlations, trends and the overtraining risk.
const (
	SignificanceHigh         Significance = "high"
	SignificanceMedium       Significance = "medium"
	SignificanceLow          Significance = "low"
	SignificanceInsufficient Significance = "insufficient"
)

// String returns the level, or a note that it is unknown.
func (s Significance) String() string {
	switch s {
	case SignificanceHigh, SignificanceMedium, SignificanceLow, SignificanceInsufficient:
		return string(s)
	}
	return fmt.Sprintf("unknown significance %q", string(s))
}

// MinCorrelationPairs is the number of dated pairs the server needs before
// it reports the sleep-HRV correlation.
const MinCorrelationPairs = 21

// Correlation is the server's sleep_hrv_correlation pattern.
type Correlation struct {
	// Rho is Spearman's rho (the pattern's score); P its two-sided p-value.
	Rho, P float64
	// Confidence is 1 - P.
	Confidence float64
	// N is the number of dates present in both series.
	N int
	// Significance: P < 0.01 high, P < 0.05 medium, else low;
	// insufficient below MinCorrelationPairs pairs or for constant input
	// (then Rho, P and Confidence are NaN).
	Significance Significance
	// Strength is "strong" (|rho| >= 0.7), "moderate" (>= 0.4), "weak"
	// (>= 0.2) or "negligible"; Direction "positive" or "negative".
	Strength, Direction string
	// Interpretation is the server's one-line reading, or why there is none.
	Interpretation string
}

// AlignByDate pairs the values of a and b that fall on the same calendar
// date, in date order. NaN (null) and ±Inf (no measurement) values are
// dropped first; of several values on one date the last in the slice wins,
// as in the server's date-keyed dicts.
func AlignByDate(a, b []Point) (xs, ys []float64) {
	ma := byDay(a)
	mb := byDay(b)
	days := make([]int64, 0, len(ma))
	for d := range ma {
		if _, ok := mb[d]; ok {
			days = append(days, d)
		}
	}
	slices.Sort(days)
	xs = make([]float64, len(days))
	ys = make([]float64, len(days))
	for i, d := range days {
		xs[i], ys[i] = ma[d], mb[d]
	}
	return xs, ys
}

func byDay(ps []Point) map[int64]float64 {
	m := make(map[int64]float64, len(ps))
	for _, p := range ps {
		if finite(p.Value) {
			m[civilDay(p.Date)] = p.Value
		}
	}
	return m
}

// windowFrom keeps the points dated on or after today minus days.
func windowFrom(ps []Point, today time.Time, days int) []Point {
	lo := civilDay(today) - int64(days)
	out := make([]Point, 0, len(ps))
	for _, p := range ps {
		if civilDay(p.Date) >= lo {
			out = append(out, p)
		}
	}
	return out
}

// SleepHRVCorrelation computes the server's sleep_hrv_correlation on day
// today: Spearman's rho between sleep score and HRV on the dates of the last
// 90 days (date >= today - 90 days) where both exist.
func SleepHRVCorrelation(sleep, hrv []Point, today time.Time) Correlation {
	xs, ys := AlignByDate(windowFrom(sleep, today, 90), windowFrom(hrv, today, 90))
	c := Correlation{N: len(xs), Rho: math.NaN(), P: math.NaN(), Confidence: math.NaN(),
		Significance: SignificanceInsufficient}
	if len(xs) < MinCorrelationPairs {
		c.Interpretation = fmt.Sprintf("Insufficient data: %d samples, need %d", len(xs), MinCorrelationPairs)
		return c
	}
	rho, p, err := Spearman(xs, ys)
	if err != nil {
		c.Interpretation = "Could not compute correlation - data may lack variance"
		return c
	}
	c.Rho, c.P, c.Confidence = rho, p, 1-p
	switch {
	case p < 0.01:
		c.Significance = SignificanceHigh
	case p < 0.05:
		c.Significance = SignificanceMedium
	default:
		c.Significance = SignificanceLow
	}
	ar := math.Abs(rho)
	switch {
	case ar >= 0.7:
		c.Strength = "strong"
	case ar >= 0.4:
		c.Strength = "moderate"
	case ar >= 0.2:
		c.Strength = "weak"
	default:
		c.Strength = "negligible"
	}
	c.Direction = "negative"
	if rho > 0 {
		c.Direction = "positive"
	}
	c.Interpretation = fmt.Sprintf("%s%s %s correlation between sleep quality and HRV",
		string(c.Strength[0]-'a'+'A'), c.Strength[1:], c.Direction)
	switch {
	case rho > 0.3 && p < 0.05:
		c.Interpretation += ". Better sleep is associated with higher HRV."
	case rho < -0.3 && p < 0.05:
		c.Interpretation += ". This inverse relationship is unusual and may warrant investigation."
	}
	return c
}
