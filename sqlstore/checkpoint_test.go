package sqlstore

import (
	"context"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit/samples"
)

func cpLess(a, b samples.Checkpoint) bool {
	if !a.Start.Equal(b.Start) {
		return a.Start.Before(b.Start)
	}
	return a.AtStart < b.AtStart
}

func TestCheckpointRoundTripAndForwardOnly(t *testing.T) {
	eachDB(t, func(t *testing.T, d testDB) {
		ctx := context.Background()
		user := uniqueUser("cp")
		s, err := NewCheckpointStore(d.open(t), d.dialect, user)
		require.NoError(t, err)
		_, ok, err := s.Load(ctx, samples.Steps, "watch")
		require.NoError(t, err)
		assert.False(t, ok)

		t0 := time.Date(2026, 12, 1, 8, 0, 0, 500, time.UTC)
		require.NoError(t, s.Save(ctx, samples.Steps, "watch", samples.Checkpoint{Start: t0, AtStart: 2, Sent: 10}))
		other, _ := NewCheckpointStore(d.open(t), d.dialect, user)
		cp, ok, err := other.Load(ctx, samples.Steps, "watch")
		require.NoError(t, err)
		require.True(t, ok)
		assert.True(t, t0.Equal(cp.Start))
		assert.Equal(t, 2, cp.AtStart)
		assert.Equal(t, int64(10), cp.Sent)

		// Backward (earlier start, or fewer at the same start) is kept out.
		require.NoError(t, other.Save(ctx, samples.Steps, "watch", samples.Checkpoint{Start: t0.Add(-time.Hour), AtStart: 9, Sent: 3}))
		require.NoError(t, other.Save(ctx, samples.Steps, "watch", samples.Checkpoint{Start: t0, AtStart: 1, Sent: 9}))
		cp, _, _ = s.Load(ctx, samples.Steps, "watch")
		assert.Equal(t, 2, cp.AtStart)
		assert.Equal(t, int64(10), cp.Sent)
		// Forward moves.
		require.NoError(t, other.Save(ctx, samples.Steps, "watch", samples.Checkpoint{Start: t0, AtStart: 3, Sent: 11}))
		cp, _, _ = s.Load(ctx, samples.Steps, "watch")
		assert.Equal(t, 3, cp.AtStart)
		require.NoError(t, other.Save(ctx, samples.Steps, "watch", samples.Checkpoint{Start: t0.Add(time.Nanosecond), Sent: 12}))
		cp, _, _ = s.Load(ctx, samples.Steps, "watch")
		assert.True(t, t0.Add(time.Nanosecond).Equal(cp.Start))

		// Keys: data type, device and user are apart; old times keep.
		old := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
		require.NoError(t, s.Save(ctx, samples.BPM, "watch", samples.Checkpoint{Start: old}))
		cp, ok, _ = s.Load(ctx, samples.BPM, "watch")
		require.True(t, ok)
		assert.True(t, old.Equal(cp.Start), "%v", cp.Start)
		_, ok, _ = s.Load(ctx, samples.Steps, "ring")
		assert.False(t, ok)
		stranger, _ := NewCheckpointStore(d.open(t), d.dialect, uniqueUser("cp-other"))
		_, ok, _ = stranger.Load(ctx, samples.Steps, "watch")
		assert.False(t, ok)

		require.ErrorContains(t, s.Save(ctx, samples.Steps, "", samples.Checkpoint{}), "empty device name")
		require.ErrorContains(t, s.Save(ctx, samples.Steps, "w", samples.Checkpoint{AtStart: -1}), "negative at_start (-1)")
		_, err = NewCheckpointStore(nil, SQLite, "u")
		require.ErrorContains(t, err, "nil *sql.DB")
		_, err = NewCheckpointStore(d.open(t), d.dialect, "")
		require.ErrorContains(t, err, "empty user")
	})
}

// TestCheckpointNeverMovesBackward: 8 replicas, each with its own pool,
// save checkpoints in random order while a reader watches; what the reader
// sees never goes back, and the end is the furthest saved.
func TestCheckpointNeverMovesBackward(t *testing.T) {
	eachDB(t, func(t *testing.T, d testDB) {
		const replicas, saves = 8, 40
		ctx := context.Background()
		user := uniqueUser("cp-race")
		t0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
		at := func(i int) samples.Checkpoint {
			return samples.Checkpoint{Start: t0.Add(time.Duration(i/3) * time.Minute), AtStart: i % 3, Sent: int64(i)}
		}
		var wg sync.WaitGroup
		done := make(chan struct{})
		var seen []samples.Checkpoint
		reader, _ := NewCheckpointStore(d.open(t), d.dialect, user)
		go func() {
			defer close(done)
			for {
				cp, ok, err := reader.Load(ctx, samples.BPM, "band")
				if !assert.NoError(t, err) {
					return
				}
				if ok {
					seen = append(seen, cp)
				}
				if ok && cp.Sent == replicas*saves-1 {
					return
				}
			}
		}()
		for r := range replicas {
			s, err := NewCheckpointStore(d.open(t), d.dialect, user)
			require.NoError(t, err)
			wg.Add(1)
			go func() {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(r), 7))
				for _, i := range rng.Perm(replicas * saves) {
					if i%replicas != r {
						continue
					}
					assert.NoError(t, s.Save(ctx, samples.BPM, "band", at(i)))
				}
			}()
		}
		wg.Wait()
		<-done
		require.NotEmpty(t, seen)
		for i := 1; i < len(seen); i++ {
			require.False(t, cpLess(seen[i], seen[i-1]), "read %d went back from %+v to %+v", i, seen[i-1], seen[i])
		}
		last := seen[len(seen)-1]
		assert.Equal(t, at(replicas*saves-1).AtStart, last.AtStart)
		assert.True(t, at(replicas*saves-1).Start.Equal(last.Start))
	})
}
