package corsano_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/corsano"
	"github.com/wearkit/wearkit/corsano/corsanotest"
	"github.com/wearkit/wearkit/wearkittest"
)

// TestNoTokenInAnyError provokes every kind of failure the package has,
// with servers that echo the secrets they were sent, and looks for the
// researcher token and the health tokens in the errors (their text, their
// fields and every error their chains reach) and in the log.
func TestNoTokenInAnyError(t *testing.T) {
	var logBuf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	f := newFixture(t, nil, corsano.WithLogger(logger))
	ctx := context.Background()
	uuid := corsanotest.ExamplePatient
	// A health token exists, so the echoes below can hold it.
	_, err := f.c.RawMetrics(ctx, uuid, corsano.Activity, t0.Add(-time.Hour), t0)
	require.NoError(t, err)
	health := f.srv.HealthTokens()[0]
	echo := func(secret string) string {
		return `{"message":"refused token ` + secret + `","raw":"` + url.QueryEscape(secret) + `"}`
	}

	var errs []error
	collect := func(err error) {
		t.Helper()
		require.Error(t, err)
		errs = append(errs, err)
	}

	// Integration API: echoes, a reset connection, a bad answer.
	f.srv.Faults.Push(wearkittest.Fault{Status: http.StatusForbidden, Body: echo(corsanotest.ResearcherToken)})
	_, err = f.c.Groups(ctx)
	collect(err)
	// net/http itself resends a GET whose reused connection was reset, so
	// more resets than attempts are queued, and the rest dropped.
	for range 10 {
		f.srv.Faults.Push(wearkittest.Fault{Reset: true})
	}
	_, err = f.c.Patients(ctx, corsanotest.GroupCode, nil)
	collect(err)
	f.srv.Faults.Clear()
	f.srv.Faults.Push(wearkittest.Fault{Status: http.StatusOK, Body: `{"token":` + corsanotest.ResearcherToken})
	_, err = f.c.Groups(ctx)
	collect(err)
	// The x-health-token header of user-devices.
	f.srv.Faults.Push(wearkittest.Fault{Status: http.StatusBadRequest, Body: echo(health)})
	_, err = f.c.UserDevices(ctx, uuid)
	collect(err)
	// Health API: an echo of the bearer token, a 401 twice.
	f.srv.Health.Faults.Push(wearkittest.Fault{Status: http.StatusBadRequest, Body: echo(health)})
	_, err = f.c.RawMetrics(ctx, uuid, corsano.Activity, t0.Add(-time.Hour), t0)
	collect(err)
	f.srv.Health.Faults.Push(wearkittest.Fault{Status: http.StatusUnauthorized, Body: echo(health)}, wearkittest.Fault{Status: http.StatusUnauthorized, Body: echo(health)})
	_, err = f.c.RawMetrics(ctx, uuid, corsano.Activity, t0.Add(-time.Hour), t0)
	collect(err)
	// The health-token call fails, echoing the researcher token.
	f.srv.Faults.Push(wearkittest.Fault{Status: http.StatusInternalServerError, Body: echo(corsanotest.ResearcherToken)},
		wearkittest.Fault{Status: http.StatusInternalServerError, Body: echo(corsanotest.ResearcherToken)},
		wearkittest.Fault{Status: http.StatusInternalServerError, Body: echo(corsanotest.ResearcherToken)})
	_, err = f.c.RawMetrics(ctx, corsanotest.SecondPatient, corsano.Activity, t0.Add(-time.Hour), t0)
	collect(err)
	// A health-token answer the client cannot read holds no text of it.
	f.srv.Faults.Push(wearkittest.Fault{Status: http.StatusOK, Body: `{"jwt":"` + health + `"}`})
	_, err = f.c.RawMetrics(ctx, corsanotest.ThirdPatient, corsano.Activity, t0.Add(-time.Hour), t0)
	collect(err)
	// Exports: the server's refusal, the cooldown, an unknown status, an
	// expired link.
	f.srv.Faults.Push(wearkittest.Fault{Status: http.StatusTooManyRequests, Body: echo(corsanotest.ResearcherToken), RetryAfter: "60"})
	_, err = f.c.CreateExport(ctx, uuid, lastHour)
	collect(err)
	_, err = f.c.CreateExport(ctx, uuid, lastHour)
	collect(err)
	f.clock.Advance(corsano.ExportCooldown)
	e, err := f.c.CreateExport(ctx, uuid, lastHour)
	require.NoError(t, err)
	for range corsano.MaxURLRenewals + 1 {
		f.srv.Storage.Faults.Push(wearkittest.Fault{Status: http.StatusForbidden, Body: "<Error><Message>Request has expired</Message></Error>"})
	}
	collect(f.c.SaveExport(ctx, e.ID, io.Discard))
	f.srv.Storage.Faults.Push(wearkittest.Fault{Status: http.StatusNotFound, Body: "<Error><Code>NoSuchKey</Code></Error>"})
	err = f.c.SaveExport(ctx, e.ID, io.Discard)
	collect(err)
	assert.Contains(t, err.Error(), "?REDACTED", "the link's signature is cut")
	assert.NotContains(t, err.Error(), "X-Amz-Signature")

	secrets := append(f.srv.HealthTokens(), corsanotest.ResearcherToken)
	require.GreaterOrEqual(t, len(secrets), 3)
	for _, err := range errs {
		requireNoSecret(t, f.srv, err)
		var we *wearkit.Error
		if errors.As(err, &we) {
			for _, s := range secrets {
				assert.NotContains(t, we.URL, s)
				assert.NotContains(t, string(we.Body), s)
				assert.NotContains(t, we.Message, s)
			}
		}
	}
	require.NotEmpty(t, logBuf.String())
	for _, s := range secrets {
		assert.NotContains(t, logBuf.String(), s)
	}
}
