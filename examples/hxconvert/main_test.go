package main

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit/internal/hexofile"
)

func wav(rate uint32, samples ...int16) []byte {
	b := hexofile.AppendWAVHeader(nil, rate, 1, 16, uint32(2*len(samples)))
	for _, s := range samples {
		b = binary.LittleEndian.AppendUint16(b, uint16(s))
	}
	return b
}

func fixture() map[string][]byte {
	return map[string][]byte{
		"info.json":       []byte(`{"start": 377333833473, "decoder_version": "0.5.3"}`),
		"heart_rate.wav":  wav(1, 70, 71),
		"ECG_II.wav":      wav(256),
		"RR_interval.hxd": hexofile.AppendHXD(nil, 512, 192),
		"step.csv":        []byte("time [s],step [step](/api/datatype/52/)\n41.453125,1\n"),
	}
}

func writeDir(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func wantFiles(t *testing.T, out string) {
	t.Helper()
	want := map[string]string{
		"heart_rate.csv":  "time [s],heart_rate [bpm] (/api/datatype/19/)\n1,70\n2,71\n",
		"ECG_II.csv":      "time [s],ECG_II [mV] (/api/datatype/4114/)\n",
		"RR_interval.csv": "time [s],RR_interval [s] (/api/datatype/18/)\n2,0.75\n",
		"step.csv":        "time [s],step [step] (/api/datatype/52/)\n41.453125,1\n",
	}
	for name, content := range want {
		if got := readFile(t, filepath.Join(out, name)); got != content {
			t.Errorf("%s:\n got %q\nwant %q", name, got, content)
		}
	}
}

func TestConvertFolder(t *testing.T) {
	in := writeDir(t, fixture())
	out := filepath.Join(t.TempDir(), "csv")
	var stdout, stderr bytes.Buffer
	if err := run([]string{"-o", out, in}, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	wantFiles(t, out)
	if !strings.Contains(stdout.String(), "record start 2016-09-15T17:24:47.003906Z") {
		t.Errorf("stdout: %s", stdout.String())
	}
}

func TestConvertZip(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range fixture() {
		w, err := zw.Create("record_1/" + name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	zipPath := filepath.Join(t.TempDir(), "record.zip")
	if err := os.WriteFile(zipPath, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	if err := run([]string{"-o", out, zipPath}, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	wantFiles(t, out)
}

func TestConvertReportsBadFile(t *testing.T) {
	files := fixture()
	files["RR_interval.hxd"] = append(files["RR_interval.hxd"], 1, 2, 3) // partial record at byte 16
	in := writeDir(t, files)
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	err := run([]string{"-o", out, in}, &stdout, &stderr)
	if err == nil {
		t.Fatal("want an error")
	}
	for _, want := range []string{"RR_interval.hxd", "offset 16", "unexpected EOF"} {
		if !strings.Contains(err.Error(), want) || !strings.Contains(stderr.String(), want) {
			t.Errorf("error %q / stderr %q does not mention %q", err, stderr.String(), want)
		}
	}
	// The other channels are still converted.
	if got := readFile(t, filepath.Join(out, "heart_rate.csv")); !strings.HasSuffix(got, "2,71\n") {
		t.Errorf("heart_rate.csv = %q", got)
	}
}

func TestProgressLine(t *testing.T) {
	old := progressEvery
	progressEvery = 1
	defer func() { progressEvery = old }()
	in := writeDir(t, fixture())
	var stdout, stderr bytes.Buffer
	if err := run([]string{"-o", t.TempDir(), in}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "heart_rate: 100% (2 of 2 samples)") || !strings.Contains(stderr.String(), "heart_rate: done, 2 rows") {
		t.Errorf("stderr = %q", stderr.String())
	}
}

func TestUsageErrors(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run(nil, &stdout, &stderr); err == nil {
		t.Error("no arguments: want an error")
	}
	if err := run([]string{filepath.Join(t.TempDir(), "missing")}, &stdout, &stderr); err == nil {
		t.Error("missing input: want an error")
	}
	notZip := filepath.Join(t.TempDir(), "x.zip")
	os.WriteFile(notZip, []byte("nope"), 0o644)
	err := run([]string{notZip}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "x.zip") {
		t.Errorf("not a zip: %v", err)
	}
}

func TestConvertKeepsRowsBeforeError(t *testing.T) {
	files := fixture()
	files["RR_interval.hxd"] = append(files["RR_interval.hxd"], 1, 2, 3) // one whole record, then a partial one
	in := writeDir(t, files)
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	require.Error(t, run([]string{"-o", out, in}, &stdout, &stderr))
	// The record decoded before the error is in the CSV, after the header.
	require.Equal(t, "time [s],RR_interval [s] (/api/datatype/18/)\n2,0.75\n",
		readFile(t, filepath.Join(out, "RR_interval.csv")))
}

func TestConvertIntoInputFolderKeepsSourceCSV(t *testing.T) {
	// Converting into the record folder itself: a legacy CSV channel's
	// output file is its own source, which must not be truncated.
	files := fixture()
	files["step.csv"] = []byte("time [s],step [step](/api/datatype/52/)\n41.453125,1\n42.5625,2\n")
	in := writeDir(t, files)
	var stdout, stderr bytes.Buffer
	err := run([]string{"-o", in, in}, &stdout, &stderr)
	require.ErrorContains(t, err, "step.csv")
	require.Equal(t, string(files["step.csv"]), readFile(t, filepath.Join(in, "step.csv")))
	// The other channels are converted.
	require.Equal(t, "time [s],heart_rate [bpm] (/api/datatype/19/)\n1,70\n2,71\n", readFile(t, filepath.Join(in, "heart_rate.csv")))
}

func TestHelpGoesToStdoutAndIsNoFailure(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := run([]string{"-h"}, &stdout, &stderr)
	require.ErrorIs(t, err, flag.ErrHelp, "main exits 0 on it")
	assert.Contains(t, stdout.String(), "usage: hxconvert")
	assert.Contains(t, stdout.String(), "directory for the CSV files")
}

func TestEmptyFolderIsAnError(t *testing.T) {
	empty := t.TempDir()
	var stdout, stderr bytes.Buffer
	err := run([]string{empty}, &stdout, &stderr)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "nothing to convert")
}
