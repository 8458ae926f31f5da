package binfmt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"math"
)

// ChannelReader reads one channel of a record in bulk: physical values
// (raw value times the channel's gain) and their times in seconds from the
// record start, the same numbers Record.Samples yields, into the caller's
// slices. It reads the file through one pooled buffer and allocates nothing
// per call, so a loop over Read runs at memory speed where the per-sample
// iterator cannot.
//
// Like an io.Reader it is used in a loop until io.EOF:
//
//	cr, err := rec.OpenChannel("ECG_I")
//	...
//	defer cr.Close()
//	buf := make([]float64, 4096)
//	for {
//		n, err := cr.Read(buf)
//		use(buf[:n])
//		if err == io.EOF { break }
//		if err != nil { return err }
//	}
//
// A ChannelReader is not safe for concurrent use.
type ChannelReader struct {
	c   ChannelInfo
	f   fs.File
	err error // sticky: io.EOF or the error to report once the buffer is drained

	// The undelivered part of the buffer is samples pos..end; next is the
	// index in the channel (channels interleaved) of sample pos.
	pos, end int
	next     int64

	// WAV
	w          *WAVReader
	bp         *[]byte
	buf        []byte
	ss, nch    int
	frameBytes int
	left       int64 // samples left per ChannelInfo.Count, -1 for no limit
	timeOf     frameClock

	// .hxd
	h    *HXDReader
	rp   *[bufSize / HXDRecordSize]HXDRecord
	recs []HXDRecord

	// legacy CSV
	pull func() (Sample, error, bool)
	stop func()
}

// frameClock computes a WAV frame's time, dt_offset + frame/rate (or
// + frame*period for channels whose header holds the period), with a
// multiplication instead of the division when 1/rate is exact.
type frameClock struct {
	off, rate, step float64
	mul             bool // step is exact: 1/rate for a power-of-two rate, or the period
}

func newFrameClock(off, rate, period float64) frameClock {
	if period > 0 {
		return frameClock{off: off, rate: rate, step: period, mul: true}
	}
	fc := frameClock{off: off, rate: rate}
	if frac, _ := math.Frexp(rate); frac == 0.5 {
		fc.step, fc.mul = 1/rate, true // a power of two: i*(1/rate) == i/rate
	}
	return fc
}

func (fc frameClock) at(frame int64) float64 {
	if fc.mul {
		return fc.off + float64(frame)*fc.step
	}
	return fc.off + float64(frame)/fc.rate
}

// OpenChannel opens one channel, named by its file name without extension
// as for Samples, for bulk reading. WAV, .hxd and legacy CSV channels are
// read; the caller must Close the reader. The error wraps
// ErrUnknownChannel when the record has no such channel, or is the
// channel's header error (ChannelInfo.Err).
func (r *Record) OpenChannel(name string) (*ChannelReader, error) {
	i, ok := r.byName[name]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownChannel, name)
	}
	c := r.channels[i]
	if c.Err != nil {
		return nil, c.Err
	}
	f, err := r.fsys.Open(c.File)
	if err != nil {
		return nil, &FormatError{File: c.File, Msg: "cannot open", Err: err}
	}
	cr := &ChannelReader{c: c, f: f, left: -1}
	switch c.Format {
	case "wav":
		err = cr.openWAV()
	case "hxd":
		cr.h = NewHXDReader(f)
		cr.rp = recordBufs.Get().(*[bufSize / HXDRecordSize]HXDRecord)
		// The portable decode path reads through a buffer: lend it a pooled one.
		cr.bp = decodeBufs.Get().(*[]byte)
		cr.h.buf = (*cr.bp)[:len(cr.rp)*HXDRecordSize]
	case "csv":
		cr.pull, cr.stop = iter.Pull2(iter.Seq2[Sample, error](func(yield func(Sample, error) bool) {
			csvSamples(f, &c, yield)
		}))
	default:
		err = fmt.Errorf("binfmt: %s: cannot read format %q", c.File, c.Format)
	}
	if err != nil {
		cr.Close()
		return nil, err
	}
	return cr, nil
}

