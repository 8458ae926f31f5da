package hexoskin_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/wearkit/wearkit/hexoskin"
)

func TestQualityFlags(t *testing.T) {
	// The documentation's examples: 32 is "unreliable RR" only; 40 adds
	// "saturated"; 0 is top condition.
	s := hexoskin.HeartRateStatus(32)
	assert.True(t, s.Has(hexoskin.HRUnreliableRR))
	assert.False(t, s.Has(hexoskin.HRSaturated))
	assert.Equal(t, "unreliable-RR", s.String())
	s = 40
	assert.True(t, s.Has(hexoskin.HRUnreliableRR|hexoskin.HRSaturated))
	assert.Equal(t, "saturated|unreliable-RR", s.String())
	assert.Equal(t, "ok", hexoskin.HeartRateStatus(0).String())
	assert.Equal(t, "noisy|0x100", hexoskin.HeartRateStatus(0x101).String())
	assert.Equal(t, "noisy|disconnected|50/60Hz-noise|saturated|movement-artifacts|unreliable-RR", hexoskin.HeartRateStatus(0x3f).String())

	b := hexoskin.BreathingRateStatus(0x41)
	assert.True(t, b.Has(hexoskin.BRUnstable))
	assert.True(t, b.Has(hexoskin.BRChannelADisconnected))
	assert.False(t, b.Has(hexoskin.BRChannelBNoisy))
	assert.Equal(t, "A-disconnected|unstable", b.String())

	r := hexoskin.RRStatus(0x81)
	assert.True(t, r.Has(hexoskin.RRNoisy))
	assert.True(t, r.Has(hexoskin.RRUnreliable))
	assert.Equal(t, "noisy|unreliable", r.String())
	assert.Equal(t, "ok", hexoskin.RRStatus(0).String())
}
