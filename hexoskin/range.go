package hexoskin

import (
	"context"
	"encoding/json"
	"iter"
)

// Range labels a time span with a name and a training routine (an
// "activity", /api/range/). Ranges carry the metrics their activity type
// prescribes.
type Range struct {
	ID              int64           `json:"id"`
	Name            string          `json:"name"`
	Start           Timestamp       `json:"start"`
	End             Timestamp       `json:"end"`
	StartDate       DateTime        `json:"start_date"`
	User            Ref             `json:"user"`
	TrainingRoutine Ref             `json:"trainingroutine"`
	Note            string          `json:"note"`
	Rank            int             `json:"rank"`
	Status          string          `json:"status"`
	Duration        string          `json:"duration"`
	Parent          Ref             `json:"parent"`
	Ranges          []Ref           `json:"ranges"`
	Created         DateTime        `json:"created"`
	LastModified    DateTime        `json:"last_modified"`
	Metrics         []MetricValue   `json:"metrics"`
	Attributes      json.RawMessage `json:"activityattributes"`
	ResourceURI     string          `json:"resource_uri"`
	// Raw is the object as the API sent it, unknown fields included.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a range and keeps the raw object.
func (r *Range) UnmarshalJSON(b []byte) (err error) {
	type plain Range
	r.Raw, err = unmarshalKeep(b, (*plain)(r))
	return err
}

// RangeListOptions filters /api/range/.
type RangeListOptions struct {
	ListOptions
	User       int64          `url:"user,omitempty"`
	StartGTE   Timestamp      `url:"start__gte,omitempty"`
	StartLTE   Timestamp      `url:"start__lte,omitempty"`
	StartRange TimestampRange `url:"start__range,omitempty"`
	EndLT      Timestamp      `url:"end__lt,omitempty"`
	// IDIn keeps these ranges (id__in).
	IDIn IDs `url:"id__in,omitempty"`
	// ActivityTypeIn keeps ranges of these activity types.
	ActivityTypeIn IDs `url:"activitytype__in,omitempty"`
	// ActivityTypeIsNull keeps ranges with (false) or without (true) an
	// activity type; nil sends nothing.
	ActivityTypeIsNull *bool `url:"activitytype__isnull,omitempty"`
	// LastModifiedGTE keeps ranges changed at or after this time.
	LastModifiedGTE DateTime `url:"last_modified__gte,omitempty"`
	// IncludeHistograms adds the heart-rate and other histograms.
	IncludeHistograms bool `url:"include_histograms,omitempty"`
	// IncludeAutodetected adds the ranges the server detected itself.
	IncludeAutodetected bool `url:"include_autodetected,omitempty"`
	// ShowAll lists the ranges of every user the caller may see.
	ShowAll bool `url:"show_all,omitempty"`
	// TrainingRoutineIn keeps ranges of these routines.
	TrainingRoutineIn IDs `url:"trainingroutine__in,omitempty"`
	// Rank keeps top-level ranges (0) or laps (1); nil sends nothing.
	Rank *int `url:"rank,omitempty"`
	// IncludeMetrics appends these metric ids to each range's metrics.
	IncludeMetrics IDs `url:"include_metrics,omitempty"`
}

// RangeCreate is the body of a new range.
type RangeCreate struct {
	Name            string    `json:"name"`
	Start           Timestamp `json:"start"`
	End             Timestamp `json:"end"`
	User            Ref       `json:"user"`
	TrainingRoutine Ref       `json:"trainingroutine,omitzero"`
	Note            string    `json:"note,omitempty"`
	Rank            int       `json:"rank,omitempty"`
}

// RangePatch holds the range fields to change; nil fields are left alone.
type RangePatch struct {
	Name            *string    `json:"name,omitempty"`
	Start           *Timestamp `json:"start,omitempty"`
	End             *Timestamp `json:"end,omitempty"`
	Note            *string    `json:"note,omitempty"`
	TrainingRoutine *Ref       `json:"trainingroutine,omitempty"`
}

// RangesPage returns one page of ranges.
func (c *Client) RangesPage(ctx context.Context, opts *RangeListOptions) (*Page[Range], error) {
	return listPage[Range](ctx, c, "range", opts)
}

// Ranges iterates over every range matching opts, following meta.next.
func (c *Client) Ranges(ctx context.Context, opts *RangeListOptions) iter.Seq2[Range, error] {
	return listAll[Range](ctx, c, "range", opts)
}

// RangeOptions are the optional parameters of one range's detail view.
type RangeOptions struct {
	// IncludeMetrics adds these metric ids to the ones the range's activity
	// type returns (include_metrics=...).
	IncludeMetrics IDs `url:"include_metrics,omitempty"`
}

// Range returns one range; opts may be nil. (It took the metric ids as
// trailing arguments before: Range(ctx, id, 1, 71) is now
// Range(ctx, id, &RangeOptions{IncludeMetrics: IDs{1, 71}}), an options
// struct like every other call.)
func (c *Client) Range(ctx context.Context, id int64, opts *RangeOptions) (*Range, error) {
	var q any
	if opts != nil {
		q = opts
	}
	return get[Range](ctx, c, idPath("range", id), q)
}

// CreateRange POSTs a new range. It is not retried once it may have reached
// the server.
func (c *Client) CreateRange(ctx context.Context, r *RangeCreate) (*Range, error) {
	return write[Range](ctx, c, "POST", listPath("range"), r)
}

// UpdateRange PATCHes a range and returns it.
func (c *Client) UpdateRange(ctx context.Context, id int64, p *RangePatch) (*Range, error) {
	return write[Range](ctx, c, "PATCH", idPath("range", id), p)
}

// DeleteRange deletes a range.
func (c *Client) DeleteRange(ctx context.Context, id int64) error {
	return c.remove(ctx, idPath("range", id))
}
