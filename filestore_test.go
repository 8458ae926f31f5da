package wearkit

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

func TestFileTokenStoreRoundTripModeAndMissing(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "token.json")
	s := NewFileTokenStore(path)

	tok, err := s.Load(ctx)
	require.NoError(t, err, "no file yet is no token, not an error")
	assert.Nil(t, tok)

	exp := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	require.NoError(t, s.Save(ctx, &oauth2.Token{AccessToken: "a1", RefreshToken: "r1", TokenType: "Bearer", Expiry: exp}))
	got, err := s.Load(ctx)
	require.NoError(t, err)
	assert.Equal(t, "a1", got.AccessToken)
	assert.Equal(t, "r1", got.RefreshToken)
	assert.True(t, exp.Equal(got.Expiry))

	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "readable by its owner only")
	left, err := filepath.Glob(filepath.Join(filepath.Dir(path), ".token.json.tmp-*"))
	require.NoError(t, err)
	assert.Empty(t, left, "no temporary file is left behind")
}

func TestFileTokenStoreBadFileNamesOffsetNotContent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "token.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"access_token": "sekrit-value", "expiry": 12`), 0o600))
	_, err := NewFileTokenStore(path).Load(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), path)
	assert.NotContains(t, err.Error(), "sekrit-value")

	require.NoError(t, os.WriteFile(path, []byte(`{"access_token": 7}`), 0o600))
	_, err = NewFileTokenStore(path).Load(context.Background())
	require.ErrorContains(t, err, "byte offset")
}

// A reader running beside a writer never sees a half-written token: every
// load is either a whole old token or a whole new one.
func TestFileTokenStoreNeverReadHalfWritten(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "token.json")
	s := NewFileTokenStore(path)
	big := string(make([]byte, 64<<10)) // a long token makes a torn write likely
	mk := func(i int) *oauth2.Token {
		return &oauth2.Token{AccessToken: fmt.Sprintf("a-%d-%x", i, big[:0]) + fmt.Sprintf("%0*d", 64<<10, i), RefreshToken: fmt.Sprint("r-", i)}
	}
	require.NoError(t, s.Save(ctx, mk(0)))
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 1; i <= 200; i++ {
			if !assert.NoError(t, s.Save(ctx, mk(i))) {
				break
			}
		}
		stop.Store(true)
	}()
	reads := 0
	for !stop.Load() {
		tok, err := s.Load(ctx)
		require.NoError(t, err, "a load never sees a torn file")
		require.NotNil(t, tok)
		var i int
		_, err = fmt.Sscanf(tok.RefreshToken, "r-%d", &i)
		require.NoError(t, err)
		require.Equal(t, mk(i).AccessToken, tok.AccessToken, "access and refresh token come from the same save")
		reads++
	}
	wg.Wait()
	assert.Positive(t, reads)
}

func TestFileTokenStoreLockExcludesAndEndsWithContext(t *testing.T) {
	path := filepath.Join(t.TempDir(), "token.json")
	a, b := NewFileTokenStore(path), NewFileTokenStore(path)
	unlock, err := a.LockToken(context.Background())
	require.NoError(t, err)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = b.LockToken(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded, "a second holder waits, and its wait ends with its context")

	require.NoError(t, unlock())
	unlock2, err := b.LockToken(context.Background())
	require.NoError(t, err, "free again after unlock")
	require.NoError(t, unlock2())
}

// Two stored token sources with no memory in common (as two processes
// would have), sharing one token file, 50 goroutines each: one refresh in
// all, and every goroutine gets the same new token.
func TestStoredTokenSourcesSharingAFileRefreshOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "token.json")
	require.NoError(t, NewFileTokenStore(path).Save(ctx, expired("old", "r0")))

	var calls atomic.Int32
	refresh := rotatingRefresh(&calls)
	sources := []oauth2.TokenSource{
		StoredTokenSource(ctx, NewFileTokenStore(path), refresh),
		StoredTokenSource(ctx, NewFileTokenStore(path), refresh),
	}
	var wg sync.WaitGroup
	got := make([]string, 100)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, err := sources[i%2].Token()
			if assert.NoError(t, err) {
				got[i] = tok.AccessToken
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(1), calls.Load(), "one refresh between the two sources")
	for _, a := range got {
		assert.Equal(t, "access-1", a)
	}
	saved, err := NewFileTokenStore(path).Load(ctx)
	require.NoError(t, err)
	assert.Equal(t, "refresh-1-from-r0", saved.RefreshToken)
}

