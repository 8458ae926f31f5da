// Package corsano is a typed client for Corsano's research integration API
// and its health API: groups, patients and their latest vitals, daily
// summaries, raw-data compliance, devices, raw metrics of every type over
// any range, and exports of raw data as ZIP files, within the vendor's
// one-export-per-patient-every-five-minutes rule.
//
// # Authentication
//
// WithResearcherToken is required: it goes as the token query parameter to
// the integration API (DefaultBaseURL, or StudyIntegrationBaseURL). Health
// API calls (DefaultHealthBaseURL) need a per-patient health token, which
// the client fetches with the researcher token
// (v1/patients/{uuid}/health-token), caches per patient until
// HealthTokenRefreshBefore the expiry its JWT's exp claim says (the
// signature is not checked; the token is only cached by it), fetches once
// however many goroutines need the same patient, and fetches again after a
// 401. Neither token appears in an error, a log line or a wrapped error.
//
// # Exports
//
// CreateExport asks for a patient's data of a range of local wall-clock
// times; WaitExport polls it with a doubling, capped interval until done;
// SaveExport streams the ZIP from its presigned link, which lives on another
// host (no Corsano credential is sent there) for about an hour, and polls
// for a fresh link when it has expired; DownloadExport does all three. The
// client keeps, per patient, when its last create-export ended: a second
// one inside ExportCooldown fails at once with an error matching
// ErrExportCooldown (a *CooldownError that says when the next is allowed),
// from any goroutine, also after a create-export that failed once it may
// have reached the server; WithExportWait waits instead. The record
// belongs to the Client: share one Client for a set of patients rather than
// building several. A create-export is
// never retried once it may have reached the server. An export status other
// than in_progress and done is an *ExportStatusError keeping the raw answer.
//
// # Raw metrics
//
// RawMetrics, RawMetricsLocal and RawMetricsSeq take any range: the client
// splits it into the type's maximum window (MaxWindow, 24 h, or
// MaxWaveformWindow, 30 min, for ppg1, ppg2, bioz, acc and ecg), asks for
// the windows in order, in the zoned form (from_date and to_date) or the
// client-date form (from_client_date and to_client_date), never both, and
// hands the items over in time order (a window's items are sorted by their
// timestamp field if the API sent them out of order) as the API sent them
// (json.RawMessage; the vendor documents no item model).
//
// # Models and time
//
// Summary is the full model of the vendor's summary page; every model
// keeps the fields it does not type in Extra and encodes back to what the
// API sent. Millisecond timestamps are Millis, zoned times ZonedTime,
// zone-less local times ClientTime, dates Date and slot times of day
// ClockTime; each converts to time.Time.
//
// # Errors and responses
//
// Failed calls return a *wearkit.Error whose text starts with "corsano:";
// match classes with errors.Is (wearkit.ErrUnauthorized, ErrNotFound,
// ErrBadRequest, ErrRateLimited, ErrServer) and ErrExportCooldown,
// ErrExportFailed. wearkit.CaptureResponse shows any call's status and
// headers. Do and HealthDo send calls the client does not type yet through
// the same path.
package corsano
