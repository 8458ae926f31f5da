//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package filelock

import (
	"errors"
	"io/fs"
	"os"
	"sync"
	"time"
)

// Where flock(2) is missing, the lock is the existence of "<lock>.held",
// created exclusively; one left by a process that died is taken over after
// staleLock.
const staleLock = 2 * time.Minute

var heldMu sync.Mutex

func tryLock(f *os.File) (bool, error) {
	heldMu.Lock()
	defer heldMu.Unlock()
	name := f.Name() + ".held"
	h, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err == nil {
		return true, h.Close()
	}
	if !errors.Is(err, fs.ErrExist) {
		return false, err
	}
	if st, serr := os.Stat(name); serr == nil && time.Since(st.ModTime()) > staleLock {
		_ = os.Remove(name)
	}
	return false, nil
}

func unlockFile(f *os.File) error { return os.Remove(f.Name() + ".held") }
