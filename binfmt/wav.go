package binfmt

import (
	"encoding/binary"
	"errors"
	"io"
)

// WAV format tags accepted by NewWAVReader.
const (
	wavFormatPCM        = 0x0001
	wavFormatExtensible = 0xFFFE
)

// bufSize is the size of the reusable decode buffer of the streaming readers.
const bufSize = 16 << 10

// maxFmtChunk is how much of a "fmt " chunk is looked at; the rest is skipped.
const maxFmtChunk = 40

// pcmSubFormatTail is bytes 2..15 of KSDATAFORMAT_SUBTYPE_PCM
// (00000001-0000-0010-8000-00aa00389b71); bytes 0..1 hold the format tag.
var pcmSubFormatTail = [14]byte{0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71}

// WAVReader streams the samples of a RIFF/WAVE file with 16- or 32-bit
// integer PCM samples (plain PCM or WAVE_FORMAT_EXTENSIBLE with the PCM
// sub-format), one or more interleaved channels.
//
// The reader walks the RIFF chunks up to "data", skipping any other chunk
// (LIST, fact, ...) and its pad byte. It ignores the RIFF size (Hexoskin
// writes it wrong) and trusts the "data" chunk size, but a data size that
// runs past the end of the input, or 0xFFFFFFFF, simply reads to the end of
// the input. A header with a data size of 0 is an empty channel. Nothing is
// allocated from a length found in the header: the only buffer is a fixed
// 16 KiB one, reused for every read.
type WAVReader struct {
	r          io.Reader
	format     uint16
	channels   int
	rate       uint32
	bits       int
	blockAlign int
	dataOff    int64 // offset of the first data byte in the input
	rateOff    int64 // offset of the sample rate field in the input
	dataSize   int64 // from the header, -1 when 0xFFFFFFFF
	remaining  int64 // bytes left per the header (whole samples), -1 unlimited
	off        int64 // offset of the next unread input byte
	buf        []byte
	err        error // sticky: io.EOF or the error to report
}

// NewWAVReader reads the WAV header from r, leaving r positioned at the
// first sample. Errors are *FormatError values; an input that ends inside
// the header wraps io.ErrUnexpectedEOF.
func NewWAVReader(r io.Reader) (*WAVReader, error) {
	w := &WAVReader{r: r, dataSize: -1, remaining: -1}
	if err := w.readHeader(); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *WAVReader) readFull(p []byte, what string) error {
	n, err := io.ReadFull(w.r, p)
	w.off += int64(n)
	if err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return formatErr(w.off, io.ErrUnexpectedEOF, "input ends inside %s", what)
		}
		return formatErr(w.off, err, "reading %s", what)
	}
	return nil
}

func (w *WAVReader) skip(n int64, what string) error {
	if n <= 0 {
		return nil
	}
	m, err := io.CopyN(io.Discard, w.r, n)
	w.off += m
	if err != nil {
		if err == io.EOF {
			return formatErr(w.off, io.ErrUnexpectedEOF, "input ends inside %s", what)
		}
		return formatErr(w.off, err, "skipping %s", what)
	}
	return nil
}

func (w *WAVReader) readHeader() error {
	var hdr [12]byte
	if err := w.readFull(hdr[:], "RIFF header"); err != nil {
		return err
	}
	if string(hdr[0:4]) != "RIFF" {
		return formatErr(0, nil, "not a RIFF file (starts with %q)", hdr[0:4])
	}
	if string(hdr[8:12]) != "WAVE" {
		return formatErr(8, nil, "RIFF form is %q, not WAVE", hdr[8:12])
	}
	// The RIFF size (hdr[4:8]) is deliberately ignored.
	haveFmt := false
	for {
		var ch [8]byte
		start := w.off
		if err := w.readFull(ch[:], "chunk header"); err != nil {
			if fe, ok := err.(*FormatError); !ok || fe.Err != io.ErrUnexpectedEOF {
				return err // an I/O error, not the end of the input
			}
			if !haveFmt {
				return formatErr(start, io.ErrUnexpectedEOF, "no fmt chunk")
			}
			return formatErr(start, io.ErrUnexpectedEOF, "no data chunk")
		}
		id := string(ch[0:4])
		size := int64(binary.LittleEndian.Uint32(ch[4:8]))
		switch id {
		case "fmt ":
			if haveFmt {
				return formatErr(start, nil, "second fmt chunk")
			}
			if err := w.parseFmt(size, start); err != nil {
				return err
			}
			haveFmt = true
		case "data":
			if !haveFmt {
				return formatErr(start, nil, "data chunk before fmt chunk")
			}
			w.dataOff = w.off
			if size != 0xFFFFFFFF {
				w.dataSize = size
				ss := int64(w.bits / 8)
				w.remaining = size - size%ss
			}
			return nil
		default:
			if err := w.skip(size+size&1, "chunk "+quoteID(ch[0:4])); err != nil {
				return err
			}
		}
	}
}

