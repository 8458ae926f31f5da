package polartest

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"
)

// pyTime is Python's str() of an aware UTC datetime, the code's form.
func pyTime(t time.Time) string {
	t = t.UTC()
	if t.Nanosecond()/1000 != 0 {
		return t.Format("2006-01-02 15:04:05.000000-07:00")
	}
	return t.Format("2006-01-02 15:04:05-07:00")
}

// pageTime is the page's zone-less form.
func pageTime(t time.Time) string { return t.UTC().Format(time.DateTime) }

func (s *Server) ts(t time.Time) string {
	if s.page {
		return pageTime(t)
	}
	return pyTime(t)
}

func date(t time.Time) string { return t.Format(time.DateOnly) }

// num turns a nullable number into a JSON value.
func num(p *float64) any {
	if p == nil || math.IsNaN(*p) {
		return nil
	}
	return *p
}

func f(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return v
}

func (s *Server) sleepJSON(d *day, detail bool) any {
	m := map[string]any{"date": date(d.date), "sleep_score": num(d.sleepScore), "total_sleep_hours": num(d.totalH),
		"deep_sleep_hours": num(d.deepH), "rem_sleep_hours": num(d.remH), "light_sleep_hours": num(d.lightH), "hrv_avg": num(d.sleepHRV)}
	if s.page {
		m["heart_rate_avg"] = math.Round(*d.sleepHR)
	} else {
		m["heart_rate_avg"] = num(d.sleepHR)
		m["breathing_rate_avg"] = num(d.breathing)
		m["skin_temperature_avg"] = num(d.skinTemp)
	}
	if detail {
		hyp, hr := map[string]int{}, map[string]float64{}
		bed := time.Unix(d.sum.bed, 0).UTC()
		for t, k := bed, 0; t.Unix() < d.sum.wake; t, k = t.Add(15*time.Minute), k+1 {
			stage := []int{2, 3, 2, 1, 2, 3, 2, 1}[k%8]
			if k == 0 {
				stage = 0
			}
			hyp[t.Format("15:04")] = stage
			hr[t.Format("15:04")] = math.Round(d.sum.restingHR + 4 + 3*noise(7, k, uint64(d.sum.date)))
		}
		m["hypnogram"], m["heart_rate_samples"] = hyp, hr
	}
	return m
}

func activityJSON(d *day) any {
	return map[string]any{"date": date(d.date), "steps": num(d.steps), "calories_active": num(d.calActive), "calories_total": num(d.calTotal),
		"distance_km": num(d.distance), "active_minutes": num(d.activeMin), "activity_score": num(d.activityScore)}
}

func activitySamplesJSON(u *user, d *day) any {
	counts := make([]int, 24)
	for _, t := range u.person.Steps(d.date, d.date.Add(24*time.Hour)) {
		counts[t.Sub(d.date)/time.Hour]++
	}
	samples := make([]any, 24)
	for h, n := range counts {
		samples[h] = map[string]any{"time": pyTime(d.date.Add(time.Duration(h) * time.Hour)), "steps": n}
	}
	return map[string]any{"date": date(d.date), "samples": samples}
}

var rechargeNames = map[int]string{-3: "MUCH_BELOW_USUAL", -2: "BELOW_USUAL", -1: "SLIGHTLY_BELOW_USUAL", 0: "USUAL",
	1: "SLIGHTLY_ABOVE_USUAL", 2: "ABOVE_USUAL", 3: "WELL_RECOVERED"}

func (s *Server) rechargeJSON(d *day) any {
	m := map[string]any{"date": date(d.date), "hrv_avg": num(d.rechargeHRV), "ans_charge": num(d.ansCharge),
		"breathing_rate_avg": num(d.breathing), "heart_rate_avg": num(d.rechargeHR)}
	switch {
	case d.rechargeHRV == nil:
		m["ans_charge_status"] = nil
	case s.page:
		m["ans_charge_status"] = rechargeNames[d.ansStatus]
	default:
		m["ans_charge_status"] = d.ansStatus
	}
	if !s.page {
		m["beat_to_beat_avg"] = num(d.beatToBeat)
		if d.rechargeHRV != nil {
			m["nightly_recharge_status"] = d.nightlyStatus
		} else {
			m["nightly_recharge_status"] = nil
		}
	}
	return m
}

