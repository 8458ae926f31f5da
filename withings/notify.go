package withings

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wearkit/wearkit"
)

// Appli is a notification category (notify "appli"). It is open: an
// unknown category decodes to its number, and its String says so.
type Appli int

// Notification categories, with the scope each needs.
const (
	AppliWeight        Appli = 1   // user.metrics
	AppliTemperature   Appli = 2   // user.metrics
	AppliBloodPressure Appli = 4   // user.metrics
	AppliActivity      Appli = 16  // user.activity
	AppliSleep         Appli = 44  // user.activity
	AppliUser          Appli = 46  // user.info
	AppliBedIn         Appli = 50  // user.sleepevents
	AppliBedOut        Appli = 51  // user.sleepevents
	AppliInflated      Appli = 52  // user.sleepevents
	AppliDeviceNoUser  Appli = 53  // user.info
	AppliECG           Appli = 54  // user.metrics
	AppliECGFailed     Appli = 55  // user.metrics
	AppliGlucose       Appli = 58  // user.metrics
	AppliSurvey        Appli = 60  // user.info
	AppliStethoscope   Appli = 61  // user.metrics
	AppliHRV           Appli = 62  // user.metrics
	AppliBedOccupied   Appli = 98  // user.sleepevents
	AppliBedEmpty      Appli = 99  // user.sleepevents
	AppliBedInOut      Appli = 100 // user.sleepevents
)

var appliNames = map[Appli]string{
	AppliWeight: "weight", AppliTemperature: "temperature", AppliBloodPressure: "blood pressure", AppliActivity: "activity",
	AppliSleep: "sleep", AppliUser: "user profile", AppliBedIn: "bed in", AppliBedOut: "bed out", AppliInflated: "sleep sensor inflated",
	AppliDeviceNoUser: "device set up without user", AppliECG: "ECG", AppliECGFailed: "ECG failed", AppliGlucose: "glucose",
	AppliSurvey: "survey answered", AppliStethoscope: "stethoscope", AppliHRV: "HRV", AppliBedOccupied: "bed occupied",
	AppliBedEmpty: "bed empty", AppliBedInOut: "bed in/out",
}

// String names the category, or says it is unknown.
func (a Appli) String() string {
	if n, ok := appliNames[a]; ok {
		return n
	}
	return fmt.Sprintf("unknown notification category %d", int(a))
}

// MaxCallbackURL is the longest callback URL Withings accepts.
const MaxCallbackURL = 255

// CheckCallbackURL checks a callback URL against Withings' rules before it
// is sent: HTTPS, port 443, a host name (no IP address, not localhost), at
// most MaxCallbackURL characters. Withings also sends a HEAD request to it
// and refuses (status 293) unless it answers 2xx: WebhookHandler does.
func CheckCallbackURL(raw string) error {
	if len(raw) > MaxCallbackURL {
		return fmt.Errorf("withings: callback URL: %d characters, at most %d", len(raw), MaxCallbackURL)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("withings: callback URL: not a URL")
	}
	if u.Scheme != "https" {
		return fmt.Errorf("withings: callback URL: scheme %q, must be https", u.Scheme)
	}
	host := u.Hostname()
	if host == "" {
		return errors.New("withings: callback URL: no host")
	}
	if p := u.Port(); p != "" && p != "443" {
		return fmt.Errorf("withings: callback URL: port %s, must be 443", p)
	}
	if net.ParseIP(host) != nil {
		return fmt.Errorf("withings: callback URL: host %s is an IP address, must be a name", host)
	}
	if h := strings.ToLower(strings.TrimSuffix(host, ".")); h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return fmt.Errorf("withings: callback URL: host %s is localhost", host)
	}
	if u.User != nil {
		return errors.New("withings: callback URL: must not carry a user name or password")
	}
	return nil
}

// Subscription is one notification subscription.
type Subscription struct {
	CallbackURL string
	Appli       Appli
	Comment     string
	// Expires is when Withings drops the subscription; zero if not said.
	Expires time.Time
}

type subscriptionWire struct {
	CallbackURL string `json:"callbackurl"`
	Appli       Appli  `json:"appli"`
	Comment     string `json:"comment"`
	Expires     epoch  `json:"expires"`
}

func (w subscriptionWire) public() Subscription {
	return Subscription{CallbackURL: w.CallbackURL, Appli: w.Appli, Comment: w.Comment, Expires: w.Expires.time()}
}

