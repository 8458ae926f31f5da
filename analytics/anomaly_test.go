package analytics

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckStrictBounds(t *testing.T) {
	// Q1 40, Q3 50: warning outside 25..65, critical outside 10..80.
	b := Baseline{Value: 45, Q1: 40, Q3: 50, Status: StatusReady}
	for _, c := range []struct {
		v    float64
		want Severity
		dir  string
	}{
		{45, "", DirectionBelow}, // equal to the baseline counts as below
		{65, "", DirectionAbove},
		{65.000001, SeverityWarning, DirectionAbove},
		{80, SeverityWarning, DirectionAbove},
		{80.000001, SeverityCritical, DirectionAbove},
		{25, "", DirectionBelow},
		{24.999999, SeverityWarning, DirectionBelow},
		{10, SeverityWarning, DirectionBelow},
		{9.999999, SeverityCritical, DirectionBelow},
	} {
		a := Check(c.v, b)
		assert.Equal(t, c.want, a.Severity, "value %v", c.v)
		assert.Equal(t, c.want != "", a.IsAnomaly, "value %v", c.v)
		assert.Equal(t, c.dir, a.Direction, "value %v", c.v)
		require.NotNil(t, a.DeviationPercent)
		assert.InDelta(t, (c.v-45)/45*100, *a.DeviationPercent, 1e-12)
		assert.Equal(t, 25.0, a.LowerBound)
		assert.Equal(t, 65.0, a.UpperBound)
	}
	// Zero baseline value: no deviation percent.
	a := Check(5, Baseline{Q1: -1, Q3: 1, Status: StatusReady})
	assert.Nil(t, a.DeviationPercent)
	assert.Equal(t, SeverityWarning, a.Severity)
	// Insufficient: never an anomaly.
	a = Check(1000, Baseline{Value: 45, Status: StatusInsufficient})
	assert.False(t, a.IsAnomaly)
	assert.Equal(t, DirectionAbove, a.Direction)
}

func TestCheckComputedBaseline(t *testing.T) {
	var ps []Point
	for i, v := range []float64{42, 45, 47, 44, 50, 43, 46, 48, 41, 44, 45, 49} {
		ps = append(ps, Point{Date: dayN(i), Value: v})
	}
	b := ComputeBaseline(ps)
	assert.False(t, Check(b.UpperBound, b).IsAnomaly)
	assert.True(t, Check(b.UpperBound+1e-9, b).IsAnomaly)
	assert.Equal(t, SeverityCritical, Check(b.Q1-3*b.IQR-1e-9, b).Severity)
}

func TestScan(t *testing.T) {
	bs := map[string]Baseline{
		MetricHRV:          {Value: 45, Q1: 40, Q3: 50, Status: StatusReady},
		MetricRestingHR:    {Value: 55, Q1: 52, Q3: 57, Status: StatusReady},
		MetricSleepScore:   {Value: 80, Q1: 75, Q3: 85, Status: StatusReady},
		MetricTrainingLoad: {Value: 80, Q1: 75, Q3: 85, Status: StatusReady},
	}
	got := Scan(map[string]float64{MetricHRV: 5, MetricRestingHR: 66, MetricSleepScore: 80, MetricTrainingLoad: 0}, bs)
	require.Len(t, got, 2)
	assert.Equal(t, MetricHRV, got[0].Metric)
	assert.Equal(t, SeverityCritical, got[0].Severity)
	assert.Equal(t, MetricRestingHR, got[1].Metric)
	assert.Equal(t, SeverityWarning, got[1].Severity)
	assert.Equal(t, DirectionAbove, got[1].Direction)

	v, ok := Latest([]Point{{dayN(1), 3}, {dayN(3), nan}, {dayN(2), 4}})
	assert.True(t, ok)
	assert.Equal(t, 4.0, v)
	_, ok = Latest(nil)
	assert.False(t, ok)
}

// A Baseline that holds no statistics (the zero value a missed map lookup
// gives, or a status the package does not know) has no bounds to check
// against. Check used to read its zero quartiles as bounds 0 .. 0 and call
// any non-zero value a critical anomaly.
func TestCheckBaselineWithoutStatisticsIsNoAnomaly(t *testing.T) {
	for _, b := range []Baseline{{}, {Value: 50, Q1: 45, Q3: 55, SampleCount: 30, Status: "stale"}} {
		a := Check(60, b)
		assert.False(t, a.IsAnomaly, "%+v", b)
		assert.Empty(t, a.Severity)
		assert.True(t, math.IsNaN(a.LowerBound) && math.IsNaN(a.UpperBound))
	}
	// Scan skips them too.
	assert.Empty(t, Scan(map[string]float64{MetricHRV: 60}, map[string]Baseline{MetricHRV: {}}))
}
