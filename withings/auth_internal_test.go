package withings

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A long-running source refused many times (each refusal ends in a
// refresh) remembers a bounded number of refused tokens, and always the
// latest: before, the map gained one entry per refusal for ever.
func TestRefusedTokensAreBounded(t *testing.T) {
	ts := &tokenSource{refused: map[string]bool{}}
	for i := range 10_000 {
		ts.invalidate(fmt.Sprintf("access-%d", i))
		assert.True(t, ts.isRefused(fmt.Sprintf("access-%d", i)))
	}
	assert.LessOrEqual(t, len(ts.refused), maxRefused)
	ts.invalidate("")
	assert.False(t, ts.isRefused(""))
}

// An answer with expires_in 0 means no expiry, as golang.org/x/oauth2 reads
// it; before, the token expired at once and every call refreshed it.
func TestTokenAnswerExpiresInZeroIsNoExpiry(t *testing.T) {
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	tok, err := (&tokenAnswer{AccessToken: "a", ExpiresIn: "0"}).token(now)
	require.NoError(t, err)
	assert.True(t, tok.Expiry.IsZero(), "expiry %v", tok.Expiry)
	tok, err = (&tokenAnswer{AccessToken: "a", ExpiresIn: "10800"}).token(now)
	require.NoError(t, err)
	assert.Equal(t, now.Add(3*time.Hour), tok.Expiry)
	assert.Equal(t, int64(10800), tok.ExpiresIn)
}
