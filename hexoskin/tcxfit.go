package hexoskin

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/wearkit/wearkit"
)

// ExchangeFormat is a file format for activity exchange, named by its
// media type (the Accept header of an export, the Content-Type of an
// import).
type ExchangeFormat string

// The exchange formats. A TCX export holds every second of data (heart
// rate, breathing rate, tidal volume, minute ventilation, energy) and GPS
// points where there are some; a FIT export only the moments with a GPS
// position, so it is much smaller.
const (
	TCX ExchangeFormat = "application/vnd.garmin.tcx+xml"
	FIT ExchangeFormat = "application/vnd.ant.fit"
)

func (f ExchangeFormat) valid() error {
	if f != TCX && f != FIT {
		return fmt.Errorf("hexoskin: exchange format %q: want TCX or FIT", string(f))
	}
	return nil
}

// ExportRange writes range id as a TCX or FIT file to w and returns the
// bytes written.
func (c *Client) ExportRange(ctx context.Context, id int64, f ExchangeFormat, w io.Writer) (int64, error) {
	return c.export(ctx, "range", id, f, w)
}

// ExportRecord writes record id as a TCX or FIT file to w.
func (c *Client) ExportRecord(ctx context.Context, id int64, f ExchangeFormat, w io.Writer) (int64, error) {
	return c.export(ctx, "record", id, f, w)
}

// ExportTrainingRoutine writes training routine id as a TCX or FIT
// workout to w.
func (c *Client) ExportTrainingRoutine(ctx context.Context, id int64, f ExchangeFormat, w io.Writer) (int64, error) {
	return c.export(ctx, "trainingroutine", id, f, w)
}

func (c *Client) export(ctx context.Context, resource string, id int64, f ExchangeFormat, w io.Writer) (int64, error) {
	if err := f.valid(); err != nil {
		return 0, err
	}
	if w == nil {
		return 0, errors.New("hexoskin: export: nil writer")
	}
	r := &wearkit.Request{Path: idPath(resource, id), Header: http.Header{"Accept": {string(f)}}}
	_, n, err := c.stream(ctx, r, w)
	return n, err
}

// ImportStatus is the progress of an upload (/api/import/<id>/).
type ImportStatus struct {
	ID int64 `json:"id"`
	// Status is "pending", "processing", "done" or "failed" (kept open).
	Status string `json:"status"`
	// Progress goes from 0 to 1.
	Progress float64 `json:"progress"`
	// Range is the range the import created (laps are ranges of rank 1
	// under it); Record the record, when the file held biometric data.
	Range  Ref `json:"range"`
	Record Ref `json:"record"`
	// TrainingRoutine is the training routine a workout file created (the
	// pages say routines import too, not how the answer names the result:
	// the field name is a guess, as the fake serves it).
	TrainingRoutine Ref    `json:"trainingroutine"`
	Error           string `json:"error"`
	ResourceURI     string `json:"resource_uri"`
}

// Done reports a finished upload, failed or not.
func (s *ImportStatus) Done() bool { return s.Status == "done" || s.Status == "failed" }

// ImportOptions tunes Import.
type ImportOptions struct {
	// Binary sends the file as application/octet-stream (the server reads
	// its format) instead of as a raw body of the format's media type.
	Binary bool
	// PollInterval is the wait between two progress reads (default 1 s).
	PollInterval time.Duration
	// Progress, when set, sees every progress read, the last included.
	Progress func(ImportStatus)
}

// MaxImportSize bounds the file Import reads.
const MaxImportSize = 64 << 20

