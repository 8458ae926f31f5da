package hexoskin

import (
	"sort"
	"time"

	"github.com/wearkit/wearkit/analytics"
	"github.com/wearkit/wearkit/binfmt"
)

// Points returns s as dated points, the input of package analytics
// (ComputeBaseline, Check, Spearman...), values unchanged.
func (s Series) Points() []analytics.Point {
	out := make([]analytics.Point, len(s))
	for i, p := range s {
		out[i] = analytics.Point{Date: p.T.Time(), Value: p.V}
	}
	return out
}

// Values returns the values of s in order.
func (s Series) Values() []float64 {
	out := make([]float64, len(s))
	for i, p := range s {
		out[i] = p.V
	}
	return out
}

// RRMillis returns the intervals of an RR or NN interval series in
// milliseconds, the unit of analytics.ComputeHRV, from the seconds Data,
// DataWindows, FullResolution and DataRecord give:
//
//	hrv, err := analytics.ComputeHRV(set.Series[hexoskin.RRInterval].RRMillis(), opts)
//
// It is for physical series only: a series fetched with DataQuery.Raw holds
// 1/256 s units and must not be passed.
func (s Series) RRMillis() []float64 {
	out := make([]float64, len(s))
	for i, p := range s {
		out[i] = p.V * 1000
	}
	return out
}

// Between returns the part of s in [from, to), sharing s's memory: the
// points of one analysis window. s must be in time order, as every series
// of this package is.
func (s Series) Between(from, to Timestamp) Series {
	i := sort.Search(len(s), func(i int) bool { return s[i].T >= from })
	j := sort.Search(len(s), func(j int) bool { return s[j].T >= to })
	if j < i {
		j = i
	}
	return s[i:j:j]
}

// SamplePoints returns binfmt samples of a record that starts at start
// (binfmt.Record.Start) as dated points for package analytics; their values
// are already physical.
func SamplePoints(start time.Time, samples []binfmt.Sample) []analytics.Point {
	out := make([]analytics.Point, len(samples))
	for i, s := range samples {
		out[i] = analytics.Point{Date: start.Add(time.Duration(s.Seconds * float64(time.Second))), Value: s.Value}
	}
	return out
}
