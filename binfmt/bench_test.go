package binfmt

import (
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"github.com/wearkit/wearkit/internal/hexofile"
)

// Benchmarks, each decoder beside a copy() of the same bytes:
//
//	go test -run='^$' -bench=. -benchmem -cpu=1 -count=3 ./binfmt

// benchWAV is one hour of 256 Hz ECG (921,600 samples, 1.8 MB).
func benchWAV(samples int) []byte {
	b := hexofile.AppendWAVHeader(make([]byte, 0, 44+2*samples), 256, 1, 16, uint32(2*samples))
	for i := range samples {
		b = binary.LittleEndian.AppendUint16(b, uint16(synthSample(int64(i))))
	}
	return b
}

const benchSamples = 3600 * 256

func BenchmarkWAVDecode(b *testing.B) {
	data := benchWAV(benchSamples)
	dst := make([]int16, 4096)
	b.SetBytes(int64(len(data) - 44))
	b.ReportAllocs()
	for b.Loop() {
		w, err := NewWAVReader(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			k, err := w.ReadInt16(dst)
			n += k
			if err != nil {
				break
			}
		}
		if n != benchSamples {
			b.Fatalf("decoded %d samples", n)
		}
	}
}

// BenchmarkWAVCopyBaseline copies the same sample bytes, in the same
// 8 KiB pieces, with copy(): the ceiling for BenchmarkWAVDecode.
func BenchmarkWAVCopyBaseline(b *testing.B) {
	data := benchWAV(benchSamples)[44:]
	dst := make([]byte, 2*4096)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if n := copyInPieces(dst, data); n != len(data) {
			b.Fatal(n)
		}
	}
}

// copyInPieces is every baseline: data copied through dst, piece by piece,
// as a decoder reads it through its buffer. It returns the bytes copied.
func copyInPieces(dst, data []byte) int {
	n := 0
	for n < len(data) {
		n += copy(dst, data[n:])
	}
	return n
}

const benchRecords = 100000

func benchHXD() []byte {
	out := make([]byte, 0, benchRecords*HXDRecordSize)
	for i := range benchRecords {
		out = appendHXD(out, HXDRecord{Offset: uint64(i) * 200, Value: int64(180 + i%40)})
	}
	return out
}

func BenchmarkHXDDecode(b *testing.B) {
	data := benchHXD()
	dst := make([]HXDRecord, 512)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		h := NewHXDReader(bytes.NewReader(data))
		n := 0
		for {
			k, err := h.Read(dst)
			n += k
			if err != nil {
				break
			}
		}
		if n != benchRecords {
			b.Fatal(n)
		}
	}
}

// BenchmarkHXDCopyBaseline copies the same bytes in the same 8 KiB pieces.
func BenchmarkHXDCopyBaseline(b *testing.B) {
	data := benchHXD()
	dst := make([]byte, 512*HXDRecordSize)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if n := copyInPieces(dst, data); n != len(data) {
			b.Fatal(n)
		}
	}
}

