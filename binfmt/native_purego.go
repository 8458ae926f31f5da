//go:build purego

package binfmt

// The portable build decodes through a buffer and binary.LittleEndian.

func int16Bytes([]int16) []byte   { return nil }
func int32Bytes([]int32) []byte   { return nil }
func hxdBytes([]HXDRecord) []byte { return nil }
func int16sOf([]byte) []int16     { return nil }
