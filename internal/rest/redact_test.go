package rest

import (
	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/internal/redact"

	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/wearkit/wearkit/wearkittest"
)

// Every secret is distinctive so that a leak anywhere is found by a plain
// substring search.
var secretValues = []string{
	"q-token-5ecret", "q-access-5ecret", "q-refresh-5ecret", "q-client-5ecret", "q-code-5ecret",
	"q-password-5ecret", "q-apikey-5ecret", "q-signature-5ecret",
	"h-bearer-5ecret", "h-xapikey-5ecret", "h-polar-5ecret", "h-hexokey-5ecret", "h-hexosig-5ecret",
	"f-refresh-5ecret", "a-oauth-5ecret",
}

func secretPath() string {
	q := url.Values{
		"token": {"q-token-5ecret"}, "access_token": {"q-access-5ecret"}, "refresh_token": {"q-refresh-5ecret"},
		"client_secret": {"q-client-5ecret"}, "code": {"q-code-5ecret"}, "password": {"q-password-5ecret"},
		"api_key": {"q-apikey-5ecret"}, "Signature": {"q-signature-5ecret"}, "date": {"2026-11-21"},
	}
	return "v1/patients/abc?" + q.Encode()
}

func secretHeader() http.Header {
	return http.Header{
		"X-API-Key":          {"h-xapikey-5ecret"},
		"X-Polar-Token":      {"h-polar-5ecret"},
		"X-HEXOAPIKEY":       {"h-hexokey-5ecret"},
		"X-HEXOAPISIGNATURE": {"h-hexosig-5ecret"},
	}
}

func assertNoSecrets(t *testing.T, where, text string) {
	t.Helper()
	for _, s := range secretValues {
		assert.NotContains(t, text, s, "%s leaks a secret", where)
	}
}

func TestSecretsNeverInErrorsOrLogs(t *testing.T) {
	// A vendor that echoes everything it got back in its error body.
	srv := wearkittest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := new(bytes.Buffer)
		_, _ = body.ReadFrom(r.Body)
		var echo strings.Builder
		echo.WriteString(r.URL.String() + " " + body.String())
		for k, v := range r.Header {
			echo.WriteString(" " + k + "=" + strings.Join(v, ","))
		}
		wearkittest.WriteJSON(w, http.StatusUnauthorized, map[string]string{"message": echo.String(), "code": r.URL.Query().Get("code")})
	}))
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newClient(t, srv.URL, func(cfg *Config) {
		cfg.Logger = logger
		cfg.Auth = BearerAuth(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "h-bearer-5ecret"}))
	})

	_, err := c.Do(context.Background(), &wearkit.Request{
		Method: "POST", Path: secretPath(), Header: secretHeader(), Safe: true,
		Form: url.Values{"refresh_token": {"f-refresh-5ecret"}, "grant_type": {"refresh_token"}},
	}, nil)
	require.ErrorIs(t, err, wearkit.ErrUnauthorized)
	var e *wearkit.Error
	require.ErrorAs(t, err, &e)
	assertNoSecrets(t, "the error string", err.Error())
	assertNoSecrets(t, "the error URL", e.URL)
	assertNoSecrets(t, "the error body", string(e.Body))
	assertNoSecrets(t, "the error message", e.Message)
	assertNoSecrets(t, "the error code", e.Code)
	assert.Contains(t, e.URL, "date=2026-11-21", "what is not secret stays readable")
	assert.Contains(t, e.URL, "token="+redact.Redacted)
	assert.Contains(t, string(e.Body), redact.Redacted, "the echo was scrubbed, not dropped")

	// A transport error: the *url.Error inside names the URL too.
	dead := newClient(t, "http://"+closedAddr(t), func(cfg *Config) {
		cfg.Logger = logger
		cfg.Retry.MaxAttempts = 2
		cfg.Auth = QueryAuth("token", "a-oauth-5ecret")
	})
	_, err = dead.Do(context.Background(), &wearkit.Request{Path: secretPath(), Header: secretHeader()}, nil)
	require.Error(t, err)
	assertNoSecrets(t, "the transport error", err.Error())
	var ue *url.Error
	require.ErrorAs(t, err, &ue)
	assertNoSecrets(t, "the wrapped *url.Error", ue.URL)
	assertNoSecrets(t, "the wrapped *url.Error text", ue.Error())

	require.NotEmpty(t, logs.String())
	assert.Contains(t, logs.String(), "status=401")
	assert.Contains(t, logs.String(), "attempt=")
	assertNoSecrets(t, "the log", logs.String())
}

func TestUnparseablePathOrBaseURLDoesNotLeakSecrets(t *testing.T) {
	c, err := New(Config{BaseURL: "http://127.0.0.1:1/"})
	require.NoError(t, err)
	// A next link with a bad escape in its path and a token in its query.
	_, err = c.Do(context.Background(), &wearkit.Request{Path: "/api/x%zz/?token=q-token-5ecret&limit=20"}, nil)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "q-token-5ecret")

	_, err = New(Config{BaseURL: "https://user:pw-5ecret@host/api%zz?api_key=q-apikey-5ecret"})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "q-apikey-5ecret")
	assert.NotContains(t, err.Error(), "pw-5ecret")
	assert.Contains(t, err.Error(), "https://REDACTED@host/api%zz?api_key=REDACTED")
}
