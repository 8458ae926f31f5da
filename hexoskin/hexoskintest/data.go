package hexoskintest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"io"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/wearkit/wearkit/hexoskin"
	"github.com/wearkit/wearkit/internal/hexofile"
)

// dataSpan resolves the span and user of a data request.
func (s *Server) dataSpan(q map[string][]string) (user string, start, end int64, status int, msg string) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[len(v)-1]
		}
		return ""
	}
	num := func(k string) (int64, bool) {
		v := get(k)
		if v == "" {
			return 0, false
		}
		n, err := strconv.ParseInt(v, 10, 64)
		return n, err == nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var obj map[string]any
	switch {
	case get("record") != "":
		_, obj = s.coll("record").find(get("record"))
	case get("range") != "":
		_, obj = s.coll("range").find(get("range"))
	case get("user") != "":
		user = get("user")
		if _, u := s.coll("user").find(user); u == nil {
			return "", 0, 0, http.StatusNotFound, "No such user."
		}
		var ok1, ok2 bool
		start, ok1 = num("start")
		end, ok2 = num("end")
		if !ok1 || !ok2 {
			return "", 0, 0, http.StatusBadRequest, "start and end are required with user."
		}
		return user, start, end, 0, ""
	default:
		return "", 0, 0, http.StatusBadRequest, "One of record, range or user is required."
	}
	if obj == nil {
		return "", 0, 0, http.StatusNotFound, "Not found."
	}
	user = norm(obj["user"])
	start, ok1 := obj["start"].(int64)
	end, ok2 := obj["end"].(int64)
	if !ok1 || !ok2 {
		return "", 0, 0, http.StatusBadRequest, "The record or range has no start and end."
	}
	if v, ok := num("start"); ok {
		start = max(start, v)
	}
	if v, ok := num("end"); ok {
		end = min(end, v)
	}
	return user, start, end, 0, ""
}

func (s *Server) data(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeError(w, http.StatusMethodNotAllowed, "Method not allowed.")
		return
	}
	q := r.URL.Query()
	raw := q.Get("datatype__in")
	if raw == "" {
		raw = q.Get("datatype")
	}
	if raw == "" {
		writeError(w, http.StatusBadRequest, "datatype__in is required.")
		return
	}
	var ids []hexoskin.DatatypeID
	for _, p := range strings.Split(raw, ",") {
		n, err := strconv.ParseInt(p, 10, 64)
		if err != nil {
			writeError(w, http.StatusBadRequest, "Invalid datatype "+strconv.Quote(p)+".")
			return
		}
		ids = append(ids, hexoskin.DatatypeID(n))
	}
	user, start, end, status, msg := s.dataSpan(q)
	if status != 0 {
		writeError(w, status, msg)
		return
	}
	s.mu.Lock()
	s.dataCalls++
	s.mu.Unlock()
	accept := r.Header.Get("Accept")
	switch {
	case strings.Contains(accept, "application/octet-stream"):
		s.writeZip(w, ids, user, start, end)
	case strings.Contains(accept, hexoskin.EDFMediaType):
		s.writeEDF(w, ids, user, start, end)
	case strings.Contains(accept, "text/csv"):
		s.writeCSV(w, ids, user, start, end)
	default:
		s.writeJSON(w, ids, user, start, end)
	}
}

// stride returns the subsampling step for n points and notes a subsampled
// answer.
func (s *Server) stride(n int64) int64 {
	if n <= MaxDataPoints {
		return 1
	}
	s.mu.Lock()
	s.subsampled++
	s.mu.Unlock()
	return (n + MaxDataPoints - 1) / MaxDataPoints
}

// jsonBufs recycles the answer buffers of writeJSON, so that a benchmark of
// hundreds of windows measures the client's heap, not the fake's garbage.
var jsonBufs = sync.Pool{New: func() any { b := make([]byte, 0, 1<<16); return &b }}

