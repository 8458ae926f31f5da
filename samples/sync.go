package samples

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wearkit/wearkit"
)

// Defaults of a Syncer.
const (
	// DefaultConcurrency is how many batches are sent at once.
	DefaultConcurrency = 4
	// DefaultRounds is how many times a batch is sent again, after the
	// engine's own retries gave up on a 429, a 5xx or a network error.
	DefaultRounds = 2
	// DefaultRoundWait is the wait before the first extra round; it
	// doubles per round.
	DefaultRoundWait = time.Second
)

// BatchResult is what happened to one batch, handed to Syncer.Progress as
// each batch ends and listed in SyncReport.Rejected for refused ones.
type BatchResult struct {
	// Device is the batch's device name.
	Device string
	// Seq numbers the device's batches of this run from 0, in time order.
	Seq int
	// First and Last are the start times of the batch's first and last
	// sample.
	First, Last time.Time
	// Samples is the batch's size.
	Samples int
	// Err is nil when the API acknowledged the batch. For a rejected batch
	// it is the API's *wearkit.Error, whose Message holds the server's
	// reason.
	Err error
	// Rejected is true when the API refused the batch's data (400 or 422);
	// the device's later batches are not sent in this run.
	Rejected bool
	// Sent and Batches are the run's totals of acknowledged samples and
	// batches so far, for a progress line.
	Sent, Batches int
}

// SyncReport sums up a sync.
type SyncReport struct {
	// DataType is the data type synced.
	DataType DataType
	// Sent is how many samples the API acknowledged, in Batches batches.
	Sent, Batches int
	// Skipped is how many samples the checkpoints said were already sent.
	Skipped int
	// Rejected lists the batches the API refused, with its reasons.
	Rejected []BatchResult
	// NotSent counts the samples of rejected batches and those left unsent
	// after them (a device stops at its first rejected batch); the
	// device's checkpoint stays before the rejected batch.
	NotSent int
	// Held are the samples of devices that had only 1 or 2 samples left
	// to send: no batch can carry them (MinBatch). They are sent by a later
	// sync, together with newer samples.
	Held []Sample
	// Checkpoints are the devices' checkpoints when the sync ended.
	Checkpoints map[string]Checkpoint
}

// Syncer sends samples in batches with bounded concurrency and keeps a
// checkpoint per device. A batch of 1000 samples is cut as soon as the
// device has 1003 waiting (so the last batch is never 1 or 2 samples); at
// the end each device's rest (up to 1002 samples) goes as one batch, or two
// halves. A device's checkpoint moves forward only over a gap-free run of
// acknowledged batches, so a crash, a cancel or an error at any moment
// never skips an unsent sample: delivery is at least once. What can be sent
// twice by a rerun is bounded by the batches in flight when the run
// stopped (at most Concurrency), plus any batch whose answer was lost and
// that was sent again (the API does not de-duplicate), plus, for a device
// whose batch the API refused, its later batches that were already on
// their way and acknowledged (fewer than Concurrency): the checkpoint
// cannot pass the refused batch, so they go again once it is accepted.
type Syncer struct {
	// Client sends the batches.
	Client *Client
	// Store keeps the checkpoints; required.
	Store CheckpointStore
	// Concurrency is how many batches are in flight at once; 0 means
	// DefaultConcurrency.
	Concurrency int
	// Progress, when set, is called once per batch as it ends, one call
	// at a time, in order of completion.
	Progress func(BatchResult)
	// Rounds is how many times a batch is sent again after the engine's
	// retries ended on a 429, 5xx or network error; 0 means DefaultRounds,
	// negative means none.
	Rounds int
	// RoundWait is the wait before the first extra round, doubling per
	// round; 0 means DefaultRoundWait.
	RoundWait time.Duration
}

// Sync sends samples of one data type with checkpoints kept in store,
// DefaultConcurrency batches at a time. See Syncer for the details;
// Syncer.Sync also reports progress.
func (c *Client) Sync(ctx context.Context, dt DataType, samples []Sample, store CheckpointStore) (SyncReport, error) {
	return (&Syncer{Client: c, Store: store}).Sync(ctx, dt, samples)
}

// Sync validates every sample first (nothing is sent when one is invalid:
// the *ValidationError names each by index), groups them by device in time
// order and sends what the checkpoints do not cover. The API's status is
// read first: during maintenance nothing is sent (ErrMaintenance). The
// error is nil only when every sample was sent or skipped; otherwise it
// says why the sync stopped, or wraps the first rejected batch's error, or
// is a *TooFewError naming the held samples. The report is filled in every
// case.
func (s *Syncer) Sync(ctx context.Context, dt DataType, samples []Sample) (SyncReport, error) {
	if err := Validate(dt, samples); err != nil {
		return SyncReport{DataType: dt}, err
	}
	parts := byDevice(samples)
	return s.run(ctx, dt, func(yield func(Sample) bool) {
		for _, p := range parts {
			for _, x := range p {
				if !yield(x) {
					return
				}
			}
		}
	}, false)
}

