package polartest_test

import (
	"context"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit/analytics"
	"github.com/wearkit/wearkit/polar"
	"github.com/wearkit/wearkit/polar/polartest"
	"github.com/wearkit/wearkit/wearkittest"
)

func client(t *testing.T, srv *polartest.Server) *polar.Client {
	t.Helper()
	c, err := polar.New(polar.WithBaseURL(srv.URL), polar.WithAPIKey(polartest.APIKey), polar.WithPolarToken(polartest.PolarToken))
	require.NoError(t, err)
	return c
}

// The fake's baselines are analytics.ComputeBaselineWith on the very points
// the client can read back: the recharge list's hrv_avg and heart_rate_avg,
// the sleep list's scores, the cardio-load list's loads and ratios.
func TestBaselinesEqualAnalyticsOnTheSamePoints(t *testing.T) {
	srv := polartest.New(t)
	c := client(t, srv)
	ctx := context.Background()
	for _, uid := range []string{polartest.UserID, polartest.SecondUserID, polartest.NewUserID} {
		rech, err := c.Recharge(ctx, uid, 90)
		require.NoError(t, err)
		sl, err := c.Sleep(ctx, uid, 90)
		require.NoError(t, err)
		cl, err := c.CardioLoad(ctx, uid, 90)
		require.NoError(t, err)
		pts := map[string][]analytics.Point{}
		add := func(metric string, d time.Time, v *float64) {
			x := math.NaN()
			if v != nil {
				x = *v
			}
			pts[metric] = append(pts[metric], analytics.Point{Date: d, Value: x})
		}
		for _, r := range rech {
			add(polar.MetricHRV, r.Date, r.HRVAvg)
			add(polar.MetricRestingHR, r.Date, r.HeartRateAvg)
		}
		for _, s := range sl {
			add(polar.MetricSleepScore, s.Date, s.SleepScore)
		}
		for _, l := range cl {
			add(polar.MetricTrainingLoad, l.Date, l.CardioLoad)
			add(polar.MetricTrainingLoadRatio, l.Date, l.CardioLoadRatio)
		}
		got, err := c.Baselines(ctx, uid)
		require.NoError(t, err)
		require.NotEmpty(t, got)
		for _, b := range got {
			want, err := analytics.ComputeBaselineWith(pts[b.MetricName], analytics.ServerOptions(b.MetricName, polartest.Today))
			require.NoError(t, err)
			msg := uid + " " + b.MetricName
			assert.Equal(t, want.SampleCount, b.SampleCount, msg)
			assert.Equal(t, string(want.Status), b.Status, msg)
			require.NotNil(t, b.BaselineValue, msg)
			assert.Equal(t, want.Value, *b.BaselineValue, msg) // bit for bit
			assert.Equal(t, want.Min, *b.Min, msg)
			if want.Status != analytics.StatusInsufficient {
				assert.Equal(t, want.Q1, *b.Q1, msg)
				assert.Equal(t, want.Q3, *b.Q3, msg)
				assert.Equal(t, want.StdDev, *b.StdDev, msg)
				assert.Equal(t, want.LowerBound, *b.LowerBound, msg)
				assert.Equal(t, *want.Baseline7d, *b.Baseline7d, msg)
			} else {
				assert.Nil(t, b.Q1, msg)
			}
		}
		// The same points through the package's accessor.
		for metric, p := range pts {
			all := polartest.Points(uid, metric)
			assert.Len(t, all, len(p), "%s %s: 91 days, days=90 returns them all", uid, metric)
		}
	}
}

func TestRateLimitHeadersAnd429WithRetryAfterInBody(t *testing.T) {
	clock := wearkittest.NewClock(time.Date(2026, 1, 13, 10, 0, 30, 0, time.UTC))
	srv := polartest.New(t, polartest.WithRateLimit(2, time.Minute), polartest.WithClock(clock))
	get := func(key string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/users/12345/sleep", nil)
		req.Header.Set("X-API-Key", key)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	r1 := get(polartest.APIKey)
	assert.Equal(t, "2", r1.Header.Get("X-RateLimit-Limit"))
	assert.Equal(t, "1", r1.Header.Get("X-RateLimit-Remaining"))
	assert.Equal(t, "1768298460", r1.Header.Get("X-RateLimit-Reset"), "10:01:00 in Unix seconds")
	get(polartest.APIKey)
	r3 := get(polartest.APIKey)
	require.Equal(t, http.StatusTooManyRequests, r3.StatusCode)
	assert.Empty(t, r3.Header.Get("Retry-After"), "the server puts it in the body only")
	m := map[string]any{}
	require.NoError(t, decode(r3, &m))
	assert.Equal(t, "Rate limit exceeded. Retry after 30 seconds.", m["detail"])
	assert.Equal(t, map[string]any{"Retry-After": "30"}, m["extra"])
	// The master key has no limit and no headers; another window resets.
	rm := get(polartest.MasterKey)
	assert.Equal(t, http.StatusOK, rm.StatusCode)
	assert.Empty(t, rm.Header.Get("X-RateLimit-Limit"))
	clock.Advance(30 * time.Second)
	assert.Equal(t, http.StatusOK, get(polartest.APIKey).StatusCode)
}

// The data set is wearkittest.Person.Day of each seeded user: a sample of
// days recomputed here must match the generated table exactly.
func TestDatasetMatchesPerson(t *testing.T) {
	for _, uid := range []string{polartest.UserID, polartest.SecondUserID} {
		p, err := wearkittest.NewPerson(wearkittest.PersonConfig{Seed: polartest.Seed(uid)})
		require.NoError(t, err)
		for _, back := range []int{89, 30} { // SecondUserID's last night is altered on purpose
			d := polartest.Today.AddDate(0, 0, -back)
			want := p.Day(d)
			got := polartest.Points(uid, analytics.MetricSleepScore)
			idx := len(got) - 1 - back
			require.True(t, got[idx].Date.Equal(d))
			assert.Equal(t, float64(want.SleepScore), got[idx].Value, "%s %s sleep score", uid, d)
			hrv := polartest.Points(uid, analytics.MetricTrainingLoad)
			assert.Equal(t, want.TrainingLoad, hrv[idx].Value, "%s %s training load", uid, d)
		}
	}
}
