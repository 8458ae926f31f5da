package sqlstore

import (
	"context"
	"encoding/json"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/withings"
	"github.com/wearkit/wearkit/withings/withingstest"
)

func TestNewTokenStoreRejectsBadArguments(t *testing.T) {
	d := sqliteDB(t)
	db := d.open(t)
	_, err := NewTokenStore(nil, SQLite, "withings", "u")
	require.ErrorContains(t, err, "nil *sql.DB")
	_, err = NewTokenStore(db, Dialect(9), "withings", "u")
	require.ErrorContains(t, err, "unknown dialect Dialect(9, unknown)")
	_, err = NewTokenStore(db, SQLite, "", "u")
	require.ErrorContains(t, err, `empty vendor ("") or user ("u")`)
	require.ErrorContains(t, Migrate(context.Background(), db, Dialect(0)), "unknown dialect")
	require.ErrorContains(t, Migrate(context.Background(), nil, SQLite), "nil *sql.DB")
}

func TestRebind(t *testing.T) {
	assert.Equal(t, "a = $1 AND b = $2", PostgreSQL.rebind("a = ? AND b = ?"))
	assert.Equal(t, "a = ? AND b = ?", SQLite.rebind("a = ? AND b = ?"))
}

func TestTokenRoundTrip(t *testing.T) {
	eachDB(t, func(t *testing.T, d testDB) {
		ctx := context.Background()
		user := uniqueUser("roundtrip")
		s, err := NewTokenStore(d.open(t), d.dialect, "withings", user)
		require.NoError(t, err)
		tok, err := s.Load(ctx)
		require.NoError(t, err)
		assert.Nil(t, tok, "nothing saved yet")

		exp := time.Date(2026, 12, 2, 6, 0, 0, 123456789, time.UTC)
		require.NoError(t, s.Save(ctx, &oauth2.Token{AccessToken: "a1", TokenType: "Bearer", RefreshToken: "r1", Expiry: exp}))
		other, err := NewTokenStore(d.open(t), d.dialect, "withings", user)
		require.NoError(t, err)
		tok, err = other.Load(ctx)
		require.NoError(t, err)
		require.NotNil(t, tok)
		assert.Equal(t, "a1", tok.AccessToken)
		assert.Equal(t, "Bearer", tok.TokenType)
		assert.Equal(t, "r1", tok.RefreshToken)
		assert.True(t, exp.Equal(tok.Expiry), "expiry %v", tok.Expiry)

		// The same user of another vendor is another row; no expiry stays
		// none.
		polar, err := NewTokenStore(d.open(t), d.dialect, "polar", user)
		require.NoError(t, err)
		require.NoError(t, polar.Save(ctx, &oauth2.Token{AccessToken: "p"}))
		tok, err = polar.Load(ctx)
		require.NoError(t, err)
		assert.True(t, tok.Expiry.IsZero())
		tok, err = other.Load(ctx)
		require.NoError(t, err)
		assert.Equal(t, "a1", tok.AccessToken)

		require.ErrorContains(t, s.Save(ctx, nil), "nil token")
	})
}

