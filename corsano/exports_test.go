package corsano_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/corsano"
	"github.com/wearkit/wearkit/corsano/corsanotest"
	"github.com/wearkit/wearkit/wearkittest"
)

var lastHour = corsano.ExportRequest{From: t0.Add(-time.Hour), To: t0, Types: []string{"ppg1", "activity"}}

func TestExportTwentyGoroutinesOneCreate(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var ok []*corsano.Export
	var refused []error
	start := make(chan struct{})
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			e, err := f.c.CreateExport(ctx, corsanotest.ExamplePatient, lastHour)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				refused = append(refused, err)
				return
			}
			ok = append(ok, e)
		}()
	}
	close(start)
	wg.Wait()
	require.Len(t, ok, 1)
	assert.NotEmpty(t, ok[0].ID)
	assert.Equal(t, corsano.ExportInProgress, ok[0].Status)
	require.Len(t, refused, 19)
	for _, err := range refused {
		requireNoSecret(t, f.srv, err)
		require.ErrorIs(t, err, corsano.ErrExportCooldown)
		require.ErrorIs(t, err, wearkit.ErrRateLimited)
		var ce *corsano.CooldownError
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, corsanotest.ExamplePatient, ce.UUID)
		assert.False(t, ce.Next.Before(t0.Add(corsano.ExportCooldown)), "next allowed %v", ce.Next)
	}
	assert.Equal(t, 1, f.srv.Creates(corsanotest.ExamplePatient), "exactly one create-export reached the server")
}

func TestExportCooldownFourAndFiveMinutes(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	_, err := f.c.CreateExport(ctx, corsanotest.ExamplePatient, lastHour)
	require.NoError(t, err)

	f.clock.Advance(4 * time.Minute)
	_, err = f.c.CreateExport(ctx, corsanotest.ExamplePatient, lastHour)
	require.ErrorIs(t, err, corsano.ErrExportCooldown)
	var ce *corsano.CooldownError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, t0.Add(5*time.Minute), ce.Next.In(t0.Location()))
	assert.Equal(t, time.Minute, ce.Wait)
	assert.Contains(t, err.Error(), "next is allowed at "+t0.Add(5*time.Minute).Format(time.RFC3339))
	assert.Equal(t, 1, f.srv.Creates(corsanotest.ExamplePatient), "refused client-side")

	// Another patient is not held back.
	_, err = f.c.CreateExport(ctx, corsanotest.SecondPatient, lastHour)
	require.NoError(t, err)

	f.clock.Advance(time.Minute)
	e, err := f.c.CreateExport(ctx, corsanotest.ExamplePatient, lastHour)
	require.NoError(t, err)
	assert.NotEmpty(t, e.ID)
	assert.Equal(t, 2, f.srv.Creates(corsanotest.ExamplePatient))
}

func TestExportCooldownAfterFailureThatReachedServer(t *testing.T) {
	for name, fault := range map[string]wearkittest.Fault{
		"500":   {Status: http.StatusInternalServerError, Body: `{"message":"Server Error"}`},
		"reset": {Reset: true},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, nil)
			path := "/v1/create-export/" + corsanotest.ExamplePatient
			fault.Match = wearkittest.MatchPath("POST", path)
			f.srv.Faults.Push(fault)
			_, err := f.c.CreateExport(context.Background(), corsanotest.ExamplePatient, lastHour)
			require.Error(t, err)
			requireNoSecret(t, f.srv, err)
			assert.False(t, errors.Is(err, corsano.ErrExportCooldown))
			assert.Equal(t, 1, f.srv.Log.Count("POST", path), "a create-export is never sent twice")

			f.clock.Advance(4*time.Minute + 59*time.Second)
			_, err = f.c.CreateExport(context.Background(), corsanotest.ExamplePatient, lastHour)
			require.ErrorIs(t, err, corsano.ErrExportCooldown)
			assert.Equal(t, 1, f.srv.Log.Count("POST", path))

			f.clock.Advance(time.Second)
			_, err = f.c.CreateExport(context.Background(), corsanotest.ExamplePatient, lastHour)
			require.NoError(t, err)
			assert.Equal(t, 2, f.srv.Log.Count("POST", path))
		})
	}
}

