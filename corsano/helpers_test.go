package corsano_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit/corsano"
	"github.com/wearkit/wearkit/corsano/corsanotest"
	"github.com/wearkit/wearkit/wearkittest"
)

// t0 is where the tests' fake clocks start: 10:00 in the patients' zone.
var t0 = time.Date(2025, 10, 8, 10, 0, 0, 0, corsanotest.Zone)

// fixture is a fake with a stopped clock and a client of it.
type fixture struct {
	srv   *corsanotest.Server
	clock *wearkittest.Clock
	c     *corsano.Client
}

func newFixture(t *testing.T, srvOpts []corsanotest.Option, opts ...corsano.Option) *fixture {
	t.Helper()
	clock := wearkittest.NewClock(t0)
	srv := corsanotest.New(t, append([]corsanotest.Option{corsanotest.WithClock(clock)}, srvOpts...)...)
	return &fixture{srv: srv, clock: clock, c: newClient(t, srv, clock, opts...)}
}

// newClient returns a client of srv on clock with millisecond retries and
// polls.
func newClient(t *testing.T, srv *corsanotest.Server, clock *wearkittest.Clock, opts ...corsano.Option) *corsano.Client {
	t.Helper()
	all := append([]corsano.Option{
		corsano.WithResearcherToken(corsanotest.ResearcherToken),
		corsano.WithBaseURL(srv.BaseURL()),
		corsano.WithHealthBaseURL(srv.HealthURL()),
		corsano.WithClock(clock.Now),
		corsano.WithRetry(3, time.Millisecond, 5*time.Millisecond),
		corsano.WithPollInterval(time.Millisecond),
		corsano.WithMaxPollInterval(4 * time.Millisecond),
	}, opts...)
	c, err := corsano.New(all...)
	require.NoError(t, err)
	return c
}

// requireNoSecret fails when err's text, or the text of any error its
// chain reaches, holds the researcher token or a health token of srv.
func requireNoSecret(t *testing.T, srv *corsanotest.Server, err error) {
	t.Helper()
	if err == nil {
		return
	}
	secrets := append(srv.HealthTokens(), corsanotest.ResearcherToken)
	for e := range chain(err) {
		for _, s := range secrets {
			require.NotContains(t, e.Error(), s, "a token leaked into an error")
			// A JWT's parts alone identify it too.
			if i := strings.LastIndexByte(s, '.'); i > 0 {
				require.NotContains(t, e.Error(), s[i+1:], "a token's signature leaked into an error")
			}
		}
	}
}

// chain yields err and every error its Unwrap methods reach.
func chain(err error) func(func(error) bool) {
	return func(yield func(error) bool) {
		stack := []error{err}
		for len(stack) > 0 {
			e := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if e == nil {
				continue
			}
			if !yield(e) {
				return
			}
			switch u := e.(type) {
			case interface{ Unwrap() error }:
				stack = append(stack, u.Unwrap())
			case interface{ Unwrap() []error }:
				stack = append(stack, u.Unwrap()...)
			}
		}
	}
}
