package hexoskin_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/hexoskin"
	"github.com/wearkit/wearkit/hexoskin/hexoskintest"
	"github.com/wearkit/wearkit/wearkittest"
)

// The escape hatch goes through the same path as a typed call: each
// attempt of a retried request is signed afresh, the answer decodes, and
// the response metadata is captured.
func TestDoResignsOnRetryAndDecodes(t *testing.T) {
	srv := hexoskintest.New(t)
	var tick atomic.Int64
	tick.Store(1700000000)
	srv.Clock.Set(time.Unix(tick.Load(), 0))
	c := newClient(t, srv, hexoskin.WithClock(func() time.Time { return time.Unix(tick.Add(1), 0) }))
	srv.Faults.Push(wearkittest.Fault{Status: 503}, wearkittest.Fault{Status: 502})

	var page struct {
		Objects []struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"objects"`
	}
	var meta wearkit.Response
	ctx := wearkit.CaptureResponse(context.Background(), &meta)
	err := c.Do(ctx, &wearkit.Request{Path: "api/report/", Query: url.Values{"user": {"1511"}}}, &page)
	require.NoError(t, err)
	require.Len(t, page.Objects, 2)
	assert.Equal(t, "Daily activity", page.Objects[0].Name)
	assert.Equal(t, 3, meta.Attempts)
	assert.Equal(t, http.StatusOK, meta.StatusCode)

	entries := srv.Log.Entries()
	require.Len(t, entries, 3)
	sigs := map[string]bool{}
	for _, e := range entries {
		ts, err := strconv.ParseInt(e.Header.Get("X-HEXOTIMESTAMP"), 10, 64)
		require.NoError(t, err)
		assert.Equal(t, hexoskin.Sign(hexoskintest.PrivateKey, ts, srv.URL+e.Path+"?"+e.RawQuery), e.Header.Get("X-HEXOAPISIGNATURE"))
		assert.Equal(t, hexoskin.DefaultAPIVersion, e.Header.Get("X-HexoAPIVersion"))
		sigs[e.Header.Get("X-HEXOAPISIGNATURE")] = true
	}
	assert.Len(t, sigs, 3, "a fresh signature per attempt")

	// Streaming into a writer, and discarding.
	var buf bytes.Buffer
	require.NoError(t, c.Do(context.Background(), &wearkit.Request{Path: "api/report/900/"}, &buf))
	assert.Contains(t, buf.String(), `"Daily activity"`)
	require.NoError(t, c.Do(context.Background(), &wearkit.Request{Path: "api/report/900/"}, nil))
}

// A failed escape-hatch call is a *wearkit.Error like any other: the
// vendor's name first, classes, and no secret anywhere.
func TestDoErrorsAreRedactedLikeAnyCall(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	srv.Faults.Push(wearkittest.Fault{Status: http.StatusForbidden, Body: `{"error": "nope ` + hexoskintest.PrivateKey + `"}`})
	err := c.Do(context.Background(), &wearkit.Request{Path: "api/report/", Query: url.Values{"api_key": {"query-5ecret-key"}}}, nil)
	require.ErrorIs(t, err, wearkit.ErrForbidden)
	var e *wearkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "hexoskin", e.Vendor)
	assert.Regexp(t, `^hexoskin: GET `, err.Error())
	assert.NotContains(t, err.Error(), "query-5ecret-key")
	assert.NotContains(t, e.URL, "query-5ecret-key")

	err = c.Do(context.Background(), &wearkit.Request{Path: "api/nothing-here/"}, nil)
	require.ErrorIs(t, err, wearkit.ErrNotFound)
	require.Error(t, c.Do(context.Background(), nil, nil))
}
