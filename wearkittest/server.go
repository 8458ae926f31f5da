package wearkittest

import (
	"bytes"
	"net/http"
	"net/http/httptest"
)

// TB is the part of testing.TB that Start needs, so this package does not
// import testing and example programs can use it too.
type TB interface {
	Helper()
	Cleanup(func())
}

// Server is a running fake vendor server.
type Server struct {
	// URL is the server's base URL, http://127.0.0.1:port.
	URL string
	// Log records every request received, faults included.
	Log *RequestLog
	// Faults are consumed, first match first, before the handler runs.
	Faults *FaultScript
	// Clock is the fake's notion of now; the handler may share it.
	Clock *Clock

	srv *httptest.Server
}

// Start starts h on loopback for the length of a test and closes it in
// t.Cleanup.
func Start(t TB, h http.Handler, opts ...Option) *Server {
	t.Helper()
	s := Serve(h, opts...)
	t.Cleanup(s.Close)
	return s
}

// Serve starts h on loopback for a program that is not a test (the example
// programs); the caller must Close it.
func Serve(h http.Handler, opts ...Option) *Server {
	s := &Server{Log: &RequestLog{}, Faults: &FaultScript{}}
	for _, o := range opts {
		o(s)
	}
	if s.Clock == nil {
		s.Clock = &Clock{}
	}
	s.srv = httptest.NewServer(s.wrap(h))
	s.URL = s.srv.URL
	return s
}

// Option configures a Server.
type Option func(*Server)

// WithClock makes the server's log (and any handler sharing it) use c.
func WithClock(c *Clock) Option { return func(s *Server) { s.Clock = c } }

// Close shuts the server down and waits for open requests.
func (s *Server) Close() {
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// Client returns an *http.Client for the server.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// wrap logs each request, then applies the next matching fault or runs h.
func (s *Server) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := readAllLimited(r)
		if err != nil {
			http.Error(w, "reading request body: "+err.Error(), http.StatusBadRequest)
			return
		}
		r.Body = nopCloser{bytes.NewReader(body)}
		s.Log.add(r, body, s.Clock.Now())
		if f, ok := s.Faults.take(r); ok {
			s.apply(f, h, w, r)
			return
		}
		h.ServeHTTP(w, r)
	})
}
