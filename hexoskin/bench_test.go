package hexoskin_test

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/wearkit/wearkit/hexoskin"
	"github.com/wearkit/wearkit/hexoskin/hexoskintest"
)

// benchDataJSON is a full-size /api/data/ answer: 4 datatypes of 65535
// points each (ECG integers, heart rate integers, tidal volume and activity
// decimals), as the API formats it.
func benchDataJSON() []byte {
	b := []byte(`[{"data": {`)
	const start = 361446243405
	for k, id := range []int{4113, 19, 37, 49} {
		if k > 0 {
			b = append(b, ", "...)
		}
		b = append(b, '"')
		b = strconv.AppendInt(b, int64(id), 10)
		b = append(b, `": [`...)
		for i := 0; i < hexoskin.MaxDataPoints; i++ {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = append(b, '[')
			b = strconv.AppendInt(b, start+int64(i), 10)
			b = append(b, ", "...)
			switch id {
			case 4113:
				b = strconv.AppendInt(b, int64(1500+400*math.Sin(float64(i)/20)), 10)
			case 19:
				b = strconv.AppendInt(b, int64(60+i%40), 10)
			case 37:
				b = strconv.AppendFloat(b, 571.04+float64(i%100)/100, 'f', 2, 64)
			default:
				b = strconv.AppendFloat(b, math.Round(1e6*math.Abs(math.Sin(float64(i))))/1e6, 'f', -1, 64)
			}
			b = append(b, ']')
		}
		b = append(b, ']')
	}
	return append(b, `}, "user": "/api/user/1511/"}]`...)
}

func BenchmarkDataDecode(b *testing.B) {
	data := benchDataJSON()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var sets []hexoskin.DataSet
	for b.Loop() {
		var err error
		sets, err = hexoskin.DecodeData(data, sets[:0])
		if err != nil {
			b.Fatal(err)
		}
	}
	if n := len(sets[0].Series[4113]); n != hexoskin.MaxDataPoints {
		b.Fatalf("decoded %d points", n)
	}
}

// BenchmarkDataDecodeEncodingJSON decodes the same answer with
// encoding/json into [][]float64 per datatype, the plain way.
func BenchmarkDataDecodeEncodingJSON(b *testing.B) {
	data := benchDataJSON()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var out []struct {
		Data map[string][][]float64 `json:"data"`
		User string                 `json:"user"`
	}
	for b.Loop() {
		out = out[:0]
		if err := json.Unmarshal(data, &out); err != nil {
			b.Fatal(err)
		}
	}
	if n := len(out[0].Data["4113"]); n != hexoskin.MaxDataPoints {
		b.Fatalf("decoded %d points", n)
	}
}

// The scanner and encoding/json agree on the benchmark's answer.
func TestDecodeDataAgreesWithEncodingJSON(t *testing.T) {
	data := benchDataJSON()
	sets, err := hexoskin.DecodeData(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	var ref []struct {
		Data map[string][][]float64 `json:"data"`
		User string                 `json:"user"`
	}
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	for key, pts := range ref[0].Data {
		id, _ := strconv.ParseInt(key, 10, 64)
		got := sets[0].Series[hexoskin.DatatypeID(id)]
		if len(got) != len(pts) {
			t.Fatalf("%s: %d points, want %d", key, len(got), len(pts))
		}
		for i, p := range pts {
			if float64(got[i].T) != p[0] || got[i].V != p[1] {
				t.Fatalf("%s[%d]: got (%d, %v), want (%v, %v)", key, i, got[i].T, got[i].V, p[0], p[1])
			}
		}
	}
}

// BenchmarkRecordsPageSDK fetches one signed page of 1000 records through
// the client (engine, auth hook, limiter off, retry, decode).
func BenchmarkRecordsPageSDK(b *testing.B) {
	srv := hexoskintest.New(b, hexoskintest.WithRecords(1000))
	c, err := hexoskin.New(hexoskin.WithBaseURL(srv.URL), hexoskin.WithAPIKey(hexoskintest.PublicKey, hexoskintest.PrivateKey),
		hexoskin.WithRateLimit(rate.Inf, 1))
	if err != nil {
		b.Fatal(err)
	}
	opts := &hexoskin.RecordListOptions{ListOptions: hexoskin.ListOptions{Limit: 1000}}
	ctx := context.Background()
	for b.Loop() {
		p, err := c.RecordsPage(ctx, opts)
		if err != nil || len(p.Objects) != 1000 {
			b.Fatal(err)
		}
	}
}

// BenchmarkRecordsPageNetHTTP does the same by hand: net/http, the
// signature headers and encoding/json into the same types.
func BenchmarkRecordsPageNetHTTP(b *testing.B) {
	srv := hexoskintest.New(b, hexoskintest.WithRecords(1000))
	hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	u := srv.URL + "/api/record/?limit=1000"
	for b.Loop() {
		req, _ := http.NewRequest("GET", u, nil)
		ts := time.Now().Unix()
		req.Header.Set("Accept", "application/json")
		req.Header.Set("X-HexoAPIVersion", hexoskin.DefaultAPIVersion)
		req.Header.Set("X-HEXOAPIKEY", hexoskintest.PublicKey)
		req.Header.Set("X-HEXOTIMESTAMP", strconv.FormatInt(ts, 10))
		req.Header.Set("X-HEXOAPISIGNATURE", hexoskin.Sign(hexoskintest.PrivateKey, ts, u))
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var p hexoskin.Page[hexoskin.Record]
		err = json.NewDecoder(resp.Body).Decode(&p)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 || len(p.Objects) != 1000 {
			b.Fatal(resp.StatusCode, err)
		}
	}
}
