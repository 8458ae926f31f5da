// Package hexoskin is a typed client for the Hexoskin REST API (version
// 3.3.x): users and profiles, records, ranges, datatypes, metrics,
// annotations, tracks and trackpoints, training routines, activity types,
// devices, and the biometric data of /api/data/ in JSON, CSV and binary.
//
// # Authentication
//
// Pick one option: WithAPIKey signs every attempt of every request
// (X-HEXOAPIKEY, X-HEXOTIMESTAMP in Unix seconds, X-HEXOAPISIGNATURE = Sign
// of the private key, the timestamp and the full URL sent), so retries carry
// a fresh signature; WithBasicAuth (may be added to WithAPIKey); or
// WithTokenSource with an OAuth2 token source (OAuth2Config for the
// authorization-code grant, PasswordTokenSource for the password grant,
// StoredTokenSource to keep the user's token in a TokenStore across runs).
// X-HexoAPIVersion is pinned to DefaultAPIVersion unless WithAPIVersion
// says otherwise.
//
// # Time
//
// The API counts time in Timestamp units, 1/256 s since the Unix epoch;
// Timestamp converts to and from time.Time.
//
// # Lists
//
// Every list resource has a XxxPage method (one Tastypie page, with its
// Meta) and an iterating method returning iter.Seq2 that follows meta.next,
// 1000 objects per call unless the options set Limit. Filters are typed
// option structs encoded to field__filtertype=value (exact, gt, gte, lt,
// lte, in, range, startswith); OrderBy takes column names, "-" first for
// descending.
//
// # Data
//
// Data asks /api/data/ in JSON, which the server caps at MaxDataPoints
// points per datatype and subsamples past that: the client splits the span
// into windows that stay under the cap (dataWindowTicks, planDataWindows)
// and joins the answers, decoding them with a scanner that needs no
// reflection (decodeData); DataWindows hands the windows over one at a time
// for long spans. DataCSV does the same in CSV. DataZip streams the
// binary zip (not capped) to a writer; DataRecord opens it as a
// binfmt.Record to decode the WAV and .hxd channels.
//
// # Errors and responses
//
// Failed calls return a *wearkit.Error whose text starts with "hexoskin:";
// match classes with errors.Is: wearkit.ErrUnauthorized (401 and the "API
// signature failed." answer), wearkit.ErrForbidden, wearkit.ErrNotFound,
// wearkit.ErrBadRequest, ErrMethodNotAllowed, wearkit.ErrRateLimited,
// wearkit.ErrServer. Requests are limited to DefaultRate per second by
// default (WithRateLimit). Pages and BinaryData carry the answer's
// *wearkit.Response; wearkit.CaptureResponse shows it for any call, and
// Cached reads its X-HexoCache header.
//
// # Endpoints not typed yet
//
// Client.Do sends any request (reports, EDF, a resource added later)
// through the same signing, retries, errors and redaction as the typed
// calls.
package hexoskin
