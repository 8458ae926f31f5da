package samples

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/internal/rest"
)

// ErrMaintenance is returned, without sending anything, when the API's
// status says it is in maintenance; the API asks that nothing be sent then.
var ErrMaintenance = errors.New("samples: the GeroSense API is in maintenance, nothing was sent")

// codeExpired is the Code of the error of a 403 "token is expired" answer.
const codeExpired = "token_expired"

// parseError reads GeroSense's FastAPI-style errors: {"detail": "..."} and
// validation answers {"detail": [{"loc": [...], "msg": "...", "type":
// "..."}]} (each item becomes "loc: msg", joined with "; "). A 403 saying
// the token is expired matches wearkit.ErrUnauthorized.
func parseError(status int, h http.Header, body []byte) rest.ErrorDetail {
	d := rest.DefaultErrorParser(status, h, body)
	var m struct {
		Detail json.RawMessage `json:"detail"`
	}
	if json.Unmarshal(body, &m) == nil && len(m.Detail) > 0 {
		var items []struct {
			Loc  []any  `json:"loc"`
			Msg  string `json:"msg"`
			Type string `json:"type"`
		}
		if json.Unmarshal(m.Detail, &items) == nil && len(items) > 0 {
			parts := make([]string, 0, len(items))
			for _, it := range items {
				loc := make([]string, len(it.Loc))
				for i, l := range it.Loc {
					loc[i] = fmt.Sprint(l)
				}
				parts = append(parts, strings.Join(loc, ".")+": "+it.Msg)
			}
			d.Message = strings.Join(parts, "; ")
			d.Code = items[0].Type
		}
	}
	if status == http.StatusForbidden && strings.Contains(strings.ToLower(d.Message), "token is expired") {
		d.Code, d.Kind = codeExpired, wearkit.ErrUnauthorized
	}
	return d
}

// isExpired reports whether err is the API's 403 "token is expired".
func isExpired(err error) bool {
	var we *wearkit.Error
	return errors.As(err, &we) && we.StatusCode == http.StatusForbidden && we.Code == codeExpired
}
