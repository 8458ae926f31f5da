package hexoskin_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/hexoskin"
	"github.com/wearkit/wearkit/hexoskin/hexoskintest"
	"github.com/wearkit/wearkit/internal/rest"
	"github.com/wearkit/wearkit/wearkittest"
)

// expandWithin runs p.Expand and fails the test instead of hanging when
// it does not come back within d.
func expandWithin(t *testing.T, d time.Duration, p hexoskin.Planning, start, until hexoskin.Date) ([]hexoskin.CalendarEvent, error) {
	t.Helper()
	type result struct {
		evs []hexoskin.CalendarEvent
		err error
	}
	ch := make(chan result, 1)
	go func() {
		evs, err := p.Expand(start, until)
		ch <- result{evs, err}
	}()
	select {
	case r := <-ch:
		return r.evs, r.err
	case <-time.After(d):
		t.Fatalf("Expand did not return within %v", d)
		return nil, nil
	}
}

// A frequency or a count so large that their product overflows, and a
// negative frequency (a Duration built in code, not parsed), passed
// Validate: P(2^62)D x 4 expanded to four events on the same day, and
// P-1D up to an end date never returned (and grew without bound); a huge
// days_offset wrapped round to a day before the start.
func TestPlanningValidateRefusesNegativeAndOverflowingSchedules(t *testing.T) {
	start := hexoskin.NewDate(2020, 1, 1)
	for _, tc := range []struct {
		e    hexoskin.EventSchedule
		want string
	}{
		{hexoskin.EventSchedule{RepeatFrequency: hexoskin.Duration{Days: math.MaxInt >> 1}, RepeatCount: 4}, "repeat_frequency"},
		{hexoskin.EventSchedule{RepeatFrequency: hexoskin.Duration{Months: math.MaxInt >> 2}, RepeatCount: 8}, "repeat_frequency"},
		{hexoskin.EventSchedule{RepeatFrequency: hexoskin.Duration{Days: 4}, RepeatCount: math.MaxInt >> 1}, "runs past 5 years"},
		{hexoskin.EventSchedule{RepeatFrequency: hexoskin.Duration{Weeks: 1}, RepeatPeriod: math.MaxInt >> 3}, "runs past 5 years"},
		{hexoskin.EventSchedule{RepeatFrequency: hexoskin.Duration{Days: -1}, RepeatCount: 3}, "repeat_frequency"},
		{hexoskin.EventSchedule{RepeatFrequency: hexoskin.Duration{Months: 1, Days: -30}, RepeatCount: 3}, "repeat_frequency"},
		{hexoskin.EventSchedule{RepeatFrequency: hexoskin.Duration{Days: -1},
			StartDate: hexoskin.NewDate(2020, 1, 10), EndDate: hexoskin.NewDate(2020, 2, 1)}, "repeat_frequency"},
		{hexoskin.EventSchedule{RepeatFrequency: hexoskin.Duration{Days: 1}, RepeatCount: 2, DaysOffset: math.MaxInt >> 1}, "days_offset"},
		// This one dated its events on 2019-12-31 and 2020-01-01, before the start.
		{hexoskin.EventSchedule{RepeatFrequency: hexoskin.Duration{Days: 1}, RepeatCount: 2, DaysOffset: math.MaxInt}, "days_offset"},
	} {
		err := tc.e.Validate()
		require.Error(t, err, "%+v", tc.e)
		assert.Contains(t, err.Error(), tc.want, "%+v", tc.e)
		_, err = expandWithin(t, 5*time.Second, hexoskin.Planning{{Name: "x", EventSchedule: tc.e}}, start, hexoskin.Date{})
		require.Error(t, err, "Expand refuses what Validate refuses: %+v", tc.e)
	}
	// The same from JSON, as the fake (and the API) would receive it.
	for _, js := range []string{`{"repeat_frequency": "P4611686018427387904D", "repeat_count": 4}`, `{"repeat_frequency": "P999999999D", "repeat_count": 4}`} {
		var e hexoskin.EventSchedule
		err := e.UnmarshalJSON([]byte(js))
		if err == nil {
			err = e.Validate()
		}
		require.Error(t, err, js)
	}
}

