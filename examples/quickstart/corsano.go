package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/wearkit/wearkit/corsano"
	"github.com/wearkit/wearkit/corsano/corsanotest"
	"github.com/wearkit/wearkit/wearkittest"
)

// corsanoSection runs the Corsano client against its fake: a group's
// patients, the vendor page's summary example, a morning's activity from
// the health API, and an export of PPG and activity within the
// five-minute rule.
func corsanoSection(ctx context.Context, out io.Writer) error {
	// The fake's clock stands at 10:00 on the day of the vendor's example,
	// so every run prints the same.
	now := time.Date(2025, 10, 8, 10, 0, 0, 0, corsanotest.Zone)
	clock := wearkittest.NewClock(now)
	srv := corsanotest.NewServer(corsanotest.WithClock(clock))
	defer srv.Close()
	fmt.Fprintf(out, "fake Corsano at %s (health API %s)\n", srv.BaseURL(), srv.HealthURL())
	c, err := corsano.New(
		corsano.WithResearcherToken(corsanotest.ResearcherToken),
		corsano.WithBaseURL(srv.BaseURL()),
		corsano.WithHealthBaseURL(srv.HealthURL()),
		corsano.WithClock(clock.Now),
		corsano.WithPollInterval(20*time.Millisecond),
		corsano.WithUserAgent("wearkit-quickstart"),
	)
	if err != nil {
		return err
	}

	// 1. The group's patients with their latest vitals.
	patients, err := c.Patients(ctx, corsanotest.GroupCode, &corsano.PatientOptions{WithLatestValues: true})
	if err != nil {
		return err
	}
	for _, p := range patients {
		line := fmt.Sprintf("  %s %s, %s", p.FirstName, p.LastName, p.State)
		if lv := p.LatestValues; lv != nil && lv.HeartRate != nil && lv.HeartRate.Value != nil {
			line += fmt.Sprintf(", heart rate %.0f bpm at %s", *lv.HeartRate.Value, lv.HeartRate.Timestamp.In(corsanotest.Zone).Format("15:04"))
		}
		fmt.Fprintln(out, line)
	}

	// 2. Today's summary (the vendor page's example).
	sums, err := c.Summaries(ctx, corsanotest.GroupCode, corsano.DateOf(now), nil)
	if err != nil {
		return err
	}
	s := sums[corsanotest.ExamplePatient]
	fmt.Fprintf(out, "summary %s: heart rate %.0f bpm, SpO2 %.0f %%, respiration %.0f/min, sleep %v (%.0f %% performance), recovery %.1f\n",
		s.Date, s.HeartRate.AvgDailyHeartRate, s.SpO2.AvgSpO2, s.RespirationRate.AvgRespirationRate,
		time.Duration(s.Sleep.SleepDuration)*time.Second, s.Sleep.Performance, *s.Recovery.Value)

	// 3. The morning's activity, the last three hours, from the health API
	// (the health token is fetched and cached by the client).
	items, err := c.RawMetrics(ctx, corsanotest.ExamplePatient, corsano.Activity, now.Add(-3*time.Hour), now)
	if err != nil {
		return err
	}
	steps := 0
	for _, it := range items {
		var v struct {
			Steps int `json:"steps"`
		}
		if err := json.Unmarshal(it, &v); err != nil {
			return err
		}
		steps += v.Steps
	}
	fmt.Fprintf(out, "activity %s..%s: %d minutes, %d steps\n", now.Add(-3*time.Hour).Format("15:04"), now.Format("15:04"), len(items), steps)

	// 4. An export of the same hour: created, polled, downloaded.
	req := corsano.ExportRequest{From: now.Add(-time.Hour), To: now, Types: []string{"ppg1", "activity"}}
	var zipped bytes.Buffer
	if err := c.DownloadExport(ctx, corsanotest.ExamplePatient, req, &zipped); err != nil {
		return err
	}
	zr, err := zip.NewReader(bytes.NewReader(zipped.Bytes()), int64(zipped.Len()))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "export: %d files in the ZIP:", len(zr.File))
	for _, f := range zr.File {
		fmt.Fprintf(out, " %s", f.Name)
	}
	fmt.Fprintln(out)

	// 5. A second export right away is refused by the client, not sent.
	_, err = c.CreateExport(ctx, corsanotest.ExamplePatient, req)
	var ce *corsano.CooldownError
	if !errors.As(err, &ce) {
		return fmt.Errorf("a second export within five minutes was not refused: %v", err)
	}
	fmt.Fprintf(out, "second export refused: next allowed at %s (%d create-export sent)\n", ce.Next.In(corsanotest.Zone).Format("15:04"), srv.Creates(corsanotest.ExamplePatient))
	return nil
}
