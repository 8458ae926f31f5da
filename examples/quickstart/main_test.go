package main

import (
	"bytes"
	"context"
	"math"
	"regexp"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQuickstartRunsAgainstTheFakes(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	s := out.String()
	t.Log(s)
	assert.Regexp(t, `fake Hexoskin at http://127\.0\.0\.1:\d+`, s, "loopback only")
	assert.Contains(t, s, "account: Athlete Hexoskin (user 1511)")
	assert.Contains(t, s, "  record 37700: 2014-07-17 19:38, 38m44s\n  record 43419: 2014-09-28 10:16, 5h33m1s\n")
	assert.Contains(t, s, "record 43419: 3h0m0s of RR intervals and heart rate")
	assert.Contains(t, s, "HRV: RMSSD in 36 windows of 5m0s")
	// Every window's HRV is physiological and they differ from one window
	// to the next (the fake's person breathes, moves and rests).
	windows := regexp.MustCompile(`(\d\d:\d\d) +(\d+) bpm +(\d+\.\d) ms`).FindAllStringSubmatch(s, -1)
	require.Len(t, windows, 36)
	var values []float64
	distinct := map[string]bool{}
	for _, w := range windows {
		bpm, err := strconv.ParseFloat(w[2], 64)
		require.NoError(t, err)
		ms, err := strconv.ParseFloat(w[3], 64)
		require.NoError(t, err)
		assert.True(t, bpm >= 40 && bpm <= 190, "window %s: %v bpm", w[1], bpm)
		assert.True(t, ms >= 3 && ms <= 150, "window %s: RMSSD %v ms", w[1], ms)
		values = append(values, ms)
		distinct[w[3]] = true
	}
	assert.Greater(t, len(distinct), 20, "RMSSD varies from window to window")
	sort.Float64s(values)
	assert.Greater(t, values[27]-values[9], 2.0, "an interquartile range of more than 2 ms")
	assert.Regexp(t, `baseline \(ready, 35 samples\): mean \d+\.\d ms`, s)
	assert.Regexp(t, `latest window 13:11: RMSSD \d+\.\d ms, [+-]\d+\.\d % from baseline, (within the normal range|(warning|critical) anomaly, (above|below))`, s)
	assert.Regexp(t, `heart rate vs RMSSD: Spearman rho -?\d\.\d{3}, p \S+ over 36 windows`, s)
}

func TestQuickstartStopsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out bytes.Buffer
	err := run(ctx, &out)
	require.ErrorIs(t, err, context.Canceled)
}

func TestHRVWindowsKeepGoingAfterAGap(t *testing.T) {
	start := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
	var rr, hr []binfmtSample
	// Windows 0 and 3 have data; 1 and 2 are a gap (the shirt was off).
	for _, w := range []float64{0, 3} {
		at := w * window.Seconds()
		for i := range 300 {
			rr = append(rr, binfmtSample{at + float64(i), 0.8 + 0.01*float64(i%3)})
			hr = append(hr, binfmtSample{at + float64(i), 60 + float64(i%2)})
		}
	}
	points, meanHR, hrv := hrvWindows(start, rr, hr)
	require.Len(t, points, 2, "the window after the gap is kept")
	assert.Equal(t, start, points[0].Date)
	assert.Equal(t, start.Add(15*time.Minute), points[1].Date)
	assert.InDelta(t, 60.5, meanHR[1], 1e-9)
	// 299 successive differences cycling +10, +10, -20 ms: 99 whole cycles
	// and two more +10s, so RMSSD = sqrt((99 x 600 + 200) / 299).
	assert.InDelta(t, math.Sqrt((99*600+200)/299.0), hrv[1], 1e-6)
	assert.Equal(t, hrv[1], points[1].Value)
}

func TestHelpExitsZeroAndArgumentsAreRefused(t *testing.T) {
	var out, errOut bytes.Buffer
	assert.Equal(t, 0, cli([]string{"-h"}, &out, &errOut))
	assert.Contains(t, out.String(), "usage: quickstart")
	assert.Equal(t, 2, cli([]string{"extra"}, &out, &errOut))
	assert.Equal(t, 2, cli([]string{"-x"}, &out, &errOut))
}