// SyncSeq is Sync for samples from an iterator, which may interleave
// devices but must give each device's samples in time order (an error
// otherwise). Memory stays bounded however long the sequence: at most 1002
// samples per device wait, and Concurrency batches are in flight. Samples
// are validated as they come; the first invalid one stops the sync with a
// *ValidationError whose index counts from the sequence's start.
func (s *Syncer) SyncSeq(ctx context.Context, dt DataType, seq iter.Seq[Sample]) (SyncReport, error) {
	if !dt.Known() {
		return SyncReport{DataType: dt}, Validate(dt, nil)
	}
	return s.run(ctx, dt, seq, true)
}

// device is one device's state during a run. The producer owns the
// fields up to nextSeq, collect (under the run's lock) the collected ones;
// blocked and rejectedAt are shared.
type device struct {
	name     string
	cp       Checkpoint // as loaded
	has      bool       // the store had a checkpoint
	skipLeft int        // samples at cp.Start still to skip
	last     time.Time  // start of the previous sample seen (order check)
	seen     bool
	buf      []Sample
	runStart time.Time // start and count of the equal-start run before buf[0]
	runCount int
	nextSeq  int
	blocked  atomic.Bool
	// rejectedAt is the seq of the device's first rejected batch, -1 if
	// none; written by the collector, read by the workers.
	rejectedAt atomic.Int64
	collected  struct {
		cp       Checkpoint
		next     int
		pending  map[int]*job
		rejected int // the first rejected batch, -1 if none
	}
}

type job struct {
	dev     *device
	seq     int
	batch   []Sample
	n       int
	first   time.Time
	last    time.Time
	end     Checkpoint // Start and AtStart once this batch is acknowledged
	err     error
	started bool // the batch was handed to the API at least once
	slot    bool // the batch holds a slot of the run's window
	dropped bool // not sent: an earlier batch of the device was rejected
}

var (
	batchPool = sync.Pool{New: func() any { b := make([]Sample, 0, MaxBatch); return &b }}
	bodyPool  = sync.Pool{New: func() any { b := make([]byte, 0, 192<<10); return &b }}
)

