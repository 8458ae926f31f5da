package hexoskin

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/wearkit/wearkit/internal/rest"
)

// Error is the error of every call that reached the network: the HTTP status,
// the API's message, a bounded excerpt of the body, the method and the URL
// with secrets removed. Match classes with errors.Is (ErrUnauthorized, ...)
// and details with errors.As.
type Error = rest.Error

// Error classes, matched with errors.Is.
var (
	// ErrUnauthorized: 401, or the "API signature failed." answer (a wrong
	// key, a wrong signature or a stale X-HEXOTIMESTAMP).
	ErrUnauthorized = rest.ErrUnauthorized
	// ErrForbidden: 403, the user may not do this.
	ErrForbidden = rest.ErrForbidden
	// ErrNotFound: 404, no such resource or not visible to the user.
	ErrNotFound = rest.ErrNotFound
	// ErrRateLimited: 429, or the local rate limiter could not grant a
	// request before the context's deadline.
	ErrRateLimited = rest.ErrRateLimited
	// ErrServer: 500 and other 5xx.
	ErrServer = rest.ErrServer
	// ErrBadRequest: 400, the data or its format is wrong.
	ErrBadRequest = errors.New("hexoskin: bad request")
	// ErrMethodNotAllowed: 405, for example DELETE or PUT on a list view or
	// POST on a detail view.
	ErrMethodNotAllowed = errors.New("hexoskin: method not allowed")
)

// SignatureFailed is the message of the API's answer to a bad or stale
// signature.
const SignatureFailed = "API signature failed."

// parseError reads Hexoskin's error answers: {"error": "..."} (the signature
// failure among them), Tastypie's {"error_message": "..."} and
// {"<field>": ["..."]} validation answers.
func parseError(status int, h http.Header, body []byte) rest.ErrorDetail {
	d := rest.DefaultErrorParser(status, h, body)
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) == nil {
		for _, k := range []string{"error", "error_message", "detail"} {
			var s string
			if json.Unmarshal(m[k], &s) == nil && s != "" {
				d.Message = s
				break
			}
		}
	}
	switch {
	case strings.Contains(d.Message, "signature failed"):
		d.Kind = ErrUnauthorized
	case status == http.StatusBadRequest:
		d.Kind = ErrBadRequest
	case status == http.StatusMethodNotAllowed:
		d.Kind = ErrMethodNotAllowed
	}
	return d
}
