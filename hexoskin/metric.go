package hexoskin

import (
	"context"
	"encoding/json"
	"iter"
)

// Unit is a unit of measure (/api/unit/).
type Unit struct {
	ID          int64  `json:"id"`
	Info        string `json:"info"`
	SILong      string `json:"si_long"`
	SIShort     string `json:"si_short"`
	ResourceURI string `json:"resource_uri"`
}

// Metric is a metric definition (/api/metric/): a summary of data such as
// heartrate_avg.
type Metric struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Title       string `json:"title"`
	OutputType  string `json:"outputtype"`
	Unit        *Unit  `json:"unit"`
	ResourceURI string `json:"resource_uri"`
	// Raw is the object as the API sent it.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a metric and keeps the raw object.
func (m *Metric) UnmarshalJSON(b []byte) (err error) {
	type plain Metric
	m.Raw, err = unmarshalKeep(b, (*plain)(m))
	return err
}

// MetricValue is a metric with its value, as ranges (and records with
// include_metrics) carry them.
type MetricValue struct {
	ID         int64     `json:"id"`
	Name       string    `json:"name"`
	Title      string    `json:"title"`
	OutputType string    `json:"outputtype"`
	Unit       *Unit     `json:"unit"`
	Value      *float64  `json:"value"`
	Zone       *int      `json:"zone"`
	Zones      []float64 `json:"zones"`
	// ResourceURI links to the metric definition.
	ResourceURI string `json:"resource_uri"`
}

// MetricListOptions filters /api/metric/.
type MetricListOptions struct {
	ListOptions
	IDIn IDs `url:"id__in,omitempty"`
	// Name keeps the metric of this exact name (the API has no prefix
	// filter on metric names).
	Name string `url:"name,omitempty"`
	// ShowAll lists every metric, not only the user's defaults.
	ShowAll bool `url:"show_all,omitempty"`
}

// MetricsPage returns one page of metric definitions.
func (c *Client) MetricsPage(ctx context.Context, opts *MetricListOptions) (*Page[Metric], error) {
	return listPage[Metric](ctx, c, "metric", opts)
}

// Metrics iterates over all metric definitions.
func (c *Client) Metrics(ctx context.Context, opts *MetricListOptions) iter.Seq2[Metric, error] {
	return listAll[Metric](ctx, c, "metric", opts)
}

// Metric returns one metric definition.
func (c *Client) Metric(ctx context.Context, id int64) (*Metric, error) {
	return get[Metric](ctx, c, idPath("metric", id), nil)
}