func (cr *ChannelReader) openWAV() error {
	c := &cr.c
	w, err := NewWAVReader(cr.f)
	if err != nil {
		return withFile(err, c.File, 0)
	}
	cr.w = w
	cr.ss = w.bits / 8
	cr.nch = w.Channels()
	cr.frameBytes = cr.nch * cr.ss
	cr.timeOf = newFrameClock(c.Offset, c.Rate, c.period)
	size := w.bufferSize()
	if c.Size >= 0 && c.Size < int64(size) {
		size = max(int(c.Size), cr.ss)
	}
	if cr.frameBytes <= bufSize {
		// Whole frames per read, so that a file ending inside a frame
		// yields whole frames only.
		size = max(size-size%cr.frameBytes, cr.frameBytes)
	} else {
		// A frame larger than the buffer (thousands of channels, only in a
		// crafted file): stop at the whole frames Count holds instead.
		cr.left = c.Count
	}
	cr.bp = decodeBufs.Get().(*[]byte)
	cr.buf = (*cr.bp)[:size]
	return nil
}

// Channel returns the description of the channel being read.
func (cr *ChannelReader) Channel() ChannelInfo { return cr.c }

// Read fills values with the next physical values of the channel (channels
// of a multi-channel WAV interleaved, as Samples yields them) and returns
// how many it stored: len(values) unless the channel ends first. After
// the last value it returns 0, io.EOF. When the file is damaged, the
// values before the damage are returned first, then 0 and a *FormatError
// naming the file and byte offset.
func (cr *ChannelReader) Read(values []float64) (int, error) {
	return cr.read(nil, values)
}

// ReadSamples is Read that also fills times with each value's time in
// seconds from the record start (Sample.Seconds). It stores
// min(len(times), len(values)) samples at most.
func (cr *ChannelReader) ReadSamples(times, values []float64) (int, error) {
	n := min(len(times), len(values))
	if n == 0 && len(values) > 0 {
		return 0, errNoTimes
	}
	return cr.read(times[:n], values[:n])
}

// Close releases the file and the buffers. It is safe to call twice.
func (cr *ChannelReader) Close() error {
	if cr.stop != nil {
		cr.stop()
		cr.stop, cr.pull = nil, nil
	}
	if cr.rp != nil {
		recordBufs.Put(cr.rp)
		cr.rp, cr.recs = nil, nil
	}
	if cr.bp != nil {
		decodeBufs.Put(cr.bp)
		cr.bp, cr.buf = nil, nil
		if cr.h != nil {
			cr.h.buf = nil
		}
	}
	var err error
	if cr.f != nil {
		err = cr.f.Close()
		cr.f = nil
	}
	if cr.err == nil || cr.err == io.EOF {
		cr.err = errClosed
	}
	return err
}

var (
	errClosed  = errors.New("binfmt: read of a closed ChannelReader")
	errNoTimes = errors.New("binfmt: ReadSamples with an empty times slice")
)

// read fills values (and times, when not nil) from the buffer, refilling it
// from the file as needed.
func (cr *ChannelReader) read(times, values []float64) (int, error) {
	if cr.f == nil {
		return 0, errClosed
	}
	if cr.pull != nil {
		return cr.readCSV(times, values)
	}
	n := 0
	for n < len(values) {
		if cr.pos == cr.end {
			if cr.err != nil || !cr.fill() {
				break
			}
			continue
		}
		k := min(len(values)-n, cr.end-cr.pos)
		var t []float64
		if times != nil {
			t = times[n : n+k]
		}
		if cr.w != nil {
			cr.convertWAV(t, values[n:n+k])
		} else {
			cr.convertHXD(t, values[n:n+k])
		}
		cr.pos += k
		cr.next += int64(k)
		n += k
	}
	if n == 0 && len(values) > 0 && cr.err != nil {
		return 0, cr.err
	}
	return n, nil
}

// fill reads the next chunk of the file into the buffer; it reports
// whether it got any sample, and sets cr.err at the end of the data.
func (cr *ChannelReader) fill() bool {
	cr.pos, cr.end = 0, 0
	if cr.w != nil {
		if cr.left == 0 {
			cr.err = io.EOF
			return false
		}
		n, err := cr.w.readBytes(cr.buf)
		if cr.frameBytes <= len(cr.buf) {
			n -= n % cr.frameBytes
		}
		k := n / cr.ss
		if cr.left >= 0 {
			k = int(min(int64(k), cr.left))
			cr.left -= int64(k)
		}
		cr.end = k
		if err != nil {
			cr.err = withFile(err, cr.c.File, cr.w.Offset())
		}
		return k > 0
	}
	n, err := cr.h.Read(cr.rp[:])
	cr.recs = cr.rp[:n]
	cr.end = n
	if err != nil {
		cr.err = withFile(err, cr.c.File, cr.h.Offset())
	}
	return n > 0
}

