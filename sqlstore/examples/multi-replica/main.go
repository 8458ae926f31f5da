// Command multi-replica runs several processes of a Withings sync against
// one database of tokens and shows that each expired user's token is
// refreshed once between them and that no refresh token is lost.
//
//	go run ./examples/multi-replica        (from the sqlstore folder)
//
// It starts one withingstest fake per user on loopback, stores each user's
// expired token in the database (sqlstore.Migrate, sqlstore.TokenStore),
// then starts the replicas: copies of this program, each syncing every
// user at once through withings.Config.TokenSource over the database
// store. At the end it asks each fake how many refreshes it granted and
// whether the stored refresh token still works. Settings:
//
//	MULTI_REPLICA_DSN        a SQLite file, or a postgres:// URL (default: a
//	                         SQLite file in a temporary folder)
//	MULTI_REPLICA_PROCESSES  replicas, 1..32 (default 4)
//	MULTI_REPLICA_USERS      users, 1..50 (default 3)
package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"golang.org/x/oauth2"
	_ "modernc.org/sqlite"

	"github.com/wearkit/wearkit/sqlstore"
	"github.com/wearkit/wearkit/withings"
	"github.com/wearkit/wearkit/withings/withingstest"
)

const usage = `usage: multi-replica

Runs several processes of a Withings sync against the built-in fake and one
database of tokens, and shows one refresh per expired user and no lost token.
Settings come from the environment:

  MULTI_REPLICA_DSN        a SQLite file, or a postgres:// URL
                           (default: a SQLite file in a temporary folder)
  MULTI_REPLICA_PROCESSES  replicas, 1..32 (default 4)
  MULTI_REPLICA_USERS      users, 1..50 (default 3)
`

// roleEnv and fakesEnv tell a copy of the program it is a replica and
// where each user's fake is.
const (
	roleEnv  = "MULTI_REPLICA_ROLE"
	fakesEnv = "MULTI_REPLICA_FAKES"
)

