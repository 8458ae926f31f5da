package wearkit

import (
	"context"
	"errors"
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

// A token file that is a relative link ("../shared/token.json") inside a
// folder reached through a link of its own: the kernel resolves ".." from
// the real folder, so Load reads that file; Save must write the same one
// (it joined the link's text to the path as written, and wrote a file
// Load never reads, losing the refreshed token), and take the same lock.
func TestFileTokenStoreRelativeLinkInALinkedFolder(t *testing.T) {
	dir := t.TempDir()
	realDir := filepath.Join(dir, "real", "conf")
	require.NoError(t, os.MkdirAll(realDir, 0o700))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "real", "shared"), 0o700))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "shared"), 0o700)) // where a lexical join lands
	require.NoError(t, os.Symlink(realDir, filepath.Join(dir, "conf")))
	require.NoError(t, os.Symlink(filepath.Join("..", "shared", "token.json"), filepath.Join(realDir, "token.json")))

	ctx := context.Background()
	path := filepath.Join(dir, "conf", "token.json")
	s := NewFileTokenStore(path)
	require.NoError(t, s.Save(ctx, &oauth2.Token{AccessToken: "a1", RefreshToken: "r1"}))
	tok, err := s.Load(ctx)
	require.NoError(t, err)
	require.NotNil(t, tok, "Load reads what Save wrote")
	assert.Equal(t, "r1", tok.RefreshToken)
	_, err = os.Stat(filepath.Join(dir, "shared", "token.json"))
	assert.ErrorIs(t, err, os.ErrNotExist, "no stray token file")

	// The link and the file it reaches are one store: one lock.
	unlock, err := s.LockToken(ctx)
	require.NoError(t, err)
	defer func() { require.NoError(t, unlock()) }()
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	_, err = NewFileTokenStore(filepath.Join(dir, "real", "shared", "token.json")).LockToken(short)
	require.ErrorIs(t, err, context.DeadlineExceeded, "the file's lock is the link's")
}

// panickingStore panics in its next Save when panicSave is set.
type panickingStore struct {
	MemoryTokenStore
	panicSave atomic.Bool
}

func (p *panickingStore) Save(ctx context.Context, tok *oauth2.Token) error {
	if p.panicSave.Swap(false) {
		panic("store broke")
	}
	return p.MemoryTokenStore.Save(ctx, tok)
}

// A store whose Save panics after the refresh: the source recovers the
// panic, but the refreshed token must be kept aside like one whose save
// failed, since the refresh retired the old refresh token (Withings). It
// was dropped, and the next call refreshed the retired token: the user
// was lost.
func TestStoredTokenSourceSavePanicKeepsTheRefreshedToken(t *testing.T) {
	store := &panickingStore{}
	require.NoError(t, store.MemoryTokenStore.Save(context.Background(), expired("a0", "r0")))
	store.panicSave.Store(true)
	var mu sync.Mutex
	live := "r0"
	n := 0
	ts := StoredTokenSource(context.Background(), store, func(_ context.Context, old *oauth2.Token) (*oauth2.Token, error) {
		mu.Lock()
		defer mu.Unlock()
		if old.RefreshToken != live {
			return nil, &oauth2.RetrieveError{ErrorCode: "invalid_grant"}
		}
		n++
		live = fmt.Sprintf("r%d", n)
		return &oauth2.Token{AccessToken: fmt.Sprintf("a%d", n), RefreshToken: live, Expiry: time.Now().Add(time.Hour)}, nil
	})
	_, err := ts.Token()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "panic")

	tok, err := ts.Token()
	require.NoError(t, err, "the kept-aside token is saved, not the retired one refreshed")
	assert.Equal(t, "a1", tok.AccessToken)
	stored, err := store.Load(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "r1", stored.RefreshToken)
	assert.Equal(t, 1, n, "one refresh")
}

// A token living two minutes or more is stale 30 s before its expiry,
// however large its expires_in: the lifetime in nanoseconds overflowed,
// and an expires_in of 18446744074 s (a vendor's "never") wrapped to a
// lifetime of 0.29 s, a margin of 72 ms, so a token 10 s from its expiry
// was handed out.
func TestStoredTokenSourceHugeExpiresInKeepsTheMargin(t *testing.T) {
	for _, life := range []int64{120, 3600, 18446744074, 1<<63 - 1} {
		store := NewMemoryTokenStore(&oauth2.Token{AccessToken: "a0", RefreshToken: "r0", ExpiresIn: life, Expiry: time.Now().Add(10 * time.Second)})
		ts := StoredTokenSource(context.Background(), store, func(context.Context, *oauth2.Token) (*oauth2.Token, error) {
			return &oauth2.Token{AccessToken: "a1", RefreshToken: "r1", Expiry: time.Now().Add(time.Hour)}, nil
		})
		tok, err := ts.Token()
		require.NoError(t, err)
		assert.Equal(t, "a1", tok.AccessToken, "expires_in %d: 10 s from expiry is stale", life)
	}
}

