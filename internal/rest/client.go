package rest

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"reflect"
	"strings"
	"time"

	"github.com/google/go-querystring/query"
	"github.com/hashicorp/go-retryablehttp"
	"golang.org/x/time/rate"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/internal/hook"
	"github.com/wearkit/wearkit/internal/redact"
)

// Version is the wearkit release the engine names in its User-Agent.
const Version = "0.1.0"

// DefaultUserAgent is sent on every request unless a product is added.
const DefaultUserAgent = "wearkit/" + Version

// DefaultMaxResponseSize bounds a 2xx answer decoded as JSON unless
// Config.MaxResponseSize says otherwise. Answers streamed to an io.Writer
// or opened with Open are not bounded.
const DefaultMaxResponseSize = 64 << 20

// Config configures a Client once per vendor client.
type Config struct {
	// Vendor names the vendor ("hexoskin"); every error starts with it.
	Vendor string
	// BaseURL is the vendor's API root; request paths resolve against it.
	// A missing trailing slash is added, so "https://h/api" and
	// "https://h/api/" mean the same.
	BaseURL string
	// HTTPClient is copied, never mutated. Nil means a client with the
	// default transport's timeouts and a 30 s wait for response headers; the
	// overall time of a call is bounded by its context.
	HTTPClient *http.Client
	// UserAgent, when set, is appended after "wearkit/<version>".
	UserAgent string
	// Auth applies credentials to every attempt; nil sends none.
	Auth Authenticator
	// Limiter, when set, gates every attempt client-wide.
	Limiter *rate.Limiter
	// KeyLimiter, when set, gates every attempt of a request with a RateKey.
	KeyLimiter *KeyedLimiter
	// Retry is the retry policy; the zero value is the default.
	Retry RetryPolicy
	// Logger receives one debug record per attempt (method, host, path,
	// status, attempt, duration; never a query or a header). Nil is silent.
	Logger *slog.Logger
	// ParseError extracts the vendor's code and message from an error
	// answer. Nil means DefaultErrorParser.
	ParseError ErrorParser
	// MaxResponseSize bounds a 2xx answer decoded as JSON, in bytes; a
	// larger one fails with a *wearkit.DecodeError matching
	// wearkit.ErrTooLarge, having buffered at most this much. 0 means
	// DefaultMaxResponseSize.
	MaxResponseSize int64
}

// Client sends requests for one vendor client. It is safe for concurrent
// use.
type Client struct {
	vendor     string
	maxDecode  int64
	base       *url.URL
	userAgent  string
	auth       Authenticator
	limiter    *rate.Limiter
	keyLimiter *KeyedLimiter
	retry      RetryPolicy
	logger     *slog.Logger
	parseError ErrorParser
	rc         *retryablehttp.Client
	hc         *http.Client
}

// New validates cfg and builds a Client.
func New(cfg Config) (*Client, error) {
	base, err := url.Parse(cfg.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("base URL: %w", redact.Error(err, nil))
	}
	if base.Scheme != "http" && base.Scheme != "https" || base.Host == "" {
		return nil, fmt.Errorf("base URL %q must be an absolute http or https URL", redact.URL(base))
	}
	if cfg.MaxResponseSize < 0 {
		return nil, fmt.Errorf("maximum answer size %d is negative", cfg.MaxResponseSize)
	}
	if !strings.HasSuffix(base.Path, "/") {
		base.Path += "/"
	}
	c := &Client{
		vendor:     cfg.Vendor,
		maxDecode:  cmp.Or(cfg.MaxResponseSize, DefaultMaxResponseSize),
		base:       base,
		userAgent:  DefaultUserAgent,
		auth:       cfg.Auth,
		limiter:    cfg.Limiter,
		keyLimiter: cfg.KeyLimiter,
		logger:     cfg.Logger,
		parseError: cfg.ParseError,
	}
	if ua := strings.TrimSpace(cfg.UserAgent); ua != "" {
		c.userAgent += " " + ua
	}
	if c.retry, err = cfg.Retry.withDefaults(); err != nil {
		return nil, err
	}
	if c.parseError == nil {
		c.parseError = DefaultErrorParser
	}
	var hc http.Client
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient
	} else {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.ResponseHeaderTimeout = 30 * time.Second
		hc.Transport = t
	}
	base2 := hc.Transport
	if base2 == nil {
		base2 = http.DefaultTransport
	}
	hc.Transport = &transport{c: c, next: base2}
	c.hc = &hc
	c.rc = &retryablehttp.Client{
		HTTPClient:   c.hc,
		RetryWaitMin: c.retry.MinBackoff,
		RetryWaitMax: c.retry.MaxBackoff,
		RetryMax:     c.retry.MaxAttempts - 1,
		CheckRetry:   c.checkRetry,
		Backoff:      c.backoff,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	return c, nil
}

