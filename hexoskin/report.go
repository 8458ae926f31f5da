package hexoskin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"mime"
	"net/http"
	"strings"

	"github.com/wearkit/wearkit"
)

// Report is a generated report (/api/report/). The pages describe its
// name, owner, record, status and span; the rest of a report stays in Raw
// (and Client.Do reaches what this type does not cover).
type Report struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	User        Ref       `json:"user"`
	Record      Ref       `json:"record"`
	Status      string    `json:"status"`
	Start       Timestamp `json:"start"`
	End         Timestamp `json:"end"`
	ResourceURI string    `json:"resource_uri"`
	// Raw is the object as the API sent it.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a report and keeps the raw object.
func (r *Report) UnmarshalJSON(b []byte) (err error) {
	type plain Report
	r.Raw, err = unmarshalKeep(b, (*plain)(r))
	return err
}

// ReportListOptions filters /api/report/.
type ReportListOptions struct {
	ListOptions
	User   int64 `url:"user,omitempty"`
	Record int64 `url:"record,omitempty"`
}

// ReportsPage returns one page of reports.
func (c *Client) ReportsPage(ctx context.Context, opts *ReportListOptions) (*Page[Report], error) {
	return listPage[Report](ctx, c, "report", opts)
}

// Reports iterates over the reports matching opts.
func (c *Client) Reports(ctx context.Context, opts *ReportListOptions) iter.Seq2[Report, error] {
	return listAll[Report](ctx, c, "report", opts)
}

// Report returns one report.
func (c *Client) Report(ctx context.Context, id int64) (*Report, error) {
	return get[Report](ctx, c, idPath("report", id), nil)
}

// EDFMediaType is the Accept value of biometric data as EDF.
const EDFMediaType = "application/x-edf"

// DataEDF streams q as EDF (European Data Format) to w as it arrives:
// one signal per synchronous datatype, not capped at MaxDataPoints, so the
// span is asked in one call.
func (c *Client) DataEDF(ctx context.Context, q *DataQuery, w io.Writer) (*wearkit.Response, error) {
	if err := q.validate(); err != nil {
		return nil, err
	}
	if w == nil {
		return nil, errors.New("hexoskin: DataEDF: nil writer")
	}
	r := &wearkit.Request{Path: "api/data/", Query: q.params(), Header: http.Header{"Accept": {EDFMediaType}}}
	meta, _, err := c.stream(ctx, r, w)
	return meta, err
}

// stream sends r, whose Accept names a file format, and copies the answer
// to w; it returns the bytes written. A JSON or HTML answer (a server that
// ignored Accept) is an error and nothing is written: it is no such file.
func (c *Client) stream(ctx context.Context, r *wearkit.Request, w io.Writer) (*wearkit.Response, int64, error) {
	resp, meta, err := c.open(ctx, r)
	if err != nil {
		return meta, 0, err
	}
	defer resp.Body.Close()
	accept := r.Header.Get("Accept")
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt == "application/json" ||
		strings.HasSuffix(mt, "+json") || mt == "text/html" {
		return meta, 0, fmt.Errorf("hexoskin: GET %s: asked for %s, the answer is %s", r.Path, accept, mt)
	}
	n, err := io.Copy(w, resp.Body)
	if err != nil {
		return meta, n, fmt.Errorf("hexoskin: GET %s as %s: %w", r.Path, accept, err)
	}
	return meta, n, nil
}
