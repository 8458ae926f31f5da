package hexoskintest

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wearkit/wearkit/hexoskin"
)

func hexoDate(ts int64) string {
	return time.Unix(ts>>8, 0).UTC().Format("2006-01-02T15:04:05+00:00")
}

// Seeded ids, from the examples of the Hexoskin documentation.
const (
	RecordID      = 37700 // 2014-07-17, about 39 minutes of data for UserID
	LongRecordID  = 43419 // 2014-09-28, about 5.5 hours for UserID
	FriendRecord  = 40000 // a record of FriendID
	RangeID       = 61495 // "bike", trainingroutine 1
	JogRangeID    = 58979 // "jog", trainingroutine 6, with track 80
	AnnotationID  = 61353 // "Hey guys!"
	TrackID       = 80    // 53 trackpoints
	DeviceID      = "HXSKIN1200002115"
	RecordStart   = 359840226870
	RecordEnd     = 359840821814
	ExtraRecordID = 100000 // first id of WithRecords
	ReportID      = 900    // two reports (Client.Reports)
)

func (s *Server) seed() {
	s.store = map[string]*collection{}
	for _, name := range []string{"user", "profile", "record", "range", "datatype", "metric", "annotation", "track", "trackpoint", "trainingroutine", "activitytype", "device"} {
		s.coll(name)
	}

	s.add("profile", map[string]any{"id": int64(1460), "date_of_birth": "1980-01-01", "gender": "M", "height": 1.82, "weight": 78.0,
		"unit_system": "metric", "preferences": nil,
		"fitness": map[string]any{"fitness_percentile": 50, "height": 1.82, "hr_max": 183, "hr_recov": 0, "hr_rest": 73, "vo2_max": 42, "weight": 78}})
	s.add("profile", map[string]any{"id": int64(1461), "date_of_birth": "1985-06-15", "gender": "F", "height": 1.68, "weight": 60.0, "unit_system": "metric", "preferences": nil})
	s.add("user", map[string]any{"id": int64(UserID), "username": "athlete", "email": Username, "first_name": "Athlete", "last_name": "Hexoskin", "is_staff": false, "profile": "/api/profile/1460/"})
	s.add("user", map[string]any{"id": int64(FriendID), "username": "friend", "email": "friend@example.com", "first_name": "Friend", "last_name": "Runner", "is_staff": false, "profile": "/api/profile/1461/"})

	s.add("device", map[string]any{"id": DeviceID, "deviceid": DeviceID, "name": "Hexoskin Smart", "user": "/api/user/1511/", "firmware_rev": "1.0.5"})
	s.add("device", map[string]any{"id": "HXSKIN1200002070", "deviceid": "HXSKIN1200002070", "name": "Hexoskin Smart", "user": "/api/user/1512/", "firmware_rev": "1.0.5"})

	rec := func(id, start, end int64, user int64, dev string) {
		s.add("record", map[string]any{"id": id, "start": start, "end": end, "start_date": hexoDate(start),
			"user": "/api/user/" + strconv.FormatInt(user, 10) + "/", "device": "/api/device/" + dev + "/",
			"dev_id": "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", "firmware_rev": "1.0.5", "status": "complete",
			"npages": (end - start) / 256, "soft_uid": "HXDEV-AUTO", "soft_protocole": 0, "n_uploaded_timelines": 0,
			"data_status": map[string]any{}, "data": "TfzfJ1QAAABIWERFVi1BVVRPTXwAAAAAhQoAAEZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGAQAFAA==",
			"last_modified": "2014-09-28T16:00:00+00:00", "timezone": "America/Montreal"})
	}
	rec(RecordID, RecordStart, RecordEnd, UserID, DeviceID)
	rec(LongRecordID, 361446243405, 361451358544, UserID, DeviceID)
	rec(FriendRecord, 360000000000, 360000768000, FriendID, "HXSKIN1200002070")
	base := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).Unix() * 256
	for i := 0; i < s.extra; i++ {
		start := base + int64(i)*3600*256
		rec(int64(ExtraRecordID+i), start, start+1800*256, UserID, DeviceID)
	}

	for _, d := range hexoskin.KnownDatatypes() {
		var freq any
		if !d.Async {
			freq = d.Rate
		}
		s.add("datatype", map[string]any{"id": int64(d.ID), "dataid": int64(d.ID), "name": strings.ToUpper(d.Name) + "_CHAR", "info": d.Name + " channel.", "hexo_freq": freq})
	}
	s.add("datatype", map[string]any{"id": int64(208), "dataid": int64(208), "name": "RECSTR_ANNOT_CHAR", "info": "Recorder start annotation.", "hexo_freq": nil})
	s.add("datatype", map[string]any{"id": int64(4096), "dataid": int64(4096), "name": "USER_ANNOT_CHAR", "info": "User annotation.", "hexo_freq": nil})

	unit := func(id int64, long, short string) map[string]any {
		return map[string]any{"id": id, "info": "", "resource_uri": "/api/unit/" + strconv.FormatInt(id, 10) + "/", "si_long": long, "si_short": short}
	}
	for _, m := range []struct {
		id          int64
		name, title string
		u           map[string]any
	}{
		{1, "activity_avg", "Act Avg", unit(450, "g,acceleration", "g")},
		{44, "heartrate_avg", "HR Avg", unit(700, "beats per minute", "bpm")},
		{71, "breathingrate_avg", "BR Avg", unit(701, "respirations per minute", "rpm")},
		{139, "energyecg_vo2_kcal", "energyecg vo2 kcal", unit(551, "Calorie", "Cal")},
		{173, "HRVLFnorm_avg", "HRVLFnorm avg", unit(3, "percent", "%")},
	} {
		s.add("metric", map[string]any{"id": m.id, "name": m.name, "title": m.title, "outputtype": "value", "unit": m.u})
	}

	s.add("activitytype", map[string]any{"id": int64(1), "name": "Cycling", "metrics": []any{"/api/metric/44/", "/api/metric/139/"}})
	s.add("activitytype", map[string]any{"id": int64(10), "name": "Running", "metrics": []any{"/api/metric/44/", "/api/metric/71/", "/api/metric/139/"}})
	s.add("activitytype", map[string]any{"id": int64(12), "name": "Sleep", "metrics": []any{"/api/metric/173/"}})
	s.add("activitytype", map[string]any{"id": int64(106), "name": "Rest test", "metrics": []any{"/api/metric/173/"}})
	s.add("trainingroutine", map[string]any{"id": int64(1), "name": "bike", "description": "", "activitytype": "/api/activitytype/1/", "metadata": map[string]any{"geo": true}, "steps": []any{}, "last_used": nil, "user": nil, "application_metadata": nil})
	s.add("trainingroutine", map[string]any{"id": int64(6), "name": "jog", "description": "", "activitytype": "/api/activitytype/10/", "metadata": map[string]any{"geo": true}, "steps": []any{}, "last_used": nil, "user": nil, "application_metadata": nil})
	s.add("trainingroutine", map[string]any{"id": int64(1011), "name": "1 Mile Rockport Walk Test", "description": "Estimate VO2max with a sub-maximal field test.", "activitytype": "/api/activitytype/10/", "metadata": map[string]any{"geo": true}, "steps": []any{}, "last_used": nil, "user": nil, "application_metadata": nil})

	rng := func(id int64, name string, start, end int64, routine int64) {
		s.add("range", map[string]any{"id": id, "name": name, "start": start, "end": end, "start_date": hexoDate(start),
			"user": "/api/user/1511/", "trainingroutine": "/api/trainingroutine/" + strconv.FormatInt(routine, 10) + "/",
			"note": "", "rank": 0, "status": "complete", "duration": "0:00:06", "parent": nil, "ranges": []any{},
			"created": hexoDate(start), "last_modified": hexoDate(end), "activityattributes": []any{}})
	}
	rng(RangeID, "bike", 361010729472, 361010731008, 1)
	rng(JogRangeID, "jog", RecordStart+256*60, RecordStart+256*360, 6)

	s.add("annotation", map[string]any{"id": int64(AnnotationID), "annotation": "Hey guys!", "datatype": "/api/datatype/4096/",
		"last_update": int64(362161472635), "last_modified": hexoDate(362161472635), "record": nil, "start": int64(123456), "start_date": hexoDate(123456), "user": "/api/user/1511/"})
	s.add("annotation", map[string]any{"id": int64(AnnotationID + 1), "annotation": "Started jog", "datatype": "/api/datatype/4096/",
		"last_update": int64(RecordStart + 256*60), "last_modified": hexoDate(RecordStart + 256*60), "record": "/api/record/37700/", "start": int64(RecordStart + 256*60), "start_date": hexoDate(RecordStart + 256*60), "user": "/api/user/1511/"})

	s.add("track", map[string]any{"id": int64(TrackID), "name": "", "distance": 656.763124754487, "area": nil, "range": "/api/range/58979/", "source": "", "user": "/api/user/1511/"})
	s.add("track", map[string]any{"id": int64(1), "name": "", "distance": 13.9953509448312, "area": nil, "range": "/api/range/61495/", "source": "", "user": "/api/user/1511/"})
	tpStart := int64(RecordStart + 256*60)
	for i := int64(0); i < 53; i++ {
		ts := tpStart + i*256*5
		s.add("trackpoint", map[string]any{"id": 27720 + i, "altitude": 42.0, "course": nil, "horizontal_accuracy": 3.9,
			"position": []any{-73.6045937 + float64(i)*1e-4, 45.5308797 + float64(i)*1e-4}, "speed": 2.5, "vertical_accuracy": nil,
			"time": time.Unix(ts>>8, 0).UTC().Format("2006-01-02T15:04:05"), "timestamp": ts, "track": "/api/track/80/", "user": "/api/user/1511/"})
	}
	s.add("trackpoint", map[string]any{"id": int64(2), "altitude": 38.0, "course": nil, "horizontal_accuracy": 4.0,
		"position": []any{-73.598363, 45.5299156}, "speed": 5.9548716545105, "vertical_accuracy": nil,
		"time": "2014-08-14T05:25:17", "timestamp": int64(1407993917 * 256), "track": "/api/track/1/", "user": "/api/user/1511/"})

	// Reports: the fields the pages describe (hexoskin.Report); the rest
	// of a real report is reached through Client.Do.
	for i, name := range []string{"Daily activity", "Sleep"} {
		s.add("report", map[string]any{"id": int64(ReportID + i), "name": name, "user": "/api/user/1511/",
			"record": "/api/record/37700/", "status": "ready", "start": int64(RecordStart), "end": int64(RecordStart + 256*3600)})
	}
	s.seedStudy()
}

