package hexoskintest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/mail"
	"net/url"
	"strconv"
	"strings"

	"github.com/wearkit/wearkit/hexoskin"
	"github.com/wearkit/wearkit/wearkittest"
)

// serveExtra answers the resources with their own behaviour (calendar,
// imports, TCX and FIT exports, operations) and reports whether it did.
func (s *Server) serveExtra(w http.ResponseWriter, r *http.Request, res *Resource, parts []string) bool {
	detail := len(parts) == 3
	accept := r.Header.Get("Accept")
	switch {
	case res.Name == "calendar" && !detail:
		s.calendar(w, r)
	case res.Name == "import" && !detail:
		s.importFile(w, r)
	case res.Name == "import" && detail:
		s.importProgress(w, parts[2])
	case detail && r.Method == http.MethodGet && (accept == string(hexoskin.TCX) || accept == string(hexoskin.FIT)) &&
		(res.Name == "range" || res.Name == "record" || res.Name == "trainingroutine"):
		s.export(w, res.Name, parts[2], hexoskin.ExchangeFormat(accept))
	case !detail && (res.Name == "createuserrequest" || res.Name == "resetpassword" || res.Name == "changeemail"):
		s.operation(w, r, res.Name)
	case detail && r.Method == http.MethodPatch && res.Name == "oauth2client":
		s.patchClient(w, r, parts[2])
	default:
		return false
	}
	return true
}

// Operations returns the bodies of the operations received
// (createuserrequest, resetpassword, changeemail), in order, each with an
// "operation" key naming it.
func (s *Server) Operations() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]map[string]any, len(s.ops))
	for i, o := range s.ops {
		out[i] = clone(o)
	}
	return out
}

// operation checks an operation's body and answers 202 without a body.
func (s *Server) operation(w http.ResponseWriter, r *http.Request, name string) {
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeError(w, http.StatusBadRequest, "Malformed JSON body.")
		return
	}
	email, _ := body["email"].(string)
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		writeError(w, http.StatusBadRequest, "email: Enter a valid email address.")
		return
	}
	if name == "changeemail" && body["password"] != s.Password {
		writeError(w, http.StatusBadRequest, "password: wrong password.")
		return
	}
	s.mu.Lock()
	delete(body, "password")
	body["operation"] = name
	s.ops = append(s.ops, body)
	s.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

// patchClient accepts a PATCH of redirect_uris made of absolute http(s)
// URLs only.
func (s *Server) patchClient(w http.ResponseWriter, r *http.Request, id string) {
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeError(w, http.StatusBadRequest, "Malformed JSON body.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, o := s.coll("oauth2client").find(id)
	if o == nil {
		writeError(w, http.StatusNotFound, "Not found.")
		return
	}
	for k, v := range body {
		if k != "redirect_uris" && k != "name" {
			writeError(w, http.StatusBadRequest, k+": read-only field.")
			return
		}
		if k == "redirect_uris" {
			list, ok := v.([]any)
			if !ok {
				writeError(w, http.StatusBadRequest, "redirect_uris: want a list of URLs.")
				return
			}
			for i, u := range list {
				str, _ := u.(string)
				p, err := url.Parse(str)
				if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
					writeError(w, http.StatusBadRequest, fmt.Sprintf("redirect_uris[%d]: %q is not an absolute URL.", i, str))
					return
				}
			}
		}
		o[k] = v
	}
	wearkittest.WriteJSON(w, http.StatusAccepted, clone(o))
}

// ImportSteps is how many progress reads an upload takes to finish.
const ImportSteps = 3

