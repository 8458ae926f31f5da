package samples_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/samples"
	"github.com/wearkit/wearkit/samples/samplestest"
	"github.com/wearkit/wearkit/wearkittest"
)

func fast() samples.Option { return samples.WithRetry(3, time.Millisecond, 5*time.Millisecond) }

func proxy(t *testing.T, srv *samplestest.Server) *samples.Client {
	t.Helper()
	c, err := samples.New(samples.WithBaseURL(srv.URL), samples.WithBearerToken(samplestest.ProxyToken), fast())
	require.NoError(t, err)
	return c
}

func direct(t *testing.T, srv *samplestest.Server) *samples.Client {
	t.Helper()
	c, err := samples.New(samples.WithBaseURL(srv.URL), samples.WithLogin(samplestest.Username, samplestest.Password),
		samples.WithUserID(samplestest.UserID), fast())
	require.NoError(t, err)
	return c
}

func TestNewChecksOptions(t *testing.T) {
	cases := map[string][]samples.Option{
		"no credentials":                   {samples.WithBaseURL("http://x")},
		"proxy flavour needs WithBaseURL":  {samples.WithBearerToken("t")},
		"cannot be combined":               {samples.WithBaseURL("http://x"), samples.WithBearerToken("t"), samples.WithLogin("u", "p"), samples.WithUserID("1")},
		"needs WithUserID":                 {samples.WithLogin("u", "p")},
		"WithUserID is for the direct":     {samples.WithBaseURL("http://x"), samples.WithBearerToken("t"), samples.WithUserID("1")},
		"WithBearerToken: empty":           {samples.WithBearerToken(" ")},
		"WithLogin: username and password": {samples.WithLogin("u", "")},
		"WithRetry: invalid":               {samples.WithRetry(0, 0, 0)},
		"must be an absolute":              {samples.WithBaseURL("ftp://x"), samples.WithBearerToken("t")},
	}
	for want, opts := range cases {
		_, err := samples.New(opts...)
		require.Error(t, err, want)
		assert.Contains(t, err.Error(), want)
		assert.True(t, strings.HasPrefix(err.Error(), "samples: "), err.Error())
	}
	c, err := samples.New(samples.WithLogin("u", "p"), samples.WithUserID("1"))
	require.NoError(t, err, "the direct flavour defaults to GeroSense's host")
	assert.True(t, c.Direct())
}

func TestProxySendBatch(t *testing.T) {
	srv := samplestest.New(t)
	c := proxy(t, srv)
	batch := steps("iPhone", 3)
	require.NoError(t, c.SendBatch(context.Background(), samples.Steps, batch))
	e, ok := srv.Log.Last()
	require.True(t, ok)
	assert.Equal(t, "POST /api/v1.1/samples", e.String())
	assert.Equal(t, "Bearer "+samplestest.ProxyToken, e.Header.Get("Authorization"))
	assert.Equal(t, "application/json", e.Header.Get("Content-Type"))
	assert.Equal(t, string(samples.AppendBatchJSON(nil, "", samples.Steps, batch)), string(e.Body))
	missing, dups, extra := srv.Compare(samples.Steps, batch)
	assert.Empty(t, missing)
	assert.Zero(t, dups)
	assert.Zero(t, extra)

	// Checked before sending: size and rules.
	err := c.SendBatch(context.Background(), samples.Steps, batch[:2])
	require.ErrorContains(t, err, "2 samples: a batch holds 3..1000")
	bad := append([]samples.Sample(nil), batch...)
	bad[1].Value = -1
	require.ErrorIs(t, c.SendBatch(context.Background(), samples.Steps, bad), samples.ErrInvalid)
	assert.Equal(t, 1, srv.Log.Count("POST", "/api/v1.1/samples"))

	// A wrong proxy token.
	wrong, err := samples.New(samples.WithBaseURL(srv.URL), samples.WithBearerToken("nope"), fast())
	require.NoError(t, err)
	err = wrong.SendBatch(context.Background(), samples.Steps, batch)
	require.ErrorIs(t, err, wearkit.ErrForbidden)
	assert.Contains(t, err.Error(), "Could not validate credentials")
	assert.NotContains(t, err.Error(), "nope")
}

