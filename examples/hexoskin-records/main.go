// Command hexoskin-records lists a user's Hexoskin records in a date range,
// downloads the first minutes of one record's ECG and RR intervals in the
// binary format (unsubsampled), decodes them and prints a short summary.
//
//	go run ./examples/hexoskin-records
//
// Without keys it runs against the built-in fake (hexoskintest) on
// loopback. With HEXOSKIN_PUBLIC_KEY and HEXOSKIN_PRIVATE_KEY set it talks
// to the real API (HEXOSKIN_BASE_URL to change the host). Other settings:
//
//	HEXOSKIN_FROM, HEXOSKIN_TO  date range, YYYY-MM-DD (default: the last 30 days;
//	                            2014-07-01 .. 2014-10-01 on the fake)
//	HEXOSKIN_USER               user id (default: the authenticated account)
//	HEXOSKIN_RECORD             record id to download (default: the first listed)
//	HEXOSKIN_MINUTES            minutes of data to download (default 5)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"strconv"
	"time"

	"github.com/wearkit/wearkit/analytics"
	"github.com/wearkit/wearkit/hexoskin"
	"github.com/wearkit/wearkit/hexoskin/hexoskintest"
)

const usage = `usage: hexoskin-records

Lists a user's Hexoskin records in a date range, downloads the first minutes
of one record's ECG and RR intervals in binary and prints a summary. Without
keys it runs against the built-in fake. Settings come from the environment:

  HEXOSKIN_PUBLIC_KEY, HEXOSKIN_PRIVATE_KEY  API keys (default: the fake)
  HEXOSKIN_BASE_URL   API host (default https://api.hexoskin.com)
  HEXOSKIN_FROM, HEXOSKIN_TO  date range, YYYY-MM-DD (default: the last 30 days)
  HEXOSKIN_USER       user id (default: the authenticated account)
  HEXOSKIN_RECORD     record id to download (default: the first listed)
  HEXOSKIN_MINUTES    minutes of data to download (default 5)
`

func main() { os.Exit(cli(os.Args[1:], os.Stdout, os.Stderr, os.Getenv)) }

// cli runs the command and returns its exit code: 0 for -h, 2 for a bad
// argument, 1 for a failure.
func cli(args []string, stdout, stderr io.Writer, env func(string) string) int {
	fl := flag.NewFlagSet("hexoskin-records", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() { fmt.Fprint(stdout, usage) }
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "hexoskin-records: unexpected argument %q\n\n%s", fl.Arg(0), usage)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, stdout, env); err != nil {
		fmt.Fprintln(stderr, "hexoskin-records:", err)
		return 1
	}
	return 0
}

// settings are the environment's values, all checked before any request.
type settings struct {
	public, private, baseURL string
	from, to                 time.Time
	minutes, user, record    int64
}

func readSettings(env func(string) string) (settings, error) {
	s := settings{public: env("HEXOSKIN_PUBLIC_KEY"), private: env("HEXOSKIN_PRIVATE_KEY"), baseURL: env("HEXOSKIN_BASE_URL")}
	if (s.public == "") != (s.private == "") {
		return s, errors.New("HEXOSKIN_PUBLIC_KEY and HEXOSKIN_PRIVATE_KEY go together: set both or neither")
	}
	if s.public == "" && s.baseURL != "" {
		return s, errors.New("HEXOSKIN_BASE_URL needs HEXOSKIN_PUBLIC_KEY and HEXOSKIN_PRIVATE_KEY; without them the built-in fake is used")
	}
	// The fake's records are from 2014; on the real API the default is the
	// last 30 days.
	defFrom, defTo := "2014-07-01", "2014-10-01"
	if s.public != "" {
		now := time.Now().UTC()
		defFrom, defTo = now.AddDate(0, 0, -30).Format("2006-01-02"), now.AddDate(0, 0, 1).Format("2006-01-02")
	}
	var err error
	if s.from, err = date("HEXOSKIN_FROM", env("HEXOSKIN_FROM"), defFrom); err != nil {
		return s, err
	}
	if s.to, err = date("HEXOSKIN_TO", env("HEXOSKIN_TO"), defTo); err != nil {
		return s, err
	}
	if !s.from.Before(s.to) {
		return s, fmt.Errorf("HEXOSKIN_FROM %s is not before HEXOSKIN_TO %s", s.from.Format("2006-01-02"), s.to.Format("2006-01-02"))
	}
	if s.minutes, err = number("HEXOSKIN_MINUTES", env("HEXOSKIN_MINUTES"), 5); err != nil {
		return s, err
	}
	// More minutes than a time.Duration holds would wrap around.
	if maxMinutes := int64(math.MaxInt64 / time.Minute); s.minutes <= 0 || s.minutes > maxMinutes {
		return s, fmt.Errorf("HEXOSKIN_MINUTES: want a number of minutes from 1 to %d, got %d", maxMinutes, s.minutes)
	}
	if s.user, err = number("HEXOSKIN_USER", env("HEXOSKIN_USER"), 0); err != nil {
		return s, err
	}
	if s.record, err = number("HEXOSKIN_RECORD", env("HEXOSKIN_RECORD"), 0); err != nil {
		return s, err
	}
	return s, nil
}