// BaseURL returns the API root requests resolve against.
func (c *Client) BaseURL() *url.URL { u := *c.base; return &u }

// Do sends r and decodes a 2xx answer into out: JSON into a pointer (at
// most the client's maximum answer size), or the raw body copied into an
// io.Writer; a nil out discards the body. A non-2xx answer is a
// *wearkit.Error. The answer's metadata is returned, and stored where
// wearkit.CaptureResponse asked for it.
func (c *Client) Do(ctx context.Context, r *wearkit.Request, out any) (*wearkit.Response, error) {
	if err := checkOut(out); err != nil {
		// Said before sending: a POST must not go out for an answer that
		// cannot be kept.
		// The path may carry a secret named in r.Secrets.
		sec := (&call{req: r}).secretValues()
		return nil, c.errorf("%s %s: %w", cmp.Or(r.Method, http.MethodGet), sec.Scrub(redact.URLString(r.Path)), err)
	}
	resp, meta, err := c.Open(ctx, r)
	if err != nil {
		return meta, err
	}
	defer resp.Body.Close()
	switch dst := out.(type) {
	case nil:
		_, err = io.Copy(io.Discard, resp.Body)
	case io.Writer:
		_, err = io.Copy(dst, resp.Body)
	default:
		lr := &limitedReader{r: resp.Body, n: c.maxDecode}
		dec := json.NewDecoder(lr)
		err = dec.Decode(out)
		if err == nil {
			// Trailing bytes past the value are read (and bounded) so the
			// connection is reused; what they hold is not checked.
			_, err = io.Copy(io.Discard, lr)
		}
		if lr.over {
			err = fmt.Errorf("%w: more than %d bytes", wearkit.ErrTooLarge, c.maxDecode)
		}
	}
	if err != nil {
		st := callFrom(resp.Request.Context())
		sec := st.secretValues()
		// The last hop's URL: a redirect target may carry a secret under
		// any key.
		return meta, &wearkit.DecodeError{Vendor: c.vendor, Method: resp.Request.Method, URL: sec.Scrub(redact.URL(resp.Request.URL)), Response: meta, Err: redact.Error(err, sec)}
	}
	return meta, nil
}

// checkOut accepts what Do can put an answer in: nil, an io.Writer or a
// non-nil pointer.
func checkOut(out any) error {
	switch out.(type) {
	case nil, io.Writer:
		return nil
	}
	if v := reflect.ValueOf(out); v.Kind() != reflect.Pointer || v.IsNil() {
		return fmt.Errorf("out must be a non-nil pointer, an io.Writer or nil, not %T", out)
	}
	return nil
}

// errorf makes an error of the engine's own that starts with the vendor's
// name, like every *wearkit.Error.
func (c *Client) errorf(format string, args ...any) error {
	return fmt.Errorf("%s: "+format, append([]any{cmp.Or(c.vendor, "wearkit")}, args...)...)
}

// limitedReader reads at most n bytes and then reports that more came.
type limitedReader struct {
	r    io.Reader
	n    int64
	over bool
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		var one [1]byte
		if k, _ := io.ReadFull(l.r, one[:]); k > 0 {
			l.over = true
			return 0, wearkit.ErrTooLarge
		}
		return 0, io.EOF
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	k, err := l.r.Read(p)
	l.n -= int64(k)
	return k, err
}

