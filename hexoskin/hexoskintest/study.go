package hexoskintest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/wearkit/wearkit/hexoskin"
	"github.com/wearkit/wearkit/wearkittest"
)

// The seeded study: the pages' example (UUID "test", subject "sub001"
// named "test_sub001"), owned by UserID with FriendID as admin, two
// groups, and the planning of the pages' calendar example.
const (
	StudyID       = 1
	StudyUUID     = "test"
	GroupA        = 11
	GroupB        = 12
	SubjectID     = 21
	SubjectUserID = 2001
	SurveyID      = 3
)

// StudyPlanningJSON is the seeded study's planning: a 5 minute rest test
// twice a day and a daily survey, for three days.
const StudyPlanningJSON = `[
 {"name": "Do 5 min Rest Test twice a day", "event_schedule": {"repeat_frequency": "P1D", "repeat_count": 3, "resource_uri": "/api/activitytype/4/", "start_time": "09:00"}},
 {"name": "Answer the survey every day", "event_schedule": {"repeat_frequency": "P1D", "repeat_count": 3, "resource_uri": "/api/survey/3/"}},
 {"name": "Do 5 min Rest Test twice a day", "event_schedule": {"repeat_frequency": "P1D", "repeat_count": 3, "resource_uri": "/api/activitytype/4/", "start_time": "16:00"}}
]`

func (s *Server) seedStudy() {
	var planning []any
	_ = json.Unmarshal([]byte(StudyPlanningJSON), &planning)
	s.add("study", map[string]any{"id": int64(StudyID), "uuid": StudyUUID, "name": "test", "description": "The pages' example study.",
		"owner": "/api/user/1511/", "admins": []any{"/api/user/1512/"}, "subjects": []any{"/api/studysubject/21/"},
		"groups": []any{"/api/studygroup/11/", "/api/studygroup/12/"}, "planning": planning,
		"start_date": "2020-07-01", "end_date": "2020-12-31"})
	s.add("studygroup", map[string]any{"id": int64(GroupA), "name": "Cohort A", "description": "", "study": "/api/study/1/", "subjects": []any{"/api/studysubject/21/"}})
	s.add("studygroup", map[string]any{"id": int64(GroupB), "name": "Cohort B", "description": "", "study": "/api/study/1/", "subjects": []any{}})
	s.add("user", map[string]any{"id": int64(SubjectUserID), "username": StudyUUID + "_sub001", "email": "", "first_name": "", "last_name": "", "is_staff": false, "profile": nil})
	s.add("studysubject", map[string]any{"id": int64(SubjectID), "study": "/api/study/1/", "group": "/api/studygroup/11/",
		"user": "/api/user/2001/", "subject_id": "sub001", "username": StudyUUID + "_sub001", "start_date": "2020-07-14"})
	s.add("bundlepermission", map[string]any{"id": int64(1), "user": "/api/user/1512/", "grantee": "/api/user/1511/", "bundle": "biometrics"})
	s.add("oauth2client", map[string]any{"id": ClientID, "name": "Fake app", "client_type": "confidential",
		"authorization_grant_type": "authorization-code", "redirect_uris": []any{"https://app.example.com/callback"}})
	s.add("oauth2token", map[string]any{"id": int64(1), "client": "/api/oauth2client/" + ClientID + "/", "scope": "readwrite", "expires": "2030-01-01T00:00:00+00:00"})
	s.add("survey", map[string]any{"id": int64(SurveyID), "name": "Daily symptoms", "description": "How do you feel today?", "study": "/api/study/1/",
		"questions": []any{
			map[string]any{"id": int64(1), "text": "Do you have a fever?", "type": "boolean"},
			map[string]any{"id": int64(2), "text": "How tired are you (1-10)?", "type": "integer", "min": 1, "max": 10},
			map[string]any{"id": int64(3), "text": "Anything else?", "type": "text"},
		}})
}

// MarkDone marks the calendar events of user on date (YYYY-MM-DD) for
// resourceURI as done.
func (s *Server) MarkDone(user int64, date, resourceURI string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done == nil {
		s.done = map[string]bool{}
	}
	s.done[strconv.FormatInt(user, 10)+"|"+date+"|"+resourceURI] = true
}

// checkPlanning decodes and validates a planning with the client's own
// rules (the fake enforces the 5-year limit as the API does).
func checkPlanning(v any) error {
	b, _ := json.Marshal(v)
	var p hexoskin.Planning
	if err := json.Unmarshal(b, &p); err != nil {
		return fmt.Errorf("planning: %s", strings.TrimPrefix(err.Error(), "hexoskin: "))
	}
	if err := p.Validate(); err != nil {
		return fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "hexoskin: "))
	}
	return nil
}

// studyReadOnly are the fields the fake maintains itself (the owner, the
// links to a study's subjects and groups, a subject's user and username):
// a write naming one leaves it alone, as Tastypie's hydration skips a
// read-only field.
var studyReadOnly = map[string][]string{
	"study":        {"owner", "subjects", "groups"},
	"studygroup":   {"subjects"},
	"studysubject": {"user", "username"},
}

