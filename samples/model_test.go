package samples_test

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit/samples"
)

func TestSampleJSONAsTheAPIWantsIt(t *testing.T) {
	st := time.Date(2023, 11, 1, 8, 4, 51, 123456789, plus4)
	s := samples.Sample{DeviceName: "iPhone", DeviceVersion: "17.0.3", Start: st, End: st.Add(7 * time.Second), Unit: samples.Count, Value: 14}
	b, err := json.Marshal(s)
	require.NoError(t, err)
	assert.Equal(t, `{"device_name":"iPhone","device_version":"17.0.3","start_date":"2023-11-01T08:04:51.123+04:00","end_date":"2023-11-01T08:04:58.123+04:00","unit":"count","value":14}`, string(b))

	// End and version unset are left out; UTC is +00:00; negative offsets keep their sign.
	s = samples.Sample{DeviceName: "Watch", Start: time.Date(2024, 2, 29, 23, 59, 59, 0, time.UTC), Unit: samples.CountPerMinute, Value: 61.5}
	b, err = json.Marshal(s)
	require.NoError(t, err)
	assert.Equal(t, `{"device_name":"Watch","start_date":"2024-02-29T23:59:59.000+00:00","unit":"count/min","value":61.5}`, string(b))
	s.Start = time.Date(2024, 1, 2, 3, 4, 5, 6e6, time.FixedZone("", -(9*3600+30*60)))
	b, err = json.Marshal(s)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"start_date":"2024-01-02T03:04:05.006-09:30"`)

	s.Value = math.NaN()
	_, err = json.Marshal(s)
	require.ErrorContains(t, err, "finite")
}

// The hand-written encoder writes exactly what encoding/json writes for
// the same fields, over random samples with awkward names, zones and values.
func TestAppendBatchJSONMatchesEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	names := []string{"iPhone", "Apple Watch", `quote"back\slash`, "<b>&amp;", "Ünïcödé ⌚", "tab\tnl\n\x01", "bad\xffutf8", "\u2028sep"}
	zones := []*time.Location{time.UTC, plus4, time.FixedZone("", -3*3600-45*60), time.FixedZone("", 14*3600)}
	values := []float64{1, 14, 0.5, 72.25, 30000, 1e-7, 1.5e21, 123456789.125, math.SmallestNonzeroFloat64, 1 / 3.0,
		999999999999999, 1e15, 1e16, -3, math.Copysign(0, -1), 0, 1e20, 4503599627370497}
	for round := 0; round < 2000; round++ {
		n := 1 + r.IntN(20)
		batch := make([]samples.Sample, n)
		for i := range batch {
			// Any instant from year 0000 to 9999, in any of the zones.
			st := time.Unix(r.Int64N(315537897600)-62167219200, r.Int64N(1e9)).In(zones[r.IntN(len(zones))])
			if y := st.Year(); y < 0 || y > 9999 {
				st = st.AddDate(-st.Year()+2000, 0, 0)
			}
			s := samples.Sample{DeviceName: names[r.IntN(len(names))], Start: st, Unit: samples.Count, Value: values[r.IntN(len(values))]}
			if r.IntN(2) == 0 {
				s.End = st.Add(time.Duration(r.Int64N(1e12)))
			}
			if r.IntN(2) == 0 {
				s.DeviceVersion = names[r.IntN(len(names))]
			}
			batch[i] = s
		}
		user := ""
		if round%2 == 1 {
			user = names[r.IntN(len(names))]
		}
		want, err := stdEncode(user, samples.Steps, batch)
		require.NoError(t, err)
		require.Equal(t, string(want), string(samples.AppendBatchJSON(nil, user, samples.Steps, batch)), "round %d", round)
	}
}

