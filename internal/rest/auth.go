package rest

import (
	"encoding/base64"
	"fmt"
	"net/http"

	"golang.org/x/oauth2"
)

// Authenticator applies credentials to one attempt of a request. The engine
// calls it on every attempt, after the URL and headers are final, so a
// signature over the URL or a token that was refreshed meanwhile is always
// current. It must only set headers (or the URL's query); it must not read
// the body.
type Authenticator interface {
	Authenticate(req *http.Request) error
}

// AuthFunc adapts a function to [Authenticator].
type AuthFunc func(req *http.Request) error

// Authenticate calls f.
func (f AuthFunc) Authenticate(req *http.Request) error { return f(req) }

// HeaderAuth sets one header to a fixed value, such as X-API-Key.
func HeaderAuth(name, value string) Authenticator {
	return AuthFunc(func(req *http.Request) error {
		req.Header.Set(name, value)
		return nil
	})
}

// BasicAuth sets HTTP Basic credentials.
func BasicAuth(user, password string) Authenticator {
	v := "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
	return HeaderAuth("Authorization", v)
}

// BearerAuth sets "Authorization: Bearer" from an oauth2.TokenSource on
// every attempt. Wrap the source in oauth2.ReuseTokenSource (or a vendor's
// store-aware source) so a refresh happens once, not per request.
func BearerAuth(ts oauth2.TokenSource) Authenticator {
	return AuthFunc(func(req *http.Request) error {
		tok, err := ts.Token()
		if err != nil {
			return &AuthError{Err: err}
		}
		if tok.AccessToken == "" {
			return &AuthError{Err: fmt.Errorf("token source returned an empty access token")}
		}
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		return nil
	})
}

// QueryAuth adds a secret as a query parameter (Corsano's ?token=). The key
// should be one the engine redacts (token, api_key, access_token, ...).
func QueryAuth(key, value string) Authenticator {
	return AuthFunc(func(req *http.Request) error {
		q := req.URL.Query()
		q.Set(key, value)
		req.URL.RawQuery = q.Encode()
		return nil
	})
}

// AuthError reports that credentials could not be applied (for example a
// token refresh failed). The engine does not retry it.
type AuthError struct {
	// Err is the authenticator's error.
	Err error
}

// Error implements error.
func (e *AuthError) Error() string { return "wearkit: applying credentials: " + e.Err.Error() }

// Unwrap returns the authenticator's error.
func (e *AuthError) Unwrap() error { return e.Err }

// Is makes an AuthError match ErrUnauthorized.
func (e *AuthError) Is(target error) bool { return target == ErrUnauthorized }
