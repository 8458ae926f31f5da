package polartest_test

import (
	"encoding/json"
	"net/http"
)

func decode(r *http.Response, v any) error { return json.NewDecoder(r.Body).Decode(v) }
