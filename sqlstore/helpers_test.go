package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite"
)

// PostgresEnv names the variable holding the DSN of a PostgreSQL database
// the tests may use (.ci/run sets it when it can start a local server).
const PostgresEnv = "WEARKIT_POSTGRES_DSN"

// testDB is one database the tests run against: open returns a new pool on
// it, as another process would have.
type testDB struct {
	name    string
	dialect Dialect
	driver  string
	dsn     string
}

func (d testDB) open(tb testing.TB) *sql.DB {
	tb.Helper()
	db, err := sql.Open(d.driver, d.dsn)
	require.NoError(tb, err)
	tb.Cleanup(func() { db.Close() })
	return db
}

// sqliteDSN is a database file shared by several pools or processes.
func sqliteDSN(path string) string {
	return "file:" + path + "?_pragma=busy_timeout(20000)&_pragma=journal_mode(WAL)"
}

func sqliteDB(tb testing.TB) testDB {
	d := testDB{name: "sqlite", dialect: SQLite, driver: "sqlite", dsn: sqliteDSN(filepath.Join(tb.TempDir(), "wearkit.db"))}
	require.NoError(tb, Migrate(context.Background(), d.open(tb), SQLite))
	return d
}

// postgresDB skips the test, saying why, when no PostgreSQL is reachable.
func postgresDB(tb testing.TB) testDB {
	dsn := os.Getenv(PostgresEnv)
	if dsn == "" {
		tb.Skipf("PostgreSQL not reachable: %s is not set (.ci/run sets it when it can start a local server)", PostgresEnv)
	}
	d := testDB{name: "postgresql", dialect: PostgreSQL, driver: "pgx", dsn: dsn}
	db := d.open(tb)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		tb.Skipf("PostgreSQL not reachable at %s: %v", PostgresEnv, err)
	}
	require.NoError(tb, Migrate(ctx, db, PostgreSQL))
	return d
}

// eachDB runs f as a subtest on SQLite and on PostgreSQL (skipped when it
// is not reachable).
func eachDB(t *testing.T, f func(t *testing.T, d testDB)) {
	t.Run("sqlite", func(t *testing.T) { f(t, sqliteDB(t)) })
	t.Run("postgresql", func(t *testing.T) { f(t, postgresDB(t)) })
}

var userSeq atomic.Int64

// uniqueUser names a user no other test (or earlier run on a shared
// PostgreSQL) uses.
func uniqueUser(prefix string) string {
	return fmt.Sprintf("%s-%d-%d", prefix, time.Now().UnixNano(), userSeq.Add(1))
}
