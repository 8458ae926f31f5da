package samples_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/samples"
	"github.com/wearkit/wearkit/samples/samplestest"
	"github.com/wearkit/wearkit/wearkittest"
)

// A zone whose offset has seconds (local mean times: Amsterdam +00:19:32
// until 1937, Monrovia -00:44:30 until 1972) cannot be written in ISO
// 8601's hh:mm. The encoder must still name the same instant: the offset
// is cut to whole minutes (as time.Format cuts it) and the wall clock is
// that offset's. A small negative offset is never written "-00:00".
func TestEncodeSubMinuteOffsetKeepsTheInstant(t *testing.T) {
	at := time.Date(1960, 5, 1, 12, 0, 0, 250e6, time.UTC)
	for _, off := range []int{19*60 + 32, -(44*60 + 30), -30, 30, 5*3600 + 45*60 + 59} {
		s := samples.Sample{DeviceName: "x", Start: at.In(time.FixedZone("LMT", off)), Unit: samples.Count, Value: 1}
		b, err := json.Marshal(s)
		require.NoError(t, err)
		var w struct {
			Start string `json:"start_date"`
		}
		require.NoError(t, json.Unmarshal(b, &w))
		got, err := time.Parse(samples.TimeLayout, w.Start)
		require.NoError(t, err, w.Start)
		assert.True(t, got.Equal(at), "offset %ds: %s names %s, want %s", off, w.Start, got.UTC(), at)
		assert.NotContains(t, w.Start, "-00:00", "offset %ds", off)
		_, gotOff := got.Zone()
		assert.Equal(t, off/60*60, gotOff, "offset %ds keeps its whole minutes", off)
		// The batch encoder writes the same.
		body := samples.AppendBatchJSON(nil, "", samples.Steps, []samples.Sample{s})
		assert.Contains(t, string(body), `"start_date":"`+w.Start+`"`)
	}
}

// Sync against the fake delivers samples of a sub-minute zone at their
// instants: the fake compares instants, so a shifted time shows missing.
func TestSyncSubMinuteOffsetDeliversTheInstants(t *testing.T) {
	srv := samplestest.New(t)
	c := proxy(t, srv)
	in := steps("old", 5)
	for i := range in {
		z := time.FixedZone("LMT", -(44*60 + 30))
		in[i].Start = in[i].Start.AddDate(-60, 0, 0).In(z)
		in[i].End = in[i].End.AddDate(-60, 0, 0).In(z)
	}
	_, err := c.Sync(context.Background(), samples.Steps, in, samples.NewMemoryCheckpointStore())
	require.NoError(t, err)
	assert.Zero(t, requireAll(t, srv, samples.Steps, in))
}

// An offset of a day or more has no two-digit hh:mm form (the encoder wrote
// "+:0:00" for +100h) and Python's datetime, behind the API, refuses it:
// Validate names the sample and field instead.
func TestValidateRejectsOffsetsISO8601CannotWrite(t *testing.T) {
	in := steps("x", 3)
	in[1].Start = in[1].Start.In(time.FixedZone("", 100*3600))
	in[2].End = in[2].End.In(time.FixedZone("", -24*3600))
	err := samples.Validate(samples.Steps, in)
	var ve *samples.ValidationError
	require.ErrorAs(t, err, &ve)
	require.Len(t, ve.Problems, 2)
	assert.Equal(t, 1, ve.Problems[0].Index)
	assert.Equal(t, "start_date", ve.Problems[0].Field)
	assert.Contains(t, ve.Problems[0].Rule, "+100:00")
	assert.Equal(t, 2, ve.Problems[1].Index)
	assert.Equal(t, "end_date", ve.Problems[1].Field)
	assert.Contains(t, ve.Problems[1].Rule, "-24:00")
	_, err = json.Marshal(in[1])
	require.ErrorContains(t, err, "offset")
	// Offsets up to 23:59 either way are fine.
	in = steps("x", 3)
	in[0].Start = in[0].Start.In(time.FixedZone("", 23*3600+59*60))
	in[1].Start = in[1].Start.In(time.FixedZone("", -(23*3600 + 59*60)))
	require.NoError(t, samples.Validate(samples.Steps, in))
}

