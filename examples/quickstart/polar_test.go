package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
