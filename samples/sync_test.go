package samples_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
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

func syncer(c *samples.Client, store samples.CheckpointStore) *samples.Syncer {
	return &samples.Syncer{Client: c, Store: store, Concurrency: 4, RoundWait: time.Millisecond}
}

func requireAll(t *testing.T, srv *samplestest.Server, dt samples.DataType, want []samples.Sample) (dups int) {
	t.Helper()
	missing, dups, extra := srv.Compare(dt, want)
	require.Empty(t, missing, "every sample arrived")
	require.Zero(t, extra)
	return dups
}

func TestSyncSendsEverythingOnceAndRerunSendsNothing(t *testing.T) {
	srv := samplestest.New(t)
	c := proxy(t, srv)
	in := append(devices(3, 3*2001), steps("iPhone", 5)...)
	store := samples.NewMemoryCheckpointStore()
	var progress []samples.BatchResult
	var mu sync.Mutex
	s := syncer(c, store)
	s.Progress = func(r samples.BatchResult) { mu.Lock(); progress = append(progress, r); mu.Unlock() }
	rep, err := s.Sync(context.Background(), samples.Steps, in)
	require.NoError(t, err)
	assert.Equal(t, len(in), rep.Sent)
	assert.Equal(t, 3*3+1, rep.Batches, "2001 per device: 1000, 501, 500; and one batch of 5")
	assert.Zero(t, requireAll(t, srv, samples.Steps, in))
	require.Len(t, progress, rep.Batches)
	assert.Equal(t, len(in), progress[len(progress)-1].Sent)
	for _, r := range srv.Received() {
		assert.Equal(t, samplestest.ProxyUserID, r.UserID)
	}
	// Batches are sent in time order per device, never 1 or 2 samples.
	for _, e := range srv.Log.Entries() {
		if e.Method == http.MethodPost {
			assert.NotContains(t, string(e.Body), `"data":[{}]`)
		}
	}
	last := rep.Checkpoints["watch-0"]
	assert.Equal(t, int64(2001), last.Sent)
	assert.Equal(t, 1, last.AtStart)

	before := srv.Log.Count("POST", "/api/v1.1/samples")
	rep, err = s.Sync(context.Background(), samples.Steps, in)
	require.NoError(t, err)
	assert.Zero(t, rep.Sent)
	assert.Equal(t, len(in), rep.Skipped)
	assert.Equal(t, before, srv.Log.Count("POST", "/api/v1.1/samples"), "a second run sends nothing")

	// New samples after the old ones: only they are sent.
	more := steps("iPhone", 9)[5:]
	for i := range more {
		more[i].Start = more[i].Start.Add(time.Hour)
		more[i].End = more[i].End.Add(time.Hour)
	}
	rep, err = s.Sync(context.Background(), samples.Steps, append(in, more...))
	require.NoError(t, err)
	assert.Equal(t, 4, rep.Sent)
	assert.Zero(t, requireAll(t, srv, samples.Steps, append(in, more...)))
}

func TestSyncValidatesFirstAndHoldsTooFew(t *testing.T) {
	srv := samplestest.New(t)
	c := proxy(t, srv)
	in := steps("a", 5)
	in[3].End = in[3].Start.Add(-time.Second)
	_, err := c.Sync(context.Background(), samples.Steps, in, samples.NewMemoryCheckpointStore())
	var ve *samples.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, samples.Problem{Index: 3, Field: "end_date", Rule: "before start_date"}, ve.Problems[0])
	assert.Zero(t, srv.Log.Count("POST", "/api/v1.1/samples"))

	// Two samples of "b" cannot be sent: they come back, the rest goes.
	in = append(steps("a", 4), steps("b", 2)...)
	store := samples.NewMemoryCheckpointStore()
	rep, err := c.Sync(context.Background(), samples.Steps, in, store)
	var few *samples.TooFewError
	require.ErrorAs(t, err, &few)
	assert.Equal(t, []string{"b"}, few.Devices)
	assert.Equal(t, in[4:], rep.Held)
	assert.Equal(t, 4, rep.Sent)
	// A later sync with a third sample of "b" sends all three.
	in = append(in, steps("b", 3)[2])
	rep, err = c.Sync(context.Background(), samples.Steps, in, store)
	require.NoError(t, err)
	assert.Equal(t, 3, rep.Sent)
	assert.Zero(t, requireAll(t, srv, samples.Steps, in))
}

