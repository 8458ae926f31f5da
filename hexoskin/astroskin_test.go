package hexoskin_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit/hexoskin"
	"github.com/wearkit/wearkit/hexoskin/hexoskintest"
)

// The Astroskin channels are in the datatype table and decode through the
// same data call as every other datatype.
func TestAstroskinDatatypes(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ids := []hexoskin.DatatypeID{hexoskin.PPG, hexoskin.SpO2, hexoskin.PTT, hexoskin.SystolicPressure, hexoskin.SystolicPressureStatus, hexoskin.Temperature}
	want := map[hexoskin.DatatypeID]struct {
		rate float64
		unit string
	}{
		hexoskin.PPG: {64, "na"}, hexoskin.SpO2: {1, "%"}, hexoskin.PTT: {1, "na"},
		hexoskin.SystolicPressure: {1, "mmHg"}, hexoskin.SystolicPressureStatus: {1, "mmHg"}, hexoskin.Temperature: {1, "na"},
	}
	for _, id := range ids {
		info, ok := id.Info()
		require.True(t, ok, id)
		assert.Equal(t, want[id].rate, info.Rate, id)
		assert.Equal(t, want[id].unit, info.Unit, id)
	}
	sets, err := c.Data(context.Background(), &hexoskin.DataQuery{Datatypes: ids, Record: hexoskintest.RecordID,
		Start: hexoskintest.RecordStart, End: hexoskintest.RecordStart + 10*256})
	require.NoError(t, err)
	require.Len(t, sets, 1)
	for _, id := range ids {
		n := len(sets[0].Series[id])
		assert.InDelta(t, 10*want[id].rate, n, want[id].rate+1, "%v: %d points in 10 s", id, n)
	}
}

// The 3.3.x schema's names decode beside the docs' ones: annotation
// last_modified next to last_update, datatype freq next to hexo_freq.
func TestSchemaFieldNamesDecode(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	a, err := c.Annotation(context.Background(), hexoskintest.AnnotationID)
	require.NoError(t, err)
	assert.Equal(t, hexoskin.Timestamp(362161472635), a.LastUpdate)
	assert.Equal(t, a.LastUpdate.Time().Truncate(1e9), a.LastModified.Time)
	var d hexoskin.Datatype
	require.NoError(t, json.Unmarshal([]byte(`{"dataid": 19, "freq": 1}`), &d))
	require.NotNil(t, d.Freq)
	assert.Equal(t, 1.0, *d.Freq)
	require.NoError(t, json.Unmarshal([]byte(`{"dataid": 19, "hexo_freq": 256}`), &d))
	assert.Equal(t, 256.0, *d.Freq)
}