// ChangeEmail's doc promises the password never reaches an error, but it
// travels in a JSON body, which the engine does not know holds a secret:
// a server (or proxy) echoing the body in a 400 put it in the error's
// text and Body, raw and JSON-escaped.
func TestChangeEmailPasswordNeverInTheError(t *testing.T) {
	const pw = `pa"ss-5ecret/word`
	srv := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		wearkittest.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": "bad request: " + string(b), "raw": pw})
	}))
	c, err := hexoskin.New(hexoskin.WithBaseURL(srv.URL), hexoskin.WithAPIKey("pub", "priv"), hexoskin.WithRetry(1, 0, 0))
	require.NoError(t, err)
	err = c.ChangeEmail(context.Background(), "moved@example.com", pw)
	require.ErrorIs(t, err, wearkit.ErrBadRequest)
	var we *wearkit.Error
	require.ErrorAs(t, err, &we, "the error keeps its type")
	escaped, _ := json.Marshal(pw)
	for _, text := range []string{err.Error(), string(we.Body), we.Message, we.Code} {
		assert.NotContains(t, text, pw)
		assert.NotContains(t, text, string(escaped[1:len(escaped)-1]))
	}
}

// A token endpoint that echoes what it was sent (the client id and secret
// of the Basic header, the form's username, password and refresh token) in
// its error. PasswordTokenSource handed oauth2's error back as it was, and
// StoredTokenSource's refresh scrubbed only the tokens it knew, so the
// client secret and the password leaked.
func TestOAuth2ErrorsNeverCarryThePasswordOrClientSecret(t *testing.T) {
	const (
		secret   = "client-5ecret-value"
		password = "user-pa55word-value"
		refresh  = "refresh-token-value"
	)
	srv := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		id, sec, _ := r.BasicAuth()
		if r.PostForm.Get("username") == "good" {
			// A token that is stale at once, so the next Token refreshes.
			wearkittest.WriteJSON(w, http.StatusOK, map[string]any{"access_token": "access-value", "token_type": "Bearer", "refresh_token": refresh, "expires_in": 1})
			return
		}
		wearkittest.WriteJSON(w, http.StatusBadRequest, map[string]string{
			"error":             "invalid_grant",
			"error_description": "client " + id + ":" + sec + " user " + r.PostForm.Get("username") + " password " + r.PostForm.Get("password") + " refresh " + r.PostForm.Get("refresh_token"),
		})
	}))
	cfg := hexoskin.OAuth2Config(srv.URL, "client-id", secret, "https://app.example.com/cb")
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, srv.Client())

	check := func(where string, err error) {
		t.Helper()
		require.Error(t, err, where)
		assert.True(t, strings.HasPrefix(err.Error(), "hexoskin: "), "%s: %s", where, err)
		for e := error(err); e != nil; e = errors.Unwrap(e) {
			for _, s := range []string{secret, password, refresh} {
				assert.NotContains(t, e.Error(), s, where)
			}
			var re *oauth2.RetrieveError
			if errors.As(e, &re) {
				for _, s := range []string{secret, password, refresh} {
					assert.NotContains(t, string(re.Body), s, where)
					assert.NotContains(t, re.ErrorDescription, s, where)
				}
			}
		}
	}

	_, err := hexoskin.PasswordTokenSource(ctx, cfg, "athlete", password)
	check("password grant", err)
	pts, err := hexoskin.PasswordTokenSource(ctx, cfg, "good", password)
	require.NoError(t, err)
	_, err = pts.Token()
	check("refresh after a password grant", err)

	store := wearkit.NewMemoryTokenStore(&oauth2.Token{AccessToken: "old-access-value", RefreshToken: refresh, Expiry: time.Now().Add(-time.Hour)})
	ts, err := hexoskin.StoredTokenSource(ctx, cfg, store)
	require.NoError(t, err)
	_, err = ts.Token()
	require.Error(t, err)
	for e := error(err); e != nil; e = errors.Unwrap(e) {
		assert.NotContains(t, e.Error(), secret, "refresh")
		assert.NotContains(t, e.Error(), refresh, "refresh")
	}
}