// Open sends r and returns the 2xx answer with its body unread, for callers
// that stream it (binary downloads). The caller must close the body. A
// non-2xx answer is an *Error and its body is already closed.
func (c *Client) Open(ctx context.Context, r *wearkit.Request) (*http.Response, *wearkit.Response, error) {
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	u, err := c.resolve(r)
	if err != nil {
		return nil, nil, c.errorf("%s: %w", method, redact.Error(err, (&call{req: r}).secretValues()))
	}
	st := &call{rateKey: r.RateKey, retryable: r.Safe || idempotent(method), req: r, url: u}
	body, contentType, err := encodeBody(r)
	if err != nil {
		sec := st.secretValues()
		return nil, nil, c.errorf("%s %s: encoding body: %w", method, sec.Scrub(redact.URL(u)), redact.Error(err, sec))
	}
	ctx = context.WithValue(ctx, callKey{}, st)
	if !st.retryable {
		ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteHeaders: func() { st.wrote.Store(true) }})
	}
	var raw any // a nil []byte would still be a (probed, empty) body
	if body != nil {
		raw = body
	}
	rreq, err := retryablehttp.NewRequestWithContext(ctx, method, u.String(), raw)
	if err != nil {
		sec := st.secretValues()
		return nil, nil, c.errorf("%s %s: %w", method, sec.Scrub(redact.URL(u)), redact.Error(err, sec))
	}
	h := rreq.Header
	h.Set("User-Agent", c.userAgent)
	h.Set("Accept", "application/json")
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	for k, vs := range r.Header {
		h[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}

	resp, err := c.rc.Do(rreq)
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		e := c.failure(method, u, st, nil, err)
		if e.Response != nil {
			capture(ctx, e.Response)
		} else {
			// No answer: say so, rather than leave an earlier call's
			// answer where the caller looks.
			capture(ctx, &wearkit.Response{Attempts: e.Attempts})
		}
		return nil, e.Response, e
	}
	meta := wearkit.NewResponse(resp.StatusCode, resp.Header, max(st.attempts, 1), time.Now())
	capture(ctx, meta)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		defer resp.Body.Close()
		return nil, meta, c.failure(method, u, st, resp, nil)
	}
	return resp, meta, nil
}

// capture stores meta where wearkit.CaptureResponse asked for it.
func capture(ctx context.Context, meta *wearkit.Response) {
	if dst, ok := ctx.Value(hook.ResponseKey{}).(*wearkit.Response); ok && dst != nil && meta != nil {
		*dst = *meta
	}
}

// errorPeek is how much of an error answer is read: MaxErrorBody is kept,
// the rest lets a secret straddling the cut be recognised and scrubbed
// before the cut is made.
const errorPeek = wearkit.MaxErrorBody + 16<<10

// failure builds the *wearkit.Error for a call that ended without a 2xx
// answer.
func (c *Client) failure(method string, u *url.URL, st *call, resp *http.Response, err error) *wearkit.Error {
	sec := st.secretValues()
	// Scrubbed too: Request.Secrets may name a value the path carries.
	e := &wearkit.Error{Vendor: c.vendor, Method: method, URL: sec.Scrub(redact.URL(u)), Attempts: max(st.attempts, 1)}
	if err != nil {
		e.Err = redact.Error(err, sec)
	}
	status, header, body := st.status, st.header, st.body
	if resp != nil {
		status, header = resp.StatusCode, resp.Header
		body, _ = io.ReadAll(io.LimitReader(resp.Body, errorPeek))
	}
	if status == 0 {
		return e
	}
	e.Response = wearkit.NewResponse(status, header, e.Attempts, time.Now())
	if status >= 200 && status < 300 {
		return e
	}
	e.StatusCode = status
	e.Body = []byte(sec.Truncate(string(body), wearkit.MaxErrorBody))
	d := c.parseError(status, header, body)
	// The parser read the whole peek: its message is cut like the body.
	e.Code, e.Message, e.Kind = sec.Truncate(d.Code, wearkit.MaxErrorBody), sec.Truncate(d.Message, wearkit.MaxErrorBody), d.Kind
	if ra, ok := ParseRetryAfter(header.Get("Retry-After"), time.Now()); ok {
		e.RetryAfter = ra
	} else if d.RetryAfter > 0 {
		e.RetryAfter = d.RetryAfter
	}
	return e
}

func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete, http.MethodTrace:
		return true
	}
	return false
}