func TestDirectLoginUserIDAndReloginOnExpiry(t *testing.T) {
	srv := samplestest.New(t)
	c := direct(t, srv)
	ctx := context.Background()
	require.NoError(t, c.SendBatch(ctx, samples.Steps, steps("iPhone", 3)))
	e, _ := srv.Log.Last()
	assert.Equal(t, "/api/v2.2/samples", e.Path)
	assert.Contains(t, string(e.Body), `{"user_id":"user-1","data_type":"steps","data":[`)
	assert.Equal(t, 1, srv.Logins())

	// The token expires: the API answers 403 "The token is expired"; the
	// client logs in once more and the batch goes through.
	srv.ExpireTokens()
	require.NoError(t, c.SendBatch(ctx, samples.Steps, steps("iPad", 3)))
	assert.Equal(t, 2, srv.Logins())
	assert.Equal(t, 2, c.Logins())
	var expired int
	for _, e := range srv.Log.Entries() {
		if e.Path == "/api/v2.2/samples" {
			expired++
		}
	}
	assert.Equal(t, 3, expired, "the first batch, the expired attempt, the retry")

	// The same with time: the fake's clock passes the token's life.
	srv.Clock.Advance(samplestest.TokenTTL + time.Second)
	require.NoError(t, c.SendBatch(ctx, samples.Steps, steps("iPod", 3)))
	assert.Equal(t, 3, srv.Logins())

	// Login failures name the answer, never the password.
	bad, err := samples.New(samples.WithBaseURL(srv.URL), samples.WithLogin(samplestest.Username, "s3cret-pw"), samples.WithUserID(samplestest.UserID), fast())
	require.NoError(t, err)
	err = bad.SendBatch(ctx, samples.Steps, steps("iPhone", 3))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Incorrect email or password")
	assert.NotContains(t, err.Error(), "s3cret-pw")
	for e := error(err); e != nil; e = errors.Unwrap(e) {
		assert.NotContains(t, e.Error(), "s3cret-pw")
	}
}

// Many concurrent requests that find the token expired log in once.
func TestDirectConcurrentExpiryLogsInOnce(t *testing.T) {
	srv := samplestest.New(t)
	c := direct(t, srv)
	ctx := context.Background()
	require.NoError(t, c.SendBatch(ctx, samples.Steps, steps("a", 3)))
	srv.ExpireTokens()
	errs := make(chan error, 8)
	for i := range 8 {
		go func() { errs <- c.SendBatch(ctx, samples.Steps, steps(string(rune('b'+i)), 3)) }()
	}
	for range 8 {
		require.NoError(t, <-errs)
	}
	assert.LessOrEqual(t, srv.Logins(), 3, "one re-login, give or take a request that read the old generation")
}

func TestStatusAndMaintenance(t *testing.T) {
	srv := samplestest.New(t)
	c := proxy(t, srv)
	ctx := context.Background()
	st, err := c.Status(ctx)
	require.NoError(t, err)
	assert.Equal(t, samples.Status{Status: "Ok", MinimalAPIVersion: "v1.0"}, st)
	assert.False(t, st.Maintenance())

	srv.SetMaintenance(true)
	st, err = c.Status(ctx)
	require.NoError(t, err)
	assert.True(t, st.Maintenance())
	rep, err := c.Sync(ctx, samples.Steps, steps("iPhone", 10), samples.NewMemoryCheckpointStore())
	require.ErrorIs(t, err, samples.ErrMaintenance)
	assert.Contains(t, err.Error(), "maintenance")
	assert.Zero(t, rep.Sent)
	assert.Zero(t, srv.Log.Count("POST", "/api/v1.1/samples"), "nothing is sent during maintenance")

	// A POST during maintenance is refused with 503 by the fake.
	err = c.SendBatch(ctx, samples.Steps, steps("iPhone", 3))
	require.ErrorIs(t, err, wearkit.ErrServer)
	assert.Contains(t, err.Error(), "maintenance")
}

