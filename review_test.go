package wearkit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

// A refresh function that panics runs in the flight's goroutine, where the
// caller cannot recover it: it must become the callers' error, and the next
// call must be able to try again.
func TestStoredTokenSourceRefreshPanicIsAnError(t *testing.T) {
	store := NewMemoryTokenStore(expired("old", "rt-old-5ecret"))
	panicking := true
	var mu sync.Mutex
	ts := StoredTokenSource(context.Background(), store, func(_ context.Context, old *oauth2.Token) (*oauth2.Token, error) {
		mu.Lock()
		defer mu.Unlock()
		if panicking {
			panic("refresh broke with " + old.RefreshToken)
		}
		return &oauth2.Token{AccessToken: "new", RefreshToken: "r1", Expiry: time.Now().Add(time.Hour)}, nil
	})
	_, err := ts.Token()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "panic")
	assert.NotContains(t, err.Error(), "rt-old-5ecret", "the panic value is scrubbed too")
	mu.Lock()
	panicking = false
	mu.Unlock()
	tok, err := ts.Token()
	require.NoError(t, err, "the failed flight does not stick")
	assert.Equal(t, "new", tok.AccessToken)
}

// stuckStore never answers Load, whatever its context says.
type stuckStore struct{ release chan struct{} }

func (s stuckStore) Load(context.Context) (*oauth2.Token, error) {
	<-s.release
	return nil, nil
}
func (s stuckStore) Save(context.Context, *oauth2.Token) error { return nil }

// A store that ignores its context must not hold Token() (bounded by the
// source's own context, Background here) past the refresh timeout.
func TestStoredTokenSourceStuckStoreEndsAtRefreshTimeout(t *testing.T) {
	old := refreshTimeout
	refreshTimeout = 100 * time.Millisecond
	t.Cleanup(func() { refreshTimeout = old })
	st := stuckStore{release: make(chan struct{})}
	t.Cleanup(func() { close(st.release) })
	ts := StoredTokenSource(context.Background(), st, func(context.Context, *oauth2.Token) (*oauth2.Token, error) {
		return nil, fmt.Errorf("not reached")
	})
	done := make(chan error, 1)
	go func() { _, err := ts.Token(); done <- err }()
	select {
	case err := <-done:
		require.ErrorIs(t, err, context.DeadlineExceeded)
	case <-time.After(3 * time.Second):
		t.Fatal("Token() still blocked 3 s after a 100 ms refresh timeout")
	}
	// While the stuck load still runs, a new caller does not start a second
	// one: it gets the same timeout at once.
	start := time.Now()
	_, err := ts.Token()
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), time.Second)
}

// Processes sharing a token file refresh once between them: this test runs
// its own binary three times at once as the other processes.
func TestStoredTokenSourceRefreshOnceAcrossProcesses(t *testing.T) {
	if os.Getenv("WEARKIT_TOKEN_CHILD") != "" {
		childRefresh(t)
		return
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "token.json")
	require.NoError(t, NewFileTokenStore(path).Save(context.Background(), expired("a0", "r0")))
	var wg sync.WaitGroup
	outs := make([][]byte, 3)
	errs := make([]error, 3)
	for i := range outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(os.Args[0], "-test.run=^TestStoredTokenSourceRefreshOnceAcrossProcesses$", "-test.count=1")
			cmd.Env = append(os.Environ(), "WEARKIT_TOKEN_CHILD="+path)
			outs[i], errs[i] = cmd.CombinedOutput()
		}()
	}
	wg.Wait()
	for i := range outs {
		require.NoError(t, errs[i], "child %d: %s", i, outs[i])
	}
	count, err := os.ReadFile(path + ".refreshes")
	require.NoError(t, err)
	assert.Equal(t, "r0\n", string(count), "one refresh, with the stored refresh token")
	tok, err := NewFileTokenStore(path).Load(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "a-new", tok.AccessToken)
}

func childRefresh(t *testing.T) {
	path := os.Getenv("WEARKIT_TOKEN_CHILD")
	ts := StoredTokenSource(context.Background(), NewFileTokenStore(path), func(_ context.Context, old *oauth2.Token) (*oauth2.Token, error) {
		f, err := os.OpenFile(path+".refreshes", os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err != nil {
			return nil, err
		}
		_, _ = f.WriteString(old.RefreshToken + "\n")
		_ = f.Close()
		time.Sleep(100 * time.Millisecond) // let the others queue on the lock
		return &oauth2.Token{AccessToken: "a-new", RefreshToken: "r-new", Expiry: time.Now().Add(time.Hour)}, nil
	})
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, err := ts.Token()
			if assert.NoError(t, err) {
				assert.True(t, strings.HasPrefix(tok.AccessToken, "a-new"))
			}
		}()
	}
	wg.Wait()
}

