package polar

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/internal/redact"
)

// Sync statuses.
const (
	SyncSuccess = "success"
	SyncPartial = "partial"
)

// MaxSyncDays bounds TriggerSync's days.
const MaxSyncDays = 365

// SyncResult is the answer to a sync trigger. The server's code sends
// {"status", "user_id", "records": {14 endpoints}, "errors", "total_records"};
// its page {"status", "user_id", "results": {11 endpoints}}. Both decode
// into Records; TotalRecords is summed when the server did not send it.
type SyncResult struct {
	// Status is SyncSuccess or SyncPartial (some endpoints failed; a bad
	// Polar token gives a partial answer with HTTP 200).
	Status string `json:"status"`
	UserID string `json:"user_id" polar:"id"`
	// Records counts the records synced per endpoint ("sleep", ...).
	Records map[string]int `json:"records"`
	// Errors holds each failed endpoint's message.
	Errors       map[string]string `json:"errors"`
	TotalRecords int               `json:"total_records"`
	Extra        Extra             `json:"-"`
}

// UnmarshalJSON decodes either form of the answer.
func (s *SyncResult) UnmarshalJSON(b []byte) error {
	if err := decodeObject(b, s); err != nil {
		return err
	}
	if raw, ok := s.Extra["results"]; ok && s.Records == nil {
		var m map[string]int
		if err := decodeInto(raw, &m); err != nil {
			return fmt.Errorf("polar.SyncResult field \"results\": %w", err)
		}
		s.Records = m
		delete(s.Extra, "results")
		if len(s.Extra) == 0 {
			s.Extra = nil
		}
	}
	if s.TotalRecords == 0 {
		for _, n := range s.Records {
			s.TotalRecords += n
		}
	}
	return nil
}

// PartialSyncError is returned, beside the result, when a sync answered
// "partial": it names every endpoint that failed with the server's message.
type PartialSyncError struct {
	UserID string
	// Errors maps each failed endpoint to the server's message.
	Errors map[string]string
}

// Error lists the failed endpoints in name order.
func (e *PartialSyncError) Error() string {
	names := make([]string, 0, len(e.Errors))
	for k := range e.Errors {
		names = append(names, k)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = k + ": " + e.Errors[k]
	}
	if len(parts) == 0 {
		return fmt.Sprintf("polar: sync of user %s was partial (the server named no endpoint)", e.UserID)
	}
	return fmt.Sprintf("polar: sync of user %s was partial: %s", e.UserID, strings.Join(parts, "; "))
}

// TriggerSync asks the server to sync days days (1 to 365; the server's
// default lookback when days is 0) of the user's data from Polar, sending
// the token of WithPolarToken as X-Polar-Token, and days in the query (the
// server ignores a JSON body). It is not retried once it reached the
// server. A sync already running answers 409, an error matching
// ErrSyncInProgress. A partial sync returns the result and a
// *PartialSyncError naming what failed.
func (c *Client) TriggerSync(ctx context.Context, userID string, days int) (*SyncResult, error) {
	if err := checkUser("TriggerSync", userID); err != nil {
		return nil, err
	}
	if c.polarToken == "" {
		return nil, fmt.Errorf("polar: TriggerSync: no Polar access token (WithPolarToken)")
	}
	r := &wearkit.Request{Method: http.MethodPost, Path: userPath(userID, "sync", "trigger"),
		Header: http.Header{"X-Polar-Token": {c.polarToken}}}
	if days != 0 {
		if err := checkDays("TriggerSync", days, MinDays, MaxSyncDays); err != nil {
			return nil, err
		}
		r.Query = daysQuery{days}
	}
	var out SyncResult
	if _, err := c.do(ctx, r, &out); err != nil {
		return nil, err
	}
	if out.Status == SyncPartial || len(out.Errors) > 0 {
		// The messages come from a 200 answer, which the engine does not
		// scrub: a server quoting the request would put the credentials
		// in an error.
		var sec redact.Secrets
		sec.Add(c.polarToken)
		sec.Add(c.apiKey)
		for k, v := range out.Errors {
			out.Errors[k] = sec.Scrub(v)
		}
		return &out, &PartialSyncError{UserID: out.UserID, Errors: out.Errors}
	}
	return &out, nil
}
