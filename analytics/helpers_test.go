package analytics

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

var (
	nan = math.NaN()
	inf = math.Inf(1) // the generator writes inf for infinite values
	_   = inf
)

func f64p(v float64) *float64 { return &v }

var day0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func dayN(n int) time.Time { return day0.AddDate(0, 0, n) }

type baselineWant struct {
	n                                               int
	status                                          string
	mean, median, q1, q3, iqr, sd, min, max, lo, hi float64
	b7, b30, b90                                    *float64
	start, end                                      int
}

type baselineVector struct {
	name   string
	days   []int
	values []float64
	want   baselineWant
}

type momentVector struct {
	values   []float64
	mean, sd float64
}

type quantileVector struct {
	values                       []float64
	n                            int
	exclusive, inclusive, linear []float64
}

type correlationVector struct {
	name             string
	x, y             []float64
	rho, rhoP, r, rP float64
}

type hrvVector struct {
	rr                       []float64
	filter                   bool
	n, dropped, ndiff, nn50  int
	mean, sdnn, rmssd, pnn50 float64
}

// relErr is |got-want|/|want| (absolute when want is 0); NaN matches NaN.
func relErr(got, want float64) float64 {
	if math.IsNaN(want) || math.IsNaN(got) {
		if math.IsNaN(want) && math.IsNaN(got) {
			return 0
		}
		return math.Inf(1)
	}
	if got == want {
		return 0
	}
	if want == 0 {
		return math.Abs(got)
	}
	return math.Abs(got-want) / math.Abs(want)
}

// sameBits asserts exact equality, with NaN equal to NaN.
func sameBits(t *testing.T, want, got float64, msgAndArgs ...any) bool {
	t.Helper()
	if math.IsNaN(want) && math.IsNaN(got) {
		return true
	}
	return assert.Equal(t, math.Float64bits(want), math.Float64bits(got), append([]any{"want %v got %v", want, got}, msgAndArgs...)...)
}

// nanToZero maps the reference's None (encoded as NaN) to the Go zero value.
func nanToZero(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return v
}

type serverBaselineVector struct {
	name, metric string
	today        int
	days         []int
	values       []float64
	want         baselineWant
}

type seriesVector struct {
	days   []int
	values []float64
}

func (s seriesVector) points() []Point {
	ps := make([]Point, len(s.days))
	for i := range s.days {
		ps[i] = Point{Date: dayN(s.days[i]), Value: s.values[i]}
	}
	return ps
}

type userMetricWant struct {
	metric, status string
	n              int
	mean           float64
	hasRow         bool
	current        float64 // NaN for a null latest row
	percent        *float64
}

type anomalyWant struct {
	metric, severity string
	value            float64
}

// userVector is one synthetic user: series in the server's metric order
// (hrv_rmssd, sleep_score, resting_hr, training_load, training_load_ratio).
type userVector struct {
	name       string
	today, age int
	series     [5]seriesVector
	metrics    []userMetricWant
	anomalies  []anomalyWant
}

type readinessVector struct {
	days     int
	progress []float64
}

// assertBaseline compares b with a reference vector's expectations, bit for
// bit; bounds adds the IQR and the normal range, which only some vector
// tables carry.
func assertBaseline(t *testing.T, w baselineWant, b Baseline, bounds bool) {
	t.Helper()
	assert.Equal(t, w.n, b.SampleCount)
	assert.Equal(t, Status(w.status), b.Status)
	sameBits(t, w.mean, b.Value, "mean")
	sameBits(t, nanToZero(w.median), b.Median, "median")
	sameBits(t, nanToZero(w.q1), b.Q1, "q1")
	sameBits(t, nanToZero(w.q3), b.Q3, "q3")
	sameBits(t, nanToZero(w.sd), b.StdDev, "sd")
	sameBits(t, nanToZero(w.min), b.Min, "min")
	sameBits(t, nanToZero(w.max), b.Max, "max")
	if bounds {
		sameBits(t, nanToZero(w.iqr), b.IQR, "iqr")
		sameBits(t, nanToZero(w.lo), b.LowerBound, "lower bound")
		sameBits(t, nanToZero(w.hi), b.UpperBound, "upper bound")
	}
	for _, c := range []struct {
		name      string
		want, got *float64
	}{{"7d", w.b7, b.Baseline7d}, {"30d", w.b30, b.Baseline30d}, {"90d", w.b90, b.Baseline90d}} {
		if c.want == nil {
			assert.Nil(t, c.got, c.name)
		} else if assert.NotNil(t, c.got, c.name) {
			sameBits(t, *c.want, *c.got, c.name)
		}
	}
	if w.start < 0 {
		assert.True(t, b.DataStart.IsZero())
		assert.True(t, b.DataEnd.IsZero())
	} else {
		assert.Equal(t, dayN(w.start), b.DataStart)
		assert.Equal(t, dayN(w.end), b.DataEnd)
	}
}