func TestRegisterUser(t *testing.T) {
	srv := samplestest.New(t)
	c := direct(t, srv)
	ctx := context.Background()
	require.NoError(t, c.RegisterUser(ctx, samples.User{ID: "u-7", Sex: samples.Male, YearOfBirth: 1990}))
	u, ok := srv.User("u-7")
	require.True(t, ok)
	assert.Equal(t, samples.User{ID: "u-7", Sex: samples.Male, YearOfBirth: 1990}, u)
	e, _ := srv.Log.Last()
	assert.Equal(t, "/api/v2.2/user", e.Path)
	assert.JSONEq(t, `{"id":"u-7","biological_sex":"Male","year_of_birth":1990}`, string(e.Body))

	err := c.RegisterUser(ctx, samples.User{ID: "u-7", Sex: samples.Male, YearOfBirth: 1990})
	require.ErrorIs(t, err, wearkit.ErrBadRequest)
	assert.Contains(t, err.Error(), "User already exists")

	require.ErrorContains(t, c.RegisterUser(ctx, samples.User{ID: "x", Sex: "male", YearOfBirth: 1990}), `biological_sex: "male" is not Male or Female`)
	require.ErrorContains(t, c.RegisterUser(ctx, samples.User{ID: "x", Sex: samples.Female, YearOfBirth: 1800}), "year_of_birth: 1800")
	require.ErrorContains(t, c.RegisterUser(ctx, samples.User{Sex: samples.Female, YearOfBirth: 1990}), "id: required")

	// A user the API does not know cannot receive samples.
	other, err := samples.New(samples.WithBaseURL(srv.URL), samples.WithLogin(samplestest.Username, samplestest.Password), samples.WithUserID("ghost"), fast())
	require.NoError(t, err)
	err = other.SendBatch(ctx, samples.Steps, steps("a", 3))
	require.ErrorIs(t, err, wearkit.ErrNotFound)
	assert.Contains(t, err.Error(), "User not found")

	// The proxy flavour registers through v1.1.
	require.NoError(t, proxy(t, srv).RegisterUser(ctx, samples.User{ID: "u-8", Sex: samples.Female, YearOfBirth: 2001}))
	e, _ = srv.Log.Last()
	assert.Equal(t, "/api/v1.1/user", e.Path)
}

func TestBioAge(t *testing.T) {
	clock := wearkittest.NewClock(time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC))
	srv := samplestest.New(t, samplestest.WithClock(clock))
	c := direct(t, srv)
	ctx := context.Background()
	day := time.Date(2024, 2, 28, 8, 0, 0, 0, time.UTC)
	var hr []samples.Sample
	for i := range 10 {
		hr = append(hr, samples.Sample{DeviceName: "Watch", Start: day.Add(time.Duration(i) * time.Minute), Unit: samples.CountPerMinute, Value: 73})
	}
	_, err := c.Sync(ctx, samples.BPM, hr, samples.NewMemoryCheckpointStore())
	require.NoError(t, err)

	q := samples.BioAgeQuery{Model: samples.BPM, From: day.AddDate(0, 0, -1), To: day}
	res, err := c.BioAge(ctx, q)
	require.NoError(t, err)
	require.Len(t, res.Days, 1)
	assert.False(t, res.Days[0].Known, "not computed yet: the API waits five minutes after the last batch")
	e, _ := srv.Log.Last()
	assert.Equal(t, "model_type=bpm&from_date=2024-02-27&to_date=2024-02-28&user_id=user-1", sortedQuery(e.Query))

	require.NoError(t, c.CalculateBioAge(ctx, samples.BPM))
	res, err = c.BioAge(ctx, q)
	require.NoError(t, err)
	require.Len(t, res.Days, 1)
	assert.Equal(t, samplestest.UserID, res.UserID)
	assert.Equal(t, samples.BPM, res.Model)
	assert.Equal(t, time.Date(2024, 2, 28, 0, 0, 0, 0, time.UTC), res.Days[0].Date)
	assert.True(t, res.Days[0].Known)
	assert.InDelta(t, 36+2.0, res.Days[0].Value, 1e-9, "age 36 on the fake's clock, +0.25 per bpm over 65")

	// Steps are computed by themselves five minutes after the last batch.
	_, err = c.Sync(ctx, samples.Steps, steps("iPhone", 5), samples.NewMemoryCheckpointStore())
	require.NoError(t, err)
	clock.Advance(samplestest.BioAgeDelay)
	res, err = c.BioAge(ctx, samples.BioAgeQuery{Model: samples.Steps, DeviceName: "iPhone"})
	require.NoError(t, err)
	require.Len(t, res.Days, 1)
	assert.True(t, res.Days[0].Known)
	assert.Equal(t, "iPhone", res.DeviceName)

	_, err = c.BioAge(ctx, samples.BioAgeQuery{Model: "sleep"})
	require.ErrorContains(t, err, `model_type "sleep"`)
}

func sortedQuery(q map[string][]string) string {
	var parts []string
	for _, k := range []string{"model_type", "device_name", "from_date", "to_date", "user_id"} {
		for _, v := range q[k] {
			parts = append(parts, k+"="+v)
		}
	}
	return strings.Join(parts, "&")
}

