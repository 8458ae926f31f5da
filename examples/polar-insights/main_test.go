package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit/polar/polartest"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestRunsAgainstTheFake(t *testing.T) {
	var out, errOut bytes.Buffer
	require.Equal(t, 0, cli(nil, &out, &errOut, envOf(nil)), errOut.String())
	s := out.String()
	t.Log(s)
	assert.Contains(t, s, "using the built-in fake")
	assert.Contains(t, s, "baselines of user athlete_2:\n")
	assert.Regexp(t, `  hrv_rmssd +ready +\d+ samples, mean \d+\.\d\d, normal \d+\.\d\d\.\.\d+\.\d\d\n`, s)
	assert.Contains(t, s, "anomalies: 3\n")
	assert.Regexp(t, `  hrv_rmssd critical below: 25\.5 against \d+\.\d \(-\d+ %\)`, s)
	assert.Contains(t, s, "insights: ready, 91 days of data\n")
	assert.Contains(t, s, "  [anomaly/critical] HRV RMSSD is significantly below normal range")
	assert.Contains(t, s, "  suggestion: Prioritize sleep and recovery today (HRV is 46% below baseline)\n")
}

func TestNewUserShowsWhatUnlocksNext(t *testing.T) {
	var out, errOut bytes.Buffer
	require.Equal(t, 0, cli(nil, &out, &errOut, envOf(map[string]string{"POLAR_USER_ID": polartest.NewUserID})), errOut.String())
	s := out.String()
	assert.Contains(t, s, "insights: unavailable, 5 days of data\n  next unlock: baselines_7d in 2 days\n")
	assert.Contains(t, s, "[onboarding/info] Building your personal baselines (5/7 days)")
}

func TestHelpAndArguments(t *testing.T) {
	var out, errOut bytes.Buffer
	assert.Equal(t, 0, cli([]string{"-h"}, &out, &errOut, envOf(nil)))
	assert.Contains(t, out.String(), "usage: polar-insights")
	assert.Equal(t, 2, cli([]string{"extra"}, &bytes.Buffer{}, &errOut, envOf(nil)))
	assert.Contains(t, errOut.String(), `unexpected argument "extra"`)
}

// Bad settings are reported before any request: the URLs below would
// refuse a connection if one were tried, and the messages name the setting.
func TestBadEnvironmentReportedBeforeAnyRequest(t *testing.T) {
	for env, want := range map[string]map[string]string{
		"POLAR_API_KEY is set but POLAR_BASE_URL is not":      {"POLAR_API_KEY": "k"},
		`POLAR_BASE_URL "localhost:8000" is not an http`:      {"POLAR_BASE_URL": "localhost:8000", "POLAR_API_KEY": "k", "POLAR_USER_ID": "u"},
		"POLAR_API_KEY is required with POLAR_BASE_URL":       {"POLAR_BASE_URL": "http://127.0.0.1:1"},
		"POLAR_USER_ID is required with POLAR_BASE_URL":       {"POLAR_BASE_URL": "http://127.0.0.1:1", "POLAR_API_KEY": "k"},
		`POLAR_USER_ID: polar: ValidateUserID: user id "a/b"`: {"POLAR_USER_ID": "a/b"},
	} {
		var errOut bytes.Buffer
		code := cli(nil, &bytes.Buffer{}, &errOut, envOf(want))
		assert.Equal(t, 1, code, env)
		assert.True(t, strings.Contains(errOut.String(), env), "want %q in %q", env, errOut.String())
		assert.NotContains(t, errOut.String(), "connect", "no request was tried")
	}
}

func TestRunStopsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, run(ctx, &bytes.Buffer{}, envOf(nil)), context.Canceled)
}

// A server behind HTTP Basic takes its credentials in POLAR_BASE_URL
// ("https://user:password@host"); the first line printed the URL as given,
// password included. It prints the URL with the password redacted.
func TestBaseURLPasswordNeverPrinted(t *testing.T) {
	srv := polartest.New(t)
	base := strings.Replace(srv.URL, "http://", "http://admin:hunter2-secret@", 1)
	var out, errOut bytes.Buffer
	code := cli(nil, &out, &errOut, envOf(map[string]string{"POLAR_BASE_URL": base, "POLAR_API_KEY": polartest.APIKey,
		"POLAR_USER_ID": polartest.UserID}))
	require.Equal(t, 0, code, errOut.String())
	assert.Contains(t, out.String(), "using the server at http://admin:xxxxx@")
	assert.NotContains(t, out.String()+errOut.String(), "hunter2-secret")
	for _, bad := range []string{"ftp://admin:hunter2-secret@host", "http://admin:hunter2-secret@host/%zz"} {
		out.Reset()
		errOut.Reset()
		code := cli(nil, &out, &errOut, envOf(map[string]string{"POLAR_BASE_URL": bad, "POLAR_API_KEY": "k", "POLAR_USER_ID": "u"}))
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut.String(), "POLAR_BASE_URL")
		assert.NotContains(t, out.String()+errOut.String(), "hunter2-secret")
	}
}
