package binfmt

import (
	"fmt"
	"io"
	"math"
	"strconv"
)

// csvFlushSize is how many bytes CSVWriter gathers before writing.
const csvFlushSize = 64 << 10

// CSVHeader returns the header line (without newline) Hexoskin's converter
// writes for a channel: `time [s],<name> [<unit>] (/api/datatype/<id>/)`;
// the datatype part is left out when the id is unknown (0).
func CSVHeader(c ChannelInfo) string {
	h := "time [s]," + c.Name + " [" + c.Unit + "]"
	if c.DatatypeID != 0 {
		h += " (/api/datatype/" + strconv.FormatInt(c.DatatypeID, 10) + "/)"
	}
	return h
}

// CSVWriter writes samples as CSV rows "<seconds>,<value>\n" through one
// reused buffer. Numbers are written in the shortest decimal form that
// reads back as the same float64 (never in exponent form); NaN is "nan".
// Call Flush at the end.
type CSVWriter struct {
	w    io.Writer
	buf  []byte
	rows int64
	err  error
}

// NewCSVWriter returns a writer that has written the header line for c.
func NewCSVWriter(w io.Writer, c ChannelInfo) *CSVWriter {
	cw := &CSVWriter{w: w, buf: make([]byte, 0, csvFlushSize+128)}
	cw.buf = append(cw.buf, CSVHeader(c)...)
	cw.buf = append(cw.buf, '\n')
	return cw
}

// Write appends one row. Errors from the underlying writer are sticky and
// returned by Write and Flush.
func (cw *CSVWriter) Write(s Sample) error {
	if cw.err != nil {
		return cw.err
	}
	b := appendNumber(cw.buf, s.Seconds)
	b = append(b, ',')
	b = appendNumber(b, s.Value)
	cw.buf = append(b, '\n')
	cw.rows++
	if len(cw.buf) >= csvFlushSize {
		return cw.flush()
	}
	return nil
}

// Rows returns how many rows have been written (header not included).
func (cw *CSVWriter) Rows() int64 { return cw.rows }

func (cw *CSVWriter) flush() error {
	if cw.err != nil {
		return cw.err
	}
	if len(cw.buf) > 0 {
		if _, err := cw.w.Write(cw.buf); err != nil {
			cw.err = err
			return err
		}
	}
	cw.buf = cw.buf[:0]
	return nil
}

// Flush writes any buffered rows.
func (cw *CSVWriter) Flush() error { return cw.flush() }

// WriteCSV writes one channel as CSV to w, in the layout of Hexoskin's
// converter: a header line, then one "<seconds>,<value>" row per sample.
func (r *Record) WriteCSV(w io.Writer, channel string) error {
	c, ok := r.Channel(channel)
	if !ok {
		return fmt.Errorf("%w: %q", ErrUnknownChannel, channel)
	}
	cw := NewCSVWriter(w, c)
	for s, err := range r.Samples(channel) {
		if err != nil {
			return err
		}
		if err := cw.Write(s); err != nil {
			return err
		}
	}
	return cw.Flush()
}

// appendNumber appends v in the shortest decimal form that parses back to v,
// without an exponent. Integers and multiples of 1/256 (the times of every
// Hexoskin channel and many values) take a fast exact path.
func appendNumber(b []byte, v float64) []byte {
	if v >= 0 && v < 1e7 {
		ip := math.Floor(v)
		// frac*256 integral: the exact decimal has at most 8 fractional
		// digits and at most 15 significant digits, so it is the shortest
		// form that round-trips.
		f := (v - ip) * 256
		if fi := math.Floor(f); fi == f {
			b = strconv.AppendUint(b, uint64(ip), 10)
			if fi == 0 {
				return b
			}
			return appendFrac256(b, uint64(fi))
		}
	} else if v < 0 && v > -1e7 {
		return appendNumber(append(b, '-'), -v)
	}
	if math.IsNaN(v) {
		return append(b, "nan"...)
	}
	if math.IsInf(v, 0) {
		if v > 0 {
			return append(b, "inf"...)
		}
		return append(b, "-inf"...)
	}
	return strconv.AppendFloat(b, v, 'f', -1, 64)
}

// appendFrac256 appends "." and the decimal digits of n/256 (0 < n < 256),
// without trailing zeros.
func appendFrac256(b []byte, n uint64) []byte {
	d := n * 390625 // n/256 = d/10^8
	var digits [9]byte
	digits[0] = '.'
	for i := 8; i >= 1; i-- {
		digits[i] = byte('0' + d%10)
		d /= 10
	}
	end := 9
	for digits[end-1] == '0' {
		end--
	}
	return append(b, digits[:end]...)
}