func cardioJSON(d *day) any {
	return map[string]any{"date": date(d.date), "strain": num(d.strain), "tolerance": num(d.tolerance), "cardio_load": num(d.load),
		"cardio_load_ratio": num(d.ratio), "cardio_load_status": d.loadStatus}
}

func heartRateJSON(d *day) any {
	return map[string]any{"date": date(d.date), "hr_min": d.hrMin, "hr_avg": d.hrAvg, "hr_max": d.hrMax, "sample_count": 1440}
}

func heartRateSamplesJSON(u *user, d *day) any {
	hr := make([]float64, 288) // one every five minutes
	if err := u.person.HeartRate(d.date, 1.0/300, hr); err != nil {
		return nil
	}
	samples := make([]any, len(hr))
	for i, v := range hr {
		samples[i] = map[string]any{"time": pyTime(d.date.Add(time.Duration(i) * 5 * time.Minute)), "heart_rate": math.Round(v)}
	}
	return map[string]any{"date": date(d.date), "samples": samples}
}

func alertnessJSON(days []*day) []any {
	out := []any{}
	for _, d := range days {
		wake := time.Unix(d.sum.wake, 0).UTC().Truncate(time.Hour)
		for h := 15; h >= 0; h-- {
			start := wake.Add(time.Duration(h) * time.Hour)
			grade := math.Round((4.6-0.12*float64(h)-0.3*math.Abs(float64(h)-7)/7)*10) / 10
			class := "GRADE_CLASSIFICATION_STRONG"
			if grade < 3.5 {
				class = "GRADE_CLASSIFICATION_WEAK"
			} else if grade < 4 {
				class = "GRADE_CLASSIFICATION_FAIR"
			}
			out = append(out, map[string]any{"period_start_time": pyTime(start), "period_end_time": pyTime(start.Add(time.Hour)),
				"grade": grade, "grade_classification": class})
		}
	}
	return out
}

func (s *Server) bedtimeJSON(d *day) any {
	bed := time.Unix(d.sum.bed, 0).UTC().AddDate(0, 0, 1).Truncate(15 * time.Minute)
	wake := time.Unix(d.sum.wake, 0).UTC().AddDate(0, 0, 1).Truncate(15 * time.Minute)
	m := map[string]any{"period_start_time": s.ts(d.date), "period_end_time": s.ts(d.date.AddDate(0, 0, 1))}
	at := func(t time.Time) any {
		if s.page {
			return t.Format(time.TimeOnly)
		}
		return pyTime(t)
	}
	m["preferred_sleep_start"], m["preferred_sleep_end"] = at(bed), at(wake)
	m["sleep_gate_start"], m["sleep_gate_end"] = at(bed.Add(-30*time.Minute)), at(bed.Add(30*time.Minute))
	switch {
	case s.page:
		m["quality"] = "GOOD"
	case d.sum.score < 75:
		m["quality"] = "CIRCADIAN_BEDTIME_QUALITY_COMPROMISED"
	default:
		m["quality"] = "CIRCADIAN_BEDTIME_QUALITY_OPTIMAL"
	}
	return m
}

func dayIndex(d *day) int { return int(d.date.Sub(Today).Hours() / 24) }

func spo2JSON(d *day) any {
	if (dayIndex(d)%7+7)%7 != 3 {
		return nil
	}
	t := time.Unix(d.sum.bed, 0).UTC().Add(-30 * time.Minute)
	return map[string]any{"test_time": pyTime(t), "blood_oxygen_percent": 97 + math.Round(noise(1, dayIndex(d)+100, 11)), "spo2_class": "NORMAL",
		"avg_heart_rate": math.Round(d.sum.restingHR + 8), "hrv_ms": math.Round(d.sum.rmssd*10) / 10, "altitude_meters": 150}
}

