package withingstest

import (
	"context"
	"math"
	"net/url"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/wearkit/wearkit/wearkittest"
)

type action func(f url.Values) (body any, status int, msg string)

func (s *Server) actions() map[string]action {
	return map[string]action{
		"measure getmeas":                s.getmeas,
		"v2/measure getactivity":         s.getactivity,
		"v2/measure getintradayactivity": s.intraday,
		"v2/measure getworkouts":         s.workouts,
		"v2/sleep get":                   s.sleepGet,
		"v2/sleep getsummary":            s.sleepSummary,
		"v2/heart list":                  s.heartList,
		"v2/heart get":                   s.heartGet,
		"v2/user getdevice":              s.devices,
		"notify subscribe":               s.subscribe,
		"notify list":                    s.listSubs,
		"notify get":                     s.getSub,
		"notify update":                  s.updateSub,
		"notify revoke":                  s.revoke,
	}
}

const invalid = 503

// epochParam reads a Unix-seconds parameter; present reports whether it
// was sent.
func epochParam(f url.Values, key string) (t time.Time, present bool, bad bool) {
	v := f.Get(key)
	if v == "" {
		return time.Time{}, false, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return time.Time{}, true, true
	}
	return time.Unix(n, 0).UTC(), true, false
}

func dateParam(f url.Values, key string) (t time.Time, present bool, bad bool) {
	v := f.Get(key)
	if v == "" {
		return time.Time{}, false, false
	}
	d, err := time.Parse(time.DateOnly, v)
	return d, true, err != nil
}

func offsetParam(f url.Values) (int, bool) {
	v := f.Get("offset")
	if v == "" {
		return 0, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= 0
}

func day(t time.Time) time.Time { return t.UTC().Truncate(24 * time.Hour) }

// since is the first day of the user's data.
func (s *Server) since() time.Time { return day(s.clock.Now().Add(-s.history)) }

// days caches the generator's days (about 40 ms each, more on a busy
// machine) for every fake of the process: they all serve the same seeded
// person, whose days never change.
var days struct {
	sync.Mutex
	m map[int64]wearkittest.DaySummary
}

// maxCachedDays bounds the cache (a DaySummary is about 200 bytes).
const maxCachedDays = 4096

func (s *Server) daySummary(d time.Time) wearkittest.DaySummary {
	k := d.Unix() / 86400
	days.Lock()
	ds, found := days.m[k]
	days.Unlock()
	if found {
		return ds
	}
	ds = s.person.Day(d)
	days.Lock()
	if days.m == nil || len(days.m) >= maxCachedDays {
		days.m = map[int64]wearkittest.DaySummary{}
	}
	days.m[k] = ds
	days.Unlock()
	return ds
}

// paged cuts items at offset into a page; v2 answers say more as a
// boolean and always give offset, getmeas says 1 and leaves both out on
// the last page.
func (s *Server) paged(body map[string]any, n, offset int, intMore bool) (lo, hi int) {
	lo = min(offset, n)
	hi = min(lo+s.pageSize, n)
	more := hi < n
	switch {
	case intMore && more:
		body["more"], body["offset"] = 1, hi
	case !intMore:
		body["more"] = more
		if more {
			body["offset"] = hi
		} else {
			body["offset"] = 0
		}
	}
	return lo, hi
}

type wireGroup struct {
	GrpID    int64         `json:"grpid"`
	Attrib   int           `json:"attrib"`
	Date     int64         `json:"date"`
	Created  int64         `json:"created"`
	Modified int64         `json:"modified"`
	Category int           `json:"category"`
	DeviceID string        `json:"deviceid"`
	Measures []wireMeasure `json:"measures"`
}

type wireMeasure struct {
	Value int64 `json:"value"`
	Type  int   `json:"type"`
	Unit  int   `json:"unit"`
}

const scaleID = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"

// weighIn is the morning weigh-in of day d: weight, body composition
// (hydration in kg) and the scale's id.
func (s *Server) weighIn(d time.Time) wireGroup {
	kg := s.person.Weight(d)
	fatPct := 18 + 2*math.Sin(float64(d.Unix()/86400)/30)
	fat := kg * fatPct / 100
	ffm := kg - fat
	at := d.Add(7*time.Hour + time.Duration(d.Unix()/86400%17)*time.Minute)
	return wireGroup{
		GrpID: d.Unix() / 86400, Date: at.Unix(), Created: at.Unix() + 40, Modified: at.Unix() + 40, Category: 1, DeviceID: scaleID,
		Measures: []wireMeasure{
			{Value: int64(math.Round(kg * 1000)), Type: 1, Unit: -3},
			{Value: int64(math.Round(fatPct * 10)), Type: 6, Unit: -1},
			{Value: int64(math.Round(fat * 1000)), Type: 8, Unit: -3},
			{Value: int64(math.Round(ffm * 1000)), Type: 5, Unit: -3},
			{Value: int64(math.Round(ffm * 0.52 * 100)), Type: 76, Unit: -2},
			{Value: int64(math.Round(ffm * 0.73 * 100)), Type: 77, Unit: -2},
			{Value: int64(math.Round(kg * 0.04 * 100)), Type: 88, Unit: -2},
		},
	}
}

func (s *Server) getmeas(f url.Values) (any, int, string) {
	now := s.clock.Now()
	start, hasStart, bad1 := epochParam(f, "startdate")
	end, hasEnd, bad2 := epochParam(f, "enddate")
	last, hasLast, bad3 := epochParam(f, "lastupdate")
	offset, okOff := offsetParam(f)
	if bad1 || bad2 || bad3 || !okOff || hasStart != hasEnd || (hasLast && hasStart) || (hasStart && end.Before(start)) {
		return nil, invalid, "Invalid Params"
	}
	types := map[int]bool{}
	if v := f.Get("meastype"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, invalid, "Invalid Params: meastype"
		}
		types[n] = true
	}
	if v := f.Get("meastypes"); v != "" {
		for _, p := range splitComma(v) {
			n, err := strconv.Atoi(p)
			if err != nil {
				return nil, invalid, "Invalid Params: meastypes"
			}
			types[n] = true
		}
	}
	if c := f.Get("category"); c != "" && c != "1" && c != "2" {
		return nil, invalid, "Invalid Params: category"
	}
	if !hasStart {
		start, end = s.since(), now
	}
	if end.After(now) {
		end = now
	}
	if start.Before(s.since()) {
		start = s.since()
	}
	var groups []wireGroup
	if f.Get("category") != "2" {
		for d := day(end); !d.Before(day(start)); d = d.AddDate(0, 0, -1) {
			g := s.weighIn(d)
			if g.Date < start.Unix() || g.Date > end.Unix() || (hasLast && g.Modified < last.Unix()) {
				continue
			}
			if len(types) > 0 {
				var ms []wireMeasure
				for _, m := range g.Measures {
					if types[m.Type] {
						ms = append(ms, m)
					}
				}
				if len(ms) == 0 {
					continue
				}
				g.Measures = ms
			}
			groups = append(groups, g)
		}
	}
	body := map[string]any{"updatetime": now.Unix(), "timezone": "UTC"}
	lo, hi := s.paged(body, len(groups), offset, true)
	body["measuregrps"] = groups[lo:hi]
	return body, 0, ""
}

