package hexoskin_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit/hexoskin"
)

func TestTimestampConversions(t *testing.T) {
	// Examples of the documentation: record start 361446243405 is
	// 2014-09-28T10:16:28, annotation start 123456 is 1970-01-01T00:08:02.
	assert.Equal(t, time.Date(2014, 9, 28, 10, 16, 28, 0, time.UTC), hexoskin.Timestamp(361446243405).Time().Truncate(time.Second))
	assert.Equal(t, time.Date(1970, 1, 1, 0, 8, 2, 0, time.UTC), hexoskin.Timestamp(123456).Time().Truncate(time.Second))
	assert.Equal(t, int64(1411899388), hexoskin.Timestamp(361446243405).Unix())

	tm := time.Date(2014, 9, 28, 10, 16, 28, 500_000_000, time.UTC)
	ts := hexoskin.TimestampFromTime(tm)
	assert.Equal(t, hexoskin.Timestamp(1411899388*256+128), ts)
	assert.Equal(t, tm, ts.Time())
	// Every tick round-trips.
	for i := hexoskin.Timestamp(361446243405); i < 361446243405+512; i++ {
		require.Equal(t, i, hexoskin.TimestampFromTime(i.Time()))
	}
	// Before the epoch.
	assert.Equal(t, time.Date(1969, 12, 31, 23, 59, 59, 500_000_000, time.UTC), hexoskin.Timestamp(-128).Time())
	assert.Equal(t, hexoskin.Timestamp(-128), hexoskin.TimestampFromTime(time.Date(1969, 12, 31, 23, 59, 59, 500_000_000, time.UTC)))

	assert.Equal(t, hexoskin.TimestampFromUnix(1400000000), hexoskin.TimestampFromTime(time.Unix(1400000000, 0)))
	assert.Equal(t, hexoskin.Timestamp(256*60), hexoskin.Timestamp(0).Add(time.Minute))
	assert.Equal(t, 90*time.Second, hexoskin.Timestamp(256*100).Sub(256*10))
}

func TestTimestampJSON(t *testing.T) {
	b, err := json.Marshal(struct{ T hexoskin.Timestamp }{361446243405})
	require.NoError(t, err)
	assert.Equal(t, `{"T":361446243405}`, string(b))
	var v struct{ A, B, C, D hexoskin.Timestamp }
	v.D = 7
	require.NoError(t, json.Unmarshal([]byte(`{"A":361446243405,"B":"123456","C":1.6,"D":null}`), &v))
	assert.Equal(t, hexoskin.Timestamp(361446243405), v.A)
	assert.Equal(t, hexoskin.Timestamp(123456), v.B)
	assert.Equal(t, hexoskin.Timestamp(2), v.C)
	assert.Equal(t, hexoskin.Timestamp(7), v.D)
	assert.Error(t, json.Unmarshal([]byte(`{"A":"soon"}`), &v))
	assert.Error(t, json.Unmarshal([]byte(`{"A":true}`), &v))
}

func TestDateTimeJSON(t *testing.T) {
	var v struct{ A, B, C, D hexoskin.DateTime }
	require.NoError(t, json.Unmarshal([]byte(`{"A":"2014-09-28T10:16:28+00:00","B":"2014-08-14T05:25:17","C":null,"D":"2014-09-28T12:16:28+02:00"}`), &v))
	assert.Equal(t, time.Date(2014, 9, 28, 10, 16, 28, 0, time.UTC), v.A.Time)
	assert.Equal(t, time.Date(2014, 8, 14, 5, 25, 17, 0, time.UTC), v.B.Time)
	assert.True(t, v.C.IsZero())
	assert.Equal(t, v.A.Time, v.D.Time)
	b, err := json.Marshal(v)
	require.NoError(t, err)
	assert.Equal(t, `{"A":"2014-09-28T10:16:28Z","B":"2014-08-14T05:25:17Z","C":null,"D":"2014-09-28T10:16:28Z"}`, string(b))
	assert.Error(t, json.Unmarshal([]byte(`{"A":"28/09/2014"}`), &v))
}

func TestTimestampAddSubLongSpans(t *testing.T) {
	// Past about 416 days d*256 (Add) and ticks*1e9 (Sub) overflow int64.
	from := time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	a, b := hexoskin.TimestampFromTime(from), hexoskin.TimestampFromTime(to)
	assert.Equal(t, b, a.Add(to.Sub(from)))
	assert.Equal(t, a, b.Add(-to.Sub(from)))
	assert.Equal(t, to.Sub(from), b.Sub(a))
	assert.Equal(t, from.Sub(to), a.Sub(b))
	// Sub-tick parts keep their rounding.
	assert.Equal(t, hexoskin.Timestamp(256*500*86400+1), hexoskin.Timestamp(0).Add(500*24*time.Hour+4*time.Millisecond))
	assert.Equal(t, 500*24*time.Hour+3906250*time.Nanosecond, hexoskin.Timestamp(256*500*86400+1).Sub(0))
}

func TestTimestampAddNegativeRoundsDown(t *testing.T) {
	// Issue 10 point 15: a negative sub-tick part was truncated toward zero,
	// so Add(-1ms) returned the same timestamp.
	ts := hexoskin.Timestamp(361446243405)
	assert.Equal(t, ts-1, ts.Add(-time.Millisecond))
	assert.Equal(t, ts-1, ts.Add(-3906250*time.Nanosecond), "exactly one tick")
	assert.Equal(t, ts-2, ts.Add(-3906251*time.Nanosecond))
	assert.Equal(t, ts-256-1, ts.Add(-time.Second-time.Nanosecond))
	assert.Equal(t, ts, ts.Add(time.Millisecond), "positive parts round down too")
	// Add agrees with TimestampFromTime for every offset, both signs.
	for _, d := range []time.Duration{-1, -time.Millisecond, -999 * time.Millisecond, -time.Second, -1500 * time.Millisecond, -500 * 24 * time.Hour, 1, 7 * time.Millisecond} {
		assert.Equal(t, hexoskin.TimestampFromTime(ts.Time().Add(d)), ts.Add(d), "%v", d)
	}
}

func TestTimestampStringIsATime(t *testing.T) {
	assert.Equal(t, "2014-09-28T10:16:28.30078125Z", hexoskin.Timestamp(361446243405).String())
	assert.Equal(t, "2014-09-28T10:16:28Z", hexoskin.TimestampFromTime(time.Date(2014, 9, 28, 10, 16, 28, 0, time.UTC)).String())
	assert.Equal(t, "2014-09-28T10:16:28.5Z", hexoskin.TimestampFromTime(time.Date(2014, 9, 28, 10, 16, 28, 500_000_000, time.UTC)).String())
	assert.Equal(t, "1969-12-31T23:59:59.5Z", hexoskin.Timestamp(-128).String())
}
