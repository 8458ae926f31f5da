// Package rest is wearkit's one HTTP engine: the only code in the module that
// sends HTTP requests. Every vendor client (corsano, hexoskin, withings,
// polar, samples) is configured once with a [Config] and then describes each
// call as a [Request]; the engine resolves the URL, encodes the query with
// go-querystring and the body as JSON or a form, applies the vendor's
// credentials on every attempt (so signatures and refreshed tokens are fresh),
// waits on client-wide and per-key rate limiters, retries through
// go-retryablehttp, and turns every non-2xx answer into one [*Error] whose
// text never carries a secret.
//
// The request path, top to bottom:
//
//	vendor method -> Request -> Client.Do
//	  -> retryablehttp (CheckRetry, Backoff, context-aware waits)
//	    -> transport (auth per attempt, rate limit, redirect hygiene, log)
//	      -> the caller's http.RoundTripper
//	  <- status check -> *Error or decoded value
//
// Lists that come a page at a time become iter.Seq2 through [Pages].
package rest
