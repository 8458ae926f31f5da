package hexoskintest

import (
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// activity is what an export writes and an import reads: a span, its
// laps, heart rate every second and GPS points, in HexoTimestamp ticks.
type activity struct {
	name       string
	start, end int64
	laps       [][2]int64
	hr         [][2]int64 // tick, bpm
	gps        []gpsPoint
	workout    bool
}

type gpsPoint struct {
	ts       int64
	lat, lon float64
	hr       int64
}

func tickTimeUTC(ts int64) time.Time {
	return time.Unix(ts>>8, (ts&255)*1e9/256).UTC()
}

func timeTicks(t time.Time) int64 {
	return t.Unix()*256 + int64(math.Round(float64(t.Nanosecond())*256/1e9))
}

const tcxTime = "2006-01-02T15:04:05.999999999Z07:00"

type tcxDoc struct {
	XMLName    xml.Name `xml:"TrainingCenterDatabase"`
	Xmlns      string   `xml:"xmlns,attr"`
	Activities *struct {
		Activity []tcxActivity `xml:"Activity"`
	} `xml:"Activities,omitempty"`
	Workouts *struct {
		Workout []struct {
			Sport string `xml:"Sport,attr"`
			Name  string `xml:"Name"`
		} `xml:"Workout"`
	} `xml:"Workouts,omitempty"`
}

type tcxActivity struct {
	Sport string   `xml:"Sport,attr"`
	ID    string   `xml:"Id"`
	Notes string   `xml:"Notes"`
	Laps  []tcxLap `xml:"Lap"`
}

type tcxLap struct {
	StartTime        string  `xml:"StartTime,attr"`
	TotalTimeSeconds float64 `xml:"TotalTimeSeconds"`
	Trackpoints      []struct {
		Time     string `xml:"Time"`
		Position *struct {
			Lat float64 `xml:"LatitudeDegrees"`
			Lon float64 `xml:"LongitudeDegrees"`
		} `xml:"Position,omitempty"`
		HeartRate *struct {
			Value int64 `xml:"Value"`
		} `xml:"HeartRateBpm,omitempty"`
	} `xml:"Track>Trackpoint"`
}

// writeTCX writes the activity (every second of heart rate) or, for a
// training routine, a workout.
func writeTCX(a activity) []byte {
	doc := tcxDoc{Xmlns: "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"}
	if a.workout {
		doc.Workouts = &struct {
			Workout []struct {
				Sport string `xml:"Sport,attr"`
				Name  string `xml:"Name"`
			} `xml:"Workout"`
		}{Workout: []struct {
			Sport string `xml:"Sport,attr"`
			Name  string `xml:"Name"`
		}{{Sport: "Other", Name: a.name}}}
	} else {
		act := tcxActivity{Sport: "Other", ID: tickTimeUTC(a.start).Format(tcxTime), Notes: a.name}
		for _, l := range a.laps {
			lap := tcxLap{StartTime: tickTimeUTC(l[0]).Format(tcxTime), TotalTimeSeconds: float64(l[1]-l[0]) / 256}
			for _, p := range a.hr {
				if p[0] < l[0] || p[0] > l[1] {
					continue
				}
				lap.Trackpoints = append(lap.Trackpoints, struct {
					Time     string `xml:"Time"`
					Position *struct {
						Lat float64 `xml:"LatitudeDegrees"`
						Lon float64 `xml:"LongitudeDegrees"`
					} `xml:"Position,omitempty"`
					HeartRate *struct {
						Value int64 `xml:"Value"`
					} `xml:"HeartRateBpm,omitempty"`
				}{Time: tickTimeUTC(p[0]).Format(tcxTime), HeartRate: &struct {
					Value int64 `xml:"Value"`
				}{p[1]}})
			}
			act.Laps = append(act.Laps, lap)
		}
		doc.Activities = &struct {
			Activity []tcxActivity `xml:"Activity"`
		}{Activity: []tcxActivity{act}}
	}
	b, _ := xml.MarshalIndent(doc, "", " ")
	return append([]byte(xml.Header), b...)
}

// parseTCX reads the first activity of a TCX file or, in a file of
// workouts (a training routine's export), the first workout.
func parseTCX(b []byte) (activity, error) {
	var doc tcxDoc
	if err := xml.Unmarshal(b, &doc); err != nil {
		return activity{}, fmt.Errorf("TCX: %v", err)
	}
	if (doc.Activities == nil || len(doc.Activities.Activity) == 0) && doc.Workouts != nil && len(doc.Workouts.Workout) > 0 {
		w := doc.Workouts.Workout[0]
		if w.Name == "" {
			return activity{}, errors.New("TCX: Workout[0] has no Name")
		}
		return activity{name: w.Name, workout: true}, nil
	}
	if doc.Activities == nil || len(doc.Activities.Activity) == 0 {
		return activity{}, errors.New("TCX: no activity or workout")
	}
	act := doc.Activities.Activity[0]
	a := activity{name: act.Notes}
	if a.name == "" {
		a.name = act.Sport
	}
	for i, l := range act.Laps {
		st, err := time.Parse(time.RFC3339Nano, l.StartTime)
		if err != nil {
			return activity{}, fmt.Errorf("TCX: Lap[%d] StartTime %q: not a date-time", i, l.StartTime)
		}
		s := timeTicks(st)
		e := s + int64(math.Round(l.TotalTimeSeconds*256))
		a.laps = append(a.laps, [2]int64{s, e})
		if i == 0 || s < a.start {
			a.start = s
		}
		a.end = max(a.end, e)
		for j, tp := range l.Trackpoints {
			t, err := time.Parse(time.RFC3339Nano, tp.Time)
			if err != nil {
				return activity{}, fmt.Errorf("TCX: Lap[%d] Trackpoint[%d] Time %q: not a date-time", i, j, tp.Time)
			}
			if tp.HeartRate != nil {
				a.hr = append(a.hr, [2]int64{timeTicks(t), tp.HeartRate.Value})
			}
		}
	}
	if len(a.laps) == 0 {
		return activity{}, errors.New("TCX: the activity has no lap")
	}
	if len(a.laps) == 1 {
		a.laps = nil // one lap is the activity itself
	}
	return a, nil
}

// FIT epoch: 1989-12-31T00:00:00Z.
const fitEpoch = 631065600

func fitTime(ts int64) uint32 { return uint32(ts/256 - fitEpoch) }

var fitCRCTable = [16]uint16{0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
	0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400}

func fitCRC(crc uint16, b []byte) uint16 {
	for _, x := range b {
		tmp := fitCRCTable[crc&0xF]
		crc = (crc >> 4) & 0x0FFF
		crc = crc ^ tmp ^ fitCRCTable[x&0xF]
		tmp = fitCRCTable[crc&0xF]
		crc = (crc >> 4) & 0x0FFF
		crc = crc ^ tmp ^ fitCRCTable[(x>>4)&0xF]
	}
	return crc
}

// FIT file types (file_id field 0) and the workout name's size.
const (
	fitTypeActivity = 4
	fitTypeWorkout  = 5
	fitNameSize     = 32 // wkt_name, a NUL-padded string
)

// writeFIT writes a FIT activity: file_id, one lap per lap, and a record
// (timestamp, heart rate, position) at each GPS point only; or, for a
// training routine, a workout file: file_id and a workout message with
// its name.
func writeFIT(a activity) []byte {
	var d []byte
	le := binary.LittleEndian
	def := func(local byte, global uint16, fields ...[3]byte) {
		d = append(d, 0x40|local, 0, 0)
		d = le.AppendUint16(d, global)
		d = append(d, byte(len(fields)))
		for _, f := range fields {
			d = append(d, f[:]...)
		}
	}
	def(0, 0, [3]byte{0, 1, 0x00}, [3]byte{4, 4, 0x86}) // file_id: type, time_created
	if a.workout {
		d = append(d, 0, fitTypeWorkout)
		d = le.AppendUint32(d, 0)
		def(1, 26, [3]byte{8, fitNameSize, 0x07}) // workout: wkt_name
		name := make([]byte, fitNameSize)
		copy(name[:fitNameSize-1], a.name)
		d = append(d, 1)
		d = append(d, name...)
		return fitFile(d)
	}
	d = append(d, 0, fitTypeActivity)
	d = le.AppendUint32(d, fitTime(a.start))
	def(1, 19, [3]byte{253, 4, 0x86}, [3]byte{2, 4, 0x86}) // lap: timestamp (end), start_time
	for _, l := range append([][2]int64{{a.start, a.end}}, a.laps...) {
		d = append(d, 1)
		d = le.AppendUint32(d, fitTime(l[1]))
		d = le.AppendUint32(d, fitTime(l[0]))
	}
	def(2, 20, [3]byte{253, 4, 0x86}, [3]byte{3, 1, 0x02}, [3]byte{0, 4, 0x85}, [3]byte{1, 4, 0x85}) // record
	for _, g := range a.gps {
		d = append(d, 2)
		d = le.AppendUint32(d, fitTime(g.ts))
		d = append(d, byte(min(max(g.hr, 0), 254)))
		d = le.AppendUint32(d, uint32(int32(g.lat*(1<<31)/180)))
		d = le.AppendUint32(d, uint32(int32(g.lon*(1<<31)/180)))
	}
	return fitFile(d)
}

// fitFile puts the header and the CRCs around the data records d.
func fitFile(d []byte) []byte {
	le := binary.LittleEndian
	h := []byte{14, 0x20}
	h = le.AppendUint16(h, 2132)
	h = le.AppendUint32(h, uint32(len(d)))
	h = append(h, ".FIT"...)
	h = le.AppendUint16(h, fitCRC(0, h))
	out := append(h, d...)
	return le.AppendUint16(out, fitCRC(0, out))
}

// parseFIT checks a FIT file's header, sizes and CRC and reads its laps
// and records; an error names the byte offset at fault.
func parseFIT(b []byte) (activity, error) {
	le := binary.LittleEndian
	if len(b) < 14 || (b[0] != 12 && b[0] != 14) || string(b[8:12]) != ".FIT" {
		return activity{}, errors.New("FIT: no FIT header at byte 0")
	}
	hs := int(b[0])
	size := int(le.Uint32(b[4:8]))
	if hs+size+2 != len(b) {
		return activity{}, fmt.Errorf("FIT: header says %d data bytes, the file holds %d", size, len(b)-hs-2)
	}
	if fitCRC(0, b) != 0 {
		return activity{}, fmt.Errorf("FIT: CRC mismatch at byte %d", len(b)-2)
	}
	type field struct{ num, size byte }
	type definition struct {
		global uint16
		fields []field
	}
	defs := map[byte]definition{}
	a := activity{name: "FIT import"}
	first, workout := true, false
	for off := hs; off < hs+size; {
		hdr := b[off]
		if hdr&0x80 != 0 || hdr&0x20 != 0 {
			return activity{}, fmt.Errorf("FIT: unsupported record header 0x%02x at byte %d", hdr, off)
		}
		local := hdr & 0x0F
		off++
		if hdr&0x40 != 0 {
			if off+5 > hs+size {
				return activity{}, fmt.Errorf("FIT: truncated definition at byte %d", off)
			}
			if b[off+1] != 0 {
				return activity{}, fmt.Errorf("FIT: big-endian definition at byte %d", off+1)
			}
			def := definition{global: le.Uint16(b[off+2:])}
			n := int(b[off+4])
			off += 5
			if off+3*n > hs+size {
				return activity{}, fmt.Errorf("FIT: truncated field list at byte %d", off)
			}
			for i := 0; i < n; i++ {
				def.fields = append(def.fields, field{b[off], b[off+1]})
				off += 3
			}
			defs[local] = def
			continue
		}
		def, ok := defs[local]
		if !ok {
			return activity{}, fmt.Errorf("FIT: data message of undefined local type %d at byte %d", local, off-1)
		}
		vals := map[byte]uint32{}
		var name string
		for _, f := range def.fields {
			if off+int(f.size) > hs+size {
				return activity{}, fmt.Errorf("FIT: truncated field %d at byte %d", f.num, off)
			}
			switch f.size {
			case 1:
				vals[f.num] = uint32(b[off])
			case 2:
				vals[f.num] = uint32(le.Uint16(b[off:]))
			case 4:
				vals[f.num] = le.Uint32(b[off:])
			}
			if def.global == 26 && f.num == 8 { // workout wkt_name
				name, _, _ = strings.Cut(string(b[off:off+int(f.size)]), "\x00")
			}
			off += int(f.size)
		}
		toTicks := func(v uint32) int64 { return (int64(v) + fitEpoch) * 256 }
		switch def.global {
		case 0:
			workout = vals[0] == fitTypeWorkout
		case 26:
			if name != "" {
				a.name = name
			}
		case 19:
			s, e := toTicks(vals[2]), toTicks(vals[253])
			if first {
				a.start, a.end, first = s, e, false
			} else {
				a.laps = append(a.laps, [2]int64{s, e})
			}
		case 20:
			if hr := vals[3]; hr != 0xFF {
				a.hr = append(a.hr, [2]int64{toTicks(vals[253]), int64(hr)})
			}
		}
	}
	if workout {
		if a.name == "FIT import" {
			return activity{}, errors.New("FIT: workout file without a workout name")
		}
		return activity{name: a.name, workout: true}, nil
	}
	if first {
		return activity{}, errors.New("FIT: no lap message")
	}
	return a, nil
}
