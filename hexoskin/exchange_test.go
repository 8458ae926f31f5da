package hexoskin_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/hexoskin"
	"github.com/wearkit/wearkit/hexoskin/hexoskintest"
	"github.com/wearkit/wearkit/wearkittest"
)

// A range exported as TCX and imported again comes back as a range of the
// same span with a record of the same heart rate, progress observed on
// the way.
func TestTCXRoundTrip(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()

	var file bytes.Buffer
	n, err := c.ExportRange(ctx, hexoskintest.JogRangeID, hexoskin.TCX, &file)
	require.NoError(t, err)
	assert.Equal(t, int64(file.Len()), n)
	last, _ := srv.Log.Last()
	assert.Equal(t, string(hexoskin.TCX), last.Header.Get("Accept"))
	assert.Contains(t, file.String(), "<TrainingCenterDatabase")
	assert.Equal(t, 300, strings.Count(file.String(), "<Trackpoint>"), "every second of 300 s")

	var seen []hexoskin.ImportStatus
	st, err := c.Import(ctx, hexoskin.TCX, bytes.NewReader(file.Bytes()), &hexoskin.ImportOptions{
		PollInterval: time.Millisecond,
		Progress:     func(s hexoskin.ImportStatus) { seen = append(seen, s) },
	})
	require.NoError(t, err)
	assert.Equal(t, "done", st.Status)
	require.GreaterOrEqual(t, len(seen), hexoskintest.ImportSteps)
	assert.Equal(t, "pending", seen[0].Status)
	for i := 1; i < len(seen); i++ {
		assert.GreaterOrEqual(t, seen[i].Progress, seen[i-1].Progress, "progress only grows")
	}
	assert.Equal(t, 1.0, seen[len(seen)-1].Progress)
	posted := srv.Log.Count("POST", "/api/import/")
	assert.Equal(t, 1, posted)

	orig, err := c.Range(ctx, hexoskintest.JogRangeID, nil)
	require.NoError(t, err)
	imported, err := c.Range(ctx, st.Range.Int(), nil)
	require.NoError(t, err)
	assert.Equal(t, orig.Start, imported.Start)
	assert.Equal(t, orig.End, imported.End)
	assert.Equal(t, "jog", imported.Name)
	require.False(t, st.Record.IsZero(), "the file held heart rate")

	// Export the imported record and compare the beats.
	var again bytes.Buffer
	_, err = c.ExportRecord(ctx, st.Record.Int(), hexoskin.TCX, &again)
	require.NoError(t, err)
	assert.Equal(t, heartRates(file.String()), heartRates(again.String()))
}

func heartRates(tcx string) []string {
	var out []string
	for _, part := range strings.Split(tcx, "<HeartRateBpm>")[1:] {
		v := part[strings.Index(part, "<Value>")+7 : strings.Index(part, "</Value>")]
		out = append(out, v)
	}
	return out
}

func TestFITExportAndBinaryImport(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()
	var fit, tcx bytes.Buffer
	_, err := c.ExportRange(ctx, hexoskintest.JogRangeID, hexoskin.FIT, &fit)
	require.NoError(t, err)
	_, err = c.ExportRange(ctx, hexoskintest.JogRangeID, hexoskin.TCX, &tcx)
	require.NoError(t, err)
	b := fit.Bytes()
	require.Greater(t, len(b), 14)
	assert.Equal(t, ".FIT", string(b[8:12]))
	assert.Equal(t, len(b)-16, int(binary.LittleEndian.Uint32(b[4:8])))
	assert.Less(t, fit.Len(), tcx.Len()/5, "FIT holds the GPS moments only")

	st, err := c.Import(ctx, hexoskin.FIT, bytes.NewReader(b), &hexoskin.ImportOptions{Binary: true, PollInterval: time.Millisecond})
	require.NoError(t, err)
	last := srv.Log.Count("POST", "/api/import/")
	assert.Equal(t, 1, last)
	rng, err := c.Range(ctx, st.Range.Int(), nil)
	require.NoError(t, err)
	orig, err := c.Range(ctx, hexoskintest.JogRangeID, nil)
	require.NoError(t, err)
	assert.Equal(t, orig.Start/256, rng.Start/256, "FIT counts whole seconds")

	// A corrupt file is refused with the offset at fault.
	bad := append([]byte(nil), b...)
	bad[20] ^= 0xFF
	_, err = c.Import(ctx, hexoskin.FIT, bytes.NewReader(bad), &hexoskin.ImportOptions{PollInterval: time.Millisecond})
	require.ErrorIs(t, err, wearkit.ErrBadRequest)
	assert.Contains(t, err.Error(), "CRC mismatch at byte")

	_, err = c.Import(ctx, "text/plain", bytes.NewReader(b), nil)
	require.ErrorContains(t, err, "want TCX or FIT")
	_, err = c.ExportRange(ctx, 1, "application/json", &tcx)
	require.ErrorContains(t, err, "want TCX or FIT")
}

