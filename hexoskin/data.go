package hexoskin

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/wearkit/wearkit"
)

// MaxDataPoints is the most points /api/data/ answers per datatype in JSON
// or CSV; past it the server subsamples silently. Binary answers are not
// capped.
const MaxDataPoints = 65535

// DataQuery selects data for /api/data/: one or more datatypes and either a
// record, a range, or a user and a time span. Start and End may also narrow
// a record or range.
type DataQuery struct {
	// Datatypes to fetch (datatype__in); at least one.
	Datatypes []DatatypeID
	// Record id, or
	Record int64
	// Range id, or
	Range int64
	// User id with Start and End.
	User int64
	// Start and End bound the span (HexoTimestamps).
	Start, End Timestamp
	// Raw keeps the API's raw integers (ECG in ADC units, RR intervals in
	// 1/256 s...) instead of physical units. It is not sent: the API
	// always answers raw, and the client scales by DatatypeInfo.Gain.
	Raw bool
}

// dataParams is the query string of one /api/data/ call.
type dataParams struct {
	Datatypes IDs       `url:"datatype__in"`
	Record    int64     `url:"record,omitempty"`
	Range     int64     `url:"range,omitempty"`
	User      int64     `url:"user,omitempty"`
	Start     Timestamp `url:"start,omitempty"`
	End       Timestamp `url:"end,omitempty"`
}

func (q *DataQuery) validate() error {
	if q == nil || len(q.Datatypes) == 0 {
		return errors.New("hexoskin: DataQuery needs at least one datatype")
	}
	n := 0
	if q.Record != 0 {
		n++
	}
	if q.Range != 0 {
		n++
	}
	if q.User != 0 {
		n++
	}
	if n != 1 {
		return errors.New("hexoskin: DataQuery needs exactly one of Record, Range or User")
	}
	if q.User != 0 && (q.Start == 0 || q.End == 0) {
		return errors.New("hexoskin: DataQuery with User needs Start and End")
	}
	if q.End != 0 && q.End < q.Start {
		return fmt.Errorf("hexoskin: DataQuery ends (%v) before it starts (%v)", q.End, q.Start)
	}
	if q.Start != 0 && q.End != 0 {
		return checkSpan(q.Start, q.End, "DataQuery.End")
	}
	return nil
}

func (q *DataQuery) params() *dataParams {
	ids := make(IDs, len(q.Datatypes))
	for i, d := range q.Datatypes {
		ids[i] = int64(d)
	}
	return &dataParams{Datatypes: ids, Record: q.Record, Range: q.Range, User: q.User, Start: q.Start, End: q.End}
}

// window is one /api/data/ call's span, both ends included.
type window struct{ Start, End Timestamp }

// dataWindowTicks returns the longest window, in 1/256 s ticks, that keeps
// every one of datatypes at or below MaxDataPoints points, both ends
// included: (MaxDataPoints-1) seconds divided by the fastest rate among
// them (DatatypeID.MaxRate). For ECG (256 Hz) that is 65534 ticks, just
// under 256 s; for 1 Hz channels about 18 hours.
func dataWindowTicks(datatypes ...DatatypeID) int64 {
	fastest := 0.0
	for _, d := range datatypes {
		fastest = math.Max(fastest, d.MaxRate())
	}
	if fastest <= 0 {
		fastest = unknownMaxRate
	}
	w := int64(math.Floor(float64(MaxDataPoints-1) * TicksPerSecond / fastest))
	return max(w, 1)
}

// MaxDataSpan bounds the span of one data call (End - Start): a year,
// enough for any record and for a year of 1 Hz channels, while a span the
// server sends without a bound (or End: math.MaxInt64) fails at once
// instead of planning billions of windows. Ask longer spans in parts.
const MaxDataSpan = 366 * 24 * time.Hour

// maxDataSpanTicks is MaxDataSpan in ticks.
const maxDataSpanTicks = int64(MaxDataSpan / time.Second * TicksPerSecond)

// checkSpan refuses a span past MaxDataSpan, naming what holds its end.
func checkSpan(start, end Timestamp, field string) error {
	// end-start overflows when they are far apart: compare in uint64.
	if end > start && uint64(end)-uint64(start) > uint64(maxDataSpanTicks) {
		return fmt.Errorf("hexoskin: %s %v is more than MaxDataSpan (%v) after the start %v", field, end, MaxDataSpan, start)
	}
	return nil
}

