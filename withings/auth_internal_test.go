package withings

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
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