func TestImportWaitsNoLongerThanContext(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	var file bytes.Buffer
	_, err := c.ExportRange(context.Background(), hexoskintest.JogRangeID, hexoskin.TCX, &file)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The caller gives up once the upload is accepted; the hour-long wait
	// for the next read ends at once.
	start := time.Now()
	st, err := c.Import(ctx, hexoskin.TCX, &file, &hexoskin.ImportOptions{PollInterval: time.Hour,
		Progress: func(hexoskin.ImportStatus) { cancel() }})
	require.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), time.Minute)
	require.NotNil(t, st)
	assert.Equal(t, "pending", st.Status)
}

func TestExportTrainingRoutine(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	var b bytes.Buffer
	_, err := c.ExportTrainingRoutine(context.Background(), 1011, hexoskin.TCX, &b)
	require.NoError(t, err)
	assert.Contains(t, b.String(), "<Workout Sport=\"Other\">")
	assert.Contains(t, b.String(), "1 Mile Rockport Walk Test")
}

func TestReportsAndEDF(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()
	reps := collect(t, c.Reports(ctx, &hexoskin.ReportListOptions{User: hexoskintest.UserID}))
	require.Len(t, reps, 2)
	r, err := c.Report(ctx, hexoskintest.ReportID)
	require.NoError(t, err)
	assert.Equal(t, "Daily activity", r.Name)
	assert.Equal(t, "ready", r.Status)
	assert.Equal(t, int64(hexoskintest.RecordID), r.Record.Int())

	var edf bytes.Buffer
	q := &hexoskin.DataQuery{Datatypes: []hexoskin.DatatypeID{hexoskin.HeartRate, hexoskin.ECG}, Record: hexoskintest.RecordID,
		Start: hexoskintest.RecordStart, End: hexoskintest.RecordStart + 10*256}
	resp, err := c.DataEDF(ctx, q, &edf)
	require.NoError(t, err)
	assert.Equal(t, hexoskin.EDFMediaType, resp.Header.Get("Content-Type"))
	last, _ := srv.Log.Last()
	assert.Equal(t, hexoskin.EDFMediaType, last.Header.Get("Accept"))
	b := edf.Bytes()
	require.GreaterOrEqual(t, len(b), 256*3)
	num := func(off, n int) int {
		v, err := strconv.Atoi(strings.TrimSpace(string(b[off : off+n])))
		require.NoError(t, err)
		return v
	}
	assert.Equal(t, 256*3, num(184, 8), "header bytes")
	nrec, ns := num(236, 8), num(252, 4)
	assert.Equal(t, 2, ns)
	spr1, spr2 := num(256+ns*216, 8), num(256+ns*216+8, 8)
	assert.Equal(t, []int{1, 256}, []int{spr1, spr2}, "samples per one-second record")
	assert.Equal(t, 256*3+nrec*(spr1+spr2)*2, len(b))

	// The heart rate in EDF is the one the JSON path gives.
	sets, err := c.Data(ctx, &hexoskin.DataQuery{Datatypes: []hexoskin.DatatypeID{hexoskin.HeartRate}, Record: hexoskintest.RecordID,
		Start: hexoskintest.RecordStart, End: hexoskintest.RecordStart + 10*256})
	require.NoError(t, err)
	hr := sets[0].Series[hexoskin.HeartRate]
	first := int16(binary.LittleEndian.Uint16(b[256*3:]))
	assert.Equal(t, hr[0].V, float64(first))

	// RR intervals are events: no EDF.
	_, err = c.DataEDF(ctx, &hexoskin.DataQuery{Datatypes: []hexoskin.DatatypeID{hexoskin.RRInterval}, Record: hexoskintest.RecordID}, &edf)
	require.ErrorIs(t, err, wearkit.ErrBadRequest)
}