// Import uploads a TCX or FIT file (a range or a training routine) and
// follows the upload's progress resource until it is done, waiting
// PollInterval between reads (and no longer than ctx allows). It returns
// the last status: the range created and, when the file held biometric
// data, the record (for a training routine's file, the routine). A failed
// upload is an error that carries the status.
func (c *Client) Import(ctx context.Context, f ExchangeFormat, file io.Reader, opts *ImportOptions) (*ImportStatus, error) {
	if err := f.valid(); err != nil {
		return nil, err
	}
	if file == nil {
		return nil, errors.New("hexoskin: import: nil file")
	}
	var o ImportOptions
	if opts != nil {
		o = *opts
	}
	if o.PollInterval < 0 {
		return nil, fmt.Errorf("hexoskin: import: negative poll interval %v", o.PollInterval)
	}
	if o.PollInterval == 0 {
		o.PollInterval = time.Second
	}
	body, err := io.ReadAll(io.LimitReader(file, MaxImportSize+1))
	if err != nil {
		return nil, fmt.Errorf("hexoskin: import: reading the file: %w", err)
	}
	if len(body) > MaxImportSize {
		return nil, fmt.Errorf("hexoskin: import: file larger than %d bytes", MaxImportSize)
	}
	if len(body) == 0 {
		return nil, errors.New("hexoskin: import: empty file")
	}
	if err := checkExchangeFile(f, body); err != nil {
		return nil, err
	}
	ct := string(f)
	if o.Binary {
		ct = "application/octet-stream"
	}
	st, resp, empty, err := sendEmpty[ImportStatus](ctx, c, &wearkit.Request{Method: "POST", Path: listPath("import"), RawBody: body, ContentType: ct})
	if err != nil {
		return nil, err
	}
	path := st.ResourceURI
	if path == "" && resp != nil {
		// Tastypie answers a POST with 201 and a Location, without a body
		// unless the resource always returns data.
		path = resp.Header.Get("Location")
	}
	if path == "" {
		return nil, errors.New("hexoskin: import: the answer has no resource_uri or Location to follow")
	}
	for {
		// An answer without a body is no progress read.
		if o.Progress != nil && !empty {
			o.Progress(*st)
		}
		empty = false
		if st.Done() {
			break
		}
		t := time.NewTimer(o.PollInterval)
		select {
		case <-ctx.Done():
			t.Stop()
			return st, fmt.Errorf("hexoskin: import %s: %w", path, ctx.Err())
		case <-t.C:
		}
		if st, err = get[ImportStatus](ctx, c, path, nil); err != nil {
			return nil, err
		}
	}
	if st.Status == "failed" {
		return st, fmt.Errorf("hexoskin: import %s failed: %s", path, st.Error)
	}
	return st, nil
}

// checkExchangeFile refuses, before anything is sent, a file that cannot
// be of format f: a FIT file without its header (size 12 or 14, ".FIT"
// at byte 8, a data size matching the file's length; the CRC is left to
// the server), or a TCX file whose first element is not
// TrainingCenterDatabase. The error names the byte or element at fault.
func checkExchangeFile(f ExchangeFormat, b []byte) error {
	if f == FIT {
		if len(b) < 12 {
			return fmt.Errorf("hexoskin: import: FIT file of %d bytes: a header alone needs 12", len(b))
		}
		hs := int(b[0])
		if hs != 12 && hs != 14 {
			return fmt.Errorf("hexoskin: import: FIT header size %d at byte 0: want 12 or 14", hs)
		}
		if string(b[8:12]) != ".FIT" {
			return fmt.Errorf("hexoskin: import: FIT file: no \".FIT\" at byte 8")
		}
		if size := uint64(binary.LittleEndian.Uint32(b[4:8])); uint64(hs)+size+2 != uint64(len(b)) {
			return fmt.Errorf("hexoskin: import: FIT header at byte 4 says %d data bytes, the file holds %d", size, len(b)-min(len(b), hs+2))
		}
		return nil
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		at := d.InputOffset()
		tok, err := d.Token()
		if err != nil {
			if err == io.EOF {
				return errors.New("hexoskin: import: TCX file without an element")
			}
			return fmt.Errorf("hexoskin: import: TCX file at byte %d: %w", at, err)
		}
		if el, ok := tok.(xml.StartElement); ok {
			if el.Name.Local != "TrainingCenterDatabase" {
				return fmt.Errorf("hexoskin: import: TCX file: root element <%s> at byte %d, want <TrainingCenterDatabase>", el.Name.Local, at)
			}
			return nil
		}
	}
}