// render returns the JSON form of a stored object for a list or detail view.
func (s *Server) render(resource string, o map[string]any, q url.Values, inList bool) map[string]any {
	out := clone(o)
	switch resource {
	case "record":
		if _, u := s.coll("user").find(norm(o["user"])); u != nil {
			out["user"] = clone(u)
		}
	case "datatype":
		if !inList {
			out["freq"] = out["hexo_freq"]
			delete(out, "hexo_freq")
		}
		delete(out, "id")
	case "range":
		var ids []string
		if _, rt := s.coll("trainingroutine").find(norm(o["trainingroutine"])); rt != nil {
			if _, at := s.coll("activitytype").find(norm(rt["activitytype"])); at != nil {
				for _, m := range at["metrics"].([]any) {
					ids = append(ids, norm(m))
				}
			}
		}
		if v := q.Get("include_metrics"); v != "" {
			ids = append(ids, strings.Split(v, ",")...)
		}
		metrics := []any{}
		for _, id := range ids {
			if _, m := s.coll("metric").find(id); m != nil {
				mv := clone(m)
				n, _ := strconv.ParseFloat(id, 64)
				mv["value"] = 60 + n/10
				mv["zones"] = []any{0, 114, 133, 152, 171, 250}
				metrics = append(metrics, mv)
			}
		}
		out["metrics"] = metrics
	}
	return out
}
