package analytics

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"
)

// Point is one dated value of a metric, such as a night's HRV or a day's
// sleep score. Only the calendar date of Date (in its own location) matters
// for the day windows and for recency (which points are the most recent or
// the latest); the full time orders points within a date. Between points
// of one location recency may be read from the time alone, which gives the
// same order except, possibly, in the repeated hour of a zone that turns
// its clocks back across midnight.
type Point struct {
	Date  time.Time
	Value float64
}

// Status tells how much data stands behind a baseline. It is an open string
// enum: values other than the constants below are kept as they are.
type Status string

// Baseline statuses, by sample count as the Polar flow server assigns them.
const (
	StatusReady        Status = "ready"        // 21 or more samples
	StatusPartial      Status = "partial"      // 7 to 20 samples
	StatusInsufficient Status = "insufficient" // fewer than 7 samples
)

// String returns the status value, or a note that it is unknown.
func (s Status) String() string {
	switch s {
	case StatusReady, StatusPartial, StatusInsufficient:
		return string(s)
	}
	return fmt.Sprintf("unknown status %q", string(s))
}

// Sample-count thresholds of the Polar flow server.
const (
	MinSamplesPartial = 7  // from here a baseline has quartiles and a status of partial
	MinSamplesReady   = 21 // from here a baseline is ready
)

// Errors returned by the package.
var (
	// ErrTooFewSamples means there are not enough values for the statistic.
	ErrTooFewSamples = errors.New("analytics: too few samples")
	// ErrConstantInput means a correlation input has no variance, where the
	// coefficient is undefined (scipy answers nan).
	ErrConstantInput = errors.New("analytics: constant input, correlation undefined")
	// ErrLengthMismatch means paired inputs have different lengths.
	ErrLengthMismatch = errors.New("analytics: inputs differ in length")
	// ErrNaN means an input that must be complete holds a NaN.
	ErrNaN = errors.New("analytics: input holds NaN")
	// ErrInvalidValue means an input or option holds a value the
	// computation cannot use, such as an infinity or an RR interval that is
	// not positive; the error names the index or field.
	ErrInvalidValue = errors.New("analytics: invalid value")
)

// Baseline is a personal reference for one metric, as the Polar flow server's
// baselines endpoint reports it.
//
// With at least 7 samples every field is set. With fewer (StatusInsufficient)
// only Value (the mean, 0 when there is no sample), Min, Max (0 when empty),
// SampleCount and the dates are set; Median, Q1, Q3, IQR, StdDev and the
// bounds are zero, where the server answers null, and Check reports no
// anomaly.
type Baseline struct {
	Value       float64 // mean of all samples (baseline_value)
	Median      float64
	Q1, Q3      float64 // quartiles by the chosen method, Exclusive by default
	IQR         float64 // Q3 - Q1
	StdDev      float64 // sample standard deviation (n-1); 0 for one sample
	Min, Max    float64
	LowerBound  float64 // Q1 - 1.5 IQR (see BaselineOptions.FloorLowerBound)
	UpperBound  float64 // Q3 + 1.5 IQR
	SampleCount int
	Status      Status

	// Means of the 7, 30 and 90 most recent samples by date, nil when there
	// are fewer samples than that (the 7-sample mean also needs Status ready
	// or partial).
	Baseline7d, Baseline30d, Baseline90d *float64

	// DataStart and DataEnd are the earliest and latest dates used; zero when
	// there is no sample.
	DataStart, DataEnd time.Time

	// Method is the quantile method used for Q1 and Q3.
	Method QuantileMethod
}

// BaselineOptions adjusts ComputeBaselineWith. The zero value reproduces the
// Polar flow server on the points given, without a date window.
type BaselineOptions struct {
	// Method for Q1 and Q3; empty means Exclusive (Python's default, the
	// server's choice).
	Method QuantileMethod
	// AsOf and WindowDays keep only points dated on or after AsOf minus
	// WindowDays calendar days, as the server's "last 90 days" query
	// (date >= today - 90 days) does. Zero WindowDays keeps every point.
	AsOf       time.Time
	WindowDays int
	// ExcludeAsOf also drops points dated on AsOf itself or later, for a
	// metric whose "today" is a partial day. Server code after version
	// 1.5.0 does this for training_load; 1.5.0 does not, and neither does
	// ServerOptions.
	ExcludeAsOf bool
	// PositiveOnly keeps only values > 0 (the server's rule for
	// training_load and training_load_ratio, where Polar sends -1 for "not
	// available").
	PositiveOnly bool
	// FloorLowerBound clamps LowerBound at 0. Newer server code reports the
	// bound this way for its non-negative metrics; the anomaly check itself
	// always uses the unclamped Q1 - 1.5 IQR.
	FloorLowerBound bool
}

