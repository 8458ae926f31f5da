package hexoskin

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"strconv"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/binfmt"
)

// The largest binary answer DataRecord keeps in memory is 32 MiB; a larger
// one, or one of unknown length, is spooled to a temporary file.

// DataZip streams q in binary (Accept: application/octet-stream, a zip of
// one WAV per synchronous and one .hxd per asynchronous datatype) to w as it
// arrives, without buffering it. Binary answers are not capped at
// MaxDataPoints, so the span is asked in one call.
func (c *Client) DataZip(ctx context.Context, q *DataQuery, w io.Writer) (*wearkit.Response, error) {
	if err := q.validate(); err != nil {
		return nil, err
	}
	r := &wearkit.Request{Path: "api/data/", Query: q.params(), Header: http.Header{"Accept": {"application/octet-stream"}}}
	return c.do(ctx, r, w)
}

// memoryZipLimit is the in-memory limit, changed by tests.
var memoryZipLimit int64 = 32 << 20

// BinaryData is a binary /api/data/ answer opened as a binfmt.Record.
// Close it to release the temporary file a large answer is spooled to.
type BinaryData struct {
	// Record decodes the channels (Samples, WriteCSV, ...).
	*binfmt.Record
	// Size is the zip's size in bytes.
	Size int64
	// Response tells about the answer.
	Response *wearkit.Response

	file *os.File
}

// Close removes the spool file, if any.
func (b *BinaryData) Close() error {
	if b == nil || b.file == nil {
		return nil
	}
	name := b.file.Name()
	err := b.file.Close()
	if rerr := os.Remove(name); err == nil {
		err = rerr
	}
	b.file = nil
	return err
}

// DataRecord fetches q in binary and opens the zip with binfmt.OpenZip. A
// zip needs random access (its directory is at the end), so the answer is
// kept in memory when its Content-Length is at most 32 MiB and
// otherwise streamed to a temporary file, never held whole in memory. When
// the archive carries no info.json, the record start is set from q.Start, or
// from the record or range q names.
func (c *Client) DataRecord(ctx context.Context, q *DataQuery) (*BinaryData, error) {
	if err := q.validate(); err != nil {
		return nil, err
	}
	r := &wearkit.Request{Path: "api/data/", Query: q.params(), Header: http.Header{"Accept": {"application/octet-stream"}}}
	resp, meta, err := c.open(ctx, r)
	out := &BinaryData{Response: meta}
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var ra io.ReaderAt
	if n := resp.ContentLength; n >= 0 && n <= memoryZipLimit {
		buf := make([]byte, n)
		if _, err := io.ReadFull(resp.Body, buf); err != nil {
			return nil, fmt.Errorf("hexoskin: reading binary data: %w", err)
		}
		ra, out.Size = bytes.NewReader(buf), n
	} else {
		f, err := os.CreateTemp("", "hexoskin-data-*.zip")
		if err != nil {
			return nil, fmt.Errorf("hexoskin: spooling binary data: %w", err)
		}
		out.file = f
		n, err := io.Copy(f, resp.Body)
		if err != nil {
			out.Close()
			return nil, fmt.Errorf("hexoskin: reading binary data: %w", err)
		}
		if resp.ContentLength >= 0 && n != resp.ContentLength {
			out.Close()
			return nil, fmt.Errorf("hexoskin: binary data: got %d of %d bytes: %w", n, resp.ContentLength, io.ErrUnexpectedEOF)
		}
		ra, out.Size = f, n
	}
	rec, err := binfmt.OpenZip(ra, out.Size)
	if err != nil {
		out.Close()
		return nil, fmt.Errorf("hexoskin: opening binary data: %w", err)
	}
	out.Record = rec
	if _, ok := rec.Info(); !ok {
		start := q.Start
		if start == 0 {
			_, start, _, err = c.span(ctx, q)
			if err != nil {
				out.Close()
				return nil, err
			}
		}
		if start != 0 {
			rec.SetStart(start.Time())
		}
	}
	return out, nil
}

