package hexoskintest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/wearkit/wearkit/wearkittest"
)

// collection is one resource's objects in id order.
type collection struct {
	objs   []map[string]any
	nextID int64
}

func (c *collection) find(id string) (int, map[string]any) {
	for i, o := range c.objs {
		if idString(o["id"]) == id {
			return i, o
		}
	}
	return -1, nil
}

func idString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

func (s *Server) coll(resource string) *collection {
	c := s.store[resource]
	if c == nil {
		c = &collection{}
		s.store[resource] = c
	}
	return c
}

func (s *Server) add(resource string, o map[string]any) {
	c := s.coll(resource)
	o["resource_uri"] = "/api/" + resource + "/" + idString(o["id"]) + "/"
	if n, ok := o["id"].(int64); ok && n >= c.nextID {
		c.nextID = n + 1
	}
	c.objs = append(c.objs, o)
}

// Objects returns a copy of a resource's stored objects (as JSON values),
// for assertions in tests.
func (s *Server) Objects(resource string) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for _, o := range s.coll(resource).objs {
		out = append(out, clone(o))
	}
	return out
}

func clone(o map[string]any) map[string]any {
	b, _ := json.Marshal(o)
	var c map[string]any
	_ = json.Unmarshal(b, &c)
	return c
}

func (s *Server) list(w http.ResponseWriter, r *http.Request, res *Resource, conds []cond) {
	s.mu.Lock()
	defer s.mu.Unlock()
	resource := res.Name
	c := s.coll(resource)
	switch r.Method {
	case http.MethodPost:
		s.create(w, r, resource, c)
		return
	case http.MethodPatch:
		s.patchList(w, r, resource, c)
		return
	}
	q := r.URL.Query()
	objs := match(c.objs, conds)
	if v := q.Get("search"); v != "" && resource == "user" {
		objs = slices.DeleteFunc(objs, func(o map[string]any) bool {
			for _, k := range []string{"username", "email", "first_name", "last_name"} {
				if strings.Contains(strings.ToLower(norm(o[k])), strings.ToLower(v)) {
					return false
				}
			}
			return true
		})
	}
	if ob := q.Get("order_by"); ob != "" {
		order(objs, strings.Split(ob, ","))
	}
	limit, ok := countParam(w, q, "limit", 20)
	if !ok {
		return
	}
	if limit == 0 || limit > 1000 {
		limit = 1000
	}
	offset, ok := countParam(w, q, "offset", 0)
	if !ok {
		return
	}
	total := len(objs)
	end := min(offset+limit, total)
	page := []map[string]any{}
	for i := min(offset, total); i < end; i++ {
		page = append(page, s.render(resource, objs[i], q, true))
	}
	link := func(off int) any {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Set("limit", strconv.Itoa(limit))
		v.Set("offset", strconv.Itoa(off))
		return r.URL.Path + "?" + v.Encode()
	}
	var next, prev any
	if offset+limit < total {
		next = link(offset + limit)
	}
	if offset > 0 {
		prev = link(max(offset-limit, 0))
	}
	wearkittest.WriteJSON(w, http.StatusOK, map[string]any{
		"meta":    map[string]any{"limit": limit, "offset": offset, "total_count": total, "next": next, "previous": prev},
		"objects": page,
	})
}

