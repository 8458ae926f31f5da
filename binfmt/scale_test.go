package binfmt

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// Every 16-bit sample, signed and unsigned, at every length modulo 4 and
// with the gains of the channel table, converts to exactly the float64 of
// the scalar expression Samples always used (the amd64 build runs SSE2
// code here, the purego build plain loops).
func TestScale16MatchesScalar(t *testing.T) {
	b := make([]byte, 2*65536+6)
	for i := range 65536 + 3 {
		binary.LittleEndian.PutUint16(b[2*i:], uint16(i+32768))
	}
	s := make([]int16, 65536+3)
	for i := range s {
		s[i] = int16(binary.LittleEndian.Uint16(b[2*i:]))
	}
	for _, gain := range []float64{1, 0.0064, 1.0 / 256, 13.28, 10, -0.1, math.Inf(1)} {
		for _, signed := range []bool{true, false} {
			for _, n := range []int{0, 1, 2, 3, 4, 5, 7, 65536 + 3} {
				got := make([]float64, n)
				scale16(got, s, gain, signed)
				fromBytes := make([]float64, n)
				if signed {
					scaleInt16(fromBytes, b, gain)
				} else {
					scaleUint16(fromBytes, b, gain)
				}
				for i := range n {
					want := float64(s[i]) * gain
					if !signed {
						want = float64(uint16(s[i])) * gain
					}
					if math.Float64bits(got[i]) != math.Float64bits(want) || math.Float64bits(fromBytes[i]) != math.Float64bits(want) {
						require.Failf(t, "mismatch", "gain %v signed %v n %d sample %d (%d): scale16 %v, scaleInt16 %v, want %v", gain, signed, n, i, s[i], got[i], fromBytes[i], want)
					}
				}
			}
		}
	}
}

// int16sOf reads the buffer in place where it can, and gives the same
// samples as the byte decoding.
func TestInt16sOf(t *testing.T) {
	b := make([]byte, 16) // a 16-byte size class: 16-byte aligned
	copy(b, []byte{1, 0, 0xff, 0xff, 0x00, 0x80, 7})
	s := int16sOf(b[:6])
	if s == nil {
		t.Skip("this build decodes from bytes")
	}
	require.Equal(t, []int16{1, -1, -32768}, s)
	require.Nil(t, int16sOf(nil))
	require.Nil(t, int16sOf(b[1:3]), "an odd address is not read in place")
}
