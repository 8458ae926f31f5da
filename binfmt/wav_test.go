package binfmt

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"runtime"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/require"
	"github.com/wearkit/wearkit/internal/hexofile"
)

func readAllInt16(t testing.TB, w *WAVReader, chunk int) ([]int16, error) {
	t.Helper()
	var out []int16
	buf := make([]int16, chunk)
	for {
		n, err := w.ReadInt16(buf)
		if n < 0 || n > len(buf) {
			t.Fatalf("ReadInt16 returned n=%d for len %d", n, len(buf))
		}
		out = append(out, buf[:n]...)
		if err != nil {
			if err == io.EOF {
				return out, nil
			}
			return out, err
		}
	}
}

func TestWAVReaderQuirks(t *testing.T) {
	samples := []int32{1, -2, 3, 32767, -32768, 0, 7}
	want16 := []int16{1, -2, 3, 32767, -32768, 0, 7}
	tests := []struct {
		name   string
		spec   wavSpec
		raw    []byte // used instead of spec when set
		want   []int16
		rate   float64
		nch    int
		errEOF bool // want io.ErrUnexpectedEOF after the samples
	}{
		{name: "plain 44-byte header", spec: wavSpec{rate: 256, samples: samples}, want: want16, rate: 256, nch: 1},
		{name: "RIFF size file-4 (Hexoskin)", spec: wavSpec{rate: 1, samples: samples, riffSize: u32(uint32(4 + 8 + 16 + 8 + 14 + 4))}, want: want16, rate: 1, nch: 1},
		{name: "RIFF size 0", spec: wavSpec{rate: 1, samples: samples, riffSize: u32(0)}, want: want16, rate: 1, nch: 1},
		{name: "empty channel: 44 bytes, data size 0", spec: wavSpec{rate: 256}, want: nil, rate: 256, nch: 1},
		{name: "LIST chunk before fmt", spec: wavSpec{rate: 64, samples: samples, before: [][]byte{chunk("LIST", []byte("INFOISFT\x04\x00\x00\x00abc\x00"))}}, want: want16, rate: 64, nch: 1},
		{name: "fact and odd-size chunk between fmt and data", spec: wavSpec{rate: 64, samples: samples, between: [][]byte{chunk("fact", []byte{7, 0, 0, 0}), chunk("odd ", []byte{1, 2, 3})}}, want: want16, rate: 64, nch: 1},
		{name: "WAVE_FORMAT_EXTENSIBLE PCM", spec: wavSpec{rate: 128, extensible: true, samples: samples}, want: want16, rate: 128, nch: 1},
		{name: "two channels interleaved", spec: wavSpec{rate: 64, channels: 2, samples: samples[:6]}, want: want16[:6], rate: 64, nch: 2},
		{name: "data size past the end reads to the end", spec: wavSpec{rate: 1, samples: samples, dataSize: u32(1000)}, want: want16, rate: 1, nch: 1},
		{name: "data size 0xFFFFFFFF reads to the end", spec: wavSpec{rate: 1, samples: samples, dataSize: u32(0xFFFFFFFF)}, want: want16, rate: 1, nch: 1},
		{name: "data size shorter than the data is trusted", spec: wavSpec{rate: 1, samples: samples, dataSize: u32(6)}, want: want16[:3], rate: 1, nch: 1},
		{name: "odd data size drops the half sample", spec: wavSpec{rate: 1, samples: samples, dataSize: u32(7)}, want: want16[:3], rate: 1, nch: 1},
		{name: "chunk after data is not read", spec: wavSpec{rate: 1, samples: samples, trailing: chunk("LIST", []byte("xx"))}, want: want16, rate: 1, nch: 1},
		{name: "input ends inside a sample", spec: wavSpec{rate: 1, samples: samples, dataSize: u32(0xFFFFFFFF), trailing: []byte{9}}, want: want16, rate: 1, nch: 1, errEOF: true},
	}
	for _, tc := range tests {
		for _, chunk := range []int{1, 3, 4096} {
			t.Run(tc.name, func(t *testing.T) {
				data := tc.spec.bytes()
				// OneByteReader: the reader must cope with short reads.
				w, err := NewWAVReader(iotest.OneByteReader(bytes.NewReader(data)))
				require.NoError(t, err)
				require.Equal(t, tc.rate, w.SampleRate())
				require.Equal(t, tc.nch, w.Channels())
				require.Equal(t, 16, w.BitsPerSample())
				got, err := readAllInt16(t, w, chunk)
				if tc.errEOF {
					require.ErrorIs(t, err, io.ErrUnexpectedEOF)
					fe := formatError(t, err)
					require.Equal(t, int64(len(data)-1), fe.Offset)
				} else {
					require.NoError(t, err)
				}
				require.Equal(t, tc.want, got)
				// io.EOF stays sticky.
				n, err := w.ReadInt16(make([]int16, 4))
				require.Equal(t, 0, n)
				require.Error(t, err)
			})
		}
	}
}

