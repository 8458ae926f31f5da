package wearkit

import (
	"net/http"
	"net/url"
)

// Request describes one API call. Clients build one for each typed call,
// and users pass one to a client's Do for an endpoint the SDK does not type
// yet; either way it goes through the client's authentication, signing,
// rate limits, retries, error type and redaction.
type Request struct {
	// Method is the HTTP method; empty means GET.
	Method string
	// Path is resolved against the client's base URL ("api/report/"); an
	// absolute URL (a next-page link, a presigned download) is used as it
	// is. Credentials are sent only when it is on the base URL's origin.
	Path string
	// Query is a struct with `url` tags (encoded with go-querystring), a
	// url.Values or a map[string][]string; its values are added to any
	// query already in Path.
	Query any
	// Body, when non-nil, is sent as JSON.
	Body any
	// Form, when non-nil, is sent as application/x-www-form-urlencoded.
	Form url.Values
	// RawBody, when non-nil, is sent as it is, with ContentType.
	RawBody []byte
	// ContentType overrides the body's content type.
	ContentType string
	// Header adds or overrides request headers (after the client's own).
	Header http.Header
	// Safe marks a POST or PATCH as safe to send twice (a read done with
	// POST, or a write the vendor de-duplicates). Other POSTs and PATCHes
	// are retried only when no attempt reached the server.
	Safe bool
	// RateKey selects a per-key rate-limit bucket where the vendor limits
	// per key (Corsano: exports per patient).
	RateKey string
	// Secrets are values the request sends where the engine cannot tell
	// they are secret (a password in a JSON Body or a RawBody, a key in
	// the Path or under a query key it does not know): every error and
	// log line, URLs included, is scrubbed of them in every encoding,
	// before any cut, as of the credentials the engine knows (query keys,
	// forms, headers). Values under 4 bytes are too short to scrub.
	Secrets []string
}
