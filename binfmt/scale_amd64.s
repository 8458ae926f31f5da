//go:build amd64 && !purego

#include "textflag.h"

// SSE2 (every amd64 CPU has it): four 16-bit samples per iteration are
// widened to int32, converted to float64 (exact) and multiplied by the
// gain with the same IEEE rounding as the scalar loop.

// func scaleInt16x4(dst []float64, src []int16, gain float64)
// Converts len(dst) &^ 3 samples; len(src) >= len(dst).
TEXT ·scaleInt16x4(SB), NOSPLIT, $0-56
	MOVQ     dst_base+0(FP), DI
	MOVQ     dst_len+8(FP), CX
	MOVQ     src_base+24(FP), SI
	MOVSD    gain+48(FP), X7
	UNPCKLPD X7, X7
	SHRQ     $2, CX
	JZ       sdone

sloop:
	MOVQ      (SI), X0
	PUNPCKLWL X0, X0       // each word twice: the high copy carries the sign
	PSRAL     $16, X0      // four sign-extended int32
	CVTPL2PD  X0, X1
	PSHUFD    $0xEE, X0, X2
	CVTPL2PD  X2, X3
	MULPD     X7, X1
	MULPD     X7, X3
	MOVUPD    X1, (DI)
	MOVUPD    X3, 16(DI)
	ADDQ      $8, SI
	ADDQ      $32, DI
	DECQ      CX
	JNZ       sloop

sdone:
	RET

// func scaleUint16x4(dst []float64, src []int16, gain float64)
// As scaleInt16x4, the samples read as unsigned.
TEXT ·scaleUint16x4(SB), NOSPLIT, $0-56
	MOVQ     dst_base+0(FP), DI
	MOVQ     dst_len+8(FP), CX
	MOVQ     src_base+24(FP), SI
	MOVSD    gain+48(FP), X7
	UNPCKLPD X7, X7
	PXOR     X6, X6
	SHRQ     $2, CX
	JZ       udone

uloop:
	MOVQ      (SI), X0
	PUNPCKLWL X6, X0       // each word zero-extended to 32 bits
	CVTPL2PD  X0, X1
	PSHUFD    $0xEE, X0, X2
	CVTPL2PD  X2, X3
	MULPD     X7, X1
	MULPD     X7, X3
	MOVUPD    X1, (DI)
	MOVUPD    X3, 16(DI)
	ADDQ      $8, SI
	ADDQ      $32, DI
	DECQ      CX
	JNZ       uloop

udone:
	RET

// func scaleHXDx4(dst []float64, src []HXDRecord, gain float64)
// Stores float64(src[i].Value)*gain into dst[i] for the first
// len(dst) &^ 3 records; len(src) >= len(dst). SSE2 has no int64 to
// float64 conversion, so each value is split into its signed high and
// unsigned low 32 bits, both converted exactly (hi*2^32 by CVTPL2PD and
// a multiplication by a power of two, lo as the low mantissa bits of
// 2^52 minus 2^52); their sum is rounded once, which is what CVTSQ2SD
// does: the result is float64(v) to the bit over the whole int64 range.
TEXT ·scaleHXDx4(SB), NOSPLIT, $0-56
	MOVQ     dst_base+0(FP), DI
	MOVQ     dst_len+8(FP), CX
	MOVQ     src_base+24(FP), SI
	MOVSD    gain+48(FP), X7
	UNPCKLPD X7, X7
	MOVQ     $0x41F0000000000000, AX // 2^32
	MOVQ     AX, X6
	UNPCKLPD X6, X6
	MOVQ     $0x4330000000000000, AX // 2^52
	MOVQ     AX, X5
	UNPCKLPD X5, X5
	PCMPEQL  X4, X4
	PSRLQ    $32, X4                 // 0x00000000FFFFFFFF in each lane
	SHRQ     $2, CX
	JZ       hdone

hloop:
	MOVSD    8(SI), X0               // values of records 0 and 1
	MOVHPD   24(SI), X0
	MOVSD    40(SI), X1              // values of records 2 and 3
	MOVHPD   56(SI), X1
	PSHUFD   $0xDD, X0, X2           // high halves, signed, to the low two dwords
	PSHUFD   $0xDD, X1, X3
	CVTPL2PD X2, X2
	CVTPL2PD X3, X3
	MULPD    X6, X2                  // hi * 2^32, exact
	MULPD    X6, X3
	PAND     X4, X0                  // low halves, unsigned
	PAND     X4, X1
	POR      X5, X0                  // 2^52 + lo, exact
	POR      X5, X1
	SUBPD    X5, X0                  // lo, exact
	SUBPD    X5, X1
	ADDPD    X2, X0                  // hi*2^32 + lo, rounded once
	ADDPD    X3, X1
	MULPD    X7, X0
	MULPD    X7, X1
	MOVUPD   X0, (DI)
	MOVUPD   X1, 16(DI)
	ADDQ     $64, SI
	ADDQ     $32, DI
	DECQ     CX
	JNZ      hloop

