package withings

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/internal/redact"
	"github.com/wearkit/wearkit/internal/rest"
)

// Withings' OAuth2 endpoints.
const (
	// AuthURL is the page the user authorizes the application on.
	AuthURL = "https://account.withings.com/oauth2_user/authorize2"
	// TokenURL is today's token endpoint: POST with action=requesttoken,
	// the client id and secret in the form, the answer wrapped in
	// {"status", "body"}.
	TokenURL = "https://wbsapi.withings.net/v2/oauth2"
)

// Endpoint is Withings' OAuth2 endpoint (Config uses it when Endpoint is
// left zero).
var Endpoint = oauth2.Endpoint{AuthURL: AuthURL, TokenURL: TokenURL, AuthStyle: oauth2.AuthStyleInParams}

// Scopes Withings grants; a Config sends them comma-separated.
const (
	ScopeInfo       = "user.info"
	ScopeMetrics    = "user.metrics"
	ScopeActivity   = "user.activity"
	ScopeSleepEvent = "user.sleepevents"
)

// TokenStyle selects how the token endpoint is spoken to.
type TokenStyle int

const (
	// TokenWrapped is today's Withings endpoint (the default):
	// action=requesttoken in the form and the answer wrapped in
	// {"status", "body"}, errors as a non-zero status.
	TokenWrapped TokenStyle = iota
	// TokenStandard is a plain RFC 6749 endpoint (proxies, older
	// deployments): a flat JSON answer, errors as HTTP 4xx with
	// {"error": "invalid_grant"}.
	TokenStandard
)

// Config is an application's OAuth2 configuration for Withings. Send the
// user to AuthCodeURL, Exchange the code that comes back (within 30
// seconds), save the token in a wearkit.TokenStore, and give
// TokenSource(ctx, store) to WithTokenSource. Set oauth2.HTTPClient in the
// context to choose the *http.Client of the token calls.
type Config struct {
	// ClientID and ClientSecret are the application's credentials; the
	// secret goes in the form body, never in a URL.
	ClientID, ClientSecret string
	// RedirectURL is where Withings sends the user back with the code.
	RedirectURL string
	// Scopes are sent comma-separated (ScopeMetrics, ScopeActivity, ...).
	Scopes []string
	// Endpoint is the authorization page and token endpoint; zero means
	// Endpoint (a HIPAA cloud host or a withingstest fake sets its own).
	Endpoint oauth2.Endpoint
	// Style is the token endpoint's style; zero means TokenWrapped.
	Style TokenStyle
}

func (c *Config) endpoint() oauth2.Endpoint {
	e := c.Endpoint
	if e.AuthURL == "" {
		e.AuthURL = Endpoint.AuthURL
	}
	if e.TokenURL == "" {
		e.TokenURL = Endpoint.TokenURL
	}
	return e
}

// AuthCodeURL returns the page to send the user to. state must be an
// unguessable value tied to the user's session, checked when the user
// comes back.
func (c *Config) AuthCodeURL(state string) string {
	v := url.Values{
		"response_type": {"code"},
		"client_id":     {c.ClientID},
		"state":         {state},
	}
	if c.RedirectURL != "" {
		v.Set("redirect_uri", c.RedirectURL)
	}
	if len(c.Scopes) > 0 {
		v.Set("scope", strings.Join(c.Scopes, ","))
	}
	au := c.endpoint().AuthURL
	sep := "?"
	if strings.Contains(au, "?") {
		sep = "&"
	}
	return au + sep + v.Encode()
}

// Exchange trades an authorization code for a token. Codes live 30
// seconds and work once: a refused code is an error matching
// ErrInvalidCode. The token keeps the user's id (UserID).
func (c *Config) Exchange(ctx context.Context, code string) (*oauth2.Token, error) {
	if code == "" {
		return nil, errors.New("withings: Exchange: empty authorization code")
	}
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}}
	if c.RedirectURL != "" {
		form.Set("redirect_uri", c.RedirectURL)
	}
	tok, err := c.requestToken(ctx, form)
	if err != nil {
		if refusedGrant(err) {
			return nil, fmt.Errorf("%w: %w", ErrInvalidCode, err)
		}
		return nil, err
	}
	return tok, nil
}

// Refresh trades a refresh token for a new token (and a new refresh
// token: Withings rotates them, and the old one dies as soon as the new
// access token is used). A refused refresh token is an
// *oauth2.RetrieveError with ErrorCode "invalid_grant" in the chain.
// Prefer TokenSource, which saves the new token before anything uses it.
func (c *Config) Refresh(ctx context.Context, refreshToken string) (*oauth2.Token, error) {
	if refreshToken == "" {
		return nil, errors.New("withings: Refresh: empty refresh token")
	}
	tok, err := c.requestToken(ctx, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refreshToken}})
	if err != nil {
		if refusedGrant(err) {
			return nil, fmt.Errorf("withings: refreshing the token: %w", &oauth2.RetrieveError{ErrorCode: "invalid_grant", ErrorDescription: messageOf(err)})
		}
		return nil, err
	}
	return tok, nil
}

