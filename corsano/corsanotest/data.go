package corsanotest

import (
	"math"
	"sort"
	"time"

	"github.com/wearkit/wearkit/corsano"
	"github.com/wearkit/wearkit/wearkittest"
)

// Waveform sampling rates of the fake's raw items (one item per second).
const (
	PPGRate = 25  // ppg1, ppg2 and bioz samples per second
	AccRate = 25  // acc samples per second per axis
	ECGRate = 128 // ecg samples per second
)

func r3(v float64) float64 { return math.Round(v*1000) / 1000 }

// ms is an item's timestamp.
func ms(t time.Time) int64 { return t.UnixMilli() }

// rawItems generates the raw items of typ in [from, to), in time order. For
// waveforms, step thins them to one item every step seconds (the export
// files; 1 for the raw-metrics call).
func rawItems(p *wearkittest.Person, typ corsano.RawMetricType, from, to time.Time, step int) []map[string]any {
	var out []map[string]any
	loc := p.Config().Location
	switch typ {
	case corsano.Activity, corsano.Temperature:
		start := from.Truncate(time.Minute)
		if start.Before(from) {
			start = start.Add(time.Minute)
		}
		n := int((to.Sub(start) + time.Minute - 1) / time.Minute)
		if n <= 0 {
			return out
		}
		hr := make([]float64, n)
		act := make([]float64, n)
		_ = p.HeartRate(start, 1.0/60, hr)
		_ = p.Activity(start, 1.0/60, act)
		steps := make([]int, n)
		if typ == corsano.Activity {
			for _, st := range p.Steps(start, to) {
				steps[int(st.Sub(start)/time.Minute)]++
			}
		}
		for i := range n {
			t := start.Add(time.Duration(i) * time.Minute)
			it := map[string]any{"timestamp": ms(t), "date": t.In(loc).Format(corsano.ZonedTimeLayout)}
			if typ == corsano.Activity {
				it["steps"] = steps[i]
				it["activity"] = r3(act[i])
			} else {
				it["temp_sk1"] = r3(33.2 + (hr[i]-50)/45)
				it["temp_sk2"] = r3(32.4 + (hr[i]-50)/50)
			}
			out = append(out, it)
		}
	case corsano.RRInterval:
		for _, b := range p.Beats(from, to) {
			out = append(out, map[string]any{"timestamp": ms(b.Time), "rr": b.RR.Milliseconds()})
		}
	case corsano.Sleep:
		for _, s := range p.Timeline(from, to) {
			if s.Activity != wearkittest.InBed || s.Start.Before(from) || !s.Start.Before(to) {
				continue
			}
			out = append(out, map[string]any{"timestamp": ms(s.Start), "end_timestamp": ms(s.End), "stage": s.Stage.String()})
		}
	case corsano.HeartRateVariability:
		start := from.Truncate(5 * time.Minute)
		if start.Before(from) {
			start = start.Add(5 * time.Minute)
		}
		beats := p.Beats(start, to)
		for t, i := start, 0; t.Before(to); t = t.Add(5 * time.Minute) {
			end := t.Add(5 * time.Minute)
			var sq, n float64
			first := i
			for ; i < len(beats) && beats[i].Time.Before(end); i++ {
				if i > first {
					d := float64(beats[i].RR-beats[i-1].RR) / 1e6
					sq += d * d
					n++
				}
			}
			if n > 0 {
				out = append(out, map[string]any{"timestamp": ms(t), "rmssd": r3(math.Sqrt(sq / n)), "beats": i - first})
			}
		}
	default: // waveforms: one item per second
		start := from.Truncate(time.Second)
		if start.Before(from) {
			start = start.Add(time.Second)
		}
		var beats []wearkittest.Beat
		if typ == corsano.PPG1 || typ == corsano.PPG2 {
			beats = p.Beats(start.Add(-3*time.Second), to.Add(time.Second))
		}
		// One generator call for a dense span (step 1); one per item when
		// thinned.
		var span wave
		if step == 1 {
			span = waveOf(p, typ, start, int((to.Sub(start)+time.Second-1)/time.Second))
		}
		for k, t := 0, start; t.Before(to); k, t = k+step, t.Add(time.Duration(step)*time.Second) {
			w, off := span, k
			if step != 1 {
				w, off = waveOf(p, typ, t, 1), 0
			}
			it := map[string]any{"timestamp": ms(t)}
			switch typ {
			case corsano.ECG:
				it["values"] = w.a[off*ECGRate : (off+1)*ECGRate]
			case corsano.Acc:
				it["x"], it["y"], it["z"] = w.a[off*AccRate:(off+1)*AccRate], w.b[off*AccRate:(off+1)*AccRate], w.c[off*AccRate:(off+1)*AccRate]
			case corsano.BioZ:
				it["values"] = w.a[off*PPGRate : (off+1)*PPGRate]
			default: // ppg1, ppg2 and unknown types: a pulse wave on the beats
				amp := 180.0
				if typ == corsano.PPG2 {
					amp = 120
				}
				v := make([]float64, PPGRate)
				for i := range v {
					at := t.Add(time.Duration(i) * time.Second / PPGRate)
					v[i] = math.Round(2000 + amp*pulse(beats, at))
				}
				it["values"] = v
			}
			out = append(out, it)
		}
	}
	return out
}

