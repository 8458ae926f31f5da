package wearkittest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// WriteJSON answers status with v encoded as JSON.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "wearkittest: encoding answer: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", fmt.Sprint(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// DecodeJSON decodes the request body into v, rejecting unknown fields and
// trailing data, as a strict vendor would.
func DecodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("decoding JSON body: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("decoding JSON body: trailing data after the value")
	}
	return nil
}

// JSONBody re-encodes a logged body for comparison in tests, so key order
// and spacing do not matter. It returns the raw body when it is not JSON.
func JSONBody(b []byte) string {
	var v any
	if json.Unmarshal(b, &v) != nil {
		return string(b)
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return string(bytes.TrimSpace(out.Bytes()))
}

// Clock is an injectable clock for fakes that enforce time rules (token
// lifetimes, one export per five minutes, stale signatures). The zero Clock,
// and a nil *Clock, follow real time; once Set, it stands still until
// Advance or Set.
type Clock struct {
	mu    sync.Mutex
	fixed bool
	now   time.Time
}

// NewClock returns a clock standing at t.
func NewClock(t time.Time) *Clock { return &Clock{fixed: true, now: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	if c == nil {
		return time.Now()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.fixed {
		return time.Now()
	}
	return c.now
}

// Set stops the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.fixed, c.now = true, t
	c.mu.Unlock()
}

// Advance moves a stopped clock forward by d (a real-time clock is stopped
// at now+d).
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	if !c.fixed {
		c.fixed, c.now = true, time.Now()
	}
	c.now = c.now.Add(d)
	c.mu.Unlock()
}
