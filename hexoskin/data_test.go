package hexoskin_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit/hexoskin"
	"github.com/wearkit/wearkit/hexoskin/hexoskintest"
	"github.com/wearkit/wearkit/wearkittest"
)

func TestPlanDataWindows24hECG(t *testing.T) {
	start := hexoskin.TimestampFromTime(time.Date(2014, 9, 28, 0, 0, 0, 0, time.UTC))
	end := start.Add(24 * time.Hour)
	plan := func(start, end hexoskin.Timestamp, ids ...hexoskin.DatatypeID) []hexoskin.Window {
		wins, err := hexoskin.PlanDataWindows(start, end, ids...)
		require.NoError(t, err)
		return wins
	}
	wins := plan(start, end, hexoskin.ECG)
	require.Len(t, wins, 338, "86400 s / 255.99 s")
	assert.Equal(t, start, wins[0].Start)
	assert.Equal(t, end, wins[len(wins)-1].End)
	for i, w := range wins {
		points := int64(w.End-w.Start) + 1 // ECG has a point on every tick, both ends included
		assert.LessOrEqual(t, points, int64(hexoskin.MaxDataPoints), "window %d", i)
		if i > 0 {
			assert.Equal(t, wins[i-1].End, w.Start, "windows are contiguous")
		}
	}
	assert.Equal(t, int64(65534), hexoskin.DataWindowTicks(hexoskin.ECG))
	// The fastest datatype governs.
	assert.Equal(t, wins, plan(start, end, hexoskin.HeartRate, hexoskin.ECG, hexoskin.RRInterval))
	assert.Len(t, plan(start, end, hexoskin.HeartRate, hexoskin.BreathingRate), 2)
	assert.Equal(t, 169, len(plan(start, end, hexoskin.RespirationThoracic)), "128 Hz")
	assert.Len(t, plan(start, start, hexoskin.ECG), 1)
	assert.Nil(t, plan(end, start, hexoskin.ECG))
}

func TestData24hECGWindowsStayUnderCap(t *testing.T) {
	srv := hexoskintest.New(t, hexoskintest.WithThinData())
	c := newClient(t, srv)
	start := hexoskin.TimestampFromTime(time.Date(2014, 9, 28, 0, 0, 0, 0, time.UTC))
	end := start.Add(24 * time.Hour)
	sets, err := c.Data(context.Background(), &hexoskin.DataQuery{
		Datatypes: []hexoskin.DatatypeID{hexoskin.ECG}, User: hexoskintest.UserID, Start: start, End: end,
	})
	require.NoError(t, err)
	assert.Equal(t, 338, srv.DataCalls())
	assert.Equal(t, 0, srv.Subsampled(), "no call went past 65535 points")
	for _, e := range srv.Log.Entries() {
		s, _ := strconv.ParseInt(e.Query.Get("start"), 10, 64)
		en, _ := strconv.ParseInt(e.Query.Get("end"), 10, 64)
		assert.LessOrEqual(t, en-s+1, int64(hexoskin.MaxDataPoints), e.String())
		assert.Equal(t, "1511", e.Query.Get("user"))
	}
	require.Len(t, sets, 1)
	ecg := sets[0].Series[hexoskin.ECG]
	assert.Equal(t, start, ecg[0].T)
	assert.Equal(t, end, ecg[len(ecg)-1].T)

	// The same span in one call is what the fake (like the server) subsamples.
	req, _ := http.NewRequest("GET", srv.URL+"/api/data/?datatype__in=4113&user=1511&start="+strconv.FormatInt(int64(start), 10)+"&end="+strconv.FormatInt(int64(end), 10), nil)
	req.SetBasicAuth(hexoskintest.Username, hexoskintest.Password)
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 1, srv.Subsampled())
}

