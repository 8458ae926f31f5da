// Package sqlstore keeps OAuth2 tokens and sample checkpoints in a SQL
// database through database/sql, so that several processes (replicas of a
// service) share them safely. Any driver works; the SQL is written for two
// dialects, SQLite and PostgreSQL.
//
// Call Migrate once at start-up: it creates one table for tokens
// (wearkit_tokens, keyed by vendor and user) and one for checkpoints
// (wearkit_checkpoints, keyed by user, data type and device).
//
// The safety lives in the database itself, not in the process:
//   - TokenStore implements wearkit.TokenLocker, so wearkit.StoredTokenSource
//     refreshes once between all the processes: the lock is a row lock
//     (SELECT ... FOR UPDATE in a transaction) on PostgreSQL and an
//     immediate transaction (BEGIN IMMEDIATE) on SQLite, held on one
//     connection from the reload to the save.
//   - TokenStore.Save is conditional on the refresh token it replaces: a
//     writer holding a stale token never overwrites a newer one; its save
//     fails with wearkit.ErrTokenConflict and the source takes the stored
//     token.
//   - CheckpointStore.Save only moves a checkpoint forward.
//
// For SQLite, open the database with a busy timeout and, for several
// processes, WAL journaling (with modernc.org/sqlite:
// "file:app.db?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)").
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Dialect selects the SQL spoken to the database.
type Dialect int

const (
	// SQLite is SQLite 3.24 or later (any driver: modernc.org/sqlite,
	// mattn/go-sqlite3).
	SQLite Dialect = iota + 1
	// PostgreSQL is PostgreSQL 9.5 or later (any driver, such as
	// github.com/jackc/pgx/v5/stdlib or lib/pq).
	PostgreSQL
)

// String names the dialect.
func (d Dialect) String() string {
	switch d {
	case SQLite:
		return "sqlite"
	case PostgreSQL:
		return "postgresql"
	}
	return "Dialect(" + strconv.Itoa(int(d)) + ", unknown)"
}

func (d Dialect) check() error {
	if d != SQLite && d != PostgreSQL {
		return fmt.Errorf("sqlstore: unknown dialect %v (use SQLite or PostgreSQL)", d)
	}
	return nil
}

// rebind turns the ? placeholders of q into $1, $2, ... for PostgreSQL.
func (d Dialect) rebind(q string) string {
	if d != PostgreSQL {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Table names Migrate creates.
const (
	TokenTable      = "wearkit_tokens"
	CheckpointTable = "wearkit_checkpoints"
)

// migration is the schema; it is the same text for both dialects.
var migration = []string{
	`CREATE TABLE IF NOT EXISTS ` + TokenTable + ` (
	vendor          TEXT   NOT NULL,
	user_id         TEXT   NOT NULL,
	access_token    TEXT   NOT NULL,
	token_type      TEXT   NOT NULL,
	refresh_token   TEXT   NOT NULL,
	expiry_unix_ns  BIGINT NOT NULL,
	updated_unix_ns BIGINT NOT NULL,
	expires_in      BIGINT NOT NULL DEFAULT 0,
	extra           TEXT   NOT NULL DEFAULT '',
	PRIMARY KEY (vendor, user_id)
)`,
	`CREATE TABLE IF NOT EXISTS ` + CheckpointTable + ` (
	user_id         TEXT   NOT NULL,
	data_type       TEXT   NOT NULL,
	device          TEXT   NOT NULL,
	start_sec       BIGINT NOT NULL,
	start_nsec      BIGINT NOT NULL,
	at_start        BIGINT NOT NULL,
	sent            BIGINT NOT NULL,
	updated_unix_ns BIGINT NOT NULL,
	PRIMARY KEY (user_id, data_type, device)
)`,
}

// addedColumns are columns added to a table after its first release: a
// table made by an older Migrate gets them.
var addedColumns = []struct{ table, column, decl string }{
	{TokenTable, "expires_in", "BIGINT NOT NULL DEFAULT 0"},
	{TokenTable, "extra", "TEXT NOT NULL DEFAULT ''"},
}

// migrateLockKey is the PostgreSQL advisory lock Migrate holds, so that
// replicas migrating at once take turns ("wearkit" in ASCII).
const migrateLockKey int64 = 0x7765_6172_6b69_74

// Migrate creates the two tables if they do not exist yet, and adds the
// columns an older Migrate did not make:
//
//	wearkit_tokens      (vendor, user_id) -> access_token, token_type,
//	                    refresh_token, expiry_unix_ns (0: none), updated_unix_ns,
//	                    expires_in (0: none), extra (JSON of
//	                    wearkit.TokenExtras, '' for none)
//	wearkit_checkpoints (user_id, data_type, device) -> start_sec, start_nsec,
//	                    at_start, sent, updated_unix_ns
//
// It is idempotent, so every replica may run it at start-up, also at the
// same time (on PostgreSQL they take turns under an advisory lock). Times are
// integers so that every driver reads them back alike.
func Migrate(ctx context.Context, db *sql.DB, d Dialect) error {
	if db == nil {
		return errors.New("sqlstore: Migrate: nil *sql.DB")
	}
	if err := d.check(); err != nil {
		return err
	}
	var q querier = db
	if d == PostgreSQL {
		// Two CREATE TABLE IF NOT EXISTS at once both find no table, and
		// the second fails on the catalog's unique index: replicas
		// migrate one after the other, under a session advisory lock on
		// a connection of their own (released if the process dies).
		conn, err := db.Conn(ctx)
		if err != nil {
			return fmt.Errorf("sqlstore: Migrate: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrateLockKey); err != nil {
			return fmt.Errorf("sqlstore: Migrate: taking the migration lock: %w", err)
		}
		defer func() {
			if _, err := conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrateLockKey); err != nil {
				discard(conn)
			}
		}()
		q = conn
	}
	for i, stmt := range migration {
		if _, err := q.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("sqlstore: Migrate: statement %d of %d: %w", i+1, len(migration), err)
		}
	}
	for _, c := range addedColumns {
		// Both dialects answer a query naming a missing column with an
		// error, and neither needs a transaction for this.
		has := func() bool {
			_, err := q.ExecContext(ctx, `SELECT `+c.column+` FROM `+c.table+` WHERE 1 = 0`)
			return err == nil
		}
		if has() {
			continue
		}
		if _, err := q.ExecContext(ctx, `ALTER TABLE `+c.table+` ADD COLUMN `+c.column+` `+c.decl); err != nil && !has() {
			// (A replica migrating at the same time may have added it
			// first: then the column is there and all is well.)
			return fmt.Errorf("sqlstore: Migrate: adding column %s.%s: %w", c.table, c.column, err)
		}
	}
	return nil
}

// querier is what a *sql.DB and a *sql.Conn share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}
