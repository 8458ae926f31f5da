package binfmt

import (
	"encoding/binary"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// hxdPhysical is the reference the fast paths must match bit for bit: the
// value field of record i of the little-endian bytes b, as float64(int64)
// times gain, one record at a time.
func hxdPhysical(b []byte, gain float64) []float64 {
	out := make([]float64, len(b)/HXDRecordSize)
	for i := range out {
		out[i] = float64(int64(binary.LittleEndian.Uint64(b[i*HXDRecordSize+8:]))) * gain
	}
	return out
}

// eachHXDKernel runs f with each conversion kernel this machine has (on
// amd64: SSE2, and AVX2 and AVX-512 where the CPU has them).
func eachHXDKernel(t *testing.T, f func(t *testing.T)) {
	saved := hxdKernel
	t.Cleanup(func() { hxdKernel = saved })
	for k, name := range hxdKernels {
		hxdKernel = k
		t.Run(name, f)
	}
}

// hxdEdgeValues are values where an int64 to float64 conversion can go
// wrong: the ends of the range, the 32-bit halves' borders, the first
// integers float64 cannot hold, and ties that must round to even.
var hxdEdgeValues = []int64{
	0, 1, -1, 180, -180, math.MaxInt64, math.MinInt64, math.MaxInt64 - 1, math.MinInt64 + 1,
	math.MaxInt32, math.MinInt32, 1 << 31, -1<<31 - 1, 1<<32 - 1, 1 << 32, 1<<32 + 1, -1 << 32, -1<<32 - 1,
	1 << 52, 1 << 53, 1<<53 + 1, 1<<53 + 3, -(1 << 53) - 1, -(1 << 53) - 3,
	1<<54 + 2, 1<<54 + 6, -(1 << 54) - 2, 1<<60 + 128, 1<<60 + 384, 1<<60 + 129, -(1 << 60) - 384,
	math.MaxInt64 - 511, math.MaxInt64 - 512, math.MaxInt64 - 1024, math.MinInt64 + 512, math.MinInt64 + 513,
	0x00000000_80000000, 0x7FFFFFFF_00000000, 0x7FFFFFFF_FFFFFFFF >> 11, -0x00000001_00000001,
}

// hxdTestRecords returns the edge values, then n random records whose
// values have random bit lengths (small RR-like values, 32-bit borders and
// the full range alike), as .hxd bytes.
func hxdTestRecords(rng *rand.Rand, n int) []byte {
	var b []byte
	for _, v := range hxdEdgeValues {
		b = appendHXD(b, HXDRecord{Offset: rng.Uint64(), Value: v})
	}
	for range n {
		v := int64(rng.Uint64() >> rng.IntN(64))
		if rng.IntN(2) == 0 {
			v = -v
		}
		b = appendHXD(b, HXDRecord{Offset: rng.Uint64(), Value: v})
	}
	return b
}

var hxdTestGains = []float64{
	1, 1.0 / 256, 0.0064, 13.28, -0.1, 0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1),
	math.NaN(), math.Float64frombits(0x7FF0_0000_0000_0123), // a signalling NaN with a payload
	math.Float64frombits(0xFFF8_0000_0000_0042), math.SmallestNonzeroFloat64, math.MaxFloat64,
}

// requireSameBits fails at the first value whose bits differ.
func requireSameBits(t *testing.T, want, got []float64, msg string, args ...any) {
	t.Helper()
	require.Len(t, got, len(want))
	for i := range want {
		if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
			require.Failf(t, "value differs", "value %d: got %v (%#x), want %v (%#x); "+msg,
				append([]any{i, got[i], math.Float64bits(got[i]), want[i], math.Float64bits(want[i])}, args...)...)
		}
	}
}

// scaleHXD, whichever kernel runs, gives the reference's bits for every
// gain, at every length modulo 8 and from an unaligned start.
func TestScaleHXDMatchesScalar(t *testing.T) {
	b := hxdTestRecords(rand.New(rand.NewPCG(1, 2)), 5000)
	recs := make([]HXDRecord, len(b)/HXDRecordSize)
	decodeHXD(recs, b)
	eachHXDKernel(t, func(t *testing.T) {
		for _, gain := range hxdTestGains {
			want := hxdPhysical(b, gain)
			for _, start := range []int{0, 1, 3} {
				for _, n := range []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 1023, len(recs) - start} {
					got := make([]float64, n)
					scaleHXD(got, recs[start:], gain)
					requireSameBits(t, want[start:start+n], got, "gain %v, start %d, n %d", gain, start, n)
				}
			}
		}
	})
}

