// Package withings is a typed client for the Withings API (formerly Nokia
// Health): OAuth2 that never loses a user, measures, activity, intraday
// activity, workouts, sleep, heart (ECG and blood pressure), devices,
// notification subscriptions and a webhook handler.
//
// # Tokens
//
// Withings rotates refresh tokens: every refresh returns a new one and the
// old one dies as soon as the new access token is used. A client that
// loses the new refresh token (a crash before saving it, two refreshes
// racing, a failed refresh written over the stored token) loses the user,
// who must authorize again. Config.TokenSource is built on
// wearkit.StoredTokenSource so none of that can happen: one refresh
// however many goroutines need it, and, with wearkit.NewFileTokenStore,
// however many processes share the file; the new token saved before
// anything uses it; a failed save keeps the new token aside and retries
// the save, not the refresh; a failed refresh leaves the store alone; a
// refused refresh token reloads the store first. When the API refuses a
// token it had not expired (status 401), the client refreshes once and
// sends the call again.
//
// Config speaks today's token endpoint (POST /v2/oauth2 with
// action=requesttoken, answers wrapped in {"status","body"}) by default,
// and a flat RFC 6749 endpoint with Style TokenStandard. An authorization
// code lives 30 seconds: a late exchange fails with ErrInvalidCode.
//
// # Errors and limits
//
// Withings answers errors with HTTP 200 and a non-zero status. Every call
// checks it and returns a *wearkit.Error with the status in Code, the
// API's text in Message and the class (ClassOf) that errors.Is matches:
// wearkit.ErrUnauthorized, wearkit.ErrRateLimited, wearkit.ErrNotFound,
// ... Status 601 (too many requests) is retried after body.wait_seconds
// (capped by WithMaxWait) or, without it, after a backoff. The API allows
// 120 requests a minute per application: each client has a limiter at
// that rate unless WithLimiter gives one, which an application serving
// many users shares among all their clients.
//
// # Time, windows and paging
//
// Times are time.Time; date-only arguments are a Date, never a silent
// "today". getintradayactivity and sleep get cover at most 24 hours per
// call and getsummary 7 days: IntradayActivity, Sleep and SleepSummaries
// split longer ranges themselves. Paged calls have a XxxPage method and an
// iterating one (iter.Seq2) that follows "offset" while "more" is true or
// 1. SyncMeasures returns the cursor of an incremental sync.
//
// # Notifications
//
// Subscribe checks the callback URL against Withings' rules before sending
// it (CheckCallbackURL), lists first so that repeating it is harmless, and
// spaces subscription changes. WebhookHandler answers Withings' HEAD check,
// parses notifications and hands them to a callback off the request path.
//
// The withingstest package is a fake of the API for tests and examples.
package withings