// A sync cancelled halfway and run again delivers every sample, with no
// more duplicates than batches in flight (Concurrency).
func TestSyncCancelledHalfwayThenRerun(t *testing.T) {
	for _, conc := range []int{1, 4} {
		srv := samplestest.New(t)
		c := proxy(t, srv)
		in := devices(4, 24000) // 6000 per device: 24 batches
		store := samples.NewFileCheckpointStore(filepath.Join(t.TempDir(), "cp.json"))
		ctx, cancel := context.WithCancel(context.Background())
		s := syncer(c, store)
		s.Concurrency = conc
		s.Progress = func(r samples.BatchResult) {
			if r.Batches == 10 {
				cancel()
			}
		}
		// Slow answers so that batches are in flight when the cancel comes.
		for range 40 {
			srv.Faults.Push(wearkittest.Fault{Delay: 5 * time.Millisecond, Match: wearkittest.MatchPath("POST", "/api/v1.1/samples")})
		}
		rep, err := s.Sync(ctx, samples.Steps, in)
		require.ErrorIs(t, err, context.Canceled)
		assert.Contains(t, err.Error(), "sync stopped")
		assert.GreaterOrEqual(t, rep.Batches, 10)
		missing, _, _ := srv.Compare(samples.Steps, in)
		require.NotEmpty(t, missing, "the first run stopped early")

		// A new process: a new store on the same file.
		s2 := syncer(c, samples.NewFileCheckpointStore(store.Path()))
		s2.Concurrency = conc
		rep2, err := s2.Sync(context.Background(), samples.Steps, in)
		require.NoError(t, err)
		dups := requireAll(t, srv, samples.Steps, in)
		batches, _ := srv.Count()
		t.Logf("concurrency %d: first run %d batches, rerun %d batches, %d duplicate samples, %d batches accepted", conc, rep.Batches, rep2.Batches, dups, batches)
		assert.LessOrEqual(t, dups, conc*samples.MaxBatch, "duplicates are at most the batches in flight")
		assert.LessOrEqual(t, batches, 24+conc)
	}
}

// Faults at the fake: 429, 503, connection resets and a token expiring
// mid-run lose no sample.
func TestSyncSurvivesFaults(t *testing.T) {
	srv := samplestest.New(t)
	c := direct(t, srv)
	in := devices(3, 15000)
	post := wearkittest.MatchPath("POST", "/api/v2.2/samples")
	srv.Faults.Push(
		wearkittest.Fault{Status: http.StatusTooManyRequests, RetryAfter: "0", Body: `{"detail":"Too many requests"}`, Match: post},
		wearkittest.Fault{Status: http.StatusServiceUnavailable, Body: `{"detail":"try later"}`, Match: post},
		wearkittest.Fault{Reset: true, Match: post},
		wearkittest.Fault{Status: http.StatusBadGateway, Match: post},
		wearkittest.Fault{Reset: true, Match: post},
		wearkittest.Fault{Status: http.StatusTooManyRequests, Match: post},
		// Exhausts the engine's 3 attempts: the syncer sends the batch again.
		wearkittest.Fault{Status: http.StatusServiceUnavailable, Match: post},
		wearkittest.Fault{Status: http.StatusServiceUnavailable, Match: post},
		wearkittest.Fault{Status: http.StatusServiceUnavailable, Match: post},
	)
	s := syncer(c, samples.NewMemoryCheckpointStore())
	var once sync.Once
	s.Progress = func(r samples.BatchResult) {
		if r.Batches == 6 {
			once.Do(srv.ExpireTokens)
		}
	}
	rep, err := s.Sync(context.Background(), samples.Steps, in)
	require.NoError(t, err)
	assert.Zero(t, srv.Faults.Pending(), "every fault was met")
	assert.Equal(t, len(in), rep.Sent)
	dups := requireAll(t, srv, samples.Steps, in)
	t.Logf("%d duplicate samples (resets after the fake stored nothing)", dups)
	assert.Zero(t, dups, "these faults all strike before the fake stores the batch")
	assert.Equal(t, 2, srv.Logins(), "one re-login after the expiry")
}