// pulse is a PPG-like wave: a fast rise after each R peak (with the pulse
// transit delay) and a slow decay.
func pulse(beats []wearkittest.Beat, t time.Time) float64 {
	var v float64
	last := sort.Search(len(beats), func(i int) bool { return beats[i].Time.After(t) })
	for i := last - 1; i >= 0; i-- {
		dt := t.Sub(beats[i].Time).Seconds() - 0.2
		if dt < 0 {
			continue
		}
		if dt > 2 {
			break
		}
		v += dt / 0.12 * math.Exp(1-dt/0.12)
	}
	return v
}

// wave holds n seconds of a waveform's samples (a, and b and c for acc's
// other axes), rounded for the JSON answer.
type wave struct{ a, b, c []float64 }

func waveOf(p *wearkittest.Person, typ corsano.RawMetricType, start time.Time, n int) wave {
	var w wave
	round := func(v []float64, base float64) {
		for i := range v {
			v[i] = r3(base + v[i])
		}
	}
	switch typ {
	case corsano.ECG:
		w.a = make([]float64, n*ECGRate)
		_ = p.ECG(start, ECGRate, w.a)
		round(w.a, 0)
	case corsano.Acc:
		w.a, w.b, w.c = make([]float64, n*AccRate), make([]float64, n*AccRate), make([]float64, n*AccRate)
		_ = p.Acceleration(start, AccRate, w.a, w.b, w.c)
		round(w.a, 0)
		round(w.b, 0)
		round(w.c, 0)
	case corsano.BioZ:
		w.a = make([]float64, n*PPGRate)
		_ = p.Respiration(start, PPGRate, w.a, nil)
		round(w.a, 1000)
	}
	return w
}

