package sqlstore

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit/samples"
	"github.com/wearkit/wearkit/samples/samplestest"
	"github.com/wearkit/wearkit/wearkittest"
)

// TestConcurrentSyncsShareCheckpoints: 4 replicas, each with its own pool,
// sync growing parts of one week of the same user's steps at once through
// the samples Syncer; a reader sees the checkpoint only go forward, it
// ends at the last sample, nothing is missing at the fake, and a fifth
// sync sends nothing.
func TestConcurrentSyncsShareCheckpoints(t *testing.T) {
	eachDB(t, func(t *testing.T, d testDB) {
		const replicas = 4
		ctx := context.Background()
		srv := samplestest.New(t)
		user := uniqueUser("sync")
		day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
		person, err := wearkittest.NewPerson(wearkittest.PersonConfig{Seed: 7})
		require.NoError(t, err)
		all, err := samplestest.Generate(person, samples.Steps, "watch", day, day.Add(7*24*time.Hour))
		require.NoError(t, err)
		require.Greater(t, len(all), 100)
		client := func() *samples.Client {
			c, err := samples.New(samples.WithBaseURL(srv.URL), samples.WithLogin(samplestest.Username, samplestest.Password), samples.WithUserID(user))
			require.NoError(t, err)
			return c
		}
		require.NoError(t, client().RegisterUser(ctx, samples.User{ID: user, Sex: samples.Female, YearOfBirth: 1990}))

		stop := make(chan struct{})
		readerDone := make(chan struct{})
		reader, _ := NewCheckpointStore(d.open(t), d.dialect, user)
		var seen []samples.Checkpoint
		go func() {
			defer close(readerDone)
			for {
				select {
				case <-stop:
					return
				default:
				}
				cp, ok, err := reader.Load(ctx, samples.Steps, "watch")
				if !assert.NoError(t, err) {
					return
				}
				if ok {
					seen = append(seen, cp)
				}
				time.Sleep(time.Millisecond)
			}
		}()
		var wg sync.WaitGroup
		for r := range replicas {
			store, err := NewCheckpointStore(d.open(t), d.dialect, user)
			require.NoError(t, err)
			part := all[:len(all)*(r+1)/replicas]
			c := client()
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := (&samples.Syncer{Client: c, Store: store, Concurrency: 2}).Sync(ctx, samples.Steps, part)
				assert.NoError(t, err, "replica %d", r)
			}()
		}
		wg.Wait()
		close(stop)
		<-readerDone
		for i := 1; i < len(seen); i++ {
			require.False(t, cpLess(seen[i], seen[i-1]), "read %d went back from %+v to %+v", i, seen[i-1], seen[i])
		}
		cp, ok, err := reader.Load(ctx, samples.Steps, "watch")
		require.NoError(t, err)
		require.True(t, ok)
		assert.True(t, all[len(all)-1].Start.Equal(cp.Start), "the checkpoint is at the last sample: %v", cp.Start)
		missing, _, unexpected := srv.Compare(samples.Steps, all)
		assert.Empty(t, missing)
		assert.Zero(t, unexpected)

		store, _ := NewCheckpointStore(d.open(t), d.dialect, user)
		rep, err := (&samples.Syncer{Client: client(), Store: store}).Sync(ctx, samples.Steps, all)
		require.NoError(t, err)
		assert.Zero(t, rep.Sent, "a later sync sends nothing")
		assert.Equal(t, len(all), rep.Skipped)
	})
}
