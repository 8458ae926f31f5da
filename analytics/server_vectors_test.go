package analytics

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The reference vectors of the server's rules (version 1.5.0), from
// testdata/gen_vectors.py.

func TestServerBaselineVectors(t *testing.T) {
	for _, v := range serverBaselineVectors {
		t.Run(v.name, func(t *testing.T) {
			ps := make([]Point, len(v.days))
			for i := range v.days {
				ps[i] = Point{Date: dayN(v.days[i]), Value: v.values[i]}
			}
			b, err := ComputeBaselineWith(ps, ServerOptions(v.metric, dayN(v.today)))
			require.NoError(t, err)
			w := v.want
			assert.Equal(t, w.n, b.SampleCount)
			assert.Equal(t, Status(w.status), b.Status)
			sameBits(t, w.mean, b.Value, "mean")
			sameBits(t, nanToZero(w.median), b.Median, "median")
			sameBits(t, nanToZero(w.q1), b.Q1, "q1")
			sameBits(t, nanToZero(w.q3), b.Q3, "q3")
			sameBits(t, nanToZero(w.sd), b.StdDev, "sd")
			sameBits(t, nanToZero(w.min), b.Min, "min")
			sameBits(t, nanToZero(w.max), b.Max, "max")
			for _, c := range []struct {
				name      string
				want, got *float64
			}{{"7d", w.b7, b.Baseline7d}, {"30d", w.b30, b.Baseline30d}, {"90d", w.b90, b.Baseline90d}} {
				if c.want == nil {
					assert.Nil(t, c.got, c.name)
				} else if assert.NotNil(t, c.got, c.name) {
					sameBits(t, *c.want, *c.got, c.name)
				}
			}
			if w.start < 0 {
				assert.True(t, b.DataEnd.IsZero())
			} else {
				assert.Equal(t, dayN(w.start), b.DataStart)
				assert.Equal(t, dayN(w.end), b.DataEnd)
			}
		})
	}
}

func TestServerUserVectors(t *testing.T) {
	order := []string{MetricHRV, MetricSleepScore, MetricRestingHR, MetricTrainingLoad, MetricTrainingLoadRatio}
	for _, v := range userVectors {
		t.Run(v.name, func(t *testing.T) {
			s := Series{HRV: v.series[0].points(), SleepScore: v.series[1].points(), RestingHR: v.series[2].points(),
				TrainingLoad: v.series[3].points(), TrainingLoadRatio: v.series[4].points()}
			a := Analyze(s, dayN(v.today))
			assert.Equal(t, v.age, a.Insights.DataAgeDays)
			require.Len(t, v.metrics, 5)
			for i, w := range v.metrics {
				require.Equal(t, order[i], w.metric)
				b := a.Baselines[w.metric]
				assert.Equal(t, w.n, b.SampleCount, w.metric)
				assert.Equal(t, Status(w.status), b.Status, w.metric)
				sameBits(t, w.mean, b.Value, w.metric+" mean")
				c := a.Insights.Comparisons[w.metric]
				if !w.hasRow || w.current != w.current {
					assert.Nil(t, c.Current, w.metric)
				} else if assert.NotNil(t, c.Current, w.metric) {
					sameBits(t, w.current, *c.Current, w.metric+" current")
				}
				if w.percent == nil {
					assert.Nil(t, c.PercentOfBaseline, w.metric)
				} else if assert.NotNil(t, c.PercentOfBaseline, w.metric) {
					sameBits(t, *w.percent, *c.PercentOfBaseline, w.metric+" percent")
				}
			}
			got := make([]anomalyWant, len(a.Insights.Anomalies))
			for i, an := range a.Insights.Anomalies {
				got[i] = anomalyWant{an.Metric, string(an.Severity), an.Value}
			}
			want := v.anomalies
			if want == nil {
				want = []anomalyWant{}
			}
			assert.Equal(t, want, got)
		})
	}
}

func TestReadinessVectors(t *testing.T) {
	for _, v := range readinessVectors {
		r, err := ReadinessFor(DataDays{v.days, v.days, v.days, v.days})
		require.NoError(t, err)
		got := make([]float64, len(r.Features))
		for i, f := range r.Features {
			got[i] = f.ProgressPercent
		}
		assert.Equal(t, v.progress, got, "%d days", v.days)
	}
}
