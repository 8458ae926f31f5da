package withings

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"time"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/internal/rest"
)

// HeartRecord is one ECG or blood-pressure record of v2/heart list.
type HeartRecord struct {
	Time     time.Time
	DeviceID string
	Model    int
	// SignalID names the ECG signal for HeartSignal; 0 when there is none.
	SignalID int64
	// AFib is the ECG classification the device gave.
	AFib int
	// Diastole and Systole are in mmHg, HeartRate in bpm; 0 when absent.
	Diastole, Systole int
	HeartRate         int
}

type heartWire struct {
	DeviceID  json.RawMessage `json:"deviceid"`
	Model     int             `json:"model"`
	Timestamp epoch           `json:"timestamp"`
	HeartRate int             `json:"heart_rate"`
	ECG       struct {
		SignalID int64 `json:"signalid"`
		AFib     int   `json:"afib"`
	} `json:"ecg"`
	BP struct {
		Diastole int `json:"diastole"`
		Systole  int `json:"systole"`
	} `json:"bloodpressure"`
}

// HeartOptions selects heart records between Start and End (both
// optional).
type HeartOptions struct {
	Start, End time.Time
}

type heartQuery struct {
	Action string     `url:"action"`
	Start  unixOrZero `url:"startdate"`
	End    unixOrZero `url:"enddate"`
	Offset int        `url:"offset,omitempty"`
}

func (q heartQuery) action() string { return q.Action }

// HeartPage is one answer of heart list.
type HeartPage struct {
	Records    []HeartRecord
	NextOffset int
	Response   *wearkit.Response
}

// HeartRecordsPage fetches one page of v2/heart list.
func (c *Client) HeartRecordsPage(ctx context.Context, opts *HeartOptions, offset int) (*HeartPage, error) {
	q := &heartQuery{Action: "list", Offset: offset}
	if opts != nil {
		if !opts.Start.IsZero() && !opts.End.IsZero() && opts.End.Before(opts.Start) {
			return nil, fmt.Errorf("withings: HeartOptions: End %v is before Start %v", opts.End, opts.Start)
		}
		q.Start, q.End = unixOrZero(opts.Start), unixOrZero(opts.End)
	}
	var body struct {
		page
		Series []heartWire `json:"series"`
	}
	meta, err := c.do(ctx, &wearkit.Request{Path: "v2/heart", Query: q}, &body)
	if err != nil {
		return nil, err
	}
	next, err := body.next()
	if err != nil {
		return nil, err
	}
	out := &HeartPage{NextOffset: next, Response: meta}
	for i, w := range body.Series {
		id, err := flexString(w.DeviceID)
		if err != nil {
			return nil, fmt.Errorf("withings: heart list: series[%d].deviceid: %w", i, err)
		}
		out.Records = append(out.Records, HeartRecord{Time: w.Timestamp.time(), DeviceID: id, Model: w.Model, SignalID: w.ECG.SignalID,
			AFib: w.ECG.AFib, Diastole: w.BP.Diastole, Systole: w.BP.Systole, HeartRate: w.HeartRate})
	}
	return out, nil
}

// HeartRecords returns every heart record opts selects, following the
// offset pages.
func (c *Client) HeartRecords(ctx context.Context, opts *HeartOptions) iter.Seq2[HeartRecord, error] {
	return rest.Pages(0, func(offset int) ([]HeartRecord, int, error) {
		p, err := c.HeartRecordsPage(ctx, opts, offset)
		if err != nil {
			return nil, 0, err
		}
		return p.Records, p.NextOffset, nil
	})
}

// HeartSignal is an ECG recording (v2/heart get).
type HeartSignal struct {
	// Signal holds the samples in µV.
	Signal []int `json:"signal"`
	// SamplingFrequency is in Hz.
	SamplingFrequency int `json:"sampling_frequency"`
	WearPosition      int `json:"wearposition"`
}

type heartGetQuery struct {
	Action   string `url:"action"`
	SignalID int64  `url:"signalid"`
}

func (q heartGetQuery) action() string { return q.Action }

// HeartSignal fetches the ECG signal of a heart record.
func (c *Client) HeartSignal(ctx context.Context, signalID int64) (*HeartSignal, error) {
	if signalID <= 0 {
		return nil, fmt.Errorf("withings: HeartSignal: signal id %d is not positive", signalID)
	}
	var out HeartSignal
	if _, err := c.do(ctx, &wearkit.Request{Path: "v2/heart", Query: &heartGetQuery{Action: "get", SignalID: signalID}}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
