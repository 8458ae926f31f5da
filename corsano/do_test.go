package corsano_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/corsano/corsanotest"
)

func TestDoEscapeHatch(t *testing.T) {
	f := newFixture(t, nil)
	var resp wearkit.Response
	ctx := wearkit.CaptureResponse(context.Background(), &resp)
	var groups []map[string]any
	require.NoError(t, f.c.Do(ctx, &wearkit.Request{Path: "groups"}, &groups))
	require.Len(t, groups, 1)
	assert.Equal(t, 200, resp.StatusCode)
	entry, _ := f.srv.Log.Last()
	assert.Equal(t, corsanotest.ResearcherToken, entry.Query.Get("token"), "the researcher token is added")
	assert.Contains(t, entry.Header.Get("User-Agent"), "wearkit/")

	var page map[string]any
	q := url.Values{"date_from": {"2025-10-01"}, "date_to": {"2025-10-01"}}
	require.NoError(t, f.c.HealthDo(ctx, corsanotest.SecondPatient, &wearkit.Request{Path: "user-summaries", Query: q}, &page))
	assert.EqualValues(t, 1, page["total"])
	entry, _ = f.srv.Health.Log.Last()
	assert.Equal(t, "Bearer "+f.srv.HealthTokens()[0], entry.Header.Get("Authorization"))
	assert.False(t, entry.Query.Has("token"), "no researcher token on the health API")

	err := f.c.Do(ctx, &wearkit.Request{Path: "nothing-here"}, nil)
	require.ErrorIs(t, err, wearkit.ErrNotFound)
	assert.Equal(t, 404, resp.StatusCode)
}
