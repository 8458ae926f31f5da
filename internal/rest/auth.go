package rest

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"

	"golang.org/x/oauth2"

	"github.com/wearkit/wearkit"
)

// Authenticator applies credentials to one attempt of a request. The engine
// calls it on every attempt, after the rate limiters have granted the
// attempt and the URL and headers are final, so a signature over the URL or
// a token that was refreshed meanwhile is always current. It must only set
// headers (or the URL's query); it must not read the body. Any wait it makes
// must end with req's context.
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
// every attempt. The wait for a token ends with the request's context: a
// wearkit.ContextTokenSource (wearkit.StoredTokenSource is one) is asked
// with it; any other source is asked in a goroutine that is left to finish
// on its own when the context ends first. Wrap a plain source in
// oauth2.ReuseTokenSource (or use StoredTokenSource) so a refresh happens
// once, not per request.
func BearerAuth(ts oauth2.TokenSource) Authenticator {
	return AuthFunc(func(req *http.Request) error {
		tok, err := tokenFor(req.Context(), ts)
		if err != nil {
			return &wearkit.AuthError{Err: err}
		}
		if tok == nil || tok.AccessToken == "" {
			return &wearkit.AuthError{Err: errors.New("the token source returned an empty access token")}
		}
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		return nil
	})
}

func tokenFor(ctx context.Context, ts oauth2.TokenSource) (*oauth2.Token, error) {
	if cts, ok := ts.(wearkit.ContextTokenSource); ok {
		return cts.TokenContext(ctx)
	}
	type result struct {
		tok *oauth2.Token
		err error
	}
	ch := make(chan result, 1)
	go func() {
		tok, err := ts.Token()
		ch <- result{tok, err}
	}()
	select {
	case r := <-ch:
		return r.tok, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
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