// BenchmarkECG24hSamples iterates a synthetic 24 h, 256 Hz ECG channel
// (22,118,400 samples) through Record.Samples.
func BenchmarkECG24hSamples(b *testing.B) {
	fsys := fstest.MapFS{"ECG_I.wav": {Data: benchWAV(ecg24hSamples)}}
	b.SetBytes(2 * ecg24hSamples)
	b.ReportAllocs()
	for b.Loop() {
		r, err := OpenRecord(fsys)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		var sum float64
		for s, err := range r.Samples("ECG_I") {
			if err != nil {
				b.Fatal(err)
			}
			sum += s.Value
			n++
		}
		if n != ecg24hSamples {
			b.Fatal(n)
		}
	}
	b.ReportMetric(float64(ecg24hSamples)*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
}

// BenchmarkCSVWrite writes CSV rows through CSVWriter to io.Discard.
func BenchmarkCSVWrite(b *testing.B) {
	const rows = 1 << 20
	cases := []struct {
		name string
		c    ChannelSpec
	}{
		// 256 Hz ECG: fractional times, values raw*0.0064 mV.
		{"ECG_I", ChannelSpec{Name: "ECG_I", Unit: "mV", DatatypeID: 4113, Rate: 256, Gain: 0.0064}},
		// 64 Hz acceleration: times and values multiples of 1/256.
		{"acceleration_X", ChannelSpec{Name: "acceleration_X", Unit: "g", DatatypeID: 4145, Rate: 64, Gain: 1.0 / 256}},
		// 1 Hz heart rate: integers.
		{"heart_rate", ChannelSpec{Name: "heart_rate", Unit: "bpm", DatatypeID: 19, Rate: 1, Offset: 1, Gain: 1}},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			samples := make([]Sample, 4096)
			for i := range samples {
				raw := float64(synthSample(int64(i)) % 2000)
				if tc.c.Name == "heart_rate" {
					raw = float64(60 + i%100)
				}
				samples[i] = Sample{Seconds: tc.c.Offset + float64(i)/tc.c.Rate, Value: raw * tc.c.Gain}
			}
			b.ReportAllocs()
			for b.Loop() {
				cw := NewCSVWriter(io.Discard, ChannelInfo{ChannelSpec: tc.c})
				for i := range rows {
					s := samples[i&4095]
					s.Seconds += float64(i>>12) * 16 // keep times growing
					if err := cw.Write(s); err != nil {
						b.Fatal(err)
					}
				}
				if err := cw.Flush(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// The ratio benchmarks interleave decode and copy() in every iteration, so
// that both see the same machine load, and report the decode throughput as
// a percentage of the copy throughput (the issue asks for >= 50). The copy
// writes into the same destination memory as the decoder (the bytes of dst
// where the build allows it): on the benchmark machine a copy into a
// different 8 KiB buffer ran up to 3x faster or slower depending on the
// buffer alone, which would measure the allocator, not the decoder.

func BenchmarkWAVDecodeRatio(b *testing.B) {
	data := benchWAV(benchSamples)
	dst := make([]int16, 4096)
	dstb := int16Bytes(dst)
	if dstb == nil {
		dstb = make([]byte, 2*len(dst))
	}
	var tDec, tCopy time.Duration
	for b.Loop() {
		t0 := time.Now()
		copyInPieces(dstb, data[44:])
		t1 := time.Now()
		w, err := NewWAVReader(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		for {
			if _, err := w.ReadInt16(dst); err != nil {
				break
			}
		}
		t2 := time.Now()
		tCopy += t1.Sub(t0)
		tDec += t2.Sub(t1)
	}
	b.ReportMetric(100*tCopy.Seconds()/tDec.Seconds(), "%-of-copy")
}

func BenchmarkHXDDecodeRatio(b *testing.B) {
	data := benchHXD()
	dst := make([]HXDRecord, 512)
	dstb := hxdBytes(dst)
	if dstb == nil {
		dstb = make([]byte, HXDRecordSize*len(dst))
	}
	var tDec, tCopy time.Duration
	for b.Loop() {
		t0 := time.Now()
		copyInPieces(dstb, data)
		t1 := time.Now()
		h := NewHXDReader(bytes.NewReader(data))
		for {
			if _, err := h.Read(dst); err != nil {
				break
			}
		}
		t2 := time.Now()
		tCopy += t1.Sub(t0)
		tDec += t2.Sub(t1)
	}
	b.ReportMetric(100*tCopy.Seconds()/tDec.Seconds(), "%-of-copy")
}

// BenchmarkPhysicalRatio reads one channel's physical values four ways in
// every iteration, so that all see the same machine load:
//
//   - copy: copy() of the same number of float64s (the values as if already
//     decoded) into the caller's 4096-value buffer, piece by piece: the
//     ceiling for any bulk call;
//   - read: ChannelReader.Read into the same buffer;
//   - readsamples: ChannelReader.ReadSamples, times and values;
//   - samples: the per-sample iterator Record.Samples.
//
// It reports each as a percentage of copy's throughput (issue 9 asks for
// read >= 50) and read's throughput in MB/s of file input, the figure to
// set beside numpy's frombuffer * gain on the same bytes
// (testdata/bench_numpy.py). Cases: the synthetic hour of 256 Hz ECG of
// BenchmarkWAVDecode, 100,000 .hxd RR intervals (again with each .hxd
// kernel narrower than the CPU's widest: hxd-sse2, hxd-avx2), and the real
// 64 Hz acceleration_X.wav of record 108680 when the real exports are
// present.
func BenchmarkPhysicalRatio(b *testing.B) {
	var recs []HXDRecord
	for i := range benchRecords {
		recs = append(recs, HXDRecord{Offset: uint64(i) * 200, Value: int64(180 + i%40)})
	}
	b.Run("wav", func(b *testing.B) {
		benchPhysical(b, fstest.MapFS{"ECG_I.wav": {Data: benchWAV(benchSamples)}}, "ECG_I")
	})
	b.Run("hxd", func(b *testing.B) {
		benchPhysical(b, fstest.MapFS{"RR_interval.hxd": {Data: appendHXD(nil, recs...)}}, "RR_interval")
	})
	// What CPUs with narrower vectors get: the SSE2 and AVX2 kernels.
	for k, name := range hxdKernels[:hxdKernel] {
		b.Run("hxd-"+name, func(b *testing.B) {
			saved := hxdKernel
			hxdKernel = k
			defer func() { hxdKernel = saved }()
			benchPhysical(b, fstest.MapFS{"RR_interval.hxd": {Data: appendHXD(nil, recs...)}}, "RR_interval")
		})
	}
	b.Run("real-acceleration_X", func(b *testing.B) {
		data, err := os.ReadFile(filepath.Join(realExports, "record_108680", "acceleration_X.wav"))
		if err != nil {
			b.Skipf("real exports not present: %v", err)
		}
		benchPhysical(b, fstest.MapFS{"acceleration_X.wav": {Data: data}}, "acceleration_X")
	})
}

func benchPhysical(b *testing.B, fsys fstest.MapFS, channel string) {
	r, err := OpenRecord(fsys)
	if err != nil {
		b.Fatal(err)
	}
	c, _ := r.Channel(channel)
	n := int(c.Count)
	input := int(c.Size)
	if c.Format == "wav" {
		input = n * c.BitsPerSample / 8
	}
	src := make([]float64, n)
	for i := range src {
		src[i] = float64(i)
	}
	values, times := make([]float64, 4096), make([]float64, 4096)
	var tCopy, tRead, tReadSamples, tSamples time.Duration
	bulk := func(withTimes bool) time.Duration {
		t0 := time.Now()
		cr, err := r.OpenChannel(channel)
		if err != nil {
			b.Fatal(err)
		}
		got := 0
		for {
			var k int
			if withTimes {
				k, err = cr.ReadSamples(times, values)
			} else {
				k, err = cr.Read(values)
			}
			got += k
			if err != nil {
				break
			}
		}
		cr.Close()
		d := time.Since(t0)
		if err != io.EOF || got != n {
			b.Fatalf("read %d values of %d: %v", got, n, err)
		}
		return d
	}
	for b.Loop() {
		t0 := time.Now()
		for k := 0; k < len(src); {
			k += copy(values, src[k:])
		}
		tCopy += time.Since(t0)
		tRead += bulk(false)
		tReadSamples += bulk(true)
		t0 = time.Now()
		got := 0
		var sum float64
		for s, err := range r.Samples(channel) {
			if err != nil {
				b.Fatal(err)
			}
			sum += s.Value
			got++
		}
		tSamples += time.Since(t0)
		if got != n {
			b.Fatal(got)
		}
	}
	pct := func(d time.Duration) float64 { return 100 * tCopy.Seconds() / d.Seconds() }
	b.ReportMetric(pct(tRead), "read-%-of-copy")
	b.ReportMetric(pct(tReadSamples), "readsamples-%-of-copy")
	b.ReportMetric(pct(tSamples), "samples-%-of-copy")
	mbs := func(d time.Duration) float64 { return float64(input) * float64(b.N) / d.Seconds() / 1e6 }
	b.ReportMetric(mbs(tRead), "read-MB/s")
	b.ReportMetric(mbs(tSamples), "samples-MB/s")
}

// BenchmarkHXDReadParts splits ChannelReader.Read on the .hxd case of
// BenchmarkPhysicalRatio into its two passes, each timed in every
// iteration beside the same copy() of 100,000 float64s and reported as a
// percentage of the copy's throughput:
//
//   - move: io.ReadFull of the file's 1.6 MB into a 16 KiB record buffer,
//     piece by piece, the part no decoder behind an io.Reader can skip;
//   - convert-<kernel>: as many values converted from the records in that
//     (cached) buffer by each kernel the CPU has, and by the plain loop.
//
// Read cannot run faster than 1 / (1/move + 1/convert) of the copy. Each
// arm keeps its fastest iteration (of about 40 µs): on the shared machine
// a sum over all iterations mostly measures who else was running.
func BenchmarkHXDReadParts(b *testing.B) {
	var recs []HXDRecord
	for i := range benchRecords {
		recs = append(recs, HXDRecord{Offset: uint64(i) * 200, Value: int64(180 + i%40)})
	}
	fsys := fstest.MapFS{"RR_interval.hxd": {Data: appendHXD(nil, recs...)}}
	src := make([]float64, len(recs))
	values := make([]float64, 4096)
	buf := append([]HXDRecord(nil), recs[:bufSize/HXDRecordSize]...)
	raw := make([]byte, bufSize)
	const gain = 1.0 / 256
	var tCopy, tMove, tLoop time.Duration
	tKernel := make([]time.Duration, len(hxdKernels))
	fastest := func(best, d time.Duration) time.Duration {
		if best == 0 || d < best {
			return d
		}
		return best
	}
	saved := hxdKernel
	defer func() { hxdKernel = saved }()
	for b.Loop() {
		t0 := time.Now()
		for k := 0; k < len(src); {
			k += copy(values, src[k:])
		}
		tCopy = fastest(tCopy, time.Since(t0))

		f, err := fsys.Open("RR_interval.hxd")
		if err != nil {
			b.Fatal(err)
		}
		t0 = time.Now()
		for {
			if _, err := io.ReadFull(f, raw); err != nil {
				break
			}
		}
		tMove = fastest(tMove, time.Since(t0))
		f.Close()

		for k := range hxdKernels {
			hxdKernel = k
			t0 = time.Now()
			for n := 0; n < len(recs); n += len(buf) {
				scaleHXD(values[:min(len(buf), len(recs)-n)], buf, gain)
			}
			tKernel[k] = fastest(tKernel[k], time.Since(t0))
		}
		t0 = time.Now()
		for n := 0; n < len(recs); n += len(buf) {
			for i, r := range buf[:min(len(buf), len(recs)-n)] {
				values[i] = float64(r.Value) * gain
			}
		}
		tLoop = fastest(tLoop, time.Since(t0))
	}
	pct := func(d time.Duration) float64 { return 100 * tCopy.Seconds() / d.Seconds() }
	b.ReportMetric(pct(tMove), "move-%-of-copy")
	b.ReportMetric(pct(tLoop), "convert-loop-%-of-copy")
	for k, name := range hxdKernels {
		b.ReportMetric(pct(tKernel[k]), "convert-"+name+"-%-of-copy")
	}
}