// Series decodes the channel of datatype id into a Series in physical
// units, the numbers Data gives for the same span: times are the record
// start (Start) plus each sample's seconds, rounded to the tick. A datatype
// the answer holds no channel for gives an empty series: the API leaves out
// channels without data.
func (b *BinaryData) Series(id DatatypeID) (Series, error) {
	return b.series(id, false)
}

// series is Series, with raw integers (value / channel gain) when raw.
func (b *BinaryData) series(id DatatypeID, raw bool) (Series, error) {
	ch, found := b.ChannelByDatatype(int64(id))
	if !found || !ch.Known {
		return Series{}, nil
	}
	cr, err := b.OpenChannel(ch.Name)
	if err != nil {
		return nil, fmt.Errorf("hexoskin: decoding %s of the binary answer: %w", id, err)
	}
	defer cr.Close()
	start := TimestampFromTime(b.Start())
	out := make(Series, 0, max(ch.Count, 0))
	gain := ch.Gain
	if !raw || gain == 0 {
		gain = 1
	}
	// Chunks through the bulk reader: no per-sample call, no allocation.
	const chunk = 4096
	times, values := make([]float64, chunk), make([]float64, chunk)
	for {
		n, err := cr.ReadSamples(times, values)
		for i := range n {
			v := values[i]
			if gain != 1 {
				v = math.Round(v / gain) // binary raw values are integers
			}
			out = append(out, Point{T: start + Timestamp(math.Round(times[i]*TicksPerSecond)), V: v})
		}
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("hexoskin: decoding %s of the binary answer: %w", id, err)
		}
	}
}

// binaryAfterWindows is the most JSON windows FullResolution fetches before
// it asks in binary instead.
const binaryAfterWindows = 4

// FullResolution fetches q at full resolution, never subsampled, in the
// units Data gives (physical, or raw with q.Raw), as one DataSet of the
// query's user. When the span fits in at most 4 JSON windows (about
// 17 minutes of ECG, 3 days of 1 Hz channels) it calls Data; past that it
// asks once in binary (DataRecord, one request instead of one per window:
// 24 h of ECG is 1 request and about 44 MB, where JSON needs 338 requests
// and 474 MB) and decodes the zip's channels into series sized from their
// headers. A record or range without Start and End is fetched first to
// learn its span.
func (c *Client) FullResolution(ctx context.Context, q *DataQuery) (*DataSet, error) {
	if err := q.validate(); err != nil {
		return nil, err
	}
	user, start, end, err := c.span(ctx, q)
	if err != nil {
		return nil, err
	}
	wins, err := planDataWindows(start, end, q.Datatypes...)
	if err != nil {
		return nil, err
	}
	// Narrowed to the resolved span so that Data and DataRecord need not
	// fetch the record again.
	nq := *q
	nq.Start, nq.End = start, end
	if len(wins) <= binaryAfterWindows {
		sets, err := c.Data(ctx, &nq)
		if err != nil {
			return nil, err
		}
		if len(sets) == 0 {
			return &DataSet{User: userURI(user), Series: map[DatatypeID]Series{}}, nil
		}
		return &sets[0], nil
	}
	bin, err := c.DataRecord(ctx, &nq)
	if err != nil {
		return nil, err
	}
	defer bin.Close()
	set := &DataSet{User: userURI(user), Series: make(map[DatatypeID]Series, len(q.Datatypes))}
	for _, id := range q.Datatypes {
		if set.Series[id], err = bin.series(id, q.Raw); err != nil {
			return nil, err
		}
	}
	return set, nil
}

// userURI returns a user's resource URI, or "" for an unknown user.
func userURI(id int64) string {
	if id == 0 {
		return ""
	}
	return "/api/user/" + strconv.FormatInt(id, 10) + "/"
}