// A monthly schedule starting on the 31st: AddDate's overflow (January 31
// plus one month is March 2) gave no event in February or April and two
// in May. Month and year steps keep the day, or the month's last day when
// it has fewer (the ISO 8601 libraries' rule), counted from the first day
// so the 31st comes back in months that have one.
func TestPlanningMonthlyFromAMonthEndHasOneEventAMonth(t *testing.T) {
	monthly := hexoskin.Planning{{Name: "monthly", EventSchedule: hexoskin.EventSchedule{
		RepeatFrequency: hexoskin.Duration{Months: 1}, RepeatCount: 12}}}
	evs, err := monthly.Expand(hexoskin.NewDate(2020, 1, 31), hexoskin.Date{})
	require.NoError(t, err)
	assert.Equal(t, []string{"2020-01-31", "2020-02-29", "2020-03-31", "2020-04-30", "2020-05-31", "2020-06-30",
		"2020-07-31", "2020-08-31", "2020-09-30", "2020-10-31", "2020-11-30", "2020-12-31"}, dates(t, evs))

	yearly := hexoskin.Planning{{Name: "yearly", EventSchedule: hexoskin.EventSchedule{
		RepeatFrequency: hexoskin.Duration{Years: 1}, RepeatCount: 5}}}
	evs, err = yearly.Expand(hexoskin.NewDate(2020, 2, 29), hexoskin.Date{})
	require.NoError(t, err)
	assert.Equal(t, []string{"2020-02-29", "2021-02-28", "2022-02-28", "2023-02-28", "2024-02-29"}, dates(t, evs))

	// by_month_day over month-long periods from the 31st still lists each
	// selected day once.
	mid := hexoskin.Planning{{Name: "mid", EventSchedule: hexoskin.EventSchedule{
		RepeatFrequency: hexoskin.Duration{Months: 1}, RepeatCount: 3, ByMonthDay: []int{1, 30}}}}
	evs, err = mid.Expand(hexoskin.NewDate(2021, 1, 31), hexoskin.Date{})
	require.NoError(t, err)
	assert.Equal(t, []string{"2021-02-01", "2021-03-01", "2021-03-30", "2021-04-01"}, dates(t, evs), "the third period ends on April 30, excluded")
}

// StudyPatch's doc says nil fields are left alone, but an empty (non-nil)
// planning or admin list was left out of the body too, so a study's
// planning or admins could never be cleared.
func TestUpdateStudyClearsPlanningAndAdmins(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()
	st, err := c.Study(ctx, hexoskintest.StudyID)
	require.NoError(t, err)
	require.NotEmpty(t, st.Planning)
	require.NotEmpty(t, st.Admins)

	name := "renamed"
	kept, err := c.UpdateStudy(ctx, hexoskintest.StudyID, &hexoskin.StudyPatch{Name: &name})
	require.NoError(t, err)
	assert.Len(t, kept.Planning, len(st.Planning), "a nil planning is left alone")
	assert.Len(t, kept.Admins, len(st.Admins), "nil admins are left alone")

	cleared, err := c.UpdateStudy(ctx, hexoskintest.StudyID, &hexoskin.StudyPatch{Planning: hexoskin.Planning{}, Admins: []hexoskin.Ref{}})
	require.NoError(t, err)
	assert.Empty(t, cleared.Planning)
	assert.Empty(t, cleared.Admins)
	again, err := c.Study(ctx, hexoskintest.StudyID)
	require.NoError(t, err)
	assert.Empty(t, again.Planning)
	assert.Empty(t, again.Admins)
	assert.Equal(t, "renamed", again.Name)
}

// Every write (POST, PATCH) collected its 2xx answer without bound before
// decoding it, where a read stops at the engine's 64 MiB with
// wearkit.ErrTooLarge: a huge answer to CreateStudy was taken whole.
func TestWriteAnswersAreBoundedLikeReads(t *testing.T) {
	chunk := []byte(strings.Repeat("a", 32<<10))
	var size int64 = rest.DefaultMaxResponseSize + 1<<20
	srv := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"id": 1, "name": "`)
		for n := int64(0); n < size; n += int64(len(chunk)) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
		_, _ = io.WriteString(w, `"}`)
	}))
	c, err := hexoskin.New(hexoskin.WithBaseURL(srv.URL), hexoskin.WithAPIKey("pub", "priv"), hexoskin.WithRetry(1, 0, 0))
	require.NoError(t, err)
	// (A read of the same answer, c.Study, fails so in the engine.)
	_, err = c.CreateStudy(context.Background(), &hexoskin.StudyCreate{Name: "big"})
	require.ErrorIs(t, err, wearkit.ErrTooLarge, "a write")
}

