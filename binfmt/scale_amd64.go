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

// scaleHXDx4 (scale_amd64.s) stores float64(src[i].Value)*gain into dst[i]
// for the first len(dst) &^ 3 records, four at a time with SSE2, for CPUs
// without AVX-512. On the records in cache it converts at about 40 % of
// the speed of a copy() of the float64s, the scalar loop at 30 %.
//
//go:noescape
func scaleHXDx4(dst []float64, src []HXDRecord, gain float64)

// scaleHXDx8 (scale_amd64.s) is scaleHXDx4 eight at a time with AVX-512
// (VCVTQQ2PD converts int64 directly), at about 220 % of copy()'s speed:
// what lets ChannelReader.Read on .hxd reach half of copy() although the
// file's bytes must first be moved out of the io.Reader. Only called when
// hasAVX512DQ.
//
//go:noescape
func scaleHXDx8(dst []float64, src []HXDRecord, gain float64)

// cpuid and xgetbv0 (scale_amd64.s) run the instructions of that name;
// the standard library's CPU feature flags are internal.
func cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32)

func xgetbv0() (eax, edx uint32)

// hasAVX512DQ reports whether the CPU has AVX-512 F and DQ and the OS
// saves the ZMM registers. A variable so that tests run both kernels.
var hasAVX512DQ = detectAVX512DQ()

func detectAVX512DQ() bool {
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const osxsave = 1 << 27
	if ecx1&osxsave == 0 {
		return false
	}
	// XCR0: SSE, AVX, opmask, ZMM0-15 upper halves, ZMM16-31.
	const zmmState = 1<<1 | 1<<2 | 1<<5 | 1<<6 | 1<<7
	if xcr0, _ := xgetbv0(); xcr0&zmmState != zmmState {
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	const avx512f, avx512dq = 1 << 16, 1 << 17
	return ebx7&(avx512f|avx512dq) == avx512f|avx512dq
}

// scaleHXD stores the physical value of each record of recs in values
// (len(recs) >= len(values)): float64(recs[i].Value)*gain, bit for bit
// what the scalar loop gives.
func scaleHXD(values []float64, recs []HXDRecord, gain float64) {
	recs = recs[:len(values)]
	done := len(values) &^ 3
	if hasAVX512DQ {
		scaleHXDx8(values, recs, gain)
		done = len(values) &^ 7
	} else {
		scaleHXDx4(values, recs, gain)
	}
	for i := done; i < len(values); i++ {
		values[i] = float64(recs[i].Value) * gain
	}
}
