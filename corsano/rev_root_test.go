package corsano_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit/corsano"
	"github.com/wearkit/wearkit/corsano/corsanotest"
	"github.com/wearkit/wearkit/wearkittest"
)

// The server created the export but answered a status the client does not
// know: the export exists, so DownloadExport's error must be the
// *ExportSaveError naming it (its doc: "once the export exists, a failure
// is an *ExportSaveError"); it was the bare status error, and a caller
// looking for ExportSaveError waited out the cooldown for a new export.
func TestDownloadExportUnknownStatusNamesTheExport(t *testing.T) {
	srv := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.Contains(r.URL.Path, "create-export/") {
			wearkittest.WriteJSON(w, http.StatusOK, map[string]any{"id": "e-7", "status": "queued-somewhere-new"})
			return
		}
		http.NotFound(w, r)
	}))
	c, err := corsano.New(corsano.WithResearcherToken(corsanotest.ResearcherToken), corsano.WithBaseURL(srv.URL), corsano.WithRetry(1, 0, 0))
	require.NoError(t, err)
	err = c.DownloadExport(context.Background(), corsanotest.ExamplePatient, lastHour, io.Discard)
	var se *corsano.ExportSaveError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "e-7", se.ID)
	assert.Equal(t, corsanotest.ExamplePatient, se.UUID)
	assert.ErrorIs(t, err, corsano.ErrExportFailed, "the status error stays in the chain")
}
