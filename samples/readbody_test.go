package samples_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
)

// readBody reads a request body in a fault matcher and puts it back.
func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(b))
	return b, err
}

func contains(b []byte, s string) bool { return strings.Contains(string(b), s) }
