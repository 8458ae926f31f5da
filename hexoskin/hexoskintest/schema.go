package hexoskintest

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/wearkit/wearkit/wearkittest"
)

// Filter types of Tastypie. Related stands for ALL_WITH_RELATIONS: every
// filter type, and lookups through the relation.
const (
	Exact      = "exact"
	In         = "in"
	GT         = "gt"
	GTE        = "gte"
	LT         = "lt"
	LTE        = "lte"
	Range      = "range"
	StartsWith = "startswith"
	IsNull     = "isnull"
	Related    = "related"
)

// Field types of the schema, as Tastypie names them.
const (
	TInteger  = "integer"
	TString   = "string"
	TDateTime = "datetime"
	TDate     = "date"
	TBoolean  = "boolean"
	TFloat    = "float"
	TRelated  = "related"
	TDict     = "dict"
	TList     = "list"
)

// Resource is one row of the API's resource schema. The fake serves
// /api/ and /api/<name>/schema/ from these rows, and the same rows decide
// which methods, filters (and their types) and orderings it accepts.
type Resource struct {
	// Name is the resource name ("record").
	Name string
	// ListMethods and DetailMethods are the allowed methods, lower case as
	// Tastypie writes them.
	ListMethods, DetailMethods []string
	// Filters maps a filterable parameter to its allowed filter types.
	Filters map[string][]string
	// Ordering lists the order_by columns.
	Ordering []string
	// Fields maps every field of the resource to its type. A query
	// parameter naming a field that is not in Filters is refused with 400;
	// a parameter naming no field at all is ignored, as Tastypie does.
	Fields map[string]string
	// Params are filters that are no stored field (show_all,
	// include_histograms, search...): accepted, with their value type.
	Params map[string]string
}

var cmpOps = []string{Exact, In, GT, GTE, LT, LTE, Range}
var timeOps = []string{Exact, Range, GT, GTE, LT, LTE}
var modOps = []string{Exact, In, Range, GT, GTE, LT, LTE}

func ops(o ...string) []string { return o }

func filters(pairs ...any) map[string][]string {
	m := map[string][]string{}
	for i := 0; i < len(pairs); i += 2 {
		for _, f := range strings.Split(pairs[i].(string), ",") {
			m[f] = pairs[i+1].([]string)
		}
	}
	return m
}

func fields(spec string) map[string]string {
	m := map[string]string{}
	for _, kv := range strings.Fields(spec) {
		k, t, _ := strings.Cut(kv, ":")
		m[k] = t
	}
	return m
}

var (
	rw       = []string{"get", "post", "patch"}
	rwDetail = []string{"get", "put", "patch", "delete"}
	ro       = []string{"get"}
	postOnly = []string{"post"}
)

