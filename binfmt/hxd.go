package binfmt

import (
	"encoding/binary"
	"io"
)

// HXDRecordSize is the size in bytes of one .hxd record.
const HXDRecordSize = 16

// HXDTicksPerSecond is the resolution of .hxd offsets and of HexoTimestamps.
const HXDTicksPerSecond = 256

// HXDRecord is one event of an asynchronous channel.
type HXDRecord struct {
	// Offset is the time from the record start in ticks of 1/256 s.
	Offset uint64
	// Value is the raw value (for RR and NN intervals, in 1/256 s).
	Value int64
}

// Seconds returns Offset in seconds from the record start.
func (r HXDRecord) Seconds() float64 { return float64(r.Offset) / HXDTicksPerSecond }

// HXDReader streams the records of a .hxd file: 16-byte little-endian
// records of a uint64 offset and an int64 value. It reads through one
// fixed 16 KiB buffer and allocates nothing per record.
type HXDReader struct {
	r   io.Reader
	buf []byte
	off int64
	err error
}

// NewHXDReader returns a reader of the .hxd records in r.
func NewHXDReader(r io.Reader) *HXDReader {
	return &HXDReader{r: r}
}

// Offset returns the byte offset in the input of the next unread record.
func (h *HXDReader) Offset() int64 { return h.off }

// Read decodes up to len(dst) records into dst and returns how many it
// stored. After the last record it returns 0, io.EOF. When the input ends
// inside a record, the whole records before it are returned first, then
// 0 and a *FormatError wrapping io.ErrUnexpectedEOF. Read may use all of
// dst as scratch space.
func (h *HXDReader) Read(dst []HXDRecord) (int, error) {
	if h.err != nil {
		return 0, h.err
	}
	if b := hxdBytes(dst); b != nil {
		// Little-endian host: the record bytes are the HXDRecord values.
		whole := h.fill(b)
		if whole == 0 && h.err != nil {
			return 0, h.err
		}
		return whole, nil
	}
	if want := min(bufSize, max(len(dst), 1)*HXDRecordSize); len(h.buf) < want {
		// Sized by the caller's slice, never by the input; it grows (up to
		// bufSize) when a later call brings a larger slice.
		h.buf = make([]byte, want)
	}
	total := 0
	for total < len(dst) {
		want := min((len(dst)-total)*HXDRecordSize, len(h.buf))
		whole := h.fill(h.buf[:want])
		decodeHXD(dst[total:total+whole], h.buf[:whole*HXDRecordSize])
		total += whole
		if h.err != nil {
			if total > 0 {
				return total, nil
			}
			return 0, h.err
		}
	}
	return total, nil
}

// fill reads len(p) bytes (a multiple of HXDRecordSize) and returns how
// many whole records it got; at the end of the input it sets h.err.
func (h *HXDReader) fill(p []byte) int {
	m, err := io.ReadFull(h.r, p)
	whole := m / HXDRecordSize
	h.off += int64(whole * HXDRecordSize)
	if err != nil {
		switch {
		case err != io.EOF && err != io.ErrUnexpectedEOF:
			h.err = formatErr(h.off, err, "reading .hxd records")
		case m%HXDRecordSize != 0:
			h.err = formatErr(h.off, io.ErrUnexpectedEOF, "input ends inside a .hxd record (%d of %d bytes)", m%HXDRecordSize, HXDRecordSize)
		default:
			h.err = io.EOF
		}
	}
	return whole
}

func decodeHXD(d []HXDRecord, b []byte) {
	b = b[:len(d)*HXDRecordSize]
	for i := range d {
		r := b[i*HXDRecordSize : i*HXDRecordSize+HXDRecordSize : i*HXDRecordSize+HXDRecordSize]
		d[i] = HXDRecord{
			Offset: binary.LittleEndian.Uint64(r[0:8]),
			Value:  int64(binary.LittleEndian.Uint64(r[8:16])),
		}
	}
}
