package binfmt

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"math"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxInfoSize bounds how much of info.json is read.
const maxInfoSize = 64 << 10

// maxCSVLine bounds the length of one legacy CSV line.
const maxCSVLine = 4 << 10

// Sample is one value of a channel.
type Sample struct {
	// Seconds is the time from the record start.
	Seconds float64
	// Value is the physical value (raw value times the channel's gain).
	Value float64
}

// Info holds the fields of a record export's info.json.
type Info struct {
	// Start is the record start as a HexoTimestamp (1/256 s since the Unix epoch).
	Start int64
	// Timestamp is the record start in Unix seconds.
	Timestamp float64
	// StartDate is the record start as written by Hexoskin (UTC, no zone).
	StartDate string
	// User is the user id (or URI) as written.
	User string
	// DecoderVersion is the version of Hexoskin's decoder that made the export.
	DecoderVersion string
	// Request is the API request that made the export.
	Request string
	// Algo holds the "algo" object as raw JSON.
	Algo json.RawMessage
}

// ChannelInfo describes one channel file of a record.
type ChannelInfo struct {
	// ChannelSpec holds the channel table row; for an unknown file it holds
	// the name, Gain 1, Signed true for WAV, and what the file itself says.
	ChannelSpec
	// Known reports whether the file name is in the channel table.
	Known bool
	// File is the path of the file inside the record.
	File string
	// Format is "wav", "hxd" or "csv".
	Format string
	// HeaderRate is the sample-rate field of the WAV header (the period in
	// seconds for channels below 1 Hz).
	HeaderRate float64
	// NumChannels and BitsPerSample come from the WAV header.
	NumChannels, BitsPerSample int
	// Count is the number of samples (WAV, from the data size and file
	// size) or records (.hxd); -1 when unknown (legacy CSV).
	Count int64
	// Size is the file size in bytes, -1 when unknown.
	Size int64
	// Err is set when the file's header could not be read; Samples on the
	// channel yields it.
	Err error

	csvScale float64 // legacy CSV: factor applied to the value column
	period   float64 // WAV: >0 when the header holds the period, not the rate
}

// Record is one Hexoskin record export: a folder or zip with info.json,
// one WAV per synchronous channel and one .hxd or legacy CSV per
// asynchronous channel.
type Record struct {
	fsys     fs.FS
	info     Info
	hasInfo  bool
	version  string
	start    time.Time
	channels []ChannelInfo
	byName   map[string]int
	byID     map[int64]int
}

// OpenRecord opens a record export held in fsys (for example os.DirFS of
// the export folder). It reads info.json when present and the header of
// every channel file; a channel whose header cannot be read is still
// listed, with ChannelInfo.Err set. When the files sit in a single
// sub-folder, that folder is used (a __MACOSX or dot-folder beside it does
// not count).
//
// Without info.json, Start is the zero time (see SetStart) and the
// channel table of DefaultDecoderVersion is used.
func OpenRecord(fsys fs.FS) (*Record, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("binfmt: reading record folder: %w", err)
	}
	if !hasChannelFiles(entries) {
		var dirs []string
		for _, e := range entries {
			// Archivers add folders of their own (macOS Finder's __MACOSX,
			// dot-folders): they are not the record.
			if e.IsDir() && e.Name() != "__MACOSX" && !strings.HasPrefix(e.Name(), ".") {
				dirs = append(dirs, e.Name())
			}
		}
		if len(dirs) == 1 {
			sub, err := fs.Sub(fsys, dirs[0])
			if err != nil {
				return nil, fmt.Errorf("binfmt: opening %s: %w", dirs[0], err)
			}
			if e2, err := fs.ReadDir(sub, "."); err == nil {
				fsys, entries = sub, e2
			}
		}
	}
	r := &Record{fsys: fsys, byName: map[string]int{}}
	if err := r.readInfo(); err != nil {
		return nil, err
	}
	_, r.version = tableFor(r.info.DecoderVersion)
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		r.addChannel(e.Name())
	}
	sort.Slice(r.channels, func(i, j int) bool { return r.channels[i].Name < r.channels[j].Name })
	r.byID = map[int64]int{}
	for i, c := range r.channels {
		r.byName[c.Name] = i
		if c.DatatypeID == 0 {
			continue
		}
		if _, dup := r.byID[c.DatatypeID]; !dup || c.Name == tableName(c.DatatypeID, r.version) {
			r.byID[c.DatatypeID] = i
		}
	}
	return r, nil
}

