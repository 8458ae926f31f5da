package samples_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"iter"
	"net/http"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit/samples"
	"github.com/wearkit/wearkit/samples/samplestest"
)

// benchBatch is 1000 samples as a phone would send them.
func benchBatch() []samples.Sample {
	out := make([]samples.Sample, samples.MaxBatch)
	t0 := time.Date(2023, 11, 1, 8, 4, 51, 0, plus4)
	for i := range out {
		st := t0.Add(time.Duration(i) * 7919 * time.Millisecond)
		out[i] = samples.Sample{DeviceName: "Apple Watch", DeviceVersion: "10.1", Start: st, End: st.Add(5 * time.Second),
			Unit: samples.Count, Value: float64(1 + i%97)}
	}
	return out
}

// BenchmarkEncode compares the hand-written encoder with encoding/json on
// the same 1000-sample batch (the same bytes, TestAppendBatchJSONMatchesEncodingJSON).
func BenchmarkEncode(b *testing.B) {
	batch := benchBatch()
	want, err := stdEncode("", samples.Steps, batch)
	require.NoError(b, err)
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(want)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := stdEncode("", samples.Steps, batch); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("AppendBatchJSON", func(b *testing.B) {
		b.SetBytes(int64(len(want)))
		b.ReportAllocs()
		buf := make([]byte, 0, 256<<10)
		for b.Loop() {
			buf = samples.AppendBatchJSON(buf[:0], "", samples.Steps, batch)
		}
		require.Equal(b, want, buf)
	})
}

// BenchmarkEncodePaired times both encoders on the same batch in every
// iteration, one after the other, and reports the ratio of their totals:
// on a shared, loaded machine a ratio of neighbours is steadier than one of
// two separate runs.
func BenchmarkEncodePaired(b *testing.B) {
	batch := benchBatch()
	buf := make([]byte, 0, 256<<10)
	var std, hand time.Duration
	for b.Loop() {
		t0 := time.Now()
		want, err := stdEncode("", samples.Steps, batch)
		t1 := time.Now()
		buf = samples.AppendBatchJSON(buf[:0], "", samples.Steps, batch)
		t2 := time.Now()
		if err != nil || len(want) != len(buf) {
			b.Fatal("the encoders disagree")
		}
		std += t1.Sub(t0)
		hand += t2.Sub(t1)
	}
	b.ReportMetric(float64(std.Microseconds())/float64(b.N), "encoding-json-us")
	b.ReportMetric(float64(hand.Microseconds())/float64(b.N), "AppendBatchJSON-us")
	b.ReportMetric(float64(std)/float64(hand), "speedup")
}

const (
	benchSamples = 1_000_000
	benchDevices = 10
	benchConc    = 4
)

// benchSeq yields benchSamples step samples across benchDevices devices,
// interleaved in time, made on the fly (nothing held in memory).
func benchSeq() iter.Seq[samples.Sample] {
	t0 := time.Date(2023, 1, 1, 0, 0, 0, 0, plus4)
	names := make([]string, benchDevices)
	for i := range names {
		names[i] = fmt.Sprintf("watch-%d", i)
	}
	return func(yield func(samples.Sample) bool) {
		for i := 0; i < benchSamples; i++ {
			st := t0.Add(time.Duration(i/benchDevices) * time.Minute)
			if !yield(samples.Sample{DeviceName: names[i%benchDevices], DeviceVersion: "10.1", Start: st, End: st.Add(time.Minute),
				Unit: samples.Count, Value: float64(1 + i%997)}) {
				return
			}
		}
	}
}

// peakHeap samples the live heap every few milliseconds until stop.
func peakHeap(stop <-chan struct{}) <-chan uint64 {
	out := make(chan uint64, 1)
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var peak uint64
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-stop:
				out <- peak
				return
			case <-t.C:
			}
		}
	}()
	return out
}

// benchServer is the loopback fake, counting only, with its request log
// emptied as it goes (it would otherwise keep every body).
func benchServer(b *testing.B) (*samplestest.Server, *http.Client) {
	srv := samplestest.New(b, samplestest.WithoutRecording())
	done := make(chan struct{})
	b.Cleanup(func() { close(done) })
	go func() {
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				srv.Log.Reset()
			}
		}
	}()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 2 * benchConc
	return srv, &http.Client{Transport: tr}
}

