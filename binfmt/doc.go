// Package binfmt decodes what Hexoskin hands out as binary: the zip of
// /api/data/ (Accept: application/octet-stream) and the dashboard's record
// exports, a folder (or zip) with info.json, one WAV file per synchronous
// channel and one .hxd or legacy CSV file per asynchronous channel.
//
// It has three layers:
//
//   - Streaming decoders: NewWAVReader (RIFF/WAVE, PCM or
//     WAVE_FORMAT_EXTENSIBLE-PCM, 16- or 32-bit, any number of channels)
//     and NewHXDReader (16-byte records of a uint64 offset in 1/256 s and
//     an int64 value). Both read from an io.Reader through one fixed
//     buffer, decode into caller-provided slices and never allocate from a
//     length found in the input.
//   - The channel table (LookupChannel, LookupDatatype, KnownChannels):
//     for every file name Hexoskin writes, its datatype id (int64), unit,
//     rate, time offset (dt_offset), gain and signedness, kept per decoder version
//     (DefaultDecoderVersion is 0.5.3). Unknown files still decode, with
//     raw values and the header's rate.
//   - Records: OpenRecord (any fs.FS) and OpenZip read info.json when
//     present, list the channels (by name, or by datatype id with
//     ChannelByDatatype) and iterate one channel as Samples (seconds from
//     the record start, physical value), the numbers Hexoskin's own
//     converter writes. OpenChannel gives the same numbers in bulk: a
//     ChannelReader fills the caller's []float64 slices chunk by chunk, at
//     memory speed, for numerical work. WriteCSV and CSVWriter write them
//     in the converter's CSV layout.
//
// Units: RR and NN intervals are returned in seconds, whether they come
// from a .hxd file (raw 1/256 s times the gain 1/256) or from a legacy CSV
// (written either in 1/256 s, "[s/256]", which is converted, or in
// seconds). A legacy CSV's leading RR row of 0 is dropped.
//
// Time: Sample.Seconds is relative to the record start. Record.Start comes
// from info.json; an archive without info.json (the /api/data/ zip may
// carry none) has the zero Start until SetStart is called.
//
// Errors in the input are *FormatError values naming the file and byte
// offset; an input that ends early wraps io.ErrUnexpectedEOF. Decoders never
// panic on bad input; this is checked by the fuzz targets FuzzWAVReader,
// FuzzHXDReader and FuzzOpenZip.
//
// The package imports no vendor package and no network code.
package binfmt
