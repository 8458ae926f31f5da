package analytics

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCorrelationVectors(t *testing.T) {
	var maxRho, maxRhoP, maxR, maxRP float64
	for _, v := range correlationVectors {
		t.Run(v.name, func(t *testing.T) {
			rho, p, err := Spearman(v.x, v.y)
			switch {
			case math.IsNaN(v.rho):
				require.ErrorIs(t, err, ErrConstantInput)
			case math.IsNaN(v.rhoP):
				require.ErrorIs(t, err, ErrTooFewSamples) // n = 2
			default:
				require.NoError(t, err)
				sameBits(t, v.rho, rho, "rho")
				e := relErr(p, v.rhoP)
				maxRho = math.Max(maxRho, relErr(rho, v.rho))
				maxRhoP = math.Max(maxRhoP, e)
				assert.LessOrEqual(t, e, 1e-12, "p want %v got %v", v.rhoP, p)
			}
			r, p, err := Pearson(v.x, v.y)
			if math.IsNaN(v.r) {
				require.ErrorIs(t, err, ErrConstantInput)
				return
			}
			require.NoError(t, err)
			er, ep := relErr(r, v.r), relErr(p, v.rP)
			if math.Abs(v.r) < 1e-15 {
				// numpy's summation order depends on the CPU: an r of 0
				// comes out as 0 or as -2.8e-17 (ties_n10); |r| <= 1, so
				// the absolute error is the measure there.
				er = math.Abs(r - v.r)
			}
			maxR, maxRP = math.Max(maxR, er), math.Max(maxRP, ep)
			assert.LessOrEqual(t, er, 1e-12, "r want %v got %v", v.r, r)
			assert.LessOrEqual(t, ep, 1e-12, "p want %v got %v", v.rP, p)
		})
	}
	t.Logf("max relative error against scipy: spearman rho %.3g p %.3g; pearson r %.3g p %.3g", maxRho, maxRhoP, maxR, maxRP)
}

func TestSpearmanErrors(t *testing.T) {
	_, _, err := Spearman([]float64{1, 2, 3}, []float64{1, 2})
	require.ErrorIs(t, err, ErrLengthMismatch)
	_, _, err = Spearman([]float64{1, nan, 3}, []float64{1, 2, 3})
	require.ErrorIs(t, err, ErrNaN)
	_, _, err = Spearman([]float64{1, 2}, []float64{1, 2})
	require.ErrorIs(t, err, ErrTooFewSamples)
	_, _, err = Pearson([]float64{1}, []float64{1})
	require.ErrorIs(t, err, ErrTooFewSamples)
	rho, p, err := Spearman([]float64{1, 2, 3}, []float64{3, 2, 1})
	require.NoError(t, err)
	assert.InDelta(t, -1, rho, 1e-15)
	assert.GreaterOrEqual(t, p, 0.0)
}

func TestRankAverage(t *testing.T) {
	assert.Equal(t, []float64{1.5, 1.5, 3, 5, 5, 5}, rankAverage([]float64{2, 2, 3, 7, 7, 7}))
	assert.Equal(t, []float64{3, 1, 2}, rankAverage([]float64{9, -1, 0}))
}

func TestSleepHRVCorrelation(t *testing.T) {
	today := dayN(120)
	var sleep, hrv []Point
	for i := 0; i <= 120; i++ {
		s := 60 + float64((i*7)%31)
		sleep = append(sleep, Point{dayN(i), s})
		if i%4 != 0 {
			hrv = append(hrv, Point{dayN(i), 20 + s/2 + float64(i%5)})
		}
	}
	c := SleepHRVCorrelation(sleep, hrv, today)
	xs, ys := AlignByDate(windowFrom(sleep, today, 90), windowFrom(hrv, today, 90))
	rho, p, err := Spearman(xs, ys)
	require.NoError(t, err)
	assert.Equal(t, len(xs), c.N)
	assert.Equal(t, rho, c.Rho)
	assert.Equal(t, p, c.P)
	assert.Equal(t, 1-p, c.Confidence)
	assert.Equal(t, SignificanceHigh, c.Significance)
	assert.Equal(t, "Strong positive correlation between sleep quality and HRV. Better sleep is associated with higher HRV.", c.Interpretation)

	c = SleepHRVCorrelation(sleep[:20], hrv, today)
	assert.Equal(t, SignificanceInsufficient, c.Significance)
	assert.True(t, math.IsNaN(c.Rho))
}

func TestPearsonExtremeMagnitudes(t *testing.T) {
	// scipy.stats.pearsonr (1.10.1) answers 0.32879797461071464 and
	// p 0.5890317610256656 for these, as for the same data scaled to 1..6:
	// squaring the deviations must neither overflow nor underflow.
	x := []float64{1e200, 3e200, 2e200, 5e200, 4e200}
	y := []float64{2e-200, 1e-200, 4e-200, 3e-200, 6e-200}
	r, p, err := Pearson(x, y)
	require.NoError(t, err)
	assert.InEpsilon(t, 0.32879797461071464, r, 1e-12)
	assert.InEpsilon(t, 0.5890317610256656, p, 1e-12)
}

// For a correlation near 0 the p-value is near 1, and computing it as
// I_x(dof/2, 1/2) with x = dof/(dof+t²) near 1 lost digits: 1.3e-12 off
// scipy here (and so confidence = 1 - p off by 2e-9 relative). The
// complement I_{1-x}(1/2, dof/2), with 1-x = t²/(dof+t²) computed directly,
// keeps them.
func TestSpearmanPValueNearOne(t *testing.T) {
	x := []float64{1, 2, 3.5, 2, 3.5, 2, 2, 1, 2, 2, 1, 1, 3.5, 2, 2, 3.5, 2, 1, 3.5, 2, 3.5, 3.5, 1, 1, 2, 2, 2, 3.5, 3.5, 2, 2, 1, 2, 3.5, 2, 2, 2, 1, 2, 2}
	y := []float64{2, 2, 2, 3.5, 3.5, 1, 2, 3.5, 3.5, 2, 2, 2, 3.5, 3.5, 2, 2, 2, 1, 1, 1, 2, 1, 1, 3.5, 3.5, 1, 3.5, 1, 3.5, 1, 2, 3.5, 2, 3.5, 2, 1, 2, 2, 3.5, 3.5}
	rho, p, err := Spearman(x, y)
	require.NoError(t, err)
	// scipy.stats.spearmanr(x, y) (scipy 1.10.1)
	assert.Equal(t, 0.00010996609388314663, rho)
	assert.InDelta(t, 0.9994626790722276, p, 1e-14)
	assert.InDelta(t, 1-0.9994626790722276, 1-p, 1e-14)
}
