package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSamplesSection(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, samplesSection(context.Background(), &out))
	s := out.String()
	t.Log(s)
	assert.Regexp(t, `GeroSense samples: fake API at http://127\.0\.0\.1:\d+\n`, s)
	assert.Contains(t, s, "  bpm   1440 samples in 2 batches; a second sync sent 0, skipped 1440\n")
	assert.Regexp(t, `  steps \d+ samples in 1 batch; a second sync sent 0, skipped \d+\n`, s)
	assert.Regexp(t, `  bio-age from heart rate on 2024-03-04: \d+\.\d years\n`, s)
}

func TestSamplesSectionStopsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, samplesSection(ctx, &bytes.Buffer{}), context.Canceled)
}
