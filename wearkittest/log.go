package wearkittest

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// MaxLoggedBody bounds what one request may send to a fake (and what the
// log keeps of it): 64 MiB.
const MaxLoggedBody = 64 << 20

// Entry is one request as the fake received it.
type Entry struct {
	Method   string
	Path     string
	RawQuery string
	Query    url.Values
	Header   http.Header
	Body     []byte
	At       time.Time
}

// String returns "METHOD /path?query".
func (e Entry) String() string {
	if e.RawQuery == "" {
		return e.Method + " " + e.Path
	}
	return e.Method + " " + e.Path + "?" + e.RawQuery
}

// RequestLog is a concurrency-safe list of received requests.
type RequestLog struct {
	mu      sync.Mutex
	entries []Entry
}

func (l *RequestLog) add(r *http.Request, body []byte, at time.Time) {
	e := Entry{
		Method:   r.Method,
		Path:     r.URL.Path,
		RawQuery: r.URL.RawQuery,
		Query:    r.URL.Query(),
		Header:   r.Header.Clone(),
		Body:     body,
		At:       at,
	}
	l.mu.Lock()
	l.entries = append(l.entries, e)
	l.mu.Unlock()
}

// Entries returns a copy of the log.
func (l *RequestLog) Entries() []Entry {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Entry(nil), l.entries...)
}

// Len is the number of requests received.
func (l *RequestLog) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.entries)
}

// Last returns the most recent request; ok is false when there is none.
func (l *RequestLog) Last() (e Entry, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.entries) == 0 {
		return Entry{}, false
	}
	return l.entries[len(l.entries)-1], true
}

// Count returns how many requests had this method and path.
func (l *RequestLog) Count(method, path string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, e := range l.entries {
		if e.Method == method && e.Path == path {
			n++
		}
	}
	return n
}

// Reset empties the log.
func (l *RequestLog) Reset() {
	l.mu.Lock()
	l.entries = nil
	l.mu.Unlock()
}

func readAllLimited(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, MaxLoggedBody+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxLoggedBody {
		return nil, fmt.Errorf("body over %d bytes", MaxLoggedBody)
	}
	return b, nil
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }
