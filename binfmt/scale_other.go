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
