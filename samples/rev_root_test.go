package samples_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit/internal/filelock"
	"github.com/wearkit/wearkit/samples"
)

// A checkpoint file reached through a symbolic link (a shared state folder
// linked into each job's): Save must write the link's target and take the
// target's lock, as the token file store does. It replaced the link by a
// file of its own, so a store of the target never saw the checkpoint, and
// the two stores took different locks.
func TestFileCheckpointStoreSavesThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "state", "cp.json")
	require.NoError(t, os.MkdirAll(filepath.Dir(real), 0o700))
	link := filepath.Join(dir, "cp.json")
	require.NoError(t, os.Symlink(filepath.Join("state", "cp.json"), link))
	ctx := context.Background()

	require.NoError(t, samples.NewFileCheckpointStore(link).Save(ctx, samples.Steps, "dev-1", samples.Checkpoint{Sent: 3}))
	fi, err := os.Lstat(link)
	require.NoError(t, err)
	assert.Equal(t, os.ModeSymlink, fi.Mode()&os.ModeSymlink, "the link is still a link")
	cp, ok, err := samples.NewFileCheckpointStore(real).Load(ctx, samples.Steps, "dev-1")
	require.NoError(t, err)
	assert.True(t, ok, "the target holds the checkpoint")
	assert.Equal(t, int64(3), cp.Sent)

	// One file, one lock: a Save through the link waits for the target's.
	unlock, err := filelock.Lock(ctx, real+".lock")
	require.NoError(t, err)
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	err = samples.NewFileCheckpointStore(link).Save(short, samples.Steps, "dev-2", samples.Checkpoint{Sent: 1})
	require.ErrorIs(t, err, context.DeadlineExceeded, "the link's lock is the target's")
	require.NoError(t, unlock())
}