func quoteID(b []byte) string {
	out := make([]byte, 0, 6)
	out = append(out, '"')
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			c = '?'
		}
		out = append(out, c)
	}
	return string(append(out, '"'))
}

func (w *WAVReader) parseFmt(size, start int64) error {
	if size < 16 {
		return formatErr(start+4, nil, "fmt chunk size %d is below 16", size)
	}
	var f [maxFmtChunk]byte
	n := min(size, maxFmtChunk)
	if err := w.readFull(f[:n], "fmt chunk"); err != nil {
		return err
	}
	if err := w.skip(size-n+size&1, "fmt chunk"); err != nil {
		return err
	}
	body := start + 8
	w.rateOff = body + 4
	w.format = binary.LittleEndian.Uint16(f[0:2])
	w.channels = int(binary.LittleEndian.Uint16(f[2:4]))
	w.rate = binary.LittleEndian.Uint32(f[4:8])
	w.blockAlign = int(binary.LittleEndian.Uint16(f[12:14]))
	w.bits = int(binary.LittleEndian.Uint16(f[14:16]))
	switch w.format {
	case wavFormatPCM:
	case wavFormatExtensible:
		if size < 40 {
			return formatErr(body, nil, "WAVE_FORMAT_EXTENSIBLE fmt chunk of %d bytes, want 40", size)
		}
		valid := int(binary.LittleEndian.Uint16(f[18:20]))
		if valid > w.bits {
			return formatErr(body+18, nil, "%d valid bits in a %d-bit container", valid, w.bits)
		}
		sub := binary.LittleEndian.Uint16(f[24:26])
		if sub != wavFormatPCM || [14]byte(f[26:40]) != pcmSubFormatTail {
			return formatErr(body+24, nil, "WAVE_FORMAT_EXTENSIBLE sub-format is not PCM")
		}
	default:
		return formatErr(body, nil, "unsupported format tag 0x%04x (want PCM)", w.format)
	}
	if w.channels == 0 {
		return formatErr(body+2, nil, "zero channels")
	}
	if w.bits != 16 && w.bits != 32 {
		return formatErr(body+14, nil, "unsupported %d bits per sample (want 16 or 32)", w.bits)
	}
	if w.blockAlign != w.channels*w.bits/8 {
		return formatErr(body+12, nil, "block align %d, want %d for %d channels of %d bits", w.blockAlign, w.channels*w.bits/8, w.channels, w.bits)
	}
	return nil
}

// SampleRate returns the sample rate field of the header. Hexoskin writes a
// rate below 1 Hz as the period in seconds; Record resolves that from the
// channel table. It may be 0 for a malformed file.
func (w *WAVReader) SampleRate() float64 { return float64(w.rate) }

// Channels returns the number of interleaved channels.
func (w *WAVReader) Channels() int { return w.channels }

// BitsPerSample returns 16 or 32.
func (w *WAVReader) BitsPerSample() int { return w.bits }

// DataOffset returns the byte offset of the first sample in the input.
func (w *WAVReader) DataOffset() int64 { return w.dataOff }

// DataSize returns the data chunk size from the header, or -1 when it was
// 0xFFFFFFFF (read to the end of the input).
func (w *WAVReader) DataSize() int64 { return w.dataSize }

// Offset returns the byte offset in the input of the next unread byte.
func (w *WAVReader) Offset() int64 { return w.off }

// readBytes fills p with whole samples (len(p) rounded down to the sample
// size) and returns how many bytes it stored. At the end of the data it
// returns the whole samples it has with a nil error and then 0 and the
// sticky error: io.EOF, or a *FormatError wrapping io.ErrUnexpectedEOF when
// the input ended inside a sample.
func (w *WAVReader) readBytes(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	ss := w.bits / 8
	n := len(p) - len(p)%ss
	if w.remaining >= 0 && int64(n) > w.remaining {
		n = int(w.remaining)
	}
	if n == 0 {
		if w.remaining == 0 {
			w.err = io.EOF
			return 0, io.EOF
		}
		return 0, nil
	}
	m, err := io.ReadFull(w.r, p[:n])
	w.off += int64(m)
	if w.remaining >= 0 {
		w.remaining -= int64(m)
	}
	if err != nil {
		part := m % ss
		switch {
		case err != io.EOF && err != io.ErrUnexpectedEOF:
			w.err = formatErr(w.off, err, "reading samples")
		case part != 0:
			w.err = formatErr(w.off-int64(part), io.ErrUnexpectedEOF, "input ends inside a sample")
		default:
			// The data size ran past the end of the input: read to the end.
			w.err = io.EOF
		}
		if m-part == 0 {
			return 0, w.err
		}
		return m - part, nil
	}
	return n, nil
}