// schema is the table. Rows up to "user" are the real 3.3.x schema
// (vendor notes); the rows after it cover resources the pages describe
// without a schema (study, calendar, survey, ...) as this fake serves them.
var schema = []Resource{
	{Name: "account", ListMethods: ro, Ordering: []string{"id", "username", "email"},
		Fields: fields("id:integer username:string email:string first_name:string last_name:string profile:related is_staff:boolean resource_uri:string")},
	{Name: "activitytype", ListMethods: rw, DetailMethods: rwDetail,
		Filters:  filters("base,category", ops(Exact, In), "id,user", cmpOps, "show_all,using", ops(Exact)),
		Ordering: []string{"id", "user"},
		Fields:   fields("id:integer name:string base:related category:string user:related metrics:list resource_uri:string"),
		Params:   map[string]string{"show_all": TBoolean, "using": TBoolean}},
	{Name: "annotation", ListMethods: rw, DetailMethods: rwDetail,
		Filters:  filters("datatype,id,last_modified,record,start,user", cmpOps),
		Ordering: []string{"id", "user", "record", "datatype", "start", "last_modified"},
		Fields:   fields("id:integer annotation:string datatype:related last_modified:datetime last_update:integer record:related start:integer start_date:datetime user:related resource_uri:string")},
	{Name: "data", ListMethods: ro,
		Filters: filters("datatype,id,range,record", cmpOps, "timestamp", ops(Range, GT, GTE, LT, LTE),
			"start,end,user,flat,max_values,no_timestamps,seconds", ops(Exact)),
		Fields: fields("id:integer datatype:related range:related record:related timestamp:integer user:related"),
		Params: map[string]string{"start": TInteger, "end": TInteger, "flat": TBoolean, "max_values": TInteger, "no_timestamps": TBoolean, "seconds": TBoolean}},
	{Name: "datatype", ListMethods: ro, DetailMethods: ro,
		Fields: fields("dataid:integer name:string info:string freq:float hexo_freq:float resource_uri:string")},
	{Name: "device", ListMethods: ro, DetailMethods: ro,
		Filters: filters("deviceid", ops(Exact, In), "id", cmpOps), Ordering: []string{"id"},
		Fields: fields("id:string deviceid:string name:string user:related firmware_rev:string resource_uri:string")},
	{Name: "metric", ListMethods: ro, DetailMethods: ro,
		Filters: filters("id", cmpOps, "name,show_all", ops(Exact)), Ordering: []string{"id"},
		Fields: fields("id:integer name:string title:string outputtype:string unit:dict resource_uri:string"),
		Params: map[string]string{"show_all": TBoolean}},
	{Name: "profile", ListMethods: ro, DetailMethods: []string{"get", "put", "patch"},
		Filters: filters("id,user", cmpOps), Ordering: []string{"id", "user"},
		Fields: fields("id:integer user:related date_of_birth:date gender:string height:float weight:float unit_system:string preferences:dict fitness:dict resource_uri:string")},
	{Name: "range", ListMethods: rw, DetailMethods: rwDetail,
		Filters: filters("activitytype", ops(Exact, In, IsNull), "duration,rank,id,user", modOps, "start,end", timeOps,
			"last_modified", modOps, "labels", ops(Exact, In),
			"include_autodetected,include_histograms,include_metrics,show_all", ops(Exact), "trainingroutine", ops(Related)),
		Ordering: []string{"id", "start", "end", "user", "trainingroutine", "rank", "duration", "last_modified"},
		Fields: fields("id:integer name:string start:integer end:integer start_date:datetime user:related trainingroutine:related activitytype:related " +
			"note:string rank:integer status:string duration:string parent:related ranges:list created:datetime last_modified:datetime labels:list activityattributes:list metrics:list resource_uri:string"),
		Params: map[string]string{"include_autodetected": TBoolean, "include_histograms": TBoolean, "include_metrics": TList, "show_all": TBoolean}},
	{Name: "record", ListMethods: []string{"get", "post"}, DetailMethods: rwDetail,
		Filters: filters("device,id,user", cmpOps, "start,end", timeOps, "last_modified", modOps,
			"include_histograms,include_metrics", ops(Exact)),
		Ordering: []string{"id", "start", "end", "device", "user", "last_modified"},
		Fields: fields("id:integer start:integer end:integer start_date:datetime user:related device:related dev_id:string firmware_rev:string status:string npages:integer " +
			"soft_uid:string soft_protocole:integer n_uploaded_timelines:integer data_status:dict data:string last_modified:datetime timezone:string resource_uri:string"),
		Params: map[string]string{"include_histograms": TBoolean, "include_metrics": TList}},
	{Name: "track", ListMethods: rw, DetailMethods: rwDetail,
		Filters:  filters("id,range,user", cmpOps, "start_date,end_date", ops(Exact, GT, GTE, LT, LTE)),
		Ordering: []string{"id", "user", "range", "start_date", "end_date"},
		Fields:   fields("id:integer name:string distance:float area:float range:related source:string user:related start_date:datetime end_date:datetime resource_uri:string")},
	{Name: "trackpoint", ListMethods: rw, DetailMethods: rwDetail,
		Filters: filters("id,range,record", cmpOps, "time", timeOps, "timestamp", ops(Range, GT, GTE, LT, LTE),
			"start,end,user", ops(Exact), "track", ops(Related)),
		Ordering: []string{"id", "track", "time"},
		Fields: fields("id:integer altitude:float course:float horizontal_accuracy:float vertical_accuracy:float position:list speed:float " +
			"time:datetime timestamp:integer track:related range:related record:related user:related resource_uri:string"),
		Params: map[string]string{"start": TInteger, "end": TInteger}},
	{Name: "trainingroutine", ListMethods: rw, DetailMethods: rwDetail,
		Filters:  filters("id,user", cmpOps, "using", ops(Exact), "activitytype", ops(Related)),
		Ordering: []string{"id", "user", "last_used", "activitytype"},
		Fields:   fields("id:integer name:string description:string activitytype:related metadata:dict steps:list last_used:datetime user:related application_metadata:dict resource_uri:string"),
		Params:   map[string]string{"using": TBoolean}},
	{Name: "unit", ListMethods: ro, DetailMethods: ro,
		Fields: fields("id:integer info:string si_long:string si_short:string resource_uri:string")},
	{Name: "user", ListMethods: ro, DetailMethods: []string{"get", "put", "patch"},
		Filters:  filters("email,username", ops(Exact, In, StartsWith), "id", cmpOps, "search", ops(Exact)),
		Ordering: []string{"id", "username", "email"},
		Fields:   fields("id:integer username:string email:string first_name:string last_name:string is_staff:boolean profile:related resource_uri:string"),
		Params:   map[string]string{"search": TString}},

	// Resources the pages describe without a schema.
	{Name: "study", ListMethods: rw, DetailMethods: rwDetail,
		Filters: filters("id,owner", cmpOps, "uuid", ops(Exact, In)), Ordering: []string{"id", "name"},
		Fields: fields("id:integer uuid:string name:string description:string owner:related admins:list subjects:list groups:list planning:list start_date:date end_date:date resource_uri:string")},
	{Name: "studygroup", ListMethods: rw, DetailMethods: rwDetail,
		Filters: filters("id,study", cmpOps), Ordering: []string{"id", "name"},
		Fields: fields("id:integer name:string description:string study:related subjects:list resource_uri:string")},
	{Name: "studysubject", ListMethods: rw, DetailMethods: rwDetail,
		Filters: filters("id,study,group,user", cmpOps, "subject_id", ops(Exact, In)), Ordering: []string{"id", "start_date"},
		Fields: fields("id:integer study:related group:related user:related subject_id:string username:string start_date:date resource_uri:string")},
	{Name: "calendar", ListMethods: ro,
		Filters: filters("user,study", ops(Exact), "end", ops(Exact)), Ordering: []string{"date"},
		Fields: fields("name:string done:boolean date:date user:related study:related event_schedule:dict"),
		Params: map[string]string{"end": TDate}},
	{Name: "survey", ListMethods: ro, DetailMethods: ro,
		Filters: filters("id,study", cmpOps), Ordering: []string{"id"},
		Fields: fields("id:integer name:string description:string study:related questions:list resource_uri:string")},
	{Name: "surveyresponse", ListMethods: []string{"get", "post"}, DetailMethods: []string{"get", "patch"},
		Filters: filters("id,survey,user", cmpOps), Ordering: []string{"id", "created"},
		Fields: fields("id:integer survey:related user:related answers:list submitted:boolean created:datetime resource_uri:string")},
	{Name: "report", ListMethods: ro, DetailMethods: ro,
		Filters: filters("id,user,record", cmpOps), Ordering: []string{"id", "start"},
		Fields: fields("id:integer name:string user:related record:related status:string start:integer end:integer resource_uri:string")},
	{Name: "import", ListMethods: postOnly, DetailMethods: ro,
		Fields: fields("id:integer status:string progress:float range:related record:related trainingroutine:related resource_uri:string")},
	{Name: "bundlepermission", ListMethods: ro, DetailMethods: []string{"get", "delete"},
		Filters: filters("id,user,grantee", cmpOps), Ordering: []string{"id"},
		Fields: fields("id:integer user:related grantee:related bundle:string resource_uri:string")},
	{Name: "bundlepermissionrequest", ListMethods: []string{"get", "post"}, DetailMethods: []string{"get", "patch", "delete"},
		Filters: filters("id,user,requester", cmpOps, "status", ops(Exact)), Ordering: []string{"id"},
		Fields: fields("id:integer user:related requester:related bundle:string status:string resource_uri:string")},
	{Name: "createuserrequest", ListMethods: postOnly, Fields: fields("email:string first_name:string last_name:string")},
	{Name: "resetpassword", ListMethods: postOnly, Fields: fields("email:string")},
	{Name: "changeemail", ListMethods: postOnly, Fields: fields("email:string password:string")},
	{Name: "oauth2client", ListMethods: ro, DetailMethods: []string{"get", "patch"},
		Filters: filters("id", cmpOps), Ordering: []string{"id"},
		Fields: fields("id:string name:string client_type:string authorization_grant_type:string redirect_uris:list resource_uri:string")},
	{Name: "oauth2token", ListMethods: ro, DetailMethods: []string{"get", "delete"},
		Filters: filters("id,client", cmpOps), Ordering: []string{"id", "expires"},
		Fields: fields("id:integer client:related scope:string expires:datetime resource_uri:string")},
}

