// Command corsano-export lists a Corsano group's patients, prints one day's
// summary values of each, then exports one patient's last day of PPG and
// activity and saves the ZIP.
//
//	go run ./examples/corsano-export
//
// Without a token it runs against the built-in fake (corsanotest) on
// loopback. With CORSANO_TOKEN set it talks to the real API. The export
// obeys Corsano's rule of one export per patient every five minutes: a
// second run within five minutes waits (up to CORSANO_TIMEOUT) rather than
// being refused by the server.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/wearkit/wearkit/corsano"
	"github.com/wearkit/wearkit/corsano/corsanotest"
)

const usage = `usage: corsano-export

Lists a Corsano group's patients with one day's summary values, then exports
one patient's last day of PPG and activity and saves the ZIP. Without a
token it runs against the built-in fake. Settings come from the environment:

  CORSANO_TOKEN       researcher token (default: the fake)
  CORSANO_BASE_URL    integration API (default https://api.integration.corsano.com/v1)
  CORSANO_HEALTH_URL  health API (default https://api.health.cloud.corsano.com)
  CORSANO_GROUP       group code (default: the first group listed)
  CORSANO_PATIENT     patient uuid to export (default: the first confirmed patient)
  CORSANO_DATE        summary date, YYYY-MM-DD (default: today)
  CORSANO_TYPES       export types, comma-separated (default ppg1,activity)
  CORSANO_OUT         ZIP file to write (default corsano-<uuid>.zip)
  CORSANO_TIMEOUT     time allowed for the export, e.g. 20m (default 30m)
`

func main() { os.Exit(cli(os.Args[1:], os.Stdout, os.Stderr, os.Getenv)) }

// cli runs the command and returns its exit code: 0 for -h, 2 for a bad
// argument, 1 for a failure.
func cli(args []string, stdout, stderr io.Writer, env func(string) string) int {
	fl := flag.NewFlagSet("corsano-export", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() { fmt.Fprint(stdout, usage) }
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "corsano-export: unexpected argument %q\n\n%s", fl.Arg(0), usage)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, stdout, env); err != nil {
		fmt.Fprintln(stderr, "corsano-export:", err)
		return 1
	}
	return 0
}

// settings are the environment's values, all checked before any request.
type settings struct {
	token, baseURL, healthURL string
	group, patient, out       string
	date                      corsano.Date
	types                     []string
	timeout                   time.Duration
}

func readSettings(env func(string) string) (settings, error) {
	s := settings{
		token: env("CORSANO_TOKEN"), baseURL: env("CORSANO_BASE_URL"), healthURL: env("CORSANO_HEALTH_URL"),
		group: env("CORSANO_GROUP"), patient: env("CORSANO_PATIENT"), out: env("CORSANO_OUT"),
		date: corsano.DateOf(time.Now()), types: []string{"ppg1", "activity"}, timeout: 30 * time.Minute,
	}
	if s.token == "" && (s.baseURL != "" || s.healthURL != "") {
		return s, errors.New("CORSANO_BASE_URL and CORSANO_HEALTH_URL need CORSANO_TOKEN")
	}
	if v := env("CORSANO_DATE"); v != "" {
		d, err := corsano.ParseDate(v)
		if err != nil {
			return s, fmt.Errorf("CORSANO_DATE: %q: want YYYY-MM-DD", v)
		}
		s.date = d
	}
	if v := env("CORSANO_TYPES"); v != "" {
		s.types = nil
		for i, t := range strings.Split(v, ",") {
			t = strings.TrimSpace(t)
			if t == "" || (!corsano.RawMetricType(t).Known() && t != "tests") {
				return s, fmt.Errorf("CORSANO_TYPES: item %d %q is not a raw metric type (%v) or tests", i+1, t, corsano.RawMetricTypes)
			}
			s.types = append(s.types, t)
		}
	}
	if v := env("CORSANO_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return s, fmt.Errorf("CORSANO_TIMEOUT: %q: want a positive duration such as 20m", v)
		}
		s.timeout = d
	}
	if s.out != "" {
		if dir := filepath.Dir(s.out); dir != "." {
			if st, err := os.Stat(dir); err != nil || !st.IsDir() {
				return s, fmt.Errorf("CORSANO_OUT: folder %q does not exist", dir)
			}
		}
	}
	return s, nil
}