// Validate accepts years 0000..9999, but a device without a checkpoint
// skipped every sample before the zero time.Time (year 1) as if a
// checkpoint covered it: accepted data silently never sent.
func TestSyncWithoutCheckpointSendsSamplesBeforeYearOne(t *testing.T) {
	srv := samplestest.New(t)
	c := proxy(t, srv)
	in := steps("ancient", 4)
	for i := range in {
		in[i].Start = time.Date(0, 3, 1, 10, i, 0, 0, time.UTC)
		in[i].End = in[i].Start.Add(time.Second)
	}
	require.NoError(t, samples.Validate(samples.Steps, in))
	store := samples.NewMemoryCheckpointStore()
	rep, err := c.Sync(context.Background(), samples.Steps, in, store)
	require.NoError(t, err)
	assert.Equal(t, 4, rep.Sent)
	assert.Zero(t, rep.Skipped)
	assert.Zero(t, requireAll(t, srv, samples.Steps, in))
	// The checkpoint then covers them: a rerun sends nothing.
	rep, err = c.Sync(context.Background(), samples.Steps, in, store)
	require.NoError(t, err)
	assert.Zero(t, rep.Sent)
	assert.Equal(t, 4, rep.Skipped)
}

// The direct flavour must drop the token a request was refused with. It
// compared the login count read before the request with the current one,
// so a token obtained during the request (the first call's login, or a
// login another request started while this one waited) that the API
// called expired was kept, and the retry went out with it again.
func TestDirectReloginWhenTheTokenSentIsExpired(t *testing.T) {
	fake := samplestest.New(t)
	var once sync.Once
	front := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fake.ServeHTTP(w, r)
		if r.URL.Path == "/api/v1.0/login/access-token" {
			// The first token expires before its first use.
			once.Do(fake.ExpireTokens)
		}
	}))
	c, err := samples.New(samples.WithBaseURL(front.URL), samples.WithLogin(samplestest.Username, samplestest.Password),
		samples.WithUserID(samplestest.UserID), fast())
	require.NoError(t, err)
	require.NoError(t, c.SendBatch(context.Background(), samples.Steps, steps("iPhone", 3)))
	assert.Equal(t, 2, fake.Logins())
	assert.Equal(t, 2, c.Logins())
}

// Two stores of one file (a steps and a bpm sync, or a long-lived store
// beside a new one) each wrote back the entries they had read once, so the
// last writer erased the other's checkpoints: a rerun resent everything
// they covered. Each Save now keeps what the file holds.
func TestFileCheckpointStoresOfOneFileKeepEachOthersEntries(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "cp.json")
	a, b := samples.NewFileCheckpointStore(path), samples.NewFileCheckpointStore(path)
	_, _, err := a.Load(ctx, samples.Steps, "watch")
	require.NoError(t, err)
	_, _, err = b.Load(ctx, samples.BPM, "watch")
	require.NoError(t, err)
	require.NoError(t, a.Save(ctx, samples.Steps, "watch", samples.Checkpoint{Sent: 1000}))
	require.NoError(t, b.Save(ctx, samples.BPM, "watch", samples.Checkpoint{Sent: 7}))
	require.NoError(t, a.Save(ctx, samples.Steps, "phone", samples.Checkpoint{Sent: 3}))
	fresh := samples.NewFileCheckpointStore(path)
	for _, want := range []struct {
		dt     samples.DataType
		device string
		sent   int64
	}{{samples.Steps, "watch", 1000}, {samples.BPM, "watch", 7}, {samples.Steps, "phone", 3}} {
		cp, ok, err := fresh.Load(ctx, want.dt, want.device)
		require.NoError(t, err)
		require.True(t, ok, "%s/%s kept", want.dt, want.device)
		assert.Equal(t, want.sent, cp.Sent)
		// Both old stores see it too.
		cp, ok, err = a.Load(ctx, want.dt, want.device)
		require.NoError(t, err)
		require.True(t, ok)
		assert.Equal(t, want.sent, cp.Sent)
	}

	// Two syncs of different data types on stores of one file, at once.
	srv := samplestest.New(t)
	c := proxy(t, srv)
	var wg sync.WaitGroup
	path2 := filepath.Join(t.TempDir(), "cp.json")
	hr := steps("watch", 5000)
	for i := range hr {
		hr[i].Unit, hr[i].Value = samples.CountPerMinute, 60
	}
	for _, job := range []struct {
		dt samples.DataType
		in []samples.Sample
	}{{samples.Steps, steps("watch", 5000)}, {samples.BPM, hr}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := syncer(c, samples.NewFileCheckpointStore(path2))
			_, err := s.Sync(ctx, job.dt, job.in)
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	fresh = samples.NewFileCheckpointStore(path2)
	for _, dt := range []samples.DataType{samples.Steps, samples.BPM} {
		cp, ok, err := fresh.Load(ctx, dt, "watch")
		require.NoError(t, err)
		require.True(t, ok, dt)
		assert.Equal(t, int64(5000), cp.Sent, dt)
	}
	var zero samples.FileCheckpointStore
	_, _, err = zero.Load(ctx, samples.Steps, "x")
	require.ErrorContains(t, err, "NewFileCheckpointStore")
}

