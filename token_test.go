package wearkit

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

// recordingStore is a TokenStore that counts and can fail on demand.
type recordingStore struct {
	MemoryTokenStore
	saves    atomic.Int32
	failSave atomic.Bool
	loadErr  error
	onSave   func(*oauth2.Token)
}

func (r *recordingStore) Load(ctx context.Context) (*oauth2.Token, error) {
	if r.loadErr != nil {
		return nil, r.loadErr
	}
	return r.MemoryTokenStore.Load(ctx)
}

func (r *recordingStore) Save(ctx context.Context, tok *oauth2.Token) error {
	if r.failSave.Load() {
		return errors.New("disk full")
	}
	if r.onSave != nil {
		r.onSave(tok)
	}
	r.saves.Add(1)
	return r.MemoryTokenStore.Save(ctx, tok)
}

func expired(access, refresh string) *oauth2.Token {
	return &oauth2.Token{AccessToken: access, RefreshToken: refresh, Expiry: time.Now().Add(-time.Minute)}
}

// rotatingRefresh hands out a new access and refresh token per call, like
// Withings, and counts the calls.
func rotatingRefresh(calls *atomic.Int32) RefreshFunc {
	return func(_ context.Context, old *oauth2.Token) (*oauth2.Token, error) {
		n := calls.Add(1)
		time.Sleep(10 * time.Millisecond) // let the other goroutines pile up
		return &oauth2.Token{
			AccessToken:  fmt.Sprintf("access-%d", n),
			RefreshToken: fmt.Sprintf("refresh-%d-from-%s", n, old.RefreshToken),
			Expiry:       time.Now().Add(3 * time.Hour),
		}, nil
	}
}

func TestStoredTokenSourceValidTokenNeedsNothing(t *testing.T) {
	store := &recordingStore{}
	require.NoError(t, store.MemoryTokenStore.Save(context.Background(), &oauth2.Token{AccessToken: "a", RefreshToken: "r", Expiry: time.Now().Add(time.Hour)}))
	var calls atomic.Int32
	ts := StoredTokenSource(context.Background(), store, rotatingRefresh(&calls))
	tok, err := ts.Token()
	require.NoError(t, err)
	assert.Equal(t, "a", tok.AccessToken)
	assert.Equal(t, int32(0), calls.Load())
	assert.Equal(t, int32(0), store.saves.Load())
}

func TestStoredTokenSourceRefreshesOnceAndSavesBeforeUse(t *testing.T) {
	store := &recordingStore{}
	require.NoError(t, store.MemoryTokenStore.Save(context.Background(), expired("old", "r0")))
	var handedOut atomic.Int32
	store.onSave = func(tok *oauth2.Token) {
		assert.Equal(t, int32(0), handedOut.Load(), "saved before anyone used it")
		assert.Equal(t, "refresh-1-from-r0", tok.RefreshToken)
	}
	var calls atomic.Int32
	ts := StoredTokenSource(context.Background(), store, rotatingRefresh(&calls))

	var wg sync.WaitGroup
	got := make([]string, 50)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, err := ts.Token()
			if assert.NoError(t, err) {
				handedOut.Add(1)
				got[i] = tok.AccessToken
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(1), calls.Load(), "one refresh for 50 goroutines")
	assert.Equal(t, int32(1), store.saves.Load())
	for _, a := range got {
		assert.Equal(t, "access-1", a)
	}
	saved, _ := store.MemoryTokenStore.Load(context.Background())
	assert.Equal(t, "refresh-1-from-r0", saved.RefreshToken, "the rotated refresh token is what the store holds")
}

func TestStoredTokenSourceFailedSaveIsRetriedNotRefreshedAgain(t *testing.T) {
	store := &recordingStore{}
	require.NoError(t, store.MemoryTokenStore.Save(context.Background(), expired("old", "r0")))
	store.failSave.Store(true)
	var calls atomic.Int32
	ts := StoredTokenSource(context.Background(), store, rotatingRefresh(&calls))

	tok, err := ts.Token()
	require.Error(t, err)
	assert.Nil(t, tok, "an unsaved token is not handed out")
	assert.Contains(t, err.Error(), "disk full")
	_, err = ts.Token()
	require.Error(t, err)

	store.failSave.Store(false)
	tok, err = ts.Token()
	require.NoError(t, err)
	assert.Equal(t, "access-1", tok.AccessToken)
	assert.Equal(t, int32(1), calls.Load(), "the refresh that retired r0 is not repeated")
	saved, _ := store.MemoryTokenStore.Load(context.Background())
	assert.Equal(t, "refresh-1-from-r0", saved.RefreshToken)
}

// conflictStore refuses every save as a stale write, as a shared store does
// when another process saved a newer token first.
type conflictStore struct {
	MemoryTokenStore
	saves atomic.Int32
}

func (c *conflictStore) Save(context.Context, *oauth2.Token) error {
	c.saves.Add(1)
	return fmt.Errorf("shared store: %w", ErrTokenConflict)
}