func (s *Syncer) run(parent context.Context, dt DataType, seq iter.Seq[Sample], validate bool) (SyncReport, error) {
	rep := SyncReport{DataType: dt, Checkpoints: map[string]Checkpoint{}}
	if s.Client == nil || s.Store == nil {
		return rep, errors.New("samples: Syncer needs a Client and a Store")
	}
	if err := s.Client.checkStatus(parent); err != nil {
		return rep, err
	}
	conc := s.Concurrency
	if conc <= 0 {
		conc = DefaultConcurrency
	}
	ctx, cancel := context.WithCancelCause(parent)
	defer cancel(nil)

	// The producer cuts batches into queue, which lets it run a few
	// batches ahead of the network. A worker takes the next batch and a
	// slot of window together, under takeMu, so slots go in batch order;
	// it sends the batch and records the outcome itself, under collectMu.
	// window holds a slot for every batch handed to a worker and not yet
	// covered by its device's checkpoint (or given up): at most conc
	// batches are ever sent and uncovered, which bounds what a rerun after
	// a crash sends twice. A batch never waits for a slot held by a later
	// batch of its device, since that one took its slot after it.
	queue := make(chan *job, conc)
	window := make(chan struct{}, conc)
	free := func(j *job) {
		if j.slot {
			j.slot = false
			<-window
		}
	}
	var (
		takeMu, collectMu sync.Mutex
		fatal             error
	)
	take := func() *job {
		takeMu.Lock()
		defer takeMu.Unlock()
		j, ok := <-queue
		if !ok {
			return nil
		}
		if ctx.Err() == nil {
			select {
			case window <- struct{}{}:
				j.slot = true
			case <-ctx.Done():
			}
		}
		return j
	}
	var wg sync.WaitGroup
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := take(); j != nil; j = take() {
				s.send(ctx, dt, j)
				collectMu.Lock()
				if err := s.collect(ctx, dt, j, &rep, free); err != nil && fatal == nil {
					fatal = err
					cancel(err)
				}
				collectMu.Unlock()
			}
		}()
	}

	var (
		devices []*device
		byName  = map[string]*device{}
		stopErr error
		idx     = -1
		skipped int
		notSent int
		held    []Sample
	)
	emit := func(d *device, m int) bool {
		b := *batchPool.Get().(*[]Sample)
		b = append(b[:0], d.buf[:m]...)
		rest := copy(d.buf, d.buf[m:])
		d.buf = d.buf[:rest]
		last := b[m-1].Start
		t := 1
		for t < m && b[m-1-t].Start.Equal(last) {
			t++
		}
		at := t
		if t == m && last.Equal(d.runStart) {
			at = d.runCount + m
		}
		d.runStart, d.runCount = last, at
		j := &job{dev: d, seq: d.nextSeq, batch: b, n: m, first: b[0].Start, last: last, end: Checkpoint{Start: last, AtStart: at}}
		d.nextSeq++
		select {
		case queue <- j:
			return true
		case <-ctx.Done():
			return false
		}
	}
	for x := range seq {
		idx++
		if ctx.Err() != nil {
			break
		}
		if validate {
			if probs := checkSample(nil, dt, idx, &x); len(probs) > 0 {
				stopErr = &ValidationError{Problems: probs}
				break
			}
		}
		d := byName[x.DeviceName]
		if d == nil {
			cp, has, err := s.Store.Load(ctx, dt, x.DeviceName)
			if err != nil {
				stopErr = fmt.Errorf("samples: loading the checkpoint of %q: %w", x.DeviceName, err)
				break
			}
			d = &device{name: x.DeviceName, cp: cp, has: has, skipLeft: cp.AtStart, runStart: cp.Start, runCount: cp.AtStart}
			d.collected.cp = cp
			d.collected.pending = map[int]*job{}
			d.collected.rejected = -1
			d.rejectedAt.Store(-1)
			byName[x.DeviceName] = d
			devices = append(devices, d)
		}
		if d.seen && x.Start.Before(d.last) {
			stopErr = fmt.Errorf("samples: sample %d of device %q starts at %s, before the previous one (%s): a sequence must give each device's samples in time order",
				idx, d.name, x.Start.Format(TimeLayout), d.last.Format(TimeLayout))
			break
		}
		d.last, d.seen = x.Start, true
		// Without a checkpoint nothing is skipped: the zero Checkpoint's
		// Start (year 1) is after valid samples of year 0.
		if d.has && (x.Start.Before(d.cp.Start) || x.Start.Equal(d.cp.Start) && d.skipLeft > 0) {
			if x.Start.Equal(d.cp.Start) {
				d.skipLeft--
			}
			skipped++
			continue
		}
		if d.blocked.Load() {
			// A batch of this device was rejected: nothing more of it is
			// sent in this run.
			notSent += len(d.buf) + 1
			d.buf = d.buf[:0]
			continue
		}
		d.buf = append(d.buf, x)
		if len(d.buf) >= MaxBatch+MinBatch && !emit(d, MaxBatch) {
			break
		}
	}
	if stopErr == nil && ctx.Err() == nil {
	flush:
		for _, d := range devices {
			n := len(d.buf)
			switch {
			case d.blocked.Load():
				notSent += n
			case n == 0:
			case n < MinBatch:
				held = append(held, d.buf...)
			case n <= MaxBatch:
				if !emit(d, n) {
					break flush
				}
			default:
				if !emit(d, n-n/2) || !emit(d, len(d.buf)) {
					break flush
				}
			}
		}
	}
	close(queue)
	wg.Wait()
	// The producer's counts join the collector's only now: each wrote its
	// own until here.
	rep.Skipped, rep.NotSent, rep.Held = skipped, rep.NotSent+notSent, held
	for _, d := range devices {
		rep.Checkpoints[d.name] = d.collected.cp
	}
	switch {
	case fatal != nil:
		return rep, fmt.Errorf("samples: sync stopped after %d samples: %w", rep.Sent, fatal)
	case parent.Err() != nil:
		return rep, fmt.Errorf("samples: sync stopped after %d samples: %w", rep.Sent, parent.Err())
	case stopErr != nil:
		return rep, stopErr
	case len(rep.Rejected) > 0:
		return rep, fmt.Errorf("samples: %d batch(es) rejected, %d sample(s) of their devices not sent; first: %w", len(rep.Rejected), rep.NotSent, rep.Rejected[0].Err)
	case len(rep.Held) > 0:
		few := &TooFewError{Samples: rep.Held}
		for _, d := range devices {
			if n := len(d.buf); n > 0 && n < MinBatch && !d.blocked.Load() {
				few.Devices = append(few.Devices, d.name)
			}
		}
		return rep, few
	}
	return rep, nil
}

