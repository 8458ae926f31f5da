package withingstest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit/wearkittest"
	"github.com/wearkit/wearkit/withings/withingstest"
)

type answer struct {
	Status int             `json:"status"`
	Body   json.RawMessage `json:"body"`
	Error  string          `json:"error"`
}

func call(t *testing.T, srv *withingstest.Server, method, path string, form url.Values, token string) (int, answer) {
	t.Helper()
	var body io.Reader
	if method == http.MethodPost {
		body = strings.NewReader(form.Encode())
	} else if form != nil {
		path += "?" + form.Encode()
	}
	req, err := http.NewRequest(method, srv.URL+path, body)
	require.NoError(t, err)
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var a answer
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	_ = json.Unmarshal(b, &a)
	return resp.StatusCode, a
}

func tokenForm(extra url.Values) url.Values {
	f := url.Values{"action": {"requesttoken"}, "client_id": {withingstest.ClientID}, "client_secret": {withingstest.ClientSecret}}
	for k, v := range extra {
		f[k] = v
	}
	return f
}

func TestTokenEndpointRules(t *testing.T) {
	srv := withingstest.New(t)
	tok := srv.Token()

	_, a := call(t, srv, http.MethodGet, withingstest.TokenPath, tokenForm(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}}), "")
	assert.Equal(t, 2554, a.Status, "POST only")
	f := tokenForm(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}})
	f.Del("action")
	_, a = call(t, srv, http.MethodPost, withingstest.TokenPath, f, "")
	assert.Equal(t, 2554, a.Status, "action=requesttoken required")
	f = tokenForm(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}})
	f.Set("client_secret", "wrong")
	_, a = call(t, srv, http.MethodPost, withingstest.TokenPath, f, "")
	assert.Equal(t, 503, a.Status)

	// A refresh rotates; the old refresh token lives until the new access
	// token is used.
	status, a := call(t, srv, http.MethodPost, withingstest.TokenPath, tokenForm(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}}), "")
	require.Equal(t, 200, status)
	require.Equal(t, 0, a.Status, a.Error)
	var raw map[string]any
	require.NoError(t, json.Unmarshal(a.Body, &raw))
	assert.IsType(t, float64(0), raw["userid"], "a number after a refresh")
	assert.Equal(t, float64(10800), raw["expires_in"])
	newAccess := raw["access_token"].(string)
	assert.True(t, srv.RefreshTokenAlive(tok.RefreshToken))
	_, a = call(t, srv, http.MethodGet, "/v2/user", url.Values{"action": {"getdevice"}}, newAccess)
	require.Equal(t, 0, a.Status)
	assert.False(t, srv.RefreshTokenAlive(tok.RefreshToken), "died with the new token's first use")
	_, a = call(t, srv, http.MethodPost, withingstest.TokenPath, tokenForm(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}}), "")
	assert.Equal(t, 503, a.Status)
	assert.Contains(t, a.Error, "invalid refresh_token")
}

func TestRefreshTokenGrace(t *testing.T) {
	clock := wearkittest.NewClock(time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
	srv := withingstest.New(t, withingstest.WithClock(clock))
	tok := srv.Token()
	_, a := call(t, srv, http.MethodPost, withingstest.TokenPath, tokenForm(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}}), "")
	require.Equal(t, 0, a.Status)
	clock.Advance(withingstest.RefreshGrace - time.Second)
	assert.True(t, srv.RefreshTokenAlive(tok.RefreshToken))
	clock.Advance(time.Second)
	assert.False(t, srv.RefreshTokenAlive(tok.RefreshToken), "8 hours after the refresh")
}