// The fake enforces the API's rules on bodies the client would never send;
// its FastAPI-style answers become errors naming sample, field and reason.
func TestFakeEnforcesRules(t *testing.T) {
	srv := samplestest.New(t)
	c := proxy(t, srv)
	ctx := context.Background()
	ok := `{"device_name":"a","start_date":"2023-11-01T08:04:51.000+04:00","unit":"count","value":1}`
	many := func(n int, s string) string { return strings.TrimSuffix(strings.Repeat(s+",", n), ",") }
	cases := []struct{ body, want string }{
		{`{"data_type":"steps","data":[` + many(2, ok) + `]}`, "body.data: ensure this value has at least 3 items"},
		{`{"data_type":"steps","data":[` + many(1001, ok) + `]}`, "body.data: ensure this value has at most 1000 items"},
		{`{"data_type":"sleep","data":[` + many(3, ok) + `]}`, "body.data_type: value is not a valid enumeration member"},
		{`{"data":[` + many(3, ok) + `]}`, "body.data_type: field required"},
		{`{"data_type":"steps","data":[` + many(2, ok) + `,{"start_date":"2023-11-01T08:04:51.000+04:00","unit":"count","value":1}]}`, "body.data.2.device_name: field required"},
		{`{"data_type":"steps","data":[` + many(2, ok) + `,{"device_name":"a","start_date":"2023-11-01T08:04:51+04:00","unit":"count","value":1}]}`, "body.data.2.start_date: \"2023-11-01T08:04:51+04:00\" is not ISO 8601 with milliseconds"},
		{`{"data_type":"steps","data":[` + many(2, ok) + `,{"device_name":"a","start_date":"2023-11-01T08:04:51.000","unit":"count","value":1}]}`, "body.data.2.start_date"},
		{`{"data_type":"steps","data":[` + many(2, ok) + `,{"device_name":"a","start_date":"2023-11-01T08:04:51.000+04:00","end_date":"2023-11-01T08:04:50.999+04:00","unit":"count","value":1}]}`, "body.data.2.end_date: end_date must not be earlier than start_date"},
		{`{"data_type":"steps","data":[` + many(2, ok) + `,{"device_name":"a","start_date":"2023-11-01T08:04:51.000+04:00","unit":"count/h","value":1}]}`, "body.data.2.unit: value is not a valid enumeration member"},
		{`{"data_type":"steps","data":[` + many(2, ok) + `,{"device_name":"a","start_date":"2023-11-01T08:04:51.000+04:00","unit":"count/min","value":1}]}`, "body.data.2.unit: unit count/min does not fit data_type steps"},
		{`{"data_type":"steps","data":[` + many(2, ok) + `,{"device_name":"a","start_date":"2023-11-01T08:04:51.000+04:00","unit":"count","value":0}]}`, "body.data.2.value: ensure this value is greater than 0"},
		{`{"data_type":"steps","data":[` + many(2, ok) + `,{"device_name":"a","start_date":"2023-11-01T08:04:51.000+04:00","unit":"count","value":30001}]}`, "body.data.2.value: ensure this value is less than or equal to 30000"},
		{`{"data_type":"bpm","data":[` + many(3, strings.ReplaceAll(ok, `"count"`, `"count/min"`)) + `,{"device_name":"a","start_date":"2023-11-01T08:04:51.000+04:00","unit":"count/min","value":300.5}]}`, "body.data.3.value: ensure this value is less than or equal to 300"},
		{`{"data_type":"steps","data":[` + many(2, ok) + `,{"device_name":"a","start_date":"2023-11-01T08:04:51.000+04:00","unit":"count","value":1,"extra":1}]}`, "unknown field"},
		{`{"user_id":"x","data_type":"steps","data":[` + many(3, ok) + `]}`, "body.user_id: extra fields not permitted"},
	}
	for _, tc := range cases {
		err := c.Do(ctx, &wearkit.Request{Method: http.MethodPost, Path: "api/v1.1/samples", RawBody: []byte(tc.body), ContentType: "application/json"}, nil)
		require.Error(t, err, tc.want)
		assert.ErrorIs(t, err, wearkit.ErrBadRequest)
		assert.Contains(t, err.Error(), tc.want)
	}
	b, n := srv.Count()
	assert.Zero(t, b+n, "nothing was accepted")
	// And the documented example is accepted.
	require.NoError(t, c.Do(ctx, &wearkit.Request{Method: http.MethodPost, Path: "api/v1.1/samples", RawBody: []byte(`{"data_type":"steps","data":[` + many(3, ok) + `]}`), ContentType: "application/json"}, nil))
	b, n = srv.Count()
	assert.Equal(t, [2]int{1, 3}, [2]int{b, n})
}
