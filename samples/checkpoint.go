package samples

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/wearkit/wearkit/internal/atomicfile"
	"github.com/wearkit/wearkit/internal/filelock"
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
// the old checkpoints or the new ones, never a torn file. Every Load reads
// the file and every Save reads it again and rewrites it with one entry
// changed, under a lock shared by every store of the same path, in this
// process or another (an operating-system lock on "<path>.lock", the one
// the token file store takes; through a symbolic link, the target is
// written and locked, as that store does), so two stores of one file (a
// steps and a bpm sync, two processes, an old store beside a new one)
// never write back each other's stale entries. Replicas on several
// machines share checkpoints through a database (the sqlstore module).
type FileCheckpointStore struct {
	path string
	// mu is shared by the stores of path in this process: they queue on
	// it rather than poll the operating-system lock.
	mu *sync.Mutex
}

// errNoPath is the error of a FileCheckpointStore not made by
// NewFileCheckpointStore.
var errNoPath = errors.New("samples: FileCheckpointStore without a file: use NewFileCheckpointStore")

// fileLocks maps a cleaned absolute path to the mutex its stores share.
var fileLocks sync.Map

// NewFileCheckpointStore returns a store keeping its checkpoints at path.
// The folder must exist; the file is created by the first Save.
func NewFileCheckpointStore(path string) *FileCheckpointStore {
	key := filepath.Clean(path)
	if abs, err := filepath.Abs(path); err == nil {
		key = abs
	}
	mu, _ := fileLocks.LoadOrStore(key, &sync.Mutex{})
	return &FileCheckpointStore{path: path, mu: mu.(*sync.Mutex)}
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

// read returns the checkpoints the file holds now (none when it does not
// exist).
func (f *FileCheckpointStore) read() (map[cpKey]Checkpoint, error) {
	m := map[cpKey]Checkpoint{}
	b, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return nil, fmt.Errorf("samples: checkpoint file: %w", err)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return m, nil
	}
	var body fileBody
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("samples: checkpoint file %s: invalid JSON at byte offset %d", f.path, se.Offset)
		}
		return nil, fmt.Errorf("samples: checkpoint file %s: %w", f.path, err)
	}
	if body.Version != 1 {
		return nil, fmt.Errorf("samples: checkpoint file %s: version %d, want 1", f.path, body.Version)
	}
	for i, e := range body.Checkpoints {
		if e.Device == "" || e.AtStart < 0 || e.Sent < 0 {
			return nil, fmt.Errorf("samples: checkpoint file %s: checkpoints[%d]: empty device_name or negative count", f.path, i)
		}
		m[cpKey{e.DataType, e.Device}] = e.Checkpoint
	}
	return m, nil
}

// Load implements CheckpointStore.
func (f *FileCheckpointStore) Load(ctx context.Context, dt DataType, device string) (Checkpoint, bool, error) {
	if err := ctx.Err(); err != nil {
		return Checkpoint{}, false, err
	}
	if f.mu == nil {
		return Checkpoint{}, false, errNoPath
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.read()
	if err != nil {
		return Checkpoint{}, false, err
	}
	cp, ok := m[cpKey{dt, device}]
	return cp, ok, nil
}

// Save implements CheckpointStore: the file holds the new checkpoint, and
// every other entry as the file held it, when it returns.
func (f *FileCheckpointStore) Save(ctx context.Context, dt DataType, device string, cp Checkpoint) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if f.mu == nil {
		return errNoPath
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	// Through a symbolic link, the file it leads to is written and
	// locked: the link stays, and every store of that file takes one lock.
	target := atomicfile.Target(f.path)
	unlock, err := filelock.Lock(ctx, target+".lock")
	if err != nil {
		return fmt.Errorf("samples: checkpoint file %w", err)
	}
	defer func() { _ = unlock() }()
	m, err := f.read()
	if err != nil {
		return err
	}
	m[cpKey{dt, device}] = cp
	body := fileBody{Version: 1, Checkpoints: make([]fileEntry, 0, len(m))}
	for k, v := range m {
		if _, off := v.Start.Zone(); off%60 != 0 {
			// JSON writes offsets in whole minutes: a zone with seconds
			// would come back up to a minute off, and a later Start
			// skips samples never sent.
			v.Start = v.Start.UTC()
		}
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
		err = atomicfile.Write(target, append(b, '\n'), 0o600)
	}
	if err != nil {
		return fmt.Errorf("samples: checkpoint file %s: %w", f.path, err)
	}
	return nil
}