// Polar metric names, as used by the server's baselines and insights.
const (
	MetricHRV               = "hrv_rmssd"
	MetricSleepScore        = "sleep_score"
	MetricRestingHR         = "resting_hr"
	MetricTrainingLoad      = "training_load"
	MetricTrainingLoadRatio = "training_load_ratio"
)

// ServerOptions returns the options under which the Polar flow server
// (version 1.5.0) computes the baseline of metric on day today: points dated
// on or after today - 90 days (today and any later date included), and for
// training_load and training_load_ratio only values > 0.
func ServerOptions(metric string, today time.Time) BaselineOptions {
	o := BaselineOptions{AsOf: today, WindowDays: 90}
	switch metric {
	case MetricTrainingLoad, MetricTrainingLoadRatio:
		o.PositiveOnly = true
	}
	return o
}

// ComputeBaseline computes the baseline of points the way the Polar flow
// server does: NaN values (null rows) are dropped, and so are ±Inf, which no
// measurement gives and which would turn the mean and standard deviation
// into Inf or NaN; the mean is the baseline value, Q1 and Q3 come from the
// exclusive quantile method, and the recent means use the most recent
// samples by date. The points may come in any order; among points with
// equal dates the earlier one in the slice counts as more recent. Mean and
// standard deviation are correctly rounded, as Python's statistics module
// computes them, so the results agree with the server bit for bit; so do
// the median and quartiles, whose interpolation overflows to ±Inf (and the
// IQR to NaN) for values beyond about ±4e307, as Python's does.
// It is safe for concurrent use; its scratch space comes from a pool.
func ComputeBaseline(points []Point) Baseline {
	c := calcPool.Get().(*Calculator)
	b := c.Baseline(points)
	if cap(c.vals) <= 1<<16 { // do not keep huge buffers alive
		calcPool.Put(c)
	}
	return b
}

// calcPool recycles default Calculators for ComputeBaseline.
var calcPool = sync.Pool{New: func() any { return new(Calculator) }}

// ComputeBaselineWith is ComputeBaseline with options. It fails only on an
// unknown quantile method or a negative window (ErrInvalidValue naming the
// field).
func ComputeBaselineWith(points []Point, opts BaselineOptions) (Baseline, error) {
	c, err := NewCalculator(opts)
	if err != nil {
		return Baseline{}, err
	}
	return c.Baseline(points), nil
}

// Calculator computes baselines with reusable scratch space: after the
// first call, a baseline costs one 24-byte allocation (the three recent
// means). A Calculator is not safe for concurrent use; use one per
// goroutine. The zero value uses the default options.
type Calculator struct {
	opts   BaselineOptions
	vals   []float64 // values, most recent first
	sorted []float64
	idx    []int32
	days   []int64 // calendar days by point index, for mixed orders
	ids    []uint8
}

// NewCalculator returns a Calculator with the given options.
func NewCalculator(opts BaselineOptions) (*Calculator, error) {
	if opts.Method == "" {
		opts.Method = Exclusive
	}
	if !opts.Method.valid() {
		return nil, fmt.Errorf("%w: BaselineOptions.Method: %v", ErrInvalidValue, opts.Method)
	}
	if opts.WindowDays < 0 {
		return nil, fmt.Errorf("%w: BaselineOptions.WindowDays is %d, want 0 or more", ErrInvalidValue, opts.WindowDays)
	}
	return &Calculator{opts: opts}, nil
}

// civilDay numbers the calendar date of t (in t's location) in days since
// 1970-01-01: the wall clock's seconds (Unix time plus the zone's offset)
// divided by 86400, rounded down.
func civilDay(t time.Time) int64 {
	_, off := t.Zone()
	s := t.Unix() + int64(off)
	d := s / 86400
	if s%86400 < 0 {
		d--
	}
	return d
}

