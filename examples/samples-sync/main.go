// Command samples-sync sends step and heart-rate samples to GeroSense with
// a checkpoint file, so that running it again sends only what is new:
//
//	go run ./examples/samples-sync
//
// Without credentials it runs against the built-in fake (samplestest) on
// loopback and, without SAMPLES_CSV, generates a week of a simulated
// person's heart rate (one a minute) and steps (per minute) from the shared
// physiological generator. Run it twice: the second run sends nothing.
// Settings come from the environment:
//
//	GEROSENSE_BASE_URL    your API proxy (proxy flavour) or GeroSense's host (direct)
//	GEROSENSE_TOKEN       bearer token for your proxy (proxy flavour)
//	GEROSENSE_USERNAME, GEROSENSE_PASSWORD, GEROSENSE_USER_ID   direct flavour
//	SAMPLES_CSV           CSV file: device_name,device_version,start,end,unit,value
//	                      (RFC 3339 times, end may be empty; count rows are
//	                      steps, count/min and count/s rows heart rate)
//	SAMPLES_CHECKPOINT    checkpoint file (default samples-checkpoints.json, and
//	                      samples-checkpoints-fake.json against the built-in fake,
//	                      whose checkpoints must never skip samples of a real API)
//	SAMPLES_DAYS          days to generate without a CSV (default 7)
//	SAMPLES_CONCURRENCY   batches in flight (default 4)
package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/wearkit/wearkit/samples"
	"github.com/wearkit/wearkit/samples/samplestest"
	"github.com/wearkit/wearkit/wearkittest"
)

const usage = `usage: samples-sync

Sends step and heart-rate samples to GeroSense with a checkpoint file, so a
second run sends only what is new. Without credentials it uses the built-in
fake; without SAMPLES_CSV it generates a week of samples. Settings come from
the environment:

  GEROSENSE_BASE_URL   your API proxy, or GeroSense's host for the direct flavour
  GEROSENSE_TOKEN      bearer token for your proxy (proxy flavour)
  GEROSENSE_USERNAME, GEROSENSE_PASSWORD, GEROSENSE_USER_ID   direct flavour
  SAMPLES_CSV          CSV: device_name,device_version,start,end,unit,value
  SAMPLES_CHECKPOINT   checkpoint file (default samples-checkpoints.json;
                       samples-checkpoints-fake.json against the built-in fake)
  SAMPLES_DAYS         days to generate without a CSV (default 7)
  SAMPLES_CONCURRENCY  batches in flight (default 4)
`

func main() { os.Exit(cli(os.Args[1:], os.Stdout, os.Stderr, os.Getenv)) }

// cli runs the command and returns its exit code: 0 for -h, 2 for a bad
// argument, 1 for a failure.
func cli(args []string, stdout, stderr io.Writer, env func(string) string) int {
	fl := flag.NewFlagSet("samples-sync", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() { fmt.Fprint(stdout, usage) }
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "samples-sync: unexpected argument %q\n\n%s", fl.Arg(0), usage)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, stdout, env); err != nil {
		fmt.Fprintln(stderr, "samples-sync:", err)
		return 1
	}
	return 0
}

// settings are the environment's values, all checked before any request.
type settings struct {
	baseURL, token             string
	username, password, userID string
	csv, checkpoint            string
	days, concurrency          int
}

