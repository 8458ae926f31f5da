package polar

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/internal/rest"
)

// ErrSyncInProgress matches the server's 409 answer to a sync trigger while
// a sync for the same user is still running. Try again later. The other
// classes are wearkit's: wearkit.ErrUnauthorized (no key, a wrong key, or a
// key for another user, which the server answers 401), ErrBadRequest (a
// validation error), ErrNotFound, ErrRateLimited, ErrServer.
var ErrSyncInProgress = errors.New("polar: a sync is already running for this user")

// errorBody is the server's error answer (Litestar's): a status, a detail
// and, for validation errors, a list of what failed; for 429, the wait.
type errorBody struct {
	StatusCode json.Number     `json:"status_code"`
	Detail     string          `json:"detail"`
	Extra      json.RawMessage `json:"extra"`
}

// ValidationItem is one entry of a 400 answer's extra list.
type ValidationItem struct {
	Message string `json:"message"`
	Key     string `json:"key"`
	Source  string `json:"source"`
}

// parseError reads {"status_code", "detail", "extra"}: the detail becomes
// the message, each validation item ("key (source): message") is appended,
// and a 429's extra {"Retry-After": "N"} becomes the wait the engine
// honours (the server sends no Retry-After header).
func parseError(status int, h http.Header, body []byte) rest.ErrorDetail {
	d := rest.DefaultErrorParser(status, h, body)
	var eb errorBody
	if json.Unmarshal(body, &eb) == nil {
		if eb.Detail != "" {
			d.Message = eb.Detail
		}
		if eb.StatusCode != "" {
			d.Code = eb.StatusCode.String()
		}
		var items []ValidationItem
		if len(eb.Extra) > 0 && json.Unmarshal(eb.Extra, &items) == nil {
			var parts []string
			for _, it := range items {
				p := it.Message
				if it.Key != "" {
					src := ""
					if it.Source != "" {
						src = " (" + it.Source + ")"
					}
					p = it.Key + src + ": " + it.Message
				}
				parts = append(parts, p)
			}
			if len(parts) > 0 {
				d.Message = strings.TrimSpace(d.Message + " [" + strings.Join(parts, "; ") + "]")
			}
		}
		var hint map[string]json.RawMessage
		if len(eb.Extra) > 0 && json.Unmarshal(eb.Extra, &hint) == nil {
			for k, v := range hint {
				if !strings.EqualFold(k, "Retry-After") {
					continue
				}
				var s string
				if json.Unmarshal(v, &s) != nil {
					s = string(v) // a number
				}
				if ra, ok := rest.ParseRetryAfter(s, time.Now()); ok {
					d.RetryAfter = ra
				}
			}
		}
	}
	if status == http.StatusConflict {
		d.Kind = ErrSyncInProgress
	}
	return d
}

// notFound makes a by-date call's "no record" (a 200 null) look like the
// other by-date calls' 404.
func notFound(method, what string) error {
	return fmt.Errorf("polar: %s: no %s: %w", method, what, wearkit.ErrNotFound)
}
