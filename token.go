package wearkit

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/wearkit/wearkit/internal/redact"
)

// TokenStore keeps a user's OAuth2 token between runs. Vendors that rotate
// refresh tokens (Withings: every refresh returns a new one and the old one
// dies soon after) lose the user for good when a new token is not saved, so
// StoredTokenSource saves before it uses.
type TokenStore interface {
	// Load returns the saved token; it returns (nil, nil) when there is
	// none yet.
	Load(ctx context.Context) (*oauth2.Token, error)
	// Save persists tok, replacing what was there. It must be durable
	// before it returns.
	Save(ctx context.Context, tok *oauth2.Token) error
}

// TokenLocker is implemented by a TokenStore that several processes can
// share. LockToken takes a lock that excludes every other holder, in this
// process or another, waiting at most until ctx ends; unlock releases it.
// StoredTokenSource holds it from reloading the stored token to saving a
// refreshed one, so that processes sharing the store refresh once between
// them.
type TokenLocker interface {
	LockToken(ctx context.Context) (unlock func() error, err error)
}

// ContextTokenSource is an oauth2.TokenSource whose wait for a token can be
// bounded by a context. The clients use it, when a source offers it, so a
// stuck refresh never holds a request past the request's own deadline.
type ContextTokenSource interface {
	oauth2.TokenSource
	TokenContext(ctx context.Context) (*oauth2.Token, error)
}

// RefreshFunc exchanges a token's refresh token for a new token.
type RefreshFunc func(ctx context.Context, old *oauth2.Token) (*oauth2.Token, error)

// ErrNoToken is returned when there is no valid token and none can be got
// without the user: nothing saved, or no refresh token. It matches
// ErrUnauthorized.
var ErrNoToken = &noTokenError{}

type noTokenError struct{}

func (*noTokenError) Error() string {
	return "wearkit: no valid token and no refresh token: the user must authorize again"
}
func (*noTokenError) Is(target error) bool { return target == ErrUnauthorized }

// ErrTokenConflict is what a shared TokenStore's Save returns (wrapped)
// when the stored token is no longer the one the saved token replaces:
// another process saved a newer token first. The stale writer's token is
// dropped; StoredTokenSource takes the stored one instead.
var ErrTokenConflict = errors.New("wearkit: the stored token changed since it was read")

// expiryDelta refreshes a little early, so a token does not expire in
// flight.
const expiryDelta = 30 * time.Second

// maxExpiresIn is the largest expires_in turned into an Expiry (a century
// of seconds, far from a Duration's overflow); a larger one means "never".
const maxExpiresIn = 100 * 365 * 24 * 3600

// RefreshTimeout bounds one refresh (store lock, reload, token endpoint and
// save) made by a StoredTokenSource.
const RefreshTimeout = time.Minute

// refreshTimeout is RefreshTimeout, shortened by tests.
var refreshTimeout = RefreshTimeout

// StoredTokenSource returns a token source over store: it hands out the
// stored token while it is valid (until 30 s before its expiry, or a
// quarter of its lifetime before when it lives under two minutes; a
// refreshed token gets its ExpiresIn filled for that when the vendor left
// it out, and its Expiry from ExpiresIn when only that came); otherwise one refresh runs, however many
// goroutines ask at once, and saves the new token through the store before
// anyone uses it.
//
// When store implements TokenLocker (NewFileTokenStore does), the refresh
// takes the store's lock, reloads, refreshes only if the stored token is
// still stale, saves and unlocks, so processes sharing the store refresh
// once between them. A refresh refused with invalid_grant reloads the store
// and uses a newer token if another process saved one. If saving fails, the
// new token is kept aside and not handed out; the next call tries to save it
// again rather than refresh again, since the refresh may already have
// retired the old refresh token. That save, too, runs under the store's
// lock after a reload, and a newer token saved by another process meanwhile
// wins: the kept-aside one is dropped, as it is when a save is refused
// with ErrTokenConflict (a shared store holding a newer token); a store
// that no longer reads gets the kept-aside token saved over it.
//
// ctx carries the values the refresh needs (oauth2.HTTPClient) and, if it
// ends, stops refreshing; each refresh is also bounded by RefreshTimeout.
// A caller's wait ends with its own context (TokenContext): the refresh goes
// on for the others and its token is saved.
func StoredTokenSource(ctx context.Context, store TokenStore, refresh func(ctx context.Context, old *oauth2.Token) (*oauth2.Token, error)) oauth2.TokenSource {
	return &storedSource{base: ctx, store: store, refresh: refresh, now: time.Now}
}

type storedSource struct {
	base    context.Context
	store   TokenStore
	refresh RefreshFunc
	now     func() time.Time

	mu      sync.Mutex
	cur     *oauth2.Token // saved, safe to hand out
	pending *oauth2.Token // refreshed but not yet saved
	// pendingBase is the refresh token pending was refreshed from: a
	// stored token with another one was saved by someone else since.
	pendingBase string
	loaded      bool
	flight      *flight // the one load or refresh running, if any
}

