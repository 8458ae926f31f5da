package samplestest

import (
	"fmt"
	"math"
	"time"

	"github.com/wearkit/wearkit/samples"
	"github.com/wearkit/wearkit/wearkittest"
)

// Generate returns plausible samples of one data type from the shared
// physiological generator, for a phone or watch called device over
// [start, end): for BPM one heart rate a minute (CountPerMinute, no end
// time); for Steps one count per minute with any steps in it (Count, a
// one-minute span). Times keep start's Location, as a device would
// record them. The same person and span give the same samples.
func Generate(p *wearkittest.Person, dt samples.DataType, device string, start, end time.Time) ([]samples.Sample, error) {
	if !end.After(start) {
		return nil, fmt.Errorf("samplestest: Generate: end %s is not after start %s", end, start)
	}
	start = start.Truncate(time.Minute)
	minutes := int(end.Sub(start) / time.Minute)
	loc := start.Location()
	switch dt {
	case samples.BPM:
		hr := make([]float64, minutes)
		if err := p.HeartRate(start, 1.0/60, hr); err != nil {
			return nil, err
		}
		out := make([]samples.Sample, 0, minutes)
		for i, v := range hr {
			out = append(out, samples.Sample{DeviceName: device, Start: start.Add(time.Duration(i) * time.Minute),
				Unit: samples.CountPerMinute, Value: math.Round(v)})
		}
		return out, nil
	case samples.Steps:
		counts := make([]int, minutes)
		for _, t := range p.Steps(start, start.Add(time.Duration(minutes)*time.Minute)) {
			if i := int(t.Sub(start) / time.Minute); i >= 0 && i < minutes {
				counts[i]++
			}
		}
		var out []samples.Sample
		for i, n := range counts {
			if n > 0 {
				st := start.Add(time.Duration(i) * time.Minute).In(loc)
				out = append(out, samples.Sample{DeviceName: device, Start: st, End: st.Add(time.Minute), Unit: samples.Count, Value: float64(n)})
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("samplestest: Generate: data type %s", dt)
}
