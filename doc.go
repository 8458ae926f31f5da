// Package wearkit holds what every wearkit vendor client shares and what
// users of any of them handle: the error type and its classes, the metadata
// of an answer, the request of the escape hatch, and OAuth2 token keeping.
//
// The vendor clients live in subpackages (hexoskin, and next withings,
// corsano, polar, samples); binfmt decodes Hexoskin's binary files and
// analytics computes baselines, anomalies and HRV. Package wearkittest is
// the kit every fake vendor server is built from.
//
// # Errors
//
// Every call that reached the network and failed returns an *Error: the
// vendor's name, the method, the URL with its secrets removed, the HTTP
// status, the vendor's own code and message, a bounded excerpt of the body
// and the answer's metadata. Match classes with errors.Is (ErrUnauthorized,
// ErrForbidden, ErrNotFound, ErrBadRequest, ErrRateLimited, ErrServer) and
// details with errors.As. No secret (token, key, signature, password) is in
// an error's text, its fields, or any error its unwrap chain reaches.
//
// # Responses
//
// Calls return (T, error). For the status, headers, attempts and rate-limit
// figures of any call, as net/http/httptrace does for connections, make the
// call with a context from CaptureResponse. Pages and *Error carry the same
// Response.
//
// # The escape hatch
//
// Every client has Do(ctx, *Request, out) for endpoints the SDK does not
// type yet: the request goes through the same authentication, signing, rate
// limiting, retries, error type and redaction as every typed call.
//
// # Tokens
//
// StoredTokenSource keeps an OAuth2 user's token in a TokenStore: it
// refreshes once however many goroutines (and, with a store that can lock,
// however many processes) need a new token, and saves the new token before
// anyone uses it, because vendors that rotate refresh tokens lose the user
// when a new one is not kept. NewMemoryTokenStore and NewFileTokenStore are
// two stores; a database store implements the same two methods.
package wearkit
