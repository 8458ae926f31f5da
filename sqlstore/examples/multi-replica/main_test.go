package main

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMain lets the test binary be a replica, as the program is.
func TestMain(m *testing.M) {
	if os.Getenv(roleEnv) == "replica" {
		os.Exit(replicaMain(os.Stdout, os.Stderr, os.Getenv))
	}
	os.Exit(m.Run())
}

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestRunOnSQLite(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, envOf(map[string]string{"MULTI_REPLICA_PROCESSES": "5", "MULTI_REPLICA_USERS": "3"})))
	s := out.String()
	t.Log(s)
	assert.Contains(t, s, "3 users with expired tokens in sqlite; starting 5 replicas")
	for _, u := range []string{"user-1", "user-2", "user-3"} {
		assert.Regexp(t, u+`: 1 refresh for 5 replicas; 5 used the stored token [0-9a-f]{8}; stored refresh token works: true`, s)
	}
	assert.Contains(t, s, "one refresh per user, no lost token")
	assert.Regexp(t, `replica 1: user-1 \d+ devices, \d+ measure groups, token [0-9a-f]{8}`, s)
}

func TestRunOnPostgreSQL(t *testing.T) {
	dsn := os.Getenv("WEARKIT_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("PostgreSQL not reachable: WEARKIT_POSTGRES_DSN is not set (.ci/run sets it when it can start a local server)")
	}
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, envOf(map[string]string{"MULTI_REPLICA_DSN": dsn, "MULTI_REPLICA_PROCESSES": "8", "MULTI_REPLICA_USERS": "4"})))
	s := out.String()
	t.Log(s)
	assert.Contains(t, s, "4 users with expired tokens in postgresql; starting 8 replicas")
	assert.Regexp(t, `user-4: 1 refresh for 8 replicas; 8 used the stored token [0-9a-f]{8}; stored refresh token works: true`, s)
	assert.Contains(t, s, "one refresh per user, no lost token")
}

func TestBadSettingsBeforeAnything(t *testing.T) {
	for env, want := range map[string]string{
		"MULTI_REPLICA_PROCESSES": `MULTI_REPLICA_PROCESSES: "0": want a whole number from 1 to 32`,
		"MULTI_REPLICA_USERS":     `MULTI_REPLICA_USERS: "0": want a whole number from 1 to 50`,
	} {
		var out bytes.Buffer
		err := run(context.Background(), &out, envOf(map[string]string{env: "0"}))
		require.ErrorContains(t, err, want)
		assert.Empty(t, out.String(), "nothing started")
	}
	var out bytes.Buffer
	err := run(context.Background(), &out, envOf(map[string]string{"MULTI_REPLICA_DSN": "tokens.db?mode=ro"}))
	require.ErrorContains(t, err, `MULTI_REPLICA_DSN: "tokens.db?mode=ro": want a SQLite file path`)
}

func TestHelpExitsZeroAndBadArgumentsTwo(t *testing.T) {
	var out, errOut bytes.Buffer
	assert.Equal(t, 0, cli([]string{"-h"}, &out, &errOut, envOf(nil)))
	assert.Contains(t, out.String(), "usage: multi-replica")
	assert.Equal(t, 2, cli([]string{"extra"}, &out, &errOut, envOf(nil)))
	assert.Contains(t, errOut.String(), `unexpected argument "extra"`)
	assert.Equal(t, 2, cli([]string{"-nope"}, &out, &errOut, envOf(nil)))
}
