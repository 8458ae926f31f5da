package samplestest_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/samples"
	"github.com/wearkit/wearkit/samples/samplestest"
	"github.com/wearkit/wearkit/wearkittest"
)

func TestGenerateIsPlausibleValidAndDeterministic(t *testing.T) {
	p, err := wearkittest.NewPerson(wearkittest.PersonConfig{Seed: 7})
	require.NoError(t, err)
	zone := time.FixedZone("+02", 2*3600)
	start := time.Date(2024, 3, 4, 0, 0, 0, 0, zone)
	end := start.AddDate(0, 0, 1)
	hr, err := samplestest.Generate(p, samples.BPM, "Watch", start, end)
	require.NoError(t, err)
	require.Len(t, hr, 1440)
	require.NoError(t, samples.Validate(samples.BPM, hr))
	lo, hi := 1000.0, 0.0
	for _, s := range hr {
		lo, hi = min(lo, s.Value), max(hi, s.Value)
		_, off := s.Start.Zone()
		require.Equal(t, 7200, off, "the device's zone is kept")
	}
	assert.Greater(t, lo, 35.0)
	assert.Less(t, hi, 200.0)
	assert.Greater(t, hi-lo, 20.0, "a day has rest and activity")

	st, err := samplestest.Generate(p, samples.Steps, "iPhone", start, end)
	require.NoError(t, err)
	require.NoError(t, samples.Validate(samples.Steps, st))
	total := 0.0
	for _, s := range st {
		total += s.Value
		assert.LessOrEqual(t, s.Value, 200.0, "steps in one minute")
	}
	assert.Greater(t, total, 1000.0)
	assert.Less(t, total, 40000.0)

	again, err := samplestest.Generate(p, samples.Steps, "iPhone", start, end)
	require.NoError(t, err)
	assert.Equal(t, st, again)

	_, err = samplestest.Generate(p, "sleep", "x", start, end)
	require.ErrorContains(t, err, "data type")
	_, err = samplestest.Generate(p, samples.BPM, "x", end, start)
	require.ErrorContains(t, err, "not after start")
}

// The API (Python's datetime behind FastAPI) refuses a zone offset of a day
// or more; the fake took "+24:00", so a client writing one passed here and
// failed against the API.
func TestFakeRefusesOffsetsOfADay(t *testing.T) {
	srv := samplestest.New(t)
	c, err := samples.New(samples.WithBaseURL(srv.URL), samples.WithBearerToken(samplestest.ProxyToken))
	require.NoError(t, err)
	body := func(off string) []byte {
		s := `{"device_name":"x","start_date":"2023-11-01T08:04:51.000` + off + `","unit":"count","value":3}`
		return []byte(`{"data_type":"steps","data":[` + s + `,` + s + `,` + s + `]}`)
	}
	req := func(off string) *wearkit.Request {
		return &wearkit.Request{Method: http.MethodPost, Path: "api/v1.1/samples", RawBody: body(off), ContentType: "application/json"}
	}
	for _, off := range []string{"+24:00", "-24:00"} {
		err := c.Do(context.Background(), req(off), nil)
		require.ErrorIs(t, err, wearkit.ErrBadRequest, off)
		assert.Contains(t, err.Error(), "data.0.start_date", off)
	}
	require.NoError(t, c.Do(context.Background(), req("+23:59"), nil))
	require.NoError(t, c.Do(context.Background(), req("-00:30"), nil))
}
