package hexoskin

import (
	"strconv"
	"strings"
)

// HeartRateStatus holds the bits of datatype 1000 (heart-rate quality).
type HeartRateStatus uint32

// Heart-rate quality flags.
const (
	HRNoisy            HeartRateStatus = 0x01 // noisy signal (one model only)
	HRDisconnected     HeartRateStatus = 0x02 // electrodes disconnected
	HRPowerLineNoise   HeartRateStatus = 0x04 // 50/60 Hz noise
	HRSaturated        HeartRateStatus = 0x08 // saturated signal
	HRMovementArtifact HeartRateStatus = 0x10 // movement artifacts
	HRUnreliableRR     HeartRateStatus = 0x20 // unreliable RR interval
)

var hrNames = []flagName{
	{0x01, "noisy"}, {0x02, "disconnected"}, {0x04, "50/60Hz-noise"},
	{0x08, "saturated"}, {0x10, "movement-artifacts"}, {0x20, "unreliable-RR"},
}

// Has reports whether every bit of f is set.
func (s HeartRateStatus) Has(f HeartRateStatus) bool { return s&f == f }

// String lists the set flags ("unreliable-RR|saturated"), "ok" for 0, and
// any unknown bits in hex.
func (s HeartRateStatus) String() string { return flagString(uint32(s), hrNames) }

// BreathingRateStatus holds the bits of datatype 1001 (breathing-rate
// quality).
type BreathingRateStatus uint32

// Breathing-rate quality flags.
const (
	BRChannelADisconnected BreathingRateStatus = 0x01
	BRChannelBDisconnected BreathingRateStatus = 0x02
	BRChannelABaseline     BreathingRateStatus = 0x04 // channel A baseline changed
	BRChannelBBaseline     BreathingRateStatus = 0x08 // channel B baseline changed
	BRChannelANoisy        BreathingRateStatus = 0x10
	BRChannelBNoisy        BreathingRateStatus = 0x20
	BRUnstable             BreathingRateStatus = 0x40
)

var brNames = []flagName{
	{0x01, "A-disconnected"}, {0x02, "B-disconnected"}, {0x04, "A-baseline-changed"},
	{0x08, "B-baseline-changed"}, {0x10, "A-noisy"}, {0x20, "B-noisy"}, {0x40, "unstable"},
}

// Has reports whether every bit of f is set.
func (s BreathingRateStatus) Has(f BreathingRateStatus) bool { return s&f == f }

// String lists the set flags, "ok" for 0.
func (s BreathingRateStatus) String() string { return flagString(uint32(s), brNames) }

// RRStatus holds the bits of datatype 1004 (RR-interval quality).
type RRStatus uint32

// RR quality flags.
const (
	RRNoisy      RRStatus = 0x01
	RRUnreliable RRStatus = 0x80
)

var rrNames = []flagName{{0x01, "noisy"}, {0x80, "unreliable"}}

// Has reports whether every bit of f is set.
func (s RRStatus) Has(f RRStatus) bool { return s&f == f }

// String lists the set flags, "ok" for 0.
func (s RRStatus) String() string { return flagString(uint32(s), rrNames) }

type flagName struct {
	bit  uint32
	name string
}

func flagString(v uint32, names []flagName) string {
	if v == 0 {
		return "ok"
	}
	var parts []string
	for _, n := range names {
		if v&n.bit != 0 {
			parts = append(parts, n.name)
			v &^= n.bit
		}
	}
	if v != 0 {
		parts = append(parts, "0x"+strconv.FormatUint(uint64(v), 16))
	}
	return strings.Join(parts, "|")
}
