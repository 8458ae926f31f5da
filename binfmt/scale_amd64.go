//go:build amd64 && !purego

package binfmt

// scaleInt16x4 and scaleUint16x4 (scale_amd64.s) store s[i]*gain into
// dst[i] for the first len(dst) &^ 3 samples, four at a time with SSE2.
// A scalar loop cannot keep up with copy(): the int-to-float conversion
// alone holds it to about 40 % of a copy of the same float64s.
//
//go:noescape
func scaleInt16x4(dst []float64, src []int16, gain float64)

//go:noescape
func scaleUint16x4(dst []float64, src []int16, gain float64)

// scale16 stores the physical value of each sample of s in values
// (len(s) >= len(values)): float64(s[i])*gain, or float64(uint16(s[i]))*gain
// when the channel is unsigned, bit for bit what the scalar loop gives.
func scale16(values []float64, s []int16, gain float64, signed bool) {
	s = s[:len(values)]
	done := len(values) &^ 3
	if signed {
		scaleInt16x4(values, s, gain)
		for i := done; i < len(values); i++ {
			values[i] = float64(s[i]) * gain
		}
		return
	}
	scaleUint16x4(values, s, gain)
	for i := done; i < len(values); i++ {
		values[i] = float64(uint16(s[i])) * gain
	}
}
