//go:build !amd64 || purego

package binfmt

// scale16 stores the physical value of each sample of s in values
// (len(s) >= len(values)): float64(s[i])*gain, or float64(uint16(s[i]))*gain
// when the channel is unsigned.
func scale16(values []float64, s []int16, gain float64, signed bool) {
	s = s[:len(values)]
	if signed {
		for i, x := range s {
			values[i] = float64(x) * gain
		}
		return
	}
	for i, x := range s {
		values[i] = float64(uint16(x)) * gain
	}
}

// scaleHXD stores the physical value of each record of recs in values
// (len(recs) >= len(values)): float64(recs[i].Value)*gain.
func scaleHXD(values []float64, recs []HXDRecord, gain float64) {
	recs = recs[:len(values)]
	for i, r := range recs {
		values[i] = float64(r.Value) * gain
	}
}

// hxdKernels and hxdKernel name the conversion kernels on amd64; here
// there is the one loop above.
var (
	hxdKernels = []string{"go"}
	hxdKernel  = 0
)
