package corsano_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/corsano"
	"github.com/wearkit/wearkit/corsano/corsanotest"
	"github.com/wearkit/wearkit/wearkittest"
)

func TestLaravelErrors(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	f.srv.Faults.Push(wearkittest.Fault{Status: http.StatusUnprocessableEntity, Body: `{"errors":{"types":["The types field is required."],"date":["The date is invalid."]}}`})
	_, err := f.c.Groups(ctx)
	require.ErrorIs(t, err, wearkit.ErrBadRequest)
	var we *wearkit.Error
	require.ErrorAs(t, err, &we)
	assert.Equal(t, "date: The date is invalid.", we.Message, "the first field in name order")

	f.srv.Faults.Push(wearkittest.Fault{Status: http.StatusNotFound, Body: `{"message":"Patient not found."}`})
	_, err = f.c.RawDataCompliance(ctx, corsanotest.ExamplePatient, corsano.Date{Year: 2025, Month: 10, Day: 8})
	require.ErrorIs(t, err, wearkit.ErrNotFound)
	assert.Regexp(t, `^corsano: GET .*/raw-data-compliance/2025-10-08.*: 404 Not Found: Patient not found\.$`, err.Error())
}