// A token file reached through a symbolic link: saving must write the
// link's target, not replace the link by a file of its own.
func TestFileTokenStoreSavesThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "secrets", "token.json")
	require.NoError(t, os.MkdirAll(filepath.Dir(real), 0o700))
	require.NoError(t, NewFileTokenStore(real).Save(context.Background(), &oauth2.Token{AccessToken: "a0", RefreshToken: "r0"}))
	link := filepath.Join(dir, "token.json")
	require.NoError(t, os.Symlink(real, link))

	require.NoError(t, NewFileTokenStore(link).Save(context.Background(), &oauth2.Token{AccessToken: "a1", RefreshToken: "r1"}))
	fi, err := os.Lstat(link)
	require.NoError(t, err)
	assert.Equal(t, os.ModeSymlink, fi.Mode()&os.ModeSymlink, "the link is still a link")
	tok, err := NewFileTokenStore(real).Load(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "r1", tok.RefreshToken, "the target holds the new token")

	// The link and its target are one store: one lock.
	unlock, err := NewFileTokenStore(link).LockToken(context.Background())
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = NewFileTokenStore(real).LockToken(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded, "the target's lock is the link's")
	require.NoError(t, unlock())
}

// Token and TokenContext at once, some with contexts that end early, across
// refreshes: one refresh per expiry, every token handed out was saved.
func TestStoredTokenSourceMixedCallersUnderRace(t *testing.T) {
	store := &recordingStore{}
	require.NoError(t, store.MemoryTokenStore.Save(context.Background(), expired("a0", "r0")))
	var calls atomic.Int32
	ts := StoredTokenSource(context.Background(), store, rotatingRefresh(&calls)).(ContextTokenSource)
	var wg sync.WaitGroup
	for i := range 60 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			switch i % 3 {
			case 0:
				tok, err := ts.Token()
				if assert.NoError(t, err) {
					assert.Equal(t, "access-1", tok.AccessToken)
				}
			case 1:
				tok, err := ts.TokenContext(context.Background())
				if assert.NoError(t, err) {
					assert.Equal(t, "access-1", tok.AccessToken)
				}
			default:
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				if tok, err := ts.TokenContext(ctx); err == nil {
					assert.Equal(t, "access-1", tok.AccessToken)
				} else {
					assert.ErrorIs(t, err, context.Canceled)
				}
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(1), calls.Load())
	assert.Equal(t, int32(1), store.saves.Load())
}

// invalid_grant with a store that still holds the very token refused: the
// refusal is reported, scrubbed, and the refresh is not tried again.
func TestStoredTokenSourceInvalidGrantSameStoredToken(t *testing.T) {
	store := NewMemoryTokenStore(expired("a0", "rt-dead-5ecret"))
	var calls atomic.Int32
	ts := StoredTokenSource(context.Background(), store, func(_ context.Context, old *oauth2.Token) (*oauth2.Token, error) {
		calls.Add(1)
		return nil, &oauth2.RetrieveError{ErrorCode: "invalid_grant", ErrorDescription: "token " + old.RefreshToken + " is dead"}
	})
	_, err := ts.Token()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "invalid_grant")
	assert.NotContains(t, err.Error(), "rt-dead-5ecret")
	assert.Equal(t, int32(1), calls.Load(), "the same token is not tried twice")
}

// A folder that does not exist, and a temp file left by a crash: clear
// errors, and a leftover temp file is never read as the token.
func TestFileTokenStoreMissingFolderAndLeftoverTemp(t *testing.T) {
	dir := t.TempDir()
	missing := NewFileTokenStore(filepath.Join(dir, "nope", "token.json"))
	err := missing.Save(context.Background(), &oauth2.Token{AccessToken: "a"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "token file")
	assert.Contains(t, err.Error(), "nope")
	_, err = missing.LockToken(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "nope")

	path := filepath.Join(dir, "token.json")
	require.NoError(t, os.WriteFile(filepath.Join(dir, ".token.json.tmp-123"), []byte(`{"access_token":"ha`), 0o600))
	tok, err := NewFileTokenStore(path).Load(context.Background())
	require.NoError(t, err)
	assert.Nil(t, tok)
	require.NoError(t, os.WriteFile(path, []byte("{}"), 0o644))
	require.NoError(t, NewFileTokenStore(path).Save(context.Background(), &oauth2.Token{AccessToken: "a"}))
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "a world-readable file is replaced by an owner-only one")
}

