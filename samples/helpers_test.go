package samples_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/wearkit/wearkit/samples"
)

// wireSample and wireBatch are what a program would write with
// encoding/json: the reference the hand-written encoder must match and
// beat.
type wireSample struct {
	DeviceName    string  `json:"device_name"`
	DeviceVersion string  `json:"device_version,omitempty"`
	StartDate     string  `json:"start_date"`
	EndDate       string  `json:"end_date,omitempty"`
	Unit          string  `json:"unit"`
	Value         float64 `json:"value"`
}

type wireBatch struct {
	UserID   string       `json:"user_id,omitempty"`
	DataType string       `json:"data_type"`
	Data     []wireSample `json:"data"`
}

func stdEncode(userID string, dt samples.DataType, batch []samples.Sample) ([]byte, error) {
	w := wireBatch{UserID: userID, DataType: string(dt), Data: make([]wireSample, len(batch))}
	for i, s := range batch {
		w.Data[i] = wireSample{DeviceName: s.DeviceName, DeviceVersion: s.DeviceVersion,
			StartDate: s.Start.Format(samples.TimeLayout), Unit: string(s.Unit), Value: s.Value}
		if !s.End.IsZero() {
			w.Data[i].EndDate = s.End.Format(samples.TimeLayout)
		}
	}
	return json.Marshal(w)
}

var plus4 = time.FixedZone("+04", 4*3600)

// steps returns n valid step samples of one device, a minute apart.
func steps(device string, n int) []samples.Sample {
	out := make([]samples.Sample, n)
	t0 := time.Date(2023, 11, 1, 8, 0, 0, 0, plus4)
	for i := range out {
		st := t0.Add(time.Duration(i) * time.Minute)
		out[i] = samples.Sample{DeviceName: device, DeviceVersion: "17.0.3", Start: st, End: st.Add(50 * time.Second),
			Unit: samples.Count, Value: float64(10 + i%90)}
	}
	return out
}

// devices returns n samples spread over k devices, interleaved in time.
func devices(k, n int) []samples.Sample {
	out := make([]samples.Sample, 0, n)
	t0 := time.Date(2023, 11, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		st := t0.Add(time.Duration(i/k) * time.Minute)
		out = append(out, samples.Sample{DeviceName: fmt.Sprintf("watch-%d", i%k), Start: st, End: st.Add(time.Minute),
			Unit: samples.Count, Value: float64(1 + i%500)})
	}
	return out
}