// TestStaleWriterLosesItsSave: a store that read r1 cannot overwrite the r2
// another process saved since; a new authorization (a store that read
// nothing) can.
func TestStaleWriterLosesItsSave(t *testing.T) {
	eachDB(t, func(t *testing.T, d testDB) {
		ctx := context.Background()
		user := uniqueUser("stale")
		a, _ := NewTokenStore(d.open(t), d.dialect, "withings", user)
		b, _ := NewTokenStore(d.open(t), d.dialect, "withings", user)
		require.NoError(t, a.Save(ctx, &oauth2.Token{AccessToken: "a1", RefreshToken: "r1"}))
		_, err := b.Load(ctx)
		require.NoError(t, err)
		_, err = a.Load(ctx)
		require.NoError(t, err)
		require.NoError(t, b.Save(ctx, &oauth2.Token{AccessToken: "a2", RefreshToken: "r2"}))

		err = a.Save(ctx, &oauth2.Token{AccessToken: "stale", RefreshToken: "r-stale"})
		require.ErrorIs(t, err, wearkit.ErrTokenConflict)
		assert.Contains(t, err.Error(), "sqlstore: withings token of user")
		tok, err := a.Load(ctx)
		require.NoError(t, err)
		assert.Equal(t, "a2", tok.AccessToken, "the newer token stays")
		// Having read r2, a may replace it.
		require.NoError(t, a.Save(ctx, &oauth2.Token{AccessToken: "a3", RefreshToken: "r3"}))
		// b still believes r2 is stored: it loses too.
		require.ErrorIs(t, b.Save(ctx, &oauth2.Token{AccessToken: "x", RefreshToken: "rx"}), wearkit.ErrTokenConflict)

		fresh, _ := NewTokenStore(d.open(t), d.dialect, "withings", user)
		require.NoError(t, fresh.Save(ctx, &oauth2.Token{AccessToken: "auth", RefreshToken: "r-auth"}), "a new authorization replaces whatever is stored")
		tok, err = b.Load(ctx)
		require.NoError(t, err)
		assert.Equal(t, "auth", tok.AccessToken)
	})
}

// unlocked hides a store's lock: a writer whose lock did not hold.
type unlocked struct{ s *TokenStore }

func (u unlocked) Load(ctx context.Context) (*oauth2.Token, error) { return u.s.Load(ctx) }
func (u unlocked) Save(ctx context.Context, t *oauth2.Token) error { return u.s.Save(ctx, t) }

// TestStaleWriterTakesTheStoredToken: a source that refreshed while
// another process saved a newer token loses its save and uses the stored
// token, at the token endpoint of the withings fake.
func TestStaleWriterTakesTheStoredToken(t *testing.T) {
	eachDB(t, func(t *testing.T, d testDB) {
		ctx := context.Background()
		srv := withingstest.New(t)
		cfg := &withings.Config{ClientID: withingstest.ClientID, ClientSecret: withingstest.ClientSecret, Endpoint: srv.Endpoint()}
		user := uniqueUser("stale-source")
		seed := srv.Token()
		seed.Expiry = time.Now().Add(-time.Minute)
		first, _ := NewTokenStore(d.open(t), d.dialect, "withings", user)
		require.NoError(t, first.Save(ctx, seed))

		other, _ := NewTokenStore(d.open(t), d.dialect, "withings", user)
		var theirs *oauth2.Token
		mine, _ := NewTokenStore(d.open(t), d.dialect, "withings", user)
		ts := wearkit.StoredTokenSource(ctx, unlocked{mine}, func(ctx context.Context, old *oauth2.Token) (*oauth2.Token, error) {
			// Another process refreshes and saves first.
			cur, err := other.Load(ctx)
			require.NoError(t, err)
			theirs, err = cfg.Refresh(ctx, cur.RefreshToken)
			require.NoError(t, err)
			require.NoError(t, other.Save(ctx, theirs))
			return cfg.Refresh(ctx, old.RefreshToken)
		})
		tok, err := ts.Token()
		require.NoError(t, err)
		assert.Equal(t, theirs.AccessToken, tok.AccessToken, "the stale writer uses the stored token")
		stored, err := other.Load(ctx)
		require.NoError(t, err)
		assert.Equal(t, theirs.RefreshToken, stored.RefreshToken, "the stored token was not overwritten")
		assert.Equal(t, 2, srv.Refreshes())
		assert.True(t, srv.RefreshTokenAlive(stored.RefreshToken))
	})
}

