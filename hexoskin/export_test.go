package hexoskin

// SetMemoryZipLimit changes the in-memory limit of DataRecord for a test and
// returns a function restoring it.
func SetMemoryZipLimit(n int64) func() {
	old := memoryZipLimit
	memoryZipLimit = n
	return func() { memoryZipLimit = old }
}

// Window is one planned /api/data/ call's span.
type Window = window

// Unexported machinery the tests drive directly.
var (
	DecodeData      = decodeData
	PlanDataWindows = planDataWindows
	DataWindowTicks = dataWindowTicks
)