// OpenZip opens a record export held in a zip archive, such as the answer
// of /api/data/ with Accept: application/octet-stream or a zipped dashboard
// export. See OpenRecord.
func OpenZip(ra io.ReaderAt, size int64) (*Record, error) {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return nil, &FormatError{File: "zip", Msg: "not a readable zip archive", Err: err}
	}
	return OpenRecord(zr)
}

func hasChannelFiles(entries []fs.DirEntry) bool {
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		switch strings.ToLower(path.Ext(e.Name())) {
		case ".wav", ".hxd":
			return true
		}
		if e.Name() == "info.json" {
			return true
		}
	}
	return false
}

func (r *Record) readInfo() error {
	f, err := r.fsys.Open("info.json")
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return &FormatError{File: "info.json", Msg: "cannot open", Err: err}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxInfoSize+1))
	if err != nil {
		return &FormatError{File: "info.json", Offset: int64(len(data)), Msg: "read failed", Err: err}
	}
	if len(data) > maxInfoSize {
		return &FormatError{File: "info.json", Offset: maxInfoSize, Msg: "larger than 64 KiB"}
	}
	info, err := parseInfo(data)
	if err != nil {
		var off int64
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			off = se.Offset
		case errors.As(err, &te):
			off = te.Offset
		}
		return &FormatError{File: "info.json", Offset: off, Msg: "invalid JSON", Err: err}
	}
	r.info, r.hasInfo = info, true
	switch {
	case info.Start != 0:
		r.start = HexoTime(info.Start)
	case info.Timestamp != 0 && !math.IsNaN(info.Timestamp) && math.Abs(info.Timestamp) < 1e11:
		sec, frac := math.Modf(info.Timestamp)
		r.start = time.Unix(int64(sec), int64(frac*1e9)).UTC()
	}
	return nil
}

func parseInfo(data []byte) (Info, error) {
	var raw struct {
		Start          json.Number     `json:"start"`
		Timestamp      json.Number     `json:"timestamp"`
		StartDate      string          `json:"start_date"`
		User           json.RawMessage `json:"user"`
		DecoderVersion string          `json:"decoder_version"`
		Request        string          `json:"request"`
		Algo           json.RawMessage `json:"algo"`
	}
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	if err := d.Decode(&raw); err != nil {
		return Info{}, err
	}
	info := Info{StartDate: raw.StartDate, DecoderVersion: raw.DecoderVersion, Request: raw.Request, Algo: raw.Algo}
	if raw.Start != "" {
		if v, err := raw.Start.Int64(); err == nil {
			info.Start = v
		} else if f, err := raw.Start.Float64(); err == nil && math.Abs(f) < 1<<62 {
			info.Start = int64(f)
		}
	}
	if raw.Timestamp != "" {
		info.Timestamp, _ = raw.Timestamp.Float64()
	}
	if len(raw.User) > 0 {
		var s string
		if json.Unmarshal(raw.User, &s) == nil {
			info.User = s
		} else if string(raw.User) != "null" {
			info.User = string(raw.User)
		}
	}
	return info, nil
}

// HexoTime converts a HexoTimestamp (1/256 s since the Unix epoch) to a UTC time.
func HexoTime(ts int64) time.Time {
	sec := ts >> 8
	frac := ts & 0xff
	return time.Unix(sec, frac*1e9/256).UTC()
}