func TestAuthorizePage(t *testing.T) {
	srv := withingstest.New(t)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	good := url.Values{"response_type": {"code"}, "client_id": {withingstest.ClientID}, "redirect_uri": {withingstest.RedirectURL}, "state": {"s"}, "scope": {"user.metrics,user.activity"}}
	for key, bad := range map[string]string{"response_type": "token", "client_id": "x", "redirect_uri": "https://evil.example.com/cb", "state": "", "scope": "user.metrics user.activity"} {
		q := url.Values{}
		for k, v := range good {
			q[k] = v
		}
		q.Set(key, bad)
		resp, err := noFollow.Get(srv.URL + withingstest.AuthorizePath + "?" + q.Encode())
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode, key)
	}
	resp, err := noFollow.Get(srv.URL + withingstest.AuthorizePath + "?" + good.Encode())
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode)
	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	code := loc.Query().Get("code")

	// The code must come back with the same redirect_uri.
	_, a := call(t, srv, http.MethodPost, withingstest.TokenPath, tokenForm(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {"https://other.example.com/cb"}}), "")
	assert.Equal(t, 503, a.Status)
	_, a = call(t, srv, http.MethodPost, withingstest.TokenPath, tokenForm(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {withingstest.RedirectURL}}), "")
	require.Equal(t, 0, a.Status, a.Error)
	var raw map[string]any
	require.NoError(t, json.Unmarshal(a.Body, &raw))
	assert.Equal(t, withingstest.UserID, raw["userid"], "a string after a code exchange")
}

func TestAPIRules(t *testing.T) {
	clock := wearkittest.NewClock(time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
	srv := withingstest.New(t, withingstest.WithClock(clock))
	tok := srv.Token()
	_, a := call(t, srv, http.MethodGet, "/v2/user", url.Values{"action": {"getdevice"}}, "")
	assert.Equal(t, 401, a.Status)
	_, a = call(t, srv, http.MethodGet, "/v2/user", url.Values{"action": {"getinfo2"}}, tok.AccessToken)
	assert.Equal(t, 2554, a.Status)
	_, a = call(t, srv, http.MethodGet, "/v2/measure", url.Values{"action": {"getactivity"}}, tok.AccessToken)
	assert.Equal(t, 503, a.Status, "a date, a range or lastupdate is required")
	_, a = call(t, srv, http.MethodPost, "/measure", url.Values{"action": {"getmeas"}, "startdate": {"1773000000"}}, tok.AccessToken)
	assert.Equal(t, 503, a.Status, "startdate without enddate")

	// getmeas leaves more and offset out on its last page.
	_, a = call(t, srv, http.MethodPost, "/measure", url.Values{"action": {"getmeas"}}, tok.AccessToken)
	require.Equal(t, 0, a.Status)
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(a.Body, &m))
	assert.NotContains(t, m, "more")
	assert.NotContains(t, m, "offset")

	clock.Advance(withingstest.AccessLifetime)
	_, a = call(t, srv, http.MethodGet, "/v2/user", url.Values{"action": {"getdevice"}}, tok.AccessToken)
	assert.Equal(t, 401, a.Status, "access tokens live 3 hours")
}

func TestRateLimit601(t *testing.T) {
	clock := wearkittest.NewClock(time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
	srv := withingstest.New(t, withingstest.WithClock(clock))
	tok := srv.Token()
	for range withingstest.RequestsPerMinute {
		_, a := call(t, srv, http.MethodGet, "/v2/user", url.Values{"action": {"getdevice"}}, tok.AccessToken)
		require.Equal(t, 0, a.Status)
	}
	clock.Advance(20 * time.Second)
	_, a := call(t, srv, http.MethodGet, "/v2/user", url.Values{"action": {"getdevice"}}, tok.AccessToken)
	assert.Equal(t, 601, a.Status)
	assert.JSONEq(t, `{"wait_seconds":40}`, string(a.Body))
}

func TestSubscribeChecksTheCallback(t *testing.T) {
	srv := withingstest.New(t)
	tok := srv.Token()
	_, a := call(t, srv, http.MethodPost, "/notify", url.Values{"action": {"subscribe"}, "callbackurl": {"http://hooks.example.com/w"}, "appli": {"1"}, "comment": {"c"}}, tok.AccessToken)
	assert.Equal(t, 293, a.Status, "HTTPS only")
	_, a = call(t, srv, http.MethodPost, "/notify", url.Values{"action": {"subscribe"}, "callbackurl": {"https://127.0.0.1/w"}, "appli": {"1"}, "comment": {"c"}}, tok.AccessToken)
	assert.Equal(t, 293, a.Status, "no IP")
	_, a = call(t, srv, http.MethodPost, "/notify", url.Values{"action": {"subscribe"}, "callbackurl": {"https://hooks.example.com/w"}, "appli": {"1"}}, tok.AccessToken)
	assert.Equal(t, 503, a.Status, "comment required")
}