// Without a shared lock, the process that lost the race sees invalid_grant
// for the refresh token the other one rotated; it reloads and uses the
// token the other saved instead of losing the user.
func TestStoredTokenSourceInvalidGrantUsesNewerSavedToken(t *testing.T) {
	ctx := context.Background()
	shared := NewMemoryTokenStore(expired("old", "r0"))
	// This source believes r0 is current; another process already
	// rotated it to r1 and saved a valid token.
	ts := StoredTokenSource(ctx, shared, func(_ context.Context, old *oauth2.Token) (*oauth2.Token, error) {
		if old.RefreshToken == "r0" {
			require.NoError(t, shared.Save(ctx, &oauth2.Token{AccessToken: "from-other", RefreshToken: "r1", Expiry: time.Now().Add(time.Hour)}))
			return nil, &oauth2.RetrieveError{ErrorCode: "invalid_grant", ErrorDescription: "refresh token r0 revoked"}
		}
		return nil, fmt.Errorf("unexpected refresh with %s", old.RefreshToken)
	})
	tok, err := ts.Token()
	require.NoError(t, err)
	assert.Equal(t, "from-other", tok.AccessToken)
}

// A stuck token endpoint: every caller's wait ends with its own context,
// and the refresh, once it answers, is saved for the next caller.
func TestStoredTokenSourceWaitEndsWithCallersContext(t *testing.T) {
	store := NewMemoryTokenStore(expired("old", "r0"))
	release := make(chan struct{})
	ts := StoredTokenSource(context.Background(), store, func(_ context.Context, old *oauth2.Token) (*oauth2.Token, error) {
		<-release
		return &oauth2.Token{AccessToken: "late", RefreshToken: "r1", Expiry: time.Now().Add(time.Hour)}, nil
	}).(ContextTokenSource)

	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err := ts.TokenContext(ctx)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Less(t, time.Since(start), 2*time.Second, "the wait ended with the caller's deadline")
		}()
	}
	wg.Wait()
	close(release)
	tok, err := ts.TokenContext(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "late", tok.AccessToken)
	saved, _ := store.Load(context.Background())
	assert.Equal(t, "r1", saved.RefreshToken)
}

// A token endpoint that echoes the refresh token: no link of the unwrap
// chain, and no *oauth2.RetrieveError reached with errors.As, holds it.
func TestStoredTokenSourceRefreshErrorChainHasNoSecret(t *testing.T) {
	store := NewMemoryTokenStore(expired("acc-5ecret-1", "rt-5ecret-2"))
	ts := StoredTokenSource(context.Background(), store, func(_ context.Context, old *oauth2.Token) (*oauth2.Token, error) {
		body, _ := json.Marshal(map[string]string{"error": "invalid_grant", "error_description": "refresh token " + old.RefreshToken + " has expired"})
		re := &oauth2.RetrieveError{ErrorCode: "invalid_grant", ErrorDescription: "refresh token " + old.RefreshToken + " has expired", Body: body}
		return nil, fmt.Errorf("oauth2: cannot fetch token: %w", re)
	})
	_, err := ts.Token()
	require.Error(t, err)
	for e := err; e != nil; e = unwrapOne(e) {
		assert.NotContains(t, e.Error(), "rt-5ecret-2")
		assert.NotContains(t, e.Error(), "acc-5ecret-1")
	}
	var re *oauth2.RetrieveError
	require.ErrorAs(t, err, &re, "the vendor's error code stays reachable")
	assert.Equal(t, "invalid_grant", re.ErrorCode)
	assert.NotContains(t, string(re.Body), "rt-5ecret-2")
	assert.NotContains(t, re.ErrorDescription, "rt-5ecret-2")
}

// unwrapOne follows Unwrap() error, or the first of Unwrap() []error.
func unwrapOne(err error) error {
	switch x := err.(type) {
	case interface{ Unwrap() error }:
		return x.Unwrap()
	case interface{ Unwrap() []error }:
		if errs := x.Unwrap(); len(errs) > 0 {
			return errs[0]
		}
	}
	return nil
}

// A scrubbed refresh error keeps its types reachable: errors.As finds the
// *AuthError the engine wraps it in and the vendor's *oauth2.RetrieveError.
func TestRefreshErrorTypesSurviveScrubbing(t *testing.T) {
	store := NewMemoryTokenStore(expired("acc-5ecret-3", "rt-5ecret-4"))
	ts := StoredTokenSource(context.Background(), store, func(_ context.Context, old *oauth2.Token) (*oauth2.Token, error) {
		return nil, &oauth2.RetrieveError{ErrorCode: "invalid_grant", ErrorDescription: "token " + old.RefreshToken + " expired"}
	})
	_, err := ts.Token()
	require.Error(t, err)
	wrapped := error(&AuthError{Err: err})
	var ae *AuthError
	require.ErrorAs(t, wrapped, &ae)
	var re *oauth2.RetrieveError
	require.ErrorAs(t, wrapped, &re)
	assert.NotContains(t, re.ErrorDescription, "rt-5ecret-4")
	assert.ErrorIs(t, wrapped, ErrUnauthorized)
}
