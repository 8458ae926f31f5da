package hexoskin_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/binfmt"
	"github.com/wearkit/wearkit/hexoskin"
	"github.com/wearkit/wearkit/hexoskin/hexoskintest"
)

func TestAccountUsersProfiles(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()

	me, err := c.Account(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(1511), me.ID)
	assert.Equal(t, "Athlete", me.FirstName)
	p, ok := me.ProfileDetail()
	require.True(t, ok, "account embeds the profile")
	assert.Equal(t, int64(1460), p.ID)
	require.NotNil(t, p.Fitness)
	assert.Equal(t, 183.0, p.Fitness.HRMax)

	users := collect(t, c.Users(ctx, nil))
	require.Len(t, users, 3, "the athlete, the friend and the study subject the athlete's study enrolled")
	assert.Equal(t, "test_sub001", users[2].Username)
	assert.Equal(t, "/api/profile/1461/", users[1].Profile.URI)
	_, ok = users[1].ProfileDetail()
	assert.False(t, ok, "list views link the profile")

	page, err := c.UsersPage(ctx, &hexoskin.UserListOptions{IDIn: hexoskin.IDs{1512}})
	require.NoError(t, err)
	require.Len(t, page.Objects, 1)
	assert.Equal(t, "Runner", page.Objects[0].LastName)

	u, err := c.User(ctx, 1512)
	require.NoError(t, err)
	assert.Equal(t, "friend", u.Username)

	prof, err := c.Profile(ctx, 1460)
	require.NoError(t, err)
	assert.Equal(t, 1.82, prof.Height)
	w := 80.5
	prof, err = c.UpdateProfile(ctx, 1460, &hexoskin.ProfilePatch{Weight: &w})
	require.NoError(t, err)
	assert.Equal(t, 80.5, prof.Weight)
	e, _ := srv.Log.Last()
	assert.Equal(t, "PATCH", e.Method)
	assert.JSONEq(t, `{"weight":80.5}`, string(e.Body))
}

func TestRecords(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()
	r, err := c.Record(ctx, hexoskintest.RecordID)
	require.NoError(t, err)
	assert.Equal(t, hexoskin.Timestamp(359840226870), r.Start)
	assert.Equal(t, hexoskin.Timestamp(359840821814), r.End)
	assert.Equal(t, int64(1511), r.User.Int())
	assert.Contains(t, string(r.User.Object), `"first_name":"Athlete"`, "record embeds the user")
	assert.Equal(t, hexoskintest.DeviceID, r.Device.ID())
	assert.Equal(t, "complete", r.Status)
	assert.Equal(t, time.Date(2014, 7, 17, 19, 38, 6, 0, time.UTC), r.StartDate.Time)
	assert.Contains(t, string(r.Raw), `"timezone":"America/Montreal"`, "unknown fields stay reachable")

	_, err = c.Record(ctx, 999)
	assert.ErrorIs(t, err, wearkit.ErrNotFound)
	var he *wearkit.Error
	require.True(t, errors.As(err, &he))
	assert.Equal(t, 404, he.StatusCode)
}

