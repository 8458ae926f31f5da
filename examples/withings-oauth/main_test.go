package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/withings"
	"github.com/wearkit/wearkit/withings/withingstest"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestHelp(t *testing.T) {
	var out, errb bytes.Buffer
	assert.Equal(t, 0, cli([]string{"-h"}, &out, &errb, envOf(nil)))
	assert.Contains(t, out.String(), "usage: withings-oauth")
	assert.Equal(t, 2, cli([]string{"extra"}, &out, &errb, envOf(nil)))
}

func TestBadEnvironmentBeforeAnyRequest(t *testing.T) {
	dir := t.TempDir()
	for want, env := range map[string]map[string]string{
		"go together":                       {"WITHINGS_CLIENT_ID": "id", "WITHINGS_TOKEN_FILE": filepath.Join(dir, "t.json")},
		"WITHINGS_REDIRECT_URL is required": {"WITHINGS_CLIENT_ID": "id", "WITHINGS_CLIENT_SECRET": "s", "WITHINGS_TOKEN_FILE": filepath.Join(dir, "t.json")},
		"ending in /callback":               {"WITHINGS_REDIRECT_URL": "https://app.example.com/cb", "WITHINGS_TOKEN_FILE": filepath.Join(dir, "t.json")},
		"WITHINGS_ADDR":                     {"WITHINGS_ADDR": "8080", "WITHINGS_TOKEN_FILE": filepath.Join(dir, "t.json")},
		"does not exist":                    {"WITHINGS_TOKEN_FILE": filepath.Join(dir, "missing", "t.json")},
	} {
		var out, errb bytes.Buffer
		assert.Equal(t, 1, cli(nil, &out, &errb, envOf(env)), want)
		assert.Contains(t, errb.String(), want)
		assert.Empty(t, out.String(), "nothing started")
	}
}

// startApp serves the example's application on loopback against the fake
// (a new one when fake is nil) and returns both.
func startApp(t *testing.T, tokenFile string, fake *withingstest.Server) (*httptest.Server, *withingstest.Server) {
	hs := httptest.NewUnstartedServer(nil)
	self := "http://" + hs.Listener.Addr().String()
	set, err := readSettings(envOf(map[string]string{"WITHINGS_TOKEN_FILE": tokenFile}))
	require.NoError(t, err)
	if fake == nil {
		fake = withingstest.New(t, withingstest.WithRedirectURL(self+"/callback"))
	}
	hs.Config.Handler = newApp(context.Background(), set, self, fake)
	hs.Start()
	t.Cleanup(hs.Close)
	return hs, fake
}

func get(t *testing.T, u string) string {
	resp, err := http.Get(u) // follows the dance's redirects
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(b))
	return string(b)
}

// The OAuth example end to end: not connected, connect (authorization
// page, callback, code exchange, token file), then the weight and sleep;
// a second process over the same file needs no login.
func TestOAuthFlowEndToEnd(t *testing.T) {
	tokenFile := filepath.Join(t.TempDir(), "withings-token.json")
	hs, fake := startApp(t, tokenFile, nil)

	assert.Contains(t, get(t, hs.URL+"/"), `<a href="/login">connect</a>`)
	page := get(t, hs.URL+"/login")
	assert.Contains(t, page, "<p>Withings user "+withingstest.UserID+"</p>")
	assert.Regexp(t, `<li>latest weight: \d+\.\d kg on \d{4}-\d\d-\d\d \d\d:\d\d</li>`, page)
	assert.Regexp(t, `<li>last night: \d+h\d+m0s asleep, \d\d:\d\d to \d\d:\d\d</li>|last night: no sleep recorded`, page)

	tok, err := wearkit.NewFileTokenStore(tokenFile).Load(context.Background())
	require.NoError(t, err)
	require.NotNil(t, tok)
	assert.NotEmpty(t, tok.RefreshToken)
	fi, err := os.Stat(tokenFile)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())

	// Another process over the same token file: no login needed.
	other, _ := startApp(t, tokenFile, fake)
	assert.Contains(t, get(t, other.URL+"/"), "latest weight: ")

	// A forged callback is refused.
	resp, err := http.Get(hs.URL + "/callback?code=x&state=forged")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
}

func TestSummaryOnTheFake(t *testing.T) {
	srv := withingstest.New(t)
	cfg := &withings.Config{ClientID: withingstest.ClientID, ClientSecret: withingstest.ClientSecret, Endpoint: srv.Endpoint()}
	c, err := withings.New(withings.WithBaseURL(srv.URL), withings.WithTokenSource(cfg.TokenSource(context.Background(), wearkit.NewMemoryTokenStore(srv.Token()))))
	require.NoError(t, err)
	lines, err := summary(context.Background(), c, srv.Clock.Now())
	require.NoError(t, err)
	require.Len(t, lines, 2)
	assert.True(t, strings.HasPrefix(lines[0], "latest weight: "), lines[0])
	assert.True(t, strings.HasPrefix(lines[1], "last night: "), lines[1])
}

func TestRunStopsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out bytes.Buffer
	require.NoError(t, run(ctx, &out, envOf(map[string]string{"WITHINGS_ADDR": "127.0.0.1:0", "WITHINGS_TOKEN_FILE": filepath.Join(t.TempDir(), "t.json")})))
	assert.Contains(t, out.String(), "open http://127.0.0.1:")
}

// lockedBuffer is a bytes.Buffer safe to read while run writes to it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// On Ctrl-C run returns only once Shutdown is done with the connections
// still open (Serve returns as soon as Shutdown starts): before, run
// returned at once and the process could exit under a request in flight,
// such as a callback saving the token.
func TestRunWaitsForShutdownOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, &out, envOf(map[string]string{"WITHINGS_ADDR": "127.0.0.1:0", "WITHINGS_TOKEN_FILE": filepath.Join(t.TempDir(), "t.json")}))
	}()
	var addr string
	require.Eventually(t, func() bool {
		_, rest, ok := strings.Cut(out.String(), "open http://")
		addr, _, _ = strings.Cut(rest, "/")
		return ok && addr != ""
	}, 5*time.Second, 10*time.Millisecond)

	// A connection in the middle of its request: Shutdown waits for it.
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	_, err = io.WriteString(conn, "GET / HTTP/1.1\r\nHost: app\r\n")
	require.NoError(t, err)
	time.Sleep(100 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		t.Fatalf("run returned (%v) while Shutdown still waited for a connection", err)
	case <-time.After(300 * time.Millisecond):
	}
	require.NoError(t, conn.Close())
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return once the connection was gone")
	}
}
