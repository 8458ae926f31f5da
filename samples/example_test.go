package samples_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/wearkit/wearkit/samples"
	"github.com/wearkit/wearkit/samples/samplestest"
)

// A day of heart rate, once a minute, synced through your API proxy; the
// second sync finds nothing new.
func Example() {
	srv := samplestest.NewServer()
	defer srv.Close()

	c, err := samples.New(samples.WithBaseURL(srv.URL), samples.WithBearerToken(samplestest.ProxyToken))
	if err != nil {
		log.Fatal(err)
	}
	zone := time.FixedZone("+04", 4*3600)
	var hr []samples.Sample
	for i := range 1440 {
		hr = append(hr, samples.Sample{
			DeviceName: "Apple Watch", DeviceVersion: "10.1",
			Start: time.Date(2023, 11, 1, 0, i, 0, 0, zone),
			Unit:  samples.CountPerMinute, Value: 60 + float64(i%30),
		})
	}
	store := samples.NewMemoryCheckpointStore()
	ctx := context.Background()
	for run := 1; run <= 2; run++ {
		rep, err := c.Sync(ctx, samples.BPM, hr, store)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("run %d: sent %d in %d batches, skipped %d\n", run, rep.Sent, rep.Batches, rep.Skipped)
	}
	// Output:
	// run 1: sent 1440 in 2 batches, skipped 0
	// run 2: sent 0 in 0 batches, skipped 1440
}

// Batch sizes: as few batches as possible, never one of 1 or 2 samples.
func ExampleBatches() {
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, n := range []int{2, 1001, 2001} {
		in := make([]samples.Sample, n)
		for i := range in {
			in[i] = samples.Sample{DeviceName: "iPhone", Start: t0.Add(time.Duration(i) * time.Minute), Unit: samples.Count, Value: 12}
		}
		bs, err := samples.Batches(in)
		var sizes []int
		for _, b := range bs {
			sizes = append(sizes, len(b))
		}
		var few *samples.TooFewError
		fmt.Println(n, sizes, errors.As(err, &few))
	}
	// Output:
	// 2 [] true
	// 1001 [501 500] false
	// 2001 [667 667 667] false
}

// Every broken rule, by index, field and rule.
func ExampleValidate() {
	t0 := time.Date(2024, 1, 1, 8, 0, 0, 0, time.UTC)
	err := samples.Validate(samples.Steps, []samples.Sample{
		{DeviceName: "iPhone", Start: t0, Unit: samples.Count, Value: 14},
		{DeviceName: "iPhone", Start: t0, End: t0.Add(-time.Second), Unit: samples.Count, Value: 40000},
		{Start: t0, Unit: samples.CountPerMinute, Value: 70},
	})
	var ve *samples.ValidationError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			fmt.Println(p)
		}
	}
	// Output:
	// sample 1: end_date: before start_date
	// sample 1: value: 40000: at most 30000 for count
	// sample 2: device_name: required
	// sample 2: unit: count/min does not fit data type steps
}

// The direct flavour: register a user, send a day of steps, progress per
// batch, and read the bio-age the API computed.
func ExampleSyncer() {
	srv := samplestest.NewServer()
	defer srv.Close()
	c, err := samples.New(samples.WithBaseURL(srv.URL),
		samples.WithLogin(samplestest.Username, samplestest.Password), samples.WithUserID("athlete-42"))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	if err := c.RegisterUser(ctx, samples.User{ID: "athlete-42", Sex: samples.Female, YearOfBirth: 1990}); err != nil {
		log.Fatal(err)
	}
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	var in []samples.Sample
	for i := range 2400 { // 2400 six-second bursts of walking
		st := day.Add(time.Duration(i) * 30 * time.Second)
		in = append(in, samples.Sample{DeviceName: "iPhone", Start: st, End: st.Add(6 * time.Second), Unit: samples.Count, Value: 5})
	}
	s := &samples.Syncer{Client: c, Store: samples.NewMemoryCheckpointStore(), Concurrency: 1,
		Progress: func(r samples.BatchResult) {
			fmt.Printf("batch %d of %s: %d samples, %d sent so far\n", r.Seq, r.Device, r.Samples, r.Sent)
		}}
	if _, err := s.Sync(ctx, samples.Steps, in); err != nil {
		log.Fatal(err)
	}
	if err := c.CalculateBioAge(ctx, samples.Steps); err != nil {
		log.Fatal(err)
	}
	res, err := c.BioAge(ctx, samples.BioAgeQuery{Model: samples.Steps, From: day, To: day})
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range res.Days {
		fmt.Printf("%s: bio-age known %v, %d logins\n", d.Date.Format(samples.DateLayout), d.Known, c.Logins())
	}
	// Output:
	// batch 0 of iPhone: 1000 samples, 1000 sent so far
	// batch 1 of iPhone: 1000 samples, 2000 sent so far
	// batch 2 of iPhone: 400 samples, 2400 sent so far
	// 2024-03-01: bio-age known true, 1 logins
}