// A batch the API rejects is reported with the server's reason; its device
// stops there and its checkpoint stays before it; the other devices go on.
func TestSyncRejectedBatchReportsReason(t *testing.T) {
	srv := samplestest.New(t)
	c := proxy(t, srv)
	in := devices(2, 6000) // 3000 each: 1000, 1000, 501, 499? no: 1000, 1000, 1000
	reason := `{"detail":[{"loc":["body","data",17,"value"],"msg":"implausible step count","type":"value_error"}]}`
	first := true
	var mu sync.Mutex
	srv.Faults.Push(wearkittest.Fault{Status: http.StatusUnprocessableEntity, Body: reason, Match: func(r *http.Request) bool {
		// The second batch of watch-1 (its first sample is minute 1000).
		mu.Lock()
		defer mu.Unlock()
		if r.Method == http.MethodPost && first && bodyHas(r, `"device_name":"watch-1","start_date":"2023-11-01T16:40:00.000+00:00"`) {
			first = false
			return true
		}
		return false
	}})
	store := samples.NewMemoryCheckpointStore()
	s := syncer(c, store)
	s.Concurrency = 1
	rep, err := s.Sync(context.Background(), samples.Steps, in)
	require.Error(t, err)
	assert.ErrorIs(t, err, wearkit.ErrBadRequest)
	assert.Contains(t, err.Error(), "body.data.17.value: implausible step count")
	require.Len(t, rep.Rejected, 1)
	r := rep.Rejected[0]
	assert.Equal(t, "watch-1", r.Device)
	assert.Equal(t, 1, r.Seq)
	assert.True(t, r.Rejected)
	var we *wearkit.Error
	require.ErrorAs(t, r.Err, &we)
	assert.Equal(t, "body.data.17.value: implausible step count", we.Message)
	assert.Equal(t, 4000, rep.Sent, "watch-0 whole, watch-1 only its first batch")
	assert.Equal(t, 2000, rep.NotSent)
	cp, ok, err := store.Load(context.Background(), samples.Steps, "watch-1")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, int64(1000), cp.Sent)

	// Once the server takes it, a rerun sends exactly the rest.
	rep, err = s.Sync(context.Background(), samples.Steps, in)
	require.NoError(t, err)
	assert.Equal(t, 2000, rep.Sent)
	assert.Zero(t, requireAll(t, srv, samples.Steps, in))
}

func bodyHas(r *http.Request, s string) bool {
	b, _ := readBody(r)
	return len(b) > 0 && contains(b, s)
}

// Samples with the same start time across a batch boundary: the checkpoint
// counts them, so a rerun neither skips nor repeats any.
func TestSyncEqualStartsAcrossBatches(t *testing.T) {
	srv := samplestest.New(t)
	c := proxy(t, srv)
	t0 := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	var in []samples.Sample
	for i := range 1500 {
		in = append(in, samples.Sample{DeviceName: "a", Start: t0, Unit: samples.Count, Value: float64(i + 1)})
	}
	srv.Faults.Push(wearkittest.Fault{Status: http.StatusBadRequest, Body: `{"detail":"no"}`, Match: func(r *http.Request) bool {
		return bodyHas(r, `"value":1001}`)
	}})
	store := samples.NewMemoryCheckpointStore()
	s := syncer(c, store)
	s.Concurrency = 1
	rep, err := s.Sync(context.Background(), samples.Steps, in)
	require.Error(t, err)
	assert.Equal(t, 1000, rep.Sent)
	assert.Equal(t, samples.Checkpoint{Start: t0, AtStart: 1000, Sent: 1000}, rep.Checkpoints["a"])
	rep, err = s.Sync(context.Background(), samples.Steps, in)
	require.NoError(t, err)
	assert.Equal(t, 1000, rep.Skipped)
	assert.Equal(t, 500, rep.Sent)
	assert.Zero(t, requireAll(t, srv, samples.Steps, in))
}

