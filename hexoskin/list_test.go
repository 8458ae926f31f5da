package hexoskin_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/hexoskin"
	"github.com/wearkit/wearkit/hexoskin/hexoskintest"
	"github.com/wearkit/wearkit/wearkittest"
)

func intp(v int) *int { return &v }

func boolp(v bool) *bool { return &v }

// The filters' exact query strings (url.Values sorts keys and escapes the
// commas of in/range/order_by lists as %2C).
func TestFilterQueryStrings(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()
	last := func() string {
		e, ok := srv.Log.Last()
		require.True(t, ok)
		return e.RawQuery
	}

	_, err := c.RecordsPage(ctx, &hexoskin.RecordListOptions{
		ListOptions: hexoskin.ListOptions{Limit: 50, Offset: 10, OrderBy: []string{"-start", "id"}},
		User:        1511, StartGTE: 347631277170, StartLT: 361503129600, EndLTE: 361503129600,
	})
	require.NoError(t, err)
	assert.Equal(t, "end__lte=361503129600&limit=50&offset=10&order_by=-start%2Cid&start__gte=347631277170&start__lt=361503129600&user=1511", last())

	_, err = c.RecordsPage(ctx, &hexoskin.RecordListOptions{IDIn: hexoskin.IDs{37700, 43419}, StartRange: hexoskin.TimestampRange{From: 1, To: 361446243405}, StartGT: 5, DeviceExact: hexoskintest.DeviceID})
	require.NoError(t, err)
	assert.Equal(t, "device__exact=HXSKIN1200002115&id__in=37700%2C43419&start__gt=5&start__range=1%2C361446243405", last())

	_, err = c.RangesPage(ctx, &hexoskin.RangeListOptions{ActivityTypeIsNull: boolp(false), Rank: intp(0), TrainingRoutineIn: hexoskin.IDs{1, 6}})
	require.NoError(t, err)
	assert.Equal(t, "activitytype__isnull=false&rank=0&trainingroutine__in=1%2C6", last())

	_, err = c.TrackpointsPage(ctx, &hexoskin.TrackpointListOptions{TimeRange: hexoskin.TimeRange{
		From: time.Date(2015, 5, 12, 19, 40, 0, 0, time.UTC), To: time.Date(2015, 5, 12, 19, 50, 46, 0, time.UTC)}})
	require.NoError(t, err)
	assert.Equal(t, "time__range=2015-05-12T19%3A40%3A00%2C2015-05-12T19%3A50%3A46", last())

	_, err = c.RecordsPage(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, "", last(), "no options, no query")

	_, err = c.RecordsPage(ctx, &hexoskin.RecordListOptions{ListOptions: hexoskin.ListOptions{Limit: 1001}})
	assert.Error(t, err, "limit above 1000 is refused before sending")
}

func TestFiltersSelect(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()
	ids := func(opts *hexoskin.RecordListOptions) []int64 {
		var out []int64
		for _, r := range collect(t, c.Records(ctx, opts)) {
			out = append(out, r.ID)
		}
		return out
	}
	assert.Equal(t, []int64{37700, 43419}, ids(&hexoskin.RecordListOptions{User: hexoskintest.UserID}))
	assert.Equal(t, []int64{43419}, ids(&hexoskin.RecordListOptions{StartGT: hexoskintest.RecordStart, User: hexoskintest.UserID}))
	assert.Equal(t, []int64{37700}, ids(&hexoskin.RecordListOptions{StartLTE: hexoskintest.RecordStart, User: hexoskintest.UserID}))
	assert.Equal(t, []int64{40000, 37700}, ids(&hexoskin.RecordListOptions{IDIn: hexoskin.IDs{37700, 40000}, ListOptions: hexoskin.ListOptions{OrderBy: []string{"-id"}}}))
	assert.Equal(t, []int64{37700, 40000}, ids(&hexoskin.RecordListOptions{StartRange: hexoskin.TimestampRange{From: hexoskintest.RecordStart, To: 360000000000}}))
	assert.Equal(t, []int64{43419, 40000, 37700}, ids(&hexoskin.RecordListOptions{ListOptions: hexoskin.ListOptions{OrderBy: []string{"-start"}}}))
}

