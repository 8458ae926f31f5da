// Package polar is a typed client for the self-hosted, open-source
// polar-flow-server (https://github.com/StuMason/polar-flow-server): the
// REST API under {base_url}/api/v1 that serves the Polar data it synced
// (sleep, activity, Nightly Recharge, exercises, cardio load, heart rate,
// SleepWise, biosensing) and the analytics it computes from them
// (baselines, anomalies, patterns, insights).
//
// # Setup
//
// The server has no default host: WithBaseURL is required. Data calls
// need an API key (WithAPIKey, sent as X-API-Key); syncing from Polar also
// needs the user's Polar access token (WithPolarToken, sent as
// X-Polar-Token with TriggerSync only). A user id must match
// ^[a-zA-Z0-9_-]{1,100}$ and days each endpoint's range (1 to 365, SleepWise
// 1 to 30); both are checked before anything is sent. There is no paging:
// a call takes a days window (rows dated on or after today - days, newest
// first).
//
// # What the server really sends
//
// The server's handlers return plain dicts, so its OpenAPI document has
// no response schemas, and its code (version 1.5.0) answers differently
// from its page in 28 places. Every model here decodes both forms:
// datetimes as "2026-01-11 07:30:00[.ffffff][+00:00]" or ISO 8601 with a
// "T" (ParseTime); ans_charge_status as an integer or a name
// (RechargeStatus); an exercise id as a UUID or a number (kept as text);
// SleepWise bedtimes as "HH:MM:SS" or full datetimes (TimeOfDay); health,
// sync, baseline-check, analytics-status and insights answers in either
// shape. Numbers the server may send as null are pointers; keys a model
// does not name are kept in its Extra map. A night, activity day, physical
// info or baseline that does not exist is an error matching
// wearkit.ErrNotFound, whether the server answered 404 or 200 null.
//
// # Errors and limits
//
// Errors are *wearkit.Error values whose text starts with "polar: " and
// carries the server's {status_code, detail, extra} body, validation
// details included; errors.Is matches wearkit.ErrUnauthorized (no key, a
// wrong one, or a key for another user), ErrBadRequest, ErrNotFound,
// ErrRateLimited, ErrServer and ErrSyncInProgress (a sync already running,
// 409). Database keys are limited per key (1000 an hour by default): the
// x-ratelimit-* figures of every answer are in the wearkit.Response that
// wearkit.CaptureResponse fills, and a 429 waits for the Retry-After the
// server names in its body (it sends no header), clamped by WithRetry,
// before it retries.
//
// # Offline
//
// Package polartest is a fake of the whole API over seeded users, with
// analytics computed by package analytics; the examples run against it.
package polar
