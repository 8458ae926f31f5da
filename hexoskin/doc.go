// Package hexoskin is a typed client for the Hexoskin REST API (version
// 3.3.x): users and profiles, records, ranges, datatypes, metrics,
// annotations, tracks and trackpoints, training routines, activity types,
// devices, the biometric data of /api/data/ in JSON, CSV, binary and EDF,
// research studies (subjects, groups, planning, calendar, surveys), TCX and
// FIT exchange, reports, user operations, permissions and OAuth2 clients.
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
// option structs encoded to field__filtertype=value; each struct offers
// exactly filters the API's 3.3.x resource schema allows (the API answers
// 400 to any other, e.g. a status filter on records or any filter or
// ordering on datatypes). OrderBy takes column names, "-" first for
// descending.
//
// # Studies and planning
//
// A study (Study) has an owner, admins (Study.Role) and subjects whose
// usernames are "<study uuid>_<subject id>" (SubjectUsername); subjects
// sit in groups and MoveSubject changes a subject's group at any time. The
// study's Planning schedules events (EventSchedule: ISO 8601
// repeat_frequency, repeat_period, repeat_count, days_offset, by_month_day,
// by_week_day with Monday = 0, by_period_day, times and dates). Validate
// checks a planning as the API does, 5-year limit included, and
// Planning.Expand previews offline the calendar /api/calendar/ answers
// (Client.Calendar).
//
// # Exchange formats
//
// ExportRange, ExportRecord and ExportTrainingRoutine write TCX or FIT to
// an io.Writer; Import uploads a file and follows its progress until the
// range (and record) exist.
//
// # Data
//
// Data asks /api/data/ in JSON, which the server caps at MaxDataPoints
// points per datatype and subsamples past that: the client splits the span
// (at most MaxDataSpan) into windows that stay under the cap and decodes
// every answer in place into one Series per datatype. Values are physical
// (mV, s, g, ml, ml/min; DatatypeInfo names the unit), the same numbers the
// binary path gives; DataQuery.Raw keeps the API's integers. DataWindows
// hands the windows over one at a time for long spans, and DataCSV does the
// same in CSV. FullResolution takes the binary path when JSON would need
// more than four windows. DataZip streams the binary zip (not capped) to a
// writer; DataRecord opens it as a binfmt.Record to decode the WAV and .hxd
// channels; DataEDF streams EDF. Series converts to analytics points and RR
// intervals to HRV input.
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
// Client.Do sends any request (a resource added later, a report field not
// typed here)
// through the same signing, retries, errors and redaction as the typed
// calls.
package hexoskin
