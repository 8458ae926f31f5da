package sqlstore

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/wearkit/wearkit/withings"
	"github.com/wearkit/wearkit/withings/withingstest"
)

// childEnv makes the test binary run crashChild instead of the tests.
const childEnv = "WEARKIT_SQLSTORE_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "crash" {
		if err := crashChild(); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(2)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// hangingStore stops a process between the refresh and the save: Save
// says "refreshed" on stdout and waits to be killed.
type hangingStore struct{ *TokenStore }

func (h hangingStore) Save(context.Context, *oauth2.Token) error {
	fmt.Println("refreshed")
	select {}
}

// crashChild is the process that dies: it locks, reloads and refreshes
// the user's token at the fake's token endpoint, and never saves.
func crashChild() error {
	db, err := sql.Open(os.Getenv("CHILD_DRIVER"), os.Getenv("CHILD_DSN"))
	if err != nil {
		return err
	}
	d := SQLite
	if os.Getenv("CHILD_DRIVER") == "pgx" {
		d = PostgreSQL
	}
	s, err := NewTokenStore(db, d, "withings", os.Getenv("CHILD_USER"))
	if err != nil {
		return err
	}
	cfg := &withings.Config{ClientID: withingstest.ClientID, ClientSecret: withingstest.ClientSecret,
		Endpoint: oauth2.Endpoint{TokenURL: os.Getenv("CHILD_TOKEN_URL"), AuthStyle: oauth2.AuthStyleInParams}}
	_, err = cfg.TokenSource(context.Background(), hangingStore{s}).Token()
	return fmt.Errorf("the source returned (%v) instead of hanging in Save", err)
}

// TestCrashBetweenRefreshAndSave: a process killed after its refresh and
// before its save leaves the old token stored, and it still works: with
// Withings' rotation the old refresh token lives until the new access
// token (which nobody saw) is used. The killed process's database lock is
// released with its connection.
func TestCrashBetweenRefreshAndSave(t *testing.T) {
	eachDB(t, func(t *testing.T, d testDB) {
		ctx := context.Background()
		srv := withingstest.New(t)
		user := uniqueUser("crash")
		seed := srv.Token()
		seed.Expiry = time.Now().Add(-time.Minute)
		s, err := NewTokenStore(d.open(t), d.dialect, "withings", user)
		require.NoError(t, err)
		require.NoError(t, s.Save(ctx, seed))

		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"=crash", "CHILD_DRIVER="+d.driver, "CHILD_DSN="+d.dsn,
			"CHILD_USER="+user, "CHILD_TOKEN_URL="+srv.Endpoint().TokenURL)
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		require.NoError(t, err)
		require.NoError(t, cmd.Start())
		line, err := bufio.NewReader(out).ReadString('\n')
		require.NoError(t, err, "the child ends before its refresh")
		require.Equal(t, "refreshed", strings.TrimSpace(line))
		require.Equal(t, 1, srv.Refreshes(), "the child refreshed")

		// The child holds the lock: nobody else gets it.
		waitCtx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		began := time.Now()
		_, err = s.LockToken(waitCtx)
		cancel()
		require.ErrorIs(t, err, context.DeadlineExceeded, "the child holds the lock")
		assert.Less(t, time.Since(began), 5*time.Second, "the wait for the lock ends with its context, whatever the busy timeout")

		require.NoError(t, cmd.Process.Kill())
		_ = cmd.Wait()

		stored, err := s.Load(ctx)
		require.NoError(t, err)
		assert.Equal(t, seed.RefreshToken, stored.RefreshToken, "the killed process saved nothing")
		assert.True(t, srv.RefreshTokenAlive(seed.RefreshToken), "the old refresh token still works")

		cfg := &withings.Config{ClientID: withingstest.ClientID, ClientSecret: withingstest.ClientSecret, Endpoint: srv.Endpoint()}
		c, err := withings.New(withings.WithBaseURL(srv.URL), withings.WithTokenSource(cfg.TokenSource(ctx, s)))
		require.NoError(t, err)
		lockCtx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		_, err = c.Devices(lockCtx)
		require.NoError(t, err, "the survivor refreshes from the stored token and calls the API")
		assert.Equal(t, 2, srv.Refreshes())
		stored, err = s.Load(ctx)
		require.NoError(t, err)
		assert.NotEqual(t, seed.RefreshToken, stored.RefreshToken)
		assert.True(t, srv.RefreshTokenAlive(stored.RefreshToken))
		assert.False(t, srv.RefreshTokenAlive(seed.RefreshToken), "the new token's use retired the old one")
	})
}