func TestRangesCRUDAndMetrics(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()

	r, err := c.Range(ctx, hexoskintest.RangeID, nil)
	require.NoError(t, err)
	assert.Equal(t, "bike", r.Name)
	assert.Equal(t, int64(1), r.TrainingRoutine.Int())
	require.Len(t, r.Metrics, 2, "the activity type's metrics")

	r, err = c.Range(ctx, hexoskintest.RangeID, &hexoskin.RangeOptions{IncludeMetrics: hexoskin.IDs{1, 71}})
	require.NoError(t, err)
	e, _ := srv.Log.Last()
	assert.Equal(t, "include_metrics=1%2C71", e.RawQuery)
	require.Len(t, r.Metrics, 4)
	assert.Equal(t, "activity_avg", r.Metrics[2].Name)
	require.NotNil(t, r.Metrics[2].Value)
	require.NotNil(t, r.Metrics[2].Unit)
	assert.Equal(t, "g", r.Metrics[2].Unit.SIShort)

	created, err := c.CreateRange(ctx, &hexoskin.RangeCreate{
		Name: "rest", Start: hexoskintest.RecordStart, End: hexoskintest.RecordStart + 256*300,
		User: hexoskin.RefTo("user", 1511), TrainingRoutine: hexoskin.RefTo("trainingroutine", 6),
	})
	require.NoError(t, err)
	assert.NotZero(t, created.ID)
	assert.Equal(t, "rest", created.Name)
	e, _ = srv.Log.Last()
	assert.JSONEq(t, `{"name":"rest","start":359840226870,"end":359840303670,"user":"/api/user/1511/","trainingroutine":"/api/trainingroutine/6/"}`, string(e.Body))

	name := "rest test"
	patched, err := c.UpdateRange(ctx, created.ID, &hexoskin.RangePatch{Name: &name})
	require.NoError(t, err)
	assert.Equal(t, "rest test", patched.Name)
	assert.Equal(t, created.Start, patched.Start)

	got := collect(t, c.Ranges(ctx, &hexoskin.RangeListOptions{IDIn: hexoskin.IDs{created.ID}, IncludeHistograms: true}))
	require.Len(t, got, 1)

	require.NoError(t, c.DeleteRange(ctx, created.ID))
	_, err = c.Range(ctx, created.ID, nil)
	assert.ErrorIs(t, err, wearkit.ErrNotFound)
	assert.ErrorIs(t, c.DeleteRange(ctx, created.ID), wearkit.ErrNotFound)

	_, err = c.CreateRange(ctx, &hexoskin.RangeCreate{Name: "x", Start: 1, End: 2, User: hexoskin.RefTo("user", 99)})
	assert.ErrorIs(t, err, wearkit.ErrBadRequest)
}

func TestCreateIsNotRetriedAfterReachingServer(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	srv.Faults.Statuses("", http.StatusServiceUnavailable)
	_, err := c.CreateAnnotation(context.Background(), &hexoskin.AnnotationCreate{Annotation: "x", Start: 1, User: hexoskin.RefTo("user", 1511)})
	assert.ErrorIs(t, err, wearkit.ErrServer)
	assert.Equal(t, 1, srv.Log.Count("POST", "/api/annotation/"))
}

func TestDatatypesAndTable(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()
	all := collect(t, c.Datatypes(ctx, nil))
	assert.Greater(t, len(all), 40)
	d, err := c.Datatype(ctx, hexoskin.ECG)
	require.NoError(t, err)
	assert.Equal(t, hexoskin.ECG, d.DataID)
	require.NotNil(t, d.Freq, "detail view's freq")
	assert.Equal(t, 256.0, *d.Freq)
	all = collect(t, c.Datatypes(ctx, nil))
	byID := map[hexoskin.DatatypeID]hexoskin.Datatype{}
	for _, d := range all {
		byID[d.DataID] = d
	}
	require.NotNil(t, byID[19].Freq, "list view's hexo_freq")
	assert.Equal(t, 1.0, *byID[19].Freq)
	assert.Nil(t, byID[208].Freq)
	_, err = c.DatatypesPage(ctx, &hexoskin.DatatypeListOptions{ListOptions: hexoskin.ListOptions{OrderBy: []string{"dataid"}}})
	require.ErrorIs(t, err, wearkit.ErrBadRequest, "datatype allows no ordering")

	assert.Equal(t, "ECG_I", hexoskin.ECG.String())
	assert.Equal(t, "RR_interval", hexoskin.RRInterval.String())
	assert.Equal(t, "datatype(9999, unknown)", hexoskin.DatatypeID(9999).String())
	info, ok := hexoskin.BreathingRate.Info()
	require.True(t, ok)
	assert.Equal(t, 1.0, info.Rate)
	assert.Equal(t, 1.0/300, func() float64 { i, _ := hexoskin.HRVRMSSD.Info(); return i.Rate }())
	assert.Equal(t, 256.0, hexoskin.DatatypeID(9999).MaxRate())
	known := hexoskin.KnownDatatypes()
	for i := 1; i < len(known); i++ {
		assert.Less(t, known[i-1].ID, known[i].ID)
	}

	// One table: every row is binfmt's channel for that id, with a rate
	// that can size a data window.
	assert.Len(t, known, len(binfmt.KnownChannels("")))
	for _, d := range known {
		c, ok := binfmt.LookupDatatype(int64(d.ID), "")
		require.True(t, ok, d.ID)
		assert.Equal(t, c.Name, d.Name, d.ID)
		assert.Equal(t, c.Kind == binfmt.KindAsync, d.Async, d.Name)
		assert.Greater(t, d.MaxRate, 0.0, d.Name)
		if !d.Async {
			assert.Equal(t, d.Rate, d.MaxRate, d.Name)
		}
	}
	ppg, _ := hexoskin.PPG.Info()
	assert.Equal(t, 64.0, ppg.Rate, "rates binfmt reads from the WAV header come from the API's table")
	rr, _ := hexoskin.RRInterval.Info()
	assert.Equal(t, 4.0, rr.MaxRate, "at most 240 beats a minute")
}

