package binfmt

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"testing"
)

// The fuzz targets check that the decoders never panic, that every count
// they return is consistent with the input, and that they allocate no more
// than a constant plus a small multiple of the input size, whatever the
// lengths in the headers say. Run them with
//
//	go test -run='^$' -fuzz='^FuzzWAVReader$' -fuzztime=10s ./binfmt
//
// and likewise for FuzzHXDReader and FuzzOpenZip.

// allocBudget is the allocation allowed for one call of a fuzz body: a
// constant (reader structs, the fixed 16 KiB buffers, zip bookkeeping,
// one flate window) plus perByte bytes per input byte.
func allocBudget(n int, perByte uint64) uint64 { return 1<<20 + perByte*uint64(n) }

func FuzzWAVReader(f *testing.F) {
	f.Add(mono16(256))
	f.Add(mono16(1, 70, 71, 72))
	f.Add(wavSpec{rate: 64, channels: 2, extensible: true, samples: []int32{1, 2, 3, 4}, before: [][]byte{chunk("LIST", []byte("abc"))}}.bytes())
	f.Add(wavSpec{rate: 300, bits: 32, samples: []int32{-1, 1}, dataSize: u32(0xFFFFFFFF), trailing: []byte{1}}.bytes())
	hostile := mono16(1, 1, 2)
	binary.LittleEndian.PutUint32(hostile[40:], 0xFFFFFFF0)
	f.Add(hostile)
	f.Fuzz(func(t *testing.T, data []byte) {
		var got int
		alloc := totalAlloc(func() {
			w, err := NewWAVReader(bytes.NewReader(data))
			if err != nil {
				var fe *FormatError
				if !errors.As(err, &fe) {
					t.Fatalf("error %v is not a *FormatError", err)
				}
				if fe.Offset < 0 || fe.Offset > int64(len(data))+8 {
					t.Fatalf("offset %d outside input of %d bytes", fe.Offset, len(data))
				}
				return
			}
			if w.Channels() < 1 || (w.BitsPerSample() != 16 && w.BitsPerSample() != 32) {
				t.Fatalf("accepted %d channels of %d bits", w.Channels(), w.BitsPerSample())
			}
			if w.BitsPerSample() == 16 {
				buf := make([]int16, 333)
				for {
					n, err := w.ReadInt16(buf)
					if n < 0 || n > len(buf) {
						t.Fatalf("n = %d", n)
					}
					got += n * 2
					if err != nil {
						break
					}
				}
			} else {
				buf := make([]int32, 333)
				for {
					n, err := w.ReadInt32(buf)
					if n < 0 || n > len(buf) {
						t.Fatalf("n = %d", n)
					}
					got += n * 4
					if err != nil {
						break
					}
				}
			}
		})
		if got > len(data) {
			t.Fatalf("decoded %d bytes of samples from %d bytes of input", got, len(data))
		}
		if alloc > allocBudget(len(data), 4) {
			t.Fatalf("allocated %d bytes for %d bytes of input", alloc, len(data))
		}
	})
}

func FuzzHXDReader(f *testing.F) {
	f.Add([]byte{})
	f.Add(appendHXD(nil, HXDRecord{Offset: 256, Value: 200}, HXDRecord{Offset: 512, Value: -1}))
	f.Add(append(appendHXD(nil, HXDRecord{Offset: 1, Value: 1}), 1, 2, 3))
	f.Fuzz(func(t *testing.T, data []byte) {
		var recs []HXDRecord
		var last error
		alloc := totalAlloc(func() {
			h := NewHXDReader(bytes.NewReader(data))
			buf := make([]HXDRecord, 7)
			for {
				n, err := h.Read(buf)
				if n < 0 || n > len(buf) {
					t.Fatalf("n = %d", n)
				}
				recs = append(recs, buf[:n]...)
				if err != nil {
					last = err
					break
				}
			}
		})
		if len(recs) != len(data)/HXDRecordSize {
			t.Fatalf("%d records from %d bytes", len(recs), len(data))
		}
		if len(data)%HXDRecordSize != 0 && !errors.Is(last, io.ErrUnexpectedEOF) {
			t.Fatalf("partial record: error %v", last)
		}
		if len(data)%HXDRecordSize == 0 && last != io.EOF {
			t.Fatalf("whole records: error %v", last)
		}
		for i, r := range recs {
			if !bytes.Equal(appendHXD(nil, r), data[i*16:i*16+16]) {
				t.Fatalf("record %d does not round-trip", i)
			}
		}
		// recs itself grows with the input: 2x for append's slack.
		if alloc > allocBudget(len(data), 8) {
			t.Fatalf("allocated %d bytes for %d bytes of input", alloc, len(data))
		}
	})
}

// maxFuzzSamples bounds the work per channel: a deflated entry can expand
// a thousandfold, which costs time, not memory.
const maxFuzzSamples = 1 << 14

func FuzzOpenZip(f *testing.F) {
	f.Add(zipOf(f, fixtureFiles()))
	f.Add(zipOf(f, map[string][]byte{"r/info.json": []byte(infoJSON), "r/ECG_I.wav": mono16(256, 1, 2, 3)}))
	f.Add(zipOf(f, map[string][]byte{"RR_interval.csv": []byte("time [s],RR_interval [s/256](/api/datatype/18/)\n1,0\n2,200\n")}))
	f.Add([]byte("PK\x05\x06\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		alloc := totalAlloc(func() {
			r, err := OpenZip(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				return
			}
			_ = r.Start()
			times, values := make([]float64, 7), make([]float64, 7)
			for _, c := range r.Channels() {
				n := 0
				var hash uint64
				var iterErr error
				for s, err := range r.Samples(c.Name) {
					if err != nil {
						iterErr = err
						var fe *FormatError
						if !errors.As(err, &fe) {
							t.Fatalf("%s: error %v (%T) is not a *FormatError", c.Name, err, err)
						}
						if fe.File == "" {
							t.Fatalf("%s: error %v does not name the file", c.Name, err)
						}
						break
					}
					_ = appendNumber(nil, s.Seconds)
					hash = hash*31 + math.Float64bits(s.Seconds) ^ math.Float64bits(s.Value)
					if n++; n == maxFuzzSamples {
						break
					}
				}
				// The bulk reader, in chunks of 7, gives the same samples.
				cr, err := r.OpenChannel(c.Name)
				if err != nil {
					if iterErr == nil || n > 0 {
						t.Fatalf("%s: OpenChannel: %v after %d samples from Samples (%v)", c.Name, err, n, iterErr)
					}
					continue
				}
				m := 0
				var bulkHash uint64
				var bulkErr error
				for m < n {
					k, err := cr.ReadSamples(times, values)
					for i := range min(k, n-m) {
						bulkHash = bulkHash*31 + math.Float64bits(times[i]) ^ math.Float64bits(values[i])
					}
					m += k
					if err != nil {
						bulkErr = err
						break
					}
				}
				cr.Close()
				if min(m, n) != n || bulkHash != hash {
					t.Fatalf("%s: bulk reader read %d samples (hash %x, %v), Samples %d (hash %x, %v)", c.Name, m, bulkHash, bulkErr, n, hash, iterErr)
				}
			}
		})
		// Zip bookkeeping (archive/zip's File and reader structs) per
		// entry; decode buffers are pooled, so many tiny entries cost about
		// 20 bytes per input byte (TestManyTinyEntriesAllocateLittle).
		if alloc > allocBudget(len(data), 64) {
			t.Fatalf("allocated %d bytes for %d bytes of input", alloc, len(data))
		}
	})
}