// TestOneRefreshPerExpiredUser: 8 replicas, each with its own connection
// pool and token sources, ask for the tokens of 4 expired users at once;
// each user is refreshed once, everyone gets that token, and it works.
func TestOneRefreshPerExpiredUser(t *testing.T) {
	eachDB(t, func(t *testing.T, d testDB) {
		const replicas, users = 8, 4
		ctx := context.Background()
		type user struct {
			id  string
			srv *withingstest.Server
			cfg *withings.Config
		}
		us := make([]user, users)
		seedDB := d.open(t)
		for i := range us {
			srv := withingstest.New(t, withingstest.WithRateLimit(0))
			us[i] = user{id: uniqueUser("one-refresh"), srv: srv, cfg: &withings.Config{ClientID: withingstest.ClientID, ClientSecret: withingstest.ClientSecret, Endpoint: srv.Endpoint()}}
			tok := srv.Token()
			tok.Expiry = time.Now().Add(-time.Minute)
			s, err := NewTokenStore(seedDB, d.dialect, "withings", us[i].id)
			require.NoError(t, err)
			require.NoError(t, s.Save(ctx, tok))
		}
		got := make([][]string, replicas)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for r := range replicas {
			got[r] = make([]string, users)
			db := d.open(t)
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				var uw sync.WaitGroup
				for i, u := range us {
					uw.Add(1)
					go func() {
						defer uw.Done()
						s, err := NewTokenStore(db, d.dialect, "withings", u.id)
						if !assert.NoError(t, err) {
							return
						}
						c, err := withings.New(withings.WithBaseURL(u.srv.URL), withings.WithTokenSource(u.cfg.TokenSource(ctx, s)))
						if !assert.NoError(t, err) {
							return
						}
						_, err = c.Devices(ctx)
						assert.NoError(t, err, "replica %d user %d", r, i)
						tok, err := s.Load(ctx)
						if assert.NoError(t, err) && assert.NotNil(t, tok) {
							got[r][i] = tok.AccessToken
						}
					}()
				}
				uw.Wait()
			}()
		}
		close(start)
		wg.Wait()
		for i, u := range us {
			assert.Equal(t, 1, u.srv.Refreshes(), "user %d refreshed once", i)
			s, _ := NewTokenStore(seedDB, d.dialect, "withings", u.id)
			tok, err := s.Load(ctx)
			require.NoError(t, err)
			assert.True(t, u.srv.RefreshTokenAlive(tok.RefreshToken), "user %d: the stored refresh token works", i)
			for r := range replicas {
				assert.Equal(t, tok.AccessToken, got[r][i], "replica %d user %d has the stored token", r, i)
			}
		}
	})
}

// TestSaveUnderLockIsDurableAtOnce: the source ignores unlock's error, so
// a save under the lock must be committed when Save returns, and the lock
// released with it.
func TestSaveUnderLockIsDurableAtOnce(t *testing.T) {
	eachDB(t, func(t *testing.T, d testDB) {
		ctx := context.Background()
		user := uniqueUser("durable")
		s, _ := NewTokenStore(d.open(t), d.dialect, "withings", user)
		require.NoError(t, s.Save(ctx, &oauth2.Token{AccessToken: "a1", RefreshToken: "r1"}))
		unlock, err := s.LockToken(ctx)
		require.NoError(t, err)
		_, err = s.Load(ctx)
		require.NoError(t, err)
		require.NoError(t, s.Save(ctx, &oauth2.Token{AccessToken: "a2", RefreshToken: "r2"}))

		other, _ := NewTokenStore(d.open(t), d.dialect, "withings", user)
		tok, err := other.Load(ctx)
		require.NoError(t, err)
		assert.Equal(t, "a2", tok.AccessToken, "committed before unlock")
		lockCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		unlock2, err := other.LockToken(lockCtx)
		require.NoError(t, err, "the lock ended with the save")
		require.NoError(t, unlock2())
		require.NoError(t, unlock())
		require.NoError(t, unlock(), "unlock twice is harmless")

		// Load and Save after the save run outside the ended transaction.
		tok, err = s.Load(ctx)
		require.NoError(t, err)
		assert.Equal(t, "a2", tok.AccessToken)
	})
}

