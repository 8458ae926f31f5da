package polar_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/analytics"
	"github.com/wearkit/wearkit/polar"
	"github.com/wearkit/wearkit/polar/polartest"
)

var today = polartest.Today

// Every endpoint against the fake, in the code's forms and in the page's.
func TestEveryEndpointBothForms(t *testing.T) {
	for _, form := range []string{"code", "page"} {
		t.Run(form, func(t *testing.T) {
			var opts []polartest.Option
			if form == "page" {
				opts = append(opts, polartest.WithPageForms())
			}
			srv := polartest.New(t, opts...)
			c := newClient(t, srv)
			ctx := context.Background()
			u := polartest.UserID
			page := form == "page"

			h, err := c.Health(ctx)
			require.NoError(t, err)
			assert.True(t, h.OK())
			if page {
				assert.Equal(t, "connected", h.Database)
			} else {
				assert.Equal(t, polartest.Version, h.Version)
			}

			sl, err := c.Sleep(ctx, u, 7)
			require.NoError(t, err)
			require.Len(t, sl, 8, "days=7: dated on or after today - 7, so 8 rows")
			assert.Equal(t, today, sl[0].Date, "newest first")
			assert.True(t, sl[0].Date.After(sl[7].Date))
			assert.InDelta(t, 85, *sl[0].SleepScore, 15)
			assert.Equal(t, !page, sl[0].BreathingRateAvg != nil)

			night, err := c.SleepByDate(ctx, u, today.AddDate(0, 0, -1))
			require.NoError(t, err)
			assert.Equal(t, *sl[1].SleepScore, *night.SleepScore)
			assert.NotEmpty(t, night.Hypnogram)
			assert.NotEmpty(t, night.HeartRateSamples)
			_, err = c.SleepByDate(ctx, u, today.AddDate(-1, 0, 0))
			require.ErrorIs(t, err, wearkit.ErrNotFound, "200 null is not found")
			assert.Contains(t, err.Error(), "polar: SleepByDate: no night on 2025-01-13")

			act, err := c.Activity(ctx, u, 30)
			require.NoError(t, err)
			require.Len(t, act, 31)
			assert.Greater(t, *act[0].Steps, 1000.0)
			a1, err := c.ActivityByDate(ctx, u, today)
			require.NoError(t, err)
			assert.Equal(t, *act[0].Steps, *a1.Steps)
			_, err = c.ActivityByDate(ctx, u, today.AddDate(0, 0, 1))
			require.ErrorIs(t, err, wearkit.ErrNotFound)

			as, err := c.ActivitySamples(ctx, u, 1)
			require.NoError(t, err)
			require.Len(t, as, 2)
			require.Len(t, as[0].Samples, 24)
			total := 0.0
			for _, s := range as[0].Samples {
				total += s.Steps
			}
			assert.Equal(t, *act[0].Steps, total, "hourly samples add up to the day's steps")
			asd, err := c.ActivitySamplesByDate(ctx, u, today)
			require.NoError(t, err)
			assert.Equal(t, as[0].Samples[12].Steps, asd.Samples[12].Steps)

			rc, err := c.Recharge(ctx, u, 30)
			require.NoError(t, err)
			require.Len(t, rc, 31)
			var withStatus *polar.Recharge
			for i := range rc {
				if rc[i].HRVAvg != nil {
					withStatus = &rc[i]
					break
				}
			}
			require.NotNil(t, withStatus)
			if page {
				assert.NotEmpty(t, withStatus.ANSChargeStatus.Name)
				assert.Nil(t, withStatus.BeatToBeatAvg)
			} else {
				assert.True(t, withStatus.ANSChargeStatus.HasLevel)
				assert.NotNil(t, withStatus.BeatToBeatAvg)
				assert.NotNil(t, withStatus.NightlyRechargeStatus)
			}

			cl, err := c.CardioLoad(ctx, u, 30)
			require.NoError(t, err)
			require.Len(t, cl, 31)
			assert.NotEmpty(t, cl[0].CardioLoadStatus)
			assert.InDelta(t, *cl[0].Strain / *cl[0].Tolerance, *cl[0].CardioLoadRatio, 0.01)

			hr, err := c.HeartRate(ctx, u, 30)
			require.NoError(t, err)
			require.Len(t, hr, 31)
			assert.Less(t, *hr[0].HRMin, *hr[0].HRAvg)
			hs, err := c.HeartRateSamples(ctx, u, today)
			require.NoError(t, err)
			require.Len(t, hs.Samples, 288)
			assert.InDelta(t, 65, hs.Samples[144].HeartRate, 50)
			assert.Equal(t, today.Add(12*time.Hour), hs.Samples[144].Time)

			al, err := c.Alertness(ctx, u, 2)
			require.NoError(t, err)
			require.Len(t, al, 3*16)
			assert.Equal(t, time.Hour, al[0].PeriodEndTime.Sub(al[0].PeriodStartTime))

			bt, err := c.Bedtime(ctx, u, 7)
			require.NoError(t, err)
			require.Len(t, bt, 8)
			assert.InDelta(t, 23, bt[0].PreferredSleepStart.Clock.Hours(), 3)
			assert.Equal(t, page, bt[0].PreferredSleepStart.Time.IsZero())
			if !page {
				assert.True(t, strings.HasPrefix(bt[0].Quality, "CIRCADIAN_BEDTIME_QUALITY_"))
			}

			sp, err := c.SpO2(ctx, u, 30)
			require.NoError(t, err)
			require.NotEmpty(t, sp)
			assert.InDelta(t, 97, *sp[0].BloodOxygenPercent, 2)

			ecgs, err := c.ECG(ctx, u, 30)
			require.NoError(t, err)
			require.NotEmpty(t, ecgs)
			rec, err := c.ECGByID(ctx, u, ecgs[0].ID)
			require.NoError(t, err)
			require.Len(t, rec.Samples, 30*130)
			peak := 0.0
			for _, s := range rec.Samples {
				peak = max(peak, s.AmplitudeMv)
			}
			assert.InDelta(t, 1.4, peak, 0.6, "R peaks of the person's ECG")
			_, err = c.ECGByID(ctx, u, "999999")
			require.ErrorIs(t, err, wearkit.ErrNotFound)

			for _, get := range []func(context.Context, string, int) ([]polar.Temperature, error){c.BodyTemperature, c.SkinTemperature} {
				tp, err := get(ctx, u, 3)
				require.NoError(t, err)
				require.Len(t, tp, 4)
				assert.Len(t, tp[0].Samples, 4)
				assert.True(t, tp[0].EndTime.After(tp[0].StartTime))
			}

			ex, err := c.Exercises(ctx, u, 30)
			require.NoError(t, err)
			require.NotEmpty(t, ex)
			assert.Equal(t, 17, ex[0].StartTime.Hour())
			if page {
				assert.NotContains(t, ex[0].ID, "-", "a number on the page")
			} else {
				assert.Len(t, ex[0].ID, 36, "a UUID in the code")
			}
			det, err := c.ExerciseDetail(ctx, u, ex[0].ID)
			require.NoError(t, err)
			assert.Equal(t, ex[0].Sport, det.Sport)
			assert.Equal(t, !page, det.HasSamples)
			if !page {
				assert.Len(t, det.HeartRateZones, 5)
				assert.NotNil(t, det.RunningIndex)
			}
			smp, err := c.ExerciseSamples(ctx, u, ex[0].ID)
			require.NoError(t, err)
			require.Len(t, smp.Samples, 2)
			hrs := smp.Samples[0].Values
			assert.Nil(t, hrs[len(hrs)/2], "a dropout is a nil value")
			route, err := c.ExerciseRoute(ctx, u, ex[0].ID)
			require.NoError(t, err)
			if det.HasRouteData {
				assert.NotEmpty(t, route)
			}
			_, err = c.ExerciseDetail(ctx, u, "no-such-exercise")
			require.ErrorIs(t, err, wearkit.ErrNotFound)

			pi, err := c.PhysicalInfo(ctx, u)
			require.NoError(t, err)
			assert.InDelta(t, 75, *pi.WeightKg, 25)
			_, err = c.PhysicalInfo(ctx, polartest.NewUserID)
			require.ErrorIs(t, err, wearkit.ErrNotFound, "200 null")

			us, err := c.UserStatus(ctx, u)
			require.NoError(t, err)
			assert.Equal(t, u, us.UserID)
			assert.Equal(t, 91, us.RecordCounts["sleep"])
			assert.Contains(t, us.Extra, "has_data")

			sum, err := c.ExportSummary(ctx, u, 30)
			require.NoError(t, err)
			assert.Equal(t, 31, sum.RecordCounts["sleep"])
			assert.Equal(t, today.AddDate(0, 0, -30), sum.FromDate)

			var api bytes.Buffer
			require.NoError(t, c.OpenAPI(ctx, &api))
			assert.Contains(t, api.String(), `"openapi"`)

			res, err := c.TriggerSync(ctx, u, 0)
			require.NoError(t, err)
			// 25: the default lookback is 30 days in the code, 28 on the page.
			if page {
				assert.Equal(t, 29, res.Records["sleep"])
				assert.Len(t, res.Records, 11)
			} else {
				assert.Equal(t, 31, res.Records["sleep"])
				assert.Len(t, res.Records, 14)
			}
			assert.Positive(t, res.TotalRecords)

			bl, err := c.Baselines(ctx, u)
			require.NoError(t, err)
			require.Len(t, bl, 5)
			assert.Equal(t, polar.MetricHRV, bl[0].MetricName)
			one, err := c.Baseline(ctx, u, polar.MetricSleepScore)
			require.NoError(t, err)
			assert.Equal(t, *bl[1].BaselineValue, *one.BaselineValue)
			_, err = c.Baseline(ctx, u, "vo2max")
			require.ErrorIs(t, err, wearkit.ErrNotFound)
			calc, err := c.CalculateBaselines(ctx, u)
			require.NoError(t, err)
			assert.Equal(t, "ready", calc.BaselinesCalculated[polar.MetricHRV])

			low := *bl[0].LowerBound - 3**bl[0].IQR
			chk, err := c.CheckBaseline(ctx, u, polar.MetricHRV, low)
			require.NoError(t, err)
			assert.True(t, chk.IsAnomaly)
			assert.Equal(t, "critical", chk.Severity)
			chk, err = c.CheckBaseline(ctx, u, polar.MetricHRV, *bl[0].Median)
			require.NoError(t, err)
			assert.False(t, chk.IsAnomaly)
			assert.True(t, chk.Checked())
			none, err := c.CheckBaseline(ctx, polartest.NewUserID, polar.MetricTrainingLoadRatio, 1.2)
			require.NoError(t, err)
			assert.False(t, none.Checked())
			assert.Equal(t, !page, none.Reason == "No baseline data available")

			st, err := c.AnalyticsStatus(ctx, polartest.NewUserID)
			require.NoError(t, err)
			assert.Equal(t, 5, st.MinDataDays)
			if page {
				assert.Len(t, st.UnlockProgress, 1)
			} else {
				assert.Len(t, st.UnlockProgress, 6)
			}

			pats, err := c.Patterns(ctx, u)
			require.NoError(t, err)
			require.Len(t, pats, 4)
			corr, err := c.Pattern(ctx, u, analytics.PatternSleepHRVCorrelation)
			require.NoError(t, err)
			assert.Equal(t, page, corr.Details.Strength == "")
			risk, err := c.Pattern(ctx, u, analytics.PatternOvertrainingRisk)
			require.NoError(t, err)
			assert.Equal(t, page, risk.Details.MetricsChecked == nil)
			_, err = c.Pattern(ctx, u, "recovery_pattern")
			require.ErrorIs(t, err, wearkit.ErrNotFound, "19: only four patterns exist")
			det2, err := c.DetectPatterns(ctx, u)
			require.NoError(t, err)
			assert.Len(t, det2.PatternsDetected, 4)

			an, err := c.Anomalies(ctx, polartest.SecondUserID)
			require.NoError(t, err)
			require.NotEmpty(t, an.Anomalies)
			assert.Equal(t, len(an.Anomalies), an.AnomalyCount)
			assert.Equal(t, !page, an.Anomalies[0].MedianValue != nil)

			in, err := c.Insights(ctx, polartest.SecondUserID)
			require.NoError(t, err)
			assert.Equal(t, "ready", in.Status)
			assert.Equal(t, 91, in.DataAgeDays)
			assert.NotEmpty(t, in.Observations)
			assert.Equal(t, !page, in.FeatureAvailability["baselines_7d"].UnlockAtDays != nil)
			assert.Equal(t, !page, hasKey(t, c, polartest.SecondUserID, "trend_days"))
			fresh, err := c.Insights(ctx, polartest.NewUserID)
			require.NoError(t, err)
			assert.Equal(t, "unavailable", fresh.Status)
			require.NotNil(t, fresh.UnlockProgress)
			assert.Equal(t, "baselines_7d", fresh.UnlockProgress.NextUnlock)
			assert.Equal(t, "onboarding", fresh.Observations[0].Category)
		})
	}
}