// A re-login refused with 400 ("Incorrect email or password", the
// password changed mid-run) is an auth failure, not a refusal of the
// batch's data: it matched ErrBadRequest through the AuthError, so every
// device was marked rejected one after the other, each trying its own
// login with the stale password (a way to get an account locked). The sync
// stops at the first with the login's error.
func TestSyncStopsOnRefusedRelogin(t *testing.T) {
	fake := samplestest.New(t)
	var mu sync.Mutex
	accepted, broken := 0, false
	front := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		b := broken
		mu.Unlock()
		if b && r.URL.Path == "/api/v1.0/login/access-token" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"detail":"Incorrect email or password"}`))
			return
		}
		fake.ServeHTTP(w, r)
		if r.URL.Path == "/api/v2.2/samples" {
			mu.Lock()
			if accepted++; accepted == 2 {
				broken = true
				fake.ExpireTokens()
			}
			mu.Unlock()
		}
	}))
	c, err := samples.New(samples.WithBaseURL(front.URL), samples.WithLogin(samplestest.Username, samplestest.Password),
		samples.WithUserID(samplestest.UserID), fast())
	require.NoError(t, err)
	s := syncer(c, samples.NewMemoryCheckpointStore())
	s.Concurrency = 1
	rep, err := s.Sync(context.Background(), samples.Steps, devices(8, 8*3))
	require.Error(t, err)
	var ae *wearkit.AuthError
	require.ErrorAs(t, err, &ae, "%v", err)
	assert.Contains(t, err.Error(), "Incorrect email or password")
	assert.NotContains(t, err.Error(), samplestest.Password)
	assert.Empty(t, rep.Rejected, "no device's data was refused")
	assert.Equal(t, 6, rep.Sent)
	assert.Equal(t, 2, front.Log.Count(http.MethodPost, "/api/v1.0/login/access-token"), "the first login and one refused re-login")
}

// encoding/json writes a time's offset in whole minutes, so a checkpoint
// whose Start is in a zone with seconds (Amsterdam +00:19:32 until 1937)
// came back from the file up to a minute off: 32 s later here, so a rerun
// skipped samples in those seconds that were never sent. The file keeps
// the exact instant.
func TestFileCheckpointStoreKeepsTheInstant(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "cp.json")
	for _, off := range []int{19*60 + 32, -(44*60 + 30)} {
		start := time.Date(1930, 1, 1, 0, 0, 0, 123456789, time.FixedZone("LMT", off))
		require.NoError(t, samples.NewFileCheckpointStore(path).Save(ctx, samples.Steps, "old", samples.Checkpoint{Start: start, AtStart: 1, Sent: 3}))
		got, ok, err := samples.NewFileCheckpointStore(path).Load(ctx, samples.Steps, "old")
		require.NoError(t, err)
		require.True(t, ok)
		assert.True(t, got.Start.Equal(start), "offset %ds: stored %s, saved %s", off, got.Start, start)
	}
}

// Processes sharing a checkpoint file (two syncs run by cron, a steps and
// a bpm job) keep each other's entries: every Save rereads and rewrites
// the file under an operating-system lock. This test runs its own binary
// three times at once, each saving 40 devices' checkpoints; without the
// lock, entries written by one were lost to another's stale rewrite.
func TestFileCheckpointStoreAcrossProcesses(t *testing.T) {
	if path := os.Getenv("WEARKIT_CHECKPOINT_CHILD"); path != "" {
		s := samples.NewFileCheckpointStore(path)
		for i := range 40 {
			dev := fmt.Sprintf("%s-%d", os.Getenv("WEARKIT_CHECKPOINT_NAME"), i)
			require.NoError(t, s.Save(context.Background(), samples.Steps, dev, samples.Checkpoint{Sent: int64(i + 1)}))
		}
		return
	}
	path := filepath.Join(t.TempDir(), "cp.json")
	var wg sync.WaitGroup
	outs := make([][]byte, 3)
	errs := make([]error, 3)
	for i := range outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(os.Args[0], "-test.run=^TestFileCheckpointStoreAcrossProcesses$", "-test.count=1")
			cmd.Env = append(os.Environ(), "WEARKIT_CHECKPOINT_CHILD="+path, fmt.Sprintf("WEARKIT_CHECKPOINT_NAME=p%d", i))
			outs[i], errs[i] = cmd.CombinedOutput()
		}()
	}
	wg.Wait()
	for i := range outs {
		require.NoError(t, errs[i], "child %d: %s", i, outs[i])
	}
	s := samples.NewFileCheckpointStore(path)
	for p := range 3 {
		for i := range 40 {
			cp, ok, err := s.Load(context.Background(), samples.Steps, fmt.Sprintf("p%d-%d", p, i))
			require.NoError(t, err)
			require.True(t, ok, "process %d's device %d kept", p, i)
			assert.Equal(t, int64(i+1), cp.Sent)
		}
	}
}