// studyWrite checks a study, group or subject body before the generic
// create or update runs; it answers 400 and returns false when the body
// is refused.
func (s *Server) studyWrite(w http.ResponseWriter, resource string, body map[string]any, existing map[string]any) bool {
	fail := func(msg string) bool { writeError(w, http.StatusBadRequest, msg); return false }
	for _, k := range studyReadOnly[resource] {
		delete(body, k)
	}
	switch resource {
	case "surveyresponse":
		if err := s.surveyCheck(body, existing); err != nil {
			return fail(err.Error())
		}
	case "bundlepermissionrequest":
		if err := s.bundleRequest(body, existing); err != nil {
			return fail(err.Error())
		}
	case "study":
		if p, ok := body["planning"]; ok {
			if err := checkPlanning(p); err != nil {
				return fail(err.Error())
			}
		}
		if u, _ := body["uuid"].(string); strings.Contains(u, "_") {
			return fail("uuid: may not contain an underscore.")
		}
		if existing == nil {
			if n, _ := body["name"].(string); n == "" {
				return fail("name: This field is required.")
			}
		}
	case "studygroup":
		if existing == nil {
			if _, st := s.coll("study").find(norm(body["study"])); st == nil {
				return fail("study: no such study.")
			}
		}
	case "studysubject":
		study := norm(body["study"])
		if existing != nil {
			study = norm(existing["study"])
		}
		_, st := s.coll("study").find(study)
		if st == nil {
			return fail("study: no such study.")
		}
		if g, ok := body["group"]; ok && g != nil {
			_, grp := s.coll("studygroup").find(norm(g))
			if grp == nil || norm(grp["study"]) != study {
				return fail(fmt.Sprintf("group: %v is no group of study %s.", g, study))
			}
		}
		if existing == nil {
			id, _ := body["subject_id"].(string)
			if id == "" || strings.ContainsAny(id, " \t") {
				return fail("subject_id: This field is required (no spaces).")
			}
			if d, _ := body["start_date"].(string); d == "" {
				return fail("start_date: This field is required.")
			} else if _, err := hexoskin.ParseDate(d); err != nil {
				return fail("start_date: want YYYY-MM-DD.")
			}
			name := norm(st["uuid"]) + "_" + id
			for _, o := range s.coll("studysubject").objs {
				if o["username"] == name {
					return fail("subject_id: " + name + " already exists.")
				}
			}
		}
	}
	return true
}

// afterCreate links a new study object to its study and makes a
// subject's user.
func (s *Server) afterCreate(resource string, o map[string]any) {
	switch resource {
	case "surveyresponse":
		o["user"] = "/api/user/" + strconv.Itoa(UserID) + "/"
		o["created"] = s.clock.Now().UTC().Format("2006-01-02T15:04:05+00:00")
		if o["submitted"] == nil {
			o["submitted"] = false
		}
	case "bundlepermissionrequest":
		o["requester"] = "/api/user/" + strconv.Itoa(UserID) + "/"
		o["status"] = "pending"
	case "study":
		if o["uuid"] == nil || o["uuid"] == "" {
			o["uuid"] = "study" + idString(o["id"])
		}
		o["owner"] = "/api/user/" + strconv.Itoa(UserID) + "/"
		for _, k := range []string{"admins", "subjects", "groups", "planning"} {
			if o[k] == nil {
				o[k] = []any{}
			}
		}
	case "studygroup":
		o["subjects"] = []any{}
		if _, st := s.coll("study").find(norm(o["study"])); st != nil {
			st["groups"] = append(st["groups"].([]any), o["resource_uri"])
		}
	case "studysubject":
		_, st := s.coll("study").find(norm(o["study"]))
		name := norm(st["uuid"]) + "_" + o["subject_id"].(string)
		uid := s.coll("user").nextID
		s.add("user", map[string]any{"id": uid, "username": name, "email": "", "first_name": "", "last_name": "", "is_staff": false, "profile": nil})
		o["username"] = name
		o["user"] = "/api/user/" + idString(uid) + "/"
		st["subjects"] = append(st["subjects"].([]any), o["resource_uri"])
	}
}

// calendar answers /api/calendar/: the study planning expanded from the
// subject's start date, with done events marked and the end filter.
func (s *Server) calendar(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := r.URL.Query()
	user := q.Get("user")
	if user == "" {
		user = strconv.Itoa(SubjectUserID)
	}
	var evs []hexoskin.CalendarEvent
	for _, sub := range s.coll("studysubject").objs {
		if norm(sub["user"]) != norm(user) || (q.Get("study") != "" && norm(sub["study"]) != q.Get("study")) {
			continue
		}
		_, st := s.coll("study").find(norm(sub["study"]))
		b, _ := json.Marshal(st["planning"])
		var p hexoskin.Planning
		if err := json.Unmarshal(b, &p); err != nil {
			writeError(w, http.StatusInternalServerError, err.Error())
			return
		}
		start, _ := hexoskin.ParseDate(norm(sub["start_date"]))
		end, _ := hexoskin.ParseDate(norm(st["end_date"]))
		if end.IsZero() {
			// A study without an end: what runs until it ends runs to the
			// 5-year limit of a planning, never to a 500.
			end = hexoskin.NewDate(9999, 12, 31)
		}
		got, err := p.Expand(start, end)
		if err != nil {
			writeError(w, http.StatusInternalServerError, err.Error())
			return
		}
		evs = append(evs, got...)
	}
	objs := []any{}
	var before hexoskin.Date
	if v := q.Get("end"); v != "" {
		before, _ = hexoskin.ParseDate(v) // checked by the schema
	}
	for _, e := range evs {
		if !before.IsZero() && !e.EventSchedule.Date.Before(before.Time) {
			continue
		}
		e.Done = s.done[norm(user)+"|"+e.EventSchedule.Date.String()+"|"+e.EventSchedule.ResourceURI]
		objs = append(objs, e)
	}
	wearkittest.WriteJSON(w, http.StatusOK, map[string]any{
		"meta":    map[string]any{"limit": len(objs), "offset": 0, "total_count": len(objs), "next": nil, "previous": nil},
		"objects": objs,
	})
}