// newer reports whether a is more recent than b: a later calendar date (each
// in its own location), or the same date and a later time; within one
// location, a later time (see Point).
func newer(a, b time.Time) bool {
	if a.Location() != b.Location() {
		if da, db := civilDay(a), civilDay(b); da != db {
			return da > db
		}
	}
	return a.After(b)
}

// finite reports whether v is neither NaN nor ±Inf (v-v is NaN for those).
func finite(v float64) bool { return v-v == 0 }

// keep reports whether a point passes the NaN/Inf, sign and window filters.
func (c *Calculator) keep(p *Point, lo, hi int64, windowed bool) bool {
	if !finite(p.Value) {
		return false
	}
	if !windowed && !c.opts.PositiveOnly {
		return true
	}
	if c.opts.PositiveOnly && !(p.Value > 0) {
		return false
	}
	if windowed {
		d := civilDay(p.Date)
		if d < lo || d >= hi {
			return false
		}
	}
	return true
}

// Baseline computes the baseline of points with the Calculator's options.
func (c *Calculator) Baseline(points []Point) Baseline {
	method := c.opts.Method
	if method == "" {
		method = Exclusive
	}
	var lo, hi int64 = math.MinInt64, math.MaxInt64
	windowed := false
	if c.opts.WindowDays > 0 || c.opts.ExcludeAsOf {
		windowed = true
		asOf := civilDay(c.opts.AsOf)
		if c.opts.WindowDays > 0 {
			lo = asOf - int64(c.opts.WindowDays)
		}
		if c.opts.ExcludeAsOf {
			hi = asOf
		}
	}

	// Order by date, most recent first, stable. Data usually arrives sorted
	// oldest or newest first: take the values in one pass while checking
	// that, and sort indexes only when the order is mixed.
	n := len(points)
	if cap(c.vals) < n {
		c.vals = make([]float64, 0, n)
		c.sorted = make([]float64, 0, n)
	}
	vals := c.vals[:0]
	plain := !windowed && !c.opts.PositiveOnly // only NaN and Inf to drop
	asc, desc := true, true
	var psec, pday int64
	var pns int
	var pdayOK bool
	var ploc *time.Location
	vmin, vmax := math.Inf(1), math.Inf(-1)
	newest, oldest := -1, -1 // indexes of the kept points with the latest and earliest dates
	for i := range points {
		// Recency is the calendar date, then the time within it (Unix
		// seconds, then nanoseconds, cheaper to read than Time.Compare).
		// Instant order alone is not date order across locations; within
		// one location they agree (see Point), so days are computed only
		// where the location changes, once per point.
		sec, ns := points[i].Date.Unix(), points[i].Date.Nanosecond()
		loc := points[i].Date.Location()
		day, dayOK := int64(0), false
		if i > 0 {
			later := sec > psec || (sec == psec && ns > pns)
			if loc != ploc {
				day, dayOK = civilDay(points[i].Date), true
				if !pdayOK {
					pday = civilDay(points[i-1].Date)
				}
				if day != pday {
					later = day > pday
				}
			}
			if later {
				desc = false
			} else {
				asc = false
			}
			if !asc && !desc {
				break
			}
		}
		ploc, psec, pns, pday, pdayOK = loc, sec, ns, day, dayOK
		if v := points[i].Value; (plain && finite(v)) || (!plain && c.keep(&points[i], lo, hi, windowed)) {
			vals = append(vals, v)
			if v < vmin {
				vmin = v
			}
			if v > vmax {
				vmax = v
			}
			if newest < 0 {
				newest = i
			}
			oldest = i
		}
	}
	switch {
	case n < 2 || desc:
	case asc:
		// vals is oldest first; fromRecentFirst reads it from the back.
		newest, oldest = oldest, newest
	default:
		vals = vals[:0]
		idx := c.idx[:0]
		if cap(c.days) < n {
			c.days = make([]int64, n)
		}
		days := c.days[:n]
		for i := range points {
			if c.keep(&points[i], lo, hi, windowed) {
				idx = append(idx, int32(i))
				days[i] = civilDay(points[i].Date)
			}
		}
		slices.SortStableFunc(idx, func(a, b int32) int {
			if da, db := days[a], days[b]; da != db {
				if da > db {
					return -1
				}
				return 1
			}
			return points[b].Date.Compare(points[a].Date)
		})
		for _, i := range idx {
			vals = append(vals, points[i].Value)
		}
		newest, oldest = -1, -1
		if len(idx) > 0 {
			newest, oldest = int(idx[0]), int(idx[len(idx)-1])
		}
		c.idx = idx
	}
	c.vals = vals
	// The minimum and maximum found on the way are those of vals unless
	// the order was mixed or a zero could be -0 or +0 (Python keeps the
	// first in recency order); recompute then.
	known := (asc || desc) && vmin != 0 && vmax != 0
	b := c.fromRecentFirst(vals, asc && n >= 2, method, vmin, vmax, known)
	if newest >= 0 {
		b.DataStart, b.DataEnd = points[oldest].Date, points[newest].Date
	}
	return b
}