// bufferSize is the size of the decode buffer: bufSize, or less when the
// header promises less data. A lying header costs at most bufSize bytes.
func (w *WAVReader) bufferSize() int {
	n := bufSize
	if w.remaining >= 0 && w.remaining < int64(n) {
		n = max(int(w.remaining), w.bits/8)
	}
	return n
}

func (w *WAVReader) buffer() []byte {
	if w.buf == nil {
		w.buf = make([]byte, w.bufferSize())
	}
	return w.buf
}

var errNot16 = errors.New("binfmt: ReadInt16 on 32-bit samples; use ReadInt32")

// ReadInt16 decodes up to len(dst) 16-bit samples (channels interleaved)
// into dst and returns how many it stored. After the last sample it returns
// 0, io.EOF. ReadInt16 may use all of dst as scratch space. If the input ends inside a sample the samples before it are
// returned first, then a *FormatError wrapping io.ErrUnexpectedEOF. It is
// an error to call ReadInt16 on a 32-bit file; use ReadInt32.
func (w *WAVReader) ReadInt16(dst []int16) (int, error) {
	if w.bits != 16 {
		return 0, errNot16
	}
	if b := int16Bytes(dst); b != nil {
		// Little-endian host: the sample bytes are the int16 values.
		n, err := w.readBytes(b)
		return n / 2, err
	}
	return readVia(w, dst, 2, decodeInt16)
}

// ReadInt32 decodes up to len(dst) samples (channels interleaved) into dst
// and returns how many it stored; 16-bit samples are sign-extended (use
// uint16(v) for unsigned data). End of data and errors are reported as by
// ReadInt16.
func (w *WAVReader) ReadInt32(dst []int32) (int, error) {
	ss := w.bits / 8
	if b := int32Bytes(dst); b != nil && ss == 4 {
		n, err := w.readBytes(b)
		return n / 4, err
	}
	if ss == 2 {
		return readVia(w, dst, 2, widenInt16)
	}
	return readVia(w, dst, 4, decodeInt32)
}

// readVia fills dst through the reader's one buffer: it reads whole samples
// of size bytes and decodes each chunk into dst. After the last sample it
// returns 0, io.EOF; an error after some samples waits for the next call.
func readVia[T int16 | int32](w *WAVReader, dst []T, size int, decode func(d []T, b []byte)) (int, error) {
	buf := w.buffer()
	total := 0
	for total < len(dst) {
		want := min((len(dst)-total)*size, len(buf)-len(buf)%size)
		n, err := w.readBytes(buf[:want])
		decode(dst[total:total+n/size], buf[:n])
		total += n / size
		if err != nil {
			if total > 0 {
				return total, nil
			}
			return 0, err
		}
		if n == 0 {
			break
		}
	}
	return total, nil
}

// widenInt16 decodes 16-bit samples into int32, sign-extended.
func widenInt16(d []int32, b []byte) {
	for i := range d {
		d[i] = int32(int16(binary.LittleEndian.Uint16(b[2*i:])))
	}
}

// decodeInt32 decodes 32-bit samples.
func decodeInt32(d []int32, b []byte) {
	for i := range d {
		d[i] = int32(binary.LittleEndian.Uint32(b[4*i:]))
	}
}

// decodeInt16 converts len(d) little-endian samples from b, four at a time.
func decodeInt16(d []int16, b []byte) {
	b = b[:2*len(d)]
	i := 0
	for ; i+4 <= len(d); i += 4 {
		v := binary.LittleEndian.Uint64(b[2*i:])
		dd := d[i : i+4 : i+4]
		dd[0] = int16(v)
		dd[1] = int16(v >> 16)
		dd[2] = int16(v >> 32)
		dd[3] = int16(v >> 48)
	}
	for ; i < len(d); i++ {
		d[i] = int16(binary.LittleEndian.Uint16(b[2*i:]))
	}
}
