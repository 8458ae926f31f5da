package analytics

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Recency is by calendar date (each point's date in its own location, as
// the day windows read it), then by time within a date. Ordering by instant
// alone put a point dated the 1st in UTC-12 (noon UTC on the 2nd) after one
// dated the 2nd at 00:00 UTC: it counted among the 7 most recent samples,
// and was taken as the latest value, though its date is the oldest.
func TestRecencyIsByCalendarDateAcrossZones(t *testing.T) {
	west := time.FixedZone("UTC-12", -12*3600)
	utc := func(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC) }
	// Dated March 1 where it was measured; 2026-03-02T11:00Z.
	x := Point{Date: time.Date(2026, 3, 1, 23, 0, 0, 0, west), Value: 1000}
	ps := []Point{x}
	for d := 2; d <= 8; d++ {
		ps = append(ps, Point{Date: utc(d), Value: 10})
	}
	for name, in := range map[string][]Point{"dated order": ps, "mixed": {ps[3], ps[0], ps[7], ps[1], ps[5], ps[2], ps[6], ps[4]}} {
		b := ComputeBaseline(in)
		require.NotNil(t, b.Baseline7d, name)
		assert.Equal(t, 10.0, *b.Baseline7d, "%s: the 7 most recent dates are March 2 to 8", name)
		assert.Equal(t, x.Date, b.DataStart, "%s: the earliest date is March 1", name)
		assert.Equal(t, utc(8), b.DataEnd, name)
	}

	// The latest row: dated March 2 in UTC-12 (2026-03-03T11:00Z) is older
	// by date than March 3 at 00:00 UTC.
	late := []Point{{Date: time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC), Value: 1}, {Date: time.Date(2026, 3, 2, 23, 0, 0, 0, west), Value: 2}}
	v, ok := Latest(late)
	require.True(t, ok)
	assert.Equal(t, 1.0, v)
	v, ok = LatestRow(late)
	require.True(t, ok)
	assert.Equal(t, 1.0, v)
}

// civilDay reads the calendar date from the zone's offset; it must agree
// with Time.Date in every kind of location, before and after 1970.
func TestCivilDayAgreesWithDate(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	locs := []*time.Location{time.UTC, berlin, time.FixedZone("UTC+14", 14*3600), time.FixedZone("UTC-12", -12*3600), time.FixedZone("odd", -(3*3600 + 17*60 + 31))}
	rng := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 20000; i++ {
		u := time.Unix(rng.Int64N(2*4e10)-4e10, int64(rng.IntN(1e9)))
		for _, loc := range locs {
			tm := u.In(loc)
			y, m, d := tm.Date()
			want := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
			require.Equal(t, want, civilDay(tm), "%v", tm)
		}
	}
}
