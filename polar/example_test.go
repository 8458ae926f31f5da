package polar_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/polar"
	"github.com/wearkit/wearkit/polar/polartest"
)

// fake starts a polartest server for an example and a client for it.
func fake(opts ...polartest.Option) (*polartest.Server, *polar.Client) {
	srv := polartest.NewServer(opts...)
	c, err := polar.New(polar.WithBaseURL(srv.URL), polar.WithAPIKey(polartest.APIKey), polar.WithPolarToken(polartest.PolarToken))
	if err != nil {
		log.Fatal(err)
	}
	return srv, c
}

func Example() {
	srv, c := fake()
	defer srv.Close()
	ctx := context.Background()
	nights, err := c.Sleep(ctx, polartest.UserID, 2)
	if err != nil {
		log.Fatal(err)
	}
	for _, n := range nights {
		fmt.Printf("%s score %.0f, %.2f h asleep, HRV %.1f ms\n", n.Date.Format(time.DateOnly), *n.SleepScore, *n.TotalSleepHours, *n.HRVAvg)
	}
	// Output:
	// 2026-01-13 score 83, 7.54 h asleep, HRV 45.2 ms
	// 2026-01-12 score 90, 8.17 h asleep, HRV 42.0 ms
	// 2026-01-11 score 92, 8.44 h asleep, HRV 38.9 ms
}

func ExampleClient_Insights() {
	srv, c := fake()
	defer srv.Close()
	in, err := c.Insights(context.Background(), polartest.SecondUserID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(in.Status, in.DataAgeDays, "days")
	for _, o := range in.Observations[:3] {
		fmt.Printf("[%s] %s (%s)\n", o.Priority, o.Fact, o.Context)
	}
	for _, s := range in.Suggestions {
		fmt.Println("suggestion:", s.Description)
	}
	// Output:
	// ready 91 days
	// [critical] HRV RMSSD is significantly below normal range (Current: 25.5, Baseline: 46.9 (-46%))
	// [critical] RESTING HR is significantly above normal range (Current: 62.8, Baseline: 56.0 (+12%))
	// [high] SLEEP SCORE is below normal range (Current: 55.0, Baseline: 84.7 (-35%))
	// suggestion: Consider reducing training intensity
	// suggestion: Prioritize sleep and recovery today
	// suggestion: Monitor your metrics closely today
}

func ExampleClient_CheckBaseline() {
	srv, c := fake()
	defer srv.Close()
	ctx := context.Background()
	for _, v := range []float64{41, 30, 20} {
		chk, err := c.CheckBaseline(ctx, polartest.UserID, polar.MetricHRV, v)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("HRV %.0f ms: anomaly %v %s (bounds %.1f..%.1f)\n", v, chk.IsAnomaly, chk.Severity, *chk.LowerBound, *chk.UpperBound)
	}
	// A metric without a baseline answers with a reason, not an error.
	chk, err := c.CheckBaseline(ctx, polartest.NewUserID, polar.MetricTrainingLoadRatio, 1.4)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(chk.Checked(), chk.Reason)
	// Output:
	// HRV 41 ms: anomaly false  (bounds 33.3..49.0)
	// HRV 30 ms: anomaly true warning (bounds 33.3..49.0)
	// HRV 20 ms: anomaly true critical (bounds 33.3..49.0)
	// false No baseline data available
}

func ExampleClient_TriggerSync() {
	srv, c := fake(polartest.WithSyncDuration(200 * time.Millisecond))
	defer srv.Close()
	ctx := context.Background()
	done := make(chan struct{})
	go func() {
		defer close(done)
		res, err := c.TriggerSync(ctx, polartest.UserID, 7)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(res.Status, res.Records["sleep"], "nights")
	}()
	time.Sleep(50 * time.Millisecond)
	_, err := c.TriggerSync(ctx, polartest.UserID, 7)
	fmt.Println("second sync in progress:", errors.Is(err, polar.ErrSyncInProgress))
	<-done
	// Output:
	// second sync in progress: true
	// success 8 nights
}

func ExampleClient_RechargeCSV() {
	srv, c := fake()
	defer srv.Close()
	rows, err := c.RechargeCSV(context.Background(), polartest.UserID, 4)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range rows {
		hrv := "missing"
		if r.HRVAvg != nil {
			hrv = fmt.Sprintf("%.1f ms", *r.HRVAvg)
		}
		status := r.Status.String()
		if !r.Status.HasLevel && r.Status.Name == "" {
			status = "empty (0 or null)"
		}
		fmt.Printf("%s HRV %s, status %s\n", r.Date.Format(time.DateOnly), hrv, status)
	}
	// Output:
	// 2026-01-09 HRV 43.3 ms, status empty (0 or null)
	// 2026-01-10 HRV 42.6 ms, status +1
	// 2026-01-11 HRV 38.9 ms, status empty (0 or null)
	// 2026-01-12 HRV 42.0 ms, status -1
	// 2026-01-13 HRV 45.2 ms, status -1
}

func ExampleClient_Do() {
	srv, c := fake()
	defer srv.Close()
	var resp wearkit.Response
	ctx := wearkit.CaptureResponse(context.Background(), &resp)
	var raw []map[string]any
	err := c.Do(ctx, &wearkit.Request{Path: "api/v1/users/12345/heart-rate", Query: map[string][]string{"days": {"1"}}}, &raw)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(raw), "days;", resp.RateLimit.Limit-resp.RateLimit.Remaining, "request used of", resp.RateLimit.Limit)
	// Output:
	// 2 days; 1 request used of 1000
}
