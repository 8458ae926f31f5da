package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/wearkittest"
	"github.com/wearkit/wearkit/withings"
	"github.com/wearkit/wearkit/withings/withingstest"
)

// withingsSection runs the Withings OAuth2 dance against the fake, keeps
// the token in a memory store, and prints the latest weigh-in, last
// night's sleep and a week of steps.
func withingsSection(ctx context.Context, out io.Writer) error {
	noon := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	srv := withingstest.NewServer(withingstest.WithClock(wearkittest.NewClock(noon)))
	defer srv.Close()
	fmt.Fprintf(out, "fake Withings at %s\n", srv.URL)

	cfg := &withings.Config{
		ClientID: withingstest.ClientID, ClientSecret: withingstest.ClientSecret, RedirectURL: withingstest.RedirectURL,
		Scopes: []string{withings.ScopeMetrics, withings.ScopeActivity}, Endpoint: srv.Endpoint(),
	}
	code, err := fakeConsent(ctx, cfg)
	if err != nil {
		return err
	}
	tok, err := cfg.Exchange(ctx, code)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "user %s authorized; access token valid for %v\n", withings.UserID(tok), time.Until(tok.Expiry).Round(time.Hour))
	store := wearkit.NewMemoryTokenStore(tok)
	c, err := withings.New(withings.WithBaseURL(srv.URL), withings.WithTokenSource(cfg.TokenSource(ctx, store)))
	if err != nil {
		return err
	}

	for g, err := range c.Measures(ctx, &withings.MeasureOptions{Types: []withings.MeasureType{withings.Weight, withings.FatRatio}}) {
		if err != nil {
			return err
		}
		w, _ := g.Find(withings.Weight)
		f, _ := g.Find(withings.FatRatio)
		fmt.Fprintf(out, "latest weigh-in %s: %.1f kg, %.1f %% fat\n", g.Date.Format("2006-01-02 15:04"), w.Float(), f.Float())
		break
	}
	today := withings.DateOf(noon)
	for n, err := range c.SleepSummaries(ctx, &withings.SleepSummaryOptions{Start: today, End: today}) {
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "last night: %s to %s, %v asleep (deep %v, REM %v), score %d\n",
			n.Start.Format("15:04"), n.End.Format("15:04"), n.Data.Asleep().Round(time.Minute),
			n.Data.Deep.Round(time.Minute), n.Data.REM.Round(time.Minute), n.Data.Score)
	}
	steps, days := 0, 0
	for a, err := range c.Activities(ctx, &withings.ActivityOptions{Start: today.AddDays(-7), End: today.AddDays(-1)}) {
		if err != nil {
			return err
		}
		steps += a.Steps
		days++
	}
	fmt.Fprintf(out, "steps: %d a day over the last %d days\n", steps/max(days, 1), days)
	return nil
}

// fakeConsent plays the user on the fake's authorization page, which
// consents at once, and returns the code of the redirect.
func fakeConsent(ctx context.Context, cfg *withings.Config) (string, error) {
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, cfg.AuthCodeURL("quickstart"), nil)
	if err != nil {
		return "", err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	back, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || back.Query().Get("code") == "" {
		return "", fmt.Errorf("withings: the authorization page answered %s without a code", resp.Status)
	}
	return back.Query().Get("code"), nil
}