func (s *Server) account(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeError(w, http.StatusMethodNotAllowed, "Method not allowed.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, u := s.coll("user").find(strconv.Itoa(UserID))
	o := clone(u)
	if _, p := s.coll("profile").find(norm(u["profile"])); p != nil {
		o["profile"] = clone(p)
	}
	wearkittest.WriteJSON(w, http.StatusOK, map[string]any{
		"meta":    map[string]any{"limit": 1, "offset": 0, "total_count": 1, "next": nil, "previous": nil},
		"objects": []any{o},
	})
}

func (s *Server) detail(w http.ResponseWriter, r *http.Request, resource, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.coll(resource)
	i, o := c.find(id)
	if o == nil { // PUT to a missing instance does not create it.
		writeError(w, http.StatusNotFound, "Not found.")
		return
	}
	switch r.Method {
	case http.MethodGet:
		wearkittest.WriteJSON(w, http.StatusOK, s.render(resource, o, r.URL.Query(), false))
	case http.MethodDelete:
		c.objs = append(c.objs[:i], c.objs[i+1:]...)
		w.WriteHeader(http.StatusNoContent)
	case http.MethodPatch, http.MethodPut:
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			writeError(w, http.StatusBadRequest, "Malformed JSON body.")
			return
		}
		if !s.studyWrite(w, resource, body, o) {
			return
		}
		if r.Method == http.MethodPut {
			for k := range o {
				if k != "id" && k != "resource_uri" {
					delete(o, k)
				}
			}
		}
		if err := s.apply(resource, o, body); err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		wearkittest.WriteJSON(w, http.StatusAccepted, s.render(resource, o, nil, false))
	}
}

func (s *Server) create(w http.ResponseWriter, r *http.Request, resource string, c *collection) {
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeError(w, http.StatusBadRequest, "Malformed JSON body.")
		return
	}
	if !s.studyWrite(w, resource, body, nil) {
		return
	}
	o := map[string]any{"id": c.nextID}
	if err := s.apply(resource, o, body); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	switch resource {
	case "annotation":
		if _, ok := o["annotation"]; !ok {
			writeError(w, http.StatusBadRequest, "annotation: This field is required.")
			return
		}
		o["last_update"] = s.clock.Now().Unix() * 256
		o["last_modified"] = s.clock.Now().UTC().Format("2006-01-02T15:04:05+00:00")
	case "range":
		if o["name"] == nil || o["start"] == nil || o["end"] == nil {
			writeError(w, http.StatusBadRequest, "name, start and end are required.")
			return
		}
		o["status"] = "complete"
		o["rank"] = numOr(o["rank"], 0)
		o["metrics"] = []any{}
	}
	s.add(resource, o)
	s.afterCreate(resource, o)
	w.Header().Set("Location", o["resource_uri"].(string))
	wearkittest.WriteJSON(w, http.StatusCreated, s.render(resource, o, nil, false))
}

