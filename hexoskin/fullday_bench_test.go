package hexoskin_test

import (
	"context"
	"io"
	"net/http"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/wearkit/wearkit/hexoskin"
	"github.com/wearkit/wearkit/hexoskin/hexoskintest"
)

// byteCountingTransport counts the response bytes a client reads.
type byteCountingTransport struct {
	next http.RoundTripper
	n    atomic.Int64
}

func (t *byteCountingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	if err == nil {
		resp.Body = &byteCountingBody{resp.Body, &t.n}
	}
	return resp, err
}

type byteCountingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b *byteCountingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

// fullDay returns a fake, a client of it without rate limit that counts the
// bytes it receives, and a query for 24 h of ECG.
func fullDay(b *testing.B) (*hexoskintest.Server, *hexoskin.Client, *byteCountingTransport, *hexoskin.DataQuery) {
	srv := hexoskintest.New(b)
	ct := &byteCountingTransport{next: http.DefaultTransport.(*http.Transport).Clone()}
	c, err := hexoskin.New(hexoskin.WithBaseURL(srv.URL), hexoskin.WithAPIKey(hexoskintest.PublicKey, hexoskintest.PrivateKey),
		hexoskin.WithRateLimit(rate.Inf, 1), hexoskin.WithHTTPClient(&http.Client{Transport: ct}))
	if err != nil {
		b.Fatal(err)
	}
	q := &hexoskin.DataQuery{Datatypes: []hexoskin.DatatypeID{hexoskin.ECG}, User: hexoskintest.UserID,
		Start: alignedStart, End: alignedStart.Add(24 * time.Hour)}
	return srv, c, ct, q
}

const fullDayECGPoints = 24*3600*256 + 1

// BenchmarkFullDayECG fetches 24 h of ECG at full resolution from the
// loopback fake: through Data's 338 JSON windows, and through
// FullResolution's one binary call. requests/op and MB/op (answer bytes
// read) beside the time.
func BenchmarkFullDayECG(b *testing.B) {
	ctx := context.Background()
	report := func(b *testing.B, srv *hexoskintest.Server, ct *byteCountingTransport, calls0 int) {
		b.ReportMetric(float64(srv.DataCalls()-calls0)/float64(b.N), "requests/op")
		b.ReportMetric(float64(ct.n.Load())/1e6/float64(b.N), "MB/op")
	}
	b.Run("json-windows", func(b *testing.B) {
		srv, c, ct, q := fullDay(b)
		calls0 := srv.DataCalls()
		for b.Loop() {
			sets, err := c.Data(ctx, q)
			if err != nil || len(sets[0].Series[hexoskin.ECG]) != fullDayECGPoints {
				b.Fatal(err)
			}
		}
		report(b, srv, ct, calls0)
	})
	b.Run("binary", func(b *testing.B) {
		srv, c, ct, q := fullDay(b)
		calls0 := srv.DataCalls()
		for b.Loop() {
			set, err := c.FullResolution(ctx, q)
			if err != nil || len(set.Series[hexoskin.ECG]) != fullDayECGPoints {
				b.Fatal(err)
			}
		}
		report(b, srv, ct, calls0)
	})
}

// heapPeak samples the bytes of heap objects (live and not yet swept)
// until stopped, keeping the largest.
func heapPeak() (stop func() uint64) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 { close(done); wg.Wait(); return peak }
}

// resultBytes is the memory a DataSet's series hold (their capacity).
func resultBytes(sets []hexoskin.DataSet) uint64 {
	var n uint64
	for _, s := range sets {
		for _, pts := range s.Series {
			n += uint64(cap(pts)) * 16
		}
	}
	return n
}

// BenchmarkDataHeap measures what holding 24 h of ECG costs: the heap's
// peak growth during the call (peak-heap/result) and the bytes allocated
// (alloc/result), both over the result's own size, and B/point. Data
// decodes in place into series sized from the window plan; the baseline
// joins DataWindows' answers with append, as Data did before.
func BenchmarkDataHeap(b *testing.B) {
	ctx := context.Background()
	measure := func(b *testing.B, fetch func(*hexoskin.Client, *hexoskin.DataQuery) []hexoskin.DataSet) {
		_, c, _, q := fullDay(b)
		var peakRatio, allocRatio, perPoint float64
		for b.Loop() {
			runtime.GC()
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			stop := heapPeak()
			sets := fetch(c, q)
			peak := stop()
			runtime.ReadMemStats(&m1)
			res := resultBytes(sets)
			if n := len(sets[0].Series[hexoskin.ECG]); n != fullDayECGPoints {
				b.Fatalf("%d points", n)
			}
			peakRatio = float64(peak-min(peak, m0.HeapAlloc)) / float64(res)
			allocRatio = float64(m1.TotalAlloc-m0.TotalAlloc) / float64(res)
			perPoint = float64(m1.TotalAlloc-m0.TotalAlloc) / fullDayECGPoints
			runtime.KeepAlive(sets)
		}
		b.ReportMetric(peakRatio, "peak-heap/result")
		b.ReportMetric(allocRatio, "alloc/result")
		b.ReportMetric(perPoint, "B/point")
	}
	b.Run("Data", func(b *testing.B) {
		measure(b, func(c *hexoskin.Client, q *hexoskin.DataQuery) []hexoskin.DataSet {
			sets, err := c.Data(ctx, q)
			if err != nil {
				b.Fatal(err)
			}
			return sets
		})
	})
	b.Run("baseline-append-windows", func(b *testing.B) {
		measure(b, func(c *hexoskin.Client, q *hexoskin.DataQuery) []hexoskin.DataSet {
			set := hexoskin.DataSet{Series: map[hexoskin.DatatypeID]hexoskin.Series{}}
			for part, err := range c.DataWindows(ctx, q) {
				if err != nil {
					b.Fatal(err)
				}
				for id, pts := range part[0].Series {
					set.Series[id] = append(set.Series[id], pts...)
				}
			}
			return []hexoskin.DataSet{set}
		})
	})
}