hdone:
	RET

// Qword indexes of the eight values in two registers of four records.
DATA hxdValueIdx<>+0(SB)/8, $1
DATA hxdValueIdx<>+8(SB)/8, $3
DATA hxdValueIdx<>+16(SB)/8, $5
DATA hxdValueIdx<>+24(SB)/8, $7
DATA hxdValueIdx<>+32(SB)/8, $9
DATA hxdValueIdx<>+40(SB)/8, $11
DATA hxdValueIdx<>+48(SB)/8, $13
DATA hxdValueIdx<>+56(SB)/8, $15
GLOBL hxdValueIdx<>(SB), RODATA|NOPTR, $64

// func scaleHXDx8(dst []float64, src []HXDRecord, gain float64)
// As scaleHXDx4 for the first len(dst) &^ 7 records, eight at a time with
// AVX-512F/DQ (the caller checks the CPU): VPERMT2Q gathers the values of
// eight records, VCVTQQ2PD converts them as CVTSQ2SD does, one rounding
// under the same MXCSR.
TEXT ·scaleHXDx8(SB), NOSPLIT, $0-56
	MOVQ         dst_base+0(FP), DI
	MOVQ         dst_len+8(FP), CX
	MOVQ         src_base+24(FP), SI
	VBROADCASTSD gain+48(FP), Z7
	VMOVDQU64    hxdValueIdx<>(SB), Z6
	SHRQ         $3, CX
	JZ           zdone

zloop:
	VMOVDQU64 (SI), Z0
	VPERMT2Q  64(SI), Z6, Z0
	VCVTQQ2PD Z0, Z0
	VMULPD    Z7, Z0, Z0
	VMOVUPD   Z0, (DI)
	ADDQ      $128, SI
	ADDQ      $64, DI
	DECQ      CX
	JNZ       zloop

zdone:
	VZEROUPPER
	RET

// func scaleHXDAVX2x8(dst []float64, src []HXDRecord, gain float64) (ok bool)
// As scaleHXDx4 for the first len(dst) &^ 7 records, eight at a time with
// AVX2, for values in [-2^51, 2^51) (every real .hxd value): v + M, M the
// bits of 1.5*2^52, is the float64 1.5*2^52 + v, and subtracting 1.5*2^52
// leaves v exactly. It reports whether every value was in range: the top
// 12 bits of each v + M must be 0x433, checked on the AND and the OR of
// all of them; when not, the caller converts the records again.
TEXT ·scaleHXDAVX2x8(SB), NOSPLIT, $0-57
	MOVQ         dst_base+0(FP), DI
	MOVQ         dst_len+8(FP), CX
	MOVQ         src_base+24(FP), SI
	VBROADCASTSD gain+48(FP), Y7
	MOVQ         $0x4338000000000000, AX // M
	MOVQ         AX, X6
	VPBROADCASTQ X6, Y6
	VPCMPEQQ     Y4, Y4, Y4              // AND of all v + M
	VPXOR        Y5, Y5, Y5              // OR of all v + M
	SHRQ         $3, CX
	JZ           ydone

yloop:
	VMOVDQU      (SI), Y0                // records 0 and 1
	VSHUFPD      $15, 32(SI), Y0, Y0     // values 0, 2, 1, 3 (with records 2 and 3)
	VPERMQ       $0xD8, Y0, Y0           // values 0, 1, 2, 3
	VMOVDQU      64(SI), Y2              // records 4 to 7 likewise
	VSHUFPD      $15, 96(SI), Y2, Y2
	VPERMQ       $0xD8, Y2, Y2
	VPADDQ       Y6, Y0, Y0
	VPADDQ       Y6, Y2, Y2
	VPAND        Y0, Y4, Y4
	VPAND        Y2, Y4, Y4
	VPOR         Y0, Y5, Y5
	VPOR         Y2, Y5, Y5
	VSUBPD       Y6, Y0, Y0
	VSUBPD       Y6, Y2, Y2
	VMULPD       Y7, Y0, Y0
	VMULPD       Y7, Y2, Y2
	VMOVUPD      Y0, (DI)
	VMOVUPD      Y2, 32(DI)
	ADDQ         $128, SI
	ADDQ         $64, DI
	DECQ         CX
	JNZ          yloop

ydone:
	VPXOR        Y6, Y4, Y4
	VPXOR        Y6, Y5, Y5
	VPOR         Y4, Y5, Y5
	VPSRLQ       $52, Y5, Y5
	VPTEST       Y5, Y5
	SETEQ        ok+56(FP)
	VZEROUPPER
	RET

// func cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL leaf+0(FP), AX
	MOVL sub+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv0() (eax, edx uint32)
TEXT ·xgetbv0(SB), NOSPLIT, $0-8
	MOVL   $0, CX
	XGETBV
	MOVL   AX, eax+0(FP)
	MOVL   DX, edx+4(FP)
	RET