func (r *Record) addChannel(file string) {
	ext := strings.ToLower(path.Ext(file))
	name := strings.TrimSuffix(file, path.Ext(file))
	var format string
	switch ext {
	case ".wav":
		format = "wav"
	case ".hxd":
		format = "hxd"
	case ".csv":
		format = "csv"
	default:
		return
	}
	replace, dup := r.byName[name]
	if dup {
		// Prefer .hxd over a legacy CSV of the same channel. The .hxd takes
		// the CSV's slot (OpenRecord sorts afterwards), so a record of many
		// twins opens in linear time.
		if !(format == "hxd" && r.channels[replace].Format == "csv") {
			return
		}
	}
	spec, known := LookupChannel(name, r.version)
	if !known {
		// Files named by datatype id ("19.wav"), as an archive may name them.
		if id, err := strconv.ParseInt(name, 10, 64); err == nil && id > 0 {
			if spec, known = LookupDatatype(id, r.version); known {
				spec.Name = name
			}
		}
	}
	c := ChannelInfo{ChannelSpec: spec, Known: known, File: file, Format: format, Count: -1, Size: -1}
	if !known {
		c.ChannelSpec = ChannelSpec{Name: name, Gain: 1, Signed: true, Unit: "na"}
	}
	if st, err := fs.Stat(r.fsys, file); err == nil {
		c.Size = st.Size()
	}
	switch format {
	case "wav":
		r.probeWAV(&c)
	case "hxd":
		if !known {
			c.Kind = KindAsync
		}
		if c.Size >= 0 {
			c.Count = c.Size / HXDRecordSize
		}
	case "csv":
		if !r.probeCSV(&c) {
			return // not a channel (statistics.csv and the like)
		}
	}
	if dup {
		r.channels[replace] = c
		return
	}
	r.byName[name] = len(r.channels)
	r.channels = append(r.channels, c)
}

func (r *Record) probeWAV(c *ChannelInfo) {
	if !c.Known {
		c.Kind = KindSync
	}
	f, err := r.fsys.Open(c.File)
	if err != nil {
		c.Err = &FormatError{File: c.File, Msg: "cannot open", Err: err}
		return
	}
	defer f.Close()
	w, err := NewWAVReader(f)
	if err != nil {
		c.Err = withFile(err, c.File, 0)
		return
	}
	c.HeaderRate = w.SampleRate()
	c.NumChannels = w.Channels()
	c.BitsPerSample = w.BitsPerSample()
	switch {
	case c.Known && c.Rate > 0 && c.Rate < 1:
		// Below 1 Hz the header holds the period in seconds.
		if c.HeaderRate >= 1 {
			c.period = c.HeaderRate
			c.Rate = 1 / c.HeaderRate
		} else {
			c.period = 1 / c.Rate
		}
	case c.HeaderRate > 0:
		c.Rate = c.HeaderRate
	default:
		c.Err = &FormatError{File: c.File, Offset: w.rateOff, Msg: "sample rate is 0"}
		return
	}
	bytes := w.DataSize()
	if c.Size >= 0 {
		avail := c.Size - w.DataOffset()
		if bytes < 0 || bytes > avail {
			bytes = avail
		}
	}
	if bytes >= 0 {
		c.Count = bytes / int64(c.NumChannels*c.BitsPerSample/8) * int64(c.NumChannels)
	}
}

// csvHeader is what the first line of a legacy CSV says.
type csvHeader struct {
	name, unit string
	id         int64
}

func parseCSVHeader(line string) (csvHeader, bool) {
	line = strings.TrimRight(line, "\r\n")
	first, rest, ok := strings.Cut(line, ",")
	if !ok || !strings.HasPrefix(strings.TrimSpace(first), "time") {
		return csvHeader{}, false
	}
	var h csvHeader
	rest = strings.TrimSpace(rest)
	end := strings.IndexAny(rest, "[(")
	if end < 0 {
		end = len(rest)
	}
	h.name = strings.TrimSuffix(strings.TrimSpace(rest[:end]), "_epoch")
	if i := strings.IndexByte(rest, '['); i >= 0 {
		if j := strings.IndexByte(rest[i:], ']'); j >= 0 {
			h.unit = rest[i+1 : i+j]
		}
	}
	if _, after, ok := strings.Cut(rest, "/api/datatype/"); ok {
		digits, _, _ := strings.Cut(after, "/")
		h.id, _ = strconv.ParseInt(digits, 10, 64)
	}
	return h, true
}