// A token file whose expiry does not parse: the error names the field,
// never the file's content (the store promises its errors quote none;
// time's parse error quoted the value, which a file written by another
// tool may hold a token in).
func TestFileTokenStoreBadExpiryQuotesNoContent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "token.json")
	for _, body := range []string{
		`{"access_token":"a","expiry":"rt-5ecret-value"}`,
		`{"access_token":"a","expiry":"2026-13-02T03:04:05Z","refresh_token":"rt-5ecret-value"}`,
	} {
		require.NoError(t, os.WriteFile(path, []byte(body), 0o600))
		_, err := NewFileTokenStore(path).Load(context.Background())
		require.Error(t, err)
		assert.NotContains(t, err.Error(), "5ecret")
		assert.NotContains(t, err.Error(), "2026-13")
		assert.Contains(t, err.Error(), `"expiry"`, "the field is named")
	}
	require.NoError(t, os.WriteFile(path, []byte(`{"access_token":"a","expires_in":"rt-5ecret-value"}`), 0o600))
	_, err := NewFileTokenStore(path).Load(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), `field "expires_in"`, "the file's field, not the Go path")
}

// failOnceStore is a FileTokenStore whose Save fails while failSave is set;
// it passes the file's lock through.
type failOnceStore struct {
	*FileTokenStore
	failSave atomic.Bool
}

func (f *failOnceStore) Save(ctx context.Context, tok *oauth2.Token) error {
	if f.failSave.Load() {
		return errors.New("disk full")
	}
	return f.FileTokenStore.Save(ctx, tok)
}

// A token kept aside after a failed save, and a token file that no longer
// reads (another program wrote past the token): the kept-aside token is
// the user's only live credential (the refresh retired the old refresh
// token), so it is saved over the unreadable file, as it was before the
// save waited for a reload. It was never saved: every call failed on the
// reload, and the user was lost.
func TestStoredTokenSourceKeptAsideTokenRepairsAnUnreadableFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "token.json")
	store := &failOnceStore{FileTokenStore: NewFileTokenStore(path)}
	require.NoError(t, store.FileTokenStore.Save(context.Background(), expired("a0", "r0")))
	store.failSave.Store(true)
	refreshes := 0
	ts := StoredTokenSource(context.Background(), store, func(_ context.Context, old *oauth2.Token) (*oauth2.Token, error) {
		refreshes++
		if old.RefreshToken != "r0" {
			return nil, &oauth2.RetrieveError{ErrorCode: "invalid_grant"}
		}
		return &oauth2.Token{AccessToken: "a1", RefreshToken: "r1", Expiry: time.Now().Add(time.Hour)}, nil
	})
	_, err := ts.Token()
	require.Error(t, err, "the save failed")

	require.NoError(t, os.WriteFile(path, []byte(`{"access_token":"a0","refresh_token":"r0"} {"junk":`), 0o600))
	store.failSave.Store(false)
	tok, err := ts.Token()
	require.NoError(t, err)
	assert.Equal(t, "a1", tok.AccessToken)
	stored, err := store.Load(context.Background())
	require.NoError(t, err, "the file reads again")
	assert.Equal(t, "r1", stored.RefreshToken)
	assert.Equal(t, 1, refreshes)
}

// A refresh that gives expires_in without an Expiry (a vendor's answer
// decoded straight into oauth2.Token, whose doc leaves computing Expiry to
// the application): the source computes it, as it fills ExpiresIn from
// Expiry. The token counted as never expiring, so it was handed out long
// after it died and never refreshed.
func TestStoredTokenSourceFillsExpiryFromExpiresIn(t *testing.T) {
	store := NewMemoryTokenStore(expired("a0", "r0"))
	n := 0
	ts := StoredTokenSource(context.Background(), store, func(context.Context, *oauth2.Token) (*oauth2.Token, error) {
		n++
		return &oauth2.Token{AccessToken: fmt.Sprintf("a%d", n), RefreshToken: "r", ExpiresIn: 3600}, nil
	})
	now := time.Now()
	ts.(*storedSource).now = func() time.Time { return now }
	tok, err := ts.Token()
	require.NoError(t, err)
	assert.Equal(t, "a1", tok.AccessToken)
	assert.WithinDuration(t, now.Add(time.Hour), tok.Expiry, time.Second, "Expiry computed")
	saved, err := store.Load(context.Background())
	require.NoError(t, err)
	assert.Equal(t, tok.Expiry, saved.Expiry, "and saved")

	now = now.Add(2 * time.Hour)
	tok, err = ts.Token()
	require.NoError(t, err)
	assert.Equal(t, "a2", tok.AccessToken, "refreshed once expired")
}
