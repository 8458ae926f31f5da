package binfmt

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fixtureFiles is a small record export written the way the dashboard
// writes it, one file per quirk.
func fixtureFiles() map[string][]byte {
	return map[string][]byte{
		"info.json":      []byte(infoJSON),
		"statistics.csv": []byte("uri,start_date,duration\n,,s\n/api/record/1/,2016-09-15,3.0\n"),
		// 1 Hz derived channel, dt_offset 1 s, RIFF size wrong as in real files.
		"heart_rate.wav": wavSpec{rate: 1, samples: []int32{70, 71, 72}, riffSize: u32(999)}.bytes(),
		// Raw ECG: signed, 0.0064 mV, dt_offset 0.
		"ECG_I.wav": mono16(256, -100, 0, 100, -32768),
		// Empty channel: a bare 44-byte header.
		"ECG_II.wav": mono16(256),
		// Respiration is unsigned.
		"respiration_thoracic.wav": mono16(128, -1, 1, -32768),
		// Acceleration: signed, 1/256 g.
		"acceleration_X.wav": mono16(64, -256, 512),
		// HRV: the header holds the period (300 s), dt_offset 300 s, unsigned.
		"SDNN.wav": mono16(300, 50, -1),
		// Adjusted minute ventilation: x10 in decoder 0.5.3.
		"minute_ventilation_adjusted.wav": mono16(1, 5),
		// Unknown channel: raw values, header rate, no offset.
		"mystery.wav": mono16(50, -3, 4),
		// .hxd RR intervals: 1/256 s offsets and values.
		"RR_interval.hxd": appendHXD(nil, HXDRecord{Offset: 256 * 6, Value: 256}, HXDRecord{Offset: 256*7 + 128, Value: 192}),
		// Legacy CSV, old layout: values in 1/256 s, first RR row 0 dropped (only for RR).
		"NN_interval.csv": []byte("time [s],NN_interval [s/256](/api/datatype/318/)\n136.78125,236\n137.63671875,0\n"),
		// Legacy CSV, newer layout with "_epoch" names and CRLF.
		"step.csv":            []byte("time [s],step_epoch [step] (/api/datatype/52/)\r\n2.00000000,1\r\n3.00000000,2\r\n"),
		"device_position.csv": []byte("time [s],device_position [NA](/api/datatype/269/)\n0.0,nan\n1.0,2.0"),
		"custom.csv":          []byte("time [s],custom [bpm] (/api/datatype/4242/)\n1.5,3\n"),
		// A .hxd channel the table does not know.
		"foo.hxd": appendHXD(nil, HXDRecord{Offset: 512, Value: -7}),
	}
}

func openFixture(t *testing.T) *Record {
	t.Helper()
	r, err := OpenRecord(mapFS(fixtureFiles()))
	require.NoError(t, err)
	return r
}

func TestRecordInfoAndStart(t *testing.T) {
	r := openFixture(t)
	want := time.Date(2016, 9, 15, 17, 24, 47, 3906250, time.UTC)
	require.Equal(t, want, r.Start())
	require.Equal(t, "0.5.3", r.DecoderVersion())
	info, ok := r.Info()
	require.True(t, ok)
	require.Equal(t, int64(377333833473), info.Start)
	require.Equal(t, "7665", info.User)
	require.Equal(t, "2016-09-15T17:24:47.003906", info.StartDate)
	require.Equal(t, want.Add(1500*time.Millisecond), r.Time(1.5))
	require.Equal(t, want, HexoTime(377333833473))
	// The docs' examples.
	require.Equal(t, time.Date(1970, 1, 1, 0, 8, 2, 250000000, time.UTC), HexoTime(123456))
}