// planDataWindows splits [start, end] into consecutive windows of at most
// dataWindowTicks(datatypes...) ticks. Consecutive windows share their
// boundary tick; Data drops the repeated point. A span past MaxDataSpan is
// an error; the loop never computes a tick past end, so ends near
// math.MaxInt64 cannot overflow.
func planDataWindows(start, end Timestamp, datatypes ...DatatypeID) ([]window, error) {
	if end < start {
		return nil, nil
	}
	if err := checkSpan(start, end, "end"); err != nil {
		return nil, err
	}
	w := Timestamp(dataWindowTicks(datatypes...))
	out := make([]window, 0, (end-start)/w+1)
	for s := start; ; s += w {
		if end-s <= w {
			return append(out, window{s, end}), nil
		}
		out = append(out, window{s, s + w})
	}
}

// span resolves the time span and user of q, fetching the record or range
// when q does not bound it.
func (c *Client) span(ctx context.Context, q *DataQuery) (user int64, start, end Timestamp, err error) {
	user, start, end = q.User, q.Start, q.End
	switch {
	case q.Record != 0 && (start == 0 || end == 0):
		r, err := c.Record(ctx, q.Record)
		if err != nil {
			return 0, 0, 0, err
		}
		user = r.User.Int()
		start, end = pick(start, r.Start), pick(end, r.End)
	case q.Range != 0 && (start == 0 || end == 0):
		r, err := c.Range(ctx, q.Range, nil)
		if err != nil {
			return 0, 0, 0, err
		}
		user = r.User.Int()
		start, end = pick(start, r.Start), pick(end, r.End)
	}
	return user, start, end, nil
}

func pick(a, b Timestamp) Timestamp {
	if a != 0 {
		return a
	}
	return b
}

// dataPlan is what a JSON or CSV fetch of a query needs: the resolved span
// and owner, and the query of every call.
type dataPlan struct {
	user       int64
	start, end Timestamp
	calls      []*dataParams
}

// planData resolves q's span and plans its calls in JSON or CSV. A span
// that fits one window is asked as the caller wrote it (record=...,
// range=...); a longer one becomes user=..&start=..&end=.. per window.
func (c *Client) planData(ctx context.Context, q *DataQuery) (*dataPlan, error) {
	if err := q.validate(); err != nil {
		return nil, err
	}
	user, start, end, err := c.span(ctx, q)
	if err != nil {
		return nil, err
	}
	field := "record end"
	if q.Range != 0 {
		field = "range end"
	}
	if q.End != 0 {
		field = "DataQuery.End"
	}
	if end < start {
		return nil, fmt.Errorf("hexoskin: %s %v is before the start %v", field, end, start)
	}
	if err := checkSpan(start, end, field); err != nil {
		return nil, err
	}
	wins, err := planDataWindows(start, end, q.Datatypes...)
	if err != nil {
		return nil, err
	}
	plan := &dataPlan{user: user, start: start, end: end}
	if len(wins) <= 1 {
		plan.calls = []*dataParams{q.params()}
		return plan, nil
	}
	plan.calls = make([]*dataParams, len(wins))
	for i, w := range wins {
		p := q.params()
		p.Record, p.Range = 0, 0
		if user == 0 {
			// The record's owner is unknown: keep the record or range and
			// narrow it by time.
			p.Record, p.Range = q.Record, q.Range
		} else {
			p.User = user
		}
		p.Start, p.End = w.Start, w.End
		plan.calls[i] = p
	}
	return plan, nil
}

// expectedPoints returns how many points a synchronous datatype has in
// [start, end], one more for rounding; 0 when the rate is not fixed
// (asynchronous or unknown datatypes), whose series then grow as they come.
func expectedPoints(id DatatypeID, start, end Timestamp) int {
	d, ok := id.Info()
	if !ok || d.Async || d.Rate <= 0 {
		return 0
	}
	return int(math.Floor(float64(end-start)*d.Rate/TicksPerSecond)) + 2
}

// Point is one value of a datatype at a time.
type Point struct {
	T Timestamp
	V float64
}

// Series is one datatype's points in time order; Points and RRMillis hand
// it to package analytics.
type Series []Point

// DataSet is one user's data in an /api/data/ answer.
type DataSet struct {
	// User is the user's URI.
	User string
	// Series holds the points of each datatype, in time order, in the unit
	// of its DatatypeInfo (raw integers with DataQuery.Raw).
	Series map[DatatypeID]Series
}

