package samples

import (
	"fmt"
	"slices"
	"strings"
)

// Batch sizes the API accepts.
const (
	// MinBatch is the fewest samples one request may carry.
	MinBatch = 3
	// MaxBatch is the most samples one request may carry.
	MaxBatch = 1000
)

// TooFewError reports devices with fewer than MinBatch samples: the API
// cannot take them in a batch of their own. Nothing is dropped: Samples
// holds them so the caller can keep them until more arrive.
type TooFewError struct {
	// Samples are the held-back samples, grouped by device in time order.
	Samples []Sample
	// Devices names the devices they belong to.
	Devices []string
}

// Error names the devices and how many samples each held back.
func (e *TooFewError) Error() string {
	return fmt.Sprintf("samples: %d sample(s) of device(s) %s held back: a batch needs at least %d samples of one device",
		len(e.Samples), strings.Join(e.Devices, ", "), MinBatch)
}

// Batches groups samples by device name (devices in order of first
// appearance), sorts each device's samples by start time (stable; the
// caller's slice is not modified) and splits them into as few batches as
// possible of MinBatch..MaxBatch samples: n samples make ceil(n/1000)
// batches of sizes that differ by at most one (1001 gives 501 and 500,
// never 1000 and 1). A device with 1 or 2 samples cannot be sent: its
// samples come back in a *TooFewError beside the batches of the other
// devices. No samples give no batches and no error.
func Batches(samples []Sample) ([][]Sample, error) {
	var out [][]Sample
	var short *TooFewError
	for _, dev := range byDevice(samples) {
		if len(dev) < MinBatch {
			if short == nil {
				short = &TooFewError{}
			}
			short.Samples = append(short.Samples, dev...)
			short.Devices = append(short.Devices, dev[0].DeviceName)
			continue
		}
		out = appendSplit(out, dev)
	}
	if short != nil {
		return out, short
	}
	return out, nil
}

// appendSplit appends dev (3 or more samples) cut into ceil(n/MaxBatch)
// batches whose sizes differ by at most one.
func appendSplit(out [][]Sample, dev []Sample) [][]Sample {
	n := len(dev)
	k := (n + MaxBatch - 1) / MaxBatch
	size, extra := n/k, n%k
	for i := 0; i < k; i++ {
		m := size
		if i < extra {
			m++
		}
		out = append(out, dev[:m:m])
		dev = dev[m:]
	}
	return out
}

// byDevice copies samples into one slice ordered by device (first
// appearance) then start time, and returns each device's part.
func byDevice(samples []Sample) [][]Sample {
	if len(samples) == 0 {
		return nil
	}
	order := map[string]int{}
	var counts []int
	for i := range samples {
		d := samples[i].DeviceName
		k, ok := order[d]
		if !ok {
			k = len(counts)
			order[d] = k
			counts = append(counts, 0)
		}
		counts[k]++
	}
	all := make([]Sample, len(samples))
	next := make([]int, len(counts))
	parts := make([][]Sample, len(counts))
	pos := 0
	for k, c := range counts {
		next[k] = pos
		parts[k] = all[pos : pos+c : pos+c]
		pos += c
	}
	for i := range samples {
		k := order[samples[i].DeviceName]
		all[next[k]] = samples[i]
		next[k]++
	}
	for _, p := range parts {
		if !slices.IsSortedFunc(p, byStart) {
			slices.SortStableFunc(p, byStart)
		}
	}
	return parts
}

func byStart(a, b Sample) int { return a.Start.Compare(b.Start) }