// BenchmarkUpload1M sends 1,000,000 samples of 10 devices from an
// iterator to the loopback fake with the Syncer (checkpoints in memory, 4
// batches at a time), and posts the same batches pre-encoded with net/http
// from 4 goroutines, both arms in every iteration (which goes first
// alternates) so both meet the same load on a shared machine.
//
// The pre-encoded bodies (about 190 MB) are made once, before the timer
// starts, and stay alive through both arms. They must: the collector paces
// itself by the live heap, so while they are alive it runs a handful of
// times in an arm, and with only the Syncer's 15 MiB it runs hundreds of
// times, nearly all for the fake's decoding garbage. Timing the Syncer
// without them measured that pacing, not the Syncer (gc-syncer and
// gc-pre-encoded report the cycles per arm, so the match shows).
//
// The peak heap is measured in one Syncer pass before the bodies exist:
// the largest live heap seen (sampled every 5 ms, the fake's included).
func BenchmarkUpload1M(b *testing.B) {
	srv, hc := benchServer(b)
	c, err := samples.New(samples.WithBaseURL(srv.URL), samples.WithBearerToken(samplestest.ProxyToken), samples.WithHTTPClient(hc))
	require.NoError(b, err)
	syncOnce := func() {
		s := &samples.Syncer{Client: c, Store: samples.NewMemoryCheckpointStore(), Concurrency: benchConc}
		rep, err := s.SyncSeq(context.Background(), samples.Steps, benchSeq())
		require.NoError(b, err)
		require.Equal(b, benchSamples, rep.Sent)
	}

	runtime.GC()
	stop := make(chan struct{})
	res := peakHeap(stop)
	syncOnce()
	close(stop)
	peak := <-res

	bodies := encodeAll()
	var syncT, rawT time.Duration
	var syncGC, rawGC uint32
	arm := func(f func(), d *time.Duration, gcs *uint32) {
		runtime.GC()
		g := gcCycles()
		t0 := time.Now()
		f()
		*d += time.Since(t0)
		*gcs += gcCycles() - g
	}
	syncArm := func() { arm(syncOnce, &syncT, &syncGC) }
	rawArm := func() { arm(func() { postAll(b, srv.URL, hc, bodies) }, &rawT, &rawGC) }
	i := 0
	for b.Loop() {
		// Alternate which arm goes first, so neither always meets the
		// other's garbage or a load that changes in one direction.
		if i%2 == 0 {
			syncArm()
			rawArm()
		} else {
			rawArm()
			syncArm()
		}
		i++
	}
	runtime.KeepAlive(bodies)
	_, got := srv.Count()
	require.Equal(b, (2*b.N+1)*benchSamples, got)
	n := float64(b.N)
	b.ReportMetric(syncT.Seconds()/n, "syncer-s")
	b.ReportMetric(rawT.Seconds()/n, "pre-encoded-s")
	b.ReportMetric(syncT.Seconds()/rawT.Seconds(), "ratio")
	b.ReportMetric(float64(syncGC)/n, "gc-syncer")
	b.ReportMetric(float64(rawGC)/n, "gc-pre-encoded")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

// gcCycles is the number of garbage collections completed so far.
func gcCycles() uint32 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.NumGC
}

// encodeAll makes the bodies the Syncer sends: 1000 samples per device, in
// time order.
func encodeAll() [][]byte {
	var bodies [][]byte
	bufs := map[string][]samples.Sample{}
	for x := range benchSeq() {
		bufs[x.DeviceName] = append(bufs[x.DeviceName], x)
		if len(bufs[x.DeviceName]) == samples.MaxBatch {
			bodies = append(bodies, samples.AppendBatchJSON(nil, "", samples.Steps, bufs[x.DeviceName]))
			bufs[x.DeviceName] = bufs[x.DeviceName][:0]
		}
	}
	return bodies
}

// postAll posts bodies with plain net/http from benchConc goroutines.
func postAll(b *testing.B, url string, hc *http.Client, bodies [][]byte) {
	require.Len(b, bodies, benchSamples/samples.MaxBatch)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, benchConc)
	for range benchConc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(bodies) {
					return
				}
				req, _ := http.NewRequest(http.MethodPost, url+"/api/v1.1/samples", bytes.NewReader(bodies[i]))
				req.Header.Set("Authorization", "Bearer "+samplestest.ProxyToken)
				req.Header.Set("Content-Type", "application/json")
				resp, err := hc.Do(req)
				if err != nil {
					errs <- err
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					errs <- fmt.Errorf("status %d", resp.StatusCode)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
}
