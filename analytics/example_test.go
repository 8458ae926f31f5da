package analytics_test

import (
	"fmt"
	"time"

	"github.com/wearkit/wearkit/analytics"
)

func nightly(values ...float64) []analytics.Point {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ps := make([]analytics.Point, len(values))
	for i, v := range values {
		ps[i] = analytics.Point{Date: start.AddDate(0, 0, i), Value: v}
	}
	return ps
}

func ExampleComputeBaseline() {
	hrv := nightly(42, 45, 47, 44, 50, 43, 46, 48, 41, 44, 45, 49)
	b := analytics.ComputeBaseline(hrv)
	fmt.Println(b.Status, b.SampleCount)
	fmt.Printf("mean %.2f median %.1f q1 %.2f q3 %.2f sd %.3f\n", b.Value, b.Median, b.Q1, b.Q3, b.StdDev)
	fmt.Printf("bounds %.3f..%.3f, last 7 nights %.3f\n", b.LowerBound, b.UpperBound, *b.Baseline7d)
	// Output:
	// partial 12
	// mean 45.33 median 45.0 q1 43.25 q3 47.75 sd 2.774
	// bounds 36.500..54.500, last 7 nights 45.143
}

func ExampleCheck() {
	b := analytics.ComputeBaseline(nightly(42, 45, 47, 44, 50, 43, 46, 48, 41, 44, 45, 49))
	for _, v := range []float64{46, 33, 20} {
		a := analytics.Check(v, b)
		fmt.Printf("%v: anomaly=%v severity=%v direction=%s deviation=%+.1f%%\n", v, a.IsAnomaly, a.Severity, a.Direction, *a.DeviationPercent)
	}
	// Output:
	// 46: anomaly=false severity=none direction=above deviation=+1.5%
	// 33: anomaly=true severity=warning direction=below deviation=-27.2%
	// 20: anomaly=true severity=critical direction=below deviation=-55.9%
}

func ExampleSpearman() {
	sleep := []float64{70, 82, 75, 90, 65, 88, 79}
	hrv := []float64{38, 47, 41, 52, 35, 47, 44}
	rho, p, err := analytics.Spearman(sleep, hrv)
	fmt.Printf("rho %.4f p %.6f err %v\n", rho, p, err)
	// Output:
	// rho 0.9910 p 0.000015 err <nil>
}

func ExampleComputeHRV() {
	rr := analytics.MillisFromSeconds([]float64{0.812, 0.798, 0.845, 0.2, 0.830, 0.801, 0.779, 0.860})
	h, _ := analytics.ComputeHRV(rr, analytics.HRVOptions{Filter: true})
	fmt.Printf("n %d dropped %d meanNN %.1f SDNN %.1f RMSSD %.1f pNN50 %.0f%%\n", h.N, h.Dropped, h.MeanNN, h.SDNN, h.RMSSD, h.PNN50)
	// Output:
	// n 7 dropped 1 meanNN 817.9 SDNN 28.5 RMSSD 45.4 pNN50 20%
}

func ExampleNextUnlock() {
	for _, days := range []int{5, 21, 45, 60} {
		u, ok := analytics.NextUnlock(days)
		fmt.Println(days, analytics.InsightStatusFor(days), u.NextUnlock, u.DaysUntilNext, ok)
	}
	// Output:
	// 5 unavailable baselines_7d 2 true
	// 21 ready baselines_30d 9 true
	// 45 ready ml_predictions 15 true
	// 60 ready none 0 false
}

func ExampleOvertrainingRisk() {
	hrvTrend, rhrTrend, ratio := -12.0, 3.0, 1.4
	r := analytics.OvertrainingRisk(analytics.RiskInput{HRVTrend: &hrvTrend, RestingHRTrend: &rhrTrend, LoadRatio: &ratio})
	fmt.Println(r.Score, r.Level, r.Confidence)
	for _, f := range r.Factors {
		fmt.Println("-", f)
	}
	// Output:
	// 55 high 0.75
	// - HRV declining significantly (-12.0%)
	// - Resting heart rate slightly elevated (+3.0%)
	// - Training load ratio elevated (1.40)
}

func ExampleReadinessFor() {
	r, err := analytics.ReadinessFor(analytics.DataDays{Sleep: 45, Recharge: 45, Activity: 45, CardioLoad: 30})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range r.Features {
		fmt.Printf("%-22s unlocked=%-5v %5.1f%%\n", f.Feature, f.Unlocked, f.ProgressPercent)
	}
	fmt.Println(r.Recommendations[0])
	// Output:
	// basic_stats            unlocked=true  100.0%
	// trend_analysis         unlocked=true  100.0%
	// personalized_baselines unlocked=true  100.0%
	// predictive_models      unlocked=true  100.0%
	// advanced_ml            unlocked=false  50.0%
	// long_term_patterns     unlocked=false  33.3%
	// Great progress! Advanced ML features unlock after 60 days of data.
}
