package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWithingsSection(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, withingsSection(context.Background(), &out))
	s := out.String()
	t.Log(s)
	assert.Regexp(t, `fake Withings at http://127\.0\.0\.1:\d+\n`, s, "loopback only")
	assert.Contains(t, s, "user 13572468 authorized; access token valid for 3h0m0s\n")
	assert.Regexp(t, `latest weigh-in 2026-03-10 07:03: 72\.8 kg, \d+\.\d % fat\n`, s)
	assert.Regexp(t, `last night: 23:18 to 06:49, 7h\d+m0s asleep \(deep 1h44m0s, REM 1h28m0s\), score \d+\n`, s)
	assert.Regexp(t, `steps: \d{4,5} a day over the last 7 days\n`, s)
}
