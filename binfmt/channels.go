package binfmt

import (
	"sort"
	"strconv"
)

// Kind tells how a channel is sampled.
type Kind int

const (
	// KindUnknown is a file the channel table does not know.
	KindUnknown Kind = iota
	// KindSync is a synchronous channel: a WAV file, one sample every 1/rate seconds.
	KindSync
	// KindAsync is an asynchronous channel: a .hxd file or a legacy CSV of
	// (time, value) events.
	KindAsync
)

// String returns "sync", "async" or "unknown".
func (k Kind) String() string {
	switch k {
	case KindSync:
		return "sync"
	case KindAsync:
		return "async"
	case KindUnknown:
		return "unknown"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// ChannelSpec is one row of the channel table: what Hexoskin's converter
// knows about a file name.
type ChannelSpec struct {
	// Name is the file name without extension, e.g. "heart_rate".
	Name string
	// DatatypeID is the Hexoskin datatype id (/api/datatype/<id>/), an
	// int64 like hexoskin.DatatypeID, so ids convert without loss; 0 when
	// unknown.
	DatatypeID int64
	// Unit is the physical unit of a value after Gain is applied ("mV",
	// "s", "g", "bpm", "ml"; "na" for a dimensionless or raw value). This
	// table is the one place units live: the hexoskin package reads them
	// from here.
	Unit string
	// Kind is KindSync (WAV) or KindAsync (.hxd or CSV).
	Kind Kind
	// Rate is the real sampling rate in Hz for synchronous channels, 0 for
	// asynchronous ones. Rates below 1 Hz (HRV channels, 1/300 Hz) are
	// written in the WAV header as the period in seconds.
	Rate float64
	// Offset (dt_offset) is the time in seconds of the first sample from the
	// record start: 0 for raw channels, 1 for 1 Hz derived channels, 300
	// for HRV channels.
	Offset float64
	// Gain converts a raw value (WAV sample or .hxd value) to Unit:
	// value = raw * Gain, as Hexoskin's converter computes it (0.0064 mV
	// per ECG step, 1/256 s per RR step, 1/256 g per acceleration step).
	// Like Unit it lives only in this table.
	Gain float64
	// Signed tells whether 16-bit WAV samples are two's complement (true)
	// or unsigned (false).
	Signed bool
}

// DefaultDecoderVersion is the decoder version whose gains are used when a
// record does not say which one it was made with, or names one the table
// does not know.
const DefaultDecoderVersion = "0.5.3"

// Datatype ids of the channels in the table. They are untyped constants,
// so they serve as the int64 of ChannelSpec.DatatypeID and as
// hexoskin.DatatypeID alike.
const (
	DatatypeECGI                 = 4113
	DatatypeECGII                = 4114
	DatatypeECGIII               = 4115
	DatatypeRespThoracic         = 4129
	DatatypeRespAbdominal        = 4130
	DatatypeAccelX               = 4145
	DatatypeAccelY               = 4146
	DatatypeAccelZ               = 4147
	DatatypeHeartRate            = 19
	DatatypeHeartRateQuality     = 1000
	DatatypeBreathingRate        = 33
	DatatypeBreathingRateQuality = 1001
	DatatypeMinuteVentilation    = 36
	DatatypeTidalVolume          = 37
	DatatypeMinuteVentAdjusted   = 38
	DatatypeTidalVolumeAdjusted  = 39
	DatatypeActivity             = 49
	DatatypeCadence              = 53
	DatatypeTemperature          = 81
	DatatypeRRInterval           = 18
	DatatypeRRQuality            = 1004
	DatatypeInspiration          = 34
	DatatypeExpiration           = 35
	DatatypeStep                 = 52
	DatatypeDevicePosition       = 269
	DatatypeSleepPosition        = 270
	DatatypeSleepPhase           = 280
	DatatypeNNInterval           = 318
	DatatypeHRVANN               = 271
	DatatypeHRVSDNN              = 272
	DatatypeHRVLFNorm            = 273
	DatatypeHRVNNOverRR          = 274
	DatatypeHRVTriangular        = 275
	DatatypeHRVLF                = 276
	DatatypeHRVHF                = 277
	DatatypeHRVRMSSD             = 278
	DatatypePPG                  = 64
	DatatypeSpO2                 = 66
	DatatypePTT                  = 97
	DatatypeSystolic98           = 98
	DatatypeSystolic99           = 99
)

// tables holds one channel table per decoder version, by file name;
// tablesByID holds the same rows by datatype id.
var (
	tables = map[string]map[string]ChannelSpec{
		"0.5.3": table053(),
	}
	tablesByID = indexByID(tables)
)

func indexByID(tables map[string]map[string]ChannelSpec) map[string]map[int64]ChannelSpec {
	out := map[string]map[int64]ChannelSpec{}
	for v, t := range tables {
		out[v] = map[int64]ChannelSpec{}
		for _, s := range t {
			out[v][s.DatatypeID] = s
		}
	}
	return out
}

func table053() map[string]ChannelSpec {
	t := map[string]ChannelSpec{}
	sync := func(name string, id int64, unit string, rate, offset, gain float64, signed bool) {
		t[name] = ChannelSpec{Name: name, DatatypeID: id, Unit: unit, Kind: KindSync, Rate: rate, Offset: offset, Gain: gain, Signed: signed}
	}
	async := func(name string, id int64, unit string, gain float64) {
		t[name] = ChannelSpec{Name: name, DatatypeID: id, Unit: unit, Kind: KindAsync, Gain: gain, Signed: true}
	}
	// Raw signals: dt_offset 0.
	sync("ECG_I", DatatypeECGI, "mV", 256, 0, 0.0064, true)
	sync("ECG_II", DatatypeECGII, "mV", 256, 0, 0.0064, true)
	sync("ECG_III", DatatypeECGIII, "mV", 256, 0, 0.0064, true)
	sync("respiration_thoracic", DatatypeRespThoracic, "na", 128, 0, 1, false)
	sync("respiration_abdominal", DatatypeRespAbdominal, "na", 128, 0, 1, false)
	sync("acceleration_X", DatatypeAccelX, "g", 64, 0, 1.0/256, true)
	sync("acceleration_Y", DatatypeAccelY, "g", 64, 0, 1.0/256, true)
	sync("acceleration_Z", DatatypeAccelZ, "g", 64, 0, 1.0/256, true)
	// 1 Hz derived channels: dt_offset 1 s.
	sync("heart_rate", DatatypeHeartRate, "bpm", 1, 1, 1, false)
	sync("heart_rate_quality", DatatypeHeartRateQuality, "na", 1, 1, 1, false)
	sync("breathing_rate", DatatypeBreathingRate, "rpm", 1, 1, 1, false)
	sync("breathing_rate_quality", DatatypeBreathingRateQuality, "na", 1, 1, 1, false)
	sync("minute_ventilation", DatatypeMinuteVentilation, "ml/min", 1, 1, 13.28, false)
	sync("tidal_volume", DatatypeTidalVolume, "ml", 1, 1, 13.28, false)
	sync("minute_ventilation_adjusted", DatatypeMinuteVentAdjusted, "ml/min", 1, 1, 10, false)
	sync("tidal_volume_adjusted", DatatypeTidalVolumeAdjusted, "ml", 1, 1, 1, false)
	sync("activity", DatatypeActivity, "g", 1, 1, 1.0/256, true)
	sync("cadence", DatatypeCadence, "spm", 1, 1, 1, false)
	sync("temperature", DatatypeTemperature, "na", 1, 1, 1, true)
	// HRV channels: one value every 300 s, dt_offset 300 s, unsigned, raw.
	for _, h := range []struct {
		name string
		id   int64
	}{
		{"ANN", DatatypeHRVANN},
		{"SDNN", DatatypeHRVSDNN},
		{"HRV_LF_normalized", DatatypeHRVLFNorm},
		{"NN_over_RR", DatatypeHRVNNOverRR},
		{"HRV_triangular", DatatypeHRVTriangular},
		{"HRV_LF", DatatypeHRVLF},
		{"HRV_HF", DatatypeHRVHF},
		{"RMSSD", DatatypeHRVRMSSD},
	} {
		sync(h.name, h.id, "na", 1.0/300, 300, 1, false)
	}
	// Astroskin: raw values, rate from the header.
	sync("PPG", DatatypePPG, "na", 0, 0, 1, false)
	sync("SpO2", DatatypeSpO2, "%", 0, 1, 1, false)
	sync("PTT", DatatypePTT, "na", 0, 1, 1, false)
	sync("systolic_pressure", DatatypeSystolic98, "mmHg", 0, 1, 1, false)
	sync("systolic_pressure_2", DatatypeSystolic99, "mmHg", 0, 1, 1, false)
	// Asynchronous channels (.hxd or legacy CSV). Intervals are stored in
	// 1/256 s and converted to seconds.
	async("RR_interval", DatatypeRRInterval, "s", 1.0/256)
	async("NN_interval", DatatypeNNInterval, "s", 1.0/256)
	async("RR_interval_quality", DatatypeRRQuality, "na", 1)
	async("inspiration", DatatypeInspiration, "na", 1)
	async("expiration", DatatypeExpiration, "na", 1)
	async("step", DatatypeStep, "step", 1)
	async("device_position", DatatypeDevicePosition, "na", 1)
	async("sleep_position", DatatypeSleepPosition, "na", 1)
	async("sleep_phase", DatatypeSleepPhase, "na", 1)
	return t
}

// tableFor returns the table for a decoder version and the version actually
// used (DefaultDecoderVersion when version is unknown or empty).
func tableFor(version string) (map[string]ChannelSpec, string) {
	if t, ok := tables[version]; ok {
		return t, version
	}
	return tables[DefaultDecoderVersion], DefaultDecoderVersion
}

// LookupChannel returns the table row for a file name (without extension)
// under the given decoder version; an unknown or empty version uses
// DefaultDecoderVersion. The "_epoch" suffix some legacy CSV headers carry
// is not part of the name.
func LookupChannel(name, decoderVersion string) (ChannelSpec, bool) {
	t, _ := tableFor(decoderVersion)
	s, ok := t[name]
	return s, ok
}

// LookupDatatype returns the table row for a Hexoskin datatype id under the
// given decoder version (see LookupChannel). A hexoskin.DatatypeID converts
// with int64(id).
func LookupDatatype(id int64, decoderVersion string) (ChannelSpec, bool) {
	_, v := tableFor(decoderVersion)
	s, ok := tablesByID[v][id]
	return s, ok
}

// KnownDecoderVersions lists the decoder versions the channel table has
// gains for.
func KnownDecoderVersions() []string {
	v := make([]string, 0, len(tables))
	for k := range tables {
		v = append(v, k)
	}
	sort.Strings(v)
	return v
}

// KnownChannels lists the channel table of a decoder version, sorted by name.
func KnownChannels(decoderVersion string) []ChannelSpec {
	t, _ := tableFor(decoderVersion)
	out := make([]ChannelSpec, 0, len(t))
	for _, s := range t {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
