package hexofile

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestAppendHXD(t *testing.T) {
	b := AppendHXD([]byte{9}, 1<<64-1, -2)
	require.Len(t, b, 1+HXDRecordSize)
	require.Equal(t, byte(9), b[0])
	require.Equal(t, uint64(1<<64-1), binary.LittleEndian.Uint64(b[1:]))
	require.Equal(t, int64(-2), int64(binary.LittleEndian.Uint64(b[9:])))
}

func TestAppendWAVHeader(t *testing.T) {
	h := AppendWAVHeader(nil, 256, 3, 16, 12)
	require.Len(t, h, 44)
	le := binary.LittleEndian
	require.Equal(t, "RIFF", string(h[0:4]))
	require.Equal(t, uint32(36+12), le.Uint32(h[4:]))
	require.Equal(t, "WAVEfmt ", string(h[8:16]))
	require.Equal(t, uint16(1), le.Uint16(h[20:]))
	require.Equal(t, uint16(3), le.Uint16(h[22:]))
	require.Equal(t, uint32(256), le.Uint32(h[24:]))
	require.Equal(t, uint32(256*6), le.Uint32(h[28:]))
	require.Equal(t, uint16(6), le.Uint16(h[32:]))
	require.Equal(t, uint16(16), le.Uint16(h[34:]))
	require.Equal(t, "data", string(h[36:40]))
	require.Equal(t, uint32(12), le.Uint32(h[40:]))
}