func TestRecordChannels(t *testing.T) {
	r := openFixture(t)
	var names []string
	for _, c := range r.Channels() {
		names = append(names, c.Name)
		require.NoError(t, c.Err, c.Name)
	}
	require.Equal(t, []string{"ECG_I", "ECG_II", "NN_interval", "RR_interval", "SDNN", "acceleration_X", "custom",
		"device_position", "foo", "heart_rate", "minute_ventilation_adjusted", "mystery", "respiration_thoracic", "step"}, names)

	tests := []struct {
		name   string
		id     int64
		unit   string
		kind   Kind
		rate   float64
		offset float64
		known  bool
		count  int64
		format string
	}{
		{"heart_rate", 19, "bpm", KindSync, 1, 1, true, 3, "wav"},
		{"ECG_I", 4113, "mV", KindSync, 256, 0, true, 4, "wav"},
		{"ECG_II", 4114, "mV", KindSync, 256, 0, true, 0, "wav"},
		{"SDNN", 272, "na", KindSync, 1.0 / 300, 300, true, 2, "wav"},
		{"mystery", 0, "na", KindSync, 50, 0, false, 2, "wav"},
		{"RR_interval", 18, "s", KindAsync, 0, 0, true, 2, "hxd"},
		{"NN_interval", 318, "s", KindAsync, 0, 0, true, -1, "csv"},
		{"custom", 4242, "bpm", KindAsync, 0, 0, false, -1, "csv"},
		{"foo", 0, "na", KindAsync, 0, 0, false, 1, "hxd"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, ok := r.Channel(tc.name)
			require.True(t, ok)
			require.Equal(t, tc.id, c.DatatypeID)
			require.Equal(t, tc.unit, c.Unit)
			require.Equal(t, tc.kind, c.Kind)
			require.Equal(t, tc.rate, c.Rate)
			require.Equal(t, tc.offset, c.Offset)
			require.Equal(t, tc.known, c.Known)
			require.Equal(t, tc.count, c.Count)
			require.Equal(t, tc.format, c.Format)
			require.Equal(t, tc.name+"."+tc.format, c.File)
		})
	}
	_, ok := r.Channel("statistics")
	require.True(t, !ok, "statistics.csv is not a channel")
}

