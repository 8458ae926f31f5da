package samples

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"sync"
	"time"

	"github.com/wearkit/wearkit/internal/atomicfile"
)

// Checkpoint says how far one device's samples of one data type were
// acknowledged by the API, over a gap-free run from the first sample: every
// sample that starts before Start, and the first AtStart samples that start
// exactly at Start (in input order), were accepted. A sync skips them.
type Checkpoint struct {
	// Start is the start time of the last acknowledged sample.
	Start time.Time `json:"start"`
	// AtStart is how many acknowledged samples start exactly at Start.
	AtStart int `json:"at_start"`
	// Sent is how many samples were acknowledged over all runs.
	Sent int64 `json:"sent"`
}

// CheckpointStore keeps one Checkpoint per data type and device. A sync
// loads each device's checkpoint before its first sample and saves it
// every time a gap-free run of batches has been acknowledged. Save must be
// durable when it returns: a checkpoint that says more than was sent loses
// samples. Implementations must be safe for concurrent use.
type CheckpointStore interface {
	// Load returns the device's checkpoint; ok is false when there is none.
	Load(ctx context.Context, dt DataType, device string) (cp Checkpoint, ok bool, err error)
	// Save replaces the device's checkpoint.
	Save(ctx context.Context, dt DataType, device string, cp Checkpoint) error
}

type cpKey struct {
	dt     DataType
	device string
}

// memoryStore is the in-memory CheckpointStore.
type memoryStore struct {
	mu sync.Mutex
	m  map[cpKey]Checkpoint
}

// NewMemoryCheckpointStore returns a CheckpointStore kept in memory: for
// tests, and for programs that sync once per process and track what they
// sent some other way.
func NewMemoryCheckpointStore() CheckpointStore {
	return &memoryStore{m: map[cpKey]Checkpoint{}}
}

func (s *memoryStore) Load(ctx context.Context, dt DataType, device string) (Checkpoint, bool, error) {
	if err := ctx.Err(); err != nil {
		return Checkpoint{}, false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cp, ok := s.m[cpKey{dt, device}]
	return cp, ok, nil
}

func (s *memoryStore) Save(ctx context.Context, dt DataType, device string, cp Checkpoint) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[cpKey{dt, device}] = cp
	return nil
}

// FileCheckpointStore keeps every checkpoint in one JSON file, written
// atomically as the token file store writes its token (a temporary file in
// the same folder, fsync, rename, fsync of the folder), so a crash leaves
// the old checkpoints or the new ones, never a torn file. The file is
// read once, at the first Load or Save; one process should use a file at a
// time.
type FileCheckpointStore struct {
	path string

	mu     sync.Mutex
	loaded bool
	m      map[cpKey]Checkpoint
}

// NewFileCheckpointStore returns a store keeping its checkpoints at path.
// The folder must exist; the file is created by the first Save.
func NewFileCheckpointStore(path string) *FileCheckpointStore {
	return &FileCheckpointStore{path: path}
}

// Path returns the file the checkpoints are kept in.
func (f *FileCheckpointStore) Path() string { return f.path }

// fileEntry is one checkpoint in the file.
type fileEntry struct {
	DataType DataType `json:"data_type"`
	Device   string   `json:"device_name"`
	Checkpoint
}

type fileBody struct {
	Version     int         `json:"version"`
	Checkpoints []fileEntry `json:"checkpoints"`
}

func (f *FileCheckpointStore) load() error {
	if f.loaded {
		return nil
	}
	f.m = map[cpKey]Checkpoint{}
	b, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		f.loaded = true
		return nil
	}
	if err != nil {
		return fmt.Errorf("samples: checkpoint file: %w", err)
	}
	if len(bytes.TrimSpace(b)) > 0 {
		var body fileBody
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&body); err != nil {
			var se *json.SyntaxError
			if errors.As(err, &se) {
				return fmt.Errorf("samples: checkpoint file %s: invalid JSON at byte offset %d", f.path, se.Offset)
			}
			return fmt.Errorf("samples: checkpoint file %s: %w", f.path, err)
		}
		if body.Version != 1 {
			return fmt.Errorf("samples: checkpoint file %s: version %d, want 1", f.path, body.Version)
		}
		for i, e := range body.Checkpoints {
			if e.Device == "" || e.AtStart < 0 || e.Sent < 0 {
				return fmt.Errorf("samples: checkpoint file %s: checkpoints[%d]: empty device_name or negative count", f.path, i)
			}
			f.m[cpKey{e.DataType, e.Device}] = e.Checkpoint
		}
	}
	f.loaded = true
	return nil
}

// Load implements CheckpointStore.
func (f *FileCheckpointStore) Load(ctx context.Context, dt DataType, device string) (Checkpoint, bool, error) {
	if err := ctx.Err(); err != nil {
		return Checkpoint{}, false, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.load(); err != nil {
		return Checkpoint{}, false, err
	}
	cp, ok := f.m[cpKey{dt, device}]
	return cp, ok, nil
}

// Save implements CheckpointStore: the file holds the new checkpoint when
// it returns.
func (f *FileCheckpointStore) Save(ctx context.Context, dt DataType, device string, cp Checkpoint) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.load(); err != nil {
		return err
	}
	k := cpKey{dt, device}
	old, had := f.m[k]
	f.m[k] = cp
	body := fileBody{Version: 1, Checkpoints: make([]fileEntry, 0, len(f.m))}
	for k, v := range f.m {
		body.Checkpoints = append(body.Checkpoints, fileEntry{DataType: k.dt, Device: k.device, Checkpoint: v})
	}
	sort.Slice(body.Checkpoints, func(i, j int) bool {
		a, b := body.Checkpoints[i], body.Checkpoints[j]
		if a.DataType != b.DataType {
			return a.DataType < b.DataType
		}
		return a.Device < b.Device
	})
	b, err := json.MarshalIndent(body, "", "  ")
	if err == nil {
		err = atomicfile.Write(f.path, append(b, '\n'), 0o600)
	}
	if err != nil {
		if had {
			f.m[k] = old
		} else {
			delete(f.m, k)
		}
		return fmt.Errorf("samples: checkpoint file %s: %w", f.path, err)
	}
	return nil
}
