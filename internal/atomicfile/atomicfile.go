// Package atomicfile writes a file so that a reader, or the next run after a
// crash, sees either the old content or the new one, never a half-written
// file. The token file store and the samples checkpoint store share it.
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Target returns the file a write to path must replace: path, or the file
// a symbolic link at path leads to (even one not created yet), resolved as
// the system resolves it, so a write keeps the link and changes the file
// every reader of the link sees, and every writer reaching that file
// through any link names it, and its lock, alike.
func Target(path string) string {
	p := path
	for range 8 { // a chain of links, not a loop
		fi, err := os.Lstat(p)
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			return p
		}
		to, err := os.Readlink(p)
		if err != nil {
			return p
		}
		if !filepath.IsAbs(to) {
			// The system resolves it from the link's real folder: a
			// folder reached through a link of its own makes ".."
			// lead elsewhere than the path as written.
			dir := filepath.Dir(p)
			if real, err := filepath.EvalSymlinks(dir); err == nil {
				dir = real
			}
			to = filepath.Join(dir, to)
		}
		p = to
	}
	return p
}

// Write replaces path with data: a temporary file in the same folder is
// written, given perm, synced and renamed over path, then the folder is
// synced so the rename survives a power cut. The folder must exist. On
// error path is unchanged and the temporary file is removed.
func Write(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(name)
		}
	}()
	if err := tmp.Chmod(perm); err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(name, path); err != nil {
		return err
	}
	ok = true
	return syncDir(dir)
}

// syncDir makes a rename in dir durable. Systems that cannot sync a folder
// (Windows) are not an error.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return nil
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) && !errors.Is(err, errors.ErrUnsupported) {
		return fmt.Errorf("syncing folder %s: %w", dir, err)
	}
	return nil
}