func TestMetrics(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()
	ms := collect(t, c.Metrics(ctx, &hexoskin.MetricListOptions{Name: "heartrate_avg", ShowAll: true}))
	require.Len(t, ms, 1)
	assert.Equal(t, int64(44), ms[0].ID)
	m, err := c.Metric(ctx, 173)
	require.NoError(t, err)
	assert.Equal(t, "%", m.Unit.SIShort)
	page, err := c.MetricsPage(ctx, &hexoskin.MetricListOptions{IDIn: hexoskin.IDs{1, 44, 139}})
	require.NoError(t, err)
	assert.Len(t, page.Objects, 3)
}

func TestAnnotationsCRUD(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()

	a, err := c.Annotation(ctx, hexoskintest.AnnotationID)
	require.NoError(t, err)
	assert.Equal(t, "Hey guys!", a.Annotation)
	assert.Equal(t, hexoskin.Timestamp(123456), a.Start)
	assert.Equal(t, time.Date(1970, 1, 1, 0, 8, 2, 0, time.UTC), a.StartDate.Time)
	assert.Equal(t, "4096", a.Datatype.ID())
	assert.True(t, a.Record.IsZero())

	created, err := c.CreateAnnotation(ctx, &hexoskin.AnnotationCreate{
		Annotation: "Interval 1", Datatype: hexoskin.RefTo("datatype", 4096), Start: hexoskintest.RecordStart + 256,
		User: hexoskin.RefTo("user", 1511), Record: hexoskin.RefTo("record", hexoskintest.RecordID),
	})
	require.NoError(t, err)
	assert.Equal(t, "Interval 1", created.Annotation)
	assert.Equal(t, int64(hexoskintest.RecordID), created.Record.Int())

	text := "Interval one"
	updated, err := c.UpdateAnnotation(ctx, created.ID, &hexoskin.AnnotationPatch{Annotation: &text})
	require.NoError(t, err)
	assert.Equal(t, text, updated.Annotation)

	list := collect(t, c.Annotations(ctx, &hexoskin.AnnotationListOptions{Record: hexoskintest.RecordID}))
	assert.Len(t, list, 2)
	list = collect(t, c.Annotations(ctx, &hexoskin.AnnotationListOptions{IDIn: hexoskin.IDs{created.ID}}))
	require.Len(t, list, 1)
	page, err := c.AnnotationsPage(ctx, &hexoskin.AnnotationListOptions{StartGTE: hexoskintest.RecordStart})
	require.NoError(t, err)
	assert.Equal(t, 2, page.Meta.TotalCount)

	require.NoError(t, c.DeleteAnnotation(ctx, created.ID))
	_, err = c.Annotation(ctx, created.ID)
	assert.ErrorIs(t, err, wearkit.ErrNotFound)
}

func TestTracksAndTrackpoints(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()

	tracks := collect(t, c.Tracks(ctx, &hexoskin.TrackListOptions{Range: hexoskintest.JogRangeID}))
	require.Len(t, tracks, 1)
	assert.Equal(t, int64(hexoskintest.TrackID), tracks[0].ID)
	tr, err := c.Track(ctx, hexoskintest.TrackID)
	require.NoError(t, err)
	assert.InDelta(t, 656.76, tr.Distance, 0.01)

	pts := collect(t, c.TrackpointsByTrack(ctx, hexoskintest.TrackID))
	require.Len(t, pts, 53)
	assert.InDelta(t, -73.6045937, pts[0].Longitude(), 1e-9)
	assert.InDelta(t, 45.5308797, pts[0].Latitude(), 1e-9)
	assert.Equal(t, int64(hexoskintest.TrackID), pts[0].Track.Int())

	page, err := c.TrackpointsPage(ctx, &hexoskin.TrackpointListOptions{Track: hexoskintest.TrackID})
	require.NoError(t, err)
	assert.Len(t, page.Objects, 20)
	assert.Equal(t, 53, page.Meta.TotalCount)

	// By time: HexoTimestamps or dates give the same points.
	from := hexoskin.Timestamp(hexoskintest.RecordStart + 256*60)
	to := from + 256*5*9
	byTS := collect(t, c.TrackpointsBetween(ctx, from, to))
	require.Len(t, byTS, 10)
	byTime := collect(t, c.Trackpoints(ctx, &hexoskin.TrackpointListOptions{TimeRange: hexoskin.TimeRange{From: from.Time(), To: to.Time()}}))
	require.Len(t, byTime, 10)
	assert.Equal(t, byTS[9].ID, byTime[9].ID)
}