func TestWAVReader32Bit(t *testing.T) {
	in := []int32{1, -1, 1 << 30, -1 << 31, 1<<31 - 1}
	w, err := NewWAVReader(bytes.NewReader(wavSpec{rate: 300, bits: 32, samples: in}.bytes()))
	require.NoError(t, err)
	require.Equal(t, 32, w.BitsPerSample())
	_, err = w.ReadInt16(make([]int16, 4))
	require.Error(t, err, "ReadInt16 on 32-bit data")
	got := make([]int32, 10)
	n, err := w.ReadInt32(got)
	require.NoError(t, err)
	require.Equal(t, in, got[:n])
	_, err = w.ReadInt32(got)
	require.Equal(t, io.EOF, err)

	// 16-bit data through ReadInt32 is sign-extended.
	w, err = NewWAVReader(bytes.NewReader(mono16(1, -5, 6)))
	require.NoError(t, err)
	n, err = w.ReadInt32(got)
	require.NoError(t, err)
	require.Equal(t, []int32{-5, 6}, got[:n])
}

func TestWAVReaderHeaderErrors(t *testing.T) {
	good := mono16(1, 1, 2, 3)
	le := binary.LittleEndian
	mod := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), good...)) }
	tests := []struct {
		name   string
		data   []byte
		offset int64
		eof    bool
	}{
		{"empty input", nil, 0, true},
		{"short RIFF header", good[:7], 7, true},
		{"not RIFF", mod(func(b []byte) []byte { copy(b, "RIFX"); return b }), 0, false},
		{"not WAVE", mod(func(b []byte) []byte { copy(b[8:], "AVI "); return b }), 8, false},
		{"ends inside fmt", good[:30], 30, true},
		{"no data chunk", good[:36], 36, true},
		{"fmt too small", mod(func(b []byte) []byte { le.PutUint32(b[16:], 8); return b }), 16, false},
		{"float format", mod(func(b []byte) []byte { le.PutUint16(b[20:], 3); return b }), 20, false},
		{"zero channels", mod(func(b []byte) []byte { le.PutUint16(b[22:], 0); return b }), 22, false},
		{"8 bits", mod(func(b []byte) []byte { le.PutUint16(b[34:], 8); le.PutUint16(b[32:], 1); return b }), 34, false},
		{"24 bits", mod(func(b []byte) []byte { le.PutUint16(b[34:], 24); le.PutUint16(b[32:], 3); return b }), 34, false},
		{"bad block align", mod(func(b []byte) []byte { le.PutUint16(b[32:], 4); return b }), 32, false},
		{"data before fmt", append([]byte("RIFF\x00\x00\x00\x00WAVEdata\x00\x00\x00\x00"), good[12:]...), 12, false},
		{"huge LIST chunk runs past the end", append(append([]byte(nil), good[:12]...), chunk("LIST", nil)[:4]...), 16, true},
	}
	tests[len(tests)-1].data = append(tests[len(tests)-1].data, 0xf0, 0xff, 0xff, 0xff, 1, 2)
	tests[len(tests)-1].offset = 22
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w, err := NewWAVReader(bytes.NewReader(tc.data))
			require.True(t, w == nil)
			fe := formatError(t, err)
			require.Equal(t, tc.offset, fe.Offset, fe.Error())
			require.Equal(t, tc.eof, errorIsUnexpectedEOF(err), fe.Error())
		})
	}
}