func readSettings(env func(string) string) (settings, error) {
	s := settings{
		baseURL: env("GEROSENSE_BASE_URL"), token: env("GEROSENSE_TOKEN"),
		username: env("GEROSENSE_USERNAME"), password: env("GEROSENSE_PASSWORD"), userID: env("GEROSENSE_USER_ID"),
		csv: env("SAMPLES_CSV"), checkpoint: env("SAMPLES_CHECKPOINT"),
	}
	if s.checkpoint == "" {
		s.checkpoint = "samples-checkpoints.json"
		if s.token == "" && s.username == "" && s.password == "" && s.userID == "" {
			// The built-in fake's checkpoints say nothing of what a real
			// API has: in the real file they would skip real samples.
			s.checkpoint = "samples-checkpoints-fake.json"
		}
	}
	if st, err := os.Stat(filepath.Dir(s.checkpoint)); err != nil || !st.IsDir() {
		return s, fmt.Errorf("SAMPLES_CHECKPOINT %q: its folder does not exist", s.checkpoint)
	}
	var err error
	if s.days, err = positive("SAMPLES_DAYS", env("SAMPLES_DAYS"), 7); err != nil {
		return s, err
	}
	if s.concurrency, err = positive("SAMPLES_CONCURRENCY", env("SAMPLES_CONCURRENCY"), samples.DefaultConcurrency); err != nil {
		return s, err
	}
	direct := s.username != "" || s.password != "" || s.userID != ""
	switch {
	case s.token != "" && direct:
		return s, errors.New("GEROSENSE_TOKEN (proxy) and GEROSENSE_USERNAME/PASSWORD/USER_ID (direct) cannot be combined")
	case direct && (s.username == "" || s.password == "" || s.userID == ""):
		return s, errors.New("the direct flavour needs GEROSENSE_USERNAME, GEROSENSE_PASSWORD and GEROSENSE_USER_ID")
	case s.token != "" && s.baseURL == "":
		return s, errors.New("GEROSENSE_TOKEN needs GEROSENSE_BASE_URL, your proxy's URL")
	case s.token == "" && !direct && s.baseURL != "":
		return s, errors.New("GEROSENSE_BASE_URL is set without credentials (GEROSENSE_TOKEN, or the direct flavour's)")
	}
	return s, nil
}

func positive(name, v string, def int) (int, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%s: %q is not a positive whole number", name, v)
	}
	return n, nil
}

func run(ctx context.Context, out io.Writer, env func(string) string) error {
	set, err := readSettings(env)
	if err != nil {
		return err
	}
	// The samples are read (and checked) before any request.
	var byType map[samples.DataType][]samples.Sample
	if set.csv != "" {
		if byType, err = readCSV(set.csv); err != nil {
			return err
		}
	} else if byType, err = generate(set.days); err != nil {
		return err
	}

	opts := []samples.Option{samples.WithUserAgent("samples-sync-example")}
	switch {
	case set.token != "":
		opts = append(opts, samples.WithBaseURL(set.baseURL), samples.WithBearerToken(set.token))
		fmt.Fprintln(out, "using your API proxy")
	case set.username != "":
		opts = append(opts, samples.WithLogin(set.username, set.password), samples.WithUserID(set.userID))
		if set.baseURL != "" {
			opts = append(opts, samples.WithBaseURL(set.baseURL))
		}
		fmt.Fprintln(out, "using the GeroSense API directly")
	default:
		srv := samplestest.NewServer()
		defer srv.Close()
		opts = append(opts, samples.WithBaseURL(srv.URL), samples.WithBearerToken(samplestest.ProxyToken))
		fmt.Fprintln(out, "using the built-in fake (set GEROSENSE_TOKEN and GEROSENSE_BASE_URL for your proxy)")
	}
	c, err := samples.New(opts...)
	if err != nil {
		return err
	}
	store := samples.NewFileCheckpointStore(set.checkpoint)
	for _, dt := range []samples.DataType{samples.Steps, samples.BPM} {
		in := byType[dt]
		if len(in) == 0 {
			continue
		}
		s := &samples.Syncer{Client: c, Store: store, Concurrency: set.concurrency,
			Progress: func(r samples.BatchResult) { progress(out, dt, len(in), r) }}
		rep, err := s.Sync(ctx, dt, in)
		var few *samples.TooFewError
		switch {
		case errors.As(err, &few):
			fmt.Fprintf(out, "%-5s %d sample(s) of %s held until more arrive\n", dt, len(few.Samples), strings.Join(few.Devices, ", "))
		case err != nil:
			return err
		}
		fmt.Fprintf(out, "%-5s sent %d samples in %d batches, %d already sent before\n", dt, rep.Sent, rep.Batches, rep.Skipped)
	}
	fmt.Fprintf(out, "checkpoints in %s\n", set.checkpoint)
	return nil
}

