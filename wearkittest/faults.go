package wearkittest

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"
)

// Fault is one misbehaviour the fake shows instead of (or on top of) its
// normal answer.
type Fault struct {
	// Match selects the requests the fault applies to; nil matches any.
	Match func(*http.Request) bool
	// Delay waits before answering (ends early if the client goes away).
	Delay time.Duration
	// Status, when non-zero, answers this status with Body instead of
	// running the handler.
	Status int
	// Body is the answer's body for Status (JSON if it starts with { or [).
	Body string
	// Header is added to the answer for Status.
	Header http.Header
	// RetryAfter, when set, is sent as the Retry-After header.
	RetryAfter string
	// Reset closes the connection without an answer (a TCP reset).
	Reset bool
	// TruncateAfter, when positive, runs the handler but sends only the
	// first TruncateAfter bytes of its body under the full Content-Length,
	// then drops the connection.
	TruncateAfter int
}

// MatchPath matches requests to one path, and one method if method is not
// empty.
func MatchPath(method, path string) func(*http.Request) bool {
	return func(r *http.Request) bool {
		return r.URL.Path == path && (method == "" || r.Method == method)
	}
}

// FaultScript is a queue of faults; each request takes the first one that
// matches it.
type FaultScript struct {
	mu     sync.Mutex
	faults []Fault
}

// Push appends faults to the script.
func (s *FaultScript) Push(faults ...Fault) {
	s.mu.Lock()
	s.faults = append(s.faults, faults...)
	s.mu.Unlock()
}

// Statuses pushes one fault per status, each with the same Retry-After.
func (s *FaultScript) Statuses(retryAfter string, statuses ...int) {
	for _, st := range statuses {
		s.Push(Fault{Status: st, RetryAfter: retryAfter})
	}
}

// Pending is the number of faults not yet used.
func (s *FaultScript) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.faults)
}

// Clear drops every pending fault.
func (s *FaultScript) Clear() {
	s.mu.Lock()
	s.faults = nil
	s.mu.Unlock()
}

func (s *FaultScript) take(r *http.Request) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.Match == nil || f.Match(r) {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
			return f, true
		}
	}
	return Fault{}, false
}

func (s *Server) apply(f Fault, h http.Handler, w http.ResponseWriter, r *http.Request) {
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	switch {
	case f.Reset:
		resetConn(w)
	case f.TruncateAfter > 0:
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		writeTruncated(w, rec, f.TruncateAfter)
	case f.Status != 0:
		for k, vs := range f.Header {
			w.Header()[k] = vs
		}
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		if len(f.Body) > 0 && (f.Body[0] == '{' || f.Body[0] == '[') {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(f.Status)
		_, _ = w.Write([]byte(f.Body))
	default:
		h.ServeHTTP(w, r)
	}
}

// resetConn drops the connection with a TCP RST, no answer sent.
func resetConn(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		http.Error(w, "wearkittest: cannot hijack to reset: "+err.Error(), http.StatusInternalServerError)
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// writeTruncated sends rec's answer with its full Content-Length but only n
// bytes of body, then closes the connection.
func writeTruncated(w http.ResponseWriter, rec *httptest.ResponseRecorder, n int) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		http.Error(w, "wearkittest: cannot hijack to truncate: "+err.Error(), http.StatusInternalServerError)
		return
	}
	defer conn.Close()
	body := rec.Body.Bytes()
	n = min(n, len(body))
	bw := buf.Writer
	fmt.Fprintf(bw, "HTTP/1.1 %d %s\r\n", rec.Code, http.StatusText(rec.Code))
	h := rec.Header().Clone()
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Connection", "close")
	_ = h.Write(bw)
	_, _ = bw.WriteString("\r\n")
	_, _ = bw.Write(body[:n])
	_ = bw.Flush()
}
