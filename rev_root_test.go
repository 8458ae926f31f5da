package wearkit

import (
	"context"
	"os"
	"path/filepath"
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