// Tastypie answers a POST with 201, a Location header and no body unless
// the resource always returns data (the package's own write helper says
// so); Import then failed with "no resource_uri to follow" although the
// Location named the progress resource.
func TestImportFollowsLocationWhenTheAnswerHasNoBody(t *testing.T) {
	srv := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/api/import/":
			w.Header().Set("Location", "http://"+r.Host+"/api/import/7/")
			w.WriteHeader(http.StatusCreated)
		case r.Method == http.MethodGet && r.URL.Path == "/api/import/7/":
			wearkittest.WriteJSON(w, http.StatusOK, map[string]any{"id": 7, "status": "done", "progress": 1,
				"range": "/api/range/5/", "record": nil, "resource_uri": "/api/import/7/"})
		default:
			http.NotFound(w, r)
		}
	}))
	c, err := hexoskin.New(hexoskin.WithBaseURL(srv.URL), hexoskin.WithAPIKey("pub", "priv"), hexoskin.WithRetry(1, 0, 0))
	require.NoError(t, err)
	var seen []float64
	st, err := c.Import(context.Background(), hexoskin.TCX, strings.NewReader("<TrainingCenterDatabase/>"),
		&hexoskin.ImportOptions{PollInterval: time.Millisecond, Progress: func(s hexoskin.ImportStatus) { seen = append(seen, s.Progress) }})
	require.NoError(t, err)
	assert.Equal(t, "done", st.Status)
	assert.Equal(t, int64(5), st.Range.Int())
	require.NotEmpty(t, seen)
	assert.Equal(t, 1.0, seen[len(seen)-1], "the last progress call is the finished one")
}

// DataEDF with a nil writer sent the request and threw the EDF away with
// no error (the exports refuse a nil writer before sending).
func TestDataEDFNilWriterIsRefusedBeforeSending(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	q := &hexoskin.DataQuery{Datatypes: []hexoskin.DatatypeID{hexoskin.HeartRate}, Record: hexoskintest.RecordID,
		Start: hexoskintest.RecordStart, End: hexoskintest.RecordStart + 10*256}
	_, err := c.DataEDF(context.Background(), q, nil)
	require.ErrorContains(t, err, "nil writer")
	assert.Equal(t, 0, srv.Log.Len(), "nothing was sent")
}

// A server that ignores the Accept header answers 200 with JSON; the
// exports and DataEDF wrote that JSON into the caller's .tcx, .fit or .edf
// file and reported success.
func TestExportsRefuseAJSONAnswer(t *testing.T) {
	srv := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wearkittest.WriteJSON(w, http.StatusOK, []map[string]any{{"data": map[string]any{"19": [][]int64{{1, 60}}}}})
	}))
	c, err := hexoskin.New(hexoskin.WithBaseURL(srv.URL), hexoskin.WithAPIKey("pub", "priv"), hexoskin.WithRetry(1, 0, 0))
	require.NoError(t, err)
	ctx := context.Background()
	var out bytes.Buffer
	_, err = c.DataEDF(ctx, &hexoskin.DataQuery{Datatypes: []hexoskin.DatatypeID{hexoskin.HeartRate}, Record: 1}, &out)
	require.ErrorContains(t, err, "application/json")
	assert.Zero(t, out.Len(), "nothing written")
	for _, f := range []hexoskin.ExchangeFormat{hexoskin.TCX, hexoskin.FIT} {
		out.Reset()
		n, err := c.ExportRange(ctx, 1, f, &out)
		require.ErrorContains(t, err, "application/json", f)
		assert.Zero(t, n, f)
		assert.Zero(t, out.Len(), f)
	}
}