// ECG recordings: one every tenth day, 30 s at 130 Hz, from the person's
// own beats.
const ecgRate = 130

func ecgID(d *day) int { return 1000 + dayIndex(d) + 100 }

func (u *user) ecgByID(id string) *day {
	n, err := strconv.Atoi(id)
	if err != nil || u == nil {
		return nil
	}
	for i := range u.days {
		d := &u.days[i]
		if (dayIndex(d)%10+10)%10 == 0 && ecgID(d) == n {
			return d
		}
	}
	return nil
}

func ecgJSON(u *user, d *day, samples bool) any {
	if (dayIndex(d)%10+10)%10 != 0 {
		return nil
	}
	start := time.Unix(d.sum.wake, 0).UTC().Add(20 * time.Minute)
	m := map[string]any{"id": ecgID(d), "test_time": pyTime(start), "avg_heart_rate": math.Round(d.sum.restingHR + 10),
		"hrv_ms": math.Round(d.sum.rmssd*10) / 10, "hrv_level": "HRV_LEVEL_NORMAL", "rri_ms": math.Round(60000 / (d.sum.restingHR + 10)),
		"pulse_transit_time_ms": nil}
	if samples {
		v := make([]float64, 30*ecgRate)
		if err := u.person.ECG(start, ecgRate, v); err != nil {
			return nil
		}
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = map[string]any{"recording_time_delta_ms": i * 1000 / ecgRate, "amplitude_mv": math.Round(x*1000) / 1000}
		}
		m["samples"] = out
	}
	return m
}

func temperatureJSON(d *day, kind string) any {
	bed, wake := time.Unix(d.sum.bed, 0).UTC(), time.Unix(d.sum.wake, 0).UTC()
	base, typ, loc := 36.6, "TM_CORE_TEMPERATURE", "SL_PROXIMAL"
	if kind == "skin" {
		base, typ, loc = 33.6, "TM_SKIN_TEMPERATURE", "SL_DISTAL"
	}
	samples := []any{}
	for k := 0; k < 4; k++ {
		samples = append(samples, map[string]any{"recording_time_delta_ms": int64(k) * wake.Sub(bed).Milliseconds() / 4,
			"temperature_celsius": math.Round((base+0.3*noise(uint64(d.sum.date), k, 13))*100) / 100})
	}
	return map[string]any{"start_time": pyTime(bed), "end_time": pyTime(wake), "measurement_type": typ, "sensor_location": loc, "samples": samples}
}

func (s *Server) exerciseJSON(d *day) any {
	e := d.exercise
	if e == nil {
		return nil
	}
	m := map[string]any{"polar_exercise_id": e.polarID, "sport": e.sport, "duration_minutes": e.minutes, "distance_km": e.distance,
		"calories": e.calories, "average_heart_rate": e.avgHR, "max_heart_rate": e.maxHR, "training_load": e.load}
	if s.page {
		m["id"], m["start_time"] = e.number, pageTime(e.start)
	} else {
		m["id"], m["start_time"] = e.uuid, pyTime(e.start)
	}
	return m
}

func (u *user) exercise(id string) *day {
	if u == nil {
		return nil
	}
	for i := range u.days {
		if e := u.days[i].exercise; e != nil && (e.uuid == id || strconv.Itoa(e.number) == id) {
			return &u.days[i]
		}
	}
	return nil
}

