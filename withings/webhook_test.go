package withings_test

import (
	"bytes"
	"context"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit/withings"
)

func post(h http.Handler, path, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestWebhookHandler(t *testing.T) {
	release := make(chan struct{})
	got := make(chan withings.Notification, 1)
	h := withings.WebhookHandler(func(_ context.Context, n withings.Notification) {
		<-release // a slow callback must not hold the answer
		got <- n
	})

	for _, m := range []string{http.MethodHead, http.MethodGet} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(m, "/withings", nil))
		assert.Equal(t, http.StatusOK, w.Code, m)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodPut, "/withings", nil))
	assert.Equal(t, http.StatusMethodNotAllowed, w.Code)

	form := url.Values{"userid": {"13572468"}, "appli": {"16"}, "startdate": {"1773100800"}, "enddate": {"1773187200"},
		"date": {"2026-03-10"}, "deviceid": {"abc"}, "action": {"unlink"}}
	w = post(h, "/withings", form.Encode())
	assert.Equal(t, http.StatusOK, w.Code, "answered before the callback finished")
	close(release)
	select {
	case n := <-got:
		assert.Equal(t, withings.Notification{UserID: "13572468", Appli: withings.AppliActivity,
			Start: time.Unix(1773100800, 0).UTC(), End: time.Unix(1773187200, 0).UTC(),
			Date: withings.Date{Year: 2026, Month: time.March, Day: 10}, DeviceID: "abc", Action: "unlink"}, n)
	case <-time.After(5 * time.Second):
		t.Fatal("the callback never ran")
	}

	for body, field := range map[string]string{
		"appli=1&startdate=1":                  "userid",
		"userid=x1&appli=1":                    "userid",
		"userid=1&appli=weight":                "appli",
		"userid=1&appli=1&startdate=yesterday": "startdate",
		"userid=1&appli=1&enddate=1.5":         "enddate",
		"userid=1&appli=1&date=10/03/2026":     "date",
		"userid=1&appli=1&startdate=%zz":       "form",
	} {
		w := post(h, "/withings", body)
		assert.Equal(t, http.StatusBadRequest, w.Code, body)
		assert.Contains(t, w.Body.String(), field, body)
	}
}

func TestWebhookSecretPath(t *testing.T) {
	got := make(chan withings.Notification, 1)
	h := withings.WebhookHandler(func(_ context.Context, n withings.Notification) { got <- n }, withings.WithWebhookSecret("k3y"))
	assert.Equal(t, http.StatusNotFound, post(h, "/withings/wrong", "userid=1&appli=1").Code)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodHead, "/withings/nope", nil))
	assert.Equal(t, http.StatusNotFound, w.Code)
	assert.Equal(t, http.StatusOK, post(h, "/withings/k3y", "userid=1&appli=1").Code)
	select {
	case n := <-got:
		assert.Equal(t, "1", n.UserID)
	case <-time.After(5 * time.Second):
		t.Fatal("the callback never ran")
	}
}

// A callback that panics does not end the program (it runs in a goroutine
// of its own, out of net/http's reach): the panic is logged with the
// notification, and the next notification is handled as usual.
func TestWebhookCallbackPanicIsLoggedNotFatal(t *testing.T) {
	var buf syncBuffer
	got := make(chan string, 2)
	h := withings.WebhookHandler(func(_ context.Context, n withings.Notification) {
		if n.Appli == withings.AppliWeight {
			panic("callback bug")
		}
		got <- n.UserID
	}, withings.WithWebhookErrorLog(log.New(&buf, "", 0)), withings.WithWebhookSecret("s3cret-path"))

	assert.Equal(t, http.StatusOK, post(h, "/hook/s3cret-path", "userid=1&appli=1").Code)
	assert.Equal(t, http.StatusOK, post(h, "/hook/s3cret-path", "userid=2&appli=16").Code)
	select {
	case u := <-got:
		assert.Equal(t, "2", u)
	case <-time.After(5 * time.Second):
		t.Fatal("the second callback never ran")
	}
	require.Eventually(t, func() bool { return strings.Contains(buf.String(), "callback bug") }, 5*time.Second, 10*time.Millisecond)
	assert.Contains(t, buf.String(), "user 1, appli 1")
	assert.Contains(t, buf.String(), "goroutine", "the stack is logged")
	assert.NotContains(t, buf.String(), "s3cret-path")
}

// syncBuffer is a bytes.Buffer safe for a logger in another goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
