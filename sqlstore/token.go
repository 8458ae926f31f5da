package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/wearkit/wearkit"
)

// TokenStore is one user's token of one vendor in the wearkit_tokens
// table. It implements wearkit.TokenStore and wearkit.TokenLocker; give it
// to wearkit.StoredTokenSource (or a vendor's TokenSource, such as
// withings.Config.TokenSource). It keeps oauth2.Token's own fields and the
// extra fields clients read (wearkit.TokenExtras, such as Withings'
// userid), as the file store does. It is safe for concurrent use.
type TokenStore struct {
	db     *sql.DB
	d      Dialect
	vendor string
	user   string

	mu       sync.Mutex
	basis    string // the refresh token last read or written
	hasBasis bool
	held     *lockTx // the transaction holding the lock, if any
}

// lockTx is LockToken's transaction. committed says a Save ended it; each
// unlock ends its own otherwise, even after another LockToken of the store
// took its place (on PostgreSQL, a user with no row locks nothing, so two
// may hold it at once).
type lockTx struct {
	conn      *sql.Conn
	committed bool
}

// NewTokenStore returns the store of user's token for vendor (both
// non-empty; vendor is a name such as "withings"). The tables must exist
// (Migrate).
func NewTokenStore(db *sql.DB, d Dialect, vendor, user string) (*TokenStore, error) {
	if db == nil {
		return nil, errors.New("sqlstore: NewTokenStore: nil *sql.DB")
	}
	if err := d.check(); err != nil {
		return nil, err
	}
	if vendor == "" || user == "" {
		return nil, fmt.Errorf("sqlstore: NewTokenStore: empty vendor (%q) or user (%q)", vendor, user)
	}
	return &TokenStore{db: db, d: d, vendor: vendor, user: user}, nil
}

func (s *TokenStore) q() querier {
	if s.held != nil {
		return s.held.conn
	}
	return s.db
}

func (s *TokenStore) errorf(format string, args ...any) error {
	return fmt.Errorf("sqlstore: %s token of user %q: "+format, append([]any{s.vendor, s.user}, args...)...)
}

// Load implements wearkit.TokenStore: (nil, nil) when the user has no
// token yet. What it reads is what the next Save must replace.
func (s *TokenStore) Load(ctx context.Context) (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var tok oauth2.Token
	var exp int64
	var extra string
	err := s.q().QueryRowContext(ctx, s.d.rebind(`SELECT access_token, token_type, refresh_token, expiry_unix_ns, expires_in, extra FROM `+TokenTable+` WHERE vendor = ? AND user_id = ?`), s.vendor, s.user).
		Scan(&tok.AccessToken, &tok.TokenType, &tok.RefreshToken, &exp, &tok.ExpiresIn, &extra)
	if errors.Is(err, sql.ErrNoRows) {
		s.basis, s.hasBasis = "", true
		return nil, nil
	}
	if err != nil {
		return nil, s.errorf("loading: %w", err)
	}
	if exp != 0 {
		tok.Expiry = time.Unix(0, exp)
	}
	out := &tok
	if extra != "" {
		var m map[string]any
		dec := json.NewDecoder(strings.NewReader(extra))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			// The message of a syntax error quotes no content.
			return nil, s.errorf("loading: column extra: %w", err)
		}
		out = tok.WithExtra(m)
	}
	s.basis, s.hasBasis = tok.RefreshToken, true
	return out, nil
}

// Save implements wearkit.TokenStore. Once the store has read or written a
// token, Save replaces the stored token only if it still holds the refresh
// token last seen (or still holds none); otherwise another process saved a
// newer token, and Save fails with an error matching
// wearkit.ErrTokenConflict and changes nothing. A store that has read
// nothing yet (the token from a new authorization) saves unconditionally.
// The row is committed when Save returns, also under the lock (see
// LockToken).
func (s *TokenStore) Save(ctx context.Context, tok *oauth2.Token) error {
	if tok == nil {
		return s.errorf("saving: nil token")
	}
	var exp int64
	if !tok.Expiry.IsZero() {
		exp = tok.Expiry.UnixNano()
	}
	now := time.Now().UnixNano()
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.write(ctx, s.q(), tok, exp, now); err != nil {
		return err
	}
	if s.held != nil {
		// The source ignores unlock's error: the token must be committed
		// now. The lock's work is done once the new token is saved.
		lt := s.held
		s.held = nil
		lt.committed = true
		conn := lt.conn
		if _, err := conn.ExecContext(context.WithoutCancel(ctx), "COMMIT"); err != nil {
			discard(conn)
			return s.errorf("saving: committing: %w", err)
		}
	}
	s.basis, s.hasBasis = tok.RefreshToken, true
	return nil
}

