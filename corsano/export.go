package corsano

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/wearkit/wearkit"
)

// ExportCooldown is Corsano's rule: one create-export per patient every five
// minutes.
const ExportCooldown = 5 * time.Minute

// MaxURLRenewals is how many times DownloadExport asks for a fresh download
// link when the one it has turns out expired.
const MaxURLRenewals = 3

// ExportStatus is an export's state. Only in_progress and done are
// documented; any other value is kept as sent.
type ExportStatus string

// Documented export states.
const (
	ExportInProgress ExportStatus = "in_progress"
	ExportDone       ExportStatus = "done"
)

// Known reports whether s is a documented state.
func (s ExportStatus) Known() bool { return s == ExportInProgress || s == ExportDone }

// String returns the state, marked unknown if it is not documented.
func (s ExportStatus) String() string {
	if s.Known() {
		return string(s)
	}
	return fmt.Sprintf("unknown export status %q", string(s))
}

// ExportRequest describes an export: a range and the data types. From and
// To are read as wall-clock times of the patient's day: their zone is
// ignored (the API takes local times without zone).
type ExportRequest struct {
	// From and To bound the range, wall clock of the patient's day.
	From, To time.Time
	// Types are raw metric types (see the RawMetricType constants) or
	// "tests".
	Types []string
}

// exportBody is the create-export body.
type exportBody struct {
	From  ClientTime `json:"client_date_from"`
	To    ClientTime `json:"client_date_to"`
	Types []string   `json:"types"`
}

func (r ExportRequest) body() (exportBody, error) {
	b := exportBody{From: ClientTimeOf(r.From), To: ClientTimeOf(r.To), Types: r.Types}
	if r.From.IsZero() || r.To.IsZero() {
		return b, errors.New("corsano: ExportRequest: From and To must both be set")
	}
	if !b.From.Before(b.To.Time) {
		return b, fmt.Errorf("corsano: ExportRequest: From %s is not before To %s (wall clock)", b.From, b.To)
	}
	if len(r.Types) == 0 {
		return b, errors.New("corsano: ExportRequest: Types is empty")
	}
	for i, t := range r.Types {
		if t == "" || strings.ContainsAny(t, "/?#% ") {
			return b, fmt.Errorf("corsano: ExportRequest: Types[%d] %q is not a data type name", i, t)
		}
	}
	return b, nil
}

// Export is an export job.
type Export struct {
	// ID identifies the export (the API may send a number; it is kept as
	// its decimal text).
	ID string
	// Status is in_progress or done (or what else the API sent).
	Status ExportStatus
	// DownloadURL is the presigned ZIP link of a done export, valid about
	// an hour; it is on another host and takes no Corsano credentials.
	DownloadURL string
	// Raw is the export as the API sent it.
	Raw json.RawMessage
}

