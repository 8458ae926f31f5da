package binfmt

import (
	"encoding/csv"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// realExports is where the two real dashboard exports live, outside the
// project (they carry no license and must not be copied in), as seen from
// a checkout beside shared/. WEARKIT_REAL_EXPORTS names another place
// (a worktree sits deeper).
var realExports = func() string {
	if d := os.Getenv("WEARKIT_REAL_EXPORTS"); d != "" {
		return d
	}
	return "../../shared/testdata/hexoskin"
}()

// statistics reads the record's statistics.csv (names, units, values).
func statistics(t *testing.T, dir string) map[string]float64 {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "statistics.csv"))
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.True(t, len(rows) >= 3)
	out := map[string]float64{}
	for i, name := range rows[0] {
		if v, err := strconv.ParseFloat(rows[2][i], 64); err == nil {
			out[name] = v
		}
	}
	return out
}

type chanStats struct {
	n                    int
	first, last          Sample
	sum, min, max, sumNZ float64
	nz                   int
}

func stats(t *testing.T, r *Record, name string) chanStats {
	t.Helper()
	s := chanStats{min: math.Inf(1), max: math.Inf(-1)}
	for v, err := range r.Samples(name) {
		require.NoError(t, err, name)
		if s.n == 0 {
			s.first = v
		}
		s.last = v
		s.n++
		if math.IsNaN(v.Value) {
			continue
		}
		s.sum += v.Value
		s.min = min(s.min, v.Value)
		s.max = max(s.max, v.Value)
		if v.Value != 0 {
			s.sumNZ += v.Value
			s.nz++
		}
	}
	return s
}

func TestRealExports(t *testing.T) {
	if _, err := os.Stat(realExports); err != nil {
		t.Skipf("real exports not present: %v", err)
	}
	tests := []struct {
		folder   string
		start    time.Time
		channels int
		duration float64
		hrCount  int64
		oneHz    int64 // samples of the other 1 Hz channels
		accCount int64 // 64 Hz acceleration, 0 when absent
		rrCount  int   // RR rows minus header minus the dropped 0
	}{
		{"record_108680", time.Date(2016, 9, 15, 17, 24, 47, 3906250, time.UTC), 23, 24093, 24092, 24093, 1541968, 30263},
		{"record_116113", time.Date(2017, 1, 10, 14, 22, 0, 0, time.UTC), 20, 34546, 34545, 34546, 0, 36498},
	}
	for _, tc := range tests {
		t.Run(tc.folder, func(t *testing.T) {
			dir := filepath.Join(realExports, tc.folder)
			r, err := OpenRecord(os.DirFS(dir))
			require.NoError(t, err)
			require.Equal(t, tc.start, r.Start())
			require.Equal(t, "0.5.3", r.DecoderVersion())
			st := statistics(t, dir)
			require.Equal(t, tc.duration, st["duration"])

			chans := r.Channels()
			require.Equal(t, tc.channels, len(chans))
			for _, c := range chans {
				require.NoError(t, c.Err, c.Name)
				require.True(t, c.Known, c.Name, "is in the channel table")
				if c.Format != "wav" {
					continue
				}
				require.Equal(t, 1, c.NumChannels, c.Name)
				require.Equal(t, 16, c.BitsPerSample, c.Name)
				// Every sample decodes, and the count agrees with the sizes.
				s := stats(t, r, c.Name)
				require.Equal(t, c.Count, int64(s.n), c.Name)
				checkBulkAgainstWAVReader(t, r, dir, c)
				if s.n > 0 {
					require.Equal(t, c.Offset, s.first.Seconds, c.Name)
					require.True(t, s.last.Seconds <= tc.duration+1, c.Name, "ends within the record")
				}
			}

			// Empty ECG channels: 44-byte headers, 256 Hz, no samples, no error.
			for _, name := range []string{"ECG_II", "ECG_III"} {
				c, ok := r.Channel(name)
				require.True(t, ok, name)
				require.Equal(t, int64(44), c.Size)
				require.Equal(t, 256.0, c.Rate)
				require.Equal(t, int64(0), c.Count)
				require.Equal(t, 0, stats(t, r, name).n)
			}

			// Rates and counts; channels of one record differ by one sample.
			hr, _ := r.Channel("heart_rate")
			require.Equal(t, 1.0, hr.Rate)
			require.Equal(t, tc.hrCount, hr.Count)
			br, _ := r.Channel("breathing_rate")
			require.Equal(t, tc.oneHz, br.Count)
			if tc.accCount > 0 {
				acc, _ := r.Channel("acceleration_X")
				require.Equal(t, 64.0, acc.Rate)
				require.Equal(t, tc.accCount, acc.Count)
			}

			// The decoded values agree with Hexoskin's own statistics.
			s := stats(t, r, "heart_rate")
			require.InDelta(t, st["heartrate_avg"], s.sum/float64(s.n), 1e-9, "heart rate mean")
			require.Equal(t, st["heartrate_min"], s.min)
			require.Equal(t, st["heartrate_max"], s.max)
			s = stats(t, r, "breathing_rate")
			require.InDelta(t, st["breathingrate_avg"], s.sum/float64(s.n), 1e-3, "breathing rate mean (Hexoskin averages a slightly different window)")
			require.Equal(t, st["breathingrate_max"], s.max)
			s = stats(t, r, "cadence")
			require.InDelta(t, st["cadence_avg"], s.sumNZ/float64(s.nz), 1e-9, "cadence mean while moving")
			require.Equal(t, st["cadence_max"], s.max)
			s = stats(t, r, "activity")
			require.Equal(t, st["activity_max"], s.max) // 1/256 g
			s = stats(t, r, "tidal_volume")
			require.InDelta(t, st["tidalvolume_max"]*1000, s.max, 1e-6, "tidal volume max (x13.28 ml)")
			s = stats(t, r, "minute_ventilation")
			require.InDelta(t, st["minuteventilation_max"]*1000, s.max, 1e-6, "minute ventilation max (x13.28 ml/min)")
			s = stats(t, r, "step")
			require.Equal(t, float64(s.n), s.last.Value, "step is a running count")
			require.InDelta(t, st["step_count"], s.last.Value, 1, "step count")

			// RR intervals, in seconds, first 0 row dropped.
			s = stats(t, r, "RR_interval")
			require.Equal(t, tc.rrCount, s.n)
			require.True(t, s.first.Value > 0.2 && s.first.Value < 2, "first RR in seconds", s.first)
			require.True(t, s.max < 4, "RR max in seconds", s.max)
			mean := s.sumNZ / float64(s.nz)
			require.InDelta(t, 60/st["heartrate_avg"], mean, 0.06, "mean RR vs mean heart rate")
		})
	}
}