func TestDataJoinsWindowsWithoutGapsOrRepeats(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	start := hexoskin.Timestamp(hexoskintest.RecordStart)
	end := start.Add(20 * time.Minute)
	sets, err := c.Data(context.Background(), &hexoskin.DataQuery{
		Datatypes: []hexoskin.DatatypeID{hexoskin.ECG, hexoskin.HeartRate, hexoskin.RRInterval},
		Record:    hexoskintest.RecordID, Start: start, End: end,
	})
	require.NoError(t, err)
	assert.Equal(t, 5, srv.DataCalls())
	assert.Equal(t, 0, srv.Subsampled())
	require.Len(t, sets, 1)
	assert.Equal(t, "/api/user/1511/", sets[0].User)
	ecg := sets[0].Series[hexoskin.ECG]
	require.Equal(t, 20*60*256+1, len(ecg))
	for i := 1; i < len(ecg); i++ {
		if ecg[i].T != ecg[i-1].T+1 {
			t.Fatalf("gap or repeat at %d: %d then %d", i, ecg[i-1].T, ecg[i].T)
		}
	}
	assert.Equal(t, 1200, len(sets[0].Series[hexoskin.HeartRate]))
	rr := sets[0].Series[hexoskin.RRInterval]
	assert.Greater(t, len(rr), 1200)
	for i := 1; i < len(rr); i++ {
		require.Greater(t, rr[i].T, rr[i-1].T)
	}
}

func TestDataRecordSpanIsFetched(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	sets, err := c.Data(context.Background(), &hexoskin.DataQuery{Datatypes: []hexoskin.DatatypeID{hexoskin.ECG}, Record: hexoskintest.RecordID})
	require.NoError(t, err)
	entries := srv.Log.Entries()
	assert.Equal(t, "/api/record/37700/", entries[0].Path)
	assert.Equal(t, 10, srv.DataCalls(), "2324 s of ECG")
	assert.Equal(t, 0, srv.Subsampled())
	assert.Equal(t, "1511", entries[1].Query.Get("user"))
	assert.Equal(t, hexoskintest.RecordEnd-hexoskintest.RecordStart+1, len(sets[0].Series[hexoskin.ECG]))

	// A short record span goes out as the caller wrote it.
	srv.Log.Reset()
	_, err = c.Data(context.Background(), &hexoskin.DataQuery{Datatypes: []hexoskin.DatatypeID{hexoskin.HeartRate, hexoskin.BreathingRate}, Record: hexoskintest.RecordID})
	require.NoError(t, err)
	e, _ := srv.Log.Last()
	assert.Equal(t, "datatype__in=19%2C33&record=37700", e.RawQuery)
}

func TestDataQueryValidation(t *testing.T) {
	c, err := hexoskin.New()
	require.NoError(t, err)
	ctx := context.Background()
	for _, q := range []*hexoskin.DataQuery{
		nil,
		{Record: 1},
		{Datatypes: []hexoskin.DatatypeID{19}},
		{Datatypes: []hexoskin.DatatypeID{19}, Record: 1, Range: 2},
		{Datatypes: []hexoskin.DatatypeID{19}, User: 1},
		{Datatypes: []hexoskin.DatatypeID{19}, User: 1, Start: 10, End: 5},
	} {
		_, err := c.Data(ctx, q)
		assert.Error(t, err)
	}
}

func TestDataCSVWindowed(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	start := hexoskin.Timestamp(hexoskintest.RecordStart)
	var buf bytes.Buffer
	err := c.DataCSV(context.Background(), &hexoskin.DataQuery{
		Datatypes: []hexoskin.DatatypeID{hexoskin.ECG, hexoskin.HeartRate}, Record: hexoskintest.RecordID,
		Start: start, End: start.Add(10 * time.Minute),
	}, &buf)
	require.NoError(t, err)
	assert.Equal(t, 3, srv.DataCalls())
	assert.Equal(t, 0, srv.Subsampled())
	sc := bufio.NewScanner(&buf)
	headers, rows := 0, 0
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "timestamp") {
			headers++
			assert.Equal(t, "timestamp,4113,19", sc.Text())
			continue
		}
		rows++
	}
	assert.Equal(t, 1, headers, "one header line")
	// The ticks two windows share are written once.
	assert.Equal(t, 600*256+1, rows)
	e, _ := srv.Log.Last()
	assert.Equal(t, "text/csv", e.Header.Get("Accept"))
}

