package main

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit/polar"
)

func TestPolarSection(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, polarSection(context.Background(), &out))
	s := out.String()
	t.Log(s)
	assert.Regexp(t, `fake Polar flow server at http://127\.0\.0\.1:\d+`, s)
	assert.Contains(t, s, "  night to 2026-01-13: score 55, ")
	assert.Regexp(t, `last night's HRV 25\.5 ms, ANS charge status [+-]\d`, s)
	assert.Regexp(t, `against the ready baseline \d+\.\d ms \(normal \d+\.\d\.\.\d+\.\d\): anomaly true critical`, s)
	assert.Contains(t, s, "  3 anomalies\n")
	assert.Contains(t, s, "  [critical] HRV RMSSD is significantly below normal range\n")
	assert.Contains(t, s, "  rate limit: 995 of 1000 requests left this hour\n")
}

func TestPolarSectionStopsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, polarSection(ctx, &bytes.Buffer{}), context.Canceled)
}

// The server sends null hours (and may send a null score) for a night:
// the section printed them through nil pointers and panicked.
func TestPolarNightWithNullsNeverPanics(t *testing.T) {
	d := time.Date(2026, 1, 13, 0, 0, 0, 0, time.UTC)
	score := 55.0
	require.NotPanics(t, func() {
		assert.Equal(t, "  night to 2026-01-13: score 55", nightLine(polar.Sleep{Date: d, SleepScore: &score}))
		assert.Equal(t, "  night to 2026-01-13: no score", nightLine(polar.Sleep{Date: d}))
	})
}
