package rest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// TokenStore keeps a user's OAuth2 token between runs. Vendors that rotate
// refresh tokens (Withings: every refresh returns a new one and the old one
// dies soon after) lose the user for good when a new token is not saved, so
// the engine saves before it uses.
type TokenStore interface {
	// Load returns the saved token; it may return (nil, nil) when there is
	// none yet.
	Load(ctx context.Context) (*oauth2.Token, error)
	// Save persists tok, replacing what was there. It must be durable
	// before it returns.
	Save(ctx context.Context, tok *oauth2.Token) error
}

// RefreshFunc exchanges a token's refresh token for a new token.
type RefreshFunc func(ctx context.Context, old *oauth2.Token) (*oauth2.Token, error)

// expiryDelta refreshes a little early, so a token does not expire in
// flight.
const expiryDelta = 30 * time.Second

// StoredTokenSource returns a TokenSource over a store: it hands out the
// current token while it is valid, and otherwise refreshes it once, however
// many goroutines ask at the same time, and saves the new token through the
// store before anyone uses it. If saving fails the new token is kept aside
// and not handed out; the next call tries to save it again rather than
// refresh again, since the refresh may already have retired the old
// refresh token. ctx is used for the store and the refresh.
func StoredTokenSource(ctx context.Context, store TokenStore, refresh RefreshFunc) oauth2.TokenSource {
	return &storedSource{ctx: ctx, store: store, refresh: refresh, now: time.Now}
}

type storedSource struct {
	ctx     context.Context
	store   TokenStore
	refresh RefreshFunc
	now     func() time.Time

	mu      sync.Mutex
	cur     *oauth2.Token // saved, safe to hand out
	pending *oauth2.Token // refreshed but not yet saved
	loaded  bool
}

func (s *storedSource) valid(t *oauth2.Token) bool {
	if t == nil || t.AccessToken == "" {
		return false
	}
	return t.Expiry.IsZero() || s.now().Add(expiryDelta).Before(t.Expiry)
}

// Token implements oauth2.TokenSource.
func (s *storedSource) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.loaded {
		tok, err := s.store.Load(s.ctx)
		if err != nil {
			return nil, fmt.Errorf("loading the saved token: %w", err)
		}
		s.cur, s.loaded = tok, true
	}
	if s.pending == nil && s.valid(s.cur) {
		return copyToken(s.cur), nil
	}
	if s.pending == nil {
		if s.cur == nil || s.cur.RefreshToken == "" {
			return nil, errors.New("no valid token and no refresh token: the user must authorize again")
		}
		fresh, err := s.refresh(s.ctx, copyToken(s.cur))
		if err != nil {
			// A token endpoint may echo what it was sent in its error body.
			var sec secrets
			sec.add(s.cur.RefreshToken)
			sec.add(s.cur.AccessToken)
			return nil, fmt.Errorf("refreshing the token: %w", redactError(err, sec))
		}
		if fresh == nil || fresh.AccessToken == "" {
			return nil, errors.New("refreshing the token: the answer had no access token")
		}
		if fresh.RefreshToken == "" {
			// The vendor kept the refresh token as it was.
			fresh.RefreshToken = s.cur.RefreshToken
		}
		s.pending = fresh
	}
	if err := s.store.Save(s.ctx, copyToken(s.pending)); err != nil {
		return nil, fmt.Errorf("saving the refreshed token (kept in memory, not used until saved): %w", err)
	}
	s.cur, s.pending = s.pending, nil
	return copyToken(s.cur), nil
}

func copyToken(t *oauth2.Token) *oauth2.Token {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}

// MemoryTokenStore is a TokenStore in memory, for tests and programs that
// keep no state between runs. It is safe for concurrent use.
type MemoryTokenStore struct {
	mu  sync.Mutex
	tok *oauth2.Token
}

// NewMemoryTokenStore returns a store holding tok (which may be nil).
func NewMemoryTokenStore(tok *oauth2.Token) *MemoryTokenStore {
	return &MemoryTokenStore{tok: copyToken(tok)}
}

// Load implements TokenStore.
func (m *MemoryTokenStore) Load(context.Context) (*oauth2.Token, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return copyToken(m.tok), nil
}

// Save implements TokenStore.
func (m *MemoryTokenStore) Save(_ context.Context, tok *oauth2.Token) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tok = copyToken(tok)
	return nil
}