// convertWAV decodes samples pos..pos+len(values) of the buffer.
func (cr *ChannelReader) convertWAV(times, values []float64) {
	gain := cr.c.Gain
	signed := cr.c.Signed
	if cr.ss == 2 {
		b := cr.buf[2*cr.pos : 2*(cr.pos+len(values))]
		switch s := int16sOf(b); {
		case s != nil:
			scale16(values, s, gain, signed)
		case signed:
			scaleInt16(values, b, gain)
		default:
			scaleUint16(values, b, gain)
		}
	} else {
		b := cr.buf[4*cr.pos : 4*(cr.pos+len(values))]
		for i := range values {
			v := binary.LittleEndian.Uint32(b[4*i:])
			if signed {
				values[i] = float64(int32(v)) * gain
			} else {
				values[i] = float64(v) * gain
			}
		}
	}
	if times == nil {
		return
	}
	fc := cr.timeOf
	if cr.nch == 1 {
		i0 := cr.next
		if fc.mul {
			for i := range times {
				times[i] = fc.off + float64(i0+int64(i))*fc.step
			}
			return
		}
		for i := range times {
			times[i] = fc.off + float64(i0+int64(i))/fc.rate
		}
		return
	}
	nch := int64(cr.nch)
	frame, k := cr.next/nch, cr.next%nch
	t := fc.at(frame)
	for i := range times {
		times[i] = t
		if k++; k == nch {
			k = 0
			frame++
			t = fc.at(frame)
		}
	}
}

// scaleInt16 stores raw*gain for the little-endian int16 samples in b.
func scaleInt16(values []float64, b []byte, gain float64) {
	b = b[:2*len(values)]
	i := 0
	for ; i+4 <= len(values); i += 4 {
		v := binary.LittleEndian.Uint64(b[2*i:])
		d := values[i : i+4 : i+4]
		d[0] = float64(int16(v)) * gain
		d[1] = float64(int16(v>>16)) * gain
		d[2] = float64(int16(v>>32)) * gain
		d[3] = float64(int16(v>>48)) * gain
	}
	for ; i < len(values); i++ {
		values[i] = float64(int16(binary.LittleEndian.Uint16(b[2*i:]))) * gain
	}
}

// scaleUint16 is scaleInt16 for unsigned samples.
func scaleUint16(values []float64, b []byte, gain float64) {
	b = b[:2*len(values)]
	i := 0
	for ; i+4 <= len(values); i += 4 {
		v := binary.LittleEndian.Uint64(b[2*i:])
		d := values[i : i+4 : i+4]
		d[0] = float64(uint16(v)) * gain
		d[1] = float64(uint16(v>>16)) * gain
		d[2] = float64(uint16(v>>32)) * gain
		d[3] = float64(uint16(v>>48)) * gain
	}
	for ; i < len(values); i++ {
		values[i] = float64(binary.LittleEndian.Uint16(b[2*i:])) * gain
	}
}

// convertHXD decodes records pos..pos+len(values) of the buffer.
func (cr *ChannelReader) convertHXD(times, values []float64) {
	gain := cr.c.Gain
	recs := cr.recs[cr.pos : cr.pos+len(values)]
	scaleHXD(values, recs, gain)
	for i, r := range recs[:len(times)] {
		times[i] = r.Seconds()
	}
}

// readCSV pulls rows of a legacy CSV one by one.
func (cr *ChannelReader) readCSV(times, values []float64) (int, error) {
	if cr.err != nil {
		return 0, cr.err
	}
	n := 0
	for n < len(values) {
		s, err, ok := cr.pull()
		if !ok {
			cr.err = io.EOF
			break
		}
		if err != nil {
			cr.err = err
			break
		}
		values[n] = s.Value
		if times != nil {
			times[n] = s.Seconds
		}
		n++
	}
	if n == 0 && len(values) > 0 {
		return 0, cr.err
	}
	return n, nil
}
