package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCorsanoSection(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, corsanoSection(context.Background(), &out))
	s := out.String()
	t.Log(s)
	assert.Regexp(t, `fake Corsano at http://127\.0\.0\.1:\d+/v1 \(health API http://127\.0\.0\.1:\d+\)`, s)
	assert.Regexp(t, `  Ada Jansen, confirmed, heart rate \d+ bpm at 09:59\n  Bram de Vries, confirmed, heart rate \d+ bpm at 09:59\n  Chloé Bakker, pre_created\n`, s)
	assert.Contains(t, s, "summary 2025-10-08: heart rate 78 bpm, SpO2 98 %, respiration 22/min, sleep 7h39m0s (95 % performance), recovery 58.4\n")
	assert.Regexp(t, `activity 07:00\.\.10:00: 180 minutes, [1-9]\d* steps\n`, s)
	assert.Contains(t, s, "export: 2 files in the ZIP: ppg1.json activity.json\n")
	assert.Contains(t, s, "second export refused: next allowed at 10:05 (1 create-export sent)\n")
}

func TestCorsanoSectionStopsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, corsanoSection(ctx, &bytes.Buffer{}), context.Canceled)
}
