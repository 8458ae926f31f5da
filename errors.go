package wearkit

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wearkit/wearkit/internal/redact"
)

// Error classes, matched with errors.Is on any error a client returns.
var (
	// ErrUnauthorized: the credentials were missing, wrong or expired (HTTP
	// 401, a vendor's own code for it, or a token that could not be
	// refreshed).
	ErrUnauthorized = errors.New("wearkit: unauthorized")
	// ErrForbidden: the credentials are valid but may not do this (HTTP 403).
	ErrForbidden = errors.New("wearkit: forbidden")
	// ErrNotFound: the resource does not exist or is not visible (HTTP 404).
	ErrNotFound = errors.New("wearkit: not found")
	// ErrBadRequest: the vendor refused the request's data or format (HTTP
	// 400 or 422, or a vendor's own code for it).
	ErrBadRequest = errors.New("wearkit: bad request")
	// ErrRateLimited: the vendor (HTTP 429 or a vendor code) or a local
	// limiter refused the request for now.
	ErrRateLimited = errors.New("wearkit: rate limited")
	// ErrServer: the vendor failed (HTTP 5xx).
	ErrServer = errors.New("wearkit: server error")
	// ErrTooLarge: an answer was larger than the client's maximum answer
	// size (see each client's WithMaxResponseSize).
	ErrTooLarge = errors.New("wearkit: answer too large")
)

// MaxErrorBody is how much of an error answer's body an Error keeps. The
// rest is never read, so a huge error body costs no memory.
const MaxErrorBody = 4 << 10

// Error is the error of every call that failed after its request was built:
// a non-2xx answer, a transport failure after retries, or a context that
// ended while the client waited. Its text starts with the vendor's name and
// names the method, the redacted URL, the last status and the vendor's
// message or body, and never a secret.
type Error struct {
	// Vendor is the client's name ("hexoskin", "withings", ...), the first
	// word of the error's text.
	Vendor string
	// Method is the HTTP method of the request.
	Method string
	// URL is the request URL with every secret query value and any user
	// information replaced by REDACTED.
	URL string
	// StatusCode is the last HTTP status seen, 0 when no answer came.
	StatusCode int
	// Code is the vendor's own error code, if it sent one.
	Code string
	// Message is the vendor's error message, if it sent one, with the
	// request's secrets replaced.
	Message string
	// Body holds at most MaxErrorBody bytes of the last error answer, with
	// the request's secrets replaced.
	Body []byte
	// RetryAfter is the wait the vendor asked for (Retry-After), 0 if none.
	RetryAfter time.Duration
	// Attempts is how many times the request was sent.
	Attempts int
	// Kind is the class of the failure (ErrNotFound, ...), nil if none
	// fits; errors.Is matches it.
	Kind error
	// Response is the metadata of the last answer, nil when none came.
	Response *Response
	// Err is the underlying transport, credential or context error, if any,
	// with its URLs redacted and its secrets scrubbed.
	Err error
}

// Error implements error.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(vendorName(e.Vendor))
	b.WriteString(": ")
	b.WriteString(e.Method)
	b.WriteByte(' ')
	b.WriteString(e.URL)
	b.WriteString(": ")
	if e.Err != nil {
		// The method and URL are said already: print a *url.Error's cause.
		cause := e.Err
		var ue *url.Error
		if errors.As(cause, &ue) && ue.Err != nil {
			cause = ue.Err
		}
		b.WriteString(cause.Error())
		if e.StatusCode != 0 {
			b.WriteString("; last answer ")
		}
	}
	if e.StatusCode != 0 {
		b.WriteString(strconv.Itoa(e.StatusCode))
		if t := http.StatusText(e.StatusCode); t != "" {
			b.WriteByte(' ')
			b.WriteString(t)
		}
		if e.Code != "" {
			fmt.Fprintf(&b, " (code %s)", e.Code)
		}
		switch {
		case e.Message != "":
			b.WriteString(": ")
			b.WriteString(e.Message)
		case len(e.Body) > 0:
			b.WriteString(": ")
			b.WriteString(excerpt(e.Body, 512))
		}
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	return b.String()
}