// UnmarshalJSON decodes the API's form, keeping it in Raw.
func (e *Export) UnmarshalJSON(b []byte) error {
	var w struct {
		ID          json.RawMessage `json:"id"`
		Status      string          `json:"status"`
		DownloadURL string          `json:"downloadUrl"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	id := string(bytes.TrimSpace(w.ID))
	if s, err := strconv.Unquote(id); err == nil {
		id = s
	}
	if id == "null" {
		id = ""
	}
	*e = Export{ID: id, Status: ExportStatus(w.Status), DownloadURL: w.DownloadURL, Raw: append(json.RawMessage(nil), b...)}
	return nil
}

// check turns an unknown status into an *ExportStatusError.
func (e *Export) check() error {
	if e.ID == "" {
		return fmt.Errorf("corsano: export answer has no id: %.200s", e.Raw)
	}
	if !e.Status.Known() {
		return &ExportStatusError{ID: e.ID, Status: e.Status, Raw: e.Raw}
	}
	return nil
}

// CreateExport asks for an export of one patient's data. The client sends
// at most one create-export per patient every ExportCooldown, counted from
// the end of the previous one (by the client's clock), whichever goroutine
// sends it and whether or not it failed once it may have reached the
// server: a call inside the cooldown fails at once with an error matching
// ErrExportCooldown (a *CooldownError saying when the next is allowed), or
// with WithExportWait waits for it. The POST is never retried once it may
// have reached the server, except after the server's own refusal (429)
// under WithExportWait. A 429 with Retry-After moves the next allowed time
// later.
func (c *Client) CreateExport(ctx context.Context, uuid string, req ExportRequest) (*Export, error) {
	if err := checkUUID(uuid); err != nil {
		return nil, err
	}
	body, err := req.body()
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("corsano: create export of patient %s: %w", uuid, err)
	}
	var e Export
	for {
		release, err := c.exports.reserve(ctx, uuid, c.wait)
		if err != nil {
			return nil, err
		}
		_, err = c.do(ctx, &wearkit.Request{Method: http.MethodPost, Path: "create-export/" + uuid, Body: body}, &e)
		release(reachedServer(err), retryAfter(err))
		if err != nil && c.wait && errors.Is(err, wearkit.ErrRateLimited) {
			// Refused by the server (another program exported the
			// patient): the record now holds its cooldown, which the
			// next reserve waits out.
			continue
		}
		if err != nil {
			return nil, err
		}
		break
	}
	if err := e.check(); err != nil {
		return &e, err
	}
	return &e, nil
}

// reachedServer reports whether a failed create-export may have reached the
// server. Only a refused connection says for sure that it did not.
func reachedServer(err error) bool {
	return err == nil || !errors.Is(err, syscall.ECONNREFUSED)
}

func retryAfter(err error) time.Duration {
	var we *wearkit.Error
	if errors.As(err, &we) {
		return we.RetryAfter
	}
	return 0
}

// Export returns an export's current state. An undocumented status is an
// *ExportStatusError (matching ErrExportFailed), returned with the export.
func (c *Client) Export(ctx context.Context, id string) (*Export, error) {
	if id == "" || strings.ContainsAny(id, "/?#%") {
		return nil, fmt.Errorf("corsano: export id %q is not a path segment", id)
	}
	var e Export
	if _, err := c.do(ctx, &wearkit.Request{Path: "export/" + id}, &e); err != nil {
		return nil, err
	}
	if e.ID == "" {
		e.ID = id
	}
	if err := e.check(); err != nil {
		return &e, err
	}
	return &e, nil
}

// WaitExport polls an export until it is done and returns it with its
// download link. The wait between polls starts at the poll interval
// (WithPollInterval) and doubles up to WithMaxPollInterval; the context
// bounds the whole wait.
func (c *Client) WaitExport(ctx context.Context, id string) (*Export, error) {
	d := c.poll
	var last *Export
	for {
		e, err := c.Export(ctx, id)
		if err != nil {
			if last != nil && ctx.Err() != nil {
				// The deadline came during a poll rather than between
				// two: say where the export stood, as the wait does.
				return last, fmt.Errorf("corsano: waiting for export %s (still %s): %w", id, last.Status, err)
			}
			return e, err
		}
		last = e
		if e.Status == ExportDone {
			if e.DownloadURL == "" {
				return e, fmt.Errorf("corsano: export %s is done but has no downloadUrl: %.300s", id, e.Raw)
			}
			return e, nil
		}
		if err := sleep(ctx, d); err != nil {
			return e, fmt.Errorf("corsano: waiting for export %s (still %s): %w", id, e.Status, err)
		}
		d = min(2*d, c.maxPoll)
	}
}

// SaveExport waits for an export to be done and streams its ZIP to w. When
// the download link has expired (by the expiry it carries, or by the
// storage host's refusal), the export is polled again for a fresh link, up
// to MaxURLRenewals times. Nothing is written to w before a 2xx answer.
func (c *Client) SaveExport(ctx context.Context, id string, w io.Writer) error {
	e, err := c.WaitExport(ctx, id)
	if err != nil {
		return err
	}
	for renewals := 0; ; renewals++ {
		link := e.DownloadURL
		if exp, ok := presignedExpiry(link); !ok || c.now().Before(exp) {
			err = c.download(ctx, link, w)
			if err == nil || !linkExpired(err) {
				return err
			}
		}
		if renewals == MaxURLRenewals {
			return fmt.Errorf("corsano: export %s: download link still expired after %d renewals", id, renewals)
		}
		if e, err = c.WaitExport(ctx, id); err != nil {
			return err
		}
	}
}

// DownloadExport creates an export (CreateExport, with its cooldown), waits
// for it and streams its ZIP to w (SaveExport), all within the context's
// deadline. Once the export exists, a failure is an *ExportSaveError
// naming it, so the caller can finish with SaveExport instead of waiting
// out the cooldown for a new one.
func (c *Client) DownloadExport(ctx context.Context, uuid string, req ExportRequest, w io.Writer) error {
	e, err := c.CreateExport(ctx, uuid, req)
	if err != nil {
		if e != nil && e.ID != "" {
			// Created, with a status this client does not know.
			return &ExportSaveError{UUID: uuid, ID: e.ID, Err: err}
		}
		return err
	}
	if err := c.SaveExport(ctx, e.ID, w); err != nil {
		return &ExportSaveError{UUID: uuid, ID: e.ID, Err: err}
	}
	return nil
}

// download streams a presigned link to w. The engine sends no Corsano
// credential to another host; the link's own query (its signature) is cut
// from the error.
func (c *Client) download(ctx context.Context, link string, w io.Writer) error {
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("corsano: download link is not an absolute http(s) URL")
	}
	_, err = c.rc.Do(ctx, &wearkit.Request{Path: link, Header: http.Header{"Accept": {"application/zip, */*"}}}, w)
	var we *wearkit.Error
	if errors.As(err, &we) {
		cp := *we
		if i := strings.IndexByte(cp.URL, '?'); i >= 0 {
			cp.URL = cp.URL[:i] + "?REDACTED"
		}
		return &cp
	}
	var de *wearkit.DecodeError
	if errors.As(err, &de) {
		cp := *de
		if i := strings.IndexByte(cp.URL, '?'); i >= 0 {
			cp.URL = cp.URL[:i] + "?REDACTED"
		}
		return &cp
	}
	return err
}

// linkExpired reports a storage host's refusal of an expired link: 403 (S3's
// "Request has expired"), 410, or a 400 that says expired.
func linkExpired(err error) bool {
	var we *wearkit.Error
	if !errors.As(err, &we) {
		return false
	}
	switch we.StatusCode {
	case http.StatusForbidden, http.StatusGone:
		return true
	case http.StatusBadRequest:
		return bytes.Contains(bytes.ToLower(we.Body), []byte("expired"))
	}
	return false
}

// presignedExpiry reads an S3 presigned link's expiry (X-Amz-Date plus
// X-Amz-Expires).
func presignedExpiry(link string) (time.Time, bool) {
	u, err := url.Parse(link)
	if err != nil {
		return time.Time{}, false
	}
	q := u.Query()
	at, err := time.Parse("20060102T150405Z", q.Get("X-Amz-Date"))
	if err != nil {
		return time.Time{}, false
	}
	secs, err := strconv.Atoi(q.Get("X-Amz-Expires"))
	if err != nil || secs <= 0 {
		return time.Time{}, false
	}
	return at.Add(time.Duration(secs) * time.Second), true
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// cooldowns keeps, per patient, when the last create-export ended and
// whether one is being sent: the record behind the five-minute rule.
type cooldowns struct {
	now func() time.Time

	mu sync.Mutex
	m  map[string]*cooldown
}

type cooldown struct {
	last     time.Time     // end of the last create-export that may have reached the server
	inflight chan struct{} // non-nil while one is being sent; closed when it ends
}

func newCooldowns(now func() time.Time) *cooldowns {
	return &cooldowns{now: now, m: map[string]*cooldown{}}
}

// cooldownRecheck bounds one sleep of a waiting create-export, so that a
// clock set forward (a test's fake clock) is noticed.
const cooldownRecheck = time.Second

// reserve grants the right to send one create-export for uuid, or refuses
// with a *CooldownError; with wait it waits for the right instead, within
// ctx. The caller must call release once the create-export has ended,
// saying whether it may have reached the server and any Retry-After.
func (c *cooldowns) reserve(ctx context.Context, uuid string, wait bool) (release func(reached bool, retryAfter time.Duration), err error) {
	for {
		c.mu.Lock()
		cd := c.m[uuid]
		if cd == nil {
			cd = &cooldown{}
			c.m[uuid] = cd
		}
		now := c.now()
		var delay time.Duration
		var ch chan struct{}
		switch {
		case cd.inflight != nil:
			if !wait {
				c.mu.Unlock()
				return nil, &CooldownError{UUID: uuid, Next: now.Add(ExportCooldown), Wait: ExportCooldown, InFlight: true}
			}
			ch = cd.inflight
		case !cd.last.IsZero() && now.Before(cd.last.Add(ExportCooldown)):
			next := cd.last.Add(ExportCooldown)
			delay = next.Sub(now)
			if !wait {
				c.mu.Unlock()
				return nil, &CooldownError{UUID: uuid, Next: next, Wait: delay}
			}
			if dl, ok := ctx.Deadline(); ok && time.Until(dl) < delay {
				c.mu.Unlock()
				return nil, &CooldownError{UUID: uuid, Next: next, Wait: delay, Deadline: true}
			}
		default:
			cd.inflight = make(chan struct{})
			c.mu.Unlock()
			return func(reached bool, ra time.Duration) { c.release(cd, reached, ra) }, nil
		}
		c.mu.Unlock()
		if ch == nil {
			t := time.NewTimer(min(delay, cooldownRecheck))
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				return nil, fmt.Errorf("corsano: waiting for the export cooldown of patient %s: %w", uuid, ctx.Err())
			}
			continue
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, fmt.Errorf("corsano: waiting for the export cooldown of patient %s: %w", uuid, ctx.Err())
		}
	}
}

func (c *cooldowns) release(cd *cooldown, reached bool, retryAfter time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if reached {
		now := c.now()
		cd.last = now
		if retryAfter > ExportCooldown {
			cd.last = now.Add(retryAfter - ExportCooldown)
		}
	}
	close(cd.inflight)
	cd.inflight = nil
}