// patchList is Tastypie's PATCH on a list view: {"objects": [...]} creates
// each object without a resource_uri and updates each one with it;
// "deleted_objects" lists URIs to delete. It answers 202 without a body.
func (s *Server) patchList(w http.ResponseWriter, r *http.Request, resource string, c *collection) {
	var body struct {
		Objects []map[string]any `json:"objects"`
		Deleted []string         `json:"deleted_objects"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Objects == nil {
		writeError(w, http.StatusBadRequest, "Invalid data sent: want {\"objects\": [...]}.")
		return
	}
	for i, b := range body.Objects {
		if uri, ok := b["resource_uri"].(string); ok && uri != "" {
			_, o := c.find(norm(uri))
			if o == nil {
				writeError(w, http.StatusNotFound, fmt.Sprintf("objects[%d]: no such %s %q", i, resource, uri))
				return
			}
			if err := s.apply(resource, o, b); err != nil {
				writeError(w, http.StatusBadRequest, fmt.Sprintf("objects[%d]: %v", i, err))
				return
			}
			continue
		}
		o := map[string]any{"id": c.nextID}
		if err := s.apply(resource, o, b); err != nil {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("objects[%d]: %v", i, err))
			return
		}
		s.add(resource, o)
	}
	for _, uri := range body.Deleted {
		if i, o := c.find(norm(uri)); o != nil {
			c.objs = append(c.objs[:i], c.objs[i+1:]...)
		}
	}
	w.WriteHeader(http.StatusAccepted)
}

func numOr(v any, d float64) any {
	if v == nil {
		return d
	}
	return v
}

// refFields are the fields that link to another resource; a write may give
// an id or a URI, the fake stores the URI.
var refFields = map[string]string{
	"user": "user", "datatype": "datatype", "record": "record", "trainingroutine": "trainingroutine",
	"range": "range", "track": "track", "activitytype": "activitytype", "device": "device",
	"study": "study", "group": "studygroup", "survey": "survey", "client": "oauth2client", "grantee": "user", "requester": "user",
}

// apply copies body's fields into o, checking types of the known ones.
func (s *Server) apply(resource string, o, body map[string]any) error {
	for k, v := range body {
		switch k {
		case "id", "resource_uri":
			continue
		case "start", "end":
			f, ok := v.(float64)
			if !ok {
				return fmt.Errorf("%s: must be an integer HexoTimestamp", k)
			}
			o[k] = int64(f)
			if k == "start" {
				o["start_date"] = hexoDate(int64(f))
			}
			continue
		}
		if target, ok := refFields[k]; ok && v != nil {
			id := strings.TrimSuffix(idString(v), "/")
			if i := strings.LastIndexByte(id, '/'); i >= 0 {
				id = id[i+1:]
			}
			if _, found := s.coll(target).find(id); found == nil && target != "datatype" {
				return fmt.Errorf("%s: no such %s %q", k, target, id)
			}
			o[k] = "/api/" + target + "/" + id + "/"
			continue
		}
		o[k] = v
	}
	return nil
}

type cond struct{ field, op, val string }

// match keeps the objects every condition holds for.
func match(objs []map[string]any, conds []cond) []map[string]any {
	out := []map[string]any{}
	for _, o := range objs {
		keep := true
		for _, c := range conds {
			if !holds(o[c.field], c.op, c.val) {
				keep = false
				break
			}
		}
		if keep {
			out = append(out, o)
		}
	}
	return out
}

// norm turns a stored value into what filters compare: nested objects and
// resource URIs by id.
func norm(v any) string {
	switch x := v.(type) {
	case map[string]any:
		return idString(x["id"])
	case string:
		if strings.HasPrefix(x, "/api/") {
			t := strings.TrimSuffix(x, "/")
			return t[strings.LastIndexByte(t, '/')+1:]
		}
		return x
	case nil:
		return ""
	case bool:
		return strconv.FormatBool(x)
	}
	return idString(v)
}

func cmp(a, b string) int {
	fa, ea := strconv.ParseFloat(a, 64)
	fb, eb := strconv.ParseFloat(b, 64)
	if ea == nil && eb == nil {
		switch {
		case fa < fb:
			return -1
		case fa > fb:
			return 1
		}
		return 0
	}
	return strings.Compare(a, b)
}

func holds(v any, op, val string) bool {
	n := norm(v)
	switch op {
	case "exact":
		return cmp(n, norm(val)) == 0
	case "gt":
		return cmp(n, val) > 0
	case "gte":
		return cmp(n, val) >= 0
	case "lt":
		return cmp(n, val) < 0
	case "lte":
		return cmp(n, val) <= 0
	case "in":
		for _, x := range strings.Split(val, ",") {
			if cmp(n, norm(x)) == 0 {
				return true
			}
		}
		return false
	case "range":
		lo, hi, ok := strings.Cut(val, ",")
		return ok && cmp(n, lo) >= 0 && cmp(n, hi) <= 0
	case "startswith":
		return strings.HasPrefix(n, val)
	case "isnull":
		return (v == nil) == (val == "true" || val == "1")
	}
	return false
}

func order(objs []map[string]any, cols []string) {
	sort.SliceStable(objs, func(i, j int) bool {
		for _, c := range cols {
			desc := strings.HasPrefix(c, "-")
			name := strings.TrimPrefix(c, "-")
			d := cmp(norm(objs[i][name]), norm(objs[j][name]))
			if d == 0 {
				continue
			}
			return (d < 0) != desc
		}
		return false
	})
}

// countParam reads a non-negative integer query parameter (def when
// absent); a bad one is answered with 400 as Tastypie does, and ok is false.
func countParam(w http.ResponseWriter, q url.Values, name string, def int) (n int, ok bool) {
	v := q.Get(name)
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		writeError(w, http.StatusBadRequest, "Invalid "+name+" provided.")
		return 0, false
	}
	return n, true
}