type flight struct {
	done chan struct{}
	tok  *oauth2.Token
	err  error
}

func (s *storedSource) valid(t *oauth2.Token) bool {
	if t == nil || t.AccessToken == "" {
		return false
	}
	return t.Expiry.IsZero() || s.now().Add(margin(t)).Before(t.Expiry)
}

// margin is how long before its expiry a token counts as stale:
// expiryDelta, or a quarter of the token's lifetime (its expires_in) when
// that is shorter, so that a token living under two minutes is not
// refreshed on every call.
func margin(t *oauth2.Token) time.Duration {
	// Compared in seconds: a huge expires_in would overflow a Duration.
	if t.ExpiresIn > 0 && t.ExpiresIn < int64(4*expiryDelta/time.Second) {
		return time.Duration(t.ExpiresIn) * time.Second / 4
	}
	return expiryDelta
}

// Token implements oauth2.TokenSource; its wait is bounded by the context
// the source was made with.
func (s *storedSource) Token() (*oauth2.Token, error) { return s.TokenContext(s.base) }

// TokenContext implements ContextTokenSource.
func (s *storedSource) TokenContext(ctx context.Context) (*oauth2.Token, error) {
	s.mu.Lock()
	if s.loaded && s.pending == nil && s.valid(s.cur) {
		t := copyToken(s.cur)
		s.mu.Unlock()
		return t, nil
	}
	f := s.flight
	if f == nil {
		f = &flight{done: make(chan struct{})}
		s.flight = f
		go s.fly(f)
	}
	s.mu.Unlock()
	select {
	case <-f.done:
		return copyToken(f.tok), f.err
	case <-ctx.Done():
		return nil, fmt.Errorf("wearkit: waiting for the token: %w", ctx.Err())
	}
}

func (s *storedSource) fly(f *flight) {
	ctx, cancel := context.WithTimeout(s.base, refreshTimeout)
	defer cancel()
	type result struct {
		tok *oauth2.Token
		err error
	}
	res := make(chan result, 1)
	go func() {
		var r result
		defer func() {
			if p := recover(); p != nil {
				// A panicking refresh or store: this goroutine is the
				// source's, so its callers could not recover it.
				r = result{err: fmt.Errorf("wearkit: refreshing the token: panic: %s", s.secrets().Scrub(fmt.Sprint(p)))}
			}
			s.mu.Lock()
			if r.err == nil {
				s.cur = r.tok
			}
			s.flight = nil
			s.mu.Unlock()
			res <- r
		}()
		r.tok, r.err = s.obtain(ctx)
	}()
	var r result
	select {
	case r = <-res:
	case <-ctx.Done():
		// A store or refresh that ignores its context: every wait ends
		// here, while the flight stays in place until it returns, so no
		// second one starts beside it; those who ask meanwhile get this
		// error at once.
		r.err = fmt.Errorf("wearkit: refreshing the token: %w", ctx.Err())
	}
	f.tok, f.err = r.tok, r.err
	close(f.done)
}

// secrets records the tokens the source holds, to scrub a text it did not
// build.
func (s *storedSource) secrets() *redact.Secrets {
	s.mu.Lock()
	defer s.mu.Unlock()
	sec := secretsOf(s.cur)
	sec.AddToken(s.pending)
	return sec
}

// obtain loads, reloads or refreshes; only one runs at a time (the flight).
// A kept-aside token is saved, and a refresh made, under the store's lock
// when it has one, after a reload: another process may have saved a newer
// token meanwhile, which then wins.
func (s *storedSource) obtain(ctx context.Context) (*oauth2.Token, error) {
	s.mu.Lock()
	cur, pending, base, loaded := s.cur, s.pending, s.pendingBase, s.loaded
	s.mu.Unlock()
	if !loaded && pending == nil {
		tok, err := s.load(ctx, nil)
		if err != nil {
			return nil, err
		}
		s.mu.Lock()
		s.cur, s.loaded = tok, true
		s.mu.Unlock()
		if s.valid(tok) {
			return tok, nil
		}
		cur = tok
	}
	if l, ok := s.store.(TokenLocker); ok {
		known := cur
		if pending != nil {
			known = pending
		}
		unlock, err := l.LockToken(ctx)
		if err != nil {
			return nil, fmt.Errorf("wearkit: locking the token store: %w", redact.Error(err, secretsOf(known)))
		}
		defer func() { _ = unlock() }()
		// Another process may have refreshed while this one waited.
		stored, err := s.load(ctx, known)
		if err != nil && (pending == nil || ctx.Err() != nil) {
			return nil, err
		}
		// A store that does not read (a damaged file) holds no token newer
		// than the one kept aside, which may be the user's only live
		// credential: it is saved below, over whatever the store holds.
		if err == nil && pending != nil && stored != nil && stored.RefreshToken != base && stored.RefreshToken != pending.RefreshToken {
			// Saved by another process after this one's refresh: the
			// token kept aside is older than the one in use; drop it.
			s.mu.Lock()
			s.pending, s.cur = nil, stored
			s.mu.Unlock()
			pending = nil
		}
		if pending == nil {
			if s.valid(stored) {
				return stored, nil
			}
			if stored != nil {
				cur = stored
			}
		}
	}
	if pending != nil {
		tok, err := s.save(ctx, pending, base)
		if err != nil || s.valid(tok) {
			return tok, err
		}
		// Saved (its refresh token is the live one) but expired while it
		// waited: refresh from it rather than hand it out.
		s.mu.Lock()
		s.cur = tok
		s.mu.Unlock()
		cur = tok
	}
	return s.refreshAndSave(ctx, cur)
}

