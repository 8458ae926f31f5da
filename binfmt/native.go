//go:build !purego

package binfmt

import (
	"encoding/binary"
	"unsafe"
)

// On little-endian machines the bytes of a 16- or 32-bit PCM sample and of
// a .hxd record are already the in-memory layout of int16, int32 and
// HXDRecord, so the bulk readers read straight into the caller's slice
// instead of through a buffer and a conversion loop. This is the only use
// of unsafe in the package; build with -tags purego to use the portable
// loops everywhere (they are also used on big-endian machines). The same
// tag leaves out the package's one assembly file, scale_amd64.s.

var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// Compile-time check: HXDRecord has no padding.
var _ [unsafe.Sizeof(HXDRecord{}) - HXDRecordSize]struct{}
var _ [HXDRecordSize - unsafe.Sizeof(HXDRecord{})]struct{}

// int16Bytes returns the memory of s as bytes, or nil when it cannot be
// used as little-endian samples.
func int16Bytes(s []int16) []byte {
	if !littleEndian || len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), 2*len(s))
}

// int32Bytes is int16Bytes for 32-bit samples.
func int32Bytes(s []int32) []byte {
	if !littleEndian || len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), 4*len(s))
}

// hxdBytes is int16Bytes for .hxd records.
func hxdBytes(s []HXDRecord) []byte {
	if !littleEndian || len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), HXDRecordSize*len(s))
}

// int16sOf returns the little-endian 16-bit samples in b as int16 values
// in place, or nil when they cannot be read so (big-endian host, b empty
// or not 2-byte aligned). The bulk reader converts them to float64 from
// there: a plain loop over int16 runs about 1.7x faster than one that
// assembles each sample from two bytes.
func int16sOf(b []byte) []int16 {
	if !littleEndian || len(b) < 2 || uintptr(unsafe.Pointer(&b[0]))%2 != 0 {
		return nil
	}
	return unsafe.Slice((*int16)(unsafe.Pointer(&b[0])), len(b)/2)
}