func main() {
	if os.Getenv(roleEnv) == "replica" {
		os.Exit(replicaMain(os.Stdout, os.Stderr, os.Getenv))
	}
	os.Exit(cli(os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

// cli runs the command and returns its exit code: 0 for -h, 2 for a bad
// argument, 1 for a failure.
func cli(args []string, stdout, stderr io.Writer, env func(string) string) int {
	fl := flag.NewFlagSet("multi-replica", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() { fmt.Fprint(stdout, usage) }
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "multi-replica: unexpected argument %q\n\n%s", fl.Arg(0), usage)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, stdout, env); err != nil {
		fmt.Fprintln(stderr, "multi-replica:", err)
		return 1
	}
	return 0
}

// settings are the environment's values, all checked before anything
// starts.
type settings struct {
	driver, dsn string
	dialect     sqlstore.Dialect
	processes   int
	users       int
}

func parseSettings(env func(string) string, tmp func() (string, error)) (settings, error) {
	s := settings{processes: 4, users: 3}
	for _, v := range []struct {
		name     string
		dst      *int
		min, max int
	}{{"MULTI_REPLICA_PROCESSES", &s.processes, 1, 32}, {"MULTI_REPLICA_USERS", &s.users, 1, 50}} {
		if raw := env(v.name); raw != "" {
			n, err := strconv.Atoi(raw)
			if err != nil || n < v.min || n > v.max {
				return s, fmt.Errorf("%s: %q: want a whole number from %d to %d", v.name, raw, v.min, v.max)
			}
			*v.dst = n
		}
	}
	dsn := env("MULTI_REPLICA_DSN")
	switch {
	case strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://"):
		s.driver, s.dsn, s.dialect = "pgx", dsn, sqlstore.PostgreSQL
	default:
		if dsn == "" {
			dir, err := tmp()
			if err != nil {
				return s, err
			}
			dsn = filepath.Join(dir, "tokens.db")
		}
		if strings.ContainsAny(dsn, "?#") {
			return s, fmt.Errorf("MULTI_REPLICA_DSN: %q: want a SQLite file path (no query) or a postgres:// URL", dsn)
		}
		s.driver, s.dialect = "sqlite", sqlstore.SQLite
		s.dsn = "file:" + dsn + "?_pragma=busy_timeout(20000)&_pragma=journal_mode(WAL)"
	}
	return s, nil
}

// fake is one user's fake Withings.
type fake struct {
	user string
	srv  *withingstest.Server
}

func run(ctx context.Context, out io.Writer, env func(string) string) error {
	var tmpDir string
	defer func() {
		if tmpDir != "" {
			os.RemoveAll(tmpDir)
		}
	}()
	set, err := parseSettings(env, func() (string, error) {
		d, err := os.MkdirTemp("", "multi-replica-")
		tmpDir = d
		return d, err
	})
	if err != nil {
		return err
	}
	db, err := sql.Open(set.driver, set.dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := sqlstore.Migrate(ctx, db, set.dialect); err != nil {
		return err
	}

	run := strconv.FormatInt(time.Now().UnixNano(), 36) // users of this run only
	fakes := make([]fake, set.users)
	var where []string
	for i := range fakes {
		srv := withingstest.NewServer(withingstest.WithRateLimit(0))
		defer srv.Close()
		fakes[i] = fake{user: fmt.Sprintf("user-%d-%s", i+1, run), srv: srv}
		tok := srv.Token()
		tok.Expiry = time.Now().Add(-time.Hour) // expired: every replica wants a new one
		store, err := sqlstore.NewTokenStore(db, set.dialect, "withings", fakes[i].user)
		if err != nil {
			return err
		}
		if err := store.Save(ctx, tok); err != nil {
			return err
		}
		where = append(where, fakes[i].user+"="+srv.URL)
	}
	fmt.Fprintf(out, "%d users with expired tokens in %s; starting %d replicas\n", set.users, set.dialect, set.processes)

	self, err := os.Executable()
	if err != nil {
		return err
	}
	lines := make([][]string, set.processes)
	errs := make([]error, set.processes)
	var wg sync.WaitGroup
	for p := range set.processes {
		cmd := exec.CommandContext(ctx, self)
		cmd.Env = append(os.Environ(), roleEnv+"=replica", fakesEnv+"="+strings.Join(where, ","),
			"MULTI_REPLICA_DRIVER="+set.driver, "MULTI_REPLICA_SQL_DSN="+set.dsn)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		pipe, err := cmd.StdoutPipe()
		if err != nil {
			return err
		}
		if err := cmd.Start(); err != nil {
			return fmt.Errorf("replica %d: %w", p+1, err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sc := bufio.NewScanner(pipe)
			for sc.Scan() {
				lines[p] = append(lines[p], sc.Text())
			}
			if err := cmd.Wait(); err != nil {
				errs[p] = fmt.Errorf("replica %d: %w: %s", p+1, err, strings.TrimSpace(stderr.String()))
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for p, ls := range lines {
		fmt.Fprintf(out, "replica %d: %s\n", p+1, strings.Join(ls, "; "))
	}

	var problems []string
	for _, f := range fakes {
		store, err := sqlstore.NewTokenStore(db, set.dialect, "withings", f.user)
		if err != nil {
			return err
		}
		tok, err := store.Load(ctx)
		if err != nil {
			return err
		}
		alive := tok != nil && f.srv.RefreshTokenAlive(tok.RefreshToken)
		fp := fingerprint(tok)
		same := 0
		for _, ls := range lines {
			for _, l := range ls {
				if strings.HasPrefix(l, shortName(f.user)+" ") && strings.HasSuffix(l, fp) {
					same++
				}
			}
		}
		fmt.Fprintf(out, "%s: %d refresh for %d replicas; %d used the stored token %s; stored refresh token works: %v\n",
			shortName(f.user), f.srv.Refreshes(), set.processes, same, fp, alive)
		if f.srv.Refreshes() != 1 || !alive || same != set.processes {
			problems = append(problems, shortName(f.user))
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return fmt.Errorf("users %s: not one refresh, a lost token or a replica on another token", strings.Join(problems, ", "))
	}
	fmt.Fprintln(out, "one refresh per user, no lost token")
	return nil
}

// shortName drops the run's suffix from a user name.
func shortName(user string) string {
	if i := strings.LastIndexByte(user, '-'); i > 0 {
		return user[:i]
	}
	return user
}

// fingerprint names an access token without showing it.
func fingerprint(tok *oauth2.Token) string {
	if tok == nil {
		return "none"
	}
	sum := sha256.Sum256([]byte(tok.AccessToken))
	return fmt.Sprintf("%x", sum[:4])
}

// replicaMain is one replica: it syncs every user at once (their devices
// and the last week's measures) and prints one line per user.
func replicaMain(stdout, stderr io.Writer, env func(string) string) int {
	if err := replica(context.Background(), stdout, env); err != nil {
		fmt.Fprintln(stderr, "replica:", err)
		return 1
	}
	return 0
}

func replica(ctx context.Context, out io.Writer, env func(string) string) error {
	dialect := sqlstore.SQLite
	if env("MULTI_REPLICA_DRIVER") == "pgx" {
		dialect = sqlstore.PostgreSQL
	}
	db, err := sql.Open(env("MULTI_REPLICA_DRIVER"), env("MULTI_REPLICA_SQL_DSN"))
	if err != nil {
		return err
	}
	defer db.Close()
	var mu sync.Mutex
	var lines []string
	var errs []error
	var wg sync.WaitGroup
	for _, kv := range strings.Split(env(fakesEnv), ",") {
		user, url, ok := strings.Cut(kv, "=")
		if !ok {
			return fmt.Errorf("%s: %q is not user=url", fakesEnv, kv)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			line, err := syncUser(ctx, db, dialect, user, url)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", shortName(user), err))
				return
			}
			lines = append(lines, line)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	sort.Strings(lines)
	for _, l := range lines {
		fmt.Fprintln(out, l)
	}
	return nil
}

// syncUser reads one user's devices and last week's measures with the
// token source over the shared store.
func syncUser(ctx context.Context, db *sql.DB, d sqlstore.Dialect, user, url string) (string, error) {
	store, err := sqlstore.NewTokenStore(db, d, "withings", user)
	if err != nil {
		return "", err
	}
	cfg := &withings.Config{ClientID: withingstest.ClientID, ClientSecret: withingstest.ClientSecret,
		Endpoint: oauth2.Endpoint{AuthURL: url + withingstest.AuthorizePath, TokenURL: url + withingstest.TokenPath, AuthStyle: oauth2.AuthStyleInParams}}
	ts := cfg.TokenSource(ctx, store)
	c, err := withings.New(withings.WithBaseURL(url), withings.WithTokenSource(ts))
	if err != nil {
		return "", err
	}
	devices, err := c.Devices(ctx)
	if err != nil {
		return "", err
	}
	groups := 0
	for _, err := range c.Measures(ctx, &withings.MeasureOptions{Start: time.Now().AddDate(0, 0, -7), End: time.Now()}) {
		if err != nil {
			return "", err
		}
		groups++
	}
	tok, err := ts.Token()
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s %d devices, %d measure groups, token %s", shortName(user), len(devices), groups, fingerprint(tok)), nil
}