func TestExportServer429SetsCooldown(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	// Another program (a second client) exported this patient a minute ago.
	other := newClient(t, f.srv, f.clock)
	_, err := other.CreateExport(ctx, corsanotest.ExamplePatient, lastHour)
	require.NoError(t, err)
	f.clock.Advance(time.Minute)

	_, err = f.c.CreateExport(ctx, corsanotest.ExamplePatient, lastHour)
	require.ErrorIs(t, err, wearkit.ErrRateLimited)
	requireNoSecret(t, f.srv, err)
	assert.False(t, errors.Is(err, corsano.ErrExportCooldown), "the server refused it, not the client")
	assert.Equal(t, 2, f.srv.Creates(corsanotest.ExamplePatient), "a refused POST is not retried")
	var we *wearkit.Error
	require.ErrorAs(t, err, &we)
	assert.Equal(t, 4*time.Minute, we.RetryAfter)

	// Retry-After (4 min) is shorter than the cooldown: the client now
	// holds back for 5 minutes from the refusal.
	f.clock.Advance(4 * time.Minute)
	_, err = f.c.CreateExport(ctx, corsanotest.ExamplePatient, lastHour)
	require.ErrorIs(t, err, corsano.ErrExportCooldown)
	assert.Equal(t, 2, f.srv.Creates(corsanotest.ExamplePatient))
}

func TestExportWaitsWhenAsked(t *testing.T) {
	f := newFixture(t, nil, corsano.WithExportWait())
	ctx := context.Background()
	_, err := f.c.CreateExport(ctx, corsanotest.ExamplePatient, lastHour)
	require.NoError(t, err)
	f.clock.Advance(4 * time.Minute)

	// A deadline before the next allowed time fails at once.
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	began := time.Now()
	_, err = f.c.CreateExport(short, corsanotest.ExamplePatient, lastHour)
	require.ErrorIs(t, err, corsano.ErrExportCooldown)
	var ce *corsano.CooldownError
	require.ErrorAs(t, err, &ce)
	assert.True(t, ce.Deadline)
	assert.Less(t, time.Since(began), 150*time.Millisecond, "no wait for a grant past the deadline")

	// No deadline: the wait is judged by the (fake) clock.
	long, cancel2 := context.WithCancel(ctx)
	defer cancel2()
	done := make(chan error, 1)
	go func() {
		_, err := f.c.CreateExport(long, corsanotest.ExamplePatient, lastHour)
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("returned before the cooldown ended: %v", err)
	default:
	}
	assert.Equal(t, 1, f.srv.Creates(corsanotest.ExamplePatient))
	f.clock.Advance(time.Minute)
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("still waiting after the cooldown ended")
	}
	assert.Equal(t, 2, f.srv.Creates(corsanotest.ExamplePatient))
}

func TestExportRequestChecked(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	for name, req := range map[string]corsano.ExportRequest{
		"no types":  {From: t0.Add(-time.Hour), To: t0},
		"empty":     {From: t0.Add(-time.Hour), To: t0, Types: []string{"ppg1", ""}},
		"reversed":  {From: t0, To: t0.Add(-time.Hour), Types: []string{"ppg1"}},
		"zero from": {To: t0, Types: []string{"ppg1"}},
	} {
		_, err := f.c.CreateExport(ctx, corsanotest.ExamplePatient, req)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), "corsano: ExportRequest: ", name)
	}
	_, err := f.c.CreateExport(ctx, "", lastHour)
	require.Error(t, err)
	assert.Equal(t, 0, f.srv.Log.Len(), "bad requests are refused before sending")

	// From and To are wall-clock times: their zone is ignored.
	utc := corsano.ExportRequest{From: time.Date(2025, 10, 8, 9, 0, 0, 0, time.UTC), To: time.Date(2025, 10, 8, 10, 0, 0, 0, time.UTC), Types: []string{"activity"}}
	_, err = f.c.CreateExport(ctx, corsanotest.ExamplePatient, utc)
	require.NoError(t, err)
	last, _ := f.srv.Log.Last()
	assert.JSONEq(t, `{"client_date_from":"2025-10-08T09:00:00.000","client_date_to":"2025-10-08T10:00:00.000","types":["activity"]}`, string(last.Body))
}

