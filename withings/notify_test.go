package withings_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/withings"
	"github.com/wearkit/wearkit/withings/withingstest"
)

const hookURL = "https://hooks.example.com/withings/s3cret"

// hookServer serves a webhook handler with a secret path on loopback and
// returns the notifications it hands over.
func hookServer(t *testing.T) (*httptest.Server, <-chan withings.Notification) {
	got := make(chan withings.Notification, 8)
	h := withings.WebhookHandler(func(_ context.Context, n withings.Notification) { got <- n }, withings.WithWebhookSecret("s3cret"))
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	return hs, got
}

// toLocal maps the public callback URL to the loopback server.
func toLocal(hs *httptest.Server) func(string) string {
	return func(cb string) string {
		u, _ := url.Parse(cb)
		return hs.URL + u.Path
	}
}

func TestSubscribeListGetUpdateRevoke(t *testing.T) {
	hs, got := hookServer(t)
	srv := withingstest.New(t, withingstest.WithClock(fixedClock()), withingstest.WithCallbackTarget(toLocal(hs)))
	c, _ := newClient(t, srv)
	ctx := context.Background()

	require.NoError(t, c.Subscribe(ctx, hookURL, withings.AppliWeight, "scale"))
	require.NoError(t, c.Subscribe(ctx, hookURL, withings.AppliWeight, "scale"), "safe to repeat")
	assert.Equal(t, 1, srv.Subscribes(), "the repeat listed first and sent nothing")
	assert.Equal(t, 1, srv.Log.Count("POST", "/notify"))
	assert.Equal(t, url.Values{"action": {"subscribe"}, "callbackurl": {hookURL}, "appli": {"1"}, "comment": {"scale"}}, lastForm(srv))
	assert.Equal(t, map[string]string{"action": "list", "appli": "1"}, queries(srv, "/notify")[0], "listed first")

	subs, err := c.Subscriptions(ctx, 0)
	require.NoError(t, err)
	require.Len(t, subs, 1)
	assert.Equal(t, withings.Subscription{CallbackURL: hookURL, Appli: withings.AppliWeight, Comment: "scale", Expires: time.Unix(2147483647, 0).UTC()}, subs[0])
	one, err := c.Subscription(ctx, hookURL, withings.AppliWeight)
	require.NoError(t, err)
	q := queries(srv, "/notify")
	assert.Equal(t, map[string]string{"action": "get", "callbackurl": hookURL, "appli": "1"}, q[len(q)-1])
	assert.Equal(t, "scale", one.Comment)

	// Withings posts a notification; the handler hands it over.
	n, err := srv.Notify(ctx, 1, fixedNow.Add(-time.Hour), fixedNow)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	select {
	case note := <-got:
		assert.Equal(t, withingstest.UserID, note.UserID)
		assert.Equal(t, withings.AppliWeight, note.Appli)
		assert.Equal(t, fixedNow.Add(-time.Hour), note.Start)
		assert.Equal(t, fixedNow, note.End)
	case <-time.After(5 * time.Second):
		t.Fatal("no notification")
	}

	moved := "https://hooks.example.com/withings2/s3cret"
	require.NoError(t, c.UpdateSubscription(ctx, hookURL, withings.AppliWeight, moved, withings.AppliSleep, ""))
	assert.Equal(t, url.Values{"action": {"update"}, "callbackurl": {hookURL}, "appli": {"1"}, "new_callbackurl": {moved}, "new_appli": {"44"}}, lastForm(srv))
	_, err = c.Subscription(ctx, hookURL, withings.AppliWeight)
	require.ErrorIs(t, err, wearkit.ErrNotFound)
	require.NoError(t, c.Revoke(ctx, moved, withings.AppliSleep))
	assert.Equal(t, url.Values{"action": {"revoke"}, "callbackurl": {moved}, "appli": {"44"}}, lastForm(srv))
	err = c.Revoke(ctx, moved, withings.AppliSleep)
	require.ErrorIs(t, err, wearkit.ErrNotFound)
	assert.Contains(t, err.Error(), "286")
}

func TestSubscribeChecksCallbackURL(t *testing.T) {
	srv := withingstest.New(t)
	c, _ := newClient(t, srv)
	for url, want := range map[string]string{
		"http://hooks.example.com/w":                            "https",
		"https://203.0.113.5/w":                                 "IP address",
		"https://localhost/w":                                   "localhost",
		"https://hooks.example.com:8443/w":                      "port 8443",
		"https://hooks.example.com/" + strings.Repeat("a", 250): "characters",
		"https://user:pw@hooks.example.com/w":                   "user name",
	} {
		err := c.Subscribe(context.Background(), url, withings.AppliWeight, "")
		require.ErrorContains(t, err, want, url)
		assert.True(t, strings.HasPrefix(err.Error(), "withings: callback URL"), err.Error())
	}
	assert.Equal(t, 0, srv.Log.Len(), "nothing sent")
	require.NoError(t, withings.CheckCallbackURL("https://hooks.example.com:443/w?x=1"))
}

// A callback that fails Withings' HEAD check: status 293, explained.
func TestSubscribeHeadCheckFails(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(dead.Close)
	srv := withingstest.New(t, withingstest.WithCallbackTarget(func(string) string { return dead.URL }))
	c, _ := newClient(t, srv)
	err := c.Subscribe(context.Background(), hookURL, withings.AppliWeight, "")
	require.ErrorIs(t, err, wearkit.ErrBadRequest)
	assert.Contains(t, err.Error(), "(code 293)")
	assert.Contains(t, err.Error(), "HEAD")
}

func TestNotifySpacing(t *testing.T) {
	hs, _ := hookServer(t)
	srv := withingstest.New(t, withingstest.WithCallbackTarget(toLocal(hs)))
	c, _ := newClient(t, srv, withings.WithNotifySpacing(150*time.Millisecond))
	start := time.Now()
	require.NoError(t, c.Subscribe(context.Background(), hookURL, withings.AppliWeight, ""))
	require.NoError(t, c.Revoke(context.Background(), hookURL, withings.AppliWeight))
	assert.GreaterOrEqual(t, time.Since(start), 150*time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	require.ErrorIs(t, c.Revoke(ctx, hookURL, withings.AppliWeight), context.DeadlineExceeded)
}

// lastForm is the form of the last POST to /notify.
func lastForm(srv *withingstest.Server) url.Values {
	var posted url.Values
	for _, e := range srv.Log.Entries() {
		if e.Method == "POST" && e.Path == "/notify" {
			posted, _ = url.ParseQuery(string(e.Body))
		}
	}
	return posted
}
