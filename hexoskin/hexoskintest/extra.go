package hexoskintest

import "net/http"

// serveExtra answers the resources with their own behaviour (study,
// calendar, import, ...) and reports whether it did.
func (s *Server) serveExtra(w http.ResponseWriter, r *http.Request, res *Resource, parts []string) bool {
	return false
}
