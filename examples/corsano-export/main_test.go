package main

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit/corsano/corsanotest"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestExportAgainstTheFake(t *testing.T) {
	out := filepath.Join(t.TempDir(), "export.zip")
	var stdout, stderr bytes.Buffer
	code := cli(nil, &stdout, &stderr, envOf(map[string]string{"CORSANO_OUT": out, "CORSANO_DATE": corsanotest.ExampleDate}))
	require.Equal(t, 0, code, stderr.String())
	s := stdout.String()
	t.Log(s)
	assert.Contains(t, s, "using the built-in fake")
	assert.Contains(t, s, "group wearkit-demo: wearkit demo ward\n3 patients, summaries of 2025-10-08:\n")
	assert.Contains(t, s, "  "+corsanotest.ExamplePatient+"  Ada Jansen           confirmed    steps 0, heart rate 78 bpm (rest 0), SpO2 98 %, sleep 7h39m0s\n")
	assert.Regexp(t, `  `+corsanotest.SecondPatient+`  Bram de Vries        confirmed    steps \d+, heart rate \d+ bpm \(rest \d+\), SpO2 97 %, sleep \d+h\d+m0s\n`, s)
	assert.Contains(t, s, "  "+corsanotest.ThirdPatient+"  Chloé Bakker         pre_created  no summary\n")
	assert.Regexp(t, `export of `+corsanotest.ExamplePatient+` \(ppg1, activity\) saved to .*export\.zip: \d+ bytes`, s)

	zr, err := zip.OpenReader(out)
	require.NoError(t, err)
	defer zr.Close()
	require.Len(t, zr.File, 2)
	assert.Equal(t, "ppg1.json", zr.File[0].Name)
	assert.Equal(t, "activity.json", zr.File[1].Name)
}

func TestHelpAndBadSettings(t *testing.T) {
	var stdout, stderr bytes.Buffer
	require.Equal(t, 0, cli([]string{"-h"}, &stdout, &stderr, envOf(nil)))
	assert.Contains(t, stdout.String(), "usage: corsano-export")
	assert.Equal(t, 2, cli([]string{"extra"}, &stdout, &stderr, envOf(nil)))

	for env, want := range map[string]string{
		"CORSANO_DATE=2025-13-01":      `CORSANO_DATE: "2025-13-01": want YYYY-MM-DD`,
		"CORSANO_TYPES=ppg1,,acc":      `CORSANO_TYPES: item 2 ""`,
		"CORSANO_TYPES=spo2":           `CORSANO_TYPES: item 1 "spo2" is not a raw metric type`,
		"CORSANO_TIMEOUT=soon":         `CORSANO_TIMEOUT: "soon"`,
		"CORSANO_OUT=/no/such/dir/x":   `CORSANO_OUT: folder "/no/such/dir" does not exist`,
		"CORSANO_BASE_URL=http://x/v1": "CORSANO_BASE_URL and CORSANO_HEALTH_URL need CORSANO_TOKEN",
	} {
		k, v, _ := cut(env)
		stderr.Reset()
		// An unreachable host: a request would fail differently.
		e := map[string]string{k: v, "CORSANO_TOKEN": "t", "CORSANO_BASE_URL": "http://127.0.0.1:1/v1", "CORSANO_HEALTH_URL": "http://127.0.0.1:1"}
		if k == "CORSANO_BASE_URL" {
			e = map[string]string{k: v}
		}
		require.Equal(t, 1, cli(nil, &stdout, &stderr, envOf(e)), env)
		assert.Contains(t, stderr.String(), want, env)
		assert.NotContains(t, stderr.String(), "127.0.0.1:1", "reported before any request")
	}
}

func cut(s string) (string, string, bool) {
	for i := range s {
		if s[i] == '=' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// A failed export leaves the ZIP already at CORSANO_OUT as it was, and no
// half-written file beside it.
func TestFailedExportKeepsThePreviousZIP(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "export.zip")
	require.NoError(t, os.WriteFile(out, []byte("yesterday's export"), 0o644))
	var stdout, stderr bytes.Buffer
	code := cli(nil, &stdout, &stderr, envOf(map[string]string{"CORSANO_OUT": out, "CORSANO_DATE": corsanotest.ExampleDate, "CORSANO_TIMEOUT": "1ms"}))
	require.Equal(t, 1, code, stdout.String())
	assert.Contains(t, stderr.String(), "deadline exceeded")
	b, err := os.ReadFile(out)
	require.NoError(t, err, "the previous export was deleted")
	assert.Equal(t, "yesterday's export", string(b))
	left, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, left, 1, "no temporary file left behind")
}
