package corsano

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/internal/jsonkeys"
	"github.com/wearkit/wearkit/internal/rest"
)

// RawMetricType names a raw data stream of the health API (and an export
// type). Values other than the constants are sent as they are.
type RawMetricType string

// Raw metric types the vendor documents.
const (
	Activity             RawMetricType = "activity"
	RRInterval           RawMetricType = "rr-interval"
	Sleep                RawMetricType = "sleep"
	Temperature          RawMetricType = "temperature"
	HeartRateVariability RawMetricType = "heart-rate-variability"
	PPG1                 RawMetricType = "ppg1"
	PPG2                 RawMetricType = "ppg2"
	BioZ                 RawMetricType = "bioz"
	Acc                  RawMetricType = "acc"
	ECG                  RawMetricType = "ecg"
)

// RawMetricTypes lists the documented types.
var RawMetricTypes = []RawMetricType{Activity, RRInterval, Sleep, Temperature, HeartRateVariability, PPG1, PPG2, BioZ, Acc, ECG}

// Maximum spans of one raw-metrics call.
const (
	// MaxWindow is the limit of activity, rr-interval, sleep, temperature
	// and heart-rate-variability (and, to be safe, of unknown types).
	MaxWindow = 24 * time.Hour
	// MaxWaveformWindow is the limit of the waveforms ppg1, ppg2, bioz, acc
	// and ecg.
	MaxWaveformWindow = 30 * time.Minute
)

// Known reports whether t is a documented type.
func (t RawMetricType) Known() bool {
	for _, k := range RawMetricTypes {
		if t == k {
			return true
		}
	}
	return false
}

// String returns the type, marked unknown if it is not documented.
func (t RawMetricType) String() string {
	if t.Known() {
		return string(t)
	}
	return fmt.Sprintf("unknown raw metric type %q", string(t))
}

// MaxWindow is the longest span one raw-metrics call of this type may ask
// for: MaxWaveformWindow for the waveforms, MaxWindow otherwise.
func (t RawMetricType) MaxWindow() time.Duration {
	switch t {
	case PPG1, PPG2, BioZ, Acc, ECG:
		return MaxWaveformWindow
	}
	return MaxWindow
}

// RawQuery asks for one raw metric over a range of any length.
type RawQuery struct {
	// Type is the metric.
	Type RawMetricType
	// From and To bound the range [From, To).
	From, To time.Time
	// ClientDates sends the range as zone-less wall-clock times of the
	// patient's day (from_client_date, to_client_date; From and To's zones
	// ignored) instead of zoned times (from_date, to_date, with From and
	// To's own offsets). The API refuses both at once.
	ClientDates bool
}

// Window is one span of a raw-metrics range, at most the type's maximum.
type Window struct{ From, To time.Time }

// Windows splits [from, to) into consecutive spans of at most max.
func Windows(from, to time.Time, max time.Duration) []Window {
	var out []Window
	for a := from; a.Before(to); {
		b := a.Add(max)
		if b.After(to) {
			b = to
		}
		out = append(out, Window{a, b})
		a = b
	}
	return out
}

func (q RawQuery) check() error {
	if q.Type == "" {
		return errors.New("corsano: raw metrics: empty type")
	}
	if err := checkSegment("raw metric type", string(q.Type)); err != nil {
		return err
	}
	if q.From.IsZero() || q.To.IsZero() {
		return errors.New("corsano: raw metrics: From and To must both be set")
	}
	if q.ClientDates {
		if !ClientTimeOf(q.From).Before(ClientTimeOf(q.To).Time) {
			return fmt.Errorf("corsano: raw metrics: From %s is not before To %s (wall clock)", ClientTimeOf(q.From), ClientTimeOf(q.To))
		}
	} else if !q.From.Before(q.To) {
		return fmt.Errorf("corsano: raw metrics: From %s is not before To %s", q.From.Format(ZonedTimeLayout), q.To.Format(ZonedTimeLayout))
	}
	return nil
}

