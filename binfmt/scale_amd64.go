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
// for the first len(dst) &^ 3 records, four at a time with SSE2, over the
// whole int64 range. On records in cache it converts at about 40 % of the
// speed of a copy() of the float64s, the scalar loop at 30 %.
//
//go:noescape
func scaleHXDx4(dst []float64, src []HXDRecord, gain float64)

// scaleHXDAVX2x8 (scale_amd64.s) is scaleHXDx4 eight at a time with AVX2
// for values in [-2^51, 2^51); it reports false when a value was outside.
//
//go:noescape
func scaleHXDAVX2x8(dst []float64, src []HXDRecord, gain float64) (ok bool)

// scaleHXDx8 (scale_amd64.s) is scaleHXDx4 eight at a time with AVX-512
// (VCVTQQ2PD converts int64 directly), at about 220 % of copy()'s speed:
// what lets ChannelReader.Read on .hxd reach half of copy() although the
// file's bytes must first be moved out of the io.Reader.
//
//go:noescape
func scaleHXDx8(dst []float64, src []HXDRecord, gain float64)

// cpuid and xgetbv0 (scale_amd64.s) run the instructions of that name;
// the standard library's CPU feature flags are internal.
func cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32)

func xgetbv0() (eax, edx uint32)

// hxdKernels names the .hxd conversion kernels this CPU runs, narrowest
// first; scaleHXD runs hxdKernels[hxdKernel], the widest. Variables so
// that tests and benchmarks run each.
var (
	hxdKernels = []string{"sse2", "avx2", "avx512"}[:cpuLevel()+1]
	hxdKernel  = len(hxdKernels) - 1
)

// cpuLevel is 2 when the CPU has AVX-512 F and DQ, 1 when it has AVX2, 0
// otherwise, each only when the OS saves the registers it needs.
func cpuLevel() int {
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return 0
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const osxsave, avx = 1 << 27, 1 << 28
	if ecx1&(osxsave|avx) != osxsave|avx {
		return 0
	}
	xcr0, _ := xgetbv0()
	_, ebx7, _, _ := cpuid(7, 0)
	// XCR0: SSE and AVX state; then opmask, ZMM0-15 upper halves, ZMM16-31.
	const ymmState, zmmState = 1<<1 | 1<<2, 1<<5 | 1<<6 | 1<<7
	const avx2, avx512f, avx512dq = 1 << 5, 1 << 16, 1 << 17
	if xcr0&ymmState != ymmState || ebx7&avx2 == 0 {
		return 0
	}
	if xcr0&zmmState != zmmState || ebx7&(avx512f|avx512dq) != avx512f|avx512dq {
		return 1
	}
	return 2
}

// scaleHXD stores the physical value of each record of recs in values
// (len(recs) >= len(values)): float64(recs[i].Value)*gain, bit for bit
// what the scalar loop gives.
func scaleHXD(values []float64, recs []HXDRecord, gain float64) {
	recs = recs[:len(values)]
	done := len(values) &^ 3
	switch hxdKernel {
	case 2:
		scaleHXDx8(values, recs, gain)
		done = len(values) &^ 7
	case 1:
		if scaleHXDAVX2x8(values, recs, gain) {
			done = len(values) &^ 7
			break
		}
		scaleHXDx4(values, recs, gain)
	default:
		scaleHXDx4(values, recs, gain)
	}
	for i := done; i < len(values); i++ {
		values[i] = float64(recs[i].Value) * gain
	}
}
