// Package hexofile writes Hexoskin's binary files (.hxd records and WAV
// headers) for tests and fixture builders inside the module. It is not
// a decoder and imports nothing of the module, so binfmt's own tests and
// the hexoskin fake can both use it without an import cycle.
package hexofile

import "encoding/binary"

// HXDRecordSize is the size in bytes of one .hxd record.
const HXDRecordSize = 16

// AppendHXD appends one .hxd record, a little-endian uint64 offset (ticks
// of 1/256 s from the record start) and int64 value, to dst.
func AppendHXD(dst []byte, offset uint64, value int64) []byte {
	dst = binary.LittleEndian.AppendUint64(dst, offset)
	return binary.LittleEndian.AppendUint64(dst, uint64(value))
}

// AppendWAVHeader appends a plain 44-byte PCM WAV header (RIFF, "fmt ",
// "data") to dst, with a correct RIFF size, for dataSize bytes of samples
// to be written after it.
func AppendWAVHeader(dst []byte, sampleRate uint32, channels, bitsPerSample int, dataSize uint32) []byte {
	le := binary.LittleEndian
	align := channels * bitsPerSample / 8
	dst = append(dst, "RIFF"...)
	dst = le.AppendUint32(dst, 36+dataSize)
	dst = append(dst, "WAVEfmt "...)
	dst = le.AppendUint32(dst, 16)
	dst = le.AppendUint16(dst, 1) // PCM
	dst = le.AppendUint16(dst, uint16(channels))
	dst = le.AppendUint32(dst, sampleRate)
	dst = le.AppendUint32(dst, sampleRate*uint32(align))
	dst = le.AppendUint16(dst, uint16(align))
	dst = le.AppendUint16(dst, uint16(bitsPerSample))
	dst = append(dst, "data"...)
	return le.AppendUint32(dst, dataSize)
}
