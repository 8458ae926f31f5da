// Package samples sends step and heart-rate samples to GeroSense, which
// computes a user's biological age from them. No official Go client exists;
// the public ones cut batches of 1000 and send a last batch of fewer than
// 3 samples, which the API rejects. This one never does.
//
// # Flavours
//
// Proxy: your own API proxy forwards to GeroSense and knows the user; build
// the client with WithBaseURL (your proxy) and WithBearerToken (from your
// own authentication). Paths are /api/v1.1/....
//
// Direct: WithLogin(username, password) and WithUserID. The client logs in
// at /api/v1.0/login/access-token before its first call, sends user_id in
// every body and uses the /api/v2.2/ paths. An expired token is answered
// with 403 "token is expired" (not 401): the client logs in again, once
// however many requests found it expired, and sends the request again.
//
// # Samples
//
// A Sample is a step count (Steps, unit Count) or a heart rate (BPM, unit
// CountPerMinute or CountPerSecond) of one device. Times are sent as ISO
// 8601 with milliseconds and the sample's own zone offset
// ("2023-11-01T08:04:51.000+04:00"), by a hand-written encoder
// (AppendBatchJSON) that writes what encoding/json would, several times
// faster. Validate names every broken rule by index, field and rule.
// Batches groups a slice by device, in time order, into as few batches of
// 3..1000 as possible; a device with 1 or 2 samples is a *TooFewError that
// hands them back.
//
// # Syncing
//
// Client.Sync (and Syncer, for concurrency, progress and iterators) sends
// what the per-device checkpoints do not cover, several batches at a time,
// and moves a device's checkpoint only over a gap-free run of acknowledged
// batches, so that a crash, a cancel or an error never skips a sample.
// Delivery is at least once; the API does not de-duplicate, so a rerun may
// send again at most the batches that were sent and not yet covered by a
// checkpoint when the run stopped (Syncer.Concurrency of them), plus any
// batch whose answer was lost on the way back, plus the batches of a
// device acknowledged behind one the API refused (see Syncer). Checkpoints live in a
// CheckpointStore: NewMemoryCheckpointStore, or NewFileCheckpointStore, a
// JSON file written atomically. 429, 5xx and network errors are retried
// with backoff; a batch the API refuses (400, 422) is reported with the
// server's reason and stops its device for the run. The API's status is
// read first: during maintenance nothing is sent (ErrMaintenance).
//
// # Users and bio-age
//
// RegisterUser registers a user before their samples are sent (direct
// flavour). CalculateBioAge asks for bio-age now (otherwise the API
// computes it five minutes after the last batch); BioAge reads the results.
//
// # Errors and responses
//
// Failed calls return a *wearkit.Error whose text starts with "samples:",
// with the API's FastAPI-style detail as its Message (a validation list
// becomes "body.data.17.value: msg; ..."); match classes with errors.Is:
// wearkit.ErrBadRequest, wearkit.ErrUnauthorized (also a 403 expiry that
// could not be cured), wearkit.ErrForbidden, wearkit.ErrNotFound,
// wearkit.ErrRateLimited, wearkit.ErrServer. wearkit.CaptureResponse shows
// any call's status and headers; Client.Do sends an endpoint the package
// does not type through the same path. The password and tokens never appear
// in an error.
//
// The samplestest package is a fake of both flavours that enforces every
// rule, for tests and the examples.
package samples