func unzip(t *testing.T, b []byte) map[string][]map[string]any {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	require.NoError(t, err)
	out := map[string][]map[string]any{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		require.NoError(t, err)
		var items []map[string]any
		require.NoError(t, json.NewDecoder(rc).Decode(&items))
		rc.Close()
		out[zf.Name] = items
	}
	return out
}

func TestDownloadExport(t *testing.T) {
	f := newFixture(t, []corsanotest.Option{corsanotest.WithPollsToDone(3)})
	var buf bytes.Buffer
	require.NoError(t, f.c.DownloadExport(context.Background(), corsanotest.ExamplePatient, lastHour, &buf))
	files := unzip(t, buf.Bytes())
	require.Contains(t, files, "ppg1.json")
	require.Contains(t, files, "activity.json")
	assert.Len(t, files["activity.json"], 60)
	assert.Equal(t, float64(t0.Add(-time.Hour).UnixMilli()), files["activity.json"][0]["timestamp"])

	polls := 0
	for _, e := range f.srv.Log.Entries() {
		if strings.HasPrefix(e.Path, "/v1/export/") {
			polls++
		}
	}
	assert.Equal(t, 4, polls, "three in_progress, then done")
	require.Equal(t, 1, f.srv.Storage.Log.Len())
	dl := f.srv.Storage.Log.Entries()[0]
	assert.Empty(t, dl.Header.Get("Authorization"))
	assert.False(t, dl.Query.Has("token"), "no researcher token on the storage host")
}

func TestSaveExportRenewsExpiredLink(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	e, err := f.c.CreateExport(ctx, corsanotest.ExamplePatient, lastHour)
	require.NoError(t, err)
	done, err := f.c.WaitExport(ctx, e.ID)
	require.NoError(t, err)
	require.Equal(t, corsano.ExportDone, done.Status)
	old := done.DownloadURL

	// The link's hour has passed: the client sees it from X-Amz-Date and
	// X-Amz-Expires and polls for a fresh one before downloading.
	f.clock.Advance(corsanotest.LinkLifetime + time.Minute)
	var buf bytes.Buffer
	require.NoError(t, f.c.SaveExport(ctx, e.ID, &buf))
	assert.Contains(t, unzip(t, buf.Bytes()), "ppg1.json")
	require.Equal(t, 1, f.srv.Storage.Log.Len())
	assert.NotEqual(t, old[strings.Index(old, "?"):], "?"+f.srv.Storage.Log.Entries()[0].RawQuery, "a fresh link was used")

	// The storage host refuses a link as expired (its clock is ahead):
	// the client polls for a fresh one and writes nothing before that.
	f.srv.Storage.Faults.Push(wearkittest.Fault{Status: http.StatusForbidden, Body: "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>"})
	buf.Reset()
	require.NoError(t, f.c.SaveExport(ctx, e.ID, &buf))
	assert.Contains(t, unzip(t, buf.Bytes()), "activity.json")
	assert.Equal(t, 3, f.srv.Storage.Log.Len())

	// A link that stays refused ends after MaxURLRenewals renewals, with
	// the link's signature cut from the error.
	for range corsano.MaxURLRenewals + 1 {
		f.srv.Storage.Faults.Push(wearkittest.Fault{Status: http.StatusForbidden, Body: "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>"})
	}
	err = f.c.SaveExport(ctx, e.ID, io.Discard)
	require.ErrorContains(t, err, "download link still expired after 3 renewals")
	assert.NotContains(t, err.Error(), "X-Amz-Signature")
}