// windows plans the calls of q on whole milliseconds, the resolution the
// dates are sent with: from's millisecond to the one at or after to, so no
// window is shorter than a millisecond (it would go out with equal from
// and to, which the API refuses) and none of the range is left out.
func (q RawQuery) windows() []Window {
	from, to := q.From, q.To
	if q.ClientDates {
		from, to = ClientTimeOf(q.From).Time, ClientTimeOf(q.To).Time
	}
	ceil := to.Truncate(time.Millisecond)
	if ceil.Before(to) {
		ceil = ceil.Add(time.Millisecond)
	}
	return Windows(from.Truncate(time.Millisecond), ceil, q.Type.MaxWindow())
}

// rawParams is one raw-metrics call's query: one form of dates, never both.
type rawParams struct {
	FromDate       string `url:"from_date,omitempty"`
	ToDate         string `url:"to_date,omitempty"`
	FromClientDate string `url:"from_client_date,omitempty"`
	ToClientDate   string `url:"to_client_date,omitempty"`
}

func (q RawQuery) params(w Window) rawParams {
	if q.ClientDates {
		return rawParams{FromClientDate: w.From.Format(ClientTimeLayout), ToClientDate: w.To.Format(ClientTimeLayout)}
	}
	return rawParams{FromDate: w.From.Format(ZonedTimeLayout), ToDate: w.To.Format(ZonedTimeLayout)}
}

// RawMetrics returns a patient's raw data of one type over [from, to), in
// time order, each item as the API sent it. The range may be any length:
// the client splits it into the type's maximum windows (24 h, or 30 min for
// ppg1, ppg2, bioz, acc and ecg) and makes one call per window, in the
// zoned form (from and to with their own offsets). For long waveform ranges
// prefer RawMetricsSeq, which holds one window at a time.
func (c *Client) RawMetrics(ctx context.Context, uuid string, typ RawMetricType, from, to time.Time) ([]json.RawMessage, error) {
	return collect(c.RawMetricsSeq(ctx, uuid, RawQuery{Type: typ, From: from, To: to}))
}

// RawMetricsLocal is RawMetrics in the client-date form: from and to are
// read as wall-clock times of the patient's day, their zones ignored.
func (c *Client) RawMetricsLocal(ctx context.Context, uuid string, typ RawMetricType, from, to time.Time) ([]json.RawMessage, error) {
	return collect(c.RawMetricsSeq(ctx, uuid, RawQuery{Type: typ, From: from, To: to, ClientDates: true}))
}

// RawMetricsSeq yields a patient's raw data of q.Type over q's range in
// time order, one window's call at a time (see RawMetrics for the
// windows). An item that ends one window and starts the next (a server that
// reads a window's end as inclusive) is yielded once. On an error it yields
// (nil, err) once and stops.
func (c *Client) RawMetricsSeq(ctx context.Context, uuid string, q RawQuery) iter.Seq2[json.RawMessage, error] {
	return func(yield func(json.RawMessage, error) bool) {
		if err := checkUUID(uuid); err != nil {
			yield(nil, err)
			return
		}
		if err := q.check(); err != nil {
			yield(nil, err)
			return
		}
		var last json.RawMessage
		for _, w := range q.windows() {
			var items []json.RawMessage
			r := &wearkit.Request{Path: "v2/raw-metrics/" + string(q.Type), Query: q.params(w)}
			if _, err := c.healthDo(ctx, uuid, r, &items); err != nil {
				yield(nil, err)
				return
			}
			inTimeOrder(items)
			for i, it := range items {
				if i == 0 && last != nil && bytes.Equal(it, last) {
					continue
				}
				if !yield(it, nil) {
					return
				}
			}
			if len(items) > 0 {
				last = items[len(items)-1]
			}
		}
	}
}

// inTimeOrder sorts a window's items by their numeric "timestamp" field
// when every item has one and they are out of order; otherwise the API's
// order is kept.
func inTimeOrder(items []json.RawMessage) {
	ts := make([]float64, len(items))
	sorted := true
	for i, it := range items {
		v, ok := timestampOf(it)
		if !ok {
			return
		}
		ts[i] = v
		if i > 0 && v < ts[i-1] {
			sorted = false
		}
	}
	if sorted {
		return
	}
	idx := make([]int, len(items))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return ts[idx[a]] < ts[idx[b]] })
	cp := slices.Clone(items)
	for i, j := range idx {
		items[i] = cp[j]
	}
}

// errFound stops a jsonkeys.Each walk that has found what it looked for.
var errFound = errors.New("found")

