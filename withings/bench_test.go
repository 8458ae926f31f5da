package withings_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"golang.org/x/oauth2"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/withings"
	"github.com/wearkit/wearkit/withings/withingstest"
)

// benchPage is one measure getmeas page of 60 weigh-ins (7 measures each)
// from the loopback fake.
func benchSetup(b *testing.B) (*withingstest.Server, *withings.Client, *oauth2.Token) {
	srv := withingstest.New(b, withingstest.WithClock(fixedClock()), withingstest.WithRateLimit(0))
	tok := srv.Token()
	cfg := &withings.Config{ClientID: withingstest.ClientID, ClientSecret: withingstest.ClientSecret, Endpoint: srv.Endpoint()}
	c, err := withings.New(fast(withings.WithBaseURL(srv.URL), withings.WithTokenSource(cfg.TokenSource(context.Background(), wearkit.NewMemoryTokenStore(tok))))...)
	if err != nil {
		b.Fatal(err)
	}
	return srv, c, tok
}

// BenchmarkMeasuresPage fetches and decodes one page through the client:
// limiter, token source, retry engine, status check, typed decode.
func BenchmarkMeasuresPage(b *testing.B) {
	_, c, _ := benchSetup(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		p, err := c.MeasuresPage(ctx, nil, 0)
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Groups) != 61 {
			b.Fatalf("%d groups", len(p.Groups))
		}
	}
}

// BenchmarkMeasuresPageNetHTTP is the same call written by hand with
// net/http and encoding/json, the baseline.
func BenchmarkMeasuresPageNetHTTP(b *testing.B) {
	srv, _, tok := benchSetup(b)
	hc := &http.Client{}
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/measure?action=getmeas", nil)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var out struct {
			Status int `json:"status"`
			Body   struct {
				UpdateTime  int64 `json:"updatetime"`
				MeasureGrps []struct {
					GrpID    int64  `json:"grpid"`
					Date     int64  `json:"date"`
					Category int    `json:"category"`
					DeviceID string `json:"deviceid"`
					Measures []struct {
						Value int64 `json:"value"`
						Type  int   `json:"type"`
						Unit  int   `json:"unit"`
					} `json:"measures"`
				} `json:"measuregrps"`
			} `json:"body"`
		}
		err = json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		if err != nil || out.Status != 0 || len(out.Body.MeasureGrps) != 61 {
			b.Fatal(err, out.Status, strconv.Itoa(len(out.Body.MeasureGrps)))
		}
	}
}

// BenchmarkTokenValid is the token source's hot path (a valid token) that
// every attempt takes.
func BenchmarkTokenValid(b *testing.B) {
	tok := &oauth2.Token{AccessToken: "a", RefreshToken: "r", Expiry: fixedNow.AddDate(1, 0, 0)}
	ts := (&withings.Config{}).TokenSource(context.Background(), wearkit.NewMemoryTokenStore(tok))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ts.Token(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTokenValidReuse is x/oauth2's ReuseTokenSource on the same
// token, the baseline.
func BenchmarkTokenValidReuse(b *testing.B) {
	tok := &oauth2.Token{AccessToken: "a", RefreshToken: "r", Expiry: fixedNow.AddDate(1, 0, 0)}
	ts := oauth2.ReuseTokenSource(tok, oauth2.StaticTokenSource(tok))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ts.Token(); err != nil {
			b.Fatal(err)
		}
	}
}