// progress prints one line per batch: a bar of the run's share sent.
func progress(out io.Writer, dt samples.DataType, total int, r samples.BatchResult) {
	const width = 20
	n := width * r.Sent / max(total, 1)
	status := "ok"
	if r.Err != nil {
		status = "refused: " + r.Err.Error()
	}
	fmt.Fprintf(out, "%-5s [%s%s] %6d/%d  %s batch %d (%d samples) %s\n", dt,
		strings.Repeat("#", n), strings.Repeat(".", width-n), r.Sent, total, r.Device, r.Seq, r.Samples, status)
}

// generate makes days of a simulated person's heart rate and steps,
// ending at a fixed date so every run makes the same samples.
func generate(days int) (map[samples.DataType][]samples.Sample, error) {
	p, err := wearkittest.NewPerson(wearkittest.PersonConfig{Seed: 2024})
	if err != nil {
		return nil, err
	}
	end := time.Date(2024, 3, 11, 0, 0, 0, 0, time.FixedZone("+01", 3600))
	start := end.AddDate(0, 0, -days)
	out := map[samples.DataType][]samples.Sample{}
	for _, dt := range []samples.DataType{samples.Steps, samples.BPM} {
		device := "iPhone"
		if dt == samples.BPM {
			device = "Apple Watch"
		}
		if out[dt], err = samplestest.Generate(p, dt, device, start, end); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// csvHeader is the first line SAMPLES_CSV must have.
var csvHeader = []string{"device_name", "device_version", "start", "end", "unit", "value"}

// readCSV reads and validates the whole file: every error names its line
// and column, before anything is sent.
func readCSV(path string) (map[samples.DataType][]samples.Sample, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("SAMPLES_CSV: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = len(csvHeader)
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", path, err)
	}
	if strings.Join(head, ",") != strings.Join(csvHeader, ",") {
		return nil, fmt.Errorf("%s line 1: header %q, want %q", path, strings.Join(head, ","), strings.Join(csvHeader, ","))
	}
	out := map[samples.DataType][]samples.Sample{}
	lines := map[samples.DataType][]int{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			// A *csv.ParseError names its line; FieldPos has no record
			// to tell of after a failed Read (it panics).
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		line, _ := r.FieldPos(0)
		s := samples.Sample{DeviceName: rec[0], DeviceVersion: rec[1], Unit: samples.Unit(rec[4])}
		if s.Start, err = time.Parse(time.RFC3339Nano, rec[2]); err != nil {
			return nil, fmt.Errorf("%s line %d: start: %q is not an RFC 3339 time", path, line, rec[2])
		}
		if rec[3] != "" {
			if s.End, err = time.Parse(time.RFC3339Nano, rec[3]); err != nil {
				return nil, fmt.Errorf("%s line %d: end: %q is not an RFC 3339 time", path, line, rec[3])
			}
		}
		if s.Value, err = strconv.ParseFloat(rec[5], 64); err != nil {
			return nil, fmt.Errorf("%s line %d: value: %q is not a number", path, line, rec[5])
		}
		dt := samples.BPM
		switch s.Unit {
		case samples.Count:
			dt = samples.Steps
		case samples.CountPerMinute, samples.CountPerSecond:
		default:
			return nil, fmt.Errorf("%s line %d: unit: %q is not count, count/min or count/s", path, line, rec[4])
		}
		out[dt] = append(out[dt], s)
		lines[dt] = append(lines[dt], line)
	}
	for dt, in := range out {
		var ve *samples.ValidationError
		if err := samples.Validate(dt, in); errors.As(err, &ve) {
			p := ve.Problems[0]
			return nil, fmt.Errorf("%s line %d: %s: %s (%d problem(s) in all)", path, lines[dt][p.Index], p.Field, p.Rule, len(ve.Problems))
		}
	}
	return out, nil
}