func run(ctx context.Context, out io.Writer, env func(string) string) error {
	set, err := readSettings(env)
	if err != nil {
		return err
	}
	opts := []corsano.Option{corsano.WithUserAgent("corsano-export-example"), corsano.WithExportWait()}
	if set.token != "" {
		opts = append(opts, corsano.WithResearcherToken(set.token))
		if set.baseURL != "" {
			opts = append(opts, corsano.WithBaseURL(set.baseURL))
		}
		if set.healthURL != "" {
			opts = append(opts, corsano.WithHealthBaseURL(set.healthURL))
		}
		fmt.Fprintln(out, "using the Corsano API")
	} else {
		srv := corsanotest.NewServer()
		defer srv.Close()
		opts = append(opts, corsano.WithResearcherToken(corsanotest.ResearcherToken),
			corsano.WithBaseURL(srv.BaseURL()), corsano.WithHealthBaseURL(srv.HealthURL()),
			corsano.WithPollInterval(50*time.Millisecond))
		fmt.Fprintln(out, "using the built-in fake (set CORSANO_TOKEN for the real API)")
	}
	c, err := corsano.New(opts...)
	if err != nil {
		return err
	}

	// 1. The group and its patients.
	group := set.group
	if group == "" {
		groups, err := c.Groups(ctx)
		if err != nil {
			return err
		}
		if len(groups) == 0 {
			return errors.New("the researcher token sees no group")
		}
		group = groups[0].Code
		fmt.Fprintf(out, "group %s: %s\n", group, groups[0].Name)
	}
	patients, err := c.Patients(ctx, group, nil)
	if err != nil {
		return err
	}

	// 2. The day's summary values.
	sums, err := c.Summaries(ctx, group, set.date, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%d patients, summaries of %s:\n", len(patients), set.date)
	patient := set.patient
	for _, p := range patients {
		if patient == "" && p.State == corsano.PatientConfirmed {
			patient = p.UUID
		}
		line := fmt.Sprintf("  %s  %-20s %-12s", p.UUID, p.FirstName+" "+p.LastName, p.State)
		if s, ok := sums[p.UUID]; ok {
			line += summaryLine(s)
		} else {
			line += " no summary"
		}
		fmt.Fprintln(out, strings.TrimRight(line, " "))
	}
	if patient == "" {
		return errors.New("no confirmed patient to export")
	}

	// 3. The patient's last day of PPG and activity, as a ZIP.
	name := set.out
	if name == "" {
		// The id comes from the server: never let it name another folder.
		if strings.ContainsAny(patient, `/\`) || strings.Contains(patient, "..") {
			return fmt.Errorf("patient id %q cannot name a file: set CORSANO_OUT", patient)
		}
		name = "corsano-" + patient + ".zip"
	}
	now := time.Now()
	req := corsano.ExportRequest{From: now.Add(-24 * time.Hour), To: now, Types: set.types}
	ectx, cancel := context.WithTimeout(ctx, set.timeout)
	defer cancel()
	// The ZIP goes to a temporary file beside name and takes its place only
	// when complete: a failed or cancelled export leaves no half-written
	// ZIP and keeps the one a previous run saved there.
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".part-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // no-op once renamed
	began := time.Now()
	if err := c.DownloadExport(ectx, patient, req, f); err != nil {
		f.Close()
		return err
	}
	st, err := f.Stat()
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), name)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "export of %s (%s) saved to %s: %d bytes in %v\n", patient, strings.Join(set.types, ", "), name, st.Size(), time.Since(began).Round(100*time.Millisecond))
	return nil
}

// summaryLine prints the figures of a summary that are there.
func summaryLine(s corsano.Summary) string {
	var b strings.Builder
	if s.Activity != nil {
		fmt.Fprintf(&b, " steps %d", s.Activity.TotalSteps)
	}
	if s.HeartRate != nil {
		fmt.Fprintf(&b, ", heart rate %.0f bpm (rest %.0f)", s.HeartRate.AvgDailyHeartRate, s.HeartRate.RestDailyHeartRate)
	}
	if s.SpO2 != nil {
		fmt.Fprintf(&b, ", SpO2 %.0f %%", s.SpO2.AvgSpO2)
	}
	if s.Sleep != nil {
		fmt.Fprintf(&b, ", sleep %v", (time.Duration(s.Sleep.SleepDuration) * time.Second).Round(time.Minute))
	}
	return b.String()
}