// write runs Save's statements on q. Callers hold s.mu.
func (s *TokenStore) write(ctx context.Context, q querier, tok *oauth2.Token, exp, now int64) error {
	var extra string
	if m := wearkit.TokenExtras(tok); m != nil {
		b, err := json.Marshal(m)
		if err != nil {
			return s.errorf("saving: encoding the extra fields: %w", err)
		}
		extra = string(b)
	}
	cols := `(vendor, user_id, access_token, token_type, refresh_token, expiry_unix_ns, updated_unix_ns, expires_in, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
	args := []any{s.vendor, s.user, tok.AccessToken, tok.TokenType, tok.RefreshToken, exp, now, tok.ExpiresIn, extra}
	if !s.hasBasis {
		_, err := q.ExecContext(ctx, s.d.rebind(`INSERT INTO `+TokenTable+` `+cols+` ON CONFLICT (vendor, user_id) DO UPDATE SET
			access_token = excluded.access_token, token_type = excluded.token_type, refresh_token = excluded.refresh_token,
			expiry_unix_ns = excluded.expiry_unix_ns, updated_unix_ns = excluded.updated_unix_ns,
			expires_in = excluded.expires_in, extra = excluded.extra`), args...)
		if err != nil {
			return s.errorf("saving: %w", err)
		}
		return nil
	}
	res, err := q.ExecContext(ctx, s.d.rebind(`UPDATE `+TokenTable+` SET access_token = ?, token_type = ?, refresh_token = ?, expiry_unix_ns = ?, updated_unix_ns = ?, expires_in = ?, extra = ?
		WHERE vendor = ? AND user_id = ? AND refresh_token = ?`),
		tok.AccessToken, tok.TokenType, tok.RefreshToken, exp, now, tok.ExpiresIn, extra, s.vendor, s.user, s.basis)
	if err != nil {
		return s.errorf("saving: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return s.errorf("saving: %w", err)
	}
	if n == 0 {
		// No row, or a row holding another refresh token.
		res, err = q.ExecContext(ctx, s.d.rebind(`INSERT INTO `+TokenTable+` `+cols+` ON CONFLICT (vendor, user_id) DO NOTHING`), args...)
		if err != nil {
			return s.errorf("saving: %w", err)
		}
		if n, err = res.RowsAffected(); err != nil {
			return s.errorf("saving: %w", err)
		}
		if n == 0 {
			return s.errorf("saving: %w", wearkit.ErrTokenConflict)
		}
	}
	return nil
}

// lockPoll is how often LockToken tries again while SQLite reports another
// writer.
const lockPoll = 5 * time.Millisecond

// LockToken implements wearkit.TokenLocker: it opens a transaction on a
// connection of its own that excludes every other holder of this user's
// token lock, in any process sharing the database, waiting at most until
// ctx ends. On PostgreSQL it locks the user's row (SELECT ... FOR UPDATE;
// a user with no row yet has nothing to refresh); on SQLite it takes the
// database's write lock (BEGIN IMMEDIATE). Until unlock, this store's Load
// and Save run inside that transaction; unlock commits it. A process that
// dies holding the lock loses its connection, and the database releases
// the lock and drops the unsaved work. A Save under the lock commits the
// transaction before it returns, which ends the lock (its work is done);
// unlock then only returns the connection.
func (s *TokenStore) LockToken(ctx context.Context) (func() error, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, s.errorf("locking: %w", err)
	}
	if err := s.begin(ctx, conn); err != nil {
		discard(conn)
		return nil, s.errorf("locking: %w", err)
	}
	lt := &lockTx{conn: conn}
	s.mu.Lock()
	s.held = lt
	s.mu.Unlock()
	var once sync.Once
	var uerr error
	return func() error {
		once.Do(func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			if lt.committed {
				// A Save committed and ended the transaction.
				uerr = conn.Close()
				return
			}
			if s.held == lt {
				s.held = nil
			}
			// Nothing was saved: end the transaction, whatever the
			// caller's context says.
			if _, err := conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
				discard(conn)
				uerr = s.errorf("unlocking: %w", err)
				return
			}
			uerr = conn.Close()
		})
		return uerr
	}, nil
}

func (s *TokenStore) begin(ctx context.Context, conn *sql.Conn) error {
	if s.d == PostgreSQL {
		if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
			return err
		}
		var one int
		err := conn.QueryRowContext(ctx, s.d.rebind(`SELECT 1 FROM `+TokenTable+` WHERE vendor = ? AND user_id = ? FOR UPDATE`), s.vendor, s.user).Scan(&one)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		return nil
	}
	// The driver would wait out the connection's busy timeout without
	// looking at ctx: poll with none, and put it back once in.
	var timeout int64
	if err := conn.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&timeout); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA busy_timeout = 0"); err != nil {
		return err
	}
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		_, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE")
		if err == nil {
			_, err = conn.ExecContext(ctx, "PRAGMA busy_timeout = "+strconv.FormatInt(timeout, 10))
			return err
		}
		if !busy(err) {
			return err
		}
		t.Reset(lockPoll)
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last: %w)", ctx.Err(), err)
		case <-t.C:
		}
	}
}

// busy reports SQLite's "another connection writes" answers.
func busy(err error) bool {
	m := err.Error()
	return strings.Contains(m, "SQLITE_BUSY") || strings.Contains(m, "database is locked")
}

// discard closes conn and keeps it out of the pool, whatever state its
// transaction is in.
func discard(conn *sql.Conn) {
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	_ = conn.Close()
}