func (r *Record) probeCSV(c *ChannelInfo) bool {
	f, err := r.fsys.Open(c.File)
	if err != nil {
		return false
	}
	defer f.Close()
	var buf [512]byte
	n, _ := io.ReadFull(f, buf[:])
	line, _, _ := bytes.Cut(buf[:n], []byte{'\n'})
	h, ok := parseCSVHeader(string(line))
	if !ok {
		return false
	}
	if !c.Known {
		c.Kind = KindAsync
		c.DatatypeID = h.id
		if h.unit != "" {
			c.Unit = h.unit
		}
	}
	c.csvScale = 1
	c.Gain = 1 // CSV values are written in physical units...
	if h.unit == "s/256" {
		// ...except intervals in 1/256 s, which are converted to seconds.
		c.csvScale = 1.0 / 256
		c.Gain = 1.0 / 256
		c.Unit = "s"
	}
	return true
}

// Info returns the fields of info.json and whether the record had one.
func (r *Record) Info() (Info, bool) { return r.info, r.hasInfo }

// DecoderVersion returns the decoder version whose channel table (gains)
// is used: the one info.json names when the table knows it, otherwise
// DefaultDecoderVersion.
func (r *Record) DecoderVersion() string { return r.version }

// Start returns the record start from info.json ("start", else
// "timestamp"), in UTC; the zero time when the record has no info.json and
// SetStart was not called.
func (r *Record) Start() time.Time { return r.start }

// SetStart sets the record start, for archives without info.json (the
// /api/data/ zip) whose start the caller knows from the record resource.
func (r *Record) SetStart(t time.Time) { r.start = t }

// Time returns the absolute time of a sample: Start() plus seconds,
// rounded to the nanosecond.
func (r *Record) Time(seconds float64) time.Time {
	if ns := math.Round(seconds * 1e9); math.Abs(ns) < 1<<62 {
		return r.start.Add(time.Duration(ns))
	}
	if math.IsNaN(seconds) {
		return time.Time{}
	}
	// Past a time.Duration's range (about 146 years, only in a crafted
	// file): count whole seconds, saturating far beyond any real date.
	whole, frac := math.Modf(seconds)
	whole = max(min(whole, 1<<62), -(1 << 62))
	return time.Unix(r.start.Unix()+int64(whole), int64(r.start.Nanosecond())+int64(math.Round(frac*1e9))).In(r.start.Location())
}

// Channels lists the channel files of the record, sorted by name.
func (r *Record) Channels() []ChannelInfo {
	return append([]ChannelInfo(nil), r.channels...)
}

// Channel returns the description of one channel by name (file name
// without extension).
func (r *Record) Channel(name string) (ChannelInfo, bool) {
	i, ok := r.byName[name]
	if !ok {
		return ChannelInfo{}, false
	}
	return r.channels[i], true
}

// ChannelByDatatype returns the description of the channel holding a
// Hexoskin datatype id (a hexoskin.DatatypeID converts with int64(id)):
// the file the channel table names for it ("heart_rate.wav" for 19);
// failing that, of the files that hold the id (one named by it, "19.wav",
// or a legacy CSV whose header names it), the first by name. Its Name is
// what Samples and OpenChannel take.
func (r *Record) ChannelByDatatype(id int64) (ChannelInfo, bool) {
	i, ok := r.byID[id]
	if !ok || id == 0 {
		return ChannelInfo{}, false
	}
	return r.channels[i], true
}

// tableName is the channel table's name for a datatype id, "" when unknown.
func tableName(id int64, version string) string {
	s, _ := LookupDatatype(id, version)
	return s.Name
}

