package corsano

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"time"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/internal/redact"
	"github.com/wearkit/wearkit/internal/rest"
)

// ErrExportCooldown matches a create-export the client refused, without
// sending it, because the same patient had one less than ExportCooldown ago
// (see *CooldownError for when the next one is allowed). It also matches
// wearkit.ErrRateLimited.
var ErrExportCooldown = errors.New("corsano: export cooldown")

// CooldownError is the error of a create-export refused by the client under
// Corsano's rule of one export per patient every ExportCooldown.
type CooldownError struct {
	// UUID is the patient.
	UUID string
	// Next is the earliest time (by the client's clock) the next export of
	// this patient is allowed.
	Next time.Time
	// Wait is Next minus the time of the refusal.
	Wait time.Duration
	// InFlight reports that another create-export of this patient was being
	// sent when this one was refused; Next then counts from now and moves
	// later once that one is answered.
	InFlight bool
	// Deadline reports that the client was asked to wait (WithExportWait)
	// but the context's deadline comes before Next.
	Deadline bool
}

// Error implements error.
func (e *CooldownError) Error() string {
	why := ""
	switch {
	case e.InFlight:
		why = " (another export of this patient is being created)"
	case e.Deadline:
		why = " (the wait would outlive the context's deadline)"
	}
	return fmt.Sprintf("corsano: export of patient %s refused: one export per patient every %v; the next is allowed at %s, in %v%s",
		e.UUID, ExportCooldown, e.Next.Format(time.RFC3339), e.Wait.Round(time.Second), why)
}

// Is matches ErrExportCooldown and wearkit.ErrRateLimited.
func (e *CooldownError) Is(target error) bool {
	return target == ErrExportCooldown || target == wearkit.ErrRateLimited
}

// ErrExportFailed matches an export whose status is neither in_progress nor
// done (see *ExportStatusError).
var ErrExportFailed = errors.New("corsano: export failed")

// ExportStatusError reports an export the API answered with a status other
// than in_progress or done (the only two documented). It keeps the raw
// answer.
type ExportStatusError struct {
	// ID is the export's id.
	ID string
	// Status is the status the API sent.
	Status ExportStatus
	// Raw is the export's JSON as the API sent it.
	Raw json.RawMessage
}

// Error implements error.
func (e *ExportStatusError) Error() string {
	raw := string(e.Raw)
	if len(raw) > 512 {
		raw = redact.CutUTF8(raw, 512) + "…"
	}
	return fmt.Sprintf("corsano: export %s has status %q, not in_progress or done: %s", e.ID, string(e.Status), raw)
}

// Is matches ErrExportFailed.
func (e *ExportStatusError) Is(target error) bool { return target == ErrExportFailed }

// parseError reads Corsano's (Laravel) error answers: {"message": "...",
// "errors": {"field": ["..."]}} or {"error": "..."}.
func parseError(status int, h http.Header, body []byte) rest.ErrorDetail {
	d := rest.DefaultErrorParser(status, h, body)
	if d.Message != "" {
		return d
	}
	var m struct {
		Errors map[string][]string `json:"errors"`
	}
	if json.Unmarshal(body, &m) == nil {
		for _, field := range slices.Sorted(maps.Keys(m.Errors)) {
			if msgs := m.Errors[field]; len(msgs) > 0 {
				d.Message = field + ": " + msgs[0]
				break
			}
		}
	}
	return d
}

// asError is errors.As for the engine's error type.
func asError(err error, target **wearkit.Error) bool { return errors.As(err, target) }

// scrubTokens removes earlier tokens from an error: after a 401 the call is
// sent again with a new token, and a server that echoes the old one would
// otherwise show it, since the engine knows only the new one as a secret.
func scrubTokens(err error, tokens ...string) error {
	if err == nil {
		return nil
	}
	var sec redact.Secrets
	for _, t := range tokens {
		sec.Add(t)
	}
	if sec.Empty() {
		return err
	}
	var we *wearkit.Error
	if errors.As(err, &we) && err == error(we) {
		cp := *we
		cp.Message = sec.Scrub(cp.Message)
		cp.Code = sec.Scrub(cp.Code)
		cp.Body = []byte(sec.Scrub(string(cp.Body)))
		cp.Err = redact.Error(cp.Err, &sec)
		return &cp
	}
	return redact.Error(err, &sec)
}

// ExportSaveError is DownloadExport's error once the export was created
// but waiting for it or downloading it failed. A new CreateExport of the
// patient would be refused for ExportCooldown, so ID is what lets the
// caller finish: SaveExport(ctx, ID, w) (to a fresh writer: a download cut
// short may have written part of the ZIP).
type ExportSaveError struct {
	// UUID is the patient, ID the export created.
	UUID, ID string
	// Err is why waiting or downloading failed.
	Err error
}

// Error implements error.
func (e *ExportSaveError) Error() string {
	return fmt.Sprintf("corsano: export %s of patient %s was created but not saved (SaveExport with its id finishes it): %v", e.ID, e.UUID, e.Err)
}

// Unwrap returns Err.
func (e *ExportSaveError) Unwrap() error { return e.Err }
