package withings

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/internal/rest"
)

// Withings status codes a client acts on. Errors come as HTTP 200 with a
// non-zero "status"; a *wearkit.Error carries it in Code.
const (
	// StatusOK is success.
	StatusOK = 0
	// StatusInvalidToken: the access token is invalid or expired; the
	// client refreshes once and tries again.
	StatusInvalidToken = 401
	// StatusInvalidParams: invalid parameters, and what an expired or
	// reused authorization code or a dead refresh token gives.
	StatusInvalidParams = 503
	// StatusBadCallbackURL: the callback URL is absent or incorrect, or it
	// did not answer Withings' HEAD check with 2xx.
	StatusBadCallbackURL = 293
	// StatusNoSuchSubscription: no subscription matches.
	StatusNoSuchSubscription = 286
	// StatusNoCallback: the notification callback URL does not exist.
	StatusNoCallback = 343
	// StatusUserDeactivated: the user is deactivated.
	StatusUserDeactivated = 328
	// StatusTooManyRequests: more than 120 requests a minute for the
	// application, or the same arguments within 10 seconds; body.wait_seconds
	// may say how long to wait.
	StatusTooManyRequests = 601
	// StatusWrongAction: wrong action or wrong web service.
	StatusWrongAction = 2554
	// StatusUnknownError: an unknown error occurred.
	StatusUnknownError = 2555
)

// ErrInvalidCode matches a code exchange the token endpoint refused with
// status 503 "invalid code": the code was mistyped, already used, or older
// than the 30 seconds a code lives. The user must authorize again. It also
// matches wearkit.ErrUnauthorized.
var ErrInvalidCode = &invalidCode{}

type invalidCode struct{}

func (*invalidCode) Error() string {
	return "withings: the authorization code was refused (codes live 30 seconds and work once): send the user to authorize again"
}
func (*invalidCode) Is(target error) bool { return target == wearkit.ErrUnauthorized }

// ClassOf returns wearkit's class of a Withings status, as the most
// complete clients map them: wearkit.ErrUnauthorized for 100-102, 200 and
// 401; wearkit.ErrForbidden for 214, 277, 2553, 2554, 2555 (unauthorized or
// wrong action) and 328 (user deactivated); wearkit.ErrNotFound for 286,
// 343 and 353; wearkit.ErrRateLimited for 601; wearkit.ErrServer for 522
// (timeout) and 524 (bad state); wearkit.ErrBadRequest for the other codes
// from 201 to 3999 (invalid parameters, 503 and 293 among them); nil for 0
// and anything else (the code is kept in the error).
func ClassOf(status int) error {
	switch status {
	case 0:
		return nil
	case 100, 101, 102, 200, 401:
		return wearkit.ErrUnauthorized
	case 214, 277, 2553, 2554, 2555, 328:
		return wearkit.ErrForbidden
	case 286, 343, 353:
		return wearkit.ErrNotFound
	case 601:
		return wearkit.ErrRateLimited
	case 522, 524:
		return wearkit.ErrServer
	}
	if status > 200 && status < 4000 {
		return wearkit.ErrBadRequest
	}
	return nil
}

// explain adds what the API leaves unsaid to the codes a user acts on.
func explain(status int, msg string) string {
	var why string
	switch status {
	case StatusBadCallbackURL:
		why = "the callback URL was refused: it must be HTTPS on port 443, name a host (no IP, no localhost), be at most 255 characters, and answer Withings' HEAD request with 2xx"
	case StatusTooManyRequests:
		why = "too many requests: 120 a minute per application, and the same arguments at most once in 10 seconds"
	case StatusNoSuchSubscription:
		why = "no such subscription"
	case StatusUserDeactivated:
		why = "the user is deactivated"
	}
	switch {
	case why == "":
		return msg
	case msg == "":
		return why
	}
	return msg + " (" + why + ")"
}

// parseError reads error answers that come with a non-2xx HTTP status
// (proxies, the standard token endpoint): the Withings {status, error}
// envelope or OAuth2's {error, error_description}.
func parseError(status int, h http.Header, body []byte) rest.ErrorDetail {
	d := rest.DefaultErrorParser(status, h, body)
	var env struct {
		Status json.Number `json:"status"`
		Error  string      `json:"error"`
	}
	if json.Unmarshal(body, &env) == nil {
		if n, err := strconv.Atoi(env.Status.String()); err == nil && n != 0 {
			d.Code = strconv.Itoa(n)
			d.Message = explain(n, env.Error)
			d.Kind = ClassOf(n)
		} else if env.Error != "" && d.Code == "" {
			d.Code = env.Error // OAuth2: "invalid_grant"
		}
	}
	return d
}

// codeOf returns the Withings status of an error, if it has one.
func codeOf(err error) (int, bool) {
	var we *wearkit.Error
	if !errors.As(err, &we) {
		return 0, false
	}
	n, cerr := strconv.Atoi(we.Code)
	return n, cerr == nil
}
