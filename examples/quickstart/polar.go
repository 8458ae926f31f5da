package main

import (
	"context"
	"fmt"
	"io"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/polar"
	"github.com/wearkit/wearkit/polar/polartest"
)

// polarSection runs the Polar flow server client against its fake: a
// user's last nights and recharge, a baseline check, the anomalies and the
// first observations of the insights, and the rate-limit figures the
// server sent.
func polarSection(ctx context.Context, out io.Writer) error {
	srv := polartest.NewServer()
	defer srv.Close()
	fmt.Fprintf(out, "fake Polar flow server at %s\n", srv.URL)
	c, err := polar.New(polar.WithBaseURL(srv.URL), polar.WithAPIKey(polartest.APIKey))
	if err != nil {
		return err
	}
	var resp wearkit.Response
	ctx = wearkit.CaptureResponse(ctx, &resp)
	user := polartest.SecondUserID
	nights, err := c.Sleep(ctx, user, 2)
	if err != nil {
		return err
	}
	for _, n := range nights {
		fmt.Fprintln(out, nightLine(n))
	}
	rech, err := c.Recharge(ctx, user, 1)
	if err != nil {
		return err
	}
	if len(rech) > 0 && rech[0].HRVAvg != nil {
		fmt.Fprintf(out, "  last night's HRV %.1f ms, ANS charge status %s\n", *rech[0].HRVAvg, rech[0].ANSChargeStatus)
		chk, err := c.CheckBaseline(ctx, user, polar.MetricHRV, *rech[0].HRVAvg)
		if err != nil {
			return err
		}
		if chk.Checked() {
			fmt.Fprintf(out, "  against the %s baseline %.1f ms (normal %.1f..%.1f): anomaly %v %s\n", chk.Status, *chk.Baseline, *chk.LowerBound, *chk.UpperBound, chk.IsAnomaly, chk.Severity)
		}
	}
	scan, err := c.Anomalies(ctx, user)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "  %d anomalies\n", scan.AnomalyCount)
	in, err := c.Insights(ctx, user)
	if err != nil {
		return err
	}
	for i, o := range in.Observations {
		if i == 2 {
			break
		}
		fmt.Fprintf(out, "  [%s] %s\n", o.Priority, o.Fact)
	}
	fmt.Fprintf(out, "  rate limit: %d of %d requests left this hour\n", resp.RateLimit.Remaining, resp.RateLimit.Limit)
	return nil
}

// nightLine prints one night. Every number of a night may be null (the
// server sends null hours for a night without them), so each is checked.
func nightLine(n polar.Sleep) string {
	line := "  night to " + n.Date.Format("2006-01-02") + ":"
	if n.SleepScore != nil {
		line += fmt.Sprintf(" score %.0f", *n.SleepScore)
	} else {
		line += " no score"
	}
	if n.TotalSleepHours != nil {
		line += fmt.Sprintf(", %.1f h asleep", *n.TotalSleepHours)
	}
	return line
}
