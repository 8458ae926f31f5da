package hexoskintest

import "net/http"

// serveExtra answers the resources with their own behaviour (calendar,
// import, ...) and reports whether it did.
func (s *Server) serveExtra(w http.ResponseWriter, r *http.Request, res *Resource, parts []string) bool {
	switch {
	case res.Name == "calendar" && len(parts) == 2:
		s.calendar(w, r)
	default:
		return false
	}
	return true
}