// hxdNear51 returns n records with values in [-2^51, 2^51), the range of
// the AVX2 kernel, except at position at (if in range), which holds v.
func hxdNear51(rng *rand.Rand, n, at int, v int64) []HXDRecord {
	recs := make([]HXDRecord, n)
	for i := range recs {
		recs[i] = HXDRecord{Offset: rng.Uint64(), Value: rng.Int64N(1<<52) - 1<<51}
		if i%3 == 0 {
			recs[i].Value = rng.Int64N(512) - 256 // RR-sized
		}
	}
	if at >= 0 && at < n {
		recs[at].Value = v
	}
	return recs
}

// At the borders of the AVX2 kernel's range, in every lane of a group of
// eight: values inside are converted by it, values outside make it
// report so, and scaleHXD gives the reference's bits either way.
func TestScaleHXDRangeBorders(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	eachHXDKernel(t, func(t *testing.T) {
		for _, v := range []int64{-1 << 51, 1<<51 - 1, 1 << 51, -1<<51 - 1, math.MaxInt64, math.MinInt64, 1 << 52, -1 << 52} {
			for at := range 17 {
				recs := hxdNear51(rng, 24, at, v)
				b := appendHXD(nil, recs...)
				for _, gain := range []float64{1.0 / 256, -3.5, math.NaN()} {
					got := make([]float64, len(recs))
					scaleHXD(got, recs, gain)
					requireSameBits(t, hxdPhysical(b, gain), got, "value %d at %d, gain %v", v, at, gain)
				}
			}
		}
	})
}

// ChannelReader.Read hands out the reference values of every record of a
// .hxd file that ends inside a record, whatever the caller's buffer size,
// then an error naming the file and the byte offset of the cut record.
func TestChannelReaderHXDMatchesScalar(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	eachHXDKernel(t, func(t *testing.T) {
		for _, extra := range []int{0, 1, 7, 1000, 3001} {
			b := hxdTestRecords(rng, extra)
			whole := len(b)
			b = append(b, 1, 2, 3, 4, 5) // a record cut at the end of the file
			r, err := OpenRecord(mapFS(map[string][]byte{"RR_interval.hxd": b, "mystery.hxd": b}))
			require.NoError(t, err)
			for _, name := range []string{"RR_interval", "mystery"} {
				c, ok := r.Channel(name)
				require.True(t, ok)
				want := hxdPhysical(b, c.Gain)
				for _, chunk := range []int{1, 3, 8, 1001, 4096, 10000} {
					_, values, err := readAll(t, r, name, chunk, false)
					requireSameBits(t, want, values, "%s, %d records, chunk %d", name, len(want), chunk)
					fe := formatError(t, err)
					require.ErrorIs(t, err, io.ErrUnexpectedEOF)
					require.Equal(t, c.File, fe.File)
					require.Equal(t, int64(whole), fe.Offset, "the offset of the cut record")
				}
			}
		}
	})
}

// FuzzScaleHXD: any bytes, read as records from any start, with any gain,
// give the reference's bits through Read and through each kernel.
func FuzzScaleHXD(f *testing.F) {
	f.Add(appendHXD(nil, HXDRecord{Offset: 1, Value: math.MinInt64}, HXDRecord{Value: math.MaxInt64}, HXDRecord{Value: -1}), 1.0/256, uint16(3))
	f.Add(hxdTestRecords(rand.New(rand.NewPCG(5, 6)), 40), math.NaN(), uint16(8))
	f.Add(append(appendHXD(nil, HXDRecord{Offset: 7, Value: 1<<53 + 1}), 9), -13.28, uint16(1))
	f.Fuzz(func(t *testing.T, data []byte, gain float64, chunk uint16) {
		want := hxdPhysical(data, gain)
		recs := make([]HXDRecord, len(want))
		decodeHXD(recs, data)
		eachHXDKernel(t, func(t *testing.T) {
			for start := range min(len(recs), 3) + 1 {
				got := make([]float64, len(recs)-start)
				scaleHXD(got, recs[start:], gain)
				requireSameBits(t, want[start:], got, "start %d", start)
			}
		})
		// Through the bulk reader, with the channel's gain.
		r, err := OpenRecord(mapFS(map[string][]byte{"RR_interval.hxd": data}))
		require.NoError(t, err)
		c, _ := r.Channel("RR_interval")
		_, values, err := readAll(t, r, "RR_interval", int(chunk%5000)+1, false)
		requireSameBits(t, hxdPhysical(data, c.Gain), values, "chunk %d", chunk)
		if len(data)%HXDRecordSize == 0 {
			require.NoError(t, err)
			return
		}
		var fe *FormatError
		require.True(t, errors.As(err, &fe), "error %v", err)
		require.Equal(t, int64(len(data)-len(data)%HXDRecordSize), fe.Offset)
	})
}
