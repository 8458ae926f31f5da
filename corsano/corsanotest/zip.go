package corsanotest

import (
	"archive/zip"
	"bytes"
	"encoding/json"

	"github.com/wearkit/wearkit/corsano"
)

// ExportThinning is how many seconds apart the waveform items of an export
// file are (the fake keeps its ZIPs small; the raw-metrics call has every
// second).
const ExportThinning = 60

// zip builds an export's archive: one JSON array file per type,
// "<type>.json", in time order.
func (s *Server) zip(e *export) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	p := s.persons[e.uuid]
	for _, t := range e.types {
		f, err := zw.Create(t + ".json")
		if err != nil {
			return nil, err
		}
		items := []map[string]any{}
		if t != "tests" {
			items = rawItems(p, corsano.RawMetricType(t), e.from, e.to, ExportThinning)
		}
		if err := json.NewEncoder(f).Encode(items); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