// TokenSource returns the user's token source over store, for
// WithTokenSource. It is wearkit.StoredTokenSource: one refresh however
// many goroutines ask, and, with a store that locks (wearkit's file store),
// however many processes share it; the new token saved before anything
// uses it; a failed save keeping the new token aside; a failed refresh
// never touching the store; a refused refresh token (invalid_grant)
// reloading the store first. It adds one thing: when the API answers 401
// to a token that has not expired, the client tells the source, which
// refreshes once (whatever the number of calls refused) and the call goes
// again.
func (c *Config) TokenSource(ctx context.Context, store wearkit.TokenStore) oauth2.TokenSource {
	ts := &tokenSource{base: ctx, store: store, refresh: func(ctx context.Context, old *oauth2.Token) (*oauth2.Token, error) {
		tok, err := c.Refresh(ctx, old.RefreshToken)
		if err == nil && UserID(tok) == "" && UserID(old) != "" {
			tok = tok.WithExtra(map[string]any{"userid": UserID(old)})
		}
		return tok, err
	}, refused: map[string]bool{}}
	ts.inner = wearkit.StoredTokenSource(ctx, &refusingStore{store: store, ts: ts}, ts.refresh).(wearkit.ContextTokenSource)
	return ts
}

// UserID returns the Withings user id kept on a token by Exchange and
// refreshes (the answers give it as a string or a number), or "" if the
// token has none. wearkit's stores (FileTokenStore, the sqlstore module)
// keep it with the token; a store of your own keeps it by saving
// wearkit.TokenExtras and restoring them with Token.WithExtra.
func UserID(tok *oauth2.Token) string {
	if tok == nil {
		return ""
	}
	switch v := tok.Extra("userid").(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case int64:
		return strconv.FormatInt(v, 10)
	case int:
		return strconv.Itoa(v)
	}
	return ""
}

// requestToken posts form (grant fields) to the token endpoint in the
// configured style and decodes the token.
func (c *Config) requestToken(ctx context.Context, form url.Values) (*oauth2.Token, error) {
	ep := c.endpoint()
	form.Set("client_id", c.ClientID)
	form.Set("client_secret", c.ClientSecret)
	if c.Style == TokenWrapped {
		form.Set("action", "requesttoken")
	}
	var hc *http.Client
	if v, ok := ctx.Value(oauth2.HTTPClient).(*http.Client); ok {
		hc = v
	}
	rc, err := rest.New(rest.Config{Vendor: "withings", BaseURL: ep.TokenURL, HTTPClient: hc, ParseError: parseError})
	if err != nil {
		return nil, fmt.Errorf("withings: token endpoint: %w", err)
	}
	r := &wearkit.Request{Method: http.MethodPost, Path: ep.TokenURL, Form: form}
	var raw tokenAnswer
	if c.Style == TokenWrapped {
		env := envelope{Body: &raw}
		_, err := rc.Do(ctx, r, &env)
		var de *wearkit.DecodeError
		if err != nil && (env.Status == 0 || !errors.As(err, &de)) {
			return nil, err
		}
		if env.Status != 0 {
			var sec redact.Secrets
			sec.AddValues(form) // code, client_secret, refresh_token
			return nil, &wearkit.Error{Vendor: "withings", Method: http.MethodPost, URL: redact.URLString(ep.TokenURL), StatusCode: http.StatusOK,
				Code: strconv.Itoa(env.Status), Message: sec.Scrub(explain(env.Status, env.Error)), Kind: ClassOf(env.Status)}
		}
	} else if _, err := rc.Do(ctx, r, &raw); err != nil {
		return nil, err
	}
	return raw.token(time.Now())
}

// tokenAnswer is the token endpoint's answer (the body of the wrapped
// style, the whole answer of the standard one).
type tokenAnswer struct {
	AccessToken  string          `json:"access_token"`
	RefreshToken string          `json:"refresh_token"`
	ExpiresIn    json.Number     `json:"expires_in"`
	TokenType    string          `json:"token_type"`
	Scope        string          `json:"scope"`
	UserID       json.RawMessage `json:"userid"`
}

func (a *tokenAnswer) token(now time.Time) (*oauth2.Token, error) {
	if a.AccessToken == "" {
		return nil, errors.New("withings: token answer: no access_token")
	}
	tok := &oauth2.Token{AccessToken: a.AccessToken, RefreshToken: a.RefreshToken, TokenType: a.TokenType}
	if tok.TokenType == "" {
		tok.TokenType = "Bearer"
	}
	if a.ExpiresIn != "" {
		secs, err := a.ExpiresIn.Int64()
		if err != nil || secs < 0 {
			return nil, fmt.Errorf("withings: token answer: field expires_in: %q is not a number of seconds", a.ExpiresIn)
		}
		if secs > 0 {
			// 0 means no expiry, as golang.org/x/oauth2 reads it: an
			// Expiry of now would have every call refresh.
			tok.ExpiresIn = secs
			tok.Expiry = now.Add(time.Duration(secs) * time.Second)
		}
	}
	uid, err := flexString(a.UserID)
	if err != nil {
		return nil, fmt.Errorf("withings: token answer: field userid: %w", err)
	}
	extra := map[string]any{"scope": a.Scope}
	if uid != "" {
		extra["userid"] = uid
	}
	return tok.WithExtra(extra), nil
}