// A refreshed token kept aside because its save failed, and expired by the
// time the save works: it is saved (its refresh token is the live one), but
// not handed out; a refresh from it runs.
func TestStoredTokenSourcePendingTokenExpiredMeanwhile(t *testing.T) {
	store := &recordingStore{}
	require.NoError(t, store.MemoryTokenStore.Save(context.Background(), expired("a0", "r0")))
	store.failSave.Store(true)
	var calls atomic.Int32
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	ts := StoredTokenSource(context.Background(), store, func(_ context.Context, old *oauth2.Token) (*oauth2.Token, error) {
		n := calls.Add(1)
		return &oauth2.Token{AccessToken: fmt.Sprintf("access-%d", n), RefreshToken: fmt.Sprintf("refresh-%d-from-%s", n, old.RefreshToken), Expiry: clock().Add(3 * time.Hour)}, nil
	})
	ts.(*storedSource).now = clock
	_, err := ts.Token()
	require.Error(t, err)

	mu.Lock()
	now = now.Add(4 * time.Hour) // past access-1's expiry
	mu.Unlock()
	store.failSave.Store(false)
	tok, err := ts.Token()
	require.NoError(t, err)
	assert.True(t, tok.Expiry.After(now.Add(expiryDelta)), "an expired token was handed out: %v", tok.Expiry)
	assert.Equal(t, int32(2), calls.Load())
	saved, err := store.Load(context.Background())
	require.NoError(t, err)
	assert.Equal(t, tok.RefreshToken, saved.RefreshToken)
	assert.Contains(t, saved.RefreshToken, "from-refresh-1", "refreshed from the token kept aside")
}

// flakyFileStore is a FileTokenStore whose saves fail while failSave is set.
type flakyFileStore struct {
	*FileTokenStore
	failSave atomic.Bool
}

func (f *flakyFileStore) Save(ctx context.Context, tok *oauth2.Token) error {
	if f.failSave.Load() {
		return errors.New("disk full")
	}
	return f.FileTokenStore.Save(ctx, tok)
}

// Process A refreshes, fails to save and keeps its token aside; process B
// then refreshes and saves the token it uses. A's kept-aside token must not
// overwrite B's: A saves under the store's lock, sees the newer token and
// takes it. Before the fix A saved without the lock and replaced the token
// in use, whose refresh token a rotating vendor then no longer knew.
func TestStoredTokenSourceKeptAsideTokenNeverOverwritesANewerOne(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "token.json")
	require.NoError(t, NewFileTokenStore(path).Save(ctx, expired("a0", "r0")))
	var calls atomic.Int32
	refresh := func(_ context.Context, old *oauth2.Token) (*oauth2.Token, error) {
		n := calls.Add(1)
		return &oauth2.Token{AccessToken: fmt.Sprintf("access-%d", n), RefreshToken: fmt.Sprintf("refresh-%d-from-%s", n, old.RefreshToken), Expiry: time.Now().Add(3 * time.Hour)}, nil
	}
	storeA := &flakyFileStore{FileTokenStore: NewFileTokenStore(path)}
	storeA.failSave.Store(true)
	a := StoredTokenSource(ctx, storeA, refresh)
	b := StoredTokenSource(ctx, NewFileTokenStore(path), refresh)

	_, err := a.Token()
	require.ErrorContains(t, err, "disk full")
	tokB, err := b.Token()
	require.NoError(t, err)
	require.Equal(t, "access-2", tokB.AccessToken)

	storeA.failSave.Store(false)
	tokA, err := a.Token()
	require.NoError(t, err)
	assert.Equal(t, "access-2", tokA.AccessToken, "A takes the token B saved and uses")
	saved, err := NewFileTokenStore(path).Load(ctx)
	require.NoError(t, err)
	assert.Equal(t, tokB.RefreshToken, saved.RefreshToken, "the store still holds the token in use")
	assert.Equal(t, int32(2), calls.Load())
}