// summaryOf builds a patient's summary of one day from the generator.
func summaryOf(p *wearkittest.Person, ds wearkittest.DaySummary, date corsano.Date, slots bool) corsano.Summary {
	loc := p.Config().Location
	mid := date.In(loc)
	next := mid.AddDate(0, 0, 1)
	const n = 288
	hr := make([]float64, n)
	br := make([]float64, n)
	_ = p.HeartRate(mid.Add(5*time.Minute), 1.0/300, hr)
	_ = p.Breathing(mid.Add(5*time.Minute), 1.0/300, br, nil, nil)
	var hrSum, hrMax, brSum float64
	for i := range n {
		hrSum += hr[i]
		hrMax = math.Max(hrMax, hr[i])
		brSum += br[i]
	}
	f := func(v float64) *float64 { v = r3(v); return &v }
	s := corsano.Summary{Date: date}
	s.Activity = &corsano.ActivitySummary{
		Date: date, TotalSteps: ds.Steps, Distance: math.Round(float64(ds.Steps) * 0.76),
		Calories: math.Round(ds.TrainingLoad*8 + float64(ds.Steps)*0.04), ActiveMinutes: math.Round(ds.ActiveTime.Minutes()),
		DailyPercent: math.Round(100 * math.Min(1, float64(ds.Steps)/10000)),
	}
	s.CorsanoSleep = []byte("{}")
	s.HeartRate = &corsano.HeartRateSummary{
		Date: date, AvgDailyHeartRate: math.Round(hrSum / n), MaxDailyHeartRate: math.Round(hrMax),
		RestDailyHeartRate: math.Round(ds.RestingHR), RestTime: math.Round(ds.TimeInBed.Seconds()),
		Slots: []corsano.HeartRateSlot{},
	}
	s.NonInvasiveBloodPressure = &corsano.BloodPressureSummary{
		Date: date, DailyAverageSystolicPressure: math.Round(108 + ds.RestingHR/4), DailyAverageDiastolicPressure: math.Round(66 + ds.RestingHR/8),
		Slots: []corsano.BloodPressureSlot{},
	}
	s.Recovery = &corsano.RecoverySummary{
		Date: date, Value: f(math.Min(100, ds.NightlyRMSSD*1.1)), AvgRMSSDToday: f(ds.NightlyRMSSD),
		RestingBPMToday: f(math.Round(ds.RestingHR)), SleepScore: f(float64(ds.SleepScore)),
	}
	s.RespirationRate = &corsano.RespirationSummary{Date: date, AvgRespirationRate: math.Round(brSum / n),
		StartTimestamp: corsano.MillisOf(mid), EndTimestamp: corsano.MillisOf(next.Add(-time.Millisecond))}
	s.Sleep = &corsano.SleepSummary{
		Date: date, HeartRate: math.Round(ds.RestingHR), HeartRateQuality: 4,
		StartSessionOriginalPH: corsano.ZonedTime{Time: ds.Bedtime.In(loc)}, StopSessionOriginalPH: corsano.ZonedTime{Time: ds.WakeTime.In(loc)},
		StartDate: corsano.ZonedTime{Time: ds.Bedtime.In(loc)}, EndDate: corsano.ZonedTime{Time: ds.WakeTime.In(loc)},
		SleepDuration: math.Round(ds.Asleep.Seconds()), AwakeTime: math.Round(ds.AwakeInBed.Seconds()),
		REMTime: math.Round(ds.REMSleep.Seconds()), LightTime: math.Round(ds.LightSleep.Seconds()), DeepTime: math.Round(ds.DeepSleep.Seconds()),
		Performance: float64(ds.SleepScore),
	}
	s.SpO2 = &corsano.SpO2Summary{Date: date, AvgSpO2: 97, StartTimestamp: corsano.MillisOf(mid), EndTimestamp: corsano.MillisOf(next.Add(-time.Millisecond))}
	s.Stress = &corsano.StressSummary{Date: date, AvgRMSSD: r3(ds.NightlyRMSSD), AvgHRV: r3(ds.NightlyRMSSD), AvgMRR: r3(60000 / ds.RestingHR)}
	s.Temperature = &corsano.TemperatureSummary{Date: date, AvgTempSk1: 33.9, MaxTempSk1: 35.1,
		StartTimestamp: corsano.MillisOf(mid), EndTimestamp: corsano.MillisOf(next.Add(-time.Millisecond))}
	if !slots {
		return s
	}
	stepSlots := make([]int, n)
	for _, st := range p.Steps(mid, next) {
		if i := int(st.Sub(mid) / (5 * time.Minute)); i < n {
			stepSlots[i]++
		}
	}
	for i := range n {
		t := mid.Add(time.Duration(i) * 5 * time.Minute)
		at := corsano.MillisOf(t)
		clock := corsano.ClockTime(t.In(loc).Format("15:04"))
		s.Activity.SlotsFiveMinutes = append(s.Activity.SlotsFiveMinutes, corsano.StepSlot{Timestamp: at, Date: clock, StepCount: stepSlots[i]})
		s.HeartRate.Slots = append(s.HeartRate.Slots, corsano.HeartRateSlot{SlotState: corsano.SlotState{IsWearing: true, Timestamp: at, Date: clock}, HeartRate: math.Round(hr[i]), Quality: 4})
		s.RespirationRate.SlotsFiveMinutes = append(s.RespirationRate.SlotsFiveMinutes, corsano.RespirationSlot{SlotState: corsano.SlotState{IsWearing: true, Timestamp: at, Date: clock}, RespirationRate: math.Round(br[i]), Quality: 4})
		s.SpO2.SlotsFiveMinutes = append(s.SpO2.SlotsFiveMinutes, corsano.SpO2Slot{SlotState: corsano.SlotState{IsWearing: true, Timestamp: at, Date: clock}, SpO2: 96 + float64(i%4), SpO2Q: 3})
		s.Temperature.SlotsFiveMinutes = append(s.Temperature.SlotsFiveMinutes, corsano.TemperatureSlot{SlotState: corsano.SlotState{IsWearing: true, Timestamp: at, Date: clock}, TempSk1: r3(33.2 + (hr[i]-50)/45), TempSk2: r3(32.4 + (hr[i]-50)/50)})
		if i%6 == 5 {
			t0 := t.Add(-25 * time.Minute)
			s.NonInvasiveBloodPressure.Slots = append(s.NonInvasiveBloodPressure.Slots, corsano.BloodPressureSlot{
				SystolicPressureCombine: math.Round(100 + hr[i]/3), DiastolicPressureCombine: math.Round(60 + hr[i]/6),
				StartTimestamp: corsano.MillisOf(t0), EndTimestamp: corsano.MillisOf(t.Add(5*time.Minute - time.Second)),
				StartDate: corsano.ClockTime(t0.In(loc).Format("15:04")), EndDate: corsano.ClockTime(t.Add(5*time.Minute - time.Second).In(loc).Format("15:04")),
			})
		}
	}
	return s
}