func TestDataRecordBinary(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	start := hexoskin.Timestamp(hexoskintest.RecordStart)
	q := &hexoskin.DataQuery{
		Datatypes: []hexoskin.DatatypeID{hexoskin.ECG, hexoskin.RRInterval, hexoskin.HeartRate},
		Record:    hexoskintest.RecordID, Start: start, End: start.Add(5 * time.Minute),
	}
	bin, err := c.DataRecord(context.Background(), q)
	require.NoError(t, err)
	defer bin.Close()
	e, _ := srv.Log.Last()
	assert.Equal(t, "application/octet-stream", e.Header.Get("Accept"))
	assert.Equal(t, start.Time(), bin.Start())

	n := 0
	var first float64
	for s, err := range bin.Samples("ECG_I") {
		require.NoError(t, err)
		if n == 0 {
			first = s.Value
		}
		n++
	}
	assert.Equal(t, 300*256+1, n, "binary is not capped")
	// The fake's ECG is the generated person's (seeded by the user id),
	// sent in 0.0064 mV steps.
	p, err := wearkittest.NewPerson(wearkittest.PersonConfig{Seed: hexoskintest.UserID})
	require.NoError(t, err)
	want := make([]float64, 1)
	require.NoError(t, p.ECG(start.Time(), 256, want))
	assert.InDelta(t, want[0], first, 0.0064)

	rr := 0
	for s, err := range bin.Samples("RR_interval") {
		require.NoError(t, err)
		assert.True(t, s.Value > 0.3 && s.Value < 2, "RR %v in seconds", s.Value)
		rr++
	}
	assert.Greater(t, rr, 300)
	hr := 0
	for _, err := range bin.Samples("heart_rate") {
		require.NoError(t, err)
		hr++
	}
	assert.Equal(t, 299, hr, "heart rate starts 1 s (dt_offset) after the start")

	var zipBuf bytes.Buffer
	resp, err := c.DataZip(context.Background(), q, &zipBuf)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, bin.Size, int64(zipBuf.Len()))
	assert.Equal(t, "PK", zipBuf.String()[:2])
}

func TestDataRecordTruncatedAnswer(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv, hexoskin.WithRetry(1, 0, 0))
	srv.Faults.Push(hexoskintest.TruncateData(1000))
	_, err := c.DataRecord(context.Background(), &hexoskin.DataQuery{Datatypes: []hexoskin.DatatypeID{hexoskin.ECG}, Record: hexoskintest.RecordID})
	assert.Error(t, err)
}

func TestDecodeData(t *testing.T) {
	doc := `[ { "data": { "19": [ [ 359840227126, 70 ], [ 359840227382, 71 ] ],
		"37": [ [359840228406, 571.04], [359840228662, -1.5e2], [359840228918, null] ] },
		"user": "/api/user/1511/", "extra": {"a": [1, "x\"y", true, null]} } ]`
	sets, err := hexoskin.DecodeData([]byte(doc), nil)
	require.NoError(t, err)
	require.Len(t, sets, 1)
	assert.Equal(t, "/api/user/1511/", sets[0].User)
	assert.Equal(t, hexoskin.Series{{T: 359840227126, V: 70}, {T: 359840227382, V: 71}}, sets[0].Series[19])
	tv := sets[0].Series[37]
	require.Len(t, tv, 3)
	assert.Equal(t, 571.04, tv[0].V)
	assert.Equal(t, -150.0, tv[1].V)
	assert.True(t, math.IsNaN(tv[2].V))

	sets, err = hexoskin.DecodeData([]byte(`[]`), nil)
	require.NoError(t, err)
	assert.Empty(t, sets)
	sets, err = hexoskin.DecodeData([]byte(`[{"data":{}},{"user":null,"data":{"4113":[]}}]`), nil)
	require.NoError(t, err)
	assert.Len(t, sets, 2)

	for _, bad := range []string{``, `{}`, `[`, `[{"data":{"x":[]}}]`, `[{"data":{"19":[[1]]}}]`, `[{"data":{"19":[[1,2]]}}] x`,
		`[{"data":{"19":[[1,"a"]]}}]`, `[{"data":{"19":[[1,2],]}}]`, `[{"data":{"19":[[1,2]}}]`, `[{"user":"abc}]`} {
		_, err := hexoskin.DecodeData([]byte(bad), nil)
		assert.Error(t, err, bad)
	}
}

