package rest

import (
	"encoding/json"
	"net/http"
	"time"
)

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
	// RetryAfter is a wait the vendor asked for in the body rather than in
	// a Retry-After header (the Polar flow server's 429). The engine
	// honours it like the header, clamped to RetryPolicy.MaxRetryAfter;
	// a Retry-After header, when both come, wins.
	RetryAfter time.Duration
}

// ErrorParser turns an error answer into an [ErrorDetail]. body holds the
// first [wearkit.MaxErrorBody] bytes of the answer and a further 16 KiB at
// most (the peek that lets a secret straddling the cut be scrubbed), so a
// JSON error a little over the cut still parses; the Message and Code kept
// are scrubbed and cut to MaxErrorBody.
type ErrorParser func(status int, header http.Header, body []byte) ErrorDetail

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