func TestStoredTokenSourceLostSaveTakesTheStoredToken(t *testing.T) {
	store := &conflictStore{}
	require.NoError(t, store.MemoryTokenStore.Save(context.Background(), expired("old", "r0")))
	var calls atomic.Int32
	ts := StoredTokenSource(context.Background(), store, func(ctx context.Context, old *oauth2.Token) (*oauth2.Token, error) {
		// Another process refreshes and saves first.
		require.NoError(t, store.MemoryTokenStore.Save(ctx, &oauth2.Token{AccessToken: "theirs", RefreshToken: "r-theirs", Expiry: time.Now().Add(time.Hour)}))
		return rotatingRefresh(&calls)(ctx, old)
	})
	tok, err := ts.Token()
	require.NoError(t, err)
	assert.Equal(t, "theirs", tok.AccessToken, "the stored token wins over the stale writer's")
	tok, err = ts.Token()
	require.NoError(t, err)
	assert.Equal(t, "theirs", tok.AccessToken)
	assert.Equal(t, int32(1), store.saves.Load(), "the lost save is not tried again")
	assert.Equal(t, int32(1), calls.Load())

	// A stored token that is no longer valid either: an error now, a
	// refresh from the stored token next time.
	store2 := &conflictStore{}
	require.NoError(t, store2.MemoryTokenStore.Save(context.Background(), expired("old", "r0")))
	var seen []string
	ts2 := StoredTokenSource(context.Background(), store2, func(ctx context.Context, old *oauth2.Token) (*oauth2.Token, error) {
		seen = append(seen, old.RefreshToken)
		if len(seen) == 1 {
			require.NoError(t, store2.MemoryTokenStore.Save(ctx, expired("theirs", "r-theirs")))
		}
		return rotatingRefresh(&calls)(ctx, old)
	})
	_, err = ts2.Token()
	require.ErrorIs(t, err, ErrTokenConflict)
	_, _ = ts2.Token()
	assert.Equal(t, []string{"r0", "r-theirs"}, seen, "the next refresh starts from the stored token")
}

func TestStoredTokenSourceEdgeCases(t *testing.T) {
	ctx := context.Background()
	var calls atomic.Int32

	// Nothing saved, or no refresh token: the user must authorize again.
	_, err := StoredTokenSource(ctx, NewMemoryTokenStore(nil), rotatingRefresh(&calls)).Token()
	require.ErrorContains(t, err, "authorize again")
	_, err = StoredTokenSource(ctx, NewMemoryTokenStore(expired("a", "")), rotatingRefresh(&calls)).Token()
	require.ErrorContains(t, err, "authorize again")

	// A load failure says so.
	_, err = StoredTokenSource(ctx, &recordingStore{loadErr: errors.New("no db")}, rotatingRefresh(&calls)).Token()
	require.ErrorContains(t, err, "loading the saved token: no db")

	// A refresh failure says so and changes nothing.
	store := NewMemoryTokenStore(expired("a", "r"))
	_, err = StoredTokenSource(ctx, store, func(context.Context, *oauth2.Token) (*oauth2.Token, error) {
		return nil, errors.New("invalid_grant")
	}).Token()
	require.ErrorContains(t, err, "refreshing the token: invalid_grant")

	// An endpoint that echoes the refresh token in its error: scrubbed.
	echo := NewMemoryTokenStore(expired("acc-123456", "ref-123456"))
	_, err = StoredTokenSource(ctx, echo, func(_ context.Context, old *oauth2.Token) (*oauth2.Token, error) {
		return nil, fmt.Errorf("invalid_grant: refresh token %s (access %s) unknown", old.RefreshToken, old.AccessToken)
	}).Token()
	require.ErrorContains(t, err, "invalid_grant")
	assert.NotContains(t, err.Error(), "ref-123456")
	assert.NotContains(t, err.Error(), "acc-123456")
	kept, _ := store.Load(ctx)
	assert.Equal(t, "r", kept.RefreshToken)

	// A vendor that keeps the refresh token answers without one.
	store = NewMemoryTokenStore(expired("a", "r-kept"))
	tok, err := StoredTokenSource(ctx, store, func(context.Context, *oauth2.Token) (*oauth2.Token, error) {
		return &oauth2.Token{AccessToken: "b", Expiry: time.Now().Add(time.Hour)}, nil
	}).Token()
	require.NoError(t, err)
	assert.Equal(t, "r-kept", tok.RefreshToken)
	saved, _ := store.Load(ctx)
	assert.Equal(t, "r-kept", saved.RefreshToken)

	// A token about to expire (inside the 30 s margin) is refreshed.
	store = NewMemoryTokenStore(&oauth2.Token{AccessToken: "soon", RefreshToken: "r", Expiry: time.Now().Add(10 * time.Second)})
	calls.Store(0)
	tok, err = StoredTokenSource(ctx, store, rotatingRefresh(&calls)).Token()
	require.NoError(t, err)
	assert.Equal(t, "access-1", tok.AccessToken)

	// Callers get copies: changing one does not change the source.
	ts := StoredTokenSource(ctx, NewMemoryTokenStore(&oauth2.Token{AccessToken: "x"}), rotatingRefresh(&calls))
	t1, _ := ts.Token()
	t1.AccessToken = "mutated"
	t2, _ := ts.Token()
	assert.Equal(t, "x", t2.AccessToken)
}