// send posts one batch, sending it again up to Rounds times after the
// engine's retries gave up on a retryable failure.
func (s *Syncer) send(ctx context.Context, dt DataType, j *job) {
	defer func() {
		b := j.batch[:0]
		j.batch = nil
		batchPool.Put(&b)
	}()
	if err := ctx.Err(); err != nil {
		j.err = context.Cause(ctx)
		return
	}
	if r := j.dev.rejectedAt.Load(); r >= 0 && int64(j.seq) > r {
		// Behind a rejected batch of its device: not sent.
		j.dropped = true
		return
	}
	bp := bodyPool.Get().(*[]byte)
	body := AppendBatchJSON((*bp)[:0], s.Client.userID, dt, j.batch)
	defer func() { *bp = body[:0]; bodyPool.Put(bp) }()
	rounds := s.Rounds
	if rounds == 0 {
		rounds = DefaultRounds
	}
	wait := s.RoundWait
	if wait <= 0 {
		wait = DefaultRoundWait
	}
	for round := 0; ; round++ {
		j.started = true
		j.err = s.Client.send(ctx, body)
		if j.err == nil || round >= rounds || !transient(j.err) || ctx.Err() != nil {
			return
		}
		t := time.NewTimer(wait << round)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return
		}
	}
}

// transient reports whether a failed send may succeed later: 429, 5xx,
// network errors.
func transient(err error) bool {
	if errors.Is(err, wearkit.ErrRateLimited) || errors.Is(err, wearkit.ErrServer) {
		return true
	}
	var we *wearkit.Error
	var ae *wearkit.AuthError
	return errors.As(err, &we) && we.StatusCode == 0 && !errors.As(err, &ae) &&
		!errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
}

// collect records one ended batch: it moves the device's checkpoint over
// the gap-free run of acknowledged batches and saves it, reports progress,
// and returns an error that must stop the sync.
func (s *Syncer) collect(ctx context.Context, dt DataType, j *job, rep *SyncReport, free func(*job)) error {
	d := j.dev
	res := BatchResult{Device: d.name, Seq: j.seq, First: j.first, Last: j.last, Samples: j.n, Err: j.err}
	var stop error
	switch {
	case j.dropped:
		rep.NotSent += j.n
		free(j)
		return nil
	case j.err == nil:
		rep.Sent += j.n
		rep.Batches++
		c := &d.collected
		if d.collected.rejected >= 0 && j.seq > d.collected.rejected {
			// Behind a rejected batch: never covered in this run.
			free(j)
			break
		}
		c.pending[j.seq] = j
		moved := 0
		for p, ok := c.pending[c.next]; ok; p, ok = c.pending[c.next] {
			delete(c.pending, c.next)
			c.cp = Checkpoint{Start: p.end.Start, AtStart: p.end.AtStart, Sent: c.cp.Sent + int64(p.n)}
			c.next++
			moved++
			free(p)
		}
		if moved > 0 {
			// Saved even when the run is being cancelled: what was
			// acknowledged must not be sent again.
			if err := s.Store.Save(context.WithoutCancel(ctx), dt, d.name, c.cp); err != nil {
				stop = fmt.Errorf("saving the checkpoint of %q: %w", d.name, err)
			}
		}
	case errors.Is(j.err, wearkit.ErrBadRequest) && !errors.As(j.err, new(*wearkit.AuthError)):
		// A refused login (400) is no verdict on the data: it stops the
		// sync below, rather than each device trying its own login.
		res.Rejected = true
		d.blocked.Store(true)
		rep.NotSent += j.n
		rep.Rejected = append(rep.Rejected, res)
		// The device's acknowledged batches after this one can never be
		// covered in this run: their slots are freed. Earlier ones still
		// wait for theirs and move the checkpoint up to this batch.
		c := &d.collected
		if c.rejected < 0 || j.seq < c.rejected {
			c.rejected = j.seq
			d.rejectedAt.Store(int64(j.seq))
		}
		free(j)
		for seq, p := range c.pending {
			if seq > c.rejected {
				delete(c.pending, seq)
				free(p)
			}
		}
	case !j.started || ctx.Err() != nil:
		// Not sent, or cut short by the sync's end: the checkpoint covers
		// it next time.
		free(j)
	default:
		free(j)
		stop = fmt.Errorf("batch %d of %q (%d samples from %s): %w", j.seq, d.name, j.n, j.first.Format(TimeLayout), j.err)
	}
	res.Sent, res.Batches = rep.Sent, rep.Batches
	if s.Progress != nil {
		s.Progress(res)
	}
	return stop
}