func TestBatchSizes(t *testing.T) {
	cases := map[int][]int{
		0: nil, 3: {3}, 4: {4}, 5: {5},
		999: {999}, 1000: {1000}, 1001: {501, 500}, 1002: {501, 501}, 1003: {502, 501},
		2000: {1000, 1000}, 2001: {667, 667, 667},
	}
	for n, want := range cases {
		bs, err := samples.Batches(steps("iPhone", n))
		require.NoError(t, err, "n=%d", n)
		var got []int
		total := 0
		for _, b := range bs {
			got = append(got, len(b))
			total += len(b)
			assert.GreaterOrEqual(t, len(b), samples.MinBatch)
			assert.LessOrEqual(t, len(b), samples.MaxBatch)
		}
		assert.Equal(t, want, got, "n=%d", n)
		assert.Equal(t, n, total, "n=%d", n)
	}
	for _, n := range []int{1, 2} {
		in := steps("iPhone", n)
		bs, err := samples.Batches(in)
		assert.Empty(t, bs, "n=%d", n)
		var few *samples.TooFewError
		require.ErrorAs(t, err, &few, "n=%d", n)
		assert.Equal(t, in, few.Samples, "held samples are handed back")
		assert.Equal(t, []string{"iPhone"}, few.Devices)
		assert.Contains(t, err.Error(), "iPhone")
	}
}

func TestBatchesGroupsByDeviceInTimeOrder(t *testing.T) {
	a := steps("a", 5)
	b := steps("b", 1002)
	// Interleave and reverse: the batches come back per device, in time order.
	var in []samples.Sample
	for i := len(b) - 1; i >= 0; i-- {
		in = append(in, b[i])
		if i < len(a) {
			in = append(in, a[i])
		}
	}
	in = append(in, samples.Sample{DeviceName: "c", Start: a[0].Start, Unit: samples.Count, Value: 1})
	orig := append([]samples.Sample(nil), in...)
	bs, err := samples.Batches(in)
	var few *samples.TooFewError
	require.ErrorAs(t, err, &few)
	assert.Equal(t, []string{"c"}, few.Devices)
	assert.Len(t, few.Samples, 1)
	require.Len(t, bs, 3)
	assert.Equal(t, in, orig, "the caller's slice is not reordered")
	assert.Equal(t, b[:501], bs[0])
	assert.Equal(t, b[501:], bs[1])
	assert.Equal(t, a, bs[2])
}

