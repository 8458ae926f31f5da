// Package filelock is the lock processes sharing a file take around a
// read-modify-write of it: flock(2) on a "<file>.lock" beside it where the
// system has it, an exclusively created marker file elsewhere. The token
// file store and the samples checkpoint file store share it.
package filelock

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"
)

// Poll is how often Lock tries again while another holds the lock.
const Poll = 5 * time.Millisecond

// Lock takes the exclusive lock on the file at path (created if missing,
// mode 0600), which excludes every other holder in this process or
// another, waiting at most until ctx ends. unlock releases it.
func Lock(ctx context.Context, path string) (unlock func() error, err error) {
	lf, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		got, err := tryLock(lf)
		if err != nil {
			lf.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if got {
			return func() error {
				uerr := unlockFile(lf)
				cerr := lf.Close()
				return errors.Join(uerr, cerr)
			}, nil
		}
		t.Reset(Poll)
		select {
		case <-ctx.Done():
			lf.Close()
			return nil, fmt.Errorf("lock %s: %w", path, ctx.Err())
		case <-t.C:
		}
	}
}
