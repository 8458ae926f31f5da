package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/wearkit/wearkit/samples"
	"github.com/wearkit/wearkit/samples/samplestest"
	"github.com/wearkit/wearkit/wearkittest"
)

// samplesSection sends a day of heart rate and steps to a fake GeroSense
// through the proxy flavour, shows that a second sync sends nothing, and
// reads the bio-age the fake computes. Swap the fake's URL and token for
// your proxy's (samples.WithBaseURL, samples.WithBearerToken).
func samplesSection(ctx context.Context, out io.Writer) error {
	srv := samplestest.NewServer()
	defer srv.Close()
	fmt.Fprintf(out, "GeroSense samples: fake API at %s\n", srv.URL)

	c, err := samples.New(samples.WithBaseURL(srv.URL), samples.WithBearerToken(samplestest.ProxyToken))
	if err != nil {
		return err
	}
	person, err := wearkittest.NewPerson(wearkittest.PersonConfig{Seed: 42})
	if err != nil {
		return err
	}
	day := time.Date(2024, 3, 4, 0, 0, 0, 0, time.FixedZone("+01", 3600))
	store := samples.NewMemoryCheckpointStore()
	for _, dt := range []samples.DataType{samples.BPM, samples.Steps} {
		in, err := samplestest.Generate(person, dt, "Apple Watch", day, day.AddDate(0, 0, 1))
		if err != nil {
			return err
		}
		rep, err := c.Sync(ctx, dt, in, store)
		if err != nil {
			return err
		}
		again, err := c.Sync(ctx, dt, in, store)
		if err != nil {
			return err
		}
		batches := "batches"
		if rep.Batches == 1 {
			batches = "batch"
		}
		fmt.Fprintf(out, "  %-5s %d samples in %d %s; a second sync sent %d, skipped %d\n", dt, rep.Sent, rep.Batches, batches, again.Sent, again.Skipped)
	}
	if err := c.CalculateBioAge(ctx, samples.BPM); err != nil {
		return err
	}
	res, err := c.BioAge(ctx, samples.BioAgeQuery{Model: samples.BPM, From: day, To: day})
	if err != nil {
		return err
	}
	for _, d := range res.Days {
		if d.Known {
			fmt.Fprintf(out, "  bio-age from heart rate on %s: %.1f years\n", d.Date.Format(samples.DateLayout), d.Value)
		}
	}
	return nil
}