func errorIsUnexpectedEOF(err error) bool {
	fe, ok := err.(*FormatError)
	return ok && fe.Err == io.ErrUnexpectedEOF
}

func TestWAVExtensibleNotPCM(t *testing.T) {
	b := wavSpec{rate: 1, extensible: true, samples: []int32{1}}.bytes()
	b[12+8+24] = 3 // sub-format IEEE float
	_, err := NewWAVReader(bytes.NewReader(b))
	fe := formatError(t, err)
	require.Equal(t, int64(44), fe.Offset)
}

// A hostile data size must not make the reader allocate from it.
func TestWAVHostileSizesDoNotAllocate(t *testing.T) {
	in := mono16(1, 1, 2, 3, 4, 5, 6, 7, 8)
	binary.LittleEndian.PutUint32(in[40:], 0xFFFFFFF0)
	binary.LittleEndian.PutUint32(in[4:], 0xFFFFFFF0)
	require.Equal(t, 60, len(in))
	alloc := totalAlloc(func() {
		w, err := NewWAVReader(bytes.NewReader(in))
		require.NoError(t, err)
		got, err := readAllInt16(t, w, 4)
		require.NoError(t, err)
		require.Equal(t, 8, len(got))
	})
	require.True(t, alloc < 64<<10, "allocated", alloc)

	// A LIST chunk claiming 4 GiB is skipped without buffering it.
	hostile := append(append([]byte(nil), in[:12]...), chunk("LIST", nil)...)
	binary.LittleEndian.PutUint32(hostile[16:], 0xFFFFFFFE)
	hostile = append(hostile, make([]byte, 40)...)
	alloc = totalAlloc(func() {
		_, err := NewWAVReader(bytes.NewReader(hostile))
		require.ErrorIs(t, err, io.ErrUnexpectedEOF)
	})
	require.True(t, alloc < 64<<10, "allocated", alloc)
}

// totalAlloc returns the bytes allocated while f runs.
func totalAlloc(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestDecodeInt16MatchesScalar(t *testing.T) {
	b := make([]byte, 2*37)
	for i := range b {
		b[i] = byte(i*37 + 11)
	}
	for n := 0; n <= 37; n++ {
		got := make([]int16, n)
		decodeInt16(got, b)
		for i := range got {
			require.Equal(t, int16(binary.LittleEndian.Uint16(b[2*i:])), got[i])
		}
	}
}

func TestAppendWAVHeader(t *testing.T) {
	h := hexofile.AppendWAVHeader(nil, 256, 1, 16, 0)
	require.Equal(t, 44, len(h))
	w, err := NewWAVReader(bytes.NewReader(h))
	require.NoError(t, err)
	require.Equal(t, 256.0, w.SampleRate())
	require.Equal(t, int64(0), w.DataSize())
	require.Equal(t, int64(44), w.DataOffset())
	_, err = w.ReadInt16(make([]int16, 1))
	require.Equal(t, io.EOF, err)
}

func TestWAVHeaderReadErrorIsKept(t *testing.T) {
	// An I/O error while looking for the next chunk is reported as such,
	// not as a file that ends early.
	boom := errors.New("boom")
	for _, cut := range []int{12, 36} {
		r := io.MultiReader(bytes.NewReader(mono16(1, 1, 2)[:cut]), iotest.ErrReader(boom))
		_, err := NewWAVReader(r)
		require.ErrorIs(t, err, boom, "cut at %d", cut)
		require.NotErrorIs(t, err, io.ErrUnexpectedEOF, "cut at %d", cut)
		require.Equal(t, int64(cut), formatError(t, err).Offset)
	}
}
