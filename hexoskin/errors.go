package hexoskin

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/internal/rest"
)

// ErrMethodNotAllowed matches a 405 answer: DELETE or PUT on a list view,
// POST on a detail view. The other classes are wearkit's
// (wearkit.ErrUnauthorized, which also matches the "API signature failed."
// answer to a wrong key or a stale timestamp, wearkit.ErrBadRequest,
// wearkit.ErrNotFound, ...).
var ErrMethodNotAllowed = errors.New("hexoskin: method not allowed")

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
	case strings.Contains(d.Message, "signature failed"): // "API signature failed."
		d.Kind = wearkit.ErrUnauthorized
	case status == http.StatusMethodNotAllowed:
		d.Kind = ErrMethodNotAllowed
	}
	return d
}