// An answer value JSON cannot hold (NaN, a func) was refused only by the
// engine's body encoding, whose error names no answer: "encoding body:
// json: unsupported value: NaN".
func TestSurveyAnswerValueErrorNamesTheAnswer(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()
	_, err := c.SubmitSurveyResponse(ctx, hexoskintest.SurveyID, []hexoskin.SurveyAnswer{{Question: 1, Value: true}, {Question: 2, Value: math.NaN()}})
	require.ErrorContains(t, err, "answers[1].value")
	_, err = c.PostSurveyResponse(ctx, hexoskintest.SurveyID, []hexoskin.SurveyAnswer{{Question: 3, Value: func() {}}})
	require.ErrorContains(t, err, "answers[0].value")
	assert.Equal(t, 0, srv.Log.Len(), "nothing was sent")
}

// A planning entry that runs "until the study end" (no count, period or
// end date) in a study created without an end date: the fake accepted
// both, then answered the subject's calendar with 500. With no study end
// the schedule runs to the 5-year limit.
func TestFakeCalendarOfAStudyWithoutEndDate(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()
	st, err := c.CreateStudy(ctx, &hexoskin.StudyCreate{Name: "open", UUID: "open", Planning: hexoskin.Planning{
		{Name: "daily", EventSchedule: hexoskin.EventSchedule{RepeatFrequency: hexoskin.Duration{Days: 1}, ResourceURI: "/api/survey/3/"}}}})
	require.NoError(t, err)
	sub, err := c.AddSubject(ctx, &hexoskin.SubjectCreate{Study: hexoskin.RefTo("study", st.ID), SubjectID: "s1", StartDate: hexoskin.NewDate(2021, 3, 1)})
	require.NoError(t, err)
	evs := collect(t, c.Calendar(ctx, &hexoskin.CalendarListOptions{User: sub.User.Int()}))
	require.NotEmpty(t, evs)
	assert.Equal(t, "2021-03-01", evs[0].EventSchedule.Date.String())
	assert.Equal(t, "2026-03-01", evs[len(evs)-1].EventSchedule.Date.String(), "5 years on")
	// Expand took a study end on or past the 5-year cap for no end at all
	// ("runs until the study ends: give the study's end date").
	for _, until := range []hexoskin.Date{hexoskin.NewDate(2026, 3, 1), hexoskin.NewDate(2030, 1, 1)} {
		preview, err := st.Planning.Expand(hexoskin.NewDate(2021, 3, 1), until)
		require.NoError(t, err, until)
		assert.Len(t, evs, len(preview), until)
	}
}

// The pages: "P1M" with a repeat_period of 61 exceeds the 5-year limit.
// With a repeat_count also set, only the count was checked, so
// repeat_period 61 passed.
func TestPlanningRepeatPeriodPastFiveYearsRefusedBesideACount(t *testing.T) {
	e := hexoskin.EventSchedule{RepeatFrequency: hexoskin.Duration{Months: 1}, RepeatCount: 2, RepeatPeriod: 61}
	require.ErrorContains(t, e.Validate(), "repeat_period")
	e = hexoskin.EventSchedule{RepeatFrequency: hexoskin.Duration{Months: 1}, RepeatCount: 61, RepeatPeriod: 2}
	require.ErrorContains(t, e.Validate(), "repeat_count")
	e = hexoskin.EventSchedule{RepeatFrequency: hexoskin.Duration{Months: 1}, RepeatCount: 60, RepeatPeriod: 60}
	require.NoError(t, e.Validate())
}

// A duration number too long for an int was built one byte at a time
// (quadratic in its length) and refused by strconv with the whole number
// quoted twice in the error; it is refused at the byte where it becomes
// too long.
func TestParseDurationRefusesAHugeNumberAtItsByte(t *testing.T) {
	s := "P" + strings.Repeat("9", 200) + "D"
	_, err := hexoskin.ParseDuration(s)
	require.ErrorContains(t, err, "at byte 1")
	assert.Less(t, len(err.Error()), 120, err.Error())
	d, err := hexoskin.ParseDuration("P007D")
	require.NoError(t, err)
	assert.Equal(t, 7, d.Days)
}

