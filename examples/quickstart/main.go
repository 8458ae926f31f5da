// Command quickstart runs wearkit end to end against its built-in fake
// vendor servers, on loopback, with no account and no network:
//
//	go run ./examples/quickstart
//
// It signs requests to a fake Hexoskin, lists a user's records, downloads
// one record's RR intervals and heart rate in Hexoskin's binary format,
// decodes them with binfmt, and hands them to analytics: HRV per five-minute
// window, a personal baseline of those windows, an anomaly check of the
// latest one, and the rank correlation of heart rate with HRV.
//
// Copy it into your program and swap the fake's URL and keys for your own
// (hexoskin.WithAPIKey with the keys of your Hexoskin account).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/wearkit/wearkit/analytics"
	"github.com/wearkit/wearkit/hexoskin"
	"github.com/wearkit/wearkit/hexoskin/hexoskintest"
)

func main() { os.Exit(cli(os.Args[1:], os.Stdout, os.Stderr)) }

const usage = `usage: quickstart

Runs wearkit end to end against its built-in fake vendor servers, on
loopback, with no account and no network. It takes no arguments.
`

// cli runs the command and returns its exit code: 0 for -h, 2 for a bad
// argument, 1 for a failure.
func cli(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() {}
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return 0
		}
		fmt.Fprint(stderr, usage)
		return 2
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "quickstart: unexpected argument %q\n\n%s", fl.Arg(0), usage)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, stdout); err != nil {
		fmt.Fprintln(stderr, "quickstart:", err)
		return 1
	}
	return 0
}

// window is the span each HRV value summarizes.
const window = 5 * time.Minute

// binfmtSample is a decoded sample: seconds from the record start, value.
type binfmtSample struct{ seconds, value float64 }

// hrvWindows cuts RR intervals (seconds) and heart rate into windows and
// returns, for every window that has both, its RMSSD as a dated point, its
// mean heart rate and its RMSSD. A window without data (the shirt was off)
// is a gap, not the end.
func hrvWindows(start time.Time, rr, hr []binfmtSample) (rmssd []analytics.Point, meanHR, hrv []float64) {
	rrByWindow := map[int][]float64{} // milliseconds
	last := -1
	for _, s := range rr {
		w := int(s.seconds / window.Seconds())
		rrByWindow[w] = append(rrByWindow[w], s.value*1000)
		last = max(last, w)
	}
	hrSum, hrN := map[int]float64{}, map[int]int{}
	for _, s := range hr {
		w := int(s.seconds / window.Seconds())
		hrSum[w] += s.value
		hrN[w]++
	}
	for w := 0; w <= last; w++ {
		m, err := analytics.ComputeHRV(rrByWindow[w], analytics.HRVOptions{Filter: true})
		if err != nil || hrN[w] == 0 {
			continue
		}
		rmssd = append(rmssd, analytics.Point{Date: start.Add(time.Duration(w) * window), Value: m.RMSSD})
		meanHR = append(meanHR, hrSum[w]/float64(hrN[w]))
		hrv = append(hrv, m.RMSSD)
	}
	return rmssd, meanHR, hrv
}