// Data fetches q in JSON, in physical units: each value is the API's raw
// integer times its datatype's Gain (DatatypeInfo.Unit: ECG in mV, RR
// intervals in s, acceleration in g...), the numbers DataRecord gives for
// the same record; q.Raw keeps the raw integers.
//
// It splits the span into windows short enough that no datatype exceeds
// MaxDataPoints points per call (see dataWindowTicks: ECG at 256 Hz gives
// windows just under 256 s, so a 24 h ECG span takes 338 calls, about 68 s
// at the default 5 requests per second), so the server never subsamples,
// and joins the answers per user and datatype, dropping the point two
// windows share. A record or range without Start and End is fetched first
// to learn its span. The series of synchronous datatypes are sized from the
// window plan and every answer is decoded in place into them, so the heap
// holds little more than the result. For long spans of fast datatypes
// prefer FullResolution (one binary call) or DataWindows (one window at a
// time).
func (c *Client) Data(ctx context.Context, q *DataQuery) ([]DataSet, error) {
	plan, err := c.planData(ctx, q)
	if err != nil {
		return nil, err
	}
	buf := bufPool.Get().(*bytes.Buffer)
	defer bufPool.Put(buf)
	var sets []DataSet
	d := dataDecoder{
		capHint: func(id DatatypeID) int { return expectedPoints(id, plan.start, plan.end) },
		marks:   map[DatatypeID]int{},
	}
	for _, p := range plan.calls {
		buf.Reset()
		if _, err := c.do(ctx, &wearkit.Request{Path: "api/data/", Query: p}, buf); err != nil {
			return nil, err
		}
		if sets, err = d.merge(buf.Bytes(), sets, q.Raw); err != nil {
			return nil, fmt.Errorf("hexoskin: decoding /api/data/ answer: %w", err)
		}
	}
	return sets, nil
}

// dataDecoder decodes the answers of one Data call into the same sets.
type dataDecoder struct {
	capHint func(DatatypeID) int
	marks   map[DatatypeID]int // length of each series before this answer
}

// merge decodes one answer into sets: element k of the answer is appended
// in place to sets[k] when it is the same user (the usual case, one user
// per query), else moved to that user's set. The points the previous
// window already had are dropped and values are scaled to physical units
// unless raw.
func (d *dataDecoder) merge(b []byte, sets []DataSet, raw bool) ([]DataSet, error) {
	s := scanner{b: b, capHint: d.capHint}
	s.ws()
	k := 0
	err := s.array(func() error {
		if k == len(sets) {
			sets = append(sets, DataSet{Series: map[DatatypeID]Series{}})
		}
		set := &sets[k]
		clear(d.marks)
		s.marks = d.marks
		user := set.User
		if err := s.set(set); err != nil {
			return err
		}
		for id, n0 := range d.marks {
			set.Series[id] = finishWindow(set.Series[id], n0, id, raw)
		}
		if user != "" && set.User != user {
			// Another user than this element's last time: move the new
			// points to that user's set.
			moved := DataSet{User: set.User, Series: map[DatatypeID]Series{}}
			set.User = user
			for id, n0 := range d.marks {
				moved.Series[id] = append(Series(nil), set.Series[id][n0:]...)
				set.Series[id] = set.Series[id][:n0]
			}
			sets = mergeSets(sets, []DataSet{moved})
		}
		k++
		return nil
	})
	if err != nil {
		return sets, err
	}
	return sets, s.end()
}

// finishWindow drops, from the points appended at pts[n0:], those not after
// the last point before them (the tick two windows share), moving the rest
// down in place, and scales them to physical units unless raw.
func finishWindow(pts Series, n0 int, id DatatypeID, raw bool) Series {
	if n0 > 0 {
		last, k := pts[n0-1].T, n0
		for k < len(pts) && pts[k].T <= last {
			k++
		}
		if k > n0 {
			pts = append(pts[:n0], pts[k:]...)
		}
	}
	if g := id.gain(); !raw && g != 1 {
		for i := n0; i < len(pts); i++ {
			pts[i].V *= g
		}
	}
	return pts
}

