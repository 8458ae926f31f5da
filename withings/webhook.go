package withings

import (
	"context"
	"crypto/subtle"
	"fmt"
	"log"
	"net/http"
	"path"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

// Notification is what Withings posts to a callback URL: the user, the
// category and the span whose data changed. Fetch the data with the
// user's client (Measures with Start and End, Activities, ...).
type Notification struct {
	UserID string
	Appli  Appli
	// Start and End bound the changed data; zero when not sent.
	Start, End time.Time
	// Date is the day concerned (activity notifications); zero when not
	// sent.
	Date Date
	// DeviceID and Action come with some categories (bed in/out, device
	// events); "" when not sent.
	DeviceID, Action string
}

// WebhookOption configures WebhookHandler.
type WebhookOption func(*webhook)

// WithWebhookSecret makes the handler accept notifications only on a path
// whose last segment is secret (Withings does not sign notifications: a
// secret in the callback URL is how to tell them from forgeries). Other
// paths answer 404.
func WithWebhookSecret(secret string) WebhookOption {
	return func(w *webhook) { w.secret = secret }
}

// WithWebhookContext sets the context callbacks run under (default
// context.Background()); callbacks should stop when it ends.
func WithWebhookContext(ctx context.Context) WebhookOption {
	return func(w *webhook) { w.ctx = ctx }
}

// WithWebhookErrorLog sets the logger that reports a callback's panic
// (default log.Default(), as net/http reports a handler's).
func WithWebhookErrorLog(l *log.Logger) WebhookOption {
	return func(w *webhook) { w.log = l }
}

type webhook struct {
	fn     func(context.Context, Notification)
	secret string
	ctx    context.Context
	log    *log.Logger
}

// run calls fn for n. A panic in fn would end the whole program (it runs
// in a goroutine of its own, where net/http's recovery does not reach): it
// is recovered and logged with the notification, the stack included.
func (h *webhook) run(n Notification) {
	defer func() {
		if p := recover(); p != nil {
			l := h.log
			if l == nil {
				l = log.Default()
			}
			l.Printf("withings webhook: the callback panicked on the notification of user %s, appli %d: %v\n%s", n.UserID, int(n.Appli), p, debug.Stack())
		}
	}()
	h.fn(h.ctx, n)
}

// WebhookHandler returns the handler of a callback URL. It answers HEAD
// and GET with 200 (Withings checks the URL with a HEAD before it accepts
// a subscription); parses a POSTed form into a Notification, answers 200
// at once and runs fn in its own goroutine, off the request (Withings
// gives the answer 2 seconds; a panic in fn is recovered and logged, see
// WithWebhookErrorLog); answers 400 to a malformed body, naming the
// field, and 405 to other methods.
func WebhookHandler(fn func(context.Context, Notification), opts ...WebhookOption) http.Handler {
	w := &webhook{fn: fn, ctx: context.Background()}
	for _, o := range opts {
		o(w)
	}
	return w
}

func (h *webhook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.secret != "" {
		last := path.Base(r.URL.Path)
		if subtle.ConstantTimeCompare([]byte(last), []byte(h.secret)) != 1 {
			http.NotFound(w, r)
			return
		}
	}
	switch r.Method {
	case http.MethodHead, http.MethodGet:
		w.WriteHeader(http.StatusOK)
		return
	case http.MethodPost:
	default:
		w.Header().Set("Allow", "HEAD, GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "withings webhook: the body is not a form", http.StatusBadRequest)
		return
	}
	n, err := ParseNotification(r.PostForm)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusOK)
	if h.fn != nil {
		go h.run(n)
	}
}

// ParseNotification reads a notification's form fields. userid and appli
// are required; the times are Unix seconds, date is YYYY-MM-DD.
func ParseNotification(form map[string][]string) (Notification, error) {
	get := func(k string) string {
		if v := form[k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	var n Notification
	n.UserID = get("userid")
	if n.UserID == "" {
		return n, fmt.Errorf("withings webhook: field userid is missing")
	}
	if _, err := strconv.ParseUint(n.UserID, 10, 64); err != nil {
		return n, fmt.Errorf("withings webhook: field userid %q is not a number", n.UserID)
	}
	a, err := strconv.Atoi(get("appli"))
	if err != nil {
		return n, fmt.Errorf("withings webhook: field appli %q is not a number", get("appli"))
	}
	n.Appli = Appli(a)
	for _, f := range []struct {
		key string
		dst *time.Time
	}{{"startdate", &n.Start}, {"enddate", &n.End}} {
		if v := get(f.key); v != "" {
			s, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return n, fmt.Errorf("withings webhook: field %s %q is not Unix seconds", f.key, v)
			}
			*f.dst = time.Unix(s, 0).UTC()
		}
	}
	if v := get("date"); v != "" {
		d, err := ParseDate(v)
		if err != nil {
			return n, fmt.Errorf("withings webhook: field date %q is not YYYY-MM-DD", v)
		}
		n.Date = d
	}
	n.DeviceID, n.Action = get("deviceid"), get("action")
	return n, nil
}
