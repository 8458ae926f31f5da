package rest

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/wearkit/wearkit"
)

// KeyedLimiter keeps one token bucket per key, for vendors that limit per
// user or per resource (Corsano allows one export per patient every five
// minutes). Buckets are created on first use.
type KeyedLimiter struct {
	limit rate.Limit
	burst int

	mu      sync.Mutex
	buckets map[string]*rate.Limiter
}

// NewKeyedLimiter returns a limiter that grants each key limit events per
// second with the given burst. rate.Every(5*time.Minute) with burst 1 is
// "once per five minutes per key".
func NewKeyedLimiter(limit rate.Limit, burst int) *KeyedLimiter {
	return &KeyedLimiter{limit: limit, burst: burst, buckets: map[string]*rate.Limiter{}}
}

// Limiter returns the bucket for key, creating it if needed.
func (k *KeyedLimiter) Limiter(key string) *rate.Limiter {
	k.mu.Lock()
	defer k.mu.Unlock()
	l, ok := k.buckets[key]
	if !ok {
		l = rate.NewLimiter(k.limit, k.burst)
		k.buckets[key] = l
	}
	return l
}

// Wait blocks until key's bucket grants one event or ctx ends. When the
// grant would come after ctx's deadline it fails at once with *LimitError.
func (k *KeyedLimiter) Wait(ctx context.Context, key string) error {
	return waitLimiter(ctx, k.Limiter(key), key)
}

// waitLimiter reserves a token and waits for it, failing at once when the
// reservation would outlive the context.
func waitLimiter(ctx context.Context, l *rate.Limiter, key string) error {
	if l == nil {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	now := time.Now()
	r := l.ReserveN(now, 1)
	if !r.OK() {
		return &wearkit.LimitError{Key: key, Delay: rate.InfDuration}
	}
	delay := r.DelayFrom(now)
	if delay == 0 {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok && now.Add(delay).After(dl) {
		r.CancelAt(now)
		return &wearkit.LimitError{Key: key, Delay: delay}
	}
	t := time.NewTimer(delay)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		r.Cancel()
		return ctx.Err()
	}
}
