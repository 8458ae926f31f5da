package hexoskintest

import (
	"net/http"
	"time"

	"github.com/wearkit/wearkit/wearkittest"
)

// Fault is one misbehaviour for Server.Faults.Push (a status with a body, a
// Retry-After, a delay, a connection reset, a truncated body), re-exported
// so programs outside this module can script faults.
type Fault = wearkittest.Fault

// Clock is the fake's injectable clock (see WithClock).
type Clock = wearkittest.Clock

// NewClock returns a clock standing at t.
func NewClock(t time.Time) *Clock { return wearkittest.NewClock(t) }

// MatchPath matches requests to one path, and one method if method is not
// empty, for Fault.Match.
func MatchPath(method, path string) func(*http.Request) bool {
	return wearkittest.MatchPath(method, path)
}