func TestRoutinesActivityTypesDevices(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()

	rts := collect(t, c.TrainingRoutines(ctx, &hexoskin.TrainingRoutineListOptions{ActivityType: 10}))
	require.Len(t, rts, 2)
	rt, err := c.TrainingRoutine(ctx, 1011)
	require.NoError(t, err)
	assert.True(t, rt.Geo())
	assert.Equal(t, int64(10), rt.ActivityType.Int())
	assert.Contains(t, string(rt.Raw), "application_metadata")
	page, err := c.TrainingRoutinesPage(ctx, &hexoskin.TrainingRoutineListOptions{IDIn: hexoskin.IDs{6}})
	require.NoError(t, err)
	require.Len(t, page.Objects, 1)

	ats := collect(t, c.ActivityTypes(ctx, nil))
	assert.Len(t, ats, 4)
	at, err := c.ActivityType(ctx, 12)
	require.NoError(t, err)
	assert.Equal(t, "Sleep", at.Name)
	require.Len(t, at.Metrics, 1)
	atp, err := c.ActivityTypesPage(ctx, &hexoskin.ActivityTypeListOptions{IDIn: hexoskin.IDs{10, 106}})
	require.NoError(t, err)
	assert.Len(t, atp.Objects, 2)

	devs := collect(t, c.Devices(ctx, &hexoskin.DeviceListOptions{DeviceIDIn: []string{hexoskintest.DeviceID}}))
	require.Len(t, devs, 1)
	d, err := c.Device(ctx, hexoskintest.DeviceID)
	require.NoError(t, err)
	assert.Equal(t, "1.0.5", d.FirmwareRev)
	dp, err := c.DevicesPage(ctx, &hexoskin.DeviceListOptions{IDIn: []string{hexoskintest.DeviceID, "HXSKIN1200002070"}})
	require.NoError(t, err)
	assert.Len(t, dp.Objects, 2)
}

// The fake refuses what the documentation says the API refuses.
func TestFakeDeniesMethods(t *testing.T) {
	srv := hexoskintest.New(t)
	do := func(method, path string, body string) int {
		req, err := http.NewRequest(method, srv.URL+path, bytes.NewBufferString(body))
		require.NoError(t, err)
		ts := time.Now().Unix()
		req.Header.Set("X-HEXOAPIKEY", hexoskintest.PublicKey)
		req.Header.Set("X-HEXOTIMESTAMP", strconv.FormatInt(ts, 10))
		req.Header.Set("X-HEXOAPISIGNATURE", hexoskin.Sign(hexoskintest.PrivateKey, ts, srv.URL+path))
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	assert.Equal(t, 405, do("DELETE", "/api/annotation/", ""))
	assert.Equal(t, 405, do("PUT", "/api/range/", "{}"))
	assert.Equal(t, 405, do("POST", "/api/annotation/61353/", "{}"))
	assert.Equal(t, 405, do("DELETE", "/api/datatype/19/", ""))
	assert.Equal(t, 404, do("PUT", "/api/annotation/999999/", `{"annotation":"x"}`), "PUT does not create")
	assert.Equal(t, 202, do("PUT", "/api/annotation/61353/", `{"annotation":"replaced","start":5}`))
	assert.Equal(t, 400, do("GET", "/api/record/?start__gte=yesterday", ""))
	assert.Equal(t, 400, do("GET", "/api/record/?start__near=1", ""))
	assert.Equal(t, 200, do("GET", "/api/record/?limit=0", ""))
}

func TestClientMapsMethodNotAllowed(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	_, err := c.UpdateProfile(context.Background(), 1460, nil)
	require.NoError(t, err, "PATCH on a profile is allowed")
	srv.Faults.Push(hexoskintest.Fault405())
	_, err = c.UpdateProfile(context.Background(), 1460, nil)
	assert.ErrorIs(t, err, hexoskin.ErrMethodNotAllowed)
}