func TestSyncSeq(t *testing.T) {
	srv := samplestest.New(t)
	c := proxy(t, srv)
	in := devices(5, 5*1003)
	s := syncer(c, samples.NewMemoryCheckpointStore())
	rep, err := s.SyncSeq(context.Background(), samples.Steps, slices.Values(in))
	require.NoError(t, err)
	assert.Equal(t, len(in), rep.Sent)
	assert.Equal(t, 10, rep.Batches, "1003 per device: 1000 would leave 3, so 502 and 501")
	assert.Zero(t, requireAll(t, srv, samples.Steps, in))

	// Out of order within a device: an error naming the sample.
	bad := devices(2, 20)
	bad[7].Start = bad[7].Start.Add(-time.Hour)
	_, err = syncer(c, samples.NewMemoryCheckpointStore()).SyncSeq(context.Background(), samples.Steps, slices.Values(bad))
	require.ErrorContains(t, err, "sample 7 of device \"watch-1\" starts at")
	// An invalid sample: a validation error with its index in the sequence.
	bad = devices(2, 20)
	bad[9].Value = 0
	_, err = syncer(c, samples.NewMemoryCheckpointStore()).SyncSeq(context.Background(), samples.Steps, slices.Values(bad))
	var ve *samples.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, 9, ve.Problems[0].Index)
	_, err = syncer(c, samples.NewMemoryCheckpointStore()).SyncSeq(context.Background(), "sleep", slices.Values(bad))
	require.ErrorIs(t, err, samples.ErrInvalid)
}

// A failure that does not go away stops the sync with the last status and
// the server's message; what was acknowledged is kept.
func TestSyncStopsOnPersistentFailure(t *testing.T) {
	srv := samplestest.New(t)
	c := proxy(t, srv)
	for range 20 {
		srv.Faults.Push(wearkittest.Fault{Status: http.StatusInternalServerError, Body: `{"detail":"database down"}`, Match: wearkittest.MatchPath("POST", "/api/v1.1/samples")})
	}
	s := syncer(c, samples.NewMemoryCheckpointStore())
	s.Concurrency = 1
	_, err := s.Sync(context.Background(), samples.Steps, steps("a", 10))
	require.Error(t, err)
	assert.ErrorIs(t, err, wearkit.ErrServer)
	assert.Contains(t, err.Error(), "database down")
	assert.Contains(t, err.Error(), "500")
	assert.Equal(t, 9, srv.Log.Count("POST", "/api/v1.1/samples"), "3 rounds of 3 attempts")
}