// Schema returns a copy of the table the fake serves and enforces, in
// resource name order.
func Schema() []Resource {
	out := make([]Resource, len(schema))
	copy(out, schema)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func lookup(name string) *Resource {
	for i := range schema {
		if schema[i].Name == name {
			return &schema[i]
		}
	}
	return nil
}

// serveIndex answers GET /api/: every resource with its list endpoint and
// schema link.
func serveIndex(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeError(w, http.StatusMethodNotAllowed, "Method not allowed.")
		return
	}
	out := map[string]any{}
	for _, res := range schema {
		out[res.Name] = map[string]string{"list_endpoint": "/api/" + res.Name + "/", "schema": "/api/" + res.Name + "/schema/"}
	}
	wearkittest.WriteJSON(w, http.StatusOK, out)
}

// serveSchema answers GET /api/<resource>/schema/ in Tastypie's form.
func serveSchema(w http.ResponseWriter, r *http.Request, res *Resource) {
	if r.Method != http.MethodGet {
		writeError(w, http.StatusMethodNotAllowed, "Method not allowed.")
		return
	}
	flt := map[string]any{}
	for k, v := range res.Filters {
		if slices.Contains(v, Related) {
			flt[k] = 2 // ALL_WITH_RELATIONS
			continue
		}
		flt[k] = v
	}
	fl := map[string]any{}
	for k, t := range res.Fields {
		fl[k] = map[string]any{"type": t, "nullable": t == TRelated, "readonly": k == "id" || k == "resource_uri"}
	}
	wearkittest.WriteJSON(w, http.StatusOK, map[string]any{
		"allowed_list_http_methods":   orEmpty(res.ListMethods),
		"allowed_detail_http_methods": orEmpty(res.DetailMethods),
		"default_format":              "application/json",
		"default_limit":               20,
		"filtering":                   flt,
		"ordering":                    orEmpty(res.Ordering),
		"fields":                      fl,
	})
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// allows reports whether the row allows method on a list or detail view.
func (res *Resource) allows(method string, detail bool) bool {
	m := res.ListMethods
	if detail {
		m = res.DetailMethods
	}
	return slices.Contains(m, strings.ToLower(method))
}

// notQueries are the query keys Tastypie reads itself.
var notQueries = map[string]bool{"limit": true, "offset": true, "order_by": true, "format": true}

// checkQuery applies Tastypie's rules to q: a filter on a field must be
// listed with its type and carry a value of the field's type; an order_by
// column must be listed; anything naming no field is ignored. It returns
// the filters to apply to stored objects (Params left out).
func (res *Resource) checkQuery(q url.Values) ([]cond, error) {
	var conds []cond
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if notQueries[k] {
			continue
		}
		field, op, found := strings.Cut(k, "__")
		if !found {
			op = Exact
		}
		allowed, filterable := res.Filters[field]
		typ, isField := res.Fields[field]
		ptyp, isParam := res.Params[field]
		if !filterable {
			if isField {
				return nil, bad("The '%s' field does not allow filtering.", field)
			}
			continue // no field at all: ignored (e.g. "_=1")
		}
		if !slices.Contains(allowed, Related) && !slices.Contains(allowed, op) {
			return nil, bad("'%s' is not an allowed filter on the '%s' field.", op, field)
		}
		val := q.Get(k)
		if isParam {
			typ = ptyp
		}
		if err := checkType(field, op, typ, val); err != nil {
			return nil, err
		}
		if isParam {
			continue
		}
		conds = append(conds, cond{field, op, val})
	}
	if ob := q.Get("order_by"); ob != "" {
		for _, c := range strings.Split(ob, ",") {
			name := strings.TrimPrefix(c, "-")
			if !slices.Contains(res.Ordering, name) {
				if _, ok := res.Fields[name]; ok {
					return nil, bad("The '%s' field does not allow ordering.", name)
				}
				return nil, bad("No matching '%s' field for ordering on.", name)
			}
		}
	}
	return conds, nil
}

