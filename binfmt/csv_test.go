package binfmt

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCSVHeader(t *testing.T) {
	r := openFixture(t)
	tests := []struct{ channel, want string }{
		{"heart_rate", "time [s],heart_rate [bpm] (/api/datatype/19/)"},
		{"RR_interval", "time [s],RR_interval [s] (/api/datatype/18/)"},
		{"ECG_I", "time [s],ECG_I [mV] (/api/datatype/4113/)"},
		{"mystery", "time [s],mystery [na]"},
	}
	for _, tc := range tests {
		c, ok := r.Channel(tc.channel)
		require.True(t, ok)
		require.Equal(t, tc.want, CSVHeader(c))
	}
}

func TestWriteCSV(t *testing.T) {
	r := openFixture(t)
	tests := []struct{ channel, want string }{
		{"heart_rate", "time [s],heart_rate [bpm] (/api/datatype/19/)\n1,70\n2,71\n3,72\n"},
		{"RR_interval", "time [s],RR_interval [s] (/api/datatype/18/)\n6,1\n7.5,0.75\n"},
		{"acceleration_X", "time [s],acceleration_X [g] (/api/datatype/4145/)\n0,-1\n0.015625,2\n"},
		{"ECG_I", "time [s],ECG_I [mV] (/api/datatype/4113/)\n0,-0.64\n0.00390625,0\n0.0078125,0.64\n0.01171875,-209.7152\n"},
		{"device_position", "time [s],device_position [na] (/api/datatype/269/)\n0,nan\n1,2\n"},
		{"ECG_II", "time [s],ECG_II [mV] (/api/datatype/4114/)\n"},
	}
	for _, tc := range tests {
		t.Run(tc.channel, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, r.WriteCSV(&b, tc.channel))
			require.Equal(t, tc.want, b.String())
		})
	}
}

func TestWriteCSVReportsErrors(t *testing.T) {
	r, err := OpenRecord(mapFS(map[string][]byte{"RR_interval.hxd": {1, 2, 3}}))
	require.NoError(t, err)
	err = r.WriteCSV(&bytes.Buffer{}, "RR_interval")
	require.Equal(t, "RR_interval.hxd", formatError(t, err).File)

	r = openFixture(t)
	boom := errors.New("disk full")
	require.ErrorIs(t, r.WriteCSV(failWriter{boom}, "heart_rate"), boom)
}

type failWriter struct{ err error }

func (f failWriter) Write([]byte) (int, error) { return 0, f.err }

func TestCSVWriterFlushesLargeOutput(t *testing.T) {
	var b bytes.Buffer
	cw := NewCSVWriter(&b, ChannelInfo{ChannelSpec: ChannelSpec{Name: "x", Unit: "u"}})
	const n = 20000
	for i := range n {
		require.NoError(t, cw.Write(Sample{float64(i) / 256, float64(i)}))
	}
	require.NoError(t, cw.Flush())
	require.Equal(t, int64(n), cw.Rows())
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	require.Equal(t, n+1, len(lines))
	require.Equal(t, "77.98828125,19965", lines[19966])
}

// appendNumber must write exactly what strconv's shortest 'f' form writes.
func TestAppendNumberMatchesStrconv(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	check := func(v float64) {
		t.Helper()
		want := strconv.FormatFloat(v, 'f', -1, 64)
		if v == 0 {
			want = "0"
		}
		got := string(appendNumber(nil, v))
		if got != want {
			t.Fatalf("appendNumber(%v) = %q, want %q", v, got, want)
		}
	}
	specials := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 1.0 / 256, 255.0 / 256, 1e7 - 1.0/256, 1e7, -1e7, 1e7 + 0.5,
		9999999.99609375, 0.1, 0.0064, 123 * 0.0064, 13.28 * 7, 1e-300, 1e300, math.MaxFloat64, math.SmallestNonzeroFloat64, 24086.671875}
	for _, v := range specials {
		check(v)
	}
	for range 200000 {
		check(float64(rng.Int64N(1<<40)) / 256)
		check(-float64(rng.Int64N(1<<33)) / 256)
		check(float64(rng.IntN(65536)-32768) * 0.0064)
		check(float64(rng.IntN(65536)) * 13.28)
		check(rng.NormFloat64() * 1e4)
		check(float64(rng.Uint64()))
	}
	require.Equal(t, "nan", string(appendNumber(nil, math.NaN())))
	require.Equal(t, "inf", string(appendNumber(nil, math.Inf(1))))
	require.Equal(t, "-inf", string(appendNumber(nil, math.Inf(-1))))
}