// Samples iterates over one channel, named by its file name without
// extension ("heart_rate", "RR_interval"). Each Sample holds the seconds
// from the record start and the physical value, as Hexoskin's converter
// writes them: WAV sample i is at dt_offset + i/rate with value raw*gain
// (raw signed or unsigned per the channel table); a .hxd record is at
// offset/256 s with value raw*gain (RR and NN intervals in seconds); a
// legacy CSV row is taken as written, except that intervals written in
// 1/256 s are converted to seconds and a leading RR row of 0 is dropped.
//
// The iterator reads through one fixed buffer, so iterating allocates a
// small constant amount whatever the channel length. On error it yields
// (Sample{}, err) once and stops; err is a *FormatError naming the file and
// the byte offset, or wraps ErrUnknownChannel when the record has no such
// channel. For numerical work, OpenChannel gives the same numbers in bulk,
// into float64 slices, many times faster.
func (r *Record) Samples(channel string) iter.Seq2[Sample, error] {
	return func(yield func(Sample, error) bool) {
		i, ok := r.byName[channel]
		if !ok {
			yield(Sample{}, fmt.Errorf("%w: %q", ErrUnknownChannel, channel))
			return
		}
		c := &r.channels[i]
		if c.Err != nil {
			yield(Sample{}, c.Err)
			return
		}
		if c.Format == "csv" {
			f, err := r.fsys.Open(c.File)
			if err != nil {
				yield(Sample{}, &FormatError{File: c.File, Msg: "cannot open", Err: err})
				return
			}
			defer f.Close()
			csvSamples(f, c, yield)
			return
		}
		cr, err := r.OpenChannel(channel)
		if err != nil {
			yield(Sample{}, err)
			return
		}
		defer cr.Close()
		chunkSamples(cr, yield)
	}
}

// decodeBufs recycles the buffer a WAV channel is decoded through, so that
// reading the channels of a record one after another (a zip of many small
// entries) allocates one buffer, not one each.
var decodeBufs = sync.Pool{New: func() any { b := make([]byte, bufSize); return &b }}

// recordBufs, sampleBufs and csvReaders do the same for .hxd channels,
// the arrays Samples reads through and legacy CSV channels.
var (
	sampleBufs = sync.Pool{New: func() any { return new([2][512]float64) }}
	recordBufs = sync.Pool{New: func() any { return new([bufSize / HXDRecordSize]HXDRecord) }}
	csvReaders = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, maxCSVLine) }}
)

// chunkSamples yields the samples of a WAV or .hxd channel, read in bulk
// through cr into a pooled pair of arrays.
func chunkSamples(cr *ChannelReader, yield func(Sample, error) bool) {
	bp := sampleBufs.Get().(*[2][512]float64)
	defer sampleBufs.Put(bp)
	times, values := bp[0][:], bp[1][:]
	for {
		n, err := cr.ReadSamples(times, values)
		for i := range n {
			if !yield(Sample{times[i], values[i]}, nil) {
				return
			}
		}
		if err != nil {
			if err != io.EOF {
				yield(Sample{}, err)
			}
			return
		}
	}
}

func csvSamples(f io.Reader, c *ChannelInfo, yield func(Sample, error) bool) {
	br := csvReaders.Get().(*bufio.Reader)
	br.Reset(f)
	defer func() { br.Reset(nil); csvReaders.Put(br) }()
	var off int64
	lineNo := 0
	dropZeroRR := c.Name == "RR_interval"
	bad := func(msg string, err error) {
		yield(Sample{}, &FormatError{File: c.File, Offset: off, Msg: fmt.Sprintf("line %d: %s", lineNo, msg), Err: err})
	}
	for {
		line, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			lineNo++
			bad("line longer than 4 KiB", nil)
			return
		}
		if err != nil && err != io.EOF {
			bad("read failed", err)
			return
		}
		lineNo++
		lineLen := int64(len(line))
		text := bytes.TrimSpace(line)
		if len(text) > 0 && lineNo > 1 && !bytes.HasPrefix(text, []byte("time")) {
			ts, val, ok := bytes.Cut(text, []byte{','})
			if !ok {
				bad("want two columns", nil)
				return
			}
			sec, perr := strconv.ParseFloat(string(bytes.TrimSpace(ts)), 64)
			if perr != nil {
				bad("bad time", perr)
				return
			}
			v, perr := strconv.ParseFloat(string(bytes.TrimSpace(val)), 64)
			if perr != nil {
				bad("bad value", perr)
				return
			}
			if dropZeroRR {
				dropZeroRR = false
				if v == 0 {
					off += lineLen
					continue
				}
			}
			if !yield(Sample{sec, v * c.csvScale}, nil) {
				return
			}
		}
		off += lineLen
		if err == io.EOF {
			return
		}
	}
}