func (s *storedSource) load(ctx context.Context, known *oauth2.Token) (*oauth2.Token, error) {
	tok, err := s.store.Load(ctx)
	if err != nil {
		return nil, fmt.Errorf("wearkit: loading the saved token: %w", redact.Error(err, secretsOf(known)))
	}
	return tok, nil
}

func (s *storedSource) refreshAndSave(ctx context.Context, cur *oauth2.Token) (*oauth2.Token, error) {
	if cur == nil || cur.RefreshToken == "" {
		return nil, ErrNoToken
	}
	sec := secretsOf(cur)
	fresh, err := s.refresh(ctx, copyToken(cur))
	if err != nil && isInvalidGrant(err) {
		// The refresh token was retired: by another process that rotated
		// it, if the store now holds a different one.
		if stored, lerr := s.store.Load(ctx); lerr == nil && stored != nil && stored.RefreshToken != "" && stored.RefreshToken != cur.RefreshToken {
			if s.valid(stored) {
				return stored, nil
			}
			sec.AddToken(stored)
			cur = stored
			fresh, err = s.refresh(ctx, copyToken(cur))
		}
	}
	if err != nil {
		// A token endpoint may echo what it was sent, in the text or in any
		// error the chain reaches.
		return nil, fmt.Errorf("wearkit: refreshing the token: %w", redact.Error(err, sec))
	}
	if fresh == nil || fresh.AccessToken == "" {
		return nil, errors.New("wearkit: refreshing the token: the answer had no access token")
	}
	fresh = copyToken(fresh)
	if fresh.Expiry.IsZero() && fresh.ExpiresIn > 0 && fresh.ExpiresIn < maxExpiresIn {
		// The wire's expires_in alone (an answer decoded straight into
		// oauth2.Token, which leaves Expiry to the application): a zero
		// Expiry would mean the token never expires.
		fresh.Expiry = s.now().Add(time.Duration(fresh.ExpiresIn) * time.Second)
	}
	if fresh.ExpiresIn <= 0 && !fresh.Expiry.IsZero() {
		// A vendor's own refresh may fill Expiry only; the lifetime sets
		// the refresh margin, here and wherever the saved token is loaded.
		fresh.ExpiresIn = int64(max(1, (fresh.Expiry.Sub(s.now())+time.Second-1)/time.Second))
	}
	if fresh.RefreshToken == "" {
		// The vendor kept the refresh token as it was.
		fresh.RefreshToken = cur.RefreshToken
	}
	return s.save(ctx, fresh, cur.RefreshToken)
}

// save stores tok, refreshed from the refresh token base, before it is
// handed out; on failure it is kept aside with base.
func (s *storedSource) save(ctx context.Context, tok *oauth2.Token, base string) (*oauth2.Token, error) {
	// Kept aside before the store is called: a store that panics (the
	// flight recovers it) must not lose it either.
	s.mu.Lock()
	s.pending, s.pendingBase = tok, base
	s.mu.Unlock()
	if err := s.store.Save(ctx, copyToken(tok)); err != nil {
		if errors.Is(err, ErrTokenConflict) {
			return s.takeStored(ctx, tok, err)
		}
		return nil, fmt.Errorf("wearkit: saving the refreshed token (kept in memory, not used until saved): %w", redact.Error(err, secretsOf(tok)))
	}
	s.mu.Lock()
	s.pending = nil
	s.mu.Unlock()
	return tok, nil
}

// takeStored drops tok, whose save lost to a newer token, and uses the
// stored one; if that is not valid either, the next call refreshes it.
func (s *storedSource) takeStored(ctx context.Context, tok *oauth2.Token, saveErr error) (*oauth2.Token, error) {
	s.mu.Lock()
	s.pending = nil
	s.mu.Unlock()
	stored, err := s.load(ctx, tok)
	if err != nil {
		return nil, err
	}
	if s.valid(stored) {
		return stored, nil
	}
	if stored != nil {
		s.mu.Lock()
		s.cur = stored
		s.mu.Unlock()
	}
	return nil, fmt.Errorf("wearkit: saving the refreshed token: %w", redact.Error(saveErr, secretsOf(tok)))
}

func secretsOf(t *oauth2.Token) *redact.Secrets {
	var s redact.Secrets
	s.AddToken(t)
	return &s
}

// isInvalidGrant reports a token endpoint's refusal of the refresh token.
func isInvalidGrant(err error) bool {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.ErrorCode == "invalid_grant" {
		return true
	}
	return strings.Contains(err.Error(), "invalid_grant")
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
