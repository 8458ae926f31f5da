// Command hxconvert turns a Hexoskin record export (a folder or a .zip)
// into one CSV file per channel, in the layout of Hexoskin's own
// converter: `time [s],<name> [<unit>] (/api/datatype/<id>/)`, then one
// "<seconds from the record start>,<value>" row per sample.
//
//	go run ./examples/hxconvert [-o outdir] <record folder or .zip>
//
// Long channels get a progress line on stderr. A file that cannot be read
// is reported with its name and byte offset, its CSV keeps the rows decoded
// before the error, the other channels are still converted, and the exit
// code is 1.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/wearkit/wearkit/binfmt"
)

// progressEvery is how many samples pass between two progress updates;
// channels shorter than that get none.
var progressEvery int64 = 1 << 20

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		// -h: the usage went to stdout; asking for help is no failure.
	case err != nil:
		fmt.Fprintln(os.Stderr, "hxconvert:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("hxconvert", flag.ContinueOnError)
	fl.SetOutput(stderr)
	outDir := fl.String("o", ".", "directory for the CSV files")
	printUsage := func(w io.Writer) {
		fmt.Fprintln(w, "usage: hxconvert [-o outdir] <record folder or .zip>")
		fl.SetOutput(w)
		fl.PrintDefaults()
		fl.SetOutput(stderr)
	}
	fl.Usage = func() {} // printed below, to stdout for -h and stderr otherwise
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout)
		} else {
			printUsage(stderr)
		}
		return err
	}
	if fl.NArg() != 1 {
		printUsage(stderr)
		return errors.New("want exactly one record folder or .zip")
	}
	rec, closeFn, err := open(fl.Arg(0))
	if err != nil {
		return err
	}
	defer closeFn()
	if len(rec.Channels()) == 0 {
		return fmt.Errorf("%s: nothing to convert: no WAV, .hxd or channel CSV file in it", fl.Arg(0))
	}
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		return err
	}
	if start := rec.Start(); !start.IsZero() {
		fmt.Fprintf(stdout, "record start %s (decoder %s)\n", start.Format("2006-01-02T15:04:05.000000Z07:00"), rec.DecoderVersion())
	} else {
		fmt.Fprintf(stdout, "record start unknown (no info.json): times are seconds from the start\n")
	}
	var errs []error
	for _, c := range rec.Channels() {
		if src := sourceFile(fl.Arg(0), c, filepath.Join(*outDir, c.Name+".csv")); src != "" {
			err := fmt.Errorf("%s: output would overwrite its own source %s; choose another -o", c.File, src)
			fmt.Fprintln(stderr, err)
			errs = append(errs, err)
			continue
		}
		n, err := convert(rec, c, *outDir, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", c.File, err)
			errs = append(errs, err)
			continue
		}
		fmt.Fprintf(stdout, "%s.csv\t%d rows\n", c.Name, n)
	}
	if len(errs) > 0 {
		return fmt.Errorf("%d of %d channels failed: %w", len(errs), len(rec.Channels()), errors.Join(errs...))
	}
	return nil
}

// open opens a record folder or zip file.
func open(path string) (*binfmt.Record, func(), error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if st.IsDir() {
		rec, err := binfmt.OpenRecord(os.DirFS(path))
		return rec, func() {}, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	rec, err := binfmt.OpenZip(f, st.Size())
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return rec, func() { f.Close() }, nil
}

// sourceFile returns the path of c's file in the record folder in when it
// is the file dst (a legacy CSV channel converted into its own folder), else
// "". The record's files sit in the folder or in its single sub-folder.
func sourceFile(in string, c binfmt.ChannelInfo, dst string) string {
	dstInfo, err := os.Stat(dst)
	if err != nil {
		return ""
	}
	cands := []string{filepath.Join(in, c.File)}
	if m, err := filepath.Glob(filepath.Join(in, "*", c.File)); err == nil {
		cands = append(cands, m...)
	}
	for _, p := range cands {
		if st, err := os.Stat(p); err == nil && os.SameFile(st, dstInfo) {
			return p
		}
	}
	return ""
}

// convert writes one channel to <outDir>/<name>.csv and returns the rows written.
func convert(rec *binfmt.Record, c binfmt.ChannelInfo, outDir string, stderr io.Writer) (int64, error) {
	if c.Err != nil {
		return 0, c.Err
	}
	out, err := os.Create(filepath.Join(outDir, c.Name+".csv"))
	if err != nil {
		return 0, err
	}
	cw := binfmt.NewCSVWriter(out, c)
	var n int64
	progress := false
	for s, err := range rec.Samples(c.Name) {
		if err != nil {
			// Keep the rows decoded before the error.
			cw.Flush()
			out.Close()
			if progress {
				fmt.Fprintln(stderr)
			}
			return n, err
		}
		if err := cw.Write(s); err != nil {
			out.Close()
			return n, err
		}
		if n++; n%progressEvery == 0 {
			progress = true
			if c.Count > 0 {
				fmt.Fprintf(stderr, "\r%s: %3d%% (%d of %d samples)", c.Name, n*100/c.Count, n, c.Count)
			} else {
				fmt.Fprintf(stderr, "\r%s: %d rows", c.Name, n)
			}
		}
	}
	if progress {
		fmt.Fprintf(stderr, "\r%s: done, %d rows\n", c.Name, n)
	}
	if err := cw.Flush(); err != nil {
		out.Close()
		return n, err
	}
	return n, out.Close()
}