func TestSurveys(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()
	sv, err := c.Survey(ctx, hexoskintest.SurveyID)
	require.NoError(t, err)
	require.Len(t, sv.Questions, 3)
	assert.Equal(t, "boolean", sv.Questions[0].Type)
	require.NotNil(t, sv.Questions[1].Max)
	assert.Equal(t, 10.0, *sv.Questions[1].Max)
	assert.Len(t, collect(t, c.Surveys(ctx, &hexoskin.SurveyListOptions{Study: hexoskintest.StudyID})), 1)

	draft, err := c.PostSurveyResponse(ctx, sv.ID, []hexoskin.SurveyAnswer{{Question: 1, Value: false}, {Question: 2, Value: 4}})
	require.NoError(t, err)
	assert.False(t, draft.Submitted)
	require.Len(t, draft.Answers, 2)
	assert.JSONEq(t, "4", string(draft.Answers[1].Value))
	done, err := c.SubmitDraft(ctx, draft.ID)
	require.NoError(t, err)
	assert.True(t, done.Submitted)
	_, err = c.SubmitDraft(ctx, draft.ID)
	require.ErrorIs(t, err, wearkit.ErrBadRequest, "a submitted response is final")

	sub, err := c.SubmitSurveyResponse(ctx, sv.ID, []hexoskin.SurveyAnswer{{Question: 3, Value: "fine"}})
	require.NoError(t, err)
	assert.True(t, sub.Submitted)
	assert.Equal(t, int64(hexoskintest.UserID), sub.User.Int())

	_, err = c.SubmitSurveyResponse(ctx, sv.ID, []hexoskin.SurveyAnswer{{Question: 2, Value: 11}})
	require.ErrorIs(t, err, wearkit.ErrBadRequest)
	assert.Contains(t, err.Error(), "answers[0]: want an integer in 1..10")
	_, err = c.SubmitSurveyResponse(ctx, sv.ID, []hexoskin.SurveyAnswer{{Question: 9, Value: 1}})
	require.ErrorContains(t, err, "no question 9")
	_, err = c.SubmitSurveyResponse(ctx, sv.ID, []hexoskin.SurveyAnswer{{Question: 0, Value: 1}})
	require.ErrorContains(t, err, "answers[0]: bad question id 0")
	_, err = c.SubmitSurveyResponse(ctx, sv.ID, nil)
	require.ErrorContains(t, err, "no answers")
}

