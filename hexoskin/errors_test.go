package hexoskin_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/hexoskin"
	"github.com/wearkit/wearkit/hexoskin/hexoskintest"
	"github.com/wearkit/wearkit/wearkittest"
)

func TestErrorMapping(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		kind   error
		msg    string
	}{
		{400, `{"error": "start: must be an integer"}`, wearkit.ErrBadRequest, "start: must be an integer"},
		{401, `{"error": "API signature failed."}`, wearkit.ErrUnauthorized, "API signature failed."},
		{403, `{"error_message": "You are not allowed to access that resource."}`, wearkit.ErrForbidden, "You are not allowed to access that resource."},
		{404, ``, wearkit.ErrNotFound, ""},
		{405, `{"error": "Method not allowed."}`, hexoskin.ErrMethodNotAllowed, "Method not allowed."},
		{500, `{"error_message": "Sorry, this request could not be processed."}`, wearkit.ErrServer, "Sorry, this request could not be processed."},
		// Some proxies answer a signature failure with another status.
		{400, `{"error": "API signature failed."}`, wearkit.ErrUnauthorized, "API signature failed."},
	} {
		srv := hexoskintest.New(t)
		c := newClient(t, srv, hexoskin.WithRetry(1, 0, 0))
		srv.Faults.Push(wearkittest.Fault{Status: tc.status, Body: tc.body})
		_, err := c.Record(context.Background(), hexoskintest.RecordID)
		require.Error(t, err)
		assert.ErrorIs(t, err, tc.kind, "%d %s", tc.status, tc.body)
		var he *wearkit.Error
		require.True(t, errors.As(err, &he))
		assert.Equal(t, tc.status, he.StatusCode)
		assert.Equal(t, tc.msg, he.Message)
		assert.Contains(t, he.Error(), "/api/record/37700/")
	}
}

// Every error a call returns starts with the vendor's name, whatever failed:
// the answer, the transport, the decoding, the context, the local limiter or
// the caller's arguments.
func TestEveryErrorStartsWithHexoskin(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv, hexoskin.WithRetry(1, 0, 0))
	ctx := context.Background()
	var errs []error

	srv.Faults.Push(wearkittest.Fault{Status: 404})
	_, err := c.Record(ctx, hexoskintest.RecordID)
	errs = append(errs, err)

	srv.Faults.Push(wearkittest.Fault{Status: 200, Body: `{"id": "not a number"`})
	_, err = c.Record(ctx, hexoskintest.RecordID)
	errs = append(errs, err)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = c.Record(cancelled, hexoskintest.RecordID)
	errs = append(errs, err)
	for _, err := range c.Records(cancelled, nil) {
		errs = append(errs, err)
	}

	_, err = c.Data(ctx, &hexoskin.DataQuery{})
	errs = append(errs, err)

	slow := newClient(t, srv, hexoskin.WithRateLimit(0.001, 1))
	_, _ = slow.Record(ctx, hexoskintest.RecordID) // spends the burst
	short, cancel2 := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel2()
	_, err = slow.Record(short, hexoskintest.RecordID)
	require.ErrorIs(t, err, wearkit.ErrRateLimited)
	errs = append(errs, err)

	dead, err := hexoskin.New(hexoskin.WithBaseURL("http://127.0.0.1:1"), hexoskin.WithAPIKey("p", "k"), hexoskin.WithRetry(1, 0, 0))
	require.NoError(t, err)
	_, err = dead.Record(ctx, 1)
	errs = append(errs, err)

	_, err = hexoskin.New(hexoskin.WithBaseURL("ftp://nowhere"))
	errs = append(errs, err)

	for i, err := range errs {
		require.Error(t, err, "case %d", i)
		assert.Regexp(t, `^hexoskin: `, err.Error(), "case %d", i)
	}
}