func TestDecodeDataNumbersMatchStrconv(t *testing.T) {
	for _, s := range []string{"0", "-0", "1", "571.04", "0.1", "123456789012345", "1234567890123456789", "0.000001", "99.99999999999999",
		"1e3", "-2.5E-3", "4.35", "361446243405", "0.30000000000000004"} {
		sets, err := hexoskin.DecodeData([]byte(`[{"data":{"1":[[0,`+s+`]]}}]`), nil)
		require.NoError(t, err, s)
		want, _ := strconv.ParseFloat(s, 64)
		assert.Equal(t, want, sets[0].Series[1][0].V, s)
	}
}

func FuzzDecodeData(f *testing.F) {
	f.Add([]byte(`[{"data":{"19":[[359840227126,70],[359840227382,71.5]]},"user":"/api/user/1511/"}]`))
	f.Add([]byte(`[{"data":{"19":[[1,null]]},"x":{"y":["\u00e9"]}}]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = hexoskin.DecodeData(b, nil)
	})
}

func TestDataRecordSpoolsLargeAnswers(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	defer hexoskin.SetMemoryZipLimit(100)()
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	bin, err := c.DataRecord(context.Background(), &hexoskin.DataQuery{Datatypes: []hexoskin.DatatypeID{hexoskin.ECG}, Record: hexoskintest.RecordID})
	require.NoError(t, err)
	spooled, _ := filepath.Glob(filepath.Join(dir, "hexoskin-data-*.zip"))
	require.Len(t, spooled, 1, "the zip went to a temporary file")
	assert.Equal(t, hexoskin.Timestamp(hexoskintest.RecordStart).Time(), bin.Start(), "start taken from the record")
	n := 0
	for _, err := range bin.Samples("ECG_I") {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, hexoskintest.RecordEnd-hexoskintest.RecordStart+1, n)
	require.NoError(t, bin.Close())
	spooled, _ = filepath.Glob(filepath.Join(dir, "hexoskin-data-*.zip"))
	assert.Empty(t, spooled, "Close removes it")
	assert.NoError(t, bin.Close(), "Close twice")
}

func TestDataForARange(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()
	// 300 s of heart rate: one call, asked as written.
	sets, err := c.Data(ctx, &hexoskin.DataQuery{Datatypes: []hexoskin.DatatypeID{hexoskin.HeartRate}, Range: hexoskintest.JogRangeID})
	require.NoError(t, err)
	assert.Equal(t, 300, len(sets[0].Series[hexoskin.HeartRate]))
	e, _ := srv.Log.Last()
	assert.Equal(t, "datatype__in=19&range=58979", e.RawQuery)
	// 300 s of ECG: the range is fetched, then two windows by user and time.
	srv.Log.Reset()
	sets, err = c.Data(ctx, &hexoskin.DataQuery{Datatypes: []hexoskin.DatatypeID{hexoskin.ECG}, Range: hexoskintest.JogRangeID})
	require.NoError(t, err)
	entries := srv.Log.Entries()
	require.Len(t, entries, 3)
	assert.Equal(t, "/api/range/58979/", entries[0].Path)
	assert.Equal(t, "1511", entries[1].Query.Get("user"))
	assert.Equal(t, 300*256+1, len(sets[0].Series[hexoskin.ECG]))
	assert.Equal(t, 0, srv.Subsampled())
}

func TestDataWindowsOneAtATime(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	start := hexoskin.Timestamp(hexoskintest.RecordStart)
	q := &hexoskin.DataQuery{Datatypes: []hexoskin.DatatypeID{hexoskin.ECG}, User: hexoskintest.UserID, Start: start, End: start.Add(10 * time.Minute)}
	windows, total := 0, 0
	prev := hexoskin.Timestamp(0)
	for part, err := range c.DataWindows(context.Background(), q) {
		require.NoError(t, err)
		windows++
		pts := part[0].Series[hexoskin.ECG]
		require.NotEmpty(t, pts)
		assert.Greater(t, pts[0].T, prev, "no point repeated across windows")
		prev = pts[len(pts)-1].T
		total += len(pts)
	}
	assert.Equal(t, 3, windows)
	assert.Equal(t, 600*256+1, total)

	// break stops the calls.
	srv.Log.Reset()
	for range c.DataWindows(context.Background(), q) {
		break
	}
	assert.Equal(t, 1, srv.Log.Len())
}

func TestDecodeDataBoundsNesting(t *testing.T) {
	// Unknown values are skipped recursively: without a bound, a few MB of
	// '[' overflow the goroutine stack, a fatal error no recover catches.
	deep := func(n int) []byte {
		return []byte(`[{"x":` + strings.Repeat("[", n) + strings.Repeat("]", n) + `,"data":{"19":[[1,2]]}}]`)
	}
	sets, err := hexoskin.DecodeData(deep(100), nil)
	require.NoError(t, err)
	require.Len(t, sets, 1)
	assert.Len(t, sets[0].Series[hexoskin.HeartRate], 1)
	_, err = hexoskin.DecodeData(deep(100_000), nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "nested too deep")
}

func TestDecodeDataAcceptsEveryJSONEscape(t *testing.T) {
	// Issue 10 point 11: `\/` and surrogate pairs are valid JSON but failed
	// with "bad string: invalid syntax", even in skipped fields.
	doc := `[{"note": "a\/b \ud83d\ude00 \u00e9 \"q\" \\ \b\f\n\r\t", "extra": ["\/", {"k\/": "\ud83d\ude00"}],
		"data": {"19": [[1, 70]]}, "user": "\/api\/user\/1511\/ \ud83d\ude00"}]`
	sets, err := hexoskin.DecodeData([]byte(doc), nil)
	require.NoError(t, err)
	require.Len(t, sets, 1)
	assert.Equal(t, "/api/user/1511/ \U0001F600", sets[0].User)
	assert.Equal(t, hexoskin.Series{{T: 1, V: 70}}, sets[0].Series[19])

	// The scanner decodes strings as encoding/json does, lone surrogates
	// becoming U+FFFD.
	for _, s := range []string{`"\/"`, `"\ud83d\ude00"`, `"\ud83d"`, `"\ude00x"`, `"\ud83dx"`, `"\ud83d\u0041"`, `"\u00e9\u4e2d"`, `"plain"`, `"\\\/\""`} {
		var want string
		require.NoError(t, json.Unmarshal([]byte(s), &want), s)
		sets, err := hexoskin.DecodeData([]byte(`[{"user":`+s+`}]`), nil)
		require.NoError(t, err, s)
		assert.Equal(t, want, sets[0].User, s)
	}
	// Invalid escapes still fail, naming the byte offset.
	for _, bad := range []string{`"\x"`, `"\u12"`, `"\u12g4"`, `"\`, `"a\"`} {
		_, err := hexoskin.DecodeData([]byte(`[{"user":`+bad+`}]`), nil)
		require.Error(t, err, bad)
		assert.Contains(t, err.Error(), "at byte", bad)
	}
}

// FuzzDecodeDataString checks the scanner's strings against encoding/json:
// every string encoding/json accepts decodes to the same text.
func FuzzDecodeDataString(f *testing.F) {
	for _, s := range []string{`"\/"`, `"\ud83d\ude00"`, `"\ud83d"`, `"\u00e9"`, `"a\\b\"c"`, `"\ud83d\u0041"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want string
		if json.Unmarshal([]byte(s), &want) != nil || !utf8.ValidString(s) {
			return
		}
		sets, err := hexoskin.DecodeData([]byte(`[{"user":`+s+`}]`), nil)
		require.NoError(t, err, s)
		require.Equal(t, want, sets[0].User, s)
	})
}

type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }

func TestDataCSVStopsAtFirstWriteError(t *testing.T) {
	// Issue 10 point 13: all 10 window calls went out after the writer had
	// failed, and the error came back only from the last Flush.
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	boom := errors.New("disk full")
	err := c.DataCSV(context.Background(), &hexoskin.DataQuery{Datatypes: []hexoskin.DatatypeID{hexoskin.ECG}, Record: hexoskintest.RecordID}, failingWriter{boom})
	require.ErrorIs(t, err, boom)
	assert.Contains(t, err.Error(), "hexoskin: writing CSV")
	assert.Equal(t, 1, srv.DataCalls(), "no window is fetched after the writer failed")
}

func TestPlanDataWindowsNearMaxInt64(t *testing.T) {
	// Issue 10 point 9: s+w overflowed past MaxInt64, the loop never ended
	// and the plan grew without bound.
	end := hexoskin.Timestamp(math.MaxInt64)
	w := hexoskin.Timestamp(hexoskin.DataWindowTicks(hexoskin.ECG))
	wins, err := hexoskin.PlanDataWindows(end-3*w-5, end, hexoskin.ECG)
	require.NoError(t, err)
	require.Len(t, wins, 4)
	assert.Equal(t, end, wins[3].End)
	wins, err = hexoskin.PlanDataWindows(end, end, hexoskin.ECG)
	require.NoError(t, err)
	assert.Len(t, wins, 1)
	// A span past MaxDataSpan is refused, whatever its ends, never planned.
	_, err = hexoskin.PlanDataWindows(0, end, hexoskin.HeartRate)
	require.Error(t, err)
	_, err = hexoskin.PlanDataWindows(math.MinInt64, end, hexoskin.HeartRate)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "MaxDataSpan")
}

func TestDataRefusesUnboundedSpans(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()
	start := hexoskin.Timestamp(hexoskintest.RecordStart)
	_, err := c.Data(ctx, &hexoskin.DataQuery{Datatypes: []hexoskin.DatatypeID{hexoskin.ECG}, User: hexoskintest.UserID, Start: start, End: math.MaxInt64})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "DataQuery.End")
	assert.Equal(t, 0, srv.DataCalls())

	// A range whose end the server sends without a bound (1<<62: the fake
	// stores numbers as float64, like many JSON stores).
	rng, err := c.CreateRange(ctx, &hexoskin.RangeCreate{Name: "forever", Start: start, End: 1 << 62, User: hexoskin.RefTo("user", hexoskintest.UserID)})
	require.NoError(t, err)
	_, err = c.Data(ctx, &hexoskin.DataQuery{Datatypes: []hexoskin.DatatypeID{hexoskin.ECG}, Range: rng.ID})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "end")
	assert.Contains(t, err.Error(), "MaxDataSpan")
	assert.Equal(t, 0, srv.DataCalls())
	err = c.DataCSV(ctx, &hexoskin.DataQuery{Datatypes: []hexoskin.DatatypeID{hexoskin.ECG}, Range: rng.ID}, io.Discard)
	require.Error(t, err)
	assert.Equal(t, 0, srv.DataCalls())

	// A range the server says ends before it starts.
	back, err := c.CreateRange(ctx, &hexoskin.RangeCreate{Name: "backwards", Start: start, End: start - 256, User: hexoskin.RefTo("user", hexoskintest.UserID)})
	require.NoError(t, err)
	_, err = c.Data(ctx, &hexoskin.DataQuery{Datatypes: []hexoskin.DatatypeID{hexoskin.ECG}, Range: back.ID})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "range end")
	assert.Equal(t, 0, srv.DataCalls())
}