func TestRecordSamples(t *testing.T) {
	r := openFixture(t)
	tests := []struct {
		name string
		want []Sample
	}{
		{"heart_rate", []Sample{{1, 70}, {2, 71}, {3, 72}}},
		{"ECG_I", []Sample{{0, -100 * 0.0064}, {1.0 / 256, 0}, {2.0 / 256, 100 * 0.0064}, {3.0 / 256, -32768 * 0.0064}}},
		{"ECG_II", nil},
		{"respiration_thoracic", []Sample{{0, 65535}, {1.0 / 128, 1}, {2.0 / 128, 32768}}},
		{"acceleration_X", []Sample{{0, -1}, {1.0 / 64, 2}}},
		{"SDNN", []Sample{{300, 50}, {600, 65535}}},
		{"minute_ventilation_adjusted", []Sample{{1, 50}}},
		{"mystery", []Sample{{0, -3}, {0.02, 4}}},
		{"RR_interval", []Sample{{6, 1}, {7.5, 0.75}}},
		{"NN_interval", []Sample{{136.78125, 236.0 / 256}, {137.63671875, 0}}},
		{"step", []Sample{{2, 1}, {3, 2}}},
		{"custom", []Sample{{1.5, 3}}},
		{"foo", []Sample{{2, -7}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := collect(t, r, tc.name)
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
	// NaN does not compare equal: check device_position by hand.
	got, err := collect(t, r, "device_position")
	require.NoError(t, err)
	require.Equal(t, 2, len(got))
	require.True(t, math.IsNaN(got[0].Value))
	require.Equal(t, Sample{1, 2}, got[1])
}

func TestLegacyRRFirstRowDropped(t *testing.T) {
	tests := []struct {
		name string
		csv  string
		want []Sample
	}{
		{"old layout in 1/256 s", "time [s],RR_interval [s/256](/api/datatype/18/)\n6.13671875,0\n6.48828125,90\n6.89453125,104\n",
			[]Sample{{6.48828125, 90.0 / 256}, {6.89453125, 104.0 / 256}}},
		{"newer layout in seconds", "time [s],RR_interval_epoch [s] (/api/datatype/18/)\n5.00000000,0.00000000\n6.00000000,0.48046875\n",
			[]Sample{{6, 0.48046875}}},
		{"first row not 0 is kept", "time [s],RR_interval [s/256](/api/datatype/18/)\n1,128\n2,0\n",
			[]Sample{{1, 0.5}, {2, 0}}},
		{"header only", "time [s],RR_interval [s/256](/api/datatype/18/)\n", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := OpenRecord(mapFS(map[string][]byte{"RR_interval.csv": []byte(tc.csv)}))
			require.NoError(t, err)
			got, err := collect(t, r, "RR_interval")
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
			c, _ := r.Channel("RR_interval")
			require.Equal(t, "s", c.Unit)
		})
	}
}

func TestRecordPrefersHXDOverCSV(t *testing.T) {
	r, err := OpenRecord(mapFS(map[string][]byte{
		"RR_interval.csv": []byte("time [s],RR_interval [s/256](/api/datatype/18/)\n1,0\n2,512\n"),
		"RR_interval.hxd": appendHXD(nil, HXDRecord{Offset: 256, Value: 128}),
	}))
	require.NoError(t, err)
	require.Equal(t, 1, len(r.Channels()))
	got, err := collect(t, r, "RR_interval")
	require.NoError(t, err)
	require.Equal(t, []Sample{{1, 0.5}}, got)
}

func TestRecordWithoutInfo(t *testing.T) {
	r, err := OpenRecord(mapFS(map[string][]byte{"heart_rate.wav": mono16(1, 60)}))
	require.NoError(t, err)
	require.True(t, r.Start().IsZero())
	_, ok := r.Info()
	require.True(t, !ok)
	require.Equal(t, DefaultDecoderVersion, r.DecoderVersion())
	start := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	r.SetStart(start)
	require.Equal(t, start.Add(time.Second), r.Time(1))
}

func TestRecordUnknownDecoderVersionUsesDefault(t *testing.T) {
	r, err := OpenRecord(mapFS(map[string][]byte{
		"info.json":                       []byte(`{"start": 256, "decoder_version": "9.9.9", "user": "/api/user/1/"}`),
		"minute_ventilation_adjusted.wav": mono16(1, 5),
	}))
	require.NoError(t, err)
	require.Equal(t, DefaultDecoderVersion, r.DecoderVersion())
	info, _ := r.Info()
	require.Equal(t, "9.9.9", info.DecoderVersion)
	require.Equal(t, "/api/user/1/", info.User)
	require.Equal(t, time.Unix(1, 0).UTC(), r.Start())
}

func TestRecordTimestampOnly(t *testing.T) {
	r, err := OpenRecord(mapFS(map[string][]byte{"info.json": []byte(`{"timestamp": 1484058120.5}`)}))
	require.NoError(t, err)
	require.Equal(t, time.Unix(1484058120, 5e8).UTC(), r.Start())
}

func TestRecordBadInfo(t *testing.T) {
	_, err := OpenRecord(mapFS(map[string][]byte{"info.json": []byte(`{"start": `)}))
	fe := formatError(t, err)
	require.Equal(t, "info.json", fe.File)
	_, err = OpenRecord(mapFS(map[string][]byte{"info.json": bytes.Repeat([]byte(" "), maxInfoSize+1)}))
	require.Equal(t, "info.json", formatError(t, err).File)
}

func TestRecordSubfolderAndZip(t *testing.T) {
	files := fixtureFiles()
	nested := map[string][]byte{}
	for k, v := range files {
		nested["record_1/"+k] = v
	}
	want := openFixture(t)
	for name, open := range map[string]func() (*Record, error){
		"subfolder": func() (*Record, error) { return OpenRecord(mapFS(nested)) },
		"zip": func() (*Record, error) {
			z := zipOf(t, files)
			return OpenZip(bytes.NewReader(z), int64(len(z)))
		},
		"zip with subfolder": func() (*Record, error) {
			z := zipOf(t, nested)
			return OpenZip(bytes.NewReader(z), int64(len(z)))
		},
		"zip made by macOS Finder": func() (*Record, error) {
			finder := map[string][]byte{"__MACOSX/record_1/._info.json": {0, 5, 22, 7}, ".Trashes/x": {1}}
			for k, v := range nested {
				finder[k] = v
			}
			z := zipOf(t, finder)
			return OpenZip(bytes.NewReader(z), int64(len(z)))
		},
	} {
		t.Run(name, func(t *testing.T) {
			r, err := open()
			require.NoError(t, err)
			require.Equal(t, want.Start(), r.Start())
			require.Equal(t, len(want.Channels()), len(r.Channels()))
			for _, c := range want.Channels() {
				w, err := collect(t, want, c.Name)
				require.NoError(t, err)
				g, err := collect(t, r, c.Name)
				require.NoError(t, err)
				require.Equal(t, len(w), len(g), c.Name)
				for i := range w {
					require.True(t, w[i] == g[i] || math.IsNaN(w[i].Value) && math.IsNaN(g[i].Value), c.Name, i)
				}
			}
		})
	}
}

func TestOpenZipRejectsGarbage(t *testing.T) {
	_, err := OpenZip(bytes.NewReader([]byte("not a zip")), 9)
	require.Equal(t, "zip", formatError(t, err).File)
}

func TestRecordErrorsNameFileAndOffset(t *testing.T) {
	truncatedWAV := mono16(1, 1, 2, 3)
	truncatedWAV = append(truncatedWAV[:len(truncatedWAV)-1:len(truncatedWAV)-1], 0)
	truncatedWAV = truncatedWAV[:len(truncatedWAV)-1]
	r, err := OpenRecord(mapFS(map[string][]byte{
		"RR_interval.hxd":    append(appendHXD(nil, HXDRecord{Offset: 1, Value: 2}), 1, 2, 3),
		"heart_rate.wav":     []byte("RIFF\x00\x00\x00\x00WAVEfmt \x10\x00\x00\x00"),
		"breathing_rate.wav": truncatedWAV,
		"step.csv":           []byte("time [s],step [step](/api/datatype/52/)\n1,1\n2,x\n"),
	}))
	require.NoError(t, err)
	tests := []struct {
		channel string
		file    string
		offset  int64
		eof     bool
		before  int
	}{
		{"RR_interval", "RR_interval.hxd", 16, true, 1},
		{"heart_rate", "heart_rate.wav", 20, true, 0},
		{"breathing_rate", "breathing_rate.wav", 48, true, 2},
		{"step", "step.csv", 44, false, 1},
	}
	for _, tc := range tests {
		t.Run(tc.channel, func(t *testing.T) {
			got, err := collect(t, r, tc.channel)
			require.Equal(t, tc.before, len(got))
			fe := formatError(t, err)
			require.Equal(t, tc.file, fe.File, fe.Error())
			require.Equal(t, tc.offset, fe.Offset, fe.Error())
			require.Equal(t, tc.eof, errors.Is(err, io.ErrUnexpectedEOF), fe.Error())
		})
	}
	c, ok := r.Channel("heart_rate")
	require.True(t, ok)
	require.Error(t, c.Err)

	_, err = collect(t, r, "nope")
	require.ErrorIs(t, err, ErrUnknownChannel)
	require.ErrorIs(t, r.WriteCSV(io.Discard, "nope"), ErrUnknownChannel)
}

func TestRecordSamplesBreak(t *testing.T) {
	r := openFixture(t)
	for _, name := range []string{"heart_rate", "RR_interval", "step"} {
		n := 0
		for range r.Samples(name) {
			n++
			break
		}
		require.Equal(t, 1, n, name)
	}
}

func TestRecordZeroRate(t *testing.T) {
	r, err := OpenRecord(mapFS(map[string][]byte{"mystery.wav": mono16(0, 1)}))
	require.NoError(t, err)
	c, _ := r.Channel("mystery")
	require.Error(t, c.Err)
	_, err = collect(t, r, "mystery")
	require.Equal(t, "mystery.wav", formatError(t, err).File)
}

func TestRecordMultiChannelAnd32Bit(t *testing.T) {
	r, err := OpenRecord(mapFS(map[string][]byte{
		"stereo.wav": wavSpec{rate: 2, channels: 2, samples: []int32{1, -1, 2, -2}}.bytes(),
		"wide.wav":   wavSpec{rate: 4, bits: 32, samples: []int32{-70000, 70000}}.bytes(),
	}))
	require.NoError(t, err)
	got, err := collect(t, r, "stereo")
	require.NoError(t, err)
	require.Equal(t, []Sample{{0, 1}, {0, -1}, {0.5, 2}, {0.5, -2}}, got)
	got, err = collect(t, r, "wide")
	require.NoError(t, err)
	require.Equal(t, []Sample{{0, -70000}, {0.25, 70000}}, got)
}

// ecg24hSamples is a synthetic 24 h ECG channel at 256 Hz.
const ecg24hSamples = 24 * 3600 * 256

func TestECG24hIterationAllocatesLittle(t *testing.T) {
	if testing.Short() {
		t.Skip("22 million samples")
	}
	require.Equal(t, int64(22118400), int64(ecg24hSamples))
	fsys := synthFS{name: "ECG_I.wav", rate: 256, samples: ecg24hSamples}
	var n int64
	var last Sample
	ok := true
	alloc := totalAlloc(func() {
		r, err := OpenRecord(fsys)
		require.NoError(t, err)
		for s, err := range r.Samples("ECG_I") {
			if err != nil {
				t.Fatal(err)
			}
			if n%100003 == 0 && s.Value != float64(synthSample(n))*0.0064 {
				ok = false
			}
			n++
			last = s
		}
	})
	require.True(t, ok, "values")
	require.Equal(t, int64(ecg24hSamples), n)
	require.Equal(t, float64(ecg24hSamples-1)/256, last.Seconds)
	t.Logf("24 h ECG iteration: %d samples, %d bytes allocated", n, alloc)
	require.True(t, alloc < 1<<20, "allocated", alloc)
}

func TestRecordFilesNamedByDatatype(t *testing.T) {
	r, err := OpenRecord(mapFS(map[string][]byte{
		"19.wav":    mono16(1, 60),
		"4145.wav":  mono16(64, 128),
		"18.hxd":    appendHXD(nil, HXDRecord{Offset: 256, Value: 128}),
		"99999.wav": mono16(5, 1),
	}))
	require.NoError(t, err)
	c, _ := r.Channel("19")
	require.True(t, c.Known)
	require.Equal(t, int64(DatatypeHeartRate), c.DatatypeID)
	require.Equal(t, "19", c.Name)
	for name, want := range map[string][]Sample{
		"19":    {{1, 60}},
		"4145":  {{0, 0.5}},
		"18":    {{1, 0.5}},
		"99999": {{0, 1}},
	} {
		got, err := collect(t, r, name)
		require.NoError(t, err)
		require.Equal(t, want, got, name)
	}
	_, ok := LookupDatatype(123456, "")
	require.True(t, !ok)
}

func TestRecordInfoTypeErrorNamesFieldAndOffset(t *testing.T) {
	// A field of the wrong type: the error names the field and where it ends.
	info := `{"start": 256, "decoder_version": 5}`
	_, err := OpenRecord(mapFS(map[string][]byte{"info.json": []byte(info)}))
	fe := formatError(t, err)
	require.Equal(t, "info.json", fe.File)
	require.Contains(t, fe.Error(), "decoder_version")
	require.Equal(t, int64(len(`{"start": 256, "decoder_version": 5`)), fe.Offset)
}

func TestRecordTimeBeyondADuration(t *testing.T) {
	r := openFixture(t)
	start := r.Start()
	require.Equal(t, start.Add(1500*time.Millisecond), r.Time(1.5))
	const year = 365.25 * 86400
	far := r.Time(300*year + 0.25)
	require.Equal(t, start.Year()+300, far.Year(), "no wrap-around past 292 years")
	require.Equal(t, (start.Nanosecond()+250_000_000)%1_000_000_000, far.Nanosecond())
	require.True(t, r.Time(-300*year).Before(start))
	require.True(t, r.Time(math.Inf(1)).After(far), "saturates instead of wrapping")
	require.True(t, r.Time(math.NaN()).IsZero())
}

func TestZeroRateNamesTheField(t *testing.T) {
	plain := wavSpec{rate: 0, samples: []int32{1, 2}}.bytes()
	listed := wavSpec{rate: 0, samples: []int32{1, 2}, before: [][]byte{chunk("LIST", []byte("abcd"))}}.bytes()
	r, err := OpenRecord(mapFS(map[string][]byte{"heart_rate.wav": plain, "breathing_rate.wav": listed}))
	require.NoError(t, err, "a bad channel is listed, not fatal")
	for name, off := range map[string]int64{"heart_rate": 24, "breathing_rate": 12 + 12 + 8 + 4} {
		c, ok := r.Channel(name)
		require.True(t, ok, name)
		fe := formatError(t, c.Err)
		require.Equal(t, "sample rate is 0", fe.Msg, name)
		require.Equal(t, off, fe.Offset, "%s: the offset of the rate field", name)
	}
}

// A zip of many tiny entries: reading every channel allocates a small
// multiple of the input (archive/zip's bookkeeping), not a decode buffer per
// entry. Measured about 20x; the race detector's pool drops raise it.
func TestManyTinyEntriesAllocateLittle(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector defeats sync.Pool")
	}
	for _, ext := range []string{"wav", "hxd", "csv"} {
		files := map[string][]byte{}
		for i := range 2000 {
			files[fmt.Sprintf("%x.%s", i, ext)] = nil
		}
		z := zipOf(t, files)
		alloc := totalAlloc(func() {
			r, err := OpenZip(bytes.NewReader(z), int64(len(z)))
			require.NoError(t, err)
			for _, c := range r.Channels() {
				for range r.Samples(c.Name) {
				}
			}
		})
		require.Less(t, alloc, uint64(48*len(z)), "%s: %d bytes allocated for %d bytes of zip", ext, alloc, len(z))
	}
}

// A multi-channel WAV that ends inside a frame yields whole frames only,
// as many samples as Count says (issue 10, point 16: 4 samples, Count 3).
func TestRecordWAVEndingMidFrame(t *testing.T) {
	tests := map[string][]byte{
		// The header's data size is 4 samples: one frame and a third.
		"short data size": wavSpec{rate: 2, channels: 3, samples: []int32{1, 2, 3, 4}}.bytes(),
		// The header promises two frames; the file ends after 5 samples.
		"file ends early": wavSpec{rate: 2, channels: 3, samples: []int32{1, 2, 3, 4, 5}, dataSize: u32(12)}.bytes(),
		// 32-bit samples, a frame and two samples.
		"32-bit": wavSpec{rate: 2, channels: 3, bits: 32, samples: []int32{1, 2, 3, 4, 5}}.bytes(),
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			r, err := OpenRecord(mapFS(map[string][]byte{"tri.wav": data}))
			require.NoError(t, err)
			c, ok := r.Channel("tri")
			require.True(t, ok)
			require.Equal(t, int64(3), c.Count)
			got, err := collect(t, r, "tri")
			require.NoError(t, err)
			require.Equal(t, []Sample{{0, 1}, {0, 2}, {0, 3}}, got)
		})
	}
}