func TestExportUnknownStatusKeepsRawAnswer(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	e, err := f.c.CreateExport(ctx, corsanotest.ExamplePatient, lastHour)
	require.NoError(t, err)
	f.srv.Faults.Push(wearkittest.Fault{Status: http.StatusOK, Body: `{"id":"` + e.ID + `","status":"failed","reason":"disk full"}`, Match: wearkittest.MatchPath("GET", "/v1/export/"+e.ID)})
	_, err = f.c.WaitExport(ctx, e.ID)
	require.ErrorIs(t, err, corsano.ErrExportFailed)
	var se *corsano.ExportStatusError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, corsano.ExportStatus("failed"), se.Status)
	assert.Equal(t, `unknown export status "failed"`, se.Status.String())
	assert.JSONEq(t, `{"id":"`+e.ID+`","status":"failed","reason":"disk full"}`, string(se.Raw))
	assert.Contains(t, err.Error(), "disk full")
}

func TestWaitExportEndsWithContext(t *testing.T) {
	f := newFixture(t, []corsanotest.Option{corsanotest.WithPollsToDone(1 << 30)})
	e, err := f.c.CreateExport(context.Background(), corsanotest.ExamplePatient, lastHour)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Millisecond)
	defer cancel()
	_, err = f.c.WaitExport(ctx, e.ID)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "still in_progress")
	// Capped backoff: 1, 2, 4, 4, ... ms between polls, so more than a
	// handful of polls fit in 60 ms, and far fewer than one per millisecond.
	polls := f.srv.Log.Len() - 1
	assert.Greater(t, polls, 5)
	assert.Less(t, polls, 60)
}

func TestExportIDAsNumber(t *testing.T) {
	var e corsano.Export
	require.NoError(t, json.Unmarshal([]byte(`{"id":4711,"status":"in_progress"}`), &e))
	assert.Equal(t, "4711", e.ID)
	assert.Equal(t, "in_progress", e.Status.String())
}

// When waiting for or downloading a created export fails, DownloadExport's
// error names the export, and SaveExport with that id finishes the job
// inside the cooldown that refuses a new export. Before, the id was only
// in the error's text.
func TestDownloadExportFailureNamesTheExport(t *testing.T) {
	f := newFixture(t, []corsanotest.Option{corsanotest.WithPollsToDone(1)})
	ctx := context.Background()
	f.srv.Storage.Faults.Push(wearkittest.Fault{Status: http.StatusNotFound, Body: "<Error><Code>NoSuchKey</Code></Error>"})
	err := f.c.DownloadExport(ctx, corsanotest.ExamplePatient, lastHour, io.Discard)
	var se *corsano.ExportSaveError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, corsanotest.ExamplePatient, se.UUID)
	require.NotEmpty(t, se.ID)
	assert.ErrorIs(t, err, wearkit.ErrNotFound, "the cause stays in the chain")
	requireNoSecret(t, f.srv, err)

	_, err = f.c.CreateExport(ctx, corsanotest.ExamplePatient, lastHour)
	require.ErrorIs(t, err, corsano.ErrExportCooldown, "a new export must wait")
	var buf bytes.Buffer
	require.NoError(t, f.c.SaveExport(ctx, se.ID, &buf))
	assert.Contains(t, unzip(t, buf.Bytes()), "ppg1.json")
}

// Replicas each keep their own record of the five-minute rule, so the
// second replica to export a patient meets the server's 429. With
// WithExportWait it waits that out and sends again, as it waits out its
// own record; before, it failed at once with the 429.
func TestExportWaitOutlastsAnotherReplicasExport(t *testing.T) {
	f := newFixture(t, nil, corsano.WithExportWait())
	ctx := context.Background()
	other := newClient(t, f.srv, f.clock)
	_, err := other.CreateExport(ctx, corsanotest.ExamplePatient, lastHour)
	require.NoError(t, err)
	f.clock.Advance(time.Minute)

	done := make(chan error, 1)
	go func() {
		_, err := f.c.CreateExport(ctx, corsanotest.ExamplePatient, lastHour)
		done <- err
	}()
	require.Eventually(t, func() bool { return f.srv.Creates(corsanotest.ExamplePatient) == 2 }, 5*time.Second, 5*time.Millisecond, "the refused create-export")
	time.Sleep(50 * time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("returned before the server's cooldown ended: %v", err)
	default:
	}
	f.clock.Advance(5 * time.Minute)
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("still waiting after the cooldown ended")
	}
	assert.Equal(t, 3, f.srv.Creates(corsanotest.ExamplePatient), "one refused, one accepted")
}