// run runs one section per vendor, each against its own fake.
func run(ctx context.Context, out io.Writer) error {
	sections := []struct {
		name string
		run  func(context.Context, io.Writer) error
	}{
		{"hexoskin", hexoskinSection},
		{"withings", withingsSection},
		{"corsano", corsanoSection},
		{"samples", samplesSection},
		{"polar", polarSection},
	}
	for i, s := range sections {
		if i > 0 {
			fmt.Fprintln(out)
		}
		fmt.Fprintf(out, "== %s\n", s.name)
		if err := s.run(ctx, out); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	return nil
}

// hexoskinSection signs requests to a fake Hexoskin, downloads RR intervals
// and heart rate in binary and hands them to analytics.
func hexoskinSection(ctx context.Context, out io.Writer) error {
	// 1. A fake Hexoskin on loopback, and a client that signs every request.
	srv := hexoskintest.NewServer()
	defer srv.Close()
	fmt.Fprintf(out, "fake Hexoskin at %s\n", srv.URL)
	hx, err := hexoskin.New(
		hexoskin.WithBaseURL(srv.URL),
		hexoskin.WithAPIKey(hexoskintest.PublicKey, hexoskintest.PrivateKey),
		hexoskin.WithUserAgent("wearkit-quickstart"),
	)
	if err != nil {
		return err
	}

	me, err := hx.Account(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "account: %s %s (user %d)\n", me.FirstName, me.LastName, me.ID)

	// 2. The user's records, longest last.
	opts := &hexoskin.RecordListOptions{User: me.ID}
	opts.OrderBy = []string{"start"}
	var longest hexoskin.Record
	for r, err := range hx.Records(ctx, opts) {
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "  record %d: %s, %v\n", r.ID, r.Start.Time().Format("2006-01-02 15:04"), r.End.Sub(r.Start).Round(time.Second))
		if r.End.Sub(r.Start) > longest.End.Sub(longest.Start) {
			longest = r
		}
	}
	if longest.ID == 0 {
		return fmt.Errorf("user %d has no record", me.ID)
	}

	// 3. Three hours of RR intervals and heart rate in binary: never
	// subsampled, decoded as it streams.
	end := min(longest.End, longest.Start.Add(3*time.Hour))
	rec, err := hx.DataRecord(ctx, &hexoskin.DataQuery{
		Datatypes: []hexoskin.DatatypeID{hexoskin.RRInterval, hexoskin.HeartRate},
		Record:    longest.ID, Start: longest.Start, End: end,
	})
	if err != nil {
		return err
	}
	defer rec.Close()
	start := longest.Start.Time()

	var rr, hrSamples []binfmtSample
	for s, err := range rec.Samples("RR_interval") {
		if err != nil {
			return err
		}
		rr = append(rr, binfmtSample{s.Seconds, s.Value})
	}
	for s, err := range rec.Samples("heart_rate") {
		if err != nil {
			return err
		}
		hrSamples = append(hrSamples, binfmtSample{s.Seconds, s.Value})
	}
	fmt.Fprintf(out, "record %d: %v of RR intervals and heart rate, %d bytes in binary\n", longest.ID, end.Sub(longest.Start).Round(time.Second), rec.Size)

	// 4. HRV per window, as dated points any vendor's data could give.
	rmssd, hr, hrv := hrvWindows(start, rr, hrSamples)
	if len(rmssd) < 2 {
		return fmt.Errorf("only %d windows of data", len(rmssd))
	}
	fmt.Fprintf(out, "HRV: RMSSD in %d windows of %v (start, mean heart rate, RMSSD):\n", len(rmssd), window)
	for i, p := range rmssd {
		sep := "  "
		if i%3 == 2 || i == len(rmssd)-1 {
			sep = "\n"
		}
		fmt.Fprintf(out, "  %s %3.0f bpm %5.1f ms%s", p.Date.Format("15:04"), hr[i], p.Value, sep)
	}

	// 5. A personal baseline from all windows but the last, then the last
	// one checked against it.
	history, latest := rmssd[:len(rmssd)-1], rmssd[len(rmssd)-1]
	b := analytics.ComputeBaseline(history)
	fmt.Fprintf(out, "baseline (%s, %d samples): mean %.1f ms, median %.1f, IQR %.1f .. %.1f, normal range %.1f .. %.1f\n",
		b.Status, b.SampleCount, b.Value, b.Median, b.Q1, b.Q3, b.LowerBound, b.UpperBound)
	a := analytics.Check(latest.Value, b)
	verdict := "within the normal range"
	if a.IsAnomaly {
		verdict = fmt.Sprintf("%s anomaly, %s", a.Severity, a.Direction)
	}
	dev := 0.0
	if a.DeviationPercent != nil {
		dev = *a.DeviationPercent
	}
	fmt.Fprintf(out, "latest window %s: RMSSD %.1f ms, %+.1f %% from baseline, %s\n", latest.Date.Format("15:04"), latest.Value, dev, verdict)

	// 6. Does heart rate move with HRV? Spearman, as scipy computes it.
	rho, p, err := analytics.Spearman(hr, hrv)
	if err != nil {
		fmt.Fprintf(out, "heart rate vs RMSSD: %v\n", err)
		return nil
	}
	fmt.Fprintf(out, "heart rate vs RMSSD: Spearman rho %.3f, p %.3g over %d windows\n", rho, p, len(hr))
	return nil
}
