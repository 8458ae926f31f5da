// Package wearkittest holds what every fake vendor server is built from, and
// what users need to test their own programs against those fakes without an
// account: an httptest server on loopback (Start for tests, Serve for
// programs), a log of the requests it received, a script of faults to
// inject (statuses, Retry-After, delays, connection resets, truncated
// bodies), JSON helpers and an injectable clock.
//
// A fake is an http.Handler that speaks one vendor's API and enforces its
// rules; Start wraps it with the log and the fault script:
//
//	srv := wearkittest.Start(t, myFakeHandler)
//	srv.Faults.Push(wearkittest.Fault{Status: 503, RetryAfter: "1"})
//	// ... call srv.URL ...
//	require.Equal(t, 2, srv.Log.Len())
//
// # Physiology
//
// The fakes' data comes from one seeded, deterministic generator of a
// person (NewPerson): heart beats with beat-to-beat variability and
// respiratory sinus arrhythmia, heart rate following activity and a
// day/night rhythm, an ECG with P-QRS-T waves, breathing, movement, steps,
// sleep stages and daily summaries. Every value is a pure function of the
// seed and the time, so any span can be asked on its own and the same
// person looks alike across vendors.
package wearkittest