// resolve builds the request URL from the base, the path and the query.
func (c *Client) resolve(r *wearkit.Request) (*url.URL, error) {
	ref, err := url.Parse(r.Path)
	if err != nil {
		return nil, fmt.Errorf("path %q: %w", redact.URLString(r.Path), redact.Error(err, nil))
	}
	u := c.base.ResolveReference(ref)
	if r.Query == nil {
		return u, nil
	}
	var extra url.Values
	switch q := r.Query.(type) {
	case url.Values:
		extra = q
	case map[string][]string:
		extra = q
	default:
		extra, err = query.Values(q)
		if err != nil {
			return nil, fmt.Errorf("encoding query for %s: %w", u.Path, err)
		}
	}
	if len(extra) == 0 {
		return u, nil
	}
	if u.RawQuery == "" {
		u.RawQuery = extra.Encode()
		return u, nil
	}
	merged := u.Query()
	for k, vs := range extra {
		merged[k] = append(merged[k], vs...)
	}
	u.RawQuery = merged.Encode()
	return u, nil
}

// encodeBody returns the bytes sent on every attempt (identical each time)
// and their content type.
func encodeBody(r *wearkit.Request) ([]byte, string, error) {
	switch {
	case r.Body != nil:
		b, err := json.Marshal(r.Body)
		return b, firstNonEmpty(r.ContentType, "application/json"), err
	case r.Form != nil:
		return []byte(r.Form.Encode()), firstNonEmpty(r.ContentType, "application/x-www-form-urlencoded"), nil
	case r.RawBody != nil:
		return r.RawBody, r.ContentType, nil
	}
	return nil, "", nil
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// transport sits under retryablehttp: it runs once per attempt and once per
// redirect hop.
type transport struct {
	c    *Client
	next http.RoundTripper
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	st := callFrom(ctx)
	// Wait first, then sign: a signature or token made before a long
	// limiter wait would be as old as the wait.
	if err := waitLimiter(ctx, t.c.limiter, ""); err != nil {
		return nil, err
	}
	if st != nil && st.rateKey != "" && t.c.keyLimiter != nil {
		if err := t.c.keyLimiter.Wait(ctx, st.rateKey); err != nil {
			return nil, err
		}
	}
	out := req.Clone(ctx)
	if sameOrigin(out.URL, firstRequest(req).URL) && sameOrigin(out.URL, t.c.base) {
		if t.c.auth != nil {
			if err := t.c.auth.Authenticate(out); err != nil {
				var ae *wearkit.AuthError
				if !errors.As(err, &ae) {
					err = &wearkit.AuthError{Err: err}
				}
				return nil, err
			}
		}
	} else {
		// Off the vendor's host (a redirect, a presigned link): no
		// credentials leave, whatever the headers copied along, and no
		// Referer, which net/http fills with the previous URL, query and
		// its secrets included.
		for k := range out.Header {
			if redact.IsSensitiveHeader(k) {
				out.Header.Del(k)
			}
		}
		out.Header.Del("Referer")
	}
	if st != nil {
		st.sent = append(st.sent, out)
	}
	start := time.Now()
	resp, err := t.next.RoundTrip(out)
	if resp != nil && resp.Request == nil {
		// net/http's transports set it; a hand-written RoundTripper may
		// not, and the retry hooks and decode errors read it.
		resp.Request = out
	}
	if t.c.logger != nil {
		t.log(ctx, out, st, resp, err, time.Since(start))
	}
	return resp, err
}

func (t *transport) log(ctx context.Context, req *http.Request, st *call, resp *http.Response, err error, d time.Duration) {
	path := req.URL.Path
	if st != nil && (st.url != nil && path != st.url.Path || st.req != nil && len(st.req.Secrets) > 0) {
		// A redirect hop: its path is the server's, and may carry what the
		// first hop sent; or a path carrying a value the caller named in
		// Request.Secrets.
		path = st.secretValues().Scrub(path)
	}
	attrs := []slog.Attr{
		slog.String("method", req.Method),
		slog.String("host", req.URL.Host),
		slog.String("path", path),
		slog.Duration("duration", d),
	}
	if st != nil {
		attrs = append(attrs, slog.Int("attempt", st.attempts+1))
	}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", redact.Error(err, st.secretValues()).Error()))
	}
	t.c.logger.LogAttrs(ctx, slog.LevelDebug, "wearkit http attempt", attrs...)
}

// firstRequest walks a redirect chain back to the request the caller made.
func firstRequest(req *http.Request) *http.Request {
	for req.Response != nil && req.Response.Request != nil {
		req = req.Response.Request
	}
	return req
}

// sameOrigin compares scheme, host and port (a missing port is the
// scheme's default).
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) &&
		strings.EqualFold(a.Hostname(), b.Hostname()) &&
		portOf(a) == portOf(b)
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}