// timestampOf reads the number of the top-level "timestamp" key of an item,
// without decoding the rest.
func timestampOf(item []byte) (ts float64, ok bool) {
	_ = jsonkeys.Each(item, func(key, raw []byte) error {
		if string(key) != "timestamp" {
			return nil
		}
		v, err := strconv.ParseFloat(string(raw), 64)
		ts, ok = v, err == nil
		return errFound
	})
	return ts, ok
}

func collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// UserSummaryOptions select the health API's daily summaries of a patient.
type UserSummaryOptions struct {
	// From and To are the first and last dates.
	From, To Date
	// IncludeSlots adds the 5- and 30-minute slots.
	IncludeSlots bool
	// PerPage is the page size; 0 leaves it to the API.
	PerPage int
}

// userSummaryQuery is the user-summaries call's query.
type userSummaryQuery struct {
	DateFrom     string `url:"date_from"`
	DateTo       string `url:"date_to"`
	IncludeSlots bool   `url:"include_slots,int,omitempty"`
	PerPage      int    `url:"per_page,omitempty"`
	Page         int    `url:"page"`
}

// SummaryPage is one page of a patient's summaries from the health API.
type SummaryPage struct {
	// Summaries are the page's days.
	Summaries []Summary
	// Page is this page's number (from 1); LastPage the last one, 0 when
	// the API did not say.
	Page, LastPage int
	// Response is the answer's metadata.
	Response *wearkit.Response
}

// UserSummariesPage returns one page (numbered from 1) of a patient's
// daily summaries from the health API. Both a bare JSON array and a
// Laravel page ({"data": [...], "current_page", "last_page"}) are read.
func (c *Client) UserSummariesPage(ctx context.Context, uuid string, opts UserSummaryOptions, page int) (*SummaryPage, error) {
	if err := checkUUID(uuid); err != nil {
		return nil, err
	}
	if opts.From.IsZero() || opts.To.IsZero() {
		return nil, errors.New("corsano: UserSummaries: From and To must both be set")
	}
	if page < 1 || opts.PerPage < 0 {
		return nil, fmt.Errorf("corsano: UserSummaries: page %d and per_page %d must be positive", page, opts.PerPage)
	}
	q := userSummaryQuery{DateFrom: opts.From.String(), DateTo: opts.To.String(), IncludeSlots: opts.IncludeSlots, PerPage: opts.PerPage, Page: page}
	var raw json.RawMessage
	meta, err := c.healthDo(ctx, uuid, &wearkit.Request{Path: "user-summaries", Query: q}, &raw)
	if err != nil {
		return nil, err
	}
	p := &SummaryPage{Page: page, Response: meta}
	if bytes.HasPrefix(bytes.TrimSpace(raw), []byte("[")) {
		err = json.Unmarshal(raw, &p.Summaries)
	} else {
		var lp struct {
			Data        []Summary `json:"data"`
			CurrentPage int       `json:"current_page"`
			LastPage    int       `json:"last_page"`
		}
		err = json.Unmarshal(raw, &lp)
		p.Summaries, p.LastPage = lp.Data, lp.LastPage
		if lp.CurrentPage > 0 {
			p.Page = lp.CurrentPage
		}
	}
	if err != nil {
		return nil, fmt.Errorf("corsano: user summaries page %d: %w", page, err)
	}
	return p, nil
}

// UserSummaries yields a patient's daily summaries page after page. It
// ends after the last page (last_page), or, when the API does not say, at
// a page shorter than PerPage or an empty one.
func (c *Client) UserSummaries(ctx context.Context, uuid string, opts UserSummaryOptions) iter.Seq2[Summary, error] {
	return rest.Pages(1, func(page int) ([]Summary, int, error) {
		p, err := c.UserSummariesPage(ctx, uuid, opts, page)
		if err != nil {
			return nil, 0, err
		}
		switch {
		case p.LastPage > 0 && p.Page < p.LastPage:
			return p.Summaries, p.Page + 1, nil
		case p.LastPage == 0 && len(p.Summaries) > 0 && (opts.PerPage == 0 || len(p.Summaries) >= opts.PerPage):
			return p.Summaries, p.Page + 1, nil
		}
		return p.Summaries, 0, nil
	})
}
