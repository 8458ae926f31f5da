package binfmt

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"io/fs"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/wearkit/wearkit/internal/hexofile"
)

func formatError(t testing.TB, err error) *FormatError {
	t.Helper()
	var fe *FormatError
	if !errors.As(err, &fe) {
		t.Fatalf("error %v (%T) is not a *FormatError", err, err)
	}
	return fe
}

// wavSpec describes a WAV fixture.
type wavSpec struct {
	rate       uint32
	channels   int
	bits       int
	extensible bool
	riffSize   *uint32  // nil: correct
	dataSize   *uint32  // nil: the real size
	before     [][]byte // extra chunks (id+size+body, already padded) before fmt
	between    [][]byte // extra chunks between fmt and data
	samples    []int32  // interleaved
	trailing   []byte   // bytes after the samples
}

func u32(v uint32) *uint32 { return &v }

// chunk builds a RIFF chunk with its pad byte.
func chunk(id string, body []byte) []byte {
	b := append([]byte(id), 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(b[4:], uint32(len(body)))
	b = append(b, body...)
	if len(body)%2 == 1 {
		b = append(b, 0)
	}
	return b
}

func (s wavSpec) bytes() []byte {
	if s.channels == 0 {
		s.channels = 1
	}
	if s.bits == 0 {
		s.bits = 16
	}
	le := binary.LittleEndian
	var data []byte
	for _, v := range s.samples {
		if s.bits == 16 {
			data = le.AppendUint16(data, uint16(v))
		} else {
			data = le.AppendUint32(data, uint32(v))
		}
	}
	align := s.channels * s.bits / 8
	var fmtBody []byte
	tag := uint16(wavFormatPCM)
	if s.extensible {
		tag = wavFormatExtensible
	}
	fmtBody = le.AppendUint16(fmtBody, tag)
	fmtBody = le.AppendUint16(fmtBody, uint16(s.channels))
	fmtBody = le.AppendUint32(fmtBody, s.rate)
	fmtBody = le.AppendUint32(fmtBody, s.rate*uint32(align))
	fmtBody = le.AppendUint16(fmtBody, uint16(align))
	fmtBody = le.AppendUint16(fmtBody, uint16(s.bits))
	if s.extensible {
		fmtBody = le.AppendUint16(fmtBody, 22)
		fmtBody = le.AppendUint16(fmtBody, uint16(s.bits))
		fmtBody = le.AppendUint32(fmtBody, 0) // channel mask
		fmtBody = le.AppendUint16(fmtBody, wavFormatPCM)
		fmtBody = append(fmtBody, pcmSubFormatTail[:]...)
	}
	var body []byte
	body = append(body, "WAVE"...)
	for _, c := range s.before {
		body = append(body, c...)
	}
	body = append(body, chunk("fmt ", fmtBody)...)
	for _, c := range s.between {
		body = append(body, c...)
	}
	ds := uint32(len(data))
	if s.dataSize != nil {
		ds = *s.dataSize
	}
	body = append(body, "data"...)
	body = le.AppendUint32(body, ds)
	body = append(body, data...)
	body = append(body, s.trailing...)
	out := []byte("RIFF")
	rs := uint32(len(body))
	if s.riffSize != nil {
		rs = *s.riffSize
	}
	out = le.AppendUint32(out, rs)
	return append(out, body...)
}

// mono16 is a 16-bit mono WAV with the given rate and samples.
func mono16(rate uint32, samples ...int32) []byte {
	return wavSpec{rate: rate, samples: samples}.bytes()
}

func zipOf(t testing.TB, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range files {
		w, err := zw.Create(name)
		require.NoError(t, err)
		_, err = w.Write(data)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func mapFS(files map[string][]byte) fstest.MapFS {
	m := fstest.MapFS{}
	for name, data := range files {
		m[name] = &fstest.MapFile{Data: data, Mode: 0o444}
	}
	return m
}

// infoJSON is an info.json like the dashboard's, start 2016-09-15T17:24:47.00390625Z.
const infoJSON = `{"timestamp": 1473960287.0039062, "request": "/api/v1/data/?record=1", "start": 377333833473,
 "user": 7665, "decoder_version": "0.5.3", "start_date": "2016-09-15T17:24:47.003906",
 "algo": {"record_id": 1, "algorithms": {"ecg": "2.1.0"}}}`

func collect(t testing.TB, r *Record, name string) ([]Sample, error) {
	t.Helper()
	var out []Sample
	for s, err := range r.Samples(name) {
		if err != nil {
			return out, err
		}
		out = append(out, s)
	}
	return out, nil
}

// synthFS is a record folder with one generated WAV channel whose bytes
// are computed on the fly, so that a 24 h channel costs no memory.
type synthFS struct {
	name    string
	rate    uint32
	samples int64
}

func (s synthFS) size() int64 { return 44 + 2*s.samples }

func (s synthFS) Open(name string) (fs.File, error) {
	if name == "." {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if name != s.name {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	f := &synthFile{s: s}
	f.hdr = hexofile.AppendWAVHeader(f.hdrBuf[:0], s.rate, 1, 16, uint32(2*s.samples))
	return f, nil
}

func (s synthFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if name != "." {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	return []fs.DirEntry{fs.FileInfoToDirEntry(synthInfo{s})}, nil
}

type synthInfo struct{ s synthFS }

func (i synthInfo) Name() string       { return i.s.name }
func (i synthInfo) Size() int64        { return i.s.size() }
func (i synthInfo) Mode() fs.FileMode  { return 0o444 }
func (i synthInfo) ModTime() time.Time { return time.Time{} }
func (i synthInfo) IsDir() bool        { return false }
func (i synthInfo) Sys() any           { return nil }

type synthFile struct {
	s      synthFS
	hdrBuf [44]byte
	hdr    []byte
	pos    int64
}

// synthSample is the value of sample i of a synthFS channel.
func synthSample(i int64) int16 { return int16(i*31 - 1000) }

func (f *synthFile) Stat() (fs.FileInfo, error) { return synthInfo{f.s}, nil }
func (f *synthFile) Close() error               { return nil }
func (f *synthFile) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) && f.pos < f.s.size() {
		if f.pos < 44 {
			p[n] = f.hdr[f.pos]
		} else {
			d := f.pos - 44
			v := uint16(synthSample(d / 2))
			p[n] = byte(v >> (8 * (d & 1)))
		}
		n++
		f.pos++
	}
	if n == 0 && len(p) > 0 {
		return 0, io.EOF
	}
	return n, nil
}

// appendHXD appends the .hxd encoding of recs to dst.
func appendHXD(dst []byte, recs ...HXDRecord) []byte {
	for _, r := range recs {
		dst = hexofile.AppendHXD(dst, r.Offset, r.Value)
	}
	return dst
}

func openZipBytes(z []byte) (*Record, error) {
	return OpenZip(bytes.NewReader(z), int64(len(z)))
}
