package samples

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/internal/rest"
)

// loginTimeout bounds one login, which goes on when the caller that
// started it gives up, so that the others waiting for it get a token.
const loginTimeout = time.Minute

// session holds the direct flavour's access token. One login runs at a
// time however many requests need it; each waiter's wait ends with its own
// context.
type session struct {
	rc                 *rest.Client
	username, password string

	mu     sync.Mutex
	token  string
	flight *flight
	logins int
}

type flight struct {
	done  chan struct{}
	token string
	gen   int
	err   error
}

// Authenticate implements rest.Authenticator: it sets the bearer token,
// logging in first if there is none.
func (s *session) Authenticate(req *http.Request) error {
	tok, gen, err := s.get(req.Context())
	if err != nil {
		return &wearkit.AuthError{Err: err}
	}
	if u, ok := req.Context().Value(usedKey{}).(*usedToken); ok {
		u.mu.Lock()
		u.gen = gen
		u.mu.Unlock()
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	return nil
}

// usedKey is the context key of a call's usedToken.
type usedKey struct{}

// usedToken records the generation of the token the last attempt of a
// call carried: the one to drop when the API says it is expired.
type usedToken struct {
	mu  sync.Mutex
	gen int
}

func (u *usedToken) get() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.gen
}

// get returns the token and its generation (the login count that gave it).
func (s *session) get(ctx context.Context) (string, int, error) {
	s.mu.Lock()
	if s.token != "" {
		t, g := s.token, s.logins
		s.mu.Unlock()
		return t, g, nil
	}
	f := s.flight
	if f == nil {
		f = &flight{done: make(chan struct{})}
		s.flight = f
		go s.login(f)
	}
	s.mu.Unlock()
	select {
	case <-f.done:
		return f.token, f.gen, f.err
	case <-ctx.Done():
		return "", 0, ctx.Err()
	}
}

func (s *session) login(f *flight) {
	ctx, cancel := context.WithTimeout(context.Background(), loginTimeout)
	defer cancel()
	var out struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
	}
	_, err := s.rc.Do(ctx, &wearkit.Request{
		Method: http.MethodPost,
		Path:   "api/v1.0/login/access-token",
		Form:   url.Values{"username": {s.username}, "password": {s.password}},
	}, &out)
	if err == nil && out.AccessToken == "" {
		err = errors.New("samples: login answered without an access_token")
	}
	s.mu.Lock()
	s.flight = nil
	if err == nil {
		s.token = out.AccessToken
		s.logins++
		f.gen = s.logins
	}
	s.mu.Unlock()
	f.token, f.err = out.AccessToken, err
	close(f.done)
}

// expire drops the token of generation gen (the one the refused request
// carried, recorded by Authenticate) so the next request logs in again.
// When many requests fail with the same expired token, the first drops it
// and the others find a newer generation and keep the new token: one
// login, not one per request.
func (s *session) expire(gen int) {
	s.mu.Lock()
	if s.logins == gen {
		s.token = ""
	}
	s.mu.Unlock()
}

// Logins returns how many times the direct flavour has logged in (0 for
// the proxy flavour); programs can log it, tests can check re-logins.
func (c *Client) Logins() int {
	if c.session == nil {
		return 0
	}
	c.session.mu.Lock()
	defer c.session.mu.Unlock()
	return c.session.logins
}
