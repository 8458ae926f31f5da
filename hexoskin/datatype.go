package hexoskin

import (
	"cmp"
	"context"
	"encoding/json"
	"iter"
	"slices"
	"strconv"

	"github.com/wearkit/wearkit/binfmt"
)

// DatatypeID is a Hexoskin datatype id (/api/datatype/<id>/). The set is
// open: ids this package does not list still work and print as unknown.
type DatatypeID int64

// Common datatype ids (vendor documentation and notes), the ids of
// binfmt's channel table.
const (
	ECG                    DatatypeID = binfmt.DatatypeECGI                 // ECG lead I, 256 Hz
	ECGII                  DatatypeID = binfmt.DatatypeECGII                // ECG lead II (Astroskin), 256 Hz
	ECGIII                 DatatypeID = binfmt.DatatypeECGIII               // ECG lead III (Astroskin), 256 Hz
	RespirationThoracic    DatatypeID = binfmt.DatatypeRespThoracic         // raw thoracic respiration, 128 Hz
	RespirationAbdominal   DatatypeID = binfmt.DatatypeRespAbdominal        // raw abdominal respiration, 128 Hz
	AccelerationX          DatatypeID = binfmt.DatatypeAccelX               // 64 Hz
	AccelerationY          DatatypeID = binfmt.DatatypeAccelY               // 64 Hz
	AccelerationZ          DatatypeID = binfmt.DatatypeAccelZ               // 64 Hz
	HeartRate              DatatypeID = binfmt.DatatypeHeartRate            // 1 Hz, bpm
	HeartRateQuality       DatatypeID = binfmt.DatatypeHeartRateQuality     // 1 Hz, HeartRateStatus bits
	BreathingRate          DatatypeID = binfmt.DatatypeBreathingRate        // 1 Hz, rpm
	BreathingRateQuality   DatatypeID = binfmt.DatatypeBreathingRateQuality // 1 Hz, BreathingRateStatus bits
	MinuteVentilation      DatatypeID = binfmt.DatatypeMinuteVentilation    // 1 Hz
	TidalVolume            DatatypeID = binfmt.DatatypeTidalVolume          // 1 Hz
	MinuteVentilationAdj   DatatypeID = binfmt.DatatypeMinuteVentAdjusted   // 1 Hz
	TidalVolumeAdj         DatatypeID = binfmt.DatatypeTidalVolumeAdjusted  // 1 Hz
	Activity               DatatypeID = binfmt.DatatypeActivity             // 1 Hz, g
	Cadence                DatatypeID = binfmt.DatatypeCadence              // 1 Hz, steps/min
	Temperature            DatatypeID = binfmt.DatatypeTemperature          // 1 Hz
	RRInterval             DatatypeID = binfmt.DatatypeRRInterval           // asynchronous, 1/256 s
	RRIntervalQuality      DatatypeID = binfmt.DatatypeRRQuality            // asynchronous, RRStatus bits
	Inspiration            DatatypeID = binfmt.DatatypeInspiration          // asynchronous
	Expiration             DatatypeID = binfmt.DatatypeExpiration           // asynchronous
	Step                   DatatypeID = binfmt.DatatypeStep                 // asynchronous
	DevicePosition         DatatypeID = binfmt.DatatypeDevicePosition       // asynchronous
	SleepPosition          DatatypeID = binfmt.DatatypeSleepPosition        // asynchronous
	SleepPhase             DatatypeID = binfmt.DatatypeSleepPhase           // asynchronous: 6 wake, 5 REM, 2 NREM
	NNInterval             DatatypeID = binfmt.DatatypeNNInterval           // asynchronous
	HRVANN                 DatatypeID = binfmt.DatatypeHRVANN               // every 300 s
	HRVSDNN                DatatypeID = binfmt.DatatypeHRVSDNN              // every 300 s
	HRVLFNorm              DatatypeID = binfmt.DatatypeHRVLFNorm            // every 300 s
	HRVNNOverRR            DatatypeID = binfmt.DatatypeHRVNNOverRR          // every 300 s
	HRVTriangular          DatatypeID = binfmt.DatatypeHRVTriangular        // every 300 s
	HRVLF                  DatatypeID = binfmt.DatatypeHRVLF                // every 300 s
	HRVHF                  DatatypeID = binfmt.DatatypeHRVHF                // every 300 s
	HRVRMSSD               DatatypeID = binfmt.DatatypeHRVRMSSD             // every 300 s
	PPG                    DatatypeID = binfmt.DatatypePPG                  // Astroskin
	SpO2                   DatatypeID = binfmt.DatatypeSpO2                 // Astroskin
	PTT                    DatatypeID = binfmt.DatatypePTT                  // Astroskin
	SystolicPressure       DatatypeID = binfmt.DatatypeSystolic98           // Astroskin
	SystolicPressureStatus DatatypeID = binfmt.DatatypeSystolic99           // Astroskin
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
	// Unit is the physical unit of the values Data, DataRecord and
	// FullResolution return ("mV", "s", "g", "ml", "ml/min", "bpm"; "na"
	// for codes and unscaled signals), from binfmt's channel table.
	Unit string
	// Gain converts the API's raw integers to Unit: physical = raw * Gain
	// (binfmt's channel table, decoder version binfmt.DefaultDecoderVersion).
	// Data applies it unless DataQuery.Raw is set.
	Gain float64
	// Offset is the time of a synchronous channel's first sample after the
	// record start, in seconds (dt_offset: 1 for 1 Hz channels, 300 for HRV).
	Offset float64
}

