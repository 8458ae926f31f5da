package binfmt

import (
	"bytes"
	"io"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/require"
)

func TestHXDReader(t *testing.T) {
	recs := []HXDRecord{{0, 0}, {256, 90}, {1<<64 - 1, -1}, {12345, 1<<63 - 1}, {7, -1 << 63}}
	data := appendHXD(nil, recs...)
	require.Equal(t, 16*len(recs), len(data))
	tests := []struct {
		name    string
		data    []byte
		want    []HXDRecord
		partial bool
	}{
		{"empty", nil, nil, false},
		{"whole records", data, recs, false},
		{"trailing partial record", append(append([]byte(nil), data...), 1, 2, 3), recs, true},
		{"only a partial record", data[:15], nil, true},
	}
	for _, tc := range tests {
		for _, chunk := range []int{1, 2, 1000} {
			t.Run(tc.name, func(t *testing.T) {
				h := NewHXDReader(iotest.HalfReader(bytes.NewReader(tc.data)))
				var got []HXDRecord
				dst := make([]HXDRecord, chunk)
				var err error
				for {
					var n int
					n, err = h.Read(dst)
					require.True(t, n >= 0 && n <= len(dst))
					got = append(got, dst[:n]...)
					if err != nil {
						break
					}
				}
				require.Equal(t, tc.want, got)
				if tc.partial {
					require.ErrorIs(t, err, io.ErrUnexpectedEOF)
					require.Equal(t, int64(16*len(tc.want)), formatError(t, err).Offset)
				} else {
					require.Equal(t, io.EOF, err)
				}
			})
		}
	}
}

func TestHXDRecordSeconds(t *testing.T) {
	require.Equal(t, 1.5, HXDRecord{Offset: 384}.Seconds())
}

// countingReader counts the Read calls that reach the input.
type countingReader struct {
	r     io.Reader
	calls int
}

func (c *countingReader) Read(p []byte) (int, error) { c.calls++; return c.r.Read(p) }

func TestHXDReaderSmallFirstReadDoesNotShrinkLaterReads(t *testing.T) {
	recs := make([]HXDRecord, 101)
	for i := range recs {
		recs[i] = HXDRecord{Offset: uint64(i), Value: int64(-i)}
	}
	cr := &countingReader{r: bytes.NewReader(appendHXD(nil, recs...))}
	h := NewHXDReader(cr)
	n, err := h.Read(make([]HXDRecord, 1))
	require.NoError(t, err)
	require.Equal(t, 1, n)
	dst := make([]HXDRecord, 100)
	cr.calls = 0
	n, err = h.Read(dst)
	require.NoError(t, err)
	require.Equal(t, recs[1:], dst[:n])
	// 1600 bytes fit one buffer: one read of the input, not one per record
	// (the portable build decodes through the buffer).
	require.Equal(t, 1, cr.calls)
}