// checkType refuses a filter value that the field's type cannot hold.
func checkType(field, op, typ, val string) error {
	vals := []string{val}
	switch op {
	case In, Range:
		vals = strings.Split(val, ",")
		if op == Range && len(vals) != 2 {
			return fmt.Errorf("%s__range: want two values separated by a comma, got %q", field, val)
		}
	case IsNull:
		typ = TBoolean
	}
	for _, v := range vals {
		var err error
		switch typ {
		case TInteger:
			_, err = strconv.ParseInt(v, 10, 64)
		case TFloat:
			_, err = strconv.ParseFloat(v, 64)
		case TBoolean:
			switch strings.ToLower(v) {
			case "true", "false", "1", "0":
			default:
				err = fmt.Errorf("not a boolean")
			}
		case TRelated:
			id := strings.TrimSuffix(v, "/")
			if i := strings.LastIndexByte(id, '/'); i >= 0 {
				id = id[i+1:]
			}
			if id == "" {
				err = fmt.Errorf("empty")
			}
		case TDate:
			_, err = time.Parse("2006-01-02", v)
		case TDateTime:
			if _, e := time.Parse("2006-01-02", v); e == nil {
				break
			}
			if _, e := time.Parse("2006-01-02T15:04:05", strings.TrimSuffix(strings.TrimSuffix(v, "Z"), "+00:00")); e != nil {
				err = e
			}
		case TList:
			// comma-separated ids
			for _, x := range strings.Split(v, ",") {
				if _, e := strconv.ParseInt(x, 10, 64); e != nil {
					err = e
				}
			}
		}
		if err != nil {
			return fmt.Errorf("%s: %q is not a valid %s", field, v, typ)
		}
	}
	return nil
}

// badRequest is an error whose text is Tastypie's message, sentence case.
type badRequest string

func (e badRequest) Error() string { return string(e) }

func bad(format string, args ...any) error { return badRequest(fmt.Sprintf(format, args...)) }
