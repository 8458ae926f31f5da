package withings_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/wearkittest"
	"github.com/wearkit/wearkit/withings"
	"github.com/wearkit/wearkit/withings/withingstest"
)

// The OAuth2 dance, a token file, then the latest weigh-in.
func Example() {
	srv := withingstest.NewServer(withingstest.WithClock(wearkittest.NewClock(time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))))
	defer srv.Close()
	ctx := context.Background()

	cfg := &withings.Config{
		ClientID:     withingstest.ClientID,
		ClientSecret: withingstest.ClientSecret,
		RedirectURL:  withingstest.RedirectURL,
		Scopes:       []string{withings.ScopeMetrics, withings.ScopeActivity},
		Endpoint:     srv.Endpoint(),
	}
	// The user authorizes at cfg.AuthCodeURL(state) and comes back to the
	// redirect URL with a code (the fake consents at once).
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(cfg.AuthCodeURL("state-1"))
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	back, _ := url.Parse(resp.Header.Get("Location"))
	tok, err := cfg.Exchange(ctx, back.Query().Get("code"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("user", withings.UserID(tok))

	dir, _ := os.MkdirTemp("", "withings-example")
	defer os.RemoveAll(dir)
	store := wearkit.NewFileTokenStore(filepath.Join(dir, "token.json"))
	if err := store.Save(ctx, tok); err != nil {
		log.Fatal(err)
	}
	c, err := withings.New(withings.WithBaseURL(srv.URL), withings.WithTokenSource(cfg.TokenSource(ctx, store)))
	if err != nil {
		log.Fatal(err)
	}
	opts := &withings.MeasureOptions{Types: []withings.MeasureType{withings.Weight}}
	for g, err := range c.Measures(ctx, opts) {
		if err != nil {
			log.Fatal(err)
		}
		w, _ := g.Find(withings.Weight)
		fmt.Printf("%s: %.1f %s\n", g.Date.Format("2006-01-02 15:04"), w.Float(), w.Type.Unit())
		break // newest first: the latest weigh-in
	}
	// Output:
	// user 13572468
	// 2026-03-10 07:03: 72.8 kg
}

// Last night's sleep, from the sleep states of the 24 hours before noon.
func ExampleClient_Sleep() {
	noon := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	srv := withingstest.NewServer(withingstest.WithClock(wearkittest.NewClock(noon)))
	defer srv.Close()
	ctx := context.Background()
	cfg := &withings.Config{ClientID: withingstest.ClientID, ClientSecret: withingstest.ClientSecret, Endpoint: srv.Endpoint()}
	c, err := withings.New(withings.WithBaseURL(srv.URL), withings.WithTokenSource(cfg.TokenSource(ctx, wearkit.NewMemoryTokenStore(srv.Token()))))
	if err != nil {
		log.Fatal(err)
	}
	spans, err := c.Sleep(ctx, noon.Add(-24*time.Hour), noon)
	if err != nil {
		log.Fatal(err)
	}
	total := map[withings.SleepState]time.Duration{}
	for _, s := range spans {
		total[s.State] += s.End.Sub(s.Start)
	}
	fmt.Printf("in bed %s to %s\n", spans[0].Start.Format("15:04"), spans[len(spans)-1].End.Format("15:04"))
	for _, st := range []withings.SleepState{withings.LightSleep, withings.DeepSleep, withings.REMSleep, withings.Awake} {
		fmt.Printf("%s: %v\n", st, total[st].Round(time.Minute))
	}
	// Output:
	// in bed 23:18 to 06:49
	// light: 3h55m0s
	// deep: 1h44m0s
	// REM: 1h28m0s
	// awake: 23m0s
}

// A webhook: Withings checks the URL with HEAD, then posts notifications.
func ExampleWebhookHandler() {
	got := make(chan withings.Notification, 1)
	h := withings.WebhookHandler(func(ctx context.Context, n withings.Notification) {
		got <- n // fetch the data here, off the request path
	}, withings.WithWebhookSecret("s3cret"))
	// Serve it at https://your.host/withings/s3cret; here on loopback.
	mux := http.NewServeMux()
	mux.Handle("/withings/", h)
	srv := httpTestServer(mux)
	defer srv.Close()
	resp, _ := http.PostForm(srv.URL+"/withings/s3cret", url.Values{"userid": {"13572468"}, "appli": {"1"}, "startdate": {"1773100800"}, "enddate": {"1773104400"}})
	resp.Body.Close()
	n := <-got
	fmt.Println(resp.StatusCode, n.UserID, n.Appli, n.Start.Format(time.RFC3339))
	// Output:
	// 200 13572468 weight 2026-03-10T00:00:00Z
}