// DataWindows is Data one window at a time: it yields the decoded answer of
// each call (one DataSet per user), in the units Data gives, with the
// points the previous window already had removed, so memory stays bounded
// by one window. On error it yields (nil, err) once and stops.
func (c *Client) DataWindows(ctx context.Context, q *DataQuery) iter.Seq2[[]DataSet, error] {
	return func(yield func([]DataSet, error) bool) {
		plan, err := c.planData(ctx, q)
		if err != nil {
			yield(nil, err)
			return
		}
		buf := bufPool.Get().(*bytes.Buffer)
		defer bufPool.Put(buf)
		last := map[string]map[DatatypeID]Timestamp{}
		for _, p := range plan.calls {
			buf.Reset()
			if _, err := c.do(ctx, &wearkit.Request{Path: "api/data/", Query: p}, buf); err != nil {
				yield(nil, err)
				return
			}
			part, err := decodeData(buf.Bytes(), nil)
			if err != nil {
				yield(nil, fmt.Errorf("hexoskin: decoding /api/data/ answer: %w", err))
				return
			}
			for _, set := range part {
				seen := last[set.User]
				if seen == nil {
					seen = map[DatatypeID]Timestamp{}
					last[set.User] = seen
				}
				for id, pts := range set.Series {
					if t, ok := seen[id]; ok {
						k := 0
						for k < len(pts) && pts[k].T <= t {
							k++
						}
						pts = pts[k:]
					}
					set.Series[id] = finishWindow(pts, 0, id, q.Raw)
					if len(pts) > 0 {
						seen[id] = pts[len(pts)-1].T
					}
				}
			}
			if !yield(part, nil) {
				return
			}
		}
	}
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// mergeSets appends part's series to into, per user and datatype.
func mergeSets(into, part []DataSet) []DataSet {
	for _, p := range part {
		i := 0
		for i < len(into) && into[i].User != p.User {
			i++
		}
		if i == len(into) {
			into = append(into, DataSet{User: p.User, Series: map[DatatypeID]Series{}})
		}
		for id, pts := range p.Series {
			into[i].Series[id] = append(into[i].Series[id], pts...)
		}
	}
	return into
}

// DataCSV writes q as CSV to w, windowed like Data: the first window's
// answer is copied with its header line, later ones without it, and a row
// whose timestamp (first column) is not after the last one written (the
// tick two windows share) is dropped. Values are in physical units, as
// Data gives them: each cell of a column headed by a known datatype id is
// multiplied by its Gain and rewritten (shortest form that reads back the
// same float64); other columns and q.Raw pass the server's text through.
// It stops at the first error of w and returns it.
func (c *Client) DataCSV(ctx context.Context, q *DataQuery, w io.Writer) error {
	plan, err := c.planData(ctx, q)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	cw := csvCopier{w: bw, raw: q.Raw, last: math.MinInt64}
	for i, p := range plan.calls {
		if err := c.copyCSV(ctx, p, &cw, i > 0); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("hexoskin: writing CSV: %w", err)
	}
	return nil
}

// csvCopier copies CSV answers to w, scaling the value columns.
type csvCopier struct {
	w     *bufio.Writer
	raw   bool
	last  int64     // timestamp of the last row written
	gains []float64 // per column; 1 leaves the cell as written
	out   []byte
}

func (c *Client) copyCSV(ctx context.Context, p *dataParams, cw *csvCopier, skipHeader bool) error {
	r := &wearkit.Request{Path: "api/data/", Query: p, Header: http.Header{"Accept": {"text/csv"}}}
	resp, _, err := c.open(ctx, r)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	first := true
	for sc.Scan() {
		line := sc.Bytes()
		if first {
			first = false
			cw.header(line)
			if skipHeader {
				continue
			}
		} else if ts, ok := leadingInt(line); ok {
			if ts <= cw.last {
				continue
			}
			cw.last = ts
			line = cw.scale(line)
		}
		// The writer's error is sticky in bufio: the first one ends the
		// copy, so no further window is fetched for a writer that failed.
		cw.w.Write(line)
		if err := cw.w.WriteByte('\n'); err != nil {
			return fmt.Errorf("hexoskin: writing CSV: %w", err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("hexoskin: reading CSV answer: %w", err)
	}
	return nil
}

// header reads the gain of every column from a header line: a column named
// by a known datatype id gets its Gain, any other 1.
func (cw *csvCopier) header(line []byte) {
	cw.gains = cw.gains[:0]
	for col := range bytes.SplitSeq(line, []byte{','}) {
		g := 1.0
		if id, err := strconv.ParseInt(string(bytes.TrimSpace(col)), 10, 64); err == nil && !cw.raw {
			g = DatatypeID(id).gain()
		}
		cw.gains = append(cw.gains, g)
	}
}

// scale rewrites the cells of line whose column has a gain other than 1.
// A cell that is not a number is left as written.
func (cw *csvCopier) scale(line []byte) []byte {
	scaled := false
	for _, g := range cw.gains {
		scaled = scaled || g != 1
	}
	if !scaled {
		return line
	}
	out := cw.out[:0]
	col := 0
	for cell := range bytes.SplitSeq(line, []byte{','}) {
		if col > 0 {
			out = append(out, ',')
		}
		if col < len(cw.gains) && cw.gains[col] != 1 && len(cell) > 0 {
			if v, err := strconv.ParseFloat(string(cell), 64); err == nil {
				out = strconv.AppendFloat(out, v*cw.gains[col], 'g', -1, 64)
				col++
				continue
			}
		}
		out = append(out, cell...)
		col++
	}
	cw.out = out
	return out
}

// leadingInt parses the integer before the first comma of a CSV row.
func leadingInt(line []byte) (int64, bool) {
	var n int64
	i := 0
	for ; i < len(line) && line[i] >= '0' && line[i] <= '9'; i++ {
		n = n*10 + int64(line[i]-'0')
	}
	return n, i > 0 && i < 19 && (i == len(line) || line[i] == ',')
}
