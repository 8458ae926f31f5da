package hexoskin

import (
	"context"
	"encoding/json"
	"iter"
	"strconv"
)

// DatatypeID is a Hexoskin datatype id (/api/datatype/<id>/). The set is
// open: ids this package does not list still work and print as unknown.
type DatatypeID int64

// Common datatype ids (vendor documentation and notes).
const (
	ECG                    DatatypeID = 4113 // ECG lead I, 256 Hz
	ECGII                  DatatypeID = 4114 // ECG lead II (Astroskin), 256 Hz
	ECGIII                 DatatypeID = 4115 // ECG lead III (Astroskin), 256 Hz
	RespirationThoracic    DatatypeID = 4129 // raw thoracic respiration, 128 Hz
	RespirationAbdominal   DatatypeID = 4130 // raw abdominal respiration, 128 Hz
	AccelerationX          DatatypeID = 4145 // 64 Hz
	AccelerationY          DatatypeID = 4146 // 64 Hz
	AccelerationZ          DatatypeID = 4147 // 64 Hz
	HeartRate              DatatypeID = 19   // 1 Hz, bpm
	HeartRateQuality       DatatypeID = 1000 // 1 Hz, HeartRateStatus bits
	BreathingRate          DatatypeID = 33   // 1 Hz, rpm
	BreathingRateQuality   DatatypeID = 1001 // 1 Hz, BreathingRateStatus bits
	MinuteVentilation      DatatypeID = 36   // 1 Hz
	TidalVolume            DatatypeID = 37   // 1 Hz
	MinuteVentilationAdj   DatatypeID = 38   // 1 Hz
	TidalVolumeAdj         DatatypeID = 39   // 1 Hz
	Activity               DatatypeID = 49   // 1 Hz, g
	Cadence                DatatypeID = 53   // 1 Hz, steps/min
	Temperature            DatatypeID = 81   // 1 Hz
	RRInterval             DatatypeID = 18   // asynchronous, 1/256 s
	RRIntervalQuality      DatatypeID = 1004 // asynchronous, RRStatus bits
	Inspiration            DatatypeID = 34   // asynchronous
	Expiration             DatatypeID = 35   // asynchronous
	Step                   DatatypeID = 52   // asynchronous
	DevicePosition         DatatypeID = 269  // asynchronous
	SleepPosition          DatatypeID = 270  // asynchronous
	SleepPhase             DatatypeID = 280  // asynchronous: 6 wake, 5 REM, 2 NREM
	NNInterval             DatatypeID = 318  // asynchronous
	HRVANN                 DatatypeID = 271  // every 300 s
	HRVSDNN                DatatypeID = 272  // every 300 s
	HRVLFNorm              DatatypeID = 273  // every 300 s
	HRVNNOverRR            DatatypeID = 274  // every 300 s
	HRVTriangular          DatatypeID = 275  // every 300 s
	HRVLF                  DatatypeID = 276  // every 300 s
	HRVHF                  DatatypeID = 277  // every 300 s
	HRVRMSSD               DatatypeID = 278  // every 300 s
	PPG                    DatatypeID = 64   // Astroskin
	SpO2                   DatatypeID = 66   // Astroskin
	PTT                    DatatypeID = 97   // Astroskin
	SystolicPressure       DatatypeID = 98   // Astroskin
	SystolicPressureStatus DatatypeID = 99   // Astroskin
)

// DatatypeInfo is a row of the table of common datatypes.
type DatatypeInfo struct {
	ID   DatatypeID
	Name string
	// Rate is the sampling rate in Hz (1/300 for HRV channels).
	Rate float64
	// Async marks event channels (RR, steps, ...): their points come at
	// irregular times and MaxRate bounds how many per second.
	Async bool
	// MaxRate is the rate used to size /api/data/ windows: Rate for
	// synchronous channels, a physiological upper bound for asynchronous ones.
	MaxRate float64
}

// UnknownMaxRate is the rate assumed for a datatype this package does not
// know when sizing data windows: the fastest one (ECG), so no answer is
// ever subsampled.
const UnknownMaxRate = 256

var datatypeTable = map[DatatypeID]DatatypeInfo{}