func (s *Server) exerciseDetail(w http.ResponseWriter, u *user, p []string) {
	d := u.exercise(p[0])
	if d == nil {
		apiError(w, http.StatusNotFound, "Exercise not found", nil)
		return
	}
	e := d.exercise
	if len(p) == 2 {
		switch p[1] {
		case "samples":
			n := int(e.minutes * 60 / 5)
			hr, speed := make([]any, n), make([]any, n)
			for i := range hr {
				hr[i] = math.Round(e.avgHR + 12*math.Sin(float64(i)/40))
				speed[i] = math.Round((e.speedKmh+noise(3, i, 5))*10) / 10
			}
			hr[n/2] = nil // a dropout
			writeJSON(w, map[string]any{"exercise_id": e.uuid, "samples": []any{
				map[string]any{"sample_type": "HEARTRATE", "recording_rate": 5, "values": hr},
				map[string]any{"sample_type": "SPEED", "recording_rate": 5, "values": speed}}})
		case "route":
			if !e.hasRoute {
				writeJSON(w, []any{})
				return
			}
			out := []any{}
			for k := 0; k < int(e.minutes); k++ {
				a := float64(k) / e.minutes * 2 * math.Pi
				out = append(out, map[string]any{"time": pyTime(e.start.Add(time.Duration(k) * time.Minute)),
					"latitude": round(60.1699+0.01*math.Sin(a), 6), "longitude": round(24.9384+0.02*math.Cos(a), 6), "altitude": round(20+5*math.Sin(2*a), 1)})
			}
			writeJSON(w, out)
		default:
			apiError(w, http.StatusNotFound, "Not Found", nil)
		}
		return
	}
	m := s.exerciseJSON(d).(map[string]any)
	if !s.page {
		zones := []any{}
		for z := range e.zoneSecs {
			zones = append(zones, map[string]any{"index": z + 1, "lower_limit": e.zoneLimit[z], "upper_limit": e.zoneLimit[z+1], "in_zone_seconds": e.zoneSecs[z]})
		}
		m["avg_speed_kmh"], m["max_speed_kmh"] = e.speedKmh, round(e.speedKmh*1.3, 1)
		m["avg_cadence"], m["max_cadence"] = e.cadence, e.cadence+12
		m["avg_power"], m["max_power"] = nil, nil
		m["ascent_m"], m["descent_m"] = e.ascent, e.ascent
		m["running_index"] = e.runIndex
		m["heart_rate_zones"] = zones
		m["has_samples"], m["has_route_data"] = true, e.hasRoute
	}
	writeJSON(w, m)
}

func physicalInfoJSON(u *user) any {
	if u == nil || u.id == NewUserID {
		return nil
	}
	last := u.days[len(u.days)-1]
	return map[string]any{"weight_kg": last.sum.weight, "height_cm": 176.0, "max_heart_rate": 183, "resting_heart_rate": math.Round(last.sum.restingHR),
		"vo2_max": 47, "gender": "MALE", "birthday": "1991-03-04", "created": pyTime(Today.Add(6 * time.Hour))}
}

func (s *Server) recordCounts(u *user, n int) map[string]int {
	c := map[string]int{}
	for _, k := range []string{"sleep", "recharge", "activity", "exercises", "cardio_load", "sleepwise_alertness", "sleepwise_bedtime",
		"spo2", "ecg", "body_temperature", "skin_temperature", "continuous_heart_rate", "activity_samples", "physical_info"} {
		c[k] = 0
	}
	for _, d := range u.window(n) {
		c["sleep"]++
		c["recharge"]++
		c["activity"]++
		c["cardio_load"]++
		c["continuous_heart_rate"]++
		c["activity_samples"]++
		c["body_temperature"]++
		c["skin_temperature"]++
		if d.exercise != nil {
			c["exercises"]++
		}
		if spo2JSON(d) != nil {
			c["spo2"]++
		}
		if (dayIndex(d)%10+10)%10 == 0 {
			c["ecg"]++
		}
		if dayIndex(d) > -30 {
			c["sleepwise_alertness"] += 16
			c["sleepwise_bedtime"]++
		}
	}
	if physicalInfoJSON(u) != nil {
		c["physical_info"] = 1
	}
	return c
}

