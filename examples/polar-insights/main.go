// Command polar-insights prints a user's personal baselines, any anomalies
// and the observations and suggestions of the insights of a
// polar-flow-server.
//
//	go run ./examples/polar-insights
//
// Without POLAR_BASE_URL it runs against the built-in fake (polartest) on
// loopback. Settings come from the environment:
//
//	POLAR_BASE_URL  the server's address, e.g. http://localhost:8000 (default: the fake)
//	POLAR_API_KEY   an API key of that server (required with POLAR_BASE_URL)
//	POLAR_USER_ID   the user (default: the fake's athlete_2; required with POLAR_BASE_URL)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"strings"

	"github.com/wearkit/wearkit/polar"
	"github.com/wearkit/wearkit/polar/polartest"
)

const usage = `usage: polar-insights

Prints a user's personal baselines, any anomalies and the insights'
observations and suggestions from a polar-flow-server. Without
POLAR_BASE_URL it runs against the built-in fake. Settings come from the
environment:

  POLAR_BASE_URL  the server's address, e.g. http://localhost:8000 (default: the fake)
  POLAR_API_KEY   an API key of that server (required with POLAR_BASE_URL)
  POLAR_USER_ID   the user (default on the fake: athlete_2)
`

func main() { os.Exit(cli(os.Args[1:], os.Stdout, os.Stderr, os.Getenv)) }

// cli runs the command and returns its exit code: 0 for -h, 2 for a bad
// argument, 1 for a failure.
func cli(args []string, stdout, stderr io.Writer, env func(string) string) int {
	fl := flag.NewFlagSet("polar-insights", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() { fmt.Fprint(stdout, usage) }
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "polar-insights: unexpected argument %q\n\n%s", fl.Arg(0), usage)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, stdout, env); err != nil {
		fmt.Fprintln(stderr, "polar-insights:", err)
		return 1
	}
	return 0
}

// settings are the environment's values, all checked before any request.
type settings struct {
	baseURL, apiKey, user string
	// shown is baseURL as printed: a password in it is redacted.
	shown string
}

func readSettings(env func(string) string) (settings, error) {
	s := settings{baseURL: strings.TrimSpace(env("POLAR_BASE_URL")), apiKey: env("POLAR_API_KEY"), user: strings.TrimSpace(env("POLAR_USER_ID"))}
	if s.baseURL == "" {
		if s.apiKey != "" {
			return s, errors.New("POLAR_API_KEY is set but POLAR_BASE_URL is not: the server has no default address")
		}
		if s.user == "" {
			s.user = polartest.SecondUserID
		}
	} else {
		u, err := url.Parse(s.baseURL)
		if err != nil {
			// The parser's error quotes the URL, password included.
			return s, errors.New("POLAR_BASE_URL does not parse as a URL")
		}
		if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return s, fmt.Errorf("POLAR_BASE_URL %q is not an http or https URL", u.Redacted())
		}
		s.shown = u.Redacted()
		if s.apiKey == "" {
			return s, errors.New("POLAR_API_KEY is required with POLAR_BASE_URL")
		}
		if s.user == "" {
			return s, errors.New("POLAR_USER_ID is required with POLAR_BASE_URL")
		}
	}
	if err := polar.ValidateUserID(s.user); err != nil {
		return s, fmt.Errorf("POLAR_USER_ID: %w", err)
	}
	return s, nil
}

func run(ctx context.Context, out io.Writer, env func(string) string) error {
	set, err := readSettings(env)
	if err != nil {
		return err
	}
	opts := []polar.Option{polar.WithUserAgent("polar-insights-example")}
	if set.baseURL != "" {
		opts = append(opts, polar.WithBaseURL(set.baseURL), polar.WithAPIKey(set.apiKey))
		fmt.Fprintf(out, "using the server at %s\n", set.shown)
	} else {
		srv := polartest.NewServer()
		defer srv.Close()
		opts = append(opts, polar.WithBaseURL(srv.URL), polar.WithAPIKey(polartest.APIKey))
		fmt.Fprintln(out, "using the built-in fake (set POLAR_BASE_URL, POLAR_API_KEY and POLAR_USER_ID for a real server)")
	}
	c, err := polar.New(opts...)
	if err != nil {
		return err
	}
	user := set.user

	baselines, err := c.Baselines(ctx, user)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "baselines of user %s:\n", user)
	if len(baselines) == 0 {
		fmt.Fprintln(out, "  none yet (sync data, then calculate baselines)")
	}
	for _, b := range baselines {
		line := fmt.Sprintf("  %-20s %-12s %3d samples", b.MetricName, b.Status, b.SampleCount)
		if b.BaselineValue != nil {
			line += fmt.Sprintf(", mean %.2f", *b.BaselineValue)
		}
		if b.LowerBound != nil && b.UpperBound != nil {
			line += fmt.Sprintf(", normal %.2f..%.2f", *b.LowerBound, *b.UpperBound)
		}
		fmt.Fprintln(out, line)
	}

	scan, err := c.Anomalies(ctx, user)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "anomalies: %d\n", scan.AnomalyCount)
	for _, a := range scan.Anomalies {
		line := fmt.Sprintf("  %s %s %s", a.MetricName, a.Severity, a.Direction)
		if a.CurrentValue != nil && a.BaselineValue != nil {
			line += fmt.Sprintf(": %.1f against %.1f", *a.CurrentValue, *a.BaselineValue)
		}
		if a.DeviationPercent != nil {
			line += fmt.Sprintf(" (%+.0f %%)", *a.DeviationPercent)
		}
		fmt.Fprintln(out, line)
	}

	in, err := c.Insights(ctx, user)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "insights: %s, %d days of data\n", in.Status, in.DataAgeDays)
	if in.UnlockProgress != nil {
		fmt.Fprintf(out, "  next unlock: %s in %d days\n", in.UnlockProgress.NextUnlock, in.UnlockProgress.DaysUntilNext)
	}
	for _, o := range in.Observations {
		fmt.Fprintf(out, "  [%s/%s] %s", o.Category, o.Priority, o.Fact)
		if o.Context != "" {
			fmt.Fprintf(out, " (%s)", o.Context)
		}
		fmt.Fprintln(out)
	}
	for _, s := range in.Suggestions {
		fmt.Fprintf(out, "  suggestion: %s", s.Description)
		if s.Reason != "" {
			fmt.Fprintf(out, " (%s)", s.Reason)
		}
		fmt.Fprintln(out)
	}
	return nil
}