func TestPagingAcross2500Objects(t *testing.T) {
	srv := hexoskintest.New(t, hexoskintest.WithRecords(2500))
	c := newClient(t, srv)
	ctx := context.Background()

	page, err := c.RecordsPage(ctx, &hexoskin.RecordListOptions{User: hexoskintest.UserID})
	require.NoError(t, err)
	assert.Len(t, page.Objects, 20, "server default limit")
	assert.Equal(t, 2502, page.Meta.TotalCount)
	assert.Equal(t, "/api/record/?limit=20&offset=20&user=1511", page.Meta.Next)
	assert.Empty(t, page.Meta.Previous)

	srv.Log.Reset()
	var got []int64
	for r, err := range c.Records(ctx, &hexoskin.RecordListOptions{User: hexoskintest.UserID}) {
		require.NoError(t, err)
		got = append(got, r.ID)
	}
	require.Len(t, got, 2502)
	seen := map[int64]bool{}
	for _, id := range got {
		require.False(t, seen[id], "duplicate %d", id)
		seen[id] = true
	}
	entries := srv.Log.Entries()
	require.Len(t, entries, 3, "1000 per page")
	assert.Equal(t, "limit=1000&user=1511", entries[0].RawQuery)
	assert.Equal(t, "limit=1000&offset=1000&user=1511", entries[1].RawQuery)
	assert.Equal(t, "limit=1000&offset=2000&user=1511", entries[2].RawQuery)

	// An explicit limit is kept, and break stops the fetching.
	srv.Log.Reset()
	n := 0
	for _, err := range c.Records(ctx, &hexoskin.RecordListOptions{ListOptions: hexoskin.ListOptions{Limit: 300}}) {
		require.NoError(t, err)
		n++
		if n == 450 {
			break
		}
	}
	assert.Equal(t, 2, srv.Log.Len())
}

func TestPagingErrorStopsOnce(t *testing.T) {
	srv := hexoskintest.New(t, hexoskintest.WithRecords(1500))
	c := newClient(t, srv, hexoskin.WithRetry(1, 0, 0))
	srv.Faults.Push(hexoskintest.FaultOnOffset(1000, 500))
	var n, errs int
	for _, err := range c.Records(context.Background(), nil) {
		if err != nil {
			errs++
			assert.ErrorIs(t, err, wearkit.ErrServer)
			continue
		}
		n++
	}
	assert.Equal(t, 1000, n)
	assert.Equal(t, 1, errs)
}

func TestHexoCacheHeader(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	at := time.Unix(1700000000, 0).UTC()
	srv.SetCached(at)
	page, err := c.DatatypesPage(context.Background(), nil)
	require.NoError(t, err)
	require.NotNil(t, page.Response)
	cachedAt, cached := hexoskin.Cached(page.Response)
	assert.True(t, cached)
	assert.Equal(t, at, cachedAt)

	var meta wearkit.Response
	_, err = c.Record(wearkit.CaptureResponse(context.Background(), &meta), hexoskintest.RecordID)
	require.NoError(t, err)
	_, cached = hexoskin.Cached(&meta)
	assert.True(t, cached)
	assert.Equal(t, 200, meta.StatusCode)

	srv.SetCached(time.Time{})
	_, err = c.Record(wearkit.CaptureResponse(context.Background(), &meta), hexoskintest.RecordID)
	require.NoError(t, err)
	_, cached = hexoskin.Cached(&meta)
	assert.False(t, cached)
}

func TestRefDecoding(t *testing.T) {
	var v struct {
		A, B, C, D hexoskin.Ref
	}
	require.NoError(t, json.Unmarshal([]byte(`{"A":"/api/user/835/","B":{"id":1511,"resource_uri":"/api/user/1511/","first_name":"Athlete"},"C":null,"D":"/api/device/HXSKIN1200002115/"}`), &v))
	assert.Equal(t, int64(835), v.A.Int())
	assert.Equal(t, "/api/user/1511/", v.B.URI)
	assert.Contains(t, string(v.B.Object), "Athlete")
	assert.True(t, v.C.IsZero())
	assert.Equal(t, "HXSKIN1200002115", v.D.ID())
	assert.Equal(t, int64(0), v.D.Int())
	b, err := json.Marshal(hexoskin.RefTo("user", 835))
	require.NoError(t, err)
	assert.Equal(t, `"/api/user/835/"`, string(b))
}

// A Tastypie server whose meta.next on page 2 points back at page 1 (written
// differently: an absolute path and an explicit offset=0) yields each
// record once: [1 2], not [1 2 1 2 ...].
func TestPagingLinkBackToFirstPageYieldsOnce(t *testing.T) {
	srv := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, next := 1, "/api/record/?offset=1&limit=1000"
		if r.URL.Query().Get("offset") == "1" {
			id, next = 2, "/api/record/?limit=1000&offset=0"
		}
		wearkittest.WriteJSON(w, http.StatusOK, map[string]any{
			"meta":    map[string]any{"limit": 1000, "next": next, "total_count": 2},
			"objects": []map[string]any{{"id": id, "resource_uri": fmt.Sprintf("/api/record/%d/", id)}},
		})
	}))
	c, err := hexoskin.New(hexoskin.WithBaseURL(srv.URL), hexoskin.WithRateLimit(rate.Inf, 1))
	require.NoError(t, err)
	var ids []int64
	for rec, err := range c.Records(context.Background(), nil) {
		require.NoError(t, err)
		ids = append(ids, rec.ID)
		require.Less(t, len(ids), 10, "looping")
	}
	assert.Equal(t, []int64{1, 2}, ids)
	assert.Equal(t, 2, srv.Log.Len())
}