// unknownMaxRate is the rate assumed for a datatype this package does not
// know when sizing data windows: the fastest one (ECG), so no answer is
// ever subsampled.
const unknownMaxRate = 256

// datatypeTable is binfmt's channel table (one source for ids, names and
// rates) seen from the API: with the rates binfmt leaves to the WAV header
// and the bounds of asynchronous channels that window sizing needs.
var datatypeTable = map[DatatypeID]DatatypeInfo{}

// servedRates are the rates of channels whose rate binfmt reads from the
// WAV header (Astroskin).
var servedRates = map[DatatypeID]float64{PPG: 64, SpO2: 1, PTT: 1, SystolicPressure: 1, SystolicPressureStatus: 1}

// eventRates bound the points per second of asynchronous channels: heart
// beats at most 4 per second (240 bpm); breaths, steps and positions well
// below that.
var eventRates = map[DatatypeID]float64{
	RRInterval: 4, RRIntervalQuality: 4, NNInterval: 4, Step: 4,
	Inspiration: 2, Expiration: 2,
	DevicePosition: 1, SleepPosition: 1, SleepPhase: 1,
}

func init() {
	for _, c := range binfmt.KnownChannels(binfmt.DefaultDecoderVersion) {
		id := DatatypeID(c.DatatypeID)
		d := DatatypeInfo{ID: id, Name: c.Name, Rate: c.Rate, Async: c.Kind == binfmt.KindAsync, Unit: c.Unit, Gain: c.Gain, Offset: c.Offset}
		if r, ok := servedRates[id]; ok && d.Rate == 0 {
			d.Rate = r
		}
		d.MaxRate = d.Rate
		if d.Async {
			d.MaxRate = eventRates[id]
			if d.MaxRate == 0 {
				d.MaxRate = unknownMaxRate
			}
		}
		datatypeTable[id] = d
	}
}

// Info returns the table row of id and whether the table knows it.
func (id DatatypeID) Info() (DatatypeInfo, bool) {
	d, ok := datatypeTable[id]
	return d, ok
}

// MaxRate returns the points per second used to size data windows: the
// table's rate, or unknownMaxRate for an unknown id.
func (id DatatypeID) MaxRate() float64 {
	if d, ok := datatypeTable[id]; ok && d.MaxRate > 0 {
		return d.MaxRate
	}
	return unknownMaxRate
}

// gain returns the factor from raw to physical values: the table's Gain,
// or 1 for an unknown id (its values are passed on as the API sends them).
func (id DatatypeID) gain() float64 {
	if d, ok := datatypeTable[id]; ok && d.Gain != 0 {
		return d.Gain
	}
	return 1
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
	slices.SortFunc(out, func(a, b DatatypeInfo) int { return cmp.Compare(a.ID, b.ID) })
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

// DatatypeListOptions pages /api/datatype/. The API allows no filter and
// no ordering on datatypes (it answers 400), so only Limit and Offset
// apply; ListOptions.OrderBy must stay empty.
type DatatypeListOptions struct {
	ListOptions
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
