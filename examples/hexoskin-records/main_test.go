package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestRunAgainstFake(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, envOf(nil)))
	s := out.String()
	t.Log(s)
	assert.Contains(t, s, "using the built-in fake")
	assert.Contains(t, s, "account: Athlete Hexoskin (user 1511)")
	assert.Contains(t, s, "2 records from 2014-07-01 to 2014-10-01:")
	assert.Contains(t, s, "  37700  2014-07-17 19:38:06  38m44s")
	// The fake's person: an ECG of about 2 mV peaks, a resting heart with
	// physiological variability and no artifacts.
	assert.Contains(t, s, "ECG: 76801 samples (300.0 s at 256 Hz), -0.37 .. 1.75 mV")
	assert.Contains(t, s, "RR: 370 intervals (0 artifacts dropped), mean 812 ms (74 bpm), SDNN 35 ms, RMSSD 41 ms, pNN50 26 %")
}

func TestRunOptions(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, envOf(map[string]string{
		"HEXOSKIN_RECORD": "43419", "HEXOSKIN_MINUTES": "1", "HEXOSKIN_FROM": "2014-09-01",
	})))
	assert.Contains(t, out.String(), "1 records from 2014-09-01")
	assert.Contains(t, out.String(), "record 43419, 1m0s")
	assert.Contains(t, out.String(), "ECG: 15361 samples")

	assert.ErrorContains(t, run(context.Background(), &out, envOf(map[string]string{"HEXOSKIN_FROM": "July"})), `HEXOSKIN_FROM: date "July": want YYYY-MM-DD`)
	assert.ErrorContains(t, run(context.Background(), &out, envOf(map[string]string{"HEXOSKIN_FROM": "2020-01-01", "HEXOSKIN_TO": "2020-02-01"})), "no record in the range")
	assert.ErrorContains(t, run(context.Background(), &out, envOf(map[string]string{"HEXOSKIN_PUBLIC_KEY": "only-public"})), "HEXOSKIN_PUBLIC_KEY and HEXOSKIN_PRIVATE_KEY go together")
}

func TestRunRejectsABadRecordID(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), &out, envOf(map[string]string{"HEXOSKIN_RECORD": "43419x"}))
	require.Error(t, err, "a typo must not silently pick another record")
	assert.Contains(t, err.Error(), "HEXOSKIN_RECORD")
	assert.NotContains(t, out.String(), "bytes of binary data")
}

func TestHelpExitsZeroAndBadArgumentsTwo(t *testing.T) {
	var out, errOut bytes.Buffer
	assert.Equal(t, 0, cli([]string{"-h"}, &out, &errOut, envOf(nil)))
	assert.Contains(t, out.String(), "usage: hexoskin-records")
	assert.Contains(t, out.String(), "HEXOSKIN_MINUTES")
	assert.Equal(t, 2, cli([]string{"extra"}, &out, &errOut, envOf(nil)))
	assert.Equal(t, 2, cli([]string{"-nope"}, &out, &errOut, envOf(nil)))
}

// Every environment value is checked before the first request: a bad one
// fails with its name, and the fake saw nothing (nothing was printed about
// the account or records either).
func TestBadEnvironmentReportedBeforeAnyRequest(t *testing.T) {
	for name, env := range map[string]map[string]string{
		"HEXOSKIN_RECORD":  {"HEXOSKIN_RECORD": "12x"},
		"HEXOSKIN_USER":    {"HEXOSKIN_USER": "me"},
		"HEXOSKIN_MINUTES": {"HEXOSKIN_MINUTES": "0"},
		"HEXOSKIN_TO":      {"HEXOSKIN_TO": "soon"},
		"HEXOSKIN_FROM":    {"HEXOSKIN_FROM": "2014-10-01", "HEXOSKIN_TO": "2014-07-01"},
	} {
		var out bytes.Buffer
		err := run(context.Background(), &out, envOf(env))
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), name)
		assert.Empty(t, out.String(), "%s: nothing was fetched or printed before the check", name)
	}
	var out, errOut bytes.Buffer
	assert.Equal(t, 1, cli(nil, &out, &errOut, envOf(map[string]string{"HEXOSKIN_USER": "me"})))
	assert.Contains(t, errOut.String(), "HEXOSKIN_USER")
}

// A number of minutes too large for a time.Duration wrapped around and
// gave a query ending in 1810 instead of an error naming the variable.
func TestHugeMinutesNamesTheVariable(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), &out, envOf(map[string]string{"HEXOSKIN_MINUTES": "200000000"}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "HEXOSKIN_MINUTES")
	assert.Empty(t, out.String(), "checked before any request")
}

// One key without the other is an environment mistake, reported by the
// variables' names before anything is printed or requested.
func TestOneKeyWithoutTheOther(t *testing.T) {
	for _, k := range []string{"HEXOSKIN_PUBLIC_KEY", "HEXOSKIN_PRIVATE_KEY"} {
		var out bytes.Buffer
		err := run(context.Background(), &out, envOf(map[string]string{k: "x"}))
		require.Error(t, err, k)
		assert.Contains(t, err.Error(), "HEXOSKIN_PUBLIC_KEY and HEXOSKIN_PRIVATE_KEY", k)
		assert.Empty(t, out.String(), k)
	}
}

// HEXOSKIN_BASE_URL without keys was silently ignored and the fake used:
// a user pointing at their own host got the fake's data.
func TestBaseURLWithoutKeys(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), &out, envOf(map[string]string{"HEXOSKIN_BASE_URL": "http://127.0.0.1:1"}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "HEXOSKIN_BASE_URL")
	assert.Empty(t, out.String())
}