// A frame larger than the decode buffer (10,000 channels) still ends at
// the last whole frame.
func TestRecordWAVHugeFrameEndingMidFrame(t *testing.T) {
	samples := make([]int32, 15000)
	for i := range samples {
		samples[i] = int32(i % 1000)
	}
	r, err := OpenRecord(mapFS(map[string][]byte{"wide.wav": wavSpec{rate: 1, channels: 10000, samples: samples}.bytes()}))
	require.NoError(t, err)
	c, _ := r.Channel("wide")
	require.Equal(t, int64(10000), c.Count)
	got, err := collect(t, r, "wide")
	require.NoError(t, err)
	require.Len(t, got, 10000)
	require.Equal(t, Sample{0, 999}, got[9999])
}

// A channel is found by its datatype id as well as by name: the table's
// file first, then a file named by the id, then a legacy CSV's header.
func TestRecordChannelByDatatype(t *testing.T) {
	r := openFixture(t)
	for id, name := range map[int64]string{
		DatatypeHeartRate:  "heart_rate",
		DatatypeECGI:       "ECG_I",
		DatatypeRRInterval: "RR_interval",
		DatatypeNNInterval: "NN_interval",
		4242:               "custom", // from the CSV header
	} {
		c, ok := r.ChannelByDatatype(id)
		require.True(t, ok, id)
		require.Equal(t, name, c.Name, id)
		require.Equal(t, id, c.DatatypeID)
		byName, _ := r.Channel(name)
		require.Equal(t, byName, c)
	}
	for _, id := range []int64{0, DatatypeSpO2, 123456, -1} {
		_, ok := r.ChannelByDatatype(id)
		require.False(t, ok, id)
	}

	r, err := OpenRecord(mapFS(map[string][]byte{
		"19.wav":         mono16(1, 61),
		"heart_rate.wav": mono16(1, 60),
		"4145.wav":       mono16(64, 128),
	}))
	require.NoError(t, err)
	c, ok := r.ChannelByDatatype(DatatypeHeartRate)
	require.True(t, ok)
	require.Equal(t, "heart_rate", c.Name, "the table's name wins over a file named by the id")
	c, ok = r.ChannelByDatatype(DatatypeAccelX)
	require.True(t, ok)
	require.Equal(t, "4145", c.Name)
	require.Equal(t, "g", c.Unit)
	require.Equal(t, 1.0/256, c.Gain)
}