type notifyQuery struct {
	Action      string `url:"action"`
	CallbackURL string `url:"callbackurl,omitempty"`
	Appli       int    `url:"appli,omitempty"`
}

func (q notifyQuery) action() string { return q.Action }

// Subscriptions lists the user's subscriptions (notify list), those of
// one category if appli is not 0.
func (c *Client) Subscriptions(ctx context.Context, appli Appli) ([]Subscription, error) {
	var body struct {
		Profiles []subscriptionWire `json:"profiles"`
	}
	if _, err := c.do(ctx, &wearkit.Request{Path: "notify", Query: notifyQuery{Action: "list", Appli: int(appli)}}, &body); err != nil {
		return nil, err
	}
	out := make([]Subscription, len(body.Profiles))
	for i, p := range body.Profiles {
		out[i] = p.public()
	}
	return out, nil
}

// Subscription returns the subscription of callbackURL and appli (notify
// get); an unknown one matches wearkit.ErrNotFound (status 286 or 343).
func (c *Client) Subscription(ctx context.Context, callbackURL string, appli Appli) (*Subscription, error) {
	var body subscriptionWire
	if _, err := c.do(ctx, &wearkit.Request{Path: "notify", Query: notifyQuery{Action: "get", CallbackURL: callbackURL, Appli: int(appli)}}, &body); err != nil {
		return nil, err
	}
	s := body.public()
	return &s, nil
}

// Subscribe subscribes callbackURL to the user's notifications of appli.
// It is safe to repeat: it lists the subscriptions first and does nothing
// when this one exists. The URL is checked (CheckCallbackURL) before it is
// sent; Withings then sends it a HEAD request, and answers status 293 when
// that fails. Calls that change subscriptions are spaced (WithNotifySpacing).
func (c *Client) Subscribe(ctx context.Context, callbackURL string, appli Appli, comment string) error {
	if err := CheckCallbackURL(callbackURL); err != nil {
		return err
	}
	if appli <= 0 {
		return fmt.Errorf("withings: Subscribe: appli %d is not a category", int(appli))
	}
	subs, err := c.Subscriptions(ctx, appli)
	if err != nil {
		return err
	}
	for _, s := range subs {
		if s.CallbackURL == callbackURL && s.Appli == appli {
			return nil
		}
	}
	if comment == "" {
		comment = "wearkit"
	}
	return c.notifyWrite(ctx, url.Values{"action": {"subscribe"}, "callbackurl": {callbackURL}, "appli": {strconv.Itoa(int(appli))}, "comment": {comment}})
}

// UpdateSubscription moves a subscription to newURL and newAppli (notify
// update).
func (c *Client) UpdateSubscription(ctx context.Context, callbackURL string, appli Appli, newURL string, newAppli Appli, comment string) error {
	if err := CheckCallbackURL(newURL); err != nil {
		return err
	}
	f := url.Values{"action": {"update"}, "callbackurl": {callbackURL}, "appli": {strconv.Itoa(int(appli))},
		"new_callbackurl": {newURL}, "new_appli": {strconv.Itoa(int(newAppli))}}
	if comment != "" {
		f.Set("comment", comment)
	}
	return c.notifyWrite(ctx, f)
}

// Revoke ends the subscription of callbackURL to appli (notify revoke).
// Revoking one that does not exist matches wearkit.ErrNotFound.
func (c *Client) Revoke(ctx context.Context, callbackURL string, appli Appli) error {
	return c.notifyWrite(ctx, url.Values{"action": {"revoke"}, "callbackurl": {callbackURL}, "appli": {strconv.Itoa(int(appli))}})
}

// notifyWrite sends a subscription change, spaced from the previous one.
// It is marked safe to repeat: Withings keys subscriptions by URL and
// category, so a second identical call changes nothing.
func (c *Client) notifyWrite(ctx context.Context, form url.Values) error {
	if err := c.space(ctx); err != nil {
		return err
	}
	_, err := c.do(ctx, &wearkit.Request{Method: http.MethodPost, Path: "notify", Form: form, Safe: true}, nil)
	return err
}

// space waits until notifySpacing has passed since the last subscription
// change, or ctx ends.
func (c *Client) space(ctx context.Context) error {
	c.notifyMu.Lock()
	defer c.notifyMu.Unlock()
	if wait := time.Until(c.notifyLast.Add(c.notifySpacing)); wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return fmt.Errorf("withings: waiting between notify calls: %w", ctx.Err())
		case <-t.C:
		}
	}
	c.notifyLast = time.Now()
	return nil
}
