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
			// The windowed vectors carry no IQR or bounds.
			assertBaseline(t, v.want, b, false)
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
