package hexoskin_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit/analytics"
	"github.com/wearkit/wearkit/binfmt"
	"github.com/wearkit/wearkit/hexoskin"
	"github.com/wearkit/wearkit/hexoskin/hexoskintest"
)

// alignedStart is a start on every channel's sample grid (a multiple of
// 300 s) inside the fake's first record, so the fake's JSON and binary
// answers sample the same instants.
const alignedStart = hexoskin.Timestamp((hexoskintest.RecordStart/76800 + 1) * 76800)

func knownIDs() []hexoskin.DatatypeID {
	var ids []hexoskin.DatatypeID
	for _, d := range hexoskin.KnownDatatypes() {
		ids = append(ids, d.ID)
	}
	return ids
}

func TestJSONAndBinaryAgreeForEveryDatatype(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()
	start, end := alignedStart, alignedStart.Add(10*time.Minute)
	q := &hexoskin.DataQuery{Datatypes: knownIDs(), User: hexoskintest.UserID, Start: start, End: end}
	sets, err := c.Data(ctx, q)
	require.NoError(t, err)
	require.Len(t, sets, 1)
	bin, err := c.DataRecord(ctx, q)
	require.NoError(t, err)
	defer bin.Close()
	q.Raw = true
	raw, err := c.Data(ctx, q)
	require.NoError(t, err)

	require.Len(t, hexoskin.KnownDatatypes(), 41)
	for _, d := range hexoskin.KnownDatatypes() {
		bs, err := bin.Series(d.ID)
		require.NoError(t, err, d.Name)
		if !d.Async || d.ID == hexoskin.RRInterval || d.ID == hexoskin.NNInterval || d.ID == hexoskin.Inspiration {
			// Events such as steps or sleep phases need a walk or a night.
			require.NotEmpty(t, bs, d.Name)
		}
		// The JSON answer from the channel's first binary sample on: a
		// WAV starts dt_offset after the start.
		js := sets[0].Series[d.ID].Between(start.Add(time.Duration(d.Offset*float64(time.Second))), end+1)
		require.Equal(t, len(bs), len(js), d.Name)
		for i := range bs {
			require.Equal(t, bs[i], js[i], "%s point %d: binary then JSON", d.Name, i)
		}
		// Raw keeps the API's integers: physical = raw * Gain.
		rs := raw[0].Series[d.ID]
		require.Len(t, rs, len(sets[0].Series[d.ID]), d.Name)
		for i, p := range rs {
			require.Equal(t, math.Trunc(p.V), p.V, "%s raw %d is an integer", d.Name, i)
			require.Equal(t, p.V*d.Gain, sets[0].Series[d.ID][i].V, "%s %d", d.Name, i)
		}
	}

	// The units of the issue: ECG in mV, RR in s, activity in g.
	for _, p := range sets[0].Series[hexoskin.ECG] {
		require.LessOrEqual(t, math.Abs(p.V), 1000*0.0064)
	}
	for _, p := range sets[0].Series[hexoskin.RRInterval] {
		require.True(t, p.V > 0.3 && p.V < 2, "RR %v in seconds", p.V)
	}
	for _, p := range sets[0].Series[hexoskin.Activity] {
		require.Less(t, p.V, 100.0/256, "activity in g")
	}
	ecg, _ := hexoskin.ECG.Info()
	assert.Equal(t, "mV", ecg.Unit)
	assert.Equal(t, 0.0064, ecg.Gain)
	rr, _ := hexoskin.RRInterval.Info()
	assert.Equal(t, "s", rr.Unit)
	assert.Equal(t, 1.0/256, rr.Gain)
	hr, _ := hexoskin.HeartRate.Info()
	assert.Equal(t, 1.0, hr.Offset)
}

func TestDataWindowsAndCSVArePhysicalToo(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()
	q := &hexoskin.DataQuery{Datatypes: []hexoskin.DatatypeID{hexoskin.ECG, hexoskin.RRInterval, hexoskin.HeartRate},
		User: hexoskintest.UserID, Start: alignedStart, End: alignedStart.Add(10 * time.Minute)}
	sets, err := c.Data(ctx, q)
	require.NoError(t, err)
	joined := map[hexoskin.DatatypeID]hexoskin.Series{}
	for part, err := range c.DataWindows(ctx, q) {
		require.NoError(t, err)
		for id, s := range part[0].Series {
			joined[id] = append(joined[id], s...)
		}
	}
	for id, s := range sets[0].Series {
		assert.Equal(t, s, joined[id], id.String())
	}

	// CSV: the same numbers, as text.
	var buf bytes.Buffer
	require.NoError(t, c.DataCSV(ctx, q, &buf))
	rows := csvRows(t, buf.String())
	require.Equal(t, []string{"timestamp", "4113", "18", "19"}, rows[0])
	ecg, rr := map[int64]string{}, map[int64]string{}
	for _, r := range rows[1:] {
		ts, _ := strconv.ParseInt(r[0], 10, 64)
		ecg[ts], rr[ts] = r[1], r[2]
	}
	for _, p := range sets[0].Series[hexoskin.ECG] {
		require.Equal(t, strconv.FormatFloat(p.V, 'g', -1, 64), ecg[int64(p.T)])
	}
	for _, p := range sets[0].Series[hexoskin.RRInterval] {
		require.Equal(t, strconv.FormatFloat(p.V, 'g', -1, 64), rr[int64(p.T)])
	}
	// Raw CSV passes the server's integers through.
	buf.Reset()
	q.Raw = true
	require.NoError(t, c.DataCSV(ctx, q, &buf))
	rows = csvRows(t, buf.String())
	for _, r := range rows[1:] {
		if r[2] != "" {
			v, err := strconv.Atoi(r[2])
			require.NoError(t, err, "raw RR is an integer in 1/256 s")
			require.InDelta(t, 205, v, 26)
		}
	}
}

