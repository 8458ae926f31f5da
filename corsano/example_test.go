package corsano_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/wearkit/wearkit/corsano"
	"github.com/wearkit/wearkit/corsano/corsanotest"
)

// The patients of a group and the vendor page's summary example.
func Example() {
	srv := corsanotest.NewServer()
	defer srv.Close()
	c, err := corsano.New(
		corsano.WithResearcherToken(corsanotest.ResearcherToken),
		corsano.WithBaseURL(srv.BaseURL()),
		corsano.WithHealthBaseURL(srv.HealthURL()),
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	patients, err := c.Patients(ctx, corsanotest.GroupCode, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range patients {
		fmt.Printf("%s %s (%s)\n", p.FirstName, p.LastName, p.State)
	}
	date, _ := corsano.ParseDate(corsanotest.ExampleDate)
	sums, err := c.Summaries(ctx, corsanotest.GroupCode, date, nil)
	if err != nil {
		log.Fatal(err)
	}
	s := sums[corsanotest.ExamplePatient]
	fmt.Printf("%s: heart rate %.0f bpm, SpO2 %.0f %%, slept %v from %s\n", s.Date, s.HeartRate.AvgDailyHeartRate, s.SpO2.AvgSpO2,
		time.Duration(s.Sleep.SleepDuration)*time.Second, s.Sleep.StartDate.Format("15:04 -07:00"))
	// Output:
	// Ada Jansen (confirmed)
	// Bram de Vries (confirmed)
	// Chloé Bakker (pre_created)
	// 2025-10-08: heart rate 78 bpm, SpO2 98 %, slept 7h39m0s from 22:16 +02:00
}

// An export of one patient's last hour of PPG and activity, saved as a ZIP;
// a second export of the same patient right after is refused by the client.
func ExampleClient_DownloadExport() {
	clock := time.Date(2025, 10, 8, 10, 0, 0, 0, corsanotest.Zone)
	srv := corsanotest.NewServer()
	defer srv.Close()
	c, err := corsano.New(
		corsano.WithResearcherToken(corsanotest.ResearcherToken),
		corsano.WithBaseURL(srv.BaseURL()),
		corsano.WithHealthBaseURL(srv.HealthURL()),
		corsano.WithPollInterval(10*time.Millisecond),
		corsano.WithClock(func() time.Time { return clock }),
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	req := corsano.ExportRequest{From: clock.Add(-time.Hour), To: clock, Types: []string{"ppg1", "activity"}}
	var zipped bytes.Buffer
	if err := c.DownloadExport(ctx, corsanotest.ExamplePatient, req, &zipped); err != nil {
		log.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(zipped.Bytes()), int64(zipped.Len()))
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range zr.File {
		fmt.Println(f.Name)
	}
	_, err = c.CreateExport(ctx, corsanotest.ExamplePatient, req)
	var ce *corsano.CooldownError
	if errors.As(err, &ce) {
		fmt.Println("next export allowed at", ce.Next.Format("15:04"))
	}
	// Output:
	// ppg1.json
	// activity.json
	// next export allowed at 10:05
}

// Two hours of ECG, asked for in 30-minute windows, one window at a time.
func ExampleClient_RawMetricsSeq() {
	srv := corsanotest.NewServer()
	defer srv.Close()
	c, err := corsano.New(
		corsano.WithResearcherToken(corsanotest.ResearcherToken),
		corsano.WithBaseURL(srv.BaseURL()),
		corsano.WithHealthBaseURL(srv.HealthURL()),
	)
	if err != nil {
		log.Fatal(err)
	}
	to := time.Date(2025, 10, 8, 10, 0, 0, 0, corsanotest.Zone)
	q := corsano.RawQuery{Type: corsano.ECG, From: to.Add(-2 * time.Hour), To: to}
	n := 0
	for _, err := range c.RawMetricsSeq(context.Background(), corsanotest.ExamplePatient, q) {
		if err != nil {
			log.Fatal(err)
		}
		n++
	}
	fmt.Printf("%d one-second ECG items in %d calls\n", n, srv.Health.Log.Len())
	// Output:
	// 7200 one-second ECG items in 4 calls
}
