package binfmt

import (
	"archive/zip"
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// storedZip is a zip whose entries are stored, not deflated, so that
// building and opening it measures OpenZip, not flate.
func storedZip(t testing.TB, names []string, data func(name string) []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		require.NoError(t, err)
		_, err = w.Write(data(name))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// twinZips returns two zips of 2n entries each: n channels that each have
// a legacy .csv and its .hxd twin, and 2n channels that are all distinct
// (the same n CSV and n .hxd files, named apart).
func twinZips(t testing.TB, n int) (twins, distinct []byte) {
	csv := []byte("time [s],x [na]\n1,2\n")
	hxd := appendHXD(nil, HXDRecord{Offset: 256, Value: 1})
	data := func(name string) []byte {
		if name[len(name)-3:] == "csv" {
			return csv
		}
		return hxd
	}
	var a, b []string
	for i := range n {
		a = append(a, fmt.Sprintf("c%06d.csv", i), fmt.Sprintf("c%06d.hxd", i))
		b = append(b, fmt.Sprintf("a%06d.csv", i), fmt.Sprintf("b%06d.hxd", i))
	}
	return storedZip(t, a, data), storedZip(t, b, data)
}

func openZipTime(t testing.TB, z []byte, wantChannels int) time.Duration {
	t0 := time.Now()
	r, err := OpenZip(bytes.NewReader(z), int64(len(z)))
	d := time.Since(t0)
	require.NoError(t, err)
	require.Len(t, r.Channels(), wantChannels)
	return d
}

// OpenZip's cost grows with the entries, not with the square of the
// .csv/.hxd twins among them (issue 10, point 10: 32k twins took 7.4 s
// where 50k plain entries took 0.2 s). The zip of n twins has as many
// entries and as many files to probe as the zip of 2n distinct channels,
// so a linear OpenZip opens both in about the same time; a quadratic one
// was 10x slower at n = 8000 and the gap grows with n. The test compares
// the best of three interleaved runs of each, so machine load hits both.
func TestOpenZipLinearInTwins(t *testing.T) {
	const n = 8000
	twins, distinct := twinZips(t, n)
	best := func(a, b time.Duration) time.Duration {
		if a == 0 || b < a {
			return b
		}
		return a
	}
	var tTwins, tDistinct time.Duration
	for range 3 {
		tTwins = best(tTwins, openZipTime(t, twins, n))
		tDistinct = best(tDistinct, openZipTime(t, distinct, 2*n))
	}
	ratio := tTwins.Seconds() / tDistinct.Seconds()
	t.Logf("%d twins: %v; %d distinct channels: %v; ratio %.2f", n, tTwins, 2*n, tDistinct, ratio)
	require.Less(t, ratio, 3.0, "opening %d .csv/.hxd twins took %v, %d distinct channels %v", n, tTwins, 2*n, tDistinct)
}

// The .hxd twin wins over the legacy CSV wherever it sorts.
func TestOpenZipTwinsKeepTheHXD(t *testing.T) {
	twins, _ := twinZips(t, 50)
	r, err := OpenZip(bytes.NewReader(twins), int64(len(twins)))
	require.NoError(t, err)
	require.Len(t, r.Channels(), 50)
	for i, c := range r.Channels() {
		require.Equal(t, fmt.Sprintf("c%06d", i), c.Name)
		require.Equal(t, "hxd", c.Format, c.Name)
		got, ok := r.Channel(c.Name)
		require.True(t, ok)
		require.Equal(t, c, got)
	}
}

// BenchmarkOpenZipTwins opens a zip of n .csv/.hxd twins beside a zip of
// as many distinct channels (the baseline): the ratio stays near 1 at
// every n when OpenZip is linear.
func BenchmarkOpenZipTwins(b *testing.B) {
	for _, n := range []int{2000, 8000, 32000} {
		twins, distinct := twinZips(b, n)
		b.Run(fmt.Sprintf("twins=%d", n), func(b *testing.B) {
			for b.Loop() {
				openZipTime(b, twins, n)
			}
		})
		b.Run(fmt.Sprintf("distinct=%d", 2*n), func(b *testing.B) {
			for b.Loop() {
				openZipTime(b, distinct, 2*n)
			}
		})
	}
}