func TestFileCheckpointStore(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "checkpoints.json")
	st := samples.NewFileCheckpointStore(path)
	_, ok, err := st.Load(ctx, samples.Steps, "a")
	require.NoError(t, err)
	assert.False(t, ok)
	cp := samples.Checkpoint{Start: time.Date(2024, 1, 2, 3, 4, 5, 6e6, plus4), AtStart: 2, Sent: 3000}
	require.NoError(t, st.Save(ctx, samples.Steps, "a", cp))
	require.NoError(t, st.Save(ctx, samples.BPM, "a", samples.Checkpoint{Sent: 1}))
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())

	got, ok, err := samples.NewFileCheckpointStore(path).Load(ctx, samples.Steps, "a")
	require.NoError(t, err)
	require.True(t, ok)
	assert.True(t, cp.Start.Equal(got.Start))
	assert.Equal(t, cp.AtStart, got.AtStart)
	assert.Equal(t, cp.Sent, got.Sent)

	require.NoError(t, os.WriteFile(path, []byte(`{"version":1,"checkpoints":[}`), 0o600))
	_, _, err = samples.NewFileCheckpointStore(path).Load(ctx, samples.Steps, "a")
	require.ErrorContains(t, err, "invalid JSON at byte offset")
	require.NoError(t, os.WriteFile(path, []byte(`{"version":2,"checkpoints":[]}`), 0o600))
	_, _, err = samples.NewFileCheckpointStore(path).Load(ctx, samples.Steps, "a")
	require.ErrorContains(t, err, "version 2, want 1")

	// A save that cannot be written leaves the store as it was.
	bad := samples.NewFileCheckpointStore(filepath.Join(t.TempDir(), "missing", "cp.json"))
	require.Error(t, bad.Save(ctx, samples.Steps, "a", cp))
	_, ok, err = bad.Load(ctx, samples.Steps, "a")
	require.NoError(t, err)
	assert.False(t, ok)

	// A store that cannot save stops the sync.
	srv := samplestest.New(t)
	_, err = proxy(t, srv).Sync(ctx, samples.Steps, steps("a", 5), bad)
	require.ErrorContains(t, err, "saving the checkpoint")
	assert.False(t, errors.Is(err, context.Canceled))
}

// The same with interleaved devices from an iterator and 4 batches in
// flight: later batches of the rejected device may already be on their way,
// but its checkpoint stays before the rejected batch and a rerun completes
// the device without losing a sample.
func TestSyncRejectedBatchConcurrent(t *testing.T) {
	srv := samplestest.New(t)
	c := proxy(t, srv)
	in := devices(4, 4*8000)
	// Batch 2 of watch-2 is answered after batch 3 was rejected: it still
	// moves the checkpoint (a bug once left it behind, and a rerun sent it
	// twice).
	srv.Faults.Push(wearkittest.Fault{Delay: 200 * time.Millisecond, Match: func(r *http.Request) bool {
		return r.Method == http.MethodPost && bodyHas(r, `{"device_name":"watch-2","start_date":"2023-11-02T09:20:00.000+00:00"`)
	}})
	srv.Faults.Push(wearkittest.Fault{Status: http.StatusUnprocessableEntity, Body: `{"detail":"refused"}`, Match: func(r *http.Request) bool {
		return r.Method == http.MethodPost && bodyHas(r, `{"device_name":"watch-2","start_date":"2023-11-03T14:40:00.000+00:00"`)
	}})
	store := samples.NewMemoryCheckpointStore()
	s := syncer(c, store)
	rep, err := s.SyncSeq(context.Background(), samples.Steps, slices.Values(in))
	require.ErrorContains(t, err, "refused")
	require.Len(t, rep.Rejected, 1)
	assert.Equal(t, 3, rep.Rejected[0].Seq)
	assert.Equal(t, int64(3000), rep.Checkpoints["watch-2"].Sent)
	assert.Equal(t, int64(8000), rep.Checkpoints["watch-1"].Sent)
	// Batches of watch-2 already on their way when batch 3 was refused
	// (at most 3 beside it) are acknowledged but not covered.
	assert.Equal(t, len(in), rep.Sent+rep.NotSent, "every sample acknowledged or counted as not sent")
	assert.GreaterOrEqual(t, rep.Sent, 24000+3000)
	assert.LessOrEqual(t, rep.Sent, 24000+3000+3*1000)
	rep, err = s.SyncSeq(context.Background(), samples.Steps, slices.Values(in))
	require.NoError(t, err)
	assert.Equal(t, 5000, rep.Sent)
	dups := requireAll(t, srv, samples.Steps, in)
	assert.LessOrEqual(t, dups, 3*1000, "sent twice: only batches that were in flight beside the refused one")
}
