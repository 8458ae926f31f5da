package polartest

import (
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/wearkit/wearkit/analytics"
	"github.com/wearkit/wearkit/wearkittest"
)

func writeJSON(w http.ResponseWriter, v any) { wearkittest.WriteJSON(w, http.StatusOK, v) }

// metricOrder is the order the server writes (and lists) its baselines.
var metricOrder = []string{analytics.MetricHRV, analytics.MetricSleepScore, analytics.MetricRestingHR, analytics.MetricTrainingLoad, analytics.MetricTrainingLoadRatio}

// stored returns the baselines the server would have stored: those of
// every metric with at least one sample.
func (u *user) stored() map[string]analytics.Baseline {
	out := map[string]analytics.Baseline{}
	if u == nil {
		return out
	}
	for m, b := range u.an.Baselines {
		if b.SampleCount > 0 {
			out[m] = b
		}
	}
	return out
}

func fp(p *float64) any {
	if p == nil {
		return nil
	}
	return f(*p)
}

func dateOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return date(t)
}

func (s *Server) iso(t time.Time) string {
	if s.page {
		return t.UTC().Format("2006-01-02T15:04:05Z")
	}
	return t.UTC().Format("2006-01-02T15:04:05.000000-07:00")
}

func (s *Server) baselineJSON(metric string, b analytics.Baseline) map[string]any {
	m := map[string]any{"metric_name": metric, "baseline_value": f(b.Value), "baseline_7d": fp(b.Baseline7d), "baseline_30d": fp(b.Baseline30d),
		"baseline_90d": fp(b.Baseline90d), "min": f(b.Min), "max": f(b.Max), "sample_count": b.SampleCount, "status": string(b.Status),
		"data_start_date": dateOrNil(b.DataStart), "data_end_date": dateOrNil(b.DataEnd), "calculated_at": s.iso(s.calculated)}
	full := b.Status != analytics.StatusInsufficient
	for k, v := range map[string]float64{"median": b.Median, "q1": b.Q1, "q3": b.Q3, "iqr": b.IQR, "std_dev": b.StdDev, "lower_bound": b.LowerBound, "upper_bound": b.UpperBound} {
		if full {
			m[k] = f(v)
		} else {
			m[k] = nil
		}
	}
	return m
}

func (s *Server) baselinesJSON(u *user) []any {
	st := u.stored()
	out := []any{}
	for _, m := range metricOrder {
		if b, ok := st[m]; ok {
			out = append(out, s.baselineJSON(m, b))
		}
	}
	return out
}

func (s *Server) baseline(w http.ResponseWriter, u *user, metric string) {
	b, ok := u.stored()[metric]
	if !ok {
		apiError(w, http.StatusNotFound, "Baseline not found for metric '"+metric+"'", nil)
		return
	}
	writeJSON(w, s.baselineJSON(metric, b))
}

func (s *Server) calculate(w http.ResponseWriter, uid string, u *user) {
	s.mu.Lock()
	s.calculated = s.clock.Now().UTC()
	s.mu.Unlock()
	res := map[string]string{}
	for m, b := range u.stored() {
		res[m] = string(b.Status)
	}
	writeJSON(w, map[string]any{"user_id": uid, "baselines_calculated": res})
}

func (s *Server) check(w http.ResponseWriter, r *http.Request, u *user, metric, raw string) {
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		validation(w, r, "value", "path", "Expected `float`, got `str`")
		return
	}
	b, ok := u.stored()[metric]
	if !ok || b.Status == analytics.StatusInsufficient {
		if s.page {
			writeJSON(w, map[string]any{"value": v, "metric_name": metric, "is_anomaly": false, "severity": nil, "baseline": nil,
				"baseline_7d": nil, "lower_bound": nil, "upper_bound": nil, "status": "insufficient"})
			return
		}
		writeJSON(w, map[string]any{"is_anomaly": false, "reason": "No baseline data available", "status": "insufficient"})
		return
	}
	a := analytics.Check(v, b)
	var sev any
	if a.Severity != "" {
		sev = string(a.Severity)
	}
	writeJSON(w, map[string]any{"value": v, "metric_name": metric, "is_anomaly": a.IsAnomaly, "severity": sev, "baseline": f(b.Value),
		"baseline_7d": fp(b.Baseline7d), "lower_bound": f(a.LowerBound), "upper_bound": f(a.UpperBound), "status": string(b.Status)})
}

func (u *user) readiness() analytics.Readiness {
	r, _ := analytics.ReadinessFor(analytics.DataDaysFrom(u.sleepPts, u.rechargePts, u.activityPts, u.cardioPts, Today))
	return r
}