// hasKey reports whether the insights' baseline entries carry key.
func hasKey(t *testing.T, c *polar.Client, user, key string) bool {
	var raw struct {
		Baselines map[string]map[string]json.RawMessage `json:"baselines"`
	}
	require.NoError(t, c.Do(context.Background(), &wearkit.Request{Path: "api/v1/users/" + user + "/insights"}, &raw))
	_, ok := raw.Baselines[polar.MetricHRV][key]
	return ok
}

// The insights' numbers are the analytics package's on the fake's points.
func TestInsightsAgreeWithAnalytics(t *testing.T) {
	srv := polartest.New(t)
	c := newClient(t, srv)
	u := polartest.SecondUserID
	in, err := c.Insights(context.Background(), u)
	require.NoError(t, err)
	want := analytics.Analyze(analytics.Series{
		HRV: polartest.Points(u, analytics.MetricHRV), SleepScore: polartest.Points(u, analytics.MetricSleepScore),
		RestingHR: polartest.Points(u, analytics.MetricRestingHR), TrainingLoad: polartest.Points(u, analytics.MetricTrainingLoad),
		TrainingLoadRatio: polartest.Points(u, analytics.MetricTrainingLoadRatio)}, today).Insights
	require.Len(t, in.Observations, len(want.Observations))
	for i, o := range want.Observations {
		assert.Equal(t, o.Fact, in.Observations[i].Fact)
		assert.Equal(t, string(o.Priority), in.Observations[i].Priority)
	}
	require.Len(t, in.Anomalies, len(want.Anomalies))
	for i, a := range want.Anomalies {
		assert.Equal(t, a.Metric, in.Anomalies[i].MetricName)
		assert.Equal(t, a.Value, *in.Anomalies[i].CurrentValue)
	}
	assert.Equal(t, want.Comparisons[analytics.MetricHRV].Baseline, *in.Baselines[analytics.MetricHRV].Baseline)
}

