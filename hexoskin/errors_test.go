package hexoskin_test

import (
	"context"
	"errors"
	"testing"

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
