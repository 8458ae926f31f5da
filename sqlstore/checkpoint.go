package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/wearkit/wearkit/samples"
)

// CheckpointStore is one user's samples checkpoints in the
// wearkit_checkpoints table, one row per data type and device. It
// implements samples.CheckpointStore, so replicas that sync the same user
// share how far each device got. A checkpoint only moves forward: Save
// keeps the stored checkpoint when it is further on (a later Start, or the
// same Start with a larger AtStart) than the one saved, because a
// concurrent sync got further. It is safe for concurrent use.
type CheckpointStore struct {
	db   *sql.DB
	d    Dialect
	user string
}

var _ samples.CheckpointStore = (*CheckpointStore)(nil)

// NewCheckpointStore returns user's checkpoint store (user non-empty). The
// tables must exist (Migrate).
func NewCheckpointStore(db *sql.DB, d Dialect, user string) (*CheckpointStore, error) {
	if db == nil {
		return nil, errors.New("sqlstore: NewCheckpointStore: nil *sql.DB")
	}
	if err := d.check(); err != nil {
		return nil, err
	}
	if user == "" {
		return nil, errors.New("sqlstore: NewCheckpointStore: empty user")
	}
	return &CheckpointStore{db: db, d: d, user: user}, nil
}

// Load implements samples.CheckpointStore.
func (s *CheckpointStore) Load(ctx context.Context, dt samples.DataType, device string) (samples.Checkpoint, bool, error) {
	var sec, nsec, at, sent int64
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT start_sec, start_nsec, at_start, sent FROM `+CheckpointTable+` WHERE user_id = ? AND data_type = ? AND device = ?`),
		s.user, string(dt), device).Scan(&sec, &nsec, &at, &sent)
	if errors.Is(err, sql.ErrNoRows) {
		return samples.Checkpoint{}, false, nil
	}
	if err != nil {
		return samples.Checkpoint{}, false, fmt.Errorf("sqlstore: checkpoint of user %q, %s, device %q: loading: %w", s.user, dt, device, err)
	}
	return samples.Checkpoint{Start: time.Unix(sec, nsec).UTC(), AtStart: int(at), Sent: sent}, true, nil
}

// Save implements samples.CheckpointStore: the row holds cp when Save
// returns, unless it already held a checkpoint further on, which it keeps.
func (s *CheckpointStore) Save(ctx context.Context, dt samples.DataType, device string, cp samples.Checkpoint) error {
	if device == "" {
		return fmt.Errorf("sqlstore: checkpoint of user %q, %s: empty device name", s.user, dt)
	}
	if cp.AtStart < 0 || cp.Sent < 0 {
		return fmt.Errorf("sqlstore: checkpoint of user %q, %s, device %q: negative at_start (%d) or sent (%d)", s.user, dt, device, cp.AtStart, cp.Sent)
	}
	_, err := s.db.ExecContext(ctx, s.d.rebind(`INSERT INTO `+CheckpointTable+` (user_id, data_type, device, start_sec, start_nsec, at_start, sent, updated_unix_ns)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (user_id, data_type, device) DO UPDATE SET
			start_sec = excluded.start_sec, start_nsec = excluded.start_nsec, at_start = excluded.at_start,
			sent = excluded.sent, updated_unix_ns = excluded.updated_unix_ns
		WHERE (excluded.start_sec, excluded.start_nsec, excluded.at_start) >
			(`+CheckpointTable+`.start_sec, `+CheckpointTable+`.start_nsec, `+CheckpointTable+`.at_start)`),
		s.user, string(dt), device, cp.Start.Unix(), int64(cp.Start.Nanosecond()), int64(cp.AtStart), cp.Sent, time.Now().UnixNano())
	if err != nil {
		return fmt.Errorf("sqlstore: checkpoint of user %q, %s, device %q: saving: %w", s.user, dt, device, err)
	}
	return nil
}
