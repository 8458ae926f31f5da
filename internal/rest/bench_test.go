package rest

import (
	"github.com/wearkit/wearkit"

	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// benchPayload is a typical small vendor answer: one page of ten records.
type benchRecord struct {
	ID        int64   `json:"id"`
	Start     int64   `json:"start"`
	End       int64   `json:"end"`
	User      string  `json:"user"`
	Status    string  `json:"status"`
	HeartRate float64 `json:"heart_rate"`
}

type benchPage struct {
	Meta struct {
		Next  string `json:"next"`
		Total int    `json:"total_count"`
	} `json:"meta"`
	Objects []benchRecord `json:"objects"`
}

type benchQuery struct {
	Limit    int    `url:"limit"`
	StartGTE int64  `url:"start__gte"`
	OrderBy  string `url:"order_by"`
}

func benchServer(b *testing.B) *httptest.Server {
	var page benchPage
	page.Meta.Next = "/api/record/?limit=10&offset=10"
	page.Meta.Total = 2500
	for i := range 10 {
		page.Objects = append(page.Objects, benchRecord{ID: int64(i), Start: 361446243405, End: 361446243405 + 256*3600, User: "/api/user/42/", Status: "complete", HeartRate: 61.5})
	}
	body, err := json.Marshal(page)
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		_, _ = w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkRequestPath is the engine's whole path: query struct encoding,
// auth hook, limiter-free transport wrapper, retryablehttp, status check,
// JSON decode. Compare with BenchmarkRequestPathBaseline in the same run.
func BenchmarkRequestPath(b *testing.B) {
	engine := engineCall(b, benchServer(b))
	b.ReportAllocs()
	for b.Loop() {
		engine()
	}
}

func engineCall(b *testing.B, srv *httptest.Server) func() {
	c, err := New(Config{BaseURL: srv.URL + "/api/", Auth: HeaderAuth("X-API-Key", "bench-key")})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	q := &benchQuery{Limit: 10, StartGTE: 361446243405, OrderBy: "-start"}
	return func() {
		var page benchPage
		if _, err := c.Do(ctx, &wearkit.Request{Path: "record/", Query: q}, &page); err != nil {
			b.Fatal(err)
		}
		if len(page.Objects) != 10 {
			b.Fatal("short page")
		}
	}
}

// BenchmarkRequestPathBaseline is the same call written by hand with
// net/http and encoding/json.
func BenchmarkRequestPathBaseline(b *testing.B) {
	baseline := baselineCall(b, benchServer(b))
	b.ReportAllocs()
	for b.Loop() {
		baseline()
	}
}

// BenchmarkRequestPathPaired alternates the engine and the hand-written call
// on one server and reports both times and their ratio, so that the noise of
// a shared machine hits both alike.
func BenchmarkRequestPathPaired(b *testing.B) {
	srv := benchServer(b)
	engine, baseline := engineCall(b, srv), baselineCall(b, srv)
	var te, tb time.Duration
	for b.Loop() {
		t0 := time.Now()
		engine()
		t1 := time.Now()
		baseline()
		te += t1.Sub(t0)
		tb += time.Since(t1)
	}
	n := float64(b.N)
	b.ReportMetric(float64(te.Nanoseconds())/n, "engine-ns/op")
	b.ReportMetric(float64(tb.Nanoseconds())/n, "nethttp-ns/op")
	b.ReportMetric(float64(te)/float64(tb), "ratio")
}

func baselineCall(b *testing.B, srv *httptest.Server) func() {
	hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	ctx := context.Background()
	return func() {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/api/record/?limit=10&order_by=-start&start__gte=361446243405", nil)
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("User-Agent", DefaultUserAgent)
		req.Header.Set("Accept", "application/json")
		req.Header.Set("X-API-Key", "bench-key")
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			b.Fatal(resp.Status)
		}
		var page benchPage
		err = json.NewDecoder(resp.Body).Decode(&page)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil {
			b.Fatal(err)
		}
		if len(page.Objects) != 10 {
			b.Fatal("short page")
		}
	}
}
