package hexoskin

import (
	"context"
	"encoding/json"
	"iter"
)

// Record is the time span of one Hexoskin recording (/api/record/): it
// starts when the device is connected to a garment.
type Record struct {
	ID        int64     `json:"id"`
	Start     Timestamp `json:"start"`
	End       Timestamp `json:"end"`
	StartDate DateTime  `json:"start_date"`
	// User links to the owner; list answers embed a user summary.
	User               Ref             `json:"user"`
	Device             Ref             `json:"device"`
	DevID              string          `json:"dev_id"`
	FirmwareRev        string          `json:"firmware_rev"`
	Status             string          `json:"status"`
	NPages             int64           `json:"npages"`
	SoftUID            string          `json:"soft_uid"`
	SoftProtocole      int             `json:"soft_protocole"`
	NUploadedTimelines int             `json:"n_uploaded_timelines"`
	DataStatus         json.RawMessage `json:"data_status"`
	// Data is the device header blob (base64) as the API sends it.
	Data         string        `json:"data"`
	LastModified DateTime      `json:"last_modified"`
	Metrics      []MetricValue `json:"metrics,omitempty"`
	ResourceURI  string        `json:"resource_uri"`
	// Raw is the object as the API sent it, unknown fields included.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a record and keeps the raw object.
func (r *Record) UnmarshalJSON(b []byte) (err error) {
	type plain Record
	r.Raw, err = unmarshalKeep(b, (*plain)(r))
	return err
}

// RecordListOptions filters /api/record/. Zero fields are not sent.
type RecordListOptions struct {
	ListOptions
	// User keeps one user's records (user=<id>, exact match).
	User int64 `url:"user,omitempty"`
	// Start and end filters, as HexoTimestamps.
	StartGTE   Timestamp      `url:"start__gte,omitempty"`
	StartGT    Timestamp      `url:"start__gt,omitempty"`
	StartLTE   Timestamp      `url:"start__lte,omitempty"`
	StartLT    Timestamp      `url:"start__lt,omitempty"`
	StartRange TimestampRange `url:"start__range,omitempty"`
	EndGTE     Timestamp      `url:"end__gte,omitempty"`
	EndLTE     Timestamp      `url:"end__lte,omitempty"`
	// IDIn keeps these records (id__in).
	IDIn IDs `url:"id__in,omitempty"`
	// DeviceExact keeps one device's records (device__exact).
	DeviceExact string `url:"device__exact,omitempty"`
	// DeviceIn keeps these devices' records (device__in).
	DeviceIn []string `url:"device__in,omitempty,comma"`
	// LastModifiedGTE keeps records changed at or after this time.
	LastModifiedGTE DateTime `url:"last_modified__gte,omitempty"`
	// IncludeHistograms adds histograms to each record.
	IncludeHistograms bool `url:"include_histograms,omitempty"`
	// IncludeMetrics adds these metric ids to each record.
	IncludeMetrics IDs `url:"include_metrics,omitempty"`
	// The API refuses a status filter (400): filter Record.Status yourself.
}

// RecordsPage returns one page of records.
func (c *Client) RecordsPage(ctx context.Context, opts *RecordListOptions) (*Page[Record], error) {
	return listPage[Record](ctx, c, "record", opts)
}

// Records iterates over every record matching opts, following meta.next
// (1000 per page unless opts.Limit says otherwise).
func (c *Client) Records(ctx context.Context, opts *RecordListOptions) iter.Seq2[Record, error] {
	return listAll[Record](ctx, c, "record", opts)
}

// Record returns one record.
func (c *Client) Record(ctx context.Context, id int64) (*Record, error) {
	return get[Record](ctx, c, idPath("record", id), nil)
}
