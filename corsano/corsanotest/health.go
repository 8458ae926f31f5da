package corsanotest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/wearkit/wearkit/corsano"
	"github.com/wearkit/wearkit/wearkittest"
)

// health serves the health API with bearer health tokens.
func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	auth := r.Header.Get("Authorization")
	if !strings.HasPrefix(auth, "Bearer ") {
		writeError(w, http.StatusUnauthorized, "Unauthenticated.")
		return
	}
	uuid, ok := s.bearer(w, strings.TrimPrefix(auth, "Bearer "))
	if !ok {
		return
	}
	if r.Method != http.MethodGet {
		writeError(w, http.StatusMethodNotAllowed, "Method not allowed.")
		return
	}
	switch path := strings.Trim(r.URL.Path, "/"); {
	case strings.HasPrefix(path, "v2/raw-metrics/"):
		s.rawMetrics(w, r, uuid, corsano.RawMetricType(strings.TrimPrefix(path, "v2/raw-metrics/")))
	case path == "user-summaries":
		s.userSummaries(w, r, uuid)
	default:
		writeError(w, http.StatusNotFound, "Not found.")
	}
}

// rawMetrics enforces one form of dates and the type's window.
func (s *Server) rawMetrics(w http.ResponseWriter, r *http.Request, uuid string, typ corsano.RawMetricType) {
	if !typ.Known() {
		writeError(w, http.StatusNotFound, fmt.Sprintf("Unknown raw metric type %q.", string(typ)))
		return
	}
	q := r.URL.Query()
	zoned := q.Has("from_date") || q.Has("to_date")
	local := q.Has("from_client_date") || q.Has("to_client_date")
	var from, to time.Time
	var err1, err2 error
	switch {
	case zoned && local:
		writeError(w, http.StatusBadRequest, "Use either from_date and to_date or from_client_date and to_client_date, not both.")
		return
	case zoned:
		from, err1 = time.Parse(time.RFC3339Nano, q.Get("from_date"))
		to, err2 = time.Parse(time.RFC3339Nano, q.Get("to_date"))
	case local:
		from, err1 = parseLocal(q.Get("from_client_date"))
		to, err2 = parseLocal(q.Get("to_client_date"))
	default:
		writeError(w, http.StatusBadRequest, "from_date and to_date (or from_client_date and to_client_date) are required.")
		return
	}
	if err1 != nil || err2 != nil {
		writeError(w, http.StatusBadRequest, "The dates must be YYYY-MM-DDTHH:MM:SS.mmm (with an offset for from_date and to_date), both given.")
		return
	}
	if !from.Before(to) {
		writeError(w, http.StatusBadRequest, "The start must be before the end.")
		return
	}
	if span := to.Sub(from); span > typ.MaxWindow() {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("The requested period of %v exceeds the maximum of %v for %s.", span, typ.MaxWindow(), typ))
		return
	}
	wearkittest.WriteJSON(w, http.StatusOK, rawItems(s.persons[uuid], typ, from, to, 1))
}

func parseLocal(v string) (time.Time, error) {
	return time.ParseInLocation("2006-01-02T15:04:05.999999999", v, Zone)
}

// userSummaries serves a Laravel page of daily summaries.
func (s *Server) userSummaries(w http.ResponseWriter, r *http.Request, uuid string) {
	q := r.URL.Query()
	from, err1 := corsano.ParseDate(q.Get("date_from"))
	to, err2 := corsano.ParseDate(q.Get("date_to"))
	if err1 != nil || err2 != nil || to.In(time.UTC).Before(from.In(time.UTC)) {
		writeError(w, http.StatusBadRequest, "date_from and date_to must be YYYY-MM-DD, date_from first.")
		return
	}
	page, perPage := 1, 10
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeError(w, http.StatusBadRequest, "page must be a positive integer.")
			return
		}
		page = n
	}
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			writeError(w, http.StatusBadRequest, "per_page must be 1..100.")
			return
		}
		perPage = n
	}
	var days []corsano.Date
	for d := from.In(time.UTC); !d.After(to.In(time.UTC)); d = d.AddDate(0, 0, 1) {
		days = append(days, corsano.DateOf(d))
	}
	if len(days) > 366 {
		writeError(w, http.StatusBadRequest, "At most 366 days.")
		return
	}
	last := max(1, (len(days)+perPage-1)/perPage)
	data := []corsano.Summary{}
	for i := (page - 1) * perPage; i < min(page*perPage, len(days)); i++ {
		data = append(data, s.day(uuid, days[i], q.Get("include_slots") == "1"))
	}
	wearkittest.WriteJSON(w, http.StatusOK, map[string]any{
		"data": data, "current_page": page, "last_page": last, "per_page": perPage, "total": len(days),
	})
}
