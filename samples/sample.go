package samples

import (
	"strconv"
	"time"
)

// DataType says what a batch of samples measures. It is an open enum: a
// value the package does not know keeps its raw text and String says so.
type DataType string

// The data types the API accepts.
const (
	// Steps counts steps; its samples use the unit Count.
	Steps DataType = "steps"
	// BPM is heart rate; its samples use CountPerMinute (or CountPerSecond).
	BPM DataType = "bpm"
)

// Known reports whether d is one of the data types the API accepts.
func (d DataType) Known() bool { return d == Steps || d == BPM }

// String returns the API's name, or says the value is unknown.
func (d DataType) String() string {
	if d.Known() {
		return string(d)
	}
	return "DataType(" + strconv.Quote(string(d)) + ", unknown)"
}

// Unit is a sample's unit. It is an open enum like DataType.
type Unit string

// The units the API accepts.
const (
	// Count is a plain count (steps in the sample's span), at most 30000.
	Count Unit = "count"
	// CountPerMinute is a rate per minute (heart rate in bpm), at most 300.
	CountPerMinute Unit = "count/min"
	// CountPerSecond is a rate per second.
	CountPerSecond Unit = "count/s"
)

// Known reports whether u is one of the units the API accepts.
func (u Unit) Known() bool { return u == Count || u == CountPerMinute || u == CountPerSecond }

// String returns the API's name, or says the value is unknown.
func (u Unit) String() string {
	if u.Known() {
		return string(u)
	}
	return "Unit(" + strconv.Quote(string(u)) + ", unknown)"
}

// Sample is one data point sent to GeroSense: a step count over a span, or
// a heart rate at a moment (End zero) or over a span.
type Sample struct {
	// DeviceName identifies the device ("iPhone", "Apple Watch"); required.
	// Checkpoints are kept per device name.
	DeviceName string
	// DeviceVersion is the device's or firmware's version; optional.
	DeviceVersion string
	// Start is when the sample begins; required. It is sent with
	// millisecond precision in its own zone's offset, so keep the
	// Location the device recorded it in.
	Start time.Time
	// End is when the sample ends; zero leaves end_date out. It must not be
	// before Start.
	End time.Time
	// Unit is the value's unit; it must fit the data type (see Validate).
	Unit Unit
	// Value is the measurement: finite, above 0, at most 30000 for Count
	// and 300 for CountPerMinute.
	Value float64
}