// A count written as a string that holds no integer failed with a bare
// encoding/json error ("json: error calling MarshalJSON for type
// json.RawMessage: ...") naming neither the package nor the property;
// and a schedule with both spellings of one property (repeat_count and
// repeatCount) decoded to either value, by map order.
func TestEventScheduleDecodeErrorsNameThePropertyAndSpellingsAreStable(t *testing.T) {
	for _, js := range []string{`{"repeat_count": ""}`, `{"repeatCount": "abc"}`, `{"days_offset": "1.5"}`} {
		var e hexoskin.EventSchedule
		err := json.Unmarshal([]byte(js), &e)
		require.Error(t, err, js)
		assert.True(t, strings.HasPrefix(err.Error(), "hexoskin: event_schedule"), err.Error())
		assert.Regexp(t, `repeat_count|days_offset`, err.Error())
	}
	for range 50 {
		var e hexoskin.EventSchedule
		require.NoError(t, json.Unmarshal([]byte(`{"repeat_count": 2, "repeatCount": 5, "byDay": [3], "by_week_day": [1]}`), &e))
		require.Equal(t, 2, e.RepeatCount, "the table's name wins")
		require.Equal(t, []int{1}, e.ByWeekDay, "the table's name wins")
	}
}

// A client id of "." or ".." is a dot segment: the URL resolved
// api/oauth2client/../ to api/, so OAuth2ClientInfo read the resource
// index and SetRedirectURIs PATCHed it, instead of refusing the id (and
// Device, the other string id, alike).
func TestOAuth2ClientIDDotSegmentsRefused(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()
	for _, id := range []string{".", ".."} {
		_, err := c.OAuth2ClientInfo(ctx, id)
		require.ErrorContains(t, err, "client id", id)
		_, err = c.SetRedirectURIs(ctx, id, []string{"https://app.example.com/cb"})
		require.ErrorContains(t, err, "client id", id)
		_, err = c.Device(ctx, id)
		require.ErrorContains(t, err, "Device: id", id)
	}
	assert.Equal(t, 0, srv.Log.Len(), "nothing was sent")
	got, err := c.OAuth2ClientInfo(ctx, hexoskintest.ClientID)
	require.NoError(t, err)
	assert.Equal(t, hexoskintest.ClientID, got.ID)
}

// edfPhysical reads an EDF (one-second records) and returns each signal's
// physical values as an EDF reader computes them from the header:
// pmin + (d - dmin) * (pmax - pmin) / (dmax - dmin).
func edfPhysical(t *testing.T, b []byte) [][]float64 {
	t.Helper()
	num := func(off, n int) float64 {
		v, err := strconv.ParseFloat(strings.TrimSpace(string(b[off:off+n])), 64)
		require.NoError(t, err, "EDF field at byte %d: %q", off, b[off:off+n])
		return v
	}
	ns := int(num(252, 4))
	nrec := int(num(236, 8))
	base := 256
	field := func(start, width, i int) float64 { return num(base+start*ns+width*i, width) }
	// Offsets, in units of ns bytes, of the per-signal fields.
	const pminAt, pmaxAt, dminAt, dmaxAt, nsampAt = 16 + 80 + 8, 16 + 80 + 8 + 8, 16 + 80 + 8 + 16, 16 + 80 + 8 + 24, 16 + 80 + 8 + 32 + 80
	out := make([][]float64, ns)
	off := 256 * (ns + 1)
	for r := 0; r < nrec; r++ {
		for i := 0; i < ns; i++ {
			pmin, pmax, dmin, dmax := field(pminAt, 8, i), field(pmaxAt, 8, i), field(dminAt, 8, i), field(dmaxAt, 8, i)
			for j := 0; j < int(field(nsampAt, 8, i)); j++ {
				d := float64(int16(binary.LittleEndian.Uint16(b[off:])))
				off += 2
				out[i] = append(out[i], pmin+(d-dmin)*(pmax-pmin)/(dmax-dmin))
			}
		}
	}
	return out
}