func TestUserOperationsAndPermissions(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()
	require.NoError(t, c.RequestUser(ctx, &hexoskin.CreateUserRequest{Email: "new@example.com", FirstName: "New"}))
	require.NoError(t, c.ResetPassword(ctx, "athlete@example.com"))
	require.NoError(t, c.ChangeEmail(ctx, "moved@example.com", hexoskintest.Password))
	err := c.ChangeEmail(ctx, "moved@example.com", "wrong-secret-pw")
	require.ErrorIs(t, err, wearkit.ErrBadRequest)
	assert.NotContains(t, err.Error(), "wrong-secret-pw")
	require.ErrorContains(t, c.ResetPassword(ctx, "not an address"), `email "not an address" is not an address`)
	ops := srv.Operations()
	require.Len(t, ops, 3)
	assert.Equal(t, "createuserrequest", ops[0]["operation"])
	assert.Equal(t, "new@example.com", ops[0]["email"])
	assert.Equal(t, "resetpassword", ops[1]["operation"])
	assert.Equal(t, "changeemail", ops[2]["operation"])

	perms := collect(t, c.BundlePermissions(ctx, nil))
	require.Len(t, perms, 1)
	req, err := c.RequestBundlePermission(ctx, hexoskintest.FriendID, "sleep")
	require.NoError(t, err)
	assert.Equal(t, "pending", req.Status)
	assert.Equal(t, int64(hexoskintest.UserID), req.Requester.Int())
	ans, err := c.AnswerBundlePermissionRequest(ctx, req.ID, true)
	require.NoError(t, err)
	assert.Equal(t, "accepted", ans.Status)
	perms = collect(t, c.BundlePermissions(ctx, nil))
	require.Len(t, perms, 2)
	assert.Equal(t, "sleep", perms[1].Bundle)
	_, err = c.AnswerBundlePermissionRequest(ctx, req.ID, false)
	require.ErrorIs(t, err, wearkit.ErrBadRequest, "answered once")
	require.NoError(t, c.RevokeBundlePermission(ctx, perms[1].ID))
	assert.Len(t, collect(t, c.BundlePermissions(ctx, nil)), 1)
	assert.Len(t, collect(t, c.BundlePermissionRequests(ctx, nil)), 1)
}

func TestOAuth2ClientAndTokens(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()
	cl, err := c.OAuth2ClientInfo(ctx, hexoskintest.ClientID)
	require.NoError(t, err)
	assert.Equal(t, []string{"https://app.example.com/callback"}, cl.RedirectURIs)
	cl, err = c.SetRedirectURIs(ctx, hexoskintest.ClientID, []string{"https://a.example.com/cb", "http://localhost:8080/cb"})
	require.NoError(t, err)
	assert.Equal(t, []string{"https://a.example.com/cb", "http://localhost:8080/cb"}, cl.RedirectURIs)
	last, _ := srv.Log.Last()
	assert.Equal(t, "PATCH", last.Method)
	assert.JSONEq(t, `{"redirect_uris":["https://a.example.com/cb","http://localhost:8080/cb"]}`, string(last.Body))
	_, err = c.SetRedirectURIs(ctx, hexoskintest.ClientID, []string{"https://ok.example.com/", "/relative"})
	require.ErrorContains(t, err, `uris[1]: "/relative" is not an absolute http(s) URL`)
	// The fake refuses it too.
	err = c.Do(ctx, &wearkit.Request{Method: "PATCH", Path: "api/oauth2client/" + hexoskintest.ClientID + "/", Body: map[string]any{"redirect_uris": []string{"ftp://x"}}}, nil)
	require.ErrorIs(t, err, wearkit.ErrBadRequest)

	toks := collect(t, c.OAuth2Tokens(ctx, nil))
	require.Len(t, toks, 1)
	assert.Equal(t, "readwrite", toks[0].Scope)
	assert.Equal(t, hexoskintest.ClientID, toks[0].Client.ID())
	assert.Equal(t, 2030, toks[0].Expires.Year())
}

// Tastypie answers 204 without a Content-Type: the client takes it.
func TestNoContentWithoutContentType(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()
	srv.Faults.Push(wearkittest.Fault{Status: http.StatusNoContent})
	var out map[string]any
	require.NoError(t, c.Do(ctx, &wearkit.Request{Method: "PATCH", Path: "api/annotation/61353/", Body: map[string]string{"annotation": "x"}}, &out))
	assert.Nil(t, out)
	srv.Faults.Push(wearkittest.Fault{Status: http.StatusNoContent})
	a, err := c.UpdateAnnotation(ctx, hexoskintest.AnnotationID, &hexoskin.AnnotationPatch{})
	require.NoError(t, err)
	assert.Zero(t, a.ID)
	require.NoError(t, c.DeleteAnnotation(ctx, hexoskintest.AnnotationID))
	last, _ := srv.Log.Last()
	assert.Equal(t, "DELETE", last.Method)
}
