package analytics

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// benchSeries returns n daily points of a metric, oldest first, with values
// rounded the way devices report them (HRV to 0.1 ms, scores to integers).
func benchSeries(rng *rand.Rand, metric int, n int) []Point {
	ps := make([]Point, n)
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range ps {
		var v float64
		switch metric {
		case 0: // hrv_rmssd
			v = math.Round((45+9*rng.NormFloat64())*10) / 10
		case 1: // sleep_score
			v = float64(55 + rng.IntN(41))
		case 2: // resting_hr
			v = float64(48 + rng.IntN(15))
		case 3: // training_load
			v = math.Round(rng.Float64()*2000) / 10
		default: // training_load_ratio
			v = math.Round((0.6+rng.Float64()*1.2)*100) / 100
		}
		ps[i] = Point{Date: start.AddDate(0, 0, i), Value: v}
	}
	return ps
}

// BenchmarkBaseline90 is one 90-value baseline with ComputeBaseline.
func BenchmarkBaseline90(b *testing.B) {
	ps := benchSeries(rand.New(rand.NewPCG(7, 7)), 0, 90)
	b.ReportAllocs()
	for b.Loop() {
		ComputeBaseline(ps)
	}
}

// BenchmarkBaseline90Calculator is the same with a reused Calculator.
func BenchmarkBaseline90Calculator(b *testing.B) {
	ps := benchSeries(rand.New(rand.NewPCG(7, 7)), 0, 90)
	c, _ := NewCalculator(BaselineOptions{})
	b.ReportAllocs()
	for b.Loop() {
		c.Baseline(ps)
	}
}

// BenchmarkBaselines100kUsers5Metrics computes the baselines of 5 metrics of
// 90 days for 100,000 users per iteration with one Calculator (one core).
// The inputs are built once, outside the timing, from 1,000 distinct users
// repeated (100 MB of points would measure the memory system, not the code).
func BenchmarkBaselines100kUsers5Metrics(b *testing.B) {
	const users, metrics, distinct = 100_000, 5, 1000
	rng := rand.New(rand.NewPCG(1, 5))
	data := make([][]Point, distinct*metrics)
	for i := range data {
		data[i] = benchSeries(rng, i%metrics, 90)
	}
	c, _ := NewCalculator(BaselineOptions{})
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for u := 0; u < users; u++ {
			base := (u % distinct) * metrics
			for m := 0; m < metrics; m++ {
				c.Baseline(data[base+m])
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(users*metrics), "ns/baseline")
}

func spearmanBenchData() (x, y []float64) {
	rng := rand.New(rand.NewPCG(3, 3))
	x, y = make([]float64, 90), make([]float64, 90)
	for i := range x {
		x[i] = float64(55 + rng.IntN(41))
		y[i] = x[i]/2 + rng.NormFloat64()*5
	}
	return x, y
}

// BenchmarkSpearman90 is one 90-pair Spearman correlation with its p-value.
// Its baseline is BenchmarkSpearman90SortBaseline.
func BenchmarkSpearman90(b *testing.B) {
	x, y := spearmanBenchData()
	b.ReportAllocs()
	for b.Loop() {
		_, _, _ = Spearman(x, y)
	}
}

// BenchmarkSpearman90SortBaseline sorts copies of the same two series with
// slices.Sort: ranking cannot cost less, so it is the floor for Spearman.
func BenchmarkSpearman90SortBaseline(b *testing.B) {
	x, y := spearmanBenchData()
	xs, ys := make([]float64, len(x)), make([]float64, len(y))
	b.ReportAllocs()
	for b.Loop() {
		copy(xs, x)
		copy(ys, y)
		slices.Sort(xs)
		slices.Sort(ys)
	}
}

func hrvBenchData() []float64 {
	rng := rand.New(rand.NewPCG(4, 4))
	rr := make([]float64, 1000)
	v := 820.0
	for i := range rr {
		v = math.Min(math.Max(v+rng.NormFloat64()*30, 450), 1400)
		rr[i] = v
	}
	return rr
}

// BenchmarkHRV1000 is HRV metrics of 1,000 RR intervals with filtering.
// Its baseline is BenchmarkHRV1000NaiveBaseline.
func BenchmarkHRV1000(b *testing.B) {
	rr := hrvBenchData()
	b.ReportAllocs()
	for b.Loop() {
		_, _ = ComputeHRV(rr, HRVOptions{Filter: true})
	}
}

var hrvSink float64

// BenchmarkHRV1000NaiveBaseline computes mean, SDNN and RMSSD of the same
// intervals the textbook way, with no filtering, no NaN handling and plain
// sums: what ComputeHRV's extra care costs is the difference.
func BenchmarkHRV1000NaiveBaseline(b *testing.B) {
	rr := hrvBenchData()
	b.ReportAllocs()
	for b.Loop() {
		var sum, ss, sd2 float64
		for _, v := range rr {
			sum += v
		}
		mean := sum / float64(len(rr))
		for i, v := range rr {
			ss += (v - mean) * (v - mean)
			if i > 0 {
				d := v - rr[i-1]
				sd2 += d * d
			}
		}
		hrvSink = mean + math.Sqrt(ss/float64(len(rr)-1)) + math.Sqrt(sd2/float64(len(rr)-1))
	}
}

// organPipe returns n daily points whose values rise to n/2 and fall again
// (a metric that climbs and recovers): the order that defeats a
// median-of-three pivot.
func organPipe(n int) []Point {
	ps := make([]Point, n)
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range ps {
		v := float64(i)
		if i >= n/2 {
			v = float64(n - i)
		}
		ps[i] = Point{Date: start.Add(time.Duration(i) * time.Minute), Value: v}
	}
	return ps
}

// BenchmarkBaselineOrganPipe100k is the baseline of 100,000 points that rise
// and fall; BenchmarkSortOrganPipe100k, its baseline, sorts the same values.
// Selecting the quartiles must not cost more than a sort.
func BenchmarkBaselineOrganPipe100k(b *testing.B) {
	ps := organPipe(100_000)
	c, _ := NewCalculator(BaselineOptions{})
	for b.Loop() {
		c.Baseline(ps)
	}
}

// BenchmarkSortOrganPipe100k sorts the values of BenchmarkBaselineOrganPipe100k.
func BenchmarkSortOrganPipe100k(b *testing.B) {
	ps := organPipe(100_000)
	vs := make([]float64, len(ps))
	buf := make([]float64, len(ps))
	for i, p := range ps {
		vs[i] = p.Value
	}
	for b.Loop() {
		copy(buf, vs)
		slices.Sort(buf)
	}
}
