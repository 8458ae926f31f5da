package sqlstore

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/samples"
)

// eachBenchDB runs f on SQLite and on PostgreSQL (skipped when it is not
// reachable).
func eachBenchDB(b *testing.B, f func(b *testing.B, d testDB)) {
	b.Run("sqlite", func(b *testing.B) { f(b, sqliteDB(b)) })
	b.Run("postgresql", func(b *testing.B) { f(b, postgresDB(b)) })
}

func opsPerSecond(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
}

// BenchmarkRoundTrip is the baseline: one SELECT 1 on the same pool.
func BenchmarkRoundTrip(b *testing.B) {
	eachBenchDB(b, func(b *testing.B, d testDB) {
		db := d.open(b)
		ctx := context.Background()
		var one int
		b.ResetTimer()
		for range b.N {
			if err := db.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
				b.Fatal(err)
			}
		}
		opsPerSecond(b)
	})
}

// BenchmarkFileTokenSave is the baseline for a save: wearkit's file store
// (write, fsync, rename, fsync of the folder).
func BenchmarkFileTokenSave(b *testing.B) {
	s := wearkit.NewFileTokenStore(filepath.Join(b.TempDir(), "token.json"))
	ctx := context.Background()
	for i := range b.N {
		if err := s.Save(ctx, &oauth2.Token{AccessToken: "a" + strconv.Itoa(i), RefreshToken: "r" + strconv.Itoa(i), Expiry: time.Now()}); err != nil {
			b.Fatal(err)
		}
	}
	opsPerSecond(b)
}

func benchTokenStore(b *testing.B, d testDB) *TokenStore {
	s, err := NewTokenStore(d.open(b), d.dialect, "withings", uniqueUser("bench"))
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Save(context.Background(), &oauth2.Token{AccessToken: "a", RefreshToken: "r", Expiry: time.Now()}); err != nil {
		b.Fatal(err)
	}
	return s
}

func BenchmarkTokenLoad(b *testing.B) {
	eachBenchDB(b, func(b *testing.B, d testDB) {
		s := benchTokenStore(b, d)
		ctx := context.Background()
		b.ResetTimer()
		for range b.N {
			if _, err := s.Load(ctx); err != nil {
				b.Fatal(err)
			}
		}
		opsPerSecond(b)
	})
}

// BenchmarkTokenSave is a conditional save (the refresh token it replaces
// checked in the UPDATE).
func BenchmarkTokenSave(b *testing.B) {
	eachBenchDB(b, func(b *testing.B, d testDB) {
		s := benchTokenStore(b, d)
		ctx := context.Background()
		b.ResetTimer()
		for i := range b.N {
			if err := s.Save(ctx, &oauth2.Token{AccessToken: "a" + strconv.Itoa(i), RefreshToken: "r" + strconv.Itoa(i), Expiry: time.Now()}); err != nil {
				b.Fatal(err)
			}
		}
		opsPerSecond(b)
	})
}

// BenchmarkTokenRefreshCycle is what a refresh costs the database: lock,
// reload, conditional save, unlock (commit).
func BenchmarkTokenRefreshCycle(b *testing.B) {
	eachBenchDB(b, func(b *testing.B, d testDB) {
		s := benchTokenStore(b, d)
		ctx := context.Background()
		b.ResetTimer()
		for i := range b.N {
			unlock, err := s.LockToken(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := s.Load(ctx); err != nil {
				b.Fatal(err)
			}
			if err := s.Save(ctx, &oauth2.Token{AccessToken: "a" + strconv.Itoa(i), RefreshToken: "r" + strconv.Itoa(i), Expiry: time.Now()}); err != nil {
				b.Fatal(err)
			}
			if err := unlock(); err != nil {
				b.Fatal(err)
			}
		}
		opsPerSecond(b)
	})
}

// BenchmarkCheckpointSave is a forward-only upsert that moves forward.
func BenchmarkCheckpointSave(b *testing.B) {
	eachBenchDB(b, func(b *testing.B, d testDB) {
		s, err := NewCheckpointStore(d.open(b), d.dialect, uniqueUser("bench-cp"))
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		t0 := time.Now()
		b.ResetTimer()
		for i := range b.N {
			if err := s.Save(ctx, samples.Steps, "watch", samples.Checkpoint{Start: t0.Add(time.Duration(i) * time.Second), Sent: int64(i)}); err != nil {
				b.Fatal(err)
			}
		}
		opsPerSecond(b)
	})
}

func BenchmarkCheckpointLoad(b *testing.B) {
	eachBenchDB(b, func(b *testing.B, d testDB) {
		s, err := NewCheckpointStore(d.open(b), d.dialect, uniqueUser("bench-cp"))
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		if err := s.Save(ctx, samples.Steps, "watch", samples.Checkpoint{Start: time.Now(), Sent: 1}); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for range b.N {
			if _, _, err := s.Load(ctx, samples.Steps, "watch"); err != nil {
				b.Fatal(err)
			}
		}
		opsPerSecond(b)
	})
}