func run(ctx context.Context, out io.Writer, env func(string) string) error {
	set, err := readSettings(env)
	if err != nil {
		return err
	}
	opts := []hexoskin.Option{hexoskin.WithUserAgent("hexoskin-records-example")}
	public, private := set.public, set.private
	if public != "" || private != "" {
		opts = append(opts, hexoskin.WithAPIKey(public, private))
		if set.baseURL != "" {
			opts = append(opts, hexoskin.WithBaseURL(set.baseURL))
		}
		fmt.Fprintln(out, "using the Hexoskin API")
	} else {
		srv := hexoskintest.NewServer()
		defer srv.Close()
		opts = append(opts, hexoskin.WithBaseURL(srv.URL), hexoskin.WithAPIKey(hexoskintest.PublicKey, hexoskintest.PrivateKey))
		fmt.Fprintln(out, "using the built-in fake (set HEXOSKIN_PUBLIC_KEY and HEXOSKIN_PRIVATE_KEY for the real API)")
	}
	c, err := hexoskin.New(opts...)
	if err != nil {
		return err
	}

	from, to, minutes, user := set.from, set.to, set.minutes, set.user
	if user == 0 {
		me, err := c.Account(ctx)
		if err != nil {
			return err
		}
		user = me.ID
		fmt.Fprintf(out, "account: %s %s (user %d)\n", me.FirstName, me.LastName, me.ID)
	}

	// 1. The user's records in the date range.
	lo := &hexoskin.RecordListOptions{User: user, StartGTE: hexoskin.TimestampFromTime(from), StartLT: hexoskin.TimestampFromTime(to)}
	lo.OrderBy = []string{"start"}
	var records []hexoskin.Record
	for r, err := range c.Records(ctx, lo) {
		if err != nil {
			return err
		}
		records = append(records, r)
	}
	fmt.Fprintf(out, "%d records from %s to %s:\n", len(records), from.Format("2006-01-02"), to.Format("2006-01-02"))
	for _, r := range records {
		fmt.Fprintf(out, "  %d  %s  %v\n", r.ID, r.Start.Time().Format("2006-01-02 15:04:05"), r.End.Sub(r.Start).Round(time.Second))
	}

	// 2. Pick one.
	var rec *hexoskin.Record
	if id := set.record; id != 0 {
		if rec, err = c.Record(ctx, id); err != nil {
			return err
		}
	} else if len(records) > 0 {
		rec = &records[0]
	} else {
		return errors.New("no record in the range")
	}

	// 3. ECG and RR intervals in binary: not capped, not subsampled.
	end := min(rec.End, rec.Start.Add(time.Duration(minutes)*time.Minute))
	bin, err := c.DataRecord(ctx, &hexoskin.DataQuery{
		Datatypes: []hexoskin.DatatypeID{hexoskin.ECG, hexoskin.RRInterval},
		Record:    rec.ID, Start: rec.Start, End: end,
	})
	if err != nil {
		return err
	}
	defer bin.Close()
	fmt.Fprintf(out, "record %d, %v from %s, %d bytes of binary data\n", rec.ID, end.Sub(rec.Start).Round(time.Second), bin.Start().Format(time.RFC3339), bin.Size)

	// 4. Decode and summarize.
	var n int
	lowMV, highMV := math.Inf(1), math.Inf(-1)
	for s, err := range bin.Samples("ECG_I") {
		if err != nil {
			return err
		}
		n++
		lowMV, highMV = min(lowMV, s.Value), max(highMV, s.Value)
	}
	if n > 0 {
		fmt.Fprintf(out, "ECG: %d samples (%.1f s at 256 Hz), %.2f .. %.2f mV\n", n, float64(n)/256, lowMV, highMV)
	} else {
		fmt.Fprintln(out, "ECG: no samples")
	}
	var rrSeconds []float64
	for s, err := range bin.Samples("RR_interval") {
		if err != nil {
			return err
		}
		rrSeconds = append(rrSeconds, s.Value)
	}
	hrv, err := analytics.ComputeHRV(analytics.MillisFromSeconds(rrSeconds), analytics.HRVOptions{Filter: true})
	if err != nil {
		fmt.Fprintf(out, "RR: %d intervals, no HRV: %v\n", len(rrSeconds), err)
		return nil
	}
	fmt.Fprintf(out, "RR: %d intervals (%d artifacts dropped), mean %.0f ms (%.0f bpm), SDNN %.0f ms, RMSSD %.0f ms, pNN50 %.0f %%\n",
		hrv.N+hrv.Dropped, hrv.Dropped, hrv.MeanNN, 60000/hrv.MeanNN, hrv.SDNN, hrv.RMSSD, hrv.PNN50)
	return nil
}

func date(name, v, def string) (time.Time, error) {
	if v == "" {
		v = def
	}
	t, err := time.Parse("2006-01-02", v)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: date %q: want YYYY-MM-DD", name, v)
	}
	return t, nil
}

func number(name, v string, def int64) (int64, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s: %q is not a whole number", name, v)
	}
	return n, nil
}