func splitComma(v string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(v); i++ {
		if i == len(v) || v[i] == ',' {
			out = append(out, v[start:i])
			start = i + 1
		}
	}
	return out
}

// dayRange reads date, startdateymd/enddateymd or lastupdate; maxDays > 0
// cuts a longer range (and counts the cut).
func (s *Server) dayRange(f url.Values, maxDays int) (days []time.Time, ok bool) {
	now := s.clock.Now()
	date, hasDate, bad1 := dateParam(f, "date")
	start, hasStart, bad2 := dateParam(f, "startdateymd")
	end, hasEnd, bad3 := dateParam(f, "enddateymd")
	last, hasLast, bad4 := epochParam(f, "lastupdate")
	n := 0
	for _, b := range []bool{hasDate, hasStart || hasEnd, hasLast} {
		if b {
			n++
		}
	}
	if bad1 || bad2 || bad3 || bad4 || n != 1 || hasStart != hasEnd || (hasStart && end.Before(start)) {
		return nil, false
	}
	switch {
	case hasDate:
		start, end = date, date
	case hasLast:
		start, end = day(last), day(now)
	}
	if start.Before(s.since()) {
		start = s.since()
	}
	if maxDays > 0 && end.Sub(start) >= time.Duration(maxDays)*24*time.Hour {
		end = start.AddDate(0, 0, maxDays-1)
		s.mu.Lock()
		s.truncated++
		s.mu.Unlock()
	}
	for d := start; !d.After(end) && !d.After(now); d = d.AddDate(0, 0, 1) {
		days = append(days, d)
	}
	return days, true
}

