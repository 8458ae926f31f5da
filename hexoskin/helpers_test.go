package hexoskin_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/wearkit/wearkit/hexoskin"
	"github.com/wearkit/wearkit/hexoskin/hexoskintest"
)

// newClient returns an API-key client of srv without rate limit and with
// millisecond retries.
func newClient(t *testing.T, srv *hexoskintest.Server, opts ...hexoskin.Option) *hexoskin.Client {
	t.Helper()
	all := append([]hexoskin.Option{
		hexoskin.WithBaseURL(srv.URL),
		hexoskin.WithAPIKey(hexoskintest.PublicKey, hexoskintest.PrivateKey),
		hexoskin.WithRateLimit(rate.Inf, 1),
		hexoskin.WithRetry(3, time.Millisecond, 5*time.Millisecond),
	}, opts...)
	c, err := hexoskin.New(all...)
	require.NoError(t, err)
	return c
}

func collect[T any](t *testing.T, seq func(func(T, error) bool)) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		require.NoError(t, err)
		out = append(out, v)
	}
	return out
}
