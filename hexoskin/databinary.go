package hexoskin

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"

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