func (s *Server) getactivity(f url.Values) (any, int, string) {
	days, okRange := s.dayRange(f, 0)
	offset, okOff := offsetParam(f)
	if !okRange || !okOff {
		return nil, invalid, "Invalid Params"
	}
	var acts []map[string]any
	for _, d := range days {
		ds := s.daySummary(d)
		active := ds.ActiveTime.Seconds()
		acts = append(acts, map[string]any{
			"date": d.Format(time.DateOnly), "timezone": "UTC", "deviceid": nil, "brand": 18, "is_tracker": true,
			"steps": ds.Steps, "distance": math.Round(float64(ds.Steps)*0.78*100) / 100, "elevation": math.Round(float64(ds.Steps)/900*100) / 100,
			"soft": int(active * 0.5), "moderate": int(active * 0.35), "intense": int(active * 0.15), "active": int(active),
			"calories": math.Round(float64(ds.Steps)*0.045*100) / 100, "totalcalories": math.Round((1750+float64(ds.Steps)*0.045)*100) / 100,
			"hr_average": int(math.Round(ds.RestingHR + 14)), "hr_min": int(math.Round(ds.RestingHR)), "hr_max": int(math.Round(ds.RestingHR + 70)),
		})
	}
	body := map[string]any{}
	lo, hi := s.paged(body, len(acts), offset, false)
	body["activities"] = acts[lo:hi]
	return body, 0, ""
}

// window reads startdate and enddate and cuts the span at 24 hours, as
// the real API does.
func (s *Server) window(f url.Values) (start, end time.Time, ok bool) {
	start, hasStart, bad1 := epochParam(f, "startdate")
	end, hasEnd, bad2 := epochParam(f, "enddate")
	if bad1 || bad2 || !hasStart || !hasEnd || !end.After(start) {
		return start, end, false
	}
	if end.Sub(start) > 24*time.Hour {
		end = start.Add(24 * time.Hour)
		s.mu.Lock()
		s.truncated++
		s.mu.Unlock()
	}
	if now := s.clock.Now(); end.After(now) {
		end = now
	}
	return start, end, true
}

func (s *Server) intraday(f url.Values) (any, int, string) {
	start, end, okW := s.window(f)
	if !okW {
		return nil, invalid, "Invalid Params: startdate and enddate"
	}
	series := map[string]any{}
	if end.After(start) {
		perMin := map[int64]int{}
		for _, t := range s.person.Steps(start, end) {
			perMin[t.Unix()/60*60]++
		}
		for m, n := range perMin {
			series[strconv.FormatInt(m, 10)] = map[string]any{
				"steps": n, "duration": 60, "calories": math.Round(float64(n)*0.045*1000) / 1000,
				"distance": math.Round(float64(n)*0.78*100) / 100, "elevation": 0, "deviceid": nil,
			}
		}
	}
	return map[string]any{"series": series}, 0, ""
}

func (s *Server) workouts(f url.Values) (any, int, string) {
	days, okRange := s.dayRange(f, 0)
	offset, okOff := offsetParam(f)
	if !okRange || !okOff || f.Get("date") != "" {
		return nil, invalid, "Invalid Params"
	}
	var out []map[string]any
	if len(days) > 0 {
		for _, seg := range s.person.Timeline(days[0], days[len(days)-1].AddDate(0, 0, 1)) {
			cat := 0
			switch {
			case seg.Activity == wearkittest.Running:
				cat = 2
			case seg.Activity == wearkittest.Walking && seg.End.Sub(seg.Start) >= 20*time.Minute:
				cat = 1
			}
			if cat == 0 || seg.Start.Before(days[0]) {
				continue
			}
			steps := len(s.person.Steps(seg.Start, seg.End))
			out = append(out, map[string]any{
				"id": seg.Start.Unix(), "category": cat, "startdate": seg.Start.Unix(), "enddate": seg.End.Unix(),
				"date": day(seg.Start).Format(time.DateOnly), "timezone": "UTC", "model": 59, "deviceid": nil, "attrib": 7,
				"data": map[string]any{"steps": steps, "distance": math.Round(float64(steps)*0.9*10) / 10, "calories": math.Round(float64(steps)*0.06*10) / 10},
			})
		}
	}
	body := map[string]any{}
	lo, hi := s.paged(body, len(out), offset, false)
	body["series"] = out[lo:hi]
	return body, 0, ""
}