func (s *Server) userStatus(w http.ResponseWriter, uid string, u *user) {
	m := map[string]any{"user_id": uid, "last_sync": nil, "record_counts": map[string]int{}}
	if u != nil {
		m["last_sync"] = s.calculated.Format("2006-01-02T15:04:05.000000-07:00")
		m["record_counts"] = s.recordCounts(u, 90)
		m["has_data"] = true
	}
	writeJSON(w, m)
}

func (s *Server) exportSummary(w http.ResponseWriter, r *http.Request, uid string, u *user) {
	n, ok := days(w, r, 30, 1, 365)
	if !ok {
		return
	}
	c := s.recordCounts(u, n)
	counts := map[string]int{"sleep": c["sleep"], "activity": c["activity"], "recharge": c["recharge"], "cardio_load": c["cardio_load"],
		"heart_rate": c["continuous_heart_rate"], "exercises": c["exercises"]}
	total := 0
	for _, v := range counts {
		total += v
	}
	writeJSON(w, map[string]any{"user_id": uid, "days": n, "from_date": date(Today.AddDate(0, 0, -n)), "to_date": date(Today),
		"record_counts": counts, "total_records": total})
}

// exportCSV writes an export as the code does: rows oldest first, CRLF,
// and 0 or null as an empty cell (the page's form keeps the 0 and uses
// LF).
func (s *Server) exportCSV(w http.ResponseWriter, r *http.Request, u *user, kind string) {
	n, ok := days(w, r, 30, 1, 365)
	if !ok {
		return
	}
	var header []string
	var row func(d *day) []any
	switch kind {
	case "sleep":
		header = []string{"date", "sleep_score", "total_hours", "deep_hours", "light_hours", "rem_hours", "hrv_avg", "heart_rate_avg", "breathing_rate_avg"}
		row = func(d *day) []any {
			return []any{num(d.sleepScore), num(d.totalH), num(d.deepH), num(d.lightH), num(d.remH), num(d.sleepHRV), num(d.sleepHR), num(d.breathing)}
		}
	case "activity":
		header = []string{"date", "steps", "calories_active", "calories_total", "distance_km", "active_minutes"}
		row = func(d *day) []any {
			return []any{num(d.steps), num(d.calActive), num(d.calTotal), num(d.distance), num(d.activeMin)}
		}
	case "recharge":
		header = []string{"date", "hrv_avg", "ans_charge", "status", "breathing_rate", "heart_rate_avg"}
		row = func(d *day) []any {
			var st any
			if d.rechargeHRV != nil {
				st = float64(d.ansStatus)
				if s.page {
					st = rechargeNames[d.ansStatus]
				}
			}
			return []any{num(d.rechargeHRV), num(d.ansCharge), st, num(d.breathing), num(d.rechargeHR)}
		}
	case "cardio-load":
		header = []string{"date", "strain", "tolerance", "cardio_load", "load_ratio", "status"}
		row = func(d *day) []any {
			return []any{num(d.strain), num(d.tolerance), num(d.load), num(d.ratio), d.loadStatus}
		}
	default:
		apiError(w, http.StatusNotFound, "Not Found", nil)
		return
	}
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	cw.UseCRLF = !s.page
	_ = cw.Write(header)
	rows := u.window(n)
	for i := len(rows) - 1; i >= 0; i-- {
		rec := []string{date(rows[i].date)}
		for _, v := range row(rows[i]) {
			rec = append(rec, s.cell(v))
		}
		_ = cw.Write(rec)
	}
	cw.Flush()
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%s.csv", kind))
	_, _ = w.Write(b.Bytes())
}

// cell writes a value as the server does: Python's "value or ”", so 0
// and None are both empty (in the code's form).
func (s *Server) cell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case float64:
		if x == 0 && !s.page {
			return ""
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		return x
	}
	return fmt.Sprint(v)
}
