package wearkit

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/wearkit/wearkit/internal/hook"
)

// Response is what a call tells about its answer beyond the decoded body.
type Response struct {
	// StatusCode is the HTTP status of the last answer.
	StatusCode int
	// Header holds the last answer's headers (vendor markers such as
	// Hexoskin's X-HexoCache are read from here).
	Header http.Header
	// Attempts is how many times the request was sent.
	Attempts int
	// RateLimit holds the rate-limit figures the vendor sent, if any.
	RateLimit RateLimit
}

// RateLimit holds the figures of the X-RateLimit-Limit, -Remaining and
// -Reset headers (or their RateLimit-* twins) that some vendors send with
// every answer (the Polar flow server does).
type RateLimit struct {
	// Known reports whether the answer carried any of the headers.
	Known bool
	// Limit is the number of requests allowed in the vendor's window.
	Limit int
	// Remaining is the number of requests left in the window.
	Remaining int
	// Reset is when the window starts again; zero if not sent.
	Reset time.Time
}

// NewResponse builds the Response of an answer: its status, headers and
// rate-limit figures, sent attempts times. now dates a Reset given in
// seconds from now.
func NewResponse(status int, h http.Header, attempts int, now time.Time) *Response {
	r := &Response{StatusCode: status, Header: h, Attempts: attempts}
	r.RateLimit = parseRateLimit(h, now)
	return r
}

func parseRateLimit(h http.Header, now time.Time) RateLimit {
	var rl RateLimit
	get := func(name string) (int64, bool) {
		for _, prefix := range []string{"X-Ratelimit-", "Ratelimit-"} {
			if v := strings.TrimSpace(h.Get(prefix + name)); v != "" {
				if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
					return n, true
				}
			}
		}
		return 0, false
	}
	if n, ok := get("Limit"); ok {
		rl.Known, rl.Limit = true, int(min(n, 1<<31-1))
	}
	if n, ok := get("Remaining"); ok {
		rl.Known, rl.Remaining = true, int(min(n, 1<<31-1))
	}
	if n, ok := get("Reset"); ok {
		rl.Known = true
		// Unix seconds, or (a small number) seconds from now.
		if n > 1_000_000_000 {
			rl.Reset = time.Unix(min(n, 1<<40), 0)
		} else {
			rl.Reset = now.Add(time.Duration(n) * time.Second)
		}
	}
	return rl
}

// CaptureResponse returns a context that makes every call made with it
// store the metadata of its last answer in dst (as net/http/httptrace does
// for connections), whether the call succeeded or failed with an answer; a
// call that got no answer stores only its Attempts, StatusCode 0.
// Calls return (T, error); this is how to see status, headers and rate-limit
// figures of any of them.
func CaptureResponse(ctx context.Context, dst *Response) context.Context {
	return context.WithValue(ctx, hook.ResponseKey{}, dst)
}
