package binfmt_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"testing/fstest"

	"github.com/wearkit/wearkit/binfmt"
	"github.com/wearkit/wearkit/internal/hexofile"
)

// A record export with info.json, a 1 Hz heart-rate WAV and RR intervals
// in a .hxd file, built in memory.
func Example() {
	hr := hexofile.AppendWAVHeader(nil, 1, 1, 16, 6)
	for _, bpm := range []uint16{62, 63, 65} {
		hr = binary.LittleEndian.AppendUint16(hr, bpm)
	}
	rr := hexofile.AppendHXD(nil, 256*2, 240)   // 2 s: 240/256 s
	rr = hexofile.AppendHXD(rr, 256*2+240, 236) // 2.9375 s
	fsys := fstest.MapFS{
		"info.json":       {Data: []byte(`{"start": 377333833472, "decoder_version": "0.5.3"}`)},
		"heart_rate.wav":  {Data: hr},
		"RR_interval.hxd": {Data: rr},
	}

	rec, err := binfmt.OpenRecord(fsys)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("start:", rec.Start())
	for _, c := range rec.Channels() {
		fmt.Printf("%s: datatype %d, %s, %s, %v Hz\n", c.Name, c.DatatypeID, c.Unit, c.Kind, c.Rate)
	}
	for s, err := range rec.Samples("heart_rate") {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(rec.Time(s.Seconds).Format("15:04:05"), s.Value)
	}
	if err := rec.WriteCSV(os.Stdout, "RR_interval"); err != nil {
		fmt.Println(err)
	}
	// Output:
	// start: 2016-09-15 17:24:47 +0000 UTC
	// RR_interval: datatype 18, s, async, 0 Hz
	// heart_rate: datatype 19, bpm, sync, 1 Hz
	// 17:24:48 62
	// 17:24:49 63
	// 17:24:50 65
	// time [s],RR_interval [s] (/api/datatype/18/)
	// 2,0.9375
	// 2.9375,0.921875
}

// Decoding a WAV stream directly.
func ExampleNewWAVReader() {
	wav := hexofile.AppendWAVHeader(nil, 256, 1, 16, 4)
	wav = binary.LittleEndian.AppendUint16(wav, 100)
	wav = binary.LittleEndian.AppendUint16(wav, 0xFF9C) // -100
	r, err := binfmt.NewWAVReader(bytes.NewReader(wav))
	if err != nil {
		fmt.Println(err)
		return
	}
	buf := make([]int16, 1024)
	n, err := r.ReadInt16(buf)
	fmt.Println(r.SampleRate(), r.Channels(), r.BitsPerSample(), buf[:n], err)
	_, err = r.ReadInt16(buf)
	fmt.Println(err)
	// Output:
	// 256 1 16 [100 -100] <nil>
	// EOF
}

// Reading a channel's physical values in bulk, chunk by chunk, as
// numerical code wants them.
func ExampleRecord_OpenChannel() {
	ecg := hexofile.AppendWAVHeader(nil, 256, 1, 16, 10)
	for _, raw := range []int16{100, 150, -50, 0, 250} {
		ecg = binary.LittleEndian.AppendUint16(ecg, uint16(raw))
	}
	rec, err := binfmt.OpenRecord(fstest.MapFS{"ECG_I.wav": {Data: ecg}})
	if err != nil {
		fmt.Println(err)
		return
	}
	if c, ok := rec.ChannelByDatatype(binfmt.DatatypeECGI); ok {
		fmt.Println(c.Name, c.Unit, c.Gain)
	}
	cr, err := rec.OpenChannel("ECG_I")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer cr.Close()
	times, values := make([]float64, 3), make([]float64, 3)
	for {
		n, err := cr.ReadSamples(times, values)
		for i := range n {
			fmt.Printf("%.5f s %.2f mV\n", times[i], values[i])
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
	}
	// Output:
	// ECG_I mV 0.0064
	// 0.00000 s 0.64 mV
	// 0.00391 s 0.96 mV
	// 0.00781 s -0.32 mV
	// 0.01172 s 0.00 mV
	// 0.01562 s 1.60 mV
}