// fromRecentFirst computes the statistics of vals, ordered most recent
// first, or oldest first when reversed is set.
func (c *Calculator) fromRecentFirst(vals []float64, reversed bool, method QuantileMethod, vmin, vmax float64, known bool) Baseline {
	n := len(vals)
	b := Baseline{SampleCount: n, Method: method, Status: StatusInsufficient}
	switch {
	case n >= MinSamplesReady:
		b.Status = StatusReady
	case n >= MinSamplesPartial:
		b.Status = StatusPartial
	}
	if n == 0 {
		return b
	}
	if n < MinSamplesPartial {
		b.Value = exactMean(vals)
	}
	b.Min, b.Max = vmin, vmax
	if !known {
		// Python's min/max keep the first of equal values in recency
		// order; only -0/+0 differ.
		b.Min, b.Max = math.Inf(1), math.Inf(-1)
		for i := range vals {
			v := vals[i]
			if reversed {
				v = vals[n-1-i]
			}
			if v < b.Min {
				b.Min = v
			}
			if v > b.Max {
				b.Max = v
			}
		}
	}
	if n < MinSamplesPartial {
		return b
	}
	// One compensated pass gives the 7- and 30-sample means on the way to
	// the total.
	// recent returns the values at recency ranks [from, to).
	recent := func(from, to int) []float64 {
		if reversed {
			return vals[n-to : n-from]
		}
		return vals[from:to]
	}
	finish := func(acc ddSum, k int) float64 {
		if q, _, _, _, decided := acc.mean(k); decided {
			return q
		}
		return exactMean(recent(0, k))
	}
	var acc ddSum
	acc.add(recent(0, 7))
	mean7 := finish(acc, 7)
	done := 7
	var mean30 float64
	if n >= 30 {
		acc.add(recent(7, 30))
		mean30 = finish(acc, 30)
		done = 30
	}
	acc.add(recent(done, n))
	mq, mtail, mbound, mvalid, mdecided := acc.mean(n)
	b.Value = mq
	if !mdecided {
		b.Value = exactMean(vals)
	}
	// Only a few order statistics are needed: select them instead of
	// sorting everything.
	var buf [8]int
	ks := orderPositions(buf[:0], n, method)
	s := c.sorted[:n]
	if cap(c.ids) < n {
		c.ids = make([]uint8, n)
	}
	// Buckets pay off for the usual 90-day windows; long series go
	// straight to quickselect.
	if n > 256 || !bucketSelect(s, vals, ks, b.Min, b.Max, c.ids[:n]) {
		copy(s, vals)
		selectPositions(s, ks)
	}
	b.Median = medianSorted(s)
	b.Q1 = quantileSorted(s, 1, 4, method)
	b.Q3 = quantileSorted(s, 3, 4, method)
	b.IQR = b.Q3 - b.Q1
	b.LowerBound = b.Q1 - 1.5*b.IQR
	if c.opts.FloorLowerBound && b.LowerBound < 0 {
		b.LowerBound = 0
	}
	b.UpperBound = b.Q3 + 1.5*b.IQR
	sd, ok := 0.0, false
	if mvalid {
		sd, ok = stdDevDD(vals, mq, mtail, mbound, b.Min, b.Max)
	}
	if !ok {
		sd = exactStdDev(vals)
	}
	b.StdDev = sd
	// One allocation holds the three recent means.
	means := new([3]float64)
	means[0] = mean7
	b.Baseline7d = &means[0]
	if n >= 30 {
		means[1] = mean30
		b.Baseline30d = &means[1]
	}
	if n >= 90 {
		means[2] = b.Value
		if n > 90 {
			means[2] = exactMean(recent(0, 90))
		}
		b.Baseline90d = &means[2]
	}
	return b
}

func ptr(v float64) *float64 { return &v }