// A token that lives less than the refresh margin (30 s) is refreshed a
// quarter of its life early, not on every call: before the fix ten calls
// made ten refreshes. Both forms of a short life count: an Expiry only, as
// a vendor's own refresh fills it, and the wire's expires_in.
func TestStoredTokenSourceShortLivedTokenIsNotRefreshedEveryCall(t *testing.T) {
	for _, wire := range []bool{false, true} {
		t.Run(fmt.Sprintf("expires_in=%v", wire), func(t *testing.T) {
			store := NewMemoryTokenStore(expired("a0", "r0"))
			var calls atomic.Int32
			ts := StoredTokenSource(context.Background(), store, func(_ context.Context, old *oauth2.Token) (*oauth2.Token, error) {
				n := calls.Add(1)
				tok := &oauth2.Token{AccessToken: fmt.Sprintf("access-%d", n), RefreshToken: "r", Expiry: time.Now().Add(20 * time.Second)}
				if wire {
					tok.ExpiresIn = 20
				}
				return tok, nil
			})
			for range 10 {
				tok, err := ts.Token()
				require.NoError(t, err)
				assert.Equal(t, "access-1", tok.AccessToken)
			}
			assert.Equal(t, int32(1), calls.Load())
			// A source that loads the saved token later keeps the short
			// margin too.
			ts2 := StoredTokenSource(context.Background(), store, func(context.Context, *oauth2.Token) (*oauth2.Token, error) {
				return nil, errors.New("no refresh expected")
			})
			tok, err := ts2.Token()
			require.NoError(t, err)
			assert.Equal(t, "access-1", tok.AccessToken)
		})
	}
}

// A token file with anything after its token (two tokens run together by
// a writer that bypassed the store, a truncated overwrite) is an error
// naming the offset, not a silent load of the first value.
func TestFileTokenStoreTrailingDataIsAnError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "token.json")
	const tok1 = `{"access_token":"a1","refresh_token":"sekrit-r1"}`
	for body, at := range map[string]int{
		tok1 + `{"access_token":"a2"}`: len(tok1),
		tok1 + "\n junk":               len(tok1) + 2,
		tok1 + "}":                     len(tok1),
	} {
		require.NoError(t, os.WriteFile(path, []byte(body), 0o600))
		_, err := NewFileTokenStore(path).Load(context.Background())
		require.Error(t, err, body)
		assert.Contains(t, err.Error(), fmt.Sprintf("unexpected data after the token at byte offset %d", at))
		assert.NotContains(t, err.Error(), "sekrit")
	}
	// Surrounding white space, as an editor leaves it, is fine.
	require.NoError(t, os.WriteFile(path, []byte("\n{\"access_token\":\"a1\"}\n\n"), 0o600))
	tok, err := NewFileTokenStore(path).Load(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "a1", tok.AccessToken)
}

// The extra fields clients read (Withings' userid, as a string or a
// number) survive a save and a load; before, the file kept oauth2.Token's
// own fields only and a restarted program lost the user id.
func TestFileTokenStoreKeepsTheExtrasClientsRead(t *testing.T) {
	ctx := context.Background()
	store := NewFileTokenStore(filepath.Join(t.TempDir(), "token.json"))
	exp := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	base := &oauth2.Token{AccessToken: "a", RefreshToken: "r", Expiry: exp, ExpiresIn: 10800}
	require.NoError(t, store.Save(ctx, base.WithExtra(map[string]any{"userid": "12345678", "scope": "user.metrics", "not_kept": "x"})))
	tok, err := store.Load(ctx)
	require.NoError(t, err)
	assert.Equal(t, "12345678", tok.Extra("userid"))
	assert.Equal(t, "user.metrics", tok.Extra("scope"))
	assert.Nil(t, tok.Extra("not_kept"))
	assert.Equal(t, "r", tok.RefreshToken)
	assert.True(t, exp.Equal(tok.Expiry))
	assert.Equal(t, int64(10800), tok.ExpiresIn)

	// A number keeps every digit (no float64 rounding on the way back).
	require.NoError(t, store.Save(ctx, base.WithExtra(map[string]any{"userid": json.Number("9007199254740993")})))
	tok, err = store.Load(ctx)
	require.NoError(t, err)
	assert.Equal(t, json.Number("9007199254740993"), tok.Extra("userid"))

	// A token without extras loads without any.
	require.NoError(t, store.Save(ctx, base))
	tok, err = store.Load(ctx)
	require.NoError(t, err)
	assert.Nil(t, tok.Extra("userid"))
}