func init() {
	sync := func(id DatatypeID, name string, rate float64) {
		datatypeTable[id] = DatatypeInfo{ID: id, Name: name, Rate: rate, MaxRate: rate}
	}
	async := func(id DatatypeID, name string, maxRate float64) {
		datatypeTable[id] = DatatypeInfo{ID: id, Name: name, Async: true, MaxRate: maxRate}
	}
	sync(ECG, "ECG_I", 256)
	sync(ECGII, "ECG_II", 256)
	sync(ECGIII, "ECG_III", 256)
	sync(RespirationThoracic, "respiration_thoracic", 128)
	sync(RespirationAbdominal, "respiration_abdominal", 128)
	sync(AccelerationX, "acceleration_X", 64)
	sync(AccelerationY, "acceleration_Y", 64)
	sync(AccelerationZ, "acceleration_Z", 64)
	sync(HeartRate, "heart_rate", 1)
	sync(HeartRateQuality, "heart_rate_quality", 1)
	sync(BreathingRate, "breathing_rate", 1)
	sync(BreathingRateQuality, "breathing_rate_quality", 1)
	sync(MinuteVentilation, "minute_ventilation", 1)
	sync(TidalVolume, "tidal_volume", 1)
	sync(MinuteVentilationAdj, "minute_ventilation_adjusted", 1)
	sync(TidalVolumeAdj, "tidal_volume_adjusted", 1)
	sync(Activity, "activity", 1)
	sync(Cadence, "cadence", 1)
	sync(Temperature, "temperature", 1)
	// Heart beats: at most 4 per second (240 bpm); breaths, steps and
	// positions well below that.
	async(RRInterval, "RR_interval", 4)
	async(RRIntervalQuality, "RR_interval_quality", 4)
	async(NNInterval, "NN_interval", 4)
	async(Inspiration, "inspiration", 2)
	async(Expiration, "expiration", 2)
	async(Step, "step", 4)
	async(DevicePosition, "device_position", 1)
	async(SleepPosition, "sleep_position", 1)
	async(SleepPhase, "sleep_phase", 1)
	for i, n := range []string{"ANN", "SDNN", "LF_norm", "NN_over_RR", "triangular", "LF", "HF", "RMSSD"} {
		sync(HRVANN+DatatypeID(i), "HRV_"+n, 1.0/300)
	}
	sync(PPG, "PPG", 64)
	sync(SpO2, "SpO2", 1)
	sync(PTT, "PTT", 1)
	sync(SystolicPressure, "systolic_pressure", 1)
	sync(SystolicPressureStatus, "systolic_pressure_status", 1)
}

// Info returns the table row of id and whether the table knows it.
func (id DatatypeID) Info() (DatatypeInfo, bool) {
	d, ok := datatypeTable[id]
	return d, ok
}

// MaxRate returns the points per second used to size data windows: the
// table's rate, or UnknownMaxRate for an unknown id.
func (id DatatypeID) MaxRate() float64 {
	if d, ok := datatypeTable[id]; ok && d.MaxRate > 0 {
		return d.MaxRate
	}
	return UnknownMaxRate
}

// String returns the channel name, or "datatype(<id>, unknown)".
func (id DatatypeID) String() string {
	if d, ok := datatypeTable[id]; ok {
		return d.Name
	}
	return "datatype(" + strconv.FormatInt(int64(id), 10) + ", unknown)"
}

// KnownDatatypes lists the table of common datatypes, by id.
func KnownDatatypes() []DatatypeInfo {
	out := make([]DatatypeInfo, 0, len(datatypeTable))
	for _, d := range datatypeTable {
		out = append(out, d)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].ID < out[j-1].ID; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// Datatype is a datatype resource (/api/datatype/).
type Datatype struct {
	DataID DatatypeID `json:"dataid"`
	Name   string     `json:"name"`
	Info   string     `json:"info"`
	// Freq is hexo_freq in list views and freq in detail views; nil when
	// the datatype has no fixed rate.
	Freq        *float64 `json:"-"`
	ResourceURI string   `json:"resource_uri"`
	// Raw is the object as the API sent it.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a datatype, reading either freq or hexo_freq.
func (d *Datatype) UnmarshalJSON(b []byte) (err error) {
	type plain Datatype
	var f struct {
		HexoFreq *float64 `json:"hexo_freq"`
		Freq     *float64 `json:"freq"`
	}
	if d.Raw, err = unmarshalKeep(b, (*plain)(d)); err != nil {
		return err
	}
	_ = json.Unmarshal(b, &f)
	d.Freq = f.HexoFreq
	if d.Freq == nil {
		d.Freq = f.Freq
	}
	return nil
}

// DatatypeListOptions filters /api/datatype/.
type DatatypeListOptions struct {
	ListOptions
	NameStartsWith string `url:"name__startswith,omitempty"`
	DataIDIn       IDs    `url:"dataid__in,omitempty"`
}

// DatatypesPage returns one page of datatypes.
func (c *Client) DatatypesPage(ctx context.Context, opts *DatatypeListOptions) (*Page[Datatype], error) {
	return listPage[Datatype](ctx, c, "datatype", opts)
}

// Datatypes iterates over all datatypes.
func (c *Client) Datatypes(ctx context.Context, opts *DatatypeListOptions) iter.Seq2[Datatype, error] {
	return listAll[Datatype](ctx, c, "datatype", opts)
}

// Datatype returns one datatype.
func (c *Client) Datatype(ctx context.Context, id DatatypeID) (*Datatype, error) {
	return get[Datatype](ctx, c, idPath("datatype", int64(id)), nil)
}
