package binfmt

import (
	"errors"
	"io"
	"math"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"
)

// readAll reads a channel with ReadSamples (or Read when times is false) in
// chunks of the given size.
func readAll(t testing.TB, r *Record, name string, chunk int, withTimes bool) ([]float64, []float64, error) {
	t.Helper()
	cr, err := r.OpenChannel(name)
	require.NoError(t, err, name)
	defer func() { require.NoError(t, cr.Close()) }()
	tb, vb := make([]float64, chunk), make([]float64, chunk)
	var times, values []float64
	for {
		var n int
		var err error
		if withTimes {
			n, err = cr.ReadSamples(tb, vb)
			times = append(times, tb[:n]...)
		} else {
			n, err = cr.Read(vb)
		}
		require.True(t, n >= 0 && n <= chunk, "n = %d", n)
		values = append(values, vb[:n]...)
		if err == io.EOF {
			require.Zero(t, n, "io.EOF comes alone")
			n, err = cr.Read(vb)
			require.Zero(t, n)
			require.Equal(t, io.EOF, err, "io.EOF is sticky")
			return times, values, nil
		}
		if err != nil {
			return times, values, err
		}
	}
}

func bulkFixture() map[string][]byte {
	files := fixtureFiles()
	files["stereo.wav"] = wavSpec{rate: 2, channels: 2, samples: []int32{1, -1, 2, -2, 3, -3}}.bytes()
	files["wide.wav"] = wavSpec{rate: 4, bits: 32, samples: []int32{-70000, 70000, 5}}.bytes()
	files["unsigned32.wav"] = wavSpec{rate: 4, bits: 32, samples: []int32{-1, 7}}.bytes()
	// 250 Hz: 1/250 is not exact, so times divide as Samples does.
	files["odd_rate.wav"] = mono16(250, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
	// A channel of 40,000 samples spans several buffer fills.
	long := make([]int32, 40000)
	for i := range long {
		long[i] = int32(synthSample(int64(i)))
	}
	files["ECG_III.wav"] = wavSpec{rate: 256, samples: long}.bytes()
	var recs []HXDRecord
	for i := range 1000 {
		recs = append(recs, HXDRecord{Offset: uint64(i) * 203, Value: int64(180 + i%50)})
	}
	files["NN_interval.hxd"] = appendHXD(nil, recs...)
	return files
}

// Every channel read in bulk, in chunks of any size, gives the numbers
// Samples yields: the same values and times, in the same order.
func TestChannelReaderMatchesSamples(t *testing.T) {
	r, err := OpenRecord(mapFS(bulkFixture()))
	require.NoError(t, err)
	formats := map[string]bool{}
	for _, c := range r.Channels() {
		require.NoError(t, c.Err, c.Name)
		formats[c.Format] = true
		want, err := collect(t, r, c.Name)
		require.NoError(t, err, c.Name)
		for _, chunk := range []int{1, 3, 7, 512, 5000} {
			times, values, err := readAll(t, r, c.Name, chunk, true)
			require.NoError(t, err, c.Name)
			require.Len(t, values, len(want), "%s, chunks of %d", c.Name, chunk)
			for i, s := range want {
				require.Equal(t, math.Float64bits(s.Seconds), math.Float64bits(times[i]), "%s: time %d, chunks of %d", c.Name, i, chunk)
				require.Equal(t, math.Float64bits(s.Value), math.Float64bits(values[i]), "%s: value %d, chunks of %d", c.Name, i, chunk)
			}
			_, only, err := readAll(t, r, c.Name, chunk, false)
			require.NoError(t, err)
			require.Equal(t, bits(values), bits(only), "%s: Read gives the values of ReadSamples", c.Name)
		}
	}
	require.Equal(t, map[string]bool{"wav": true, "hxd": true, "csv": true}, formats)
}

// Hand-computed values: gains, signedness, frames and time steps.
func TestChannelReaderValues(t *testing.T) {
	r, err := OpenRecord(mapFS(bulkFixture()))
	require.NoError(t, err)
	tests := []struct {
		name          string
		times, values []float64
	}{
		{"ECG_I", []float64{0, 1.0 / 256, 2.0 / 256, 3.0 / 256}, []float64{-100 * 0.0064, 0, 100 * 0.0064, -32768 * 0.0064}},
		{"respiration_thoracic", []float64{0, 1.0 / 128, 2.0 / 128}, []float64{65535, 1, 32768}},
		{"SDNN", []float64{300, 600}, []float64{50, 65535}},
		{"stereo", []float64{0, 0, 0.5, 0.5, 1, 1}, []float64{1, -1, 2, -2, 3, -3}},
		{"wide", []float64{0, 0.25, 0.5}, []float64{-70000, 70000, 5}},
		{"RR_interval", []float64{6, 7.5}, []float64{1, 0.75}},
		{"NN_interval", nil, nil}, // checked below
		{"step", []float64{2, 3}, []float64{1, 2}},
	}
	for _, tc := range tests {
		if tc.times == nil {
			continue
		}
		times, values, err := readAll(t, r, tc.name, 2, true)
		require.NoError(t, err, tc.name)
		require.Equal(t, tc.times, times, tc.name)
		require.Equal(t, tc.values, values, tc.name)
	}
	times, values, err := readAll(t, r, "NN_interval", 100, true)
	require.NoError(t, err)
	require.Len(t, values, 1000)
	require.Equal(t, 999*203.0/256, times[999])
	require.Equal(t, float64(180+999%50)/256, values[999])
}

func TestChannelReaderErrors(t *testing.T) {
	r, err := OpenRecord(mapFS(map[string][]byte{
		"RR_interval.hxd": append(appendHXD(nil, HXDRecord{Offset: 1, Value: 2}), 1, 2, 3),
		"heart_rate.wav":  []byte("RIFF\x00\x00\x00\x00WAVEfmt \x10\x00\x00\x00"),
		"ECG_I.wav":       mono16(256, 1, 2, 3)[:44+5],
		"step.csv":        []byte("time [s],step [step](/api/datatype/52/)\n1,1\n2,x\n"),
	}))
	require.NoError(t, err)

	_, err = r.OpenChannel("nope")
	require.ErrorIs(t, err, ErrUnknownChannel)
	_, err = r.OpenChannel("heart_rate")
	require.Equal(t, "heart_rate.wav", formatError(t, err).File)

	for name, want := range map[string]struct {
		file   string
		offset int64
		before int
	}{
		"RR_interval": {"RR_interval.hxd", 16, 1},
		"ECG_I":       {"ECG_I.wav", 48, 2},
		"step":        {"step.csv", 44, 1},
	} {
		_, values, err := readAll(t, r, name, 10, true)
		require.Len(t, values, want.before, name)
		fe := formatError(t, err)
		require.Equal(t, want.file, fe.File, name)
		require.Equal(t, want.offset, fe.Offset, name)
	}

	cr, err := r.OpenChannel("RR_interval")
	require.NoError(t, err)
	require.NoError(t, cr.Close())
	require.NoError(t, cr.Close(), "a second Close is harmless")
	n, err := cr.Read(make([]float64, 4))
	require.Zero(t, n)
	require.Error(t, err)
	require.False(t, errors.Is(err, io.EOF), "a closed reader is not at its end")

	cr, err = r.OpenChannel("step")
	require.NoError(t, err)
	defer cr.Close()
	require.Equal(t, "step", cr.Channel().Name)
	_, err = cr.ReadSamples(nil, make([]float64, 4))
	require.Error(t, err, "values without room for their times")
	n, err = cr.Read(nil)
	require.Zero(t, n)
	require.NoError(t, err, "an empty read is not an error")
}

// A full 24 h ECG channel read in bulk allocates a small constant amount.
func TestChannelReaderAllocatesLittle(t *testing.T) {
	if testing.Short() {
		t.Skip("22 million samples")
	}
	fsys := synthFS{name: "ECG_I.wav", rate: 256, samples: ecg24hSamples}
	r, err := OpenRecord(fsys)
	require.NoError(t, err)
	times, values := make([]float64, 4096), make([]float64, 4096)
	var n int64
	var last float64
	ok := true
	alloc := totalAlloc(func() {
		cr, err := r.OpenChannel("ECG_I")
		require.NoError(t, err)
		defer cr.Close()
		for {
			k, err := cr.ReadSamples(times, values)
			if k > 0 {
				i := n + int64(k) - 1
				ok = ok && values[k-1] == float64(synthSample(i))*0.0064
				last = times[k-1]
			}
			n += int64(k)
			if err != nil {
				require.Equal(t, io.EOF, err)
				break
			}
		}
	})
	require.True(t, ok, "values")
	require.Equal(t, int64(ecg24hSamples), n)
	require.Equal(t, float64(ecg24hSamples-1)/256, last)
	require.Less(t, alloc, uint64(64<<10), "allocated %d bytes", alloc)
}

// The bulk reader reads any fs.FS, the zip of /api/data/ included.
func TestChannelReaderFromZip(t *testing.T) {
	z := zipOf(t, map[string][]byte{"heart_rate.wav": mono16(1, 60, 61, 62)})
	rec, err := OpenRecord(fstest.MapFS{"data.zip": {Data: z}})
	require.NoError(t, err)
	require.Empty(t, rec.Channels(), "a zip inside a folder is not opened")
	zr, err := openZipBytes(z)
	require.NoError(t, err)
	times, values, err := readAll(t, zr, "heart_rate", 8, true)
	require.NoError(t, err)
	require.Equal(t, []float64{1, 2, 3}, times)
	require.Equal(t, []float64{60, 61, 62}, values)
}

// bits lets NaN values compare equal.
func bits(v []float64) []uint64 {
	out := make([]uint64, len(v))
	for i, x := range v {
		out[i] = math.Float64bits(x)
	}
	return out
}