func TestCSVExportsStreamedAndParsed(t *testing.T) {
	for _, form := range []string{"code", "page"} {
		t.Run(form, func(t *testing.T) {
			var opts []polartest.Option
			if form == "page" {
				opts = append(opts, polartest.WithPageForms())
			}
			srv := polartest.New(t, opts...)
			c := newClient(t, srv)
			ctx := context.Background()
			u := polartest.UserID
			var buf bytes.Buffer
			require.NoError(t, c.ExportCSV(ctx, u, polar.CSVRecharge, 90, &buf))
			text := buf.String()
			assert.True(t, strings.HasPrefix(text, "date,hrv_avg,ans_charge,status,breathing_rate,heart_rate_avg"))
			assert.Equal(t, form == "code", strings.Contains(text, "\r\n"), "the code writes CRLF")
			rows, err := c.RechargeCSV(ctx, u, 90)
			require.NoError(t, err)
			require.Len(t, rows, 91)
			assert.True(t, rows[0].Date.Before(rows[90].Date), "oldest first")
			list, err := c.Recharge(ctx, u, 90)
			require.NoError(t, err)
			nulls, zeros := 0, 0
			for i, r := range rows {
				j := len(list) - 1 - i
				assert.Equal(t, list[j].Date, r.Date)
				if list[j].HRVAvg == nil {
					nulls++
					assert.Nil(t, r.HRVAvg, "null is an empty cell")
					continue
				}
				assert.Equal(t, *list[j].HRVAvg, *r.HRVAvg)
				if list[j].ANSChargeStatus.HasLevel && list[j].ANSChargeStatus.Level == 0 {
					zeros++
					assert.False(t, r.Status.HasLevel, "the code writes 0 as an empty cell too")
				}
			}
			assert.Positive(t, nulls, "the data set has nights without recharge")
			if form == "code" {
				assert.Positive(t, zeros)
			}
			sl, err := c.SleepCSV(ctx, u, 7)
			require.NoError(t, err)
			require.Len(t, sl, 8)
			assert.NotNil(t, sl[7].SleepScore)
			ac, err := c.ActivityCSV(ctx, u, 7)
			require.NoError(t, err)
			assert.Greater(t, *ac[7].Steps, 0.0)
			cl, err := c.CardioLoadCSV(ctx, u, 7)
			require.NoError(t, err)
			assert.NotEmpty(t, cl[7].Status)
		})
	}
}