func TestValidateEveryRule(t *testing.T) {
	ok := steps("iPhone", 1)[0]
	hr := samples.Sample{DeviceName: "Watch", Start: ok.Start, Unit: samples.CountPerMinute, Value: 70}
	mod := func(s samples.Sample, f func(*samples.Sample)) samples.Sample { f(&s); return s }
	cases := []struct {
		name  string
		dt    samples.DataType
		s     samples.Sample
		field string
		rule  string
	}{
		{"device name required", samples.Steps, mod(ok, func(s *samples.Sample) { s.DeviceName = "" }), "device_name", "required"},
		{"start required", samples.Steps, mod(ok, func(s *samples.Sample) { s.Start = time.Time{} }), "start_date", "required"},
		{"start year", samples.Steps, mod(ok, func(s *samples.Sample) { s.Start = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC); s.End = time.Time{} }), "start_date", "outside 0000..9999"},
		{"end before start", samples.Steps, mod(ok, func(s *samples.Sample) { s.End = s.Start.Add(-time.Millisecond) }), "end_date", "before start_date"},
		{"unit allowed", samples.Steps, mod(ok, func(s *samples.Sample) { s.Unit = "steps/h" }), "unit", `"steps/h" is not count`},
		{"unit fits steps", samples.Steps, mod(ok, func(s *samples.Sample) { s.Unit = samples.CountPerMinute }), "unit", "does not fit data type steps"},
		{"unit fits bpm", samples.BPM, mod(hr, func(s *samples.Sample) { s.Unit = samples.Count }), "unit", "does not fit data type bpm"},
		{"value NaN", samples.Steps, mod(ok, func(s *samples.Sample) { s.Value = math.NaN() }), "value", "finite"},
		{"value Inf", samples.Steps, mod(ok, func(s *samples.Sample) { s.Value = math.Inf(1) }), "value", "finite"},
		{"value zero", samples.Steps, mod(ok, func(s *samples.Sample) { s.Value = 0 }), "value", "greater than 0"},
		{"value negative", samples.Steps, mod(ok, func(s *samples.Sample) { s.Value = -3 }), "value", "greater than 0"},
		{"count max", samples.Steps, mod(ok, func(s *samples.Sample) { s.Value = 30000.5 }), "value", "at most 30000 for count"},
		{"count/min max", samples.BPM, mod(hr, func(s *samples.Sample) { s.Value = 301 }), "value", "at most 300 for count/min"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := []samples.Sample{ok, ok, c.s}
			if c.dt == samples.BPM {
				in = []samples.Sample{hr, hr, c.s}
			}
			err := samples.Validate(c.dt, in)
			require.Error(t, err)
			assert.True(t, errors.Is(err, samples.ErrInvalid))
			var ve *samples.ValidationError
			require.ErrorAs(t, err, &ve)
			require.Len(t, ve.Problems, 1)
			assert.Equal(t, 2, ve.Problems[0].Index)
			assert.Equal(t, c.field, ve.Problems[0].Field)
			assert.Contains(t, ve.Problems[0].Rule, c.rule)
			assert.Contains(t, err.Error(), "sample 2: "+c.field)
		})
	}
	// The limits themselves are allowed; count/s has no upper limit.
	require.NoError(t, samples.Validate(samples.Steps, []samples.Sample{mod(ok, func(s *samples.Sample) { s.Value = 30000 })}))
	require.NoError(t, samples.Validate(samples.BPM, []samples.Sample{mod(hr, func(s *samples.Sample) { s.Value = 300 }), mod(hr, func(s *samples.Sample) { s.Unit = samples.CountPerSecond; s.Value = 5000 })}))
	// An unknown data type, and every problem of every sample is listed.
	err := samples.Validate("sleep", []samples.Sample{{}, ok})
	var ve *samples.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, samples.Problem{Index: -1, Field: "data_type", Rule: `"sleep" is not steps or bpm`}, ve.Problems[0])
	assert.Len(t, ve.Problems, 5) // data_type, then device_name, start_date, unit, value of sample 0
}

func TestOpenEnums(t *testing.T) {
	assert.Equal(t, "steps", samples.Steps.String())
	assert.Equal(t, `DataType("sleep", unknown)`, samples.DataType("sleep").String())
	assert.Equal(t, "count/s", samples.CountPerSecond.String())
	assert.Equal(t, `Unit("kg", unknown)`, samples.Unit("kg").String())
}

// Dates at the edges: leap days, century rules, the first and last
// representable days, zones that cross midnight.
func TestAppendTimeEdges(t *testing.T) {
	zones := []*time.Location{time.UTC, time.FixedZone("", 14*3600), time.FixedZone("", -12*3600), time.FixedZone("", 5*3600+45*60)}
	days := []time.Time{
		time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(0, 2, 29, 12, 0, 0, 0, time.UTC),
		time.Date(1600, 2, 29, 23, 59, 59, 999999999, time.UTC), time.Date(1700, 3, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1969, 12, 31, 23, 59, 59, 999e6, time.UTC), time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2000, 2, 29, 0, 0, 0, 0, time.UTC), time.Date(2100, 2, 28, 23, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 999e6, time.UTC),
	}
	for _, d := range days {
		for _, z := range zones {
			s := samples.Sample{DeviceName: "x", Start: d.In(z), Unit: samples.Count, Value: 1}
			if y := s.Start.Year(); y < 0 || y > 9999 {
				continue
			}
			b, err := json.Marshal(s)
			require.NoError(t, err)
			assert.Contains(t, string(b), `"start_date":"`+s.Start.Format(samples.TimeLayout)+`"`)
		}
	}
}
