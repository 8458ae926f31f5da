package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit/samples/samplestest"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestSecondRunSendsNothing(t *testing.T) {
	cp := filepath.Join(t.TempDir(), "cp.json")
	env := envOf(map[string]string{"SAMPLES_CHECKPOINT": cp})
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, env))
	first := out.String()
	t.Log(first)
	assert.Contains(t, first, "using the built-in fake")
	assert.Contains(t, first, "bpm   sent 10080 samples in 11 batches, 0 already sent before\n")
	m := regexp.MustCompile(`steps sent (\d+) samples in \d+ batches, 0 already sent before\n`).FindStringSubmatch(first)
	require.NotNil(t, m, "steps were sent")
	steps, _ := strconv.Atoi(m[1])
	assert.Greater(t, steps, 500)
	assert.Regexp(t, `bpm   \[#{20}\]  10080/10080  Apple Watch batch \d+ \(\d+ samples\) ok\n`, first, "a progress line per batch")
	_, err := os.Stat(cp)
	require.NoError(t, err, "the checkpoint file was written")

	// A new process, a new fake: the checkpoint file says it was all sent.
	out.Reset()
	require.NoError(t, run(context.Background(), &out, env))
	second := out.String()
	t.Log(second)
	assert.Contains(t, second, "bpm   sent 0 samples in 0 batches, 10080 already sent before\n")
	assert.Contains(t, second, "steps sent 0 samples in 0 batches, "+m[1]+" already sent before\n")
	assert.NotContains(t, second, "batch 0", "no batch at all")
}

func TestCSV(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "in.csv")
	csv := "device_name,device_version,start,end,unit,value\n" +
		"iPhone,17.0.3,2023-11-01T08:04:51+04:00,2023-11-01T08:04:58+04:00,count,14\n" +
		"iPhone,17.0.3,2023-11-01T09:47:21+04:00,2023-11-01T09:47:34+04:00,count,24\n" +
		"iPhone,17.0.3,2023-11-01T10:00:00.5+04:00,,count,3\n" +
		"Watch,,2023-11-01T10:00:00Z,,count/min,71\n"
	require.NoError(t, os.WriteFile(path, []byte(csv), 0o600))
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, envOf(map[string]string{"SAMPLES_CSV": path, "SAMPLES_CHECKPOINT": filepath.Join(dir, "cp.json")})))
	s := out.String()
	assert.Contains(t, s, "steps sent 3 samples in 1 batches")
	assert.Contains(t, s, "bpm   1 sample(s) of Watch held until more arrive\n")

	bad := func(body, want string) {
		t.Helper()
		require.NoError(t, os.WriteFile(path, []byte(body), 0o600))
		err := run(context.Background(), &out, envOf(map[string]string{"SAMPLES_CSV": path, "SAMPLES_CHECKPOINT": filepath.Join(dir, "cp.json")}))
		require.Error(t, err)
		assert.Contains(t, err.Error(), want)
	}
	head := "device_name,device_version,start,end,unit,value\n"
	bad("a,b\n", "wrong number of fields")
	bad("device,version,start,end,unit,value\n", "line 1: header")
	bad(head+"iPhone,,yesterday,,count,3\n", `line 2: start: "yesterday" is not an RFC 3339 time`)
	bad(head+"iPhone,,2023-11-01T10:00:00Z,,count,many\n", `line 2: value: "many" is not a number`)
	bad(head+"iPhone,,2023-11-01T10:00:00Z,,kg,3\n", `line 2: unit: "kg"`)
	bad(head+"iPhone,,2023-11-01T10:00:00Z,,count,3\niPhone,,2023-11-01T10:00:00Z,2023-11-01T09:00:00Z,count,3\n", "line 3: end_date: before start_date")
	bad(head+",,2023-11-01T10:00:00Z,,count/min,3\n", "line 2: device_name: required")
}

