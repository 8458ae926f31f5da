package sqlstore

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

// Two holders of one store's lock at once (two token sources over one
// TokenStore, as a Withings client renewing its source has, while the user
// has no row yet, so PostgreSQL's FOR UPDATE locks nothing): each unlock
// must end its own transaction. The first one's closed its connection with
// the transaction open, back into the pool, and the next Save ran in it and
// was never committed: the new authorization was lost.
func TestTwoLockHoldersOfOneStoreEndTheirTransactions(t *testing.T) {
	eachDB(t, func(t *testing.T, d testDB) {
		if d.dialect == SQLite {
			t.Skip("SQLite's BEGIN IMMEDIATE makes the second holder wait")
		}
		ctx := context.Background()
		for _, firstUnlocksFirst := range []bool{true, false} {
			user := uniqueUser("two-holders")
			db := d.open(t)
			s, err := NewTokenStore(db, d.dialect, "withings", user)
			require.NoError(t, err)
			unlock1, err := s.LockToken(ctx)
			require.NoError(t, err)
			unlock2, err := s.LockToken(ctx)
			require.NoError(t, err)
			if firstUnlocksFirst {
				require.NoError(t, unlock1())
				require.NoError(t, unlock2())
			} else {
				require.NoError(t, unlock2())
				require.NoError(t, unlock1())
			}

			// A Save on the same pool, whichever connection it gets.
			for i := range 2 {
				fresh, err := NewTokenStore(db, d.dialect, "withings", user)
				require.NoError(t, err)
				require.NoError(t, fresh.Save(ctx, &oauth2.Token{AccessToken: "a", RefreshToken: fmt.Sprintf("r%d", i)}))
				other, err := NewTokenStore(d.open(t), d.dialect, "withings", user)
				require.NoError(t, err)
				tok, err := other.Load(ctx)
				require.NoError(t, err)
				if assert.NotNil(t, tok, "the saved token is committed (first unlocks first: %v)", firstUnlocksFirst) {
					assert.Equal(t, fmt.Sprintf("r%d", i), tok.RefreshToken)
				}
			}
		}
	})
}
