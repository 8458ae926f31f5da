package corsano_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/corsano"
	"github.com/wearkit/wearkit/corsano/corsanotest"
)

// benchSummaryJSON is a full day's summary with every slot (288 five-minute
// slots in five sections, 48 blood-pressure slots), about 150 KB, from the
// fake's generator.
func benchSummaryJSON(b *testing.B) []byte {
	srv := corsanotest.NewServer()
	defer srv.Close()
	c, err := corsano.New(corsano.WithResearcherToken(corsanotest.ResearcherToken), corsano.WithBaseURL(srv.BaseURL()))
	if err != nil {
		b.Fatal(err)
	}
	var raw map[string]json.RawMessage
	q := url.Values{"date": {"2025-10-06"}, "include_slots": {"1"}}
	if err := c.Do(context.Background(), &wearkit.Request{Path: "groups/" + corsanotest.GroupCode + "/summaries", Query: q}, &raw); err != nil {
		b.Fatal(err)
	}
	return raw[corsanotest.SecondPatient]
}

// BenchmarkSummaryDecodePaired decodes one summary with the SDK's model
// (typed, time types, unknown fields kept for re-encoding) and, alternately,
// with encoding/json into map[string]any (the untyped way that also loses
// nothing), and reports both and their ratio.
func BenchmarkSummaryDecodePaired(b *testing.B) {
	data := benchSummaryJSON(b)
	b.SetBytes(int64(len(data)))
	var ts, tm time.Duration
	for b.Loop() {
		t0 := time.Now()
		var s corsano.Summary
		if err := json.Unmarshal(data, &s); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			b.Fatal(err)
		}
		ts += t1.Sub(t0)
		tm += time.Since(t1)
		if len(s.HeartRate.Slots) != 288 || len(m) < 10 {
			b.Fatalf("decoded %d slots, %d keys", len(s.HeartRate.Slots), len(m))
		}
	}
	n := float64(b.N)
	b.ReportMetric(float64(ts.Nanoseconds())/n, "sdk-ns/op")
	b.ReportMetric(float64(tm.Nanoseconds())/n, "map-ns/op")
	b.ReportMetric(float64(ts)/float64(tm), "ratio")
}

// benchHealthServer answers the health-token call and a raw-metrics window
// with fixed bytes (30 minutes of ppg1 at 25 Hz, about 300 KB), so the
// benchmark measures the request path, not the fake's generator.
func benchHealthServer(b *testing.B) (*httptest.Server, []byte) {
	claims := fmt.Sprintf(`{"sub":"bench","exp":%d}`, time.Now().Add(24*time.Hour).Unix())
	tok := "eyJhbGciOiJIUzI1NiJ9." + base64.RawURLEncoding.EncodeToString([]byte(claims)) + ".sig"
	var items []map[string]any
	for i := range 1800 {
		v := make([]int, 25)
		for k := range v {
			v[k] = 2000 + (i*25+k)%180
		}
		items = append(items, map[string]any{"timestamp": 1759910400000 + int64(i)*1000, "values": v})
	}
	body, _ := json.Marshal(items)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/patients/bench/health-token", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"token":%q}`, tok)
	})
	mux.HandleFunc("GET /v2/raw-metrics/ppg1", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+tok {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})
	srv := httptest.NewServer(mux)
	b.Cleanup(srv.Close)
	return srv, []byte(tok)
}

// BenchmarkRawMetricsPaired fetches one 30-minute ppg1 window through the
// client (cached health token, bearer auth hook, engine, decode into
// []json.RawMessage) and, alternately, by hand with net/http and
// encoding/json, and reports both and their ratio.
func BenchmarkRawMetricsPaired(b *testing.B) {
	srv, tok := benchHealthServer(b)
	c, err := corsano.New(corsano.WithResearcherToken("bench-token"), corsano.WithBaseURL(srv.URL+"/v1"), corsano.WithHealthBaseURL(srv.URL))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	to := time.Date(2025, 10, 8, 10, 0, 0, 0, time.UTC)
	from := to.Add(-30 * time.Minute)
	hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	u := srv.URL + "/v2/raw-metrics/ppg1?" + url.Values{"from_date": {from.Format(corsano.ZonedTimeLayout)}, "to_date": {to.Format(corsano.ZonedTimeLayout)}}.Encode()
	byHand := func() int {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+string(tok))
		req.Header.Set("Accept", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var items []json.RawMessage
		err = json.NewDecoder(resp.Body).Decode(&items)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatal(err, resp.Status)
		}
		return len(items)
	}
	var tc, th time.Duration
	for b.Loop() {
		t0 := time.Now()
		items, err := c.RawMetrics(ctx, "bench", corsano.PPG1, from, to)
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		n := byHand()
		tc += t1.Sub(t0)
		th += time.Since(t1)
		if len(items) != 1800 || n != 1800 {
			b.Fatalf("%d and %d items", len(items), n)
		}
	}
	n := float64(b.N)
	b.ReportMetric(float64(tc.Nanoseconds())/n, "sdk-ns/op")
	b.ReportMetric(float64(th.Nanoseconds())/n, "nethttp-ns/op")
	b.ReportMetric(float64(tc)/float64(th), "ratio")
}