func TestSettingsCheckedBeforeAnyRequest(t *testing.T) {
	var out bytes.Buffer
	for env, want := range map[string]map[string]string{
		`SAMPLES_DAYS: "0" is not a positive`:          {"SAMPLES_DAYS": "0"},
		`SAMPLES_CONCURRENCY: "x" is not a positive`:   {"SAMPLES_CONCURRENCY": "x"},
		"its folder does not exist":                    {"SAMPLES_CHECKPOINT": "/nonexistent/dir/cp.json"},
		"cannot be combined":                           {"GEROSENSE_TOKEN": "t", "GEROSENSE_USERNAME": "u"},
		"needs GEROSENSE_USERNAME, GEROSENSE_PASSWORD": {"GEROSENSE_USERNAME": "u"},
		"GEROSENSE_TOKEN needs GEROSENSE_BASE_URL":     {"GEROSENSE_TOKEN": "t"},
		"set without credentials":                      {"GEROSENSE_BASE_URL": "http://127.0.0.1:1"},
		"SAMPLES_CSV":                                  {"SAMPLES_CSV": "/nonexistent.csv"},
	} {
		err := run(context.Background(), &out, envOf(want))
		require.Error(t, err, env)
		assert.Contains(t, err.Error(), env)
	}
	assert.Empty(t, out.String(), "nothing printed, nothing sent")
}

func TestHelpExitsZeroAndBadArgumentsTwo(t *testing.T) {
	var out, errOut bytes.Buffer
	assert.Equal(t, 0, cli([]string{"-h"}, &out, &errOut, envOf(nil)))
	assert.Contains(t, out.String(), "usage: samples-sync")
	assert.Contains(t, out.String(), "SAMPLES_CHECKPOINT")
	assert.Equal(t, 2, cli([]string{"extra"}, &out, &errOut, envOf(nil)))
	assert.Equal(t, 2, cli([]string{"-nope"}, &out, &errOut, envOf(nil)))
}

// The first run the doc suggests goes to the built-in fake and, by default,
// wrote its checkpoints (devices "iPhone" and "Apple Watch", the week up to
// 2024-03-11) to the same file a run against a real API then reads: that
// run skipped the user's own iPhone samples of that week as already sent,
// and they never reached GeroSense. The fake's checkpoints live in a file
// of their own.
func TestFakeRunNeverCoversARealTargetsSamples(t *testing.T) {
	t.Chdir(t.TempDir())
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, envOf(map[string]string{})))
	require.Contains(t, out.String(), "using the built-in fake")

	proxy := samplestest.New(t)
	csv := "device_name,device_version,start,end,unit,value\n" +
		"iPhone,17.0.3,2024-03-05T08:00:00+01:00,,count,14\n" +
		"iPhone,17.0.3,2024-03-05T08:01:00+01:00,,count,15\n" +
		"iPhone,17.0.3,2024-03-05T08:02:00+01:00,,count,16\n"
	require.NoError(t, os.WriteFile("mine.csv", []byte(csv), 0o600))
	out.Reset()
	require.NoError(t, run(context.Background(), &out, envOf(map[string]string{"GEROSENSE_BASE_URL": proxy.URL,
		"GEROSENSE_TOKEN": samplestest.ProxyToken, "SAMPLES_CSV": "mine.csv"})))
	assert.Contains(t, out.String(), "steps sent 3 samples in 1 batches, 0 already sent before\n")
	_, n := proxy.Count()
	assert.Equal(t, 3, n, "the user's samples reached the API")
}

// An unterminated quote in SAMPLES_CSV is an error naming the line, never a
// panic (FieldPos was asked about a record Read failed to return).
func TestMalformedCSVNeverPanics(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "in.csv")
	body := "device_name,device_version,start,end,unit,value\n" +
		"iPhone,17.0.3,2023-11-01T08:04:51+04:00,,count,14\n" +
		"\"iPhone,17.0.3,2023-11-01T08:05:51+04:00,,count,14\n"
	require.NoError(t, os.WriteFile(path, []byte(body), 0o600))
	var out bytes.Buffer
	require.NotPanics(t, func() {
		err := run(context.Background(), &out, envOf(map[string]string{"SAMPLES_CSV": path, "SAMPLES_CHECKPOINT": filepath.Join(dir, "cp.json")}))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "line 3")
	})
}