func (s *Server) writeJSON(w http.ResponseWriter, ids []hexoskin.DatatypeID, user string, start, end int64) {
	bp := jsonBufs.Get().(*[]byte)
	b := (*bp)[:0]
	defer func() { *bp = b[:0]; jsonBufs.Put(bp) }()
	b = append(b, `[{"data": {`...)
	subsampled := false
	for i, id := range ids {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, '"')
		b = strconv.AppendInt(b, int64(id), 10)
		b = append(b, `": [`...)
		sr := s.seriesOf(id, user)
		n := sr.count(start, end)
		k := s.stride(n)
		subsampled = subsampled || k > 1
		var idx, written int64
		emit := func(ts, v int64) {
			if written > 0 {
				b = append(b, ", "...)
			}
			written++
			b = append(b, '[')
			b = strconv.AppendInt(b, ts, 10)
			b = append(b, ", "...)
			b = strconv.AppendInt(b, v, 10)
			b = append(b, ']')
		}
		if s.thin && !sr.async {
			// Only the first and the last kept point, computed directly.
			if n > 0 {
				first := (start + sr.step - 1) / sr.step * sr.step
				emit(first, sr.value(first))
				if last := first + (n-1)/k*k*sr.step; n > 1 && last != first {
					emit(last, sr.value(last))
				}
			}
			b = append(b, ']')
			continue
		}
		sr.points(start, end, func(ts, v int64) {
			keep := idx%k == 0
			idx++
			if !keep {
				return
			}
			if s.thin && written > 0 && idx < n-k+1 {
				return
			}
			emit(ts, v)
		})
		b = append(b, ']')
	}
	b = append(b, `}, "user": "/api/user/`...)
	b = append(b, user...)
	b = append(b, `/"}]`...)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

// writeCSV answers a wide table: a "timestamp" column, then one column per
// datatype, one row per time any of them has a value.
func (s *Server) writeCSV(w http.ResponseWriter, ids []hexoskin.DatatypeID, user string, start, end int64) {
	type cell struct {
		ts, v int64
		col   int
	}
	var cells []cell
	for col, id := range ids {
		sr := s.seriesOf(id, user)
		k := s.stride(sr.count(start, end))
		var idx int64
		sr.points(start, end, func(ts, v int64) {
			if idx%k == 0 {
				cells = append(cells, cell{ts, v, col})
			}
			idx++
		})
	}
	sort.SliceStable(cells, func(i, j int) bool { return cells[i].ts < cells[j].ts })
	var b bytes.Buffer
	b.WriteString("timestamp")
	for _, id := range ids {
		b.WriteString("," + strconv.FormatInt(int64(id), 10))
	}
	b.WriteByte('\n')
	row := make([]string, len(ids))
	for i := 0; i < len(cells); {
		ts := cells[i].ts
		for j := range row {
			row[j] = ""
		}
		for ; i < len(cells) && cells[i].ts == ts; i++ {
			row[cells[i].col] = strconv.FormatInt(cells[i].v, 10)
		}
		b.WriteString(strconv.FormatInt(ts, 10) + "," + strings.Join(row, ",") + "\n")
	}
	w.Header().Set("Content-Type", "text/csv")
	_, _ = w.Write(b.Bytes())
}

// writeZip answers the binary format: a zip with <name>.wav (44-byte
// header, 16-bit mono PCM) per synchronous datatype and <name>.hxd (16-byte
// little-endian offset/value records) per asynchronous one, offsets counted
// from start. As in Hexoskin's exports, a WAV's first sample is the
// channel's dt_offset after start (1 s for 1 Hz channels, 300 s for HRV),
// so the times a decoder gives them are the times the JSON answer shows.
func (s *Server) writeZip(w http.ResponseWriter, ids []hexoskin.DatatypeID, user string, start, end int64) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	// Fast deflate: the fake's time goes to the client being measured, not
	// to squeezing a few more percent out of noisy signals.
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	for _, id := range ids {
		sr := s.seriesOf(id, user)
		if sr.async {
			f, _ := zw.Create(id.String() + ".hxd")
			var rec []byte
			sr.points(start, end, func(ts, v int64) {
				rec = hexofile.AppendHXD(rec, uint64(ts-start), v)
			})
			_, _ = f.Write(rec)
			continue
		}
		info, _ := id.Info()
		rate := uint32(math.Round(info.Rate))
		if info.Rate < 1 && info.Rate > 0 {
			rate = uint32(math.Round(1 / info.Rate)) // written as the period
		}
		if rate == 0 {
			rate = 1
		}
		var pcm []byte
		first := start + int64(math.Round(info.Offset*256))
		sr.points(first, end, func(_, v int64) { pcm = binary.LittleEndian.AppendUint16(pcm, uint16(v)) })
		f, _ := zw.Create(id.String() + ".wav")
		_, _ = f.Write(hexofile.AppendWAVHeader(nil, rate, 1, 16, uint32(len(pcm))))
		_, _ = f.Write(pcm)
	}
	_ = zw.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", `attachment; filename="data.zip"`)
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = w.Write(buf.Bytes())
}
