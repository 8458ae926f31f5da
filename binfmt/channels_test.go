package binfmt

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestChannelTable(t *testing.T) {
	tests := []struct {
		name   string
		id     int64
		unit   string
		rate   float64
		offset float64
		gain   float64
		signed bool
		kind   Kind
	}{
		{"ECG_I", 4113, "mV", 256, 0, 0.0064, true, KindSync},
		{"respiration_thoracic", 4129, "na", 128, 0, 1, false, KindSync},
		{"respiration_abdominal", 4130, "na", 128, 0, 1, false, KindSync},
		{"acceleration_Z", 4147, "g", 64, 0, 1.0 / 256, true, KindSync},
		{"heart_rate", 19, "bpm", 1, 1, 1, false, KindSync},
		{"breathing_rate", 33, "rpm", 1, 1, 1, false, KindSync},
		{"minute_ventilation", 36, "ml/min", 1, 1, 13.28, false, KindSync},
		{"tidal_volume", 37, "ml", 1, 1, 13.28, false, KindSync},
		{"minute_ventilation_adjusted", 38, "ml/min", 1, 1, 10, false, KindSync},
		{"tidal_volume_adjusted", 39, "ml", 1, 1, 1, false, KindSync},
		{"activity", 49, "g", 1, 1, 1.0 / 256, true, KindSync},
		{"cadence", 53, "spm", 1, 1, 1, false, KindSync},
		{"heart_rate_quality", 1000, "na", 1, 1, 1, false, KindSync},
		{"breathing_rate_quality", 1001, "na", 1, 1, 1, false, KindSync},
		{"NN_over_RR", 274, "na", 1.0 / 300, 300, 1, false, KindSync},
		{"RMSSD", 278, "na", 1.0 / 300, 300, 1, false, KindSync},
		{"RR_interval", 18, "s", 0, 0, 1.0 / 256, true, KindAsync},
		{"NN_interval", 318, "s", 0, 0, 1.0 / 256, true, KindAsync},
		{"RR_interval_quality", 1004, "na", 0, 0, 1, true, KindAsync},
		{"inspiration", 34, "na", 0, 0, 1, true, KindAsync},
		{"expiration", 35, "na", 0, 0, 1, true, KindAsync},
		{"step", 52, "step", 0, 0, 1, true, KindAsync},
		{"device_position", 269, "na", 0, 0, 1, true, KindAsync},
		{"sleep_position", 270, "na", 0, 0, 1, true, KindAsync},
		{"sleep_phase", 280, "na", 0, 0, 1, true, KindAsync},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, ok := LookupChannel(tc.name, "0.5.3")
			require.True(t, ok)
			require.Equal(t, ChannelSpec{Name: tc.name, DatatypeID: tc.id, Unit: tc.unit, Kind: tc.kind,
				Rate: tc.rate, Offset: tc.offset, Gain: tc.gain, Signed: tc.signed}, s)
			// An unknown decoder version falls back to the default table.
			s2, ok := LookupChannel(tc.name, "no-such-version")
			require.True(t, ok)
			require.Equal(t, s, s2)
			byID, ok := LookupDatatype(tc.id, "")
			require.True(t, ok)
			require.Equal(t, s, byID)
		})
	}
	_, ok := LookupChannel("nope", "")
	require.True(t, !ok)
	require.Equal(t, []string{"0.5.3"}, KnownDecoderVersions())
	all := KnownChannels("")
	require.True(t, len(all) > 40)
	ids := map[int64]string{}
	for i, c := range all {
		if i > 0 {
			require.True(t, all[i-1].Name < c.Name, "sorted")
		}
		if prev, dup := ids[c.DatatypeID]; dup {
			t.Errorf("datatype %d used by %s and %s", c.DatatypeID, prev, c.Name)
		}
		ids[c.DatatypeID] = c.Name
	}
	require.Equal(t, "sync", KindSync.String())
	require.Equal(t, "async", KindAsync.String())
	require.Equal(t, "unknown", KindUnknown.String())
	require.Equal(t, "Kind(9)", Kind(9).String())
}
