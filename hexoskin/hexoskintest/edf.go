package hexoskintest

import (
	"encoding/binary"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/wearkit/wearkit/binfmt"
	"github.com/wearkit/wearkit/hexoskin"
)

// writeEDF answers /api/data/ as EDF (Accept: application/x-edf): one
// signal per synchronous datatype of at least 1 Hz, in data records of one
// second, the raw integers with a symmetric physical range from binfmt's
// gain that an 8-character header field writes exactly (edfRange).
// Asynchronous and HRV datatypes are refused with 400: EDF holds regular
// samples only.
func (s *Server) writeEDF(w http.ResponseWriter, ids []hexoskin.DatatypeID, user string, start, end int64) {
	type sig struct {
		sr    series
		label string
		unit  string
		n     int
	}
	var sigs []sig
	for _, id := range ids {
		info, ok := id.Info()
		if !ok || info.Async || info.Rate < 1 {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("datatype %d: EDF holds synchronous channels of 1 Hz or more only.", id))
			return
		}
		sigs = append(sigs, sig{sr: s.seriesOf(id, user), label: info.Name, unit: info.Unit, n: int(math.Round(info.Rate))})
	}
	first := (start + 255) / 256 * 256 // whole seconds
	nrec := int((end - first) / 256)
	if nrec < 1 {
		writeError(w, http.StatusBadRequest, "EDF needs at least one second of data.")
		return
	}
	field := func(b []byte, v string, n int) []byte {
		if len(v) > n {
			v = v[:n]
		}
		b = append(b, v...)
		for i := len(v); i < n; i++ {
			b = append(b, ' ')
		}
		return b
	}
	t := tickTimeUTC(first)
	ns := len(sigs)
	h := make([]byte, 0, 256*(ns+1))
	h = field(h, "0", 8)
	h = field(h, "X X X user"+user, 80)
	h = field(h, "Startdate "+t.Format("02-Jan-2006")+" X hexoskintest X", 80)
	h = field(h, t.Format("02.01.06"), 8)
	h = field(h, t.Format("15.04.05"), 8)
	h = field(h, strconv.Itoa(256*(ns+1)), 8)
	h = field(h, "", 44)
	h = field(h, strconv.Itoa(nrec), 8)
	h = field(h, "1", 8)
	h = field(h, strconv.Itoa(ns), 4)
	each := func(width int, f func(int, sig) string) {
		for i, sg := range sigs {
			h = field(h, f(i, sg), width)
		}
	}
	gain := func(sg sig) float64 {
		if c, ok := binfmt.LookupDatatype(int64(sg.sr.id), ""); ok && c.Gain != 0 {
			return c.Gain
		}
		return 1
	}
	each(16, func(_ int, sg sig) string { return sg.label })
	each(80, func(int, sig) string { return "Hexoskin" })
	each(8, func(_ int, sg sig) string { return sg.unit })
	// Symmetric ranges whose physical end fits the 8-character field
	// exactly, sign included, so a reader's pmin + (d - dmin) * (pmax -
	// pmin) / (dmax - dmin) is d x gain, the data path's value.
	lims := make([]int64, ns)
	phys := make([]string, ns)
	for i, sg := range sigs {
		lims[i], phys[i] = edfRange(gain(sg))
	}
	each(8, func(i int, _ sig) string { return "-" + phys[i] })
	each(8, func(i int, _ sig) string { return phys[i] })
	each(8, func(i int, _ sig) string { return strconv.FormatInt(-lims[i], 10) })
	each(8, func(i int, _ sig) string { return strconv.FormatInt(lims[i], 10) })
	each(80, func(int, sig) string { return "" })
	each(8, func(_ int, sg sig) string { return strconv.Itoa(sg.n) })
	each(32, func(int, sig) string { return "" })
	w.Header().Set("Content-Type", hexoskin.EDFMediaType)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(h)
	buf := make([]byte, 0, 4096)
	for r := 0; r < nrec; r++ {
		buf = buf[:0]
		sec := first + int64(r)*256
		for i, sg := range sigs {
			n := 0
			lim := lims[i]
			sg.sr.points(sec, sec+255, func(_ int64, v int64) {
				if n < sg.n {
					buf = binary.LittleEndian.AppendUint16(buf, uint16(int16(max(min(v, lim), -lim))))
					n++
				}
			})
			for ; n < sg.n; n++ {
				buf = append(buf, 0, 0)
			}
		}
		if _, err := w.Write(buf); err != nil {
			return
		}
	}
}

// edfRange returns the largest digital limit d <= 32767 whose physical
// value d x gain writes exactly in at most 7 characters (8 with the minus
// sign of the minimum), and that text; values past ±d are clipped.
func edfRange(gain float64) (int64, string) {
	for d := int64(32767); d > 0; d-- {
		want := float64(d) * gain
		for prec := 7; prec >= 1; prec-- {
			s := strconv.FormatFloat(want, 'f', prec, 64)
			s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
			if len(s) > 7 {
				continue
			}
			if v, err := strconv.ParseFloat(s, 64); err == nil && math.Abs(v/float64(d)-gain) <= 1e-12*gain {
				return d, s
			}
			break // fewer decimals only lose more
		}
	}
	return 32767, strconv.FormatInt(32767, 10)
}