// The token answer's extras clients read (Withings' userid) and the
// lifetime (ExpiresIn, which sets the refresh margin of short-lived
// tokens) survive a save and a load in another pool, on both databases.
func TestTokenExtrasAndLifetimeRoundTrip(t *testing.T) {
	eachDB(t, func(t *testing.T, d testDB) {
		ctx := context.Background()
		user := uniqueUser("extras")
		s, err := NewTokenStore(d.open(t), d.dialect, "withings", user)
		require.NoError(t, err)
		tok := (&oauth2.Token{AccessToken: "a1", RefreshToken: "r1", ExpiresIn: 10800, Expiry: time.Now().Add(3 * time.Hour)}).
			WithExtra(map[string]any{"userid": json.Number("9007199254740993"), "scope": "user.metrics", "not_kept": "x"})
		require.NoError(t, s.Save(ctx, tok))
		other, err := NewTokenStore(d.open(t), d.dialect, "withings", user)
		require.NoError(t, err)
		got, err := other.Load(ctx)
		require.NoError(t, err)
		assert.Equal(t, json.Number("9007199254740993"), got.Extra("userid"))
		assert.Equal(t, "user.metrics", got.Extra("scope"))
		assert.Nil(t, got.Extra("not_kept"))
		assert.Equal(t, int64(10800), got.ExpiresIn)

		// A conditional save replaces them; a token without any clears them.
		require.NoError(t, other.Save(ctx, &oauth2.Token{AccessToken: "a2", RefreshToken: "r2"}))
		got, err = s.Load(ctx)
		require.NoError(t, err)
		assert.Equal(t, "a2", got.AccessToken)
		assert.Nil(t, got.Extra("userid"))
		assert.Zero(t, got.ExpiresIn)
	})
}

// A table made by the first Migrate, without expires_in and extra, is
// brought up to date by today's, keeping its rows; running it again
// changes nothing.
func TestMigrateAddsColumnsToAnOlderTable(t *testing.T) {
	ctx := context.Background()
	d := testDB{name: "sqlite", dialect: SQLite, driver: "sqlite", dsn: sqliteDSN(filepath.Join(t.TempDir(), "old.db"))}
	db := d.open(t)
	_, err := db.ExecContext(ctx, `CREATE TABLE `+TokenTable+` (
	vendor          TEXT   NOT NULL,
	user_id         TEXT   NOT NULL,
	access_token    TEXT   NOT NULL,
	token_type      TEXT   NOT NULL,
	refresh_token   TEXT   NOT NULL,
	expiry_unix_ns  BIGINT NOT NULL,
	updated_unix_ns BIGINT NOT NULL,
	PRIMARY KEY (vendor, user_id))`)
	require.NoError(t, err)
	_, err = db.ExecContext(ctx, `INSERT INTO `+TokenTable+` VALUES ('withings', 'u1', 'a0', 'Bearer', 'r0', 0, 0)`)
	require.NoError(t, err)
	s, err := NewTokenStore(db, SQLite, "withings", "u1")
	require.NoError(t, err)
	_, err = s.Load(ctx)
	require.Error(t, err, "the old table lacks the new columns")

	// Replicas starting together all migrate at once.
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = Migrate(ctx, d.open(t), SQLite) }()
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	require.NoError(t, Migrate(ctx, db, SQLite))
	tok, err := s.Load(ctx)
	require.NoError(t, err)
	assert.Equal(t, "r0", tok.RefreshToken)
	require.NoError(t, s.Save(ctx, (&oauth2.Token{AccessToken: "a1", RefreshToken: "r1"}).WithExtra(map[string]any{"userid": "u1"})))
	tok, err = s.Load(ctx)
	require.NoError(t, err)
	assert.Equal(t, "u1", tok.Extra("userid"))
}
