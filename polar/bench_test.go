package polar_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/wearkit/wearkit/polar"
	"github.com/wearkit/wearkit/polar/polartest"
)

// plainRecharge is what a hand-written client would decode into: the
// code's form only, no tolerance, no unknown keys kept.
type plainRecharge struct {
	Date                  string   `json:"date"`
	HRVAvg                *float64 `json:"hrv_avg"`
	ANSCharge             *float64 `json:"ans_charge"`
	ANSChargeStatus       *int     `json:"ans_charge_status"`
	NightlyRechargeStatus *int     `json:"nightly_recharge_status"`
	BreathingRateAvg      *float64 `json:"breathing_rate_avg"`
	HeartRateAvg          *float64 `json:"heart_rate_avg"`
	BeatToBeatAvg         *float64 `json:"beat_to_beat_avg"`
}

func rechargeBody(b *testing.B, srv *polartest.Server) []byte {
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/users/12345/recharge?days=90", nil)
	req.Header.Set("X-API-Key", polartest.MasterKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// Decoding 91 recharge rows: the tolerant decoder against encoding/json
// into a plain struct, on the same bytes.
func BenchmarkDecodeRecharge(b *testing.B) {
	srv := polartest.New(b)
	body := rechargeBody(b, srv)
	b.Run("polar", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			var out []polar.Recharge
			if err := json.Unmarshal(body, &out); err != nil || len(out) != 91 {
				b.Fatal(err, len(out))
			}
		}
	})
	b.Run("plain", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			var out []plainRecharge
			if err := json.Unmarshal(body, &out); err != nil || len(out) != 91 {
				b.Fatal(err, len(out))
			}
		}
	})
}

// A whole call over loopback: Client.Recharge against a hand-written
// net/http GET with encoding/json, on the same fake (master key: no rate
// limit).
func BenchmarkRechargeCall(b *testing.B) {
	srv := polartest.New(b)
	ctx := context.Background()
	c, err := polar.New(polar.WithBaseURL(srv.URL), polar.WithAPIKey(polartest.MasterKey))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("polar", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if out, err := c.Recharge(ctx, polartest.UserID, 90); err != nil || len(out) != 91 {
				b.Fatal(err, len(out))
			}
		}
	})
	b.Run("plain", func(b *testing.B) {
		b.ReportAllocs()
		hc := &http.Client{}
		for b.Loop() {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/api/v1/users/12345/recharge?days=90", nil)
			req.Header.Set("X-API-Key", polartest.MasterKey)
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			var out []plainRecharge
			err = json.NewDecoder(resp.Body).Decode(&out)
			resp.Body.Close()
			if err != nil || len(out) != 91 {
				b.Fatal(err, len(out))
			}
		}
	})
}