// The fake's EDF header wrote ECG's physical minimum -32768 x 0.0064 =
// -209.7152 into 8 characters as -209.715, so an EDF reader's ECG was
// off from the JSON path's by up to 0.006 mV (a scale and an offset
// error); the header must give the same physical values as the data
// path.
func TestFakeEDFGivesTheDataPathsValues(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()
	ids := []hexoskin.DatatypeID{hexoskin.ECG, hexoskin.AccelerationX, hexoskin.HeartRate, hexoskin.MinuteVentilation}
	start := hexoskin.Timestamp((hexoskintest.RecordStart + 255) / 256 * 256) // EDF records start on whole seconds
	q := &hexoskin.DataQuery{Datatypes: ids, Record: hexoskintest.RecordID, Start: start, End: start + 3*256}
	var edf bytes.Buffer
	_, err := c.DataEDF(ctx, q, &edf)
	require.NoError(t, err)
	phys := edfPhysical(t, edf.Bytes())
	require.Len(t, phys, len(ids))
	sets, err := c.Data(ctx, q)
	require.NoError(t, err)
	for i, id := range ids {
		s := sets[0].Series[id]
		require.NotEmpty(t, s, id)
		n := min(len(s), len(phys[i]))
		require.Greater(t, n, 0, id)
		for j := 0; j < n; j++ {
			require.InDelta(t, s[j].V, phys[i][j], 1e-9*max(1, math.Abs(s[j].V))+1e-6, "datatype %v sample %d", id, j)
		}
	}
}

// Import uploaded whatever it was given: a truncated FIT file, an HTML
// page called TCX, a TCX file called FIT. A file that cannot be of its
// format is refused before sending, naming the byte or element at fault.
func TestImportRefusesAFileThatIsNotOfItsFormat(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()
	var fit, tcx bytes.Buffer
	_, err := c.ExportRange(ctx, hexoskintest.JogRangeID, hexoskin.FIT, &fit)
	require.NoError(t, err)
	_, err = c.ExportRange(ctx, hexoskintest.JogRangeID, hexoskin.TCX, &tcx)
	require.NoError(t, err)
	sent := srv.Log.Len()
	for _, tc := range []struct {
		f    hexoskin.ExchangeFormat
		file []byte
		want string
	}{
		{hexoskin.FIT, fit.Bytes()[:fit.Len()-10], "byte 4"},
		{hexoskin.FIT, fit.Bytes()[:10], "12"},
		{hexoskin.FIT, tcx.Bytes(), "byte 0"},
		{hexoskin.TCX, []byte("<!DOCTYPE html><html><body>login</body></html>"), "<html>"},
		{hexoskin.TCX, []byte("<TrainingCenterDatabase"), "TCX"},
		{hexoskin.TCX, fit.Bytes(), "TCX"},
	} {
		_, err := c.Import(ctx, tc.f, bytes.NewReader(tc.file), &hexoskin.ImportOptions{Binary: true, PollInterval: time.Millisecond})
		require.ErrorContains(t, err, tc.want, "%s %q", tc.f, tc.file[:min(len(tc.file), 20)])
	}
	assert.Equal(t, sent, srv.Log.Len(), "nothing was sent")
}

// The fake stored whatever a write named: a study PATCHed with
// "groups": "x" was accepted, and the next group created in it made the
// fake panic (the connection dropped, the client retried and failed). A
// uuid with an underscore, refused at creation, passed in a PATCH. The
// fields the fake maintains itself are read-only: Tastypie's hydration
// skips them.
func TestFakeStudyReadOnlyFieldsAndUUIDRule(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()
	before, err := c.Study(ctx, hexoskintest.StudyID)
	require.NoError(t, err)
	for _, body := range []map[string]any{{"groups": "x"}, {"subjects": nil}, {"owner": "/api/user/9/"}} {
		require.NoError(t, c.Do(ctx, &wearkit.Request{Method: "PATCH", Path: "api/study/1/", Body: body}, nil), "%v", body)
	}
	err = c.Do(ctx, &wearkit.Request{Method: "PATCH", Path: "api/study/1/", Body: map[string]any{"uuid": "a_b"}}, nil)
	require.ErrorIs(t, err, wearkit.ErrBadRequest, "uuid with an underscore")
	require.NoError(t, c.Do(ctx, &wearkit.Request{Method: "PATCH", Path: "api/studysubject/21/", Body: map[string]any{"username": "other_x"}}, nil))
	g, err := c.CreateStudyGroup(ctx, &hexoskin.StudyGroupCreate{Study: hexoskin.RefTo("study", hexoskintest.StudyID), Name: "C"})
	require.NoError(t, err)
	st, err := c.Study(ctx, hexoskintest.StudyID)
	require.NoError(t, err)
	assert.Equal(t, append(before.Groups, hexoskin.RefTo("studygroup", g.ID)), st.Groups)
	assert.Equal(t, before.Subjects, st.Subjects)
	assert.Equal(t, before.Owner, st.Owner)
	assert.Equal(t, hexoskintest.StudyUUID, st.UUID)
	subs := collect(t, c.Subjects(ctx, &hexoskin.SubjectListOptions{Study: hexoskintest.StudyID}))
	require.NotEmpty(t, subs)
	assert.Equal(t, "test_sub001", subs[0].Username)
}

