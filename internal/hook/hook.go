// Package hook holds the context keys the root package sets and the engine
// reads, so that neither has to export them.
package hook

// ResponseKey is the context key of the *wearkit.Response that
// wearkit.CaptureResponse asks the engine to fill.
type ResponseKey struct{}
