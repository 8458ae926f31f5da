package main

import (
	"bytes"
	"context"
	"testing"

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