// The pages: "Both Range and Training Routine export/import are
// supported." A training routine exported as TCX (a Workouts file) came
// back from the fake's import as 400 "TCX: no activity".
func TestTrainingRoutineTCXRoundTrip(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()
	var file bytes.Buffer
	_, err := c.ExportTrainingRoutine(ctx, 1011, hexoskin.TCX, &file)
	require.NoError(t, err)
	require.Contains(t, file.String(), "<Workouts>")
	st, err := c.Import(ctx, hexoskin.TCX, bytes.NewReader(file.Bytes()), &hexoskin.ImportOptions{PollInterval: time.Millisecond})
	require.NoError(t, err)
	assert.Equal(t, "done", st.Status)
	require.False(t, st.TrainingRoutine.IsZero(), "the import names the routine it created")
	assert.True(t, st.Range.IsZero(), "a workout is no activity: no range")
	assert.True(t, st.Record.IsZero())
	tr, err := c.TrainingRoutine(ctx, st.TrainingRoutine.Int())
	require.NoError(t, err)
	assert.Equal(t, "1 Mile Rockport Walk Test", tr.Name)
}

// The same for FIT: the fake wrote a training routine as an activity file
// whose lap started at time 0 (before FIT's 1989 epoch, wrapped round), and
// its import made a range of that nonsense span instead of a routine.
func TestTrainingRoutineFITRoundTrip(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()
	var file bytes.Buffer
	_, err := c.ExportTrainingRoutine(ctx, 1011, hexoskin.FIT, &file)
	require.NoError(t, err)
	st, err := c.Import(ctx, hexoskin.FIT, bytes.NewReader(file.Bytes()), &hexoskin.ImportOptions{Binary: true, PollInterval: time.Millisecond})
	require.NoError(t, err)
	assert.True(t, st.Range.IsZero(), "a workout is no activity: no range")
	require.False(t, st.TrainingRoutine.IsZero())
	tr, err := c.TrainingRoutine(ctx, st.TrainingRoutine.Int())
	require.NoError(t, err)
	assert.Equal(t, "1 Mile Rockport Walk Test", tr.Name)
}

// The password straddles the engine's 4 KiB cut of an error body: scrubbed
// after the cut (as it was before the engine knew the password), its first
// half stayed in the error. Named to the engine (wearkit.Request.Secrets),
// it is scrubbed before the cut.
func TestChangeEmailPasswordAcrossTheBodyCut(t *testing.T) {
	const pw = "straddling-pa55word-value"
	srv := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusBadRequest)
		// The cut is at 4096 bytes: the password starts 10 bytes before.
		_, _ = io.WriteString(w, strings.Repeat("x", 4096-10)+pw+strings.Repeat("y", 100))
	}))
	c, err := hexoskin.New(hexoskin.WithBaseURL(srv.URL), hexoskin.WithAPIKey("pub", "priv"), hexoskin.WithRetry(1, 0, 0))
	require.NoError(t, err)
	err = c.ChangeEmail(context.Background(), "moved@example.com", pw)
	require.ErrorIs(t, err, wearkit.ErrBadRequest)
	var we *wearkit.Error
	require.ErrorAs(t, err, &we)
	for _, text := range []string{err.Error(), string(we.Body), we.Message} {
		assert.NotContains(t, text, pw[:10], "the password's head")
	}
}
