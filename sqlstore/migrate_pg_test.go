package sqlstore

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

// postgresSchema returns a testDB on a schema of its own (dropped at the
// end), so a test can start from no table or from an older one.
func postgresSchema(t *testing.T) testDB {
	t.Helper()
	base := postgresDB(t)
	schema := strings.ReplaceAll(uniqueUser("mig"), "-", "_")
	admin := base.open(t)
	ctx := context.Background()
	_, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema)
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = admin.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`) })
	sep := "?"
	if strings.Contains(base.dsn, "?") {
		sep = "&"
	}
	return testDB{name: "postgresql", dialect: PostgreSQL, driver: "pgx", dsn: base.dsn + sep + "search_path=" + schema}
}

// Replicas migrating at once on PostgreSQL, from no table and from the
// first release's table: every Migrate succeeds and the store works.
func TestMigrateConcurrentlyOnPostgreSQL(t *testing.T) {
	for _, older := range []bool{false, true} {
		d := postgresSchema(t)
		ctx := context.Background()
		if older {
			_, err := d.open(t).ExecContext(ctx, `CREATE TABLE `+TokenTable+` (
	vendor TEXT NOT NULL, user_id TEXT NOT NULL, access_token TEXT NOT NULL, token_type TEXT NOT NULL,
	refresh_token TEXT NOT NULL, expiry_unix_ns BIGINT NOT NULL, updated_unix_ns BIGINT NOT NULL,
	PRIMARY KEY (vendor, user_id))`)
			require.NoError(t, err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 6)
		start := make(chan struct{})
		for i := range errs {
			db := d.open(t)
			require.NoError(t, db.PingContext(ctx))
			wg.Add(1)
			go func() { defer wg.Done(); <-start; errs[i] = Migrate(ctx, db, PostgreSQL) }()
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			require.NoError(t, err, "older table %v, replica %d", older, i)
		}
		s, err := NewTokenStore(d.open(t), PostgreSQL, "withings", "u1")
		require.NoError(t, err)
		require.NoError(t, s.Save(ctx, &oauth2.Token{AccessToken: "a1", RefreshToken: "r1", ExpiresIn: 60, Expiry: time.Now().Add(time.Minute)}))
		tok, err := s.Load(ctx)
		require.NoError(t, err)
		assert.Equal(t, int64(60), tok.ExpiresIn)
	}
}
