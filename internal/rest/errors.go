package rest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Sentinel errors for the classes of failure callers branch on. Match them
// with errors.Is on any error the engine returns; vendor packages re-export
// them under their own names.
var (
	// ErrUnauthorized: the credentials were missing, wrong or expired (HTTP 401,
	// or a vendor's own code for it).
	ErrUnauthorized = errors.New("wearkit: unauthorized")
	// ErrForbidden: the credentials are valid but may not do this (HTTP 403).
	ErrForbidden = errors.New("wearkit: forbidden")
	// ErrNotFound: the resource does not exist (HTTP 404).
	ErrNotFound = errors.New("wearkit: not found")
	// ErrRateLimited: the vendor (HTTP 429 or a vendor code) or a local limiter
	// refused the request for now.
	ErrRateLimited = errors.New("wearkit: rate limited")
	// ErrServer: the vendor failed (HTTP 5xx).
	ErrServer = errors.New("wearkit: server error")
)

// MaxErrorBody is how much of an error answer's body the engine reads and
// keeps. The rest is never read, so a huge error body costs no memory.
const MaxErrorBody = 4 << 10

// ErrorDetail is what a vendor's error parser extracts from an error answer.
type ErrorDetail struct {
	// Code is the vendor's own error code, if it has one.
	Code string
	// Message is the vendor's human-readable explanation.
	Message string
	// Kind, when set, overrides the class derived from the HTTP status (for
	// example a vendor that answers 400 with a code meaning "token expired"
	// sets ErrUnauthorized).
	Kind error
}

// ErrorParser turns an error answer into an [ErrorDetail]. body holds at most
// [MaxErrorBody] bytes.
type ErrorParser func(status int, header http.Header, body []byte) ErrorDetail

// Error is the one error type of every vendor call that failed after the
// request was built: a non-2xx answer, a transport failure after retries, or
// a context that ended while the engine waited. Its text names the method,
// the redacted URL, the last status and the vendor's message or body, and
// never a secret.
type Error struct {
	// Method is the HTTP method of the request.
	Method string
	// URL is the request URL with every secret query value redacted.
	URL string
	// StatusCode is the last HTTP status seen, 0 when no answer came.
	StatusCode int
	// Code is the vendor's error code, if any.
	Code string
	// Message is the vendor's error message, if any.
	Message string
	// Body holds at most MaxErrorBody bytes of the last error answer, with
	// the request's secrets replaced.
	Body []byte
	// RetryAfter is the wait the vendor asked for (Retry-After), 0 if none.
	RetryAfter time.Duration
	// Attempts is how many times the request was sent.
	Attempts int
	// Kind is the class of the failure (ErrNotFound, ...), nil if none fits.
	Kind error
	// Err is the underlying transport or context error, if any. Any URL in
	// it is redacted.
	Err error
}

// Error implements error.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("wearkit: ")
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

// Unwrap returns the underlying transport or context error.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether e belongs to target's class (ErrNotFound, ...).
func (e *Error) Is(target error) bool {
	if e.Kind != nil {
		return target == e.Kind
	}
	return target != nil && target == kindOf(e.StatusCode)
}

func kindOf(status int) error {
	switch {
	case status == http.StatusUnauthorized:
		return ErrUnauthorized
	case status == http.StatusForbidden:
		return ErrForbidden
	case status == http.StatusNotFound:
		return ErrNotFound
	case status == http.StatusTooManyRequests:
		return ErrRateLimited
	case status >= 500:
		return ErrServer
	}
	return nil
}

// excerpt shortens b to at most n bytes for an error string, on one line.
func excerpt(b []byte, n int) string {
	s := string(b)
	if len(s) > n {
		s = s[:n] + "…"
	}
	return strings.Join(strings.Fields(s), " ")
}

// DefaultErrorParser reads the fields most JSON APIs use for errors: message,
// detail, error_description or a string error for the message; code,
// error_code or status_code for the code.
func DefaultErrorParser(_ int, _ http.Header, body []byte) ErrorDetail {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return ErrorDetail{}
	}
	var d ErrorDetail
	for _, k := range []string{"message", "detail", "error_description", "error"} {
		if s, ok := jsonString(m[k]); ok && s != "" {
			d.Message = s
			break
		}
	}
	for _, k := range []string{"code", "error_code", "status_code"} {
		if s, ok := jsonScalar(m[k]); ok && s != "" {
			d.Code = s
			break
		}
	}
	return d
}

func jsonString(raw json.RawMessage) (string, bool) {
	var s string
	if len(raw) == 0 || json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

func jsonScalar(raw json.RawMessage) (string, bool) {
	if s, ok := jsonString(raw); ok {
		return s, true
	}
	var n json.Number
	if len(raw) == 0 || json.Unmarshal(raw, &n) != nil {
		return "", false
	}
	return n.String(), true
}

// DecodeError reports an answer that arrived with a success status but could
// not be decoded into the caller's value.
type DecodeError struct {
	// Method and URL (redacted) of the request.
	Method, URL string
	// Err is the decoder's error.
	Err error
}

// Error implements error.
func (e *DecodeError) Error() string {
	return "wearkit: " + e.Method + " " + e.URL + ": decoding answer: " + e.Err.Error()
}

// Unwrap returns the decoder's error.
func (e *DecodeError) Unwrap() error { return e.Err }

// LimitError reports that a local rate limiter could not grant a request
// before the context's deadline. It is returned at once, without waiting.
type LimitError struct {
	// Key is the per-key limiter's key, empty for the client-wide limiter.
	Key string
	// Delay is how long the request would have had to wait.
	Delay time.Duration
}

// Error implements error.
func (e *LimitError) Error() string {
	if e.Key != "" {
		return fmt.Sprintf("wearkit: rate limit for key %q would wait %s, past the context deadline", e.Key, e.Delay.Round(time.Millisecond))
	}
	return fmt.Sprintf("wearkit: rate limit would wait %s, past the context deadline", e.Delay.Round(time.Millisecond))
}

// Is makes a LimitError match both ErrRateLimited and
// context.DeadlineExceeded.
func (e *LimitError) Is(target error) bool {
	return target == ErrRateLimited || target == context.DeadlineExceeded
}