func (s *Server) analyticsStatus(w http.ResponseWriter, uid string, u *user) {
	var r analytics.Readiness
	if u != nil {
		r = u.readiness()
	} else {
		r, _ = analytics.ReadinessFor(analytics.DataDays{})
	}
	avail, progress := map[string]bool{}, map[string]any{}
	for _, fe := range r.Features {
		avail[string(fe.Feature)] = fe.Unlocked
		entry := map[string]any{"unlocked": fe.Unlocked, "days_required": fe.DaysRequired, "days_remaining": fe.DaysRemaining, "progress_percent": fe.ProgressPercent}
		if s.page {
			// The page shows one entry: the next feature to unlock.
			if !fe.Unlocked && len(progress) == 0 {
				progress[string(fe.Feature)] = entry
			}
			continue
		}
		progress[string(fe.Feature)] = entry
	}
	writeJSON(w, map[string]any{"user_id": uid,
		"data_days":     map[string]int{"sleep": r.DataDays.Sleep, "recharge": r.DataDays.Recharge, "activity": r.DataDays.Activity, "cardio_load": r.DataDays.CardioLoad},
		"min_data_days": r.MinDataDays, "features_available": avail, "unlock_progress": progress, "recommendations": r.Recommendations})
}

// patternsList is the server's four patterns, newest analysis first.
func (s *Server) patternsList(u *user) []map[string]any {
	if u == nil {
		return nil
	}
	an := u.an
	at := s.iso(s.calculated)
	mk := func(p analytics.Pattern, metrics []string, details map[string]any) map[string]any {
		return map[string]any{"pattern_type": string(p.Type), "pattern_name": p.Name, "score": fp(p.Score), "confidence": fp(p.Confidence),
			"significance": string(p.Significance), "metrics_involved": metrics, "sample_count": p.SampleCount, "details": details, "analyzed_at": at}
	}
	trend := func(t analytics.Trend) map[string]any {
		return map[string]any{"trend_percent": f(t.Percent), "recent_mean": f(t.RecentMean), "baseline_mean": f(t.BaselineMean),
			"recent_count": t.RecentCount, "baseline_count": t.BaselineCount, "direction": string(t.Direction)}
	}
	corr := map[string]any{"correlation_coefficient": f(an.Correlation.Rho), "p_value": f(an.Correlation.P), "interpretation": an.Correlation.Interpretation}
	risk := map[string]any{"risk_factors": nonNil(an.Risk.Factors), "recommendations": nonNil(an.Risk.Recommendations)}
	if !s.page {
		corr["strength"], corr["direction"] = an.Correlation.Strength, an.Correlation.Direction
		risk["risk_score"], risk["metrics_checked"] = an.Risk.Score, an.Risk.MetricsChecked
	}
	return []map[string]any{
		mk(an.SleepTrend.Pattern(analytics.PatternSleepTrend, "sleep"), []string{analytics.MetricSleepScore}, trend(an.SleepTrend)),
		mk(an.HRVTrend.Pattern(analytics.PatternHRVTrend, "hrv"), []string{analytics.MetricHRV}, trend(an.HRVTrend)),
		mk(an.Risk.Pattern(), []string{analytics.MetricHRV, analytics.MetricSleepScore, analytics.MetricRestingHR, analytics.MetricTrainingLoadRatio}, risk),
		mk(an.Correlation.Pattern(), []string{analytics.MetricSleepScore, analytics.MetricHRV}, corr),
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (s *Server) patternsJSON(u *user) []any {
	out := []any{}
	for _, p := range s.patternsList(u) {
		out = append(out, p)
	}
	return out
}

func (s *Server) pattern(w http.ResponseWriter, u *user, name string) {
	for _, p := range s.patternsList(u) {
		if p["pattern_name"] == name {
			writeJSON(w, p)
			return
		}
	}
	apiError(w, http.StatusNotFound, "Pattern '"+name+"' not found", nil)
}

func (s *Server) detect(w http.ResponseWriter, uid string, u *user) {
	res := map[string]string{}
	for _, p := range s.patternsList(u) {
		res[p["pattern_name"].(string)] = p["significance"].(string)
	}
	writeJSON(w, map[string]any{"user_id": uid, "patterns_detected": res})
}

// latestValid is the value the server's scan checks per metric: the
// latest non-null one (> 0 for the training-load metrics).
func (u *user) latestValid() map[string]float64 {
	out := map[string]float64{}
	add := func(m string, pts []analytics.Point, positive bool) {
		var keep []analytics.Point
		for _, p := range pts {
			if !positive || p.Value > 0 {
				keep = append(keep, p)
			}
		}
		if v, ok := analytics.Latest(keep); ok {
			out[m] = v
		}
	}
	add(analytics.MetricHRV, u.series.HRV, false)
	add(analytics.MetricSleepScore, u.series.SleepScore, false)
	add(analytics.MetricRestingHR, u.series.RestingHR, false)
	add(analytics.MetricTrainingLoad, u.series.TrainingLoad, true)
	add(analytics.MetricTrainingLoadRatio, u.series.TrainingLoadRatio, true)
	return out
}

func (s *Server) anomalyJSON(a analytics.MetricAnomaly, b analytics.Baseline) map[string]any {
	m := map[string]any{"metric_name": a.Metric, "current_value": f(a.Value), "baseline_value": f(a.Baseline), "lower_bound": f(a.LowerBound),
		"upper_bound": f(a.UpperBound), "severity": string(a.Severity), "direction": a.Direction, "deviation_percent": fp(a.DeviationPercent)}
	if s.page {
		if a.DeviationPercent != nil {
			m["deviation_percent"] = round(*a.DeviationPercent, 1)
		}
	} else {
		m["median_value"] = f(b.Median)
	}
	return m
}

func (s *Server) anomalies(w http.ResponseWriter, uid string, u *user) {
	out := []any{}
	if u != nil {
		st := u.stored()
		for _, a := range analytics.Scan(u.latestValid(), st) {
			out = append(out, s.anomalyJSON(a, st[a.Metric]))
		}
	}
	writeJSON(w, map[string]any{"user_id": uid, "anomaly_count": len(out), "anomalies": out})
}

func str(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (s *Server) insights(w http.ResponseWriter, uid string, u *user) {
	if u == nil {
		u = &user{id: uid, an: analytics.Analyze(analytics.Series{}, Today)}
	}
	in := u.an.Insights
	fa := map[string]any{}
	for _, fs := range in.Features {
		e := map[string]any{"available": fs.Available, "message": str(fs.Message), "unlock_at_days": fs.UnlockAtDays}
		if s.page && fs.Available {
			delete(e, "unlock_at_days")
		}
		fa[string(fs.Feature)] = e
	}
	var unlock any
	if in.Unlock != nil {
		unlock = map[string]any{"next_unlock": string(in.Unlock.NextUnlock), "days_until_next": in.Unlock.DaysUntilNext, "percent_to_next": in.Unlock.PercentToNext}
	}
	cur := func(m string) any {
		if c, ok := in.Comparisons[m]; ok {
			return fp(c.Current)
		}
		return nil
	}
	base := map[string]any{}
	for m, c := range in.Comparisons {
		e := map[string]any{"current": fp(c.Current), "baseline": f(c.Baseline), "baseline_7d": fp(c.Baseline7d), "baseline_30d": fp(c.Baseline30d),
			"percent_of_baseline": fp(c.PercentOfBaseline), "trend": str(string(c.Trend)), "trend_days": nil, "status": string(c.Status)}
		if s.page {
			for k, v := range e {
				if v == nil {
					delete(e, k)
				}
			}
		}
		base[m] = e
	}
	pats := []any{}
	for _, p := range in.Patterns {
		pats = append(pats, map[string]any{"name": p.Name, "pattern_type": string(p.Type), "score": fp(p.Score), "significance": string(p.Significance),
			"factors": nonNil(p.Factors), "interpretation": str(p.Interpretation)})
	}
	st := u.stored()
	anoms := []any{}
	for _, a := range in.Anomalies {
		anoms = append(anoms, s.anomalyJSON(a, st[a.Metric]))
	}
	obs := []any{}
	for _, o := range in.Observations {
		obs = append(obs, map[string]any{"category": string(o.Category), "priority": string(o.Priority), "fact": o.Fact, "context": str(o.Context), "trend": str(string(o.Trend))})
	}
	sug := []any{}
	for _, g := range in.Suggestions {
		sug = append(sug, map[string]any{"action": g.Action, "description": g.Description, "confidence": g.Confidence, "reason": g.Reason})
	}
	var fresh any
	if len(u.days) > 0 {
		fresh = s.iso(time.Unix(u.days[len(u.days)-1].sum.wake, 0))
	}
	writeJSON(w, map[string]any{"user_id": uid, "generated_at": s.iso(s.clock.Now()), "data_freshness": fresh, "data_age_days": in.DataAgeDays,
		"status": string(in.Status), "feature_availability": fa, "unlock_progress": unlock,
		"current_metrics": map[string]any{"hrv": cur(analytics.MetricHRV), "sleep_score": cur(analytics.MetricSleepScore), "resting_hr": cur(analytics.MetricRestingHR),
			"training_load_ratio": cur(analytics.MetricTrainingLoadRatio)},
		"baselines": base, "patterns": pats, "anomalies": anoms, "observations": obs, "suggestions": sug})
}