func sleepState(st wearkittest.SleepStage) int {
	switch st {
	case wearkittest.Light:
		return 1
	case wearkittest.Deep:
		return 2
	case wearkittest.REM:
		return 3
	}
	return 0
}

func (s *Server) sleepGet(f url.Values) (any, int, string) {
	start, end, okW := s.window(f)
	if !okW {
		return nil, invalid, "Invalid Params: startdate and enddate"
	}
	series := []map[string]any{}
	for _, seg := range s.person.Timeline(start, end) {
		if seg.Activity != wearkittest.InBed {
			continue
		}
		a, b := maxTime(seg.Start, start), minTime(seg.End, end)
		series = append(series, map[string]any{"startdate": a.Unix(), "enddate": b.Unix(), "state": sleepState(seg.Stage)})
	}
	return map[string]any{"series": series, "model": 32}, 0, ""
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// MaxSummaryDays is the longest span of one sleep getsummary answer; a
// longer one is cut.
const MaxSummaryDays = 7

func (s *Server) sleepSummary(f url.Values) (any, int, string) {
	maxDays := MaxSummaryDays
	last, hasLast, _ := epochParam(f, "lastupdate")
	if hasLast {
		maxDays = 0 // lastupdate pages instead
	}
	days, okRange := s.dayRange(f, maxDays)
	offset, okOff := offsetParam(f)
	if !okRange || !okOff || f.Get("date") != "" {
		return nil, invalid, "Invalid Params"
	}
	var out []map[string]any
	for _, d := range days {
		ds := s.daySummary(d)
		if ds.WakeTime.After(s.clock.Now()) || (hasLast && ds.WakeTime.Unix()+600 < last.Unix()) {
			continue
		}
		out = append(out, map[string]any{
			"id": d.Unix() / 86400, "timezone": "UTC", "model": 32, "model_id": 63,
			"startdate": ds.Bedtime.Unix(), "enddate": ds.WakeTime.Unix(), "date": d.Format(time.DateOnly),
			"modified": ds.WakeTime.Unix() + 600,
			"data": map[string]any{
				"wakeupduration": int(ds.AwakeInBed.Seconds()), "lightsleepduration": int(ds.LightSleep.Seconds()),
				"deepsleepduration": int(ds.DeepSleep.Seconds()), "remsleepduration": int(ds.REMSleep.Seconds()),
				"durationtosleep": 600, "durationtowakeup": 300, "wakeupcount": 2, "sleep_score": ds.SleepScore,
				"hr_average": int(math.Round(ds.RestingHR + 4)), "hr_min": int(math.Round(ds.RestingHR)), "hr_max": int(math.Round(ds.RestingHR + 25)),
			},
		})
	}
	body := map[string]any{}
	lo, hi := s.paged(body, len(out), offset, false)
	body["series"] = out[lo:hi]
	return body, 0, ""
}

const ecgRate = 300

func (s *Server) heartList(f url.Values) (any, int, string) {
	now := s.clock.Now()
	start, hasStart, bad1 := epochParam(f, "startdate")
	end, hasEnd, bad2 := epochParam(f, "enddate")
	offset, okOff := offsetParam(f)
	if bad1 || bad2 || !okOff {
		return nil, invalid, "Invalid Params"
	}
	if !hasStart || start.Before(s.since()) {
		start = s.since()
	}
	if !hasEnd || end.After(now) {
		end = now
	}
	var out []map[string]any
	for d := day(end); !d.Before(day(start)); d = d.AddDate(0, 0, -1) {
		at := d.Add(9 * time.Hour)
		if at.Before(start) || at.After(end) {
			continue
		}
		hr := int(math.Round(s.daySummary(d).RestingHR + 12))
		out = append(out, map[string]any{
			"deviceid": "bpm-core-0001", "model": 44, "timestamp": at.Unix(), "heart_rate": hr,
			"ecg":           map[string]any{"signalid": d.Unix() / 86400, "afib": 0},
			"bloodpressure": map[string]any{"diastole": 78, "systole": 121},
		})
	}
	body := map[string]any{}
	lo, hi := s.paged(body, len(out), offset, false)
	body["series"] = out[lo:hi]
	return body, 0, ""
}

func (s *Server) heartGet(f url.Values) (any, int, string) {
	id, err := strconv.ParseInt(f.Get("signalid"), 10, 64)
	if err != nil || id <= 0 || id*86400 > s.clock.Now().Unix() {
		return nil, invalid, "Invalid Params: signalid"
	}
	buf := make([]float64, 30*ecgRate)
	if err := s.person.ECG(time.Unix(id*86400, 0).Add(9*time.Hour), ecgRate, buf); err != nil {
		return nil, 2555, "An unknown error occurred"
	}
	sig := make([]int, len(buf))
	for i, v := range buf {
		sig[i] = int(math.Round(v * 1000)) // mV to µV
	}
	return map[string]any{"signal": sig, "sampling_frequency": ecgRate, "wearposition": 1}, 0, ""
}

func (s *Server) devices(url.Values) (any, int, string) {
	last := s.clock.Now().Add(-2 * time.Hour).Unix()
	return map[string]any{"devices": []map[string]any{
		{"type": "Scale", "model": "Body Cardio", "model_id": 6, "battery": "high", "deviceid": scaleID, "timezone": "UTC", "last_session_date": last},
		{"type": "Activity Tracker", "model": "ScanWatch", "model_id": 93, "battery": "medium", "deviceid": "f0e1d2c3b4a5968778695a4b3c2d1e0f98765432", "timezone": "UTC", "last_session_date": last},
	}}, 0, ""
}

func (s *Server) appli(f url.Values) (int, bool) {
	n, err := strconv.Atoi(f.Get("appli"))
	return n, err == nil && n > 0
}

func (s *Server) subscribe(f url.Values) (any, int, string) {
	cb := f.Get("callbackurl")
	appli, okA := s.appli(f)
	if !okA || f.Get("comment") == "" {
		return nil, invalid, "Invalid Params: appli and comment are required"
	}
	if !validCallback(cb) {
		return nil, 293, "The callback URL is either absent or incorrect"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := s.headCheck(ctx, cb); err != nil {
		return nil, 293, "The callback URL is either absent or incorrect"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.subscribes++
	for _, sub := range s.subs {
		if sub.url == cb && sub.appli == appli {
			return map[string]any{}, 0, ""
		}
	}
	s.subs = append(s.subs, subscription{url: cb, appli: appli, comment: f.Get("comment")})
	return map[string]any{}, 0, ""
}

func (s *Server) listSubs(f url.Values) (any, int, string) {
	want := 0
	if f.Get("appli") != "" {
		n, okA := s.appli(f)
		if !okA {
			return nil, invalid, "Invalid Params: appli"
		}
		want = n
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	profiles := []map[string]any{}
	for _, sub := range s.subs {
		if want == 0 || sub.appli == want {
			profiles = append(profiles, map[string]any{"appli": sub.appli, "callbackurl": sub.url, "comment": sub.comment, "expires": 2147483647})
		}
	}
	sort.SliceStable(profiles, func(i, j int) bool { return profiles[i]["appli"].(int) < profiles[j]["appli"].(int) })
	return map[string]any{"profiles": profiles}, 0, ""
}

func (s *Server) find(f url.Values) int {
	appli, _ := s.appli(f)
	for i, sub := range s.subs {
		if sub.url == f.Get("callbackurl") && sub.appli == appli {
			return i
		}
	}
	return -1
}

func (s *Server) getSub(f url.Values) (any, int, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.find(f)
	if i < 0 {
		return nil, 286, "No such subscription was found"
	}
	sub := s.subs[i]
	return map[string]any{"appli": sub.appli, "callbackurl": sub.url, "comment": sub.comment}, 0, ""
}

func (s *Server) updateSub(f url.Values) (any, int, string) {
	nu := f.Get("new_callbackurl")
	na, err := strconv.Atoi(f.Get("new_appli"))
	if err != nil || na <= 0 {
		return nil, invalid, "Invalid Params: new_appli"
	}
	if !validCallback(nu) {
		return nil, 293, "The callback URL is either absent or incorrect"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := s.headCheck(ctx, nu); err != nil {
		return nil, 293, "The callback URL is either absent or incorrect"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.find(f)
	if i < 0 {
		return nil, 286, "No such subscription was found"
	}
	s.subs[i].url, s.subs[i].appli = nu, na
	if c := f.Get("comment"); c != "" {
		s.subs[i].comment = c
	}
	return map[string]any{}, 0, ""
}

func (s *Server) revoke(f url.Values) (any, int, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.find(f)
	if i < 0 {
		return nil, 286, "No such subscription was found"
	}
	s.subs = append(s.subs[:i], s.subs[i+1:]...)
	return map[string]any{}, 0, ""
}