// checkBulkAgainstWAVReader reads a real mono WAV channel with the bulk
// reader and with the bare WAVReader scaled by hand (raw * gain at
// dt_offset + i/rate): the two agree bit for bit.
func checkBulkAgainstWAVReader(t *testing.T, r *Record, dir string, c ChannelInfo) {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, c.File))
	require.NoError(t, err)
	defer f.Close()
	w, err := NewWAVReader(f)
	require.NoError(t, err)
	cr, err := r.OpenChannel(c.Name)
	require.NoError(t, err)
	defer cr.Close()
	raw := make([]int32, 1000)
	times, values := make([]float64, 1000), make([]float64, 1000)
	var i int64
	for {
		n, err := w.ReadInt32(raw)
		if n > 0 {
			got, gerr := cr.ReadSamples(times[:n], values[:n])
			require.NoError(t, gerr, c.Name)
			require.Equal(t, n, got, c.Name)
			for j, v := range raw[:n] {
				want := float64(int16(v))
				if !c.Signed {
					want = float64(uint16(v))
				}
				if values[j] != want*c.Gain || times[j] != c.Offset+float64(i)/c.Rate {
					t.Fatalf("%s sample %d: bulk (%v, %v), WAVReader (%v, %v)", c.Name, i, times[j], values[j], c.Offset+float64(i)/c.Rate, want*c.Gain)
				}
				i++
			}
		}
		if err == io.EOF {
			break
		}
		require.NoError(t, err, c.Name)
	}
	n, err := cr.Read(values)
	require.Zero(t, n, c.Name)
	require.Equal(t, io.EOF, err, c.Name)
}