// importFile takes a TCX or FIT upload (raw body of its media type, or
// application/octet-stream and sniffed), parses it and creates the range
// (laps as rank 1 ranges) and, with biometric data, a record, or for a TCX
// file of workouts a training routine; the progress resource reaches
// "done" after ImportSteps reads.
func (s *Server) importFile(w http.ResponseWriter, r *http.Request) {
	b, err := io.ReadAll(io.LimitReader(r.Body, 64<<20))
	if err != nil {
		writeError(w, http.StatusBadRequest, "Unreadable body.")
		return
	}
	ct := r.Header.Get("Content-Type")
	if ct == "application/octet-stream" {
		switch {
		case len(b) >= 12 && string(b[8:12]) == ".FIT":
			ct = string(hexoskin.FIT)
		case bytes.Contains(b[:min(len(b), 512)], []byte("TrainingCenterDatabase")):
			ct = string(hexoskin.TCX)
		}
	}
	var act activity
	switch ct {
	case string(hexoskin.TCX):
		act, err = parseTCX(b)
	case string(hexoskin.FIT):
		act, err = parseFIT(b)
	default:
		writeError(w, http.StatusBadRequest, "Content-Type must be "+string(hexoskin.TCX)+", "+string(hexoskin.FIT)+" or application/octet-stream.")
		return
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if act.workout {
		// A training routine's file creates a training routine, no range.
		tr := map[string]any{"id": s.coll("trainingroutine").nextID, "name": act.name, "description": "imported", "activitytype": nil,
			"metadata": map[string]any{}, "steps": []any{}, "last_used": nil, "user": "/api/user/1511/", "application_metadata": nil}
		s.add("trainingroutine", tr)
		imp := map[string]any{"id": s.coll("import").nextID + 1, "status": "pending", "progress": 0.0, "range": nil, "record": nil,
			"trainingroutine": nil, "result_trainingroutine": tr["resource_uri"], "reads": 0}
		s.add("import", imp)
		w.Header().Set("Location", imp["resource_uri"].(string))
		wearkittest.WriteJSON(w, http.StatusCreated, renderImport(imp))
		return
	}
	rc := s.coll("range")
	top := map[string]any{"id": rc.nextID, "name": act.name, "start": act.start, "end": act.end, "start_date": hexoDate(act.start),
		"user": "/api/user/1511/", "trainingroutine": nil, "note": "imported", "rank": 0, "status": "complete", "duration": "",
		"parent": nil, "ranges": []any{}, "created": hexoDate(act.start), "last_modified": hexoDate(act.end), "activityattributes": []any{}}
	s.add("range", top)
	for i, lap := range act.laps {
		l := map[string]any{"id": rc.nextID, "name": fmt.Sprintf("%s lap %d", act.name, i+1), "start": lap[0], "end": lap[1], "start_date": hexoDate(lap[0]),
			"user": "/api/user/1511/", "trainingroutine": nil, "note": "", "rank": 1, "status": "complete", "duration": "",
			"parent": top["resource_uri"], "ranges": []any{}, "created": hexoDate(lap[0]), "last_modified": hexoDate(lap[1]), "activityattributes": []any{}}
		s.add("range", l)
		top["ranges"] = append(top["ranges"].([]any), l["resource_uri"])
	}
	imp := map[string]any{"id": s.coll("import").nextID + 1, "status": "pending", "progress": 0.0, "range": nil, "record": nil,
		"trainingroutine": nil, "result_range": top["resource_uri"], "reads": 0}
	if len(act.hr) > 0 {
		id := s.coll("record").nextID
		s.add("record", map[string]any{"id": id, "start": act.start, "end": act.end, "start_date": hexoDate(act.start),
			"user": "/api/user/1511/", "device": nil, "dev_id": "", "firmware_rev": "", "status": "complete", "npages": 0,
			"soft_uid": "import", "soft_protocole": 0, "n_uploaded_timelines": 0, "data_status": map[string]any{}, "data": "",
			"last_modified": hexoDate(act.end), "timezone": "UTC", "heart_rate": act.hr})
		imp["result_record"] = "/api/record/" + idString(id) + "/"
	}
	s.add("import", imp)
	w.Header().Set("Location", imp["resource_uri"].(string))
	wearkittest.WriteJSON(w, http.StatusCreated, renderImport(imp))
}

func renderImport(o map[string]any) map[string]any {
	out := map[string]any{}
	for _, k := range []string{"id", "status", "progress", "range", "record", "trainingroutine", "resource_uri"} {
		out[k] = o[k]
	}
	return out
}

// importProgress advances an upload one step per read.
func (s *Server) importProgress(w http.ResponseWriter, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, o := s.coll("import").find(id)
	if o == nil {
		writeError(w, http.StatusNotFound, "Not found.")
		return
	}
	if o["status"] != "done" {
		n := o["reads"].(int) + 1
		o["reads"] = n
		o["status"] = "processing"
		o["progress"] = float64(n) / ImportSteps
		if n >= ImportSteps {
			o["status"], o["progress"] = "done", 1.0
			if r, ok := o["result_range"]; ok {
				o["range"] = r
			}
			if rec, ok := o["result_record"]; ok {
				o["record"] = rec
			}
			if tr, ok := o["result_trainingroutine"]; ok {
				o["trainingroutine"] = tr
			}
		}
	}
	wearkittest.WriteJSON(w, http.StatusOK, renderImport(o))
}

// export writes a range, record or training routine as TCX or FIT.
func (s *Server) export(w http.ResponseWriter, resource, id string, f hexoskin.ExchangeFormat) {
	s.mu.Lock()
	_, o := s.coll(resource).find(id)
	var obj map[string]any
	if o != nil {
		obj = clone(o)
	}
	s.mu.Unlock()
	if obj == nil {
		writeError(w, http.StatusNotFound, "Not found.")
		return
	}
	var act activity
	if resource == "trainingroutine" {
		act = activity{name: norm(obj["name"]), workout: true}
	} else {
		start, _ := obj["start"].(float64)
		end, _ := obj["end"].(float64)
		act = activity{name: norm(obj["name"]), start: int64(start), end: int64(end)}
		if act.name == "" {
			act.name = resource + " " + id
		}
		if hr, ok := obj["heart_rate"].([]any); ok { // an imported record keeps its beats
			for _, v := range hr {
				p := v.([]any)
				act.hr = append(act.hr, [2]int64{int64(p[0].(float64)), int64(p[1].(float64))})
			}
		} else {
			sr := s.seriesOf(hexoskin.HeartRate, norm(obj["user"]))
			sr.points(act.start, act.end, func(ts, v int64) { act.hr = append(act.hr, [2]int64{ts, v}) })
		}
		act.laps = [][2]int64{{act.start, act.end}}
		act.gps = s.gpsOf(resource, id, norm(obj["user"]))
	}
	var b []byte
	if f == hexoskin.TCX {
		b = writeTCX(act)
	} else {
		b = writeFIT(act)
	}
	w.Header().Set("Content-Type", string(f))
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

// surveyCheck refuses survey responses to unknown questions or with
// values of the wrong type, and changes to a submitted response.
func (s *Server) surveyCheck(body, existing map[string]any) error {
	if existing != nil && existing["submitted"] == true {
		return fmt.Errorf("submitted: this response was submitted and can no longer change")
	}
	survey := norm(body["survey"])
	if existing != nil {
		survey = norm(existing["survey"])
	}
	_, sv := s.coll("survey").find(survey)
	if sv == nil {
		return fmt.Errorf("survey: no such survey %q", survey)
	}
	answers, ok := body["answers"]
	if !ok {
		if existing == nil {
			return fmt.Errorf("answers: This field is required")
		}
		return nil
	}
	list, _ := answers.([]any)
	for i, a := range list {
		m, _ := a.(map[string]any)
		var q map[string]any
		for _, qq := range sv["questions"].([]any) {
			if idString(qq.(map[string]any)["id"]) == idString(m["question"]) {
				q = qq.(map[string]any)
			}
		}
		if q == nil {
			return fmt.Errorf("answers[%d]: no question %v in survey %s", i, m["question"], survey)
		}
		v := m["value"]
		switch q["type"] {
		case "boolean":
			if _, ok := v.(bool); !ok {
				return fmt.Errorf("answers[%d]: want true or false", i)
			}
		case "integer":
			n, ok := v.(float64)
			if !ok || n != float64(int64(n)) || n < toFloat(q["min"]) || n > toFloat(q["max"]) {
				return fmt.Errorf("answers[%d]: want an integer in %v..%v", i, q["min"], q["max"])
			}
		case "text":
			if _, ok := v.(string); !ok {
				return fmt.Errorf("answers[%d]: want text", i)
			}
		}
	}
	return nil
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case int:
		return float64(x)
	case float64:
		return x
	}
	return 0
}

// checkBundleRequest validates a permission request and, on acceptance,
// creates the permission.
func (s *Server) bundleRequest(body, existing map[string]any) error {
	if existing == nil {
		if _, u := s.coll("user").find(norm(body["user"])); u == nil {
			return fmt.Errorf("user: no such user")
		}
		if b, _ := body["bundle"].(string); strings.TrimSpace(b) == "" {
			return fmt.Errorf("bundle: This field is required")
		}
		return nil
	}
	st, _ := body["status"].(string)
	switch st {
	case "accepted":
		if existing["status"] != "pending" {
			return fmt.Errorf("status: the request was already answered")
		}
		s.add("bundlepermission", map[string]any{"id": s.coll("bundlepermission").nextID, "user": existing["user"],
			"grantee": existing["requester"], "bundle": existing["bundle"]})
	case "refused":
		if existing["status"] != "pending" {
			return fmt.Errorf("status: the request was already answered")
		}
	default:
		return fmt.Errorf("status: want accepted or refused, got %q", st)
	}
	return nil
}

// gpsOf returns the GPS points of a range's tracks with the heart rate at
// each.
func (s *Server) gpsOf(resource, id, user string) []gpsPoint {
	if resource != "range" {
		return nil
	}
	sr := s.seriesOf(hexoskin.HeartRate, user) // takes the lock itself
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []gpsPoint
	for _, tr := range s.coll("track").objs {
		if norm(tr["range"]) != id {
			continue
		}
		for _, tp := range s.coll("trackpoint").objs {
			if norm(tp["track"]) != idString(tr["id"]) {
				continue
			}
			ts, _ := tp["timestamp"].(int64)
			pos, _ := tp["position"].([]any)
			if len(pos) != 2 {
				continue
			}
			lon, _ := pos[0].(float64)
			lat, _ := pos[1].(float64)
			out = append(out, gpsPoint{ts: ts, lat: lat, lon: lon, hr: sr.value(ts - ts%256)})
		}
	}
	return out
}