// Unwrap returns the underlying transport, credential or context error.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether e belongs to target's class (ErrNotFound, ...).
func (e *Error) Is(target error) bool {
	if target == nil {
		return false
	}
	if e.Kind != nil {
		return target == e.Kind
	}
	return target == ClassOf(e.StatusCode)
}

// ClassOf returns the error class of an HTTP status: ErrUnauthorized for
// 401, ErrForbidden for 403, ErrNotFound for 404, ErrBadRequest for 400 and
// 422, ErrRateLimited for 429, ErrServer for 5xx, nil otherwise.
func ClassOf(status int) error {
	switch {
	case status == http.StatusUnauthorized:
		return ErrUnauthorized
	case status == http.StatusForbidden:
		return ErrForbidden
	case status == http.StatusNotFound:
		return ErrNotFound
	case status == http.StatusBadRequest, status == http.StatusUnprocessableEntity:
		return ErrBadRequest
	case status == http.StatusTooManyRequests:
		return ErrRateLimited
	case status >= 500:
		return ErrServer
	}
	return nil
}

func vendorName(v string) string {
	if v == "" {
		return "wearkit"
	}
	return v
}

// excerpt shortens b to at most n bytes for an error string, on one line,
// never cutting a character in two.
func excerpt(b []byte, n int) string {
	s := string(b)
	if len(s) > n {
		s = redact.CutUTF8(s, n) + "…"
	}
	return strings.Join(strings.Fields(s), " ")
}

// DecodeError reports an answer that arrived with a success status but could
// not be decoded into the caller's value (or was larger than allowed).
type DecodeError struct {
	// Vendor is the client's name, the first word of the error's text.
	Vendor string
	// Method and URL (redacted) of the request.
	Method, URL string
	// Response is the metadata of the answer.
	Response *Response
	// Err is the decoder's error.
	Err error
}

// Error implements error.
func (e *DecodeError) Error() string {
	return vendorName(e.Vendor) + ": " + e.Method + " " + e.URL + ": decoding answer: " + e.Err.Error()
}

// Unwrap returns the decoder's error.
func (e *DecodeError) Unwrap() error { return e.Err }

// LimitError reports that a local rate limiter could not grant a request
// before the context's deadline. It is returned at once, without waiting.
type LimitError struct {
	// Key is the per-key limiter's key (a patient id, ...), empty for the
	// client-wide limiter.
	Key string
	// Delay is how long the request would have had to wait.
	Delay time.Duration
}

// Error implements error.
func (e *LimitError) Error() string {
	if e.Key != "" {
		return fmt.Sprintf("rate limit for key %q would wait %s, past the context deadline", e.Key, e.Delay.Round(time.Millisecond))
	}
	return fmt.Sprintf("rate limit would wait %s, past the context deadline", e.Delay.Round(time.Millisecond))
}

// Is makes a LimitError match both ErrRateLimited and
// context.DeadlineExceeded.
func (e *LimitError) Is(target error) bool {
	return target == ErrRateLimited || target == context.DeadlineExceeded
}

// AuthError reports that credentials could not be applied to a request (a
// token refresh failed, a token store could not be read). It is not retried.
type AuthError struct {
	// Err is the cause, with its secrets scrubbed.
	Err error
}

// Error implements error.
func (e *AuthError) Error() string { return "applying credentials: " + e.Err.Error() }

// Unwrap returns the cause.
func (e *AuthError) Unwrap() error { return e.Err }

// Is makes an AuthError match ErrUnauthorized, unless the cause is the
// caller's own context ending.
func (e *AuthError) Is(target error) bool {
	if target != ErrUnauthorized {
		return false
	}
	return !errors.Is(e.Err, context.Canceled) && !errors.Is(e.Err, context.DeadlineExceeded)
}