func csvRows(t *testing.T, s string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, rows)
	return rows
}

func TestFullResolutionTakesTheBinaryPathForLongSpans(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()
	ids := []hexoskin.DatatypeID{hexoskin.ECG, hexoskin.RRInterval, hexoskin.HeartRate, hexoskin.Activity}
	start := alignedStart
	// 30 min of ECG is 8 JSON windows: one binary call instead.
	long := &hexoskin.DataQuery{Datatypes: ids, User: hexoskintest.UserID, Start: start, End: start.Add(30 * time.Minute)}
	set, err := c.FullResolution(ctx, long)
	require.NoError(t, err)
	assert.Equal(t, 1, srv.DataCalls())
	e, _ := srv.Log.Last()
	assert.Equal(t, "application/octet-stream", e.Header.Get("Accept"))
	assert.Equal(t, "/api/user/1511/", set.User)
	assert.Len(t, set.Series[hexoskin.ECG], 30*60*256+1)

	viaJSON, err := c.Data(ctx, long)
	require.NoError(t, err)
	assert.Equal(t, 1+8, srv.DataCalls())
	for _, id := range ids {
		d, _ := id.Info()
		js := viaJSON[0].Series[id].Between(start.Add(time.Duration(d.Offset*float64(time.Second))), long.End+1)
		assert.Equal(t, js, set.Series[id], id.String())
	}
	// Raw on the binary path gives the integers raw JSON gives.
	long.Raw = true
	rawSet, err := c.FullResolution(ctx, long)
	require.NoError(t, err)
	for i, p := range rawSet.Series[hexoskin.RRInterval] {
		require.Equal(t, set.Series[hexoskin.RRInterval][i].V*256, p.V)
	}

	// A short span stays on JSON: 10 min of ECG is 3 windows.
	srv.Log.Reset()
	short := &hexoskin.DataQuery{Datatypes: ids, Record: hexoskintest.RecordID, Start: start, End: start.Add(10 * time.Minute)}
	set, err = c.FullResolution(ctx, short)
	require.NoError(t, err)
	assert.Equal(t, 3, srv.Log.Len())
	e, _ = srv.Log.Last()
	assert.NotEqual(t, "application/octet-stream", e.Header.Get("Accept"))
	assert.Len(t, set.Series[hexoskin.ECG], 10*60*256+1)

	_, err = c.FullResolution(ctx, &hexoskin.DataQuery{Datatypes: ids, User: hexoskintest.UserID, Start: start, End: math.MaxInt64})
	require.Error(t, err)
}

func TestSeriesToAnalytics(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()
	q := &hexoskin.DataQuery{Datatypes: []hexoskin.DatatypeID{hexoskin.RRInterval, hexoskin.HeartRate},
		User: hexoskintest.UserID, Start: alignedStart, End: alignedStart.Add(10 * time.Minute)}
	sets, err := c.Data(ctx, q)
	require.NoError(t, err)
	rr := sets[0].Series[hexoskin.RRInterval]
	ms := rr.RRMillis()
	require.Len(t, ms, len(rr))
	for i, v := range ms {
		require.Equal(t, rr[i].V*1000, v)
	}
	// HRV from the JSON path needs no hand scaling: mean RR near 800 ms.
	h, err := analytics.ComputeHRV(ms, analytics.HRVOptions{Filter: true})
	require.NoError(t, err)
	assert.InDelta(t, 800, h.MeanNN, 100)

	// The binary path's samples give the same HRV.
	bin, err := c.DataRecord(ctx, q)
	require.NoError(t, err)
	defer bin.Close()
	var samples []binfmt.Sample
	for s, err := range bin.Samples("RR_interval") {
		require.NoError(t, err)
		samples = append(samples, s)
	}
	pts := hexoskin.SamplePoints(bin.Start(), samples)
	require.Equal(t, rr.Points(), pts, "binary samples and JSON points are the same dated values")
	var fromBin []float64
	for _, p := range pts {
		fromBin = append(fromBin, p.Value*1000)
	}
	hb, err := analytics.ComputeHRV(fromBin, analytics.HRVOptions{Filter: true})
	require.NoError(t, err)
	assert.Equal(t, h, hb)

	hr := sets[0].Series[hexoskin.HeartRate]
	p := hr.Points()
	require.Len(t, p, len(hr))
	assert.Equal(t, hr[3].T.Time(), p[3].Date)
	assert.Equal(t, hr[3].V, p[3].Value)
	assert.Equal(t, hr[3].V, hr.Values()[3])
	w := hr.Between(alignedStart.Add(time.Minute), alignedStart.Add(2*time.Minute))
	assert.Len(t, w, 60)
	assert.Equal(t, alignedStart.Add(time.Minute), w[0].T)
	assert.Empty(t, hr.Between(alignedStart.Add(time.Hour), alignedStart))
}