// flexString reads a JSON string or number as a string; null or absent is "".
func flexString(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	if n := len(raw); n >= 2 && raw[0] == '"' && raw[n-1] == '"' && !bytes.ContainsAny(raw[1:n-1], `\"`) {
		return string(raw[1 : n-1]), nil // a plain string: no escapes to undo
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		return "", fmt.Errorf("%s is neither a string nor a number", excerpt(raw))
	}
	return n.String(), nil
}

func excerpt(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "..."
	}
	return string(b)
}

// refusedGrant reports a token endpoint's refusal of the code or refresh
// token: status 503 (invalid params) or an authentication status in the
// wrapped style, invalid_grant in the standard one.
func refusedGrant(err error) bool {
	var we *wearkit.Error
	if !errors.As(err, &we) {
		return false
	}
	if we.Code == "invalid_grant" {
		return true
	}
	n, ok := codeOf(err)
	return ok && (n == StatusInvalidParams || ClassOf(n) == wearkit.ErrUnauthorized)
}

func messageOf(err error) string {
	var we *wearkit.Error
	if errors.As(err, &we) && we.Message != "" {
		return we.Message
	}
	return err.Error()
}

// invalidator is a token source told that the API refused a token.
type invalidator interface {
	invalidate(access string)
}

// tokenSource is Config.TokenSource: wearkit's stored source, renewed when
// the API refuses a token it still held valid.
type tokenSource struct {
	base    context.Context
	store   wearkit.TokenStore
	refresh wearkit.RefreshFunc

	mu      sync.Mutex
	inner   wearkit.ContextTokenSource
	refused map[string]bool // access tokens the API answered 401 to
}

func (t *tokenSource) current() wearkit.ContextTokenSource {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.inner
}

// Token implements oauth2.TokenSource.
func (t *tokenSource) Token() (*oauth2.Token, error) { return t.TokenContext(t.base) }

// TokenContext implements wearkit.ContextTokenSource. When the stored
// source hands out a token the API refused, it is replaced by one that
// reloads the store and, if the store still holds that token, refreshes it
// (once: calls refused with the same token all share it). A refresh the
// stored source already has in flight is joined, not doubled: it hands out
// its new token, which was never refused.
func (t *tokenSource) TokenContext(ctx context.Context) (*oauth2.Token, error) {
	for range 2 {
		inner := t.current()
		tok, err := inner.TokenContext(ctx)
		if err != nil || tok == nil || !t.isRefused(tok.AccessToken) {
			return tok, err
		}
		t.renew(inner)
	}
	return t.current().TokenContext(ctx)
}

// invalidate marks access as refused: the next time the source would hand
// it out, it reloads the store and refreshes instead (TokenContext).
func (t *tokenSource) invalidate(access string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if access == "" {
		return
	}
	if len(t.refused) >= maxRefused {
		// Refused tokens were refreshed away long ago: a long-running
		// service must not keep one entry per refusal for ever. One
		// forgotten and handed out again is refused once more.
		clear(t.refused)
	}
	t.refused[access] = true
}

// maxRefused bounds the refused access tokens a source remembers.
const maxRefused = 64

// renew replaces old, which handed out a refused token, by a new stored
// source, unless another caller already did.
func (t *tokenSource) renew(old wearkit.ContextTokenSource) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.inner == old {
		t.inner = wearkit.StoredTokenSource(t.base, &refusingStore{store: t.store, ts: t}, t.refresh).(wearkit.ContextTokenSource)
	}
}

func (t *tokenSource) isRefused(access string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.refused[access]
}

// refusingStore shows a refused token as expired, so the stored source
// refreshes it; it passes the store's lock through.
type refusingStore struct {
	store wearkit.TokenStore
	ts    *tokenSource
}

func (s *refusingStore) Load(ctx context.Context) (*oauth2.Token, error) {
	tok, err := s.store.Load(ctx)
	if err == nil && tok != nil && s.ts.isRefused(tok.AccessToken) {
		cp := *tok
		cp.Expiry = time.Unix(1, 0)
		tok = &cp
	}
	return tok, err
}

func (s *refusingStore) Save(ctx context.Context, tok *oauth2.Token) error {
	return s.store.Save(ctx, tok)
}

func (s *refusingStore) LockToken(ctx context.Context) (func() error, error) {
	if l, ok := s.store.(wearkit.TokenLocker); ok {
		return l.LockToken(ctx)
	}
	return func() error { return nil }, nil
}
