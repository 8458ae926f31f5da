package hexoskin

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/internal/redact"
	"github.com/wearkit/wearkit/internal/rest"
)

// Header names of API-key signing.
const (
	HeaderAPIKey    = "X-HEXOAPIKEY"
	HeaderTimestamp = "X-HEXOTIMESTAMP"
	HeaderSignature = "X-HEXOAPISIGNATURE"
)

// Sign returns the X-HEXOAPISIGNATURE of a request: the lower-case hex SHA-1
// of the private key, the Unix time in seconds (plain seconds, not a
// HexoTimestamp) and the full URL exactly as sent, query string included, in
// that order ("Key, Timestamp, Url").
func Sign(privateKey string, unixSeconds int64, url string) string {
	h := sha1.New()
	h.Write([]byte(privateKey))
	h.Write(strconv.AppendInt(nil, unixSeconds, 10))
	h.Write([]byte(url))
	return hex.EncodeToString(h.Sum(nil))
}

// authenticator builds the engine's per-attempt credential hook. The engine
// calls it on every attempt and every same-host redirect hop, after the URL
// is final, so every retry carries a fresh timestamp and signature.
func (cfg *config) authenticator() rest.Authenticator {
	var steps []rest.Authenticator
	if cfg.hasBasic {
		steps = append(steps, rest.BasicAuth(cfg.basicUser, cfg.basicPass))
	}
	if cfg.privateKey != "" {
		public, private, now := cfg.publicKey, cfg.privateKey, cfg.now
		steps = append(steps, rest.AuthFunc(func(req *http.Request) error {
			ts := now().Unix()
			req.Header.Set(HeaderAPIKey, public)
			req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
			req.Header.Set(HeaderSignature, Sign(private, ts, req.URL.String()))
			return nil
		}))
	}
	if cfg.tokenSource != nil {
		steps = append(steps, rest.BearerAuth(cfg.tokenSource))
	}
	switch len(steps) {
	case 0:
		return nil
	case 1:
		return steps[0]
	}
	return rest.AuthFunc(func(req *http.Request) error {
		for _, s := range steps {
			if err := s.Authenticate(req); err != nil {
				return err
			}
		}
		return nil
	})
}

// OAuth2 paths on the API host.
const (
	AuthorizePath = "/api/connect/oauth2/auth/"
	TokenPath     = "/api/connect/oauth2/token/"
)

// OAuth2 scopes Hexoskin grants.
const (
	ScopeReadOnly  = "readonly"
	ScopeReadWrite = "readwrite"
)

// Endpoint returns Hexoskin's OAuth2 endpoint on host (DefaultBaseURL when
// empty). The client id and secret go as HTTP Basic credentials.
func Endpoint(host string) oauth2.Endpoint {
	if host == "" {
		host = DefaultBaseURL
	}
	for len(host) > 0 && host[len(host)-1] == '/' {
		host = host[:len(host)-1]
	}
	return oauth2.Endpoint{
		AuthURL:   host + AuthorizePath,
		TokenURL:  host + TokenPath,
		AuthStyle: oauth2.AuthStyleInHeader,
	}
}

// OAuth2Config returns an oauth2.Config for Hexoskin's authorization-code
// flow: send the user to cfg.AuthCodeURL(state), then Exchange the code it
// brings back and pass cfg.TokenSource(ctx, tok) to WithTokenSource. host is
// the API host (DefaultBaseURL when empty); scopes are ScopeReadOnly or
// ScopeReadWrite.
func OAuth2Config(host, clientID, clientSecret, redirectURL string, scopes ...string) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     clientID,
		ClientSecret: clientSecret,
		Endpoint:     Endpoint(host),
		RedirectURL:  redirectURL,
		Scopes:       scopes,
	}
}

// PasswordTokenSource runs Hexoskin's OAuth2 password grant once and returns
// a refreshing token source for WithTokenSource. Use ctx to pass an
// *http.Client (oauth2.HTTPClient) for the token calls.
func PasswordTokenSource(ctx context.Context, cfg *oauth2.Config, username, password string) (oauth2.TokenSource, error) {
	if cfg == nil {
		return nil, errors.New("hexoskin: PasswordTokenSource: nil config")
	}
	tok, err := cfg.PasswordCredentialsToken(ctx, username, password)
	if err != nil {
		return nil, fmt.Errorf("hexoskin: password grant: %w", redact.Error(err, oauthSecrets(cfg, password)))
	}
	return &scrubbingSource{ts: cfg.TokenSource(ctx, tok), cfg: cfg, last: tok}, nil
}

// oauthSecrets gathers what a token endpoint may echo that no token holds:
// the client secret (sent as Basic credentials) and a password.
func oauthSecrets(cfg *oauth2.Config, more ...string) *redact.Secrets {
	var sec redact.Secrets
	sec.Add(cfg.ClientSecret)
	for _, s := range more {
		sec.Add(s)
	}
	return &sec
}

// scrubbingSource is oauth2's refreshing source whose errors carry neither
// the client secret nor the tokens of the refresh.
type scrubbingSource struct {
	ts  oauth2.TokenSource
	cfg *oauth2.Config

	mu   sync.Mutex
	last *oauth2.Token // the newest token seen, whose refresh token a failed refresh carried
}

// Token returns oauth2's token, or its error scrubbed.
func (s *scrubbingSource) Token() (*oauth2.Token, error) {
	tok, err := s.ts.Token()
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		sec := oauthSecrets(s.cfg)
		sec.AddToken(s.last)
		return nil, fmt.Errorf("hexoskin: refreshing the token: %w", redact.Error(err, sec))
	}
	s.last = tok
	return tok, nil
}

// StoredTokenSource returns a token source for WithTokenSource that loads
// the user's token from store (wearkit.NewFileTokenStore,
// wearkit.NewMemoryTokenStore or your own), refreshes it through cfg when it is about to
// expire (once, however many goroutines call at the same time) and saves
// the new token through store before it is used, so a restart never starts
// from a refresh token the server has retired. ctx is used for the store
// and the token calls (set oauth2.HTTPClient in it to choose the
// *http.Client).
func StoredTokenSource(ctx context.Context, cfg *oauth2.Config, store wearkit.TokenStore) (oauth2.TokenSource, error) {
	if cfg == nil || store == nil {
		return nil, errors.New("hexoskin: StoredTokenSource: config and store must be set")
	}
	return wearkit.StoredTokenSource(ctx, store, func(ctx context.Context, old *oauth2.Token) (*oauth2.Token, error) {
		stale := *old
		stale.Expiry = time.Unix(1, 0) // make oauth2 refresh instead of handing the old token back
		tok, err := cfg.TokenSource(ctx, &stale).Token()
		// wearkit scrubs the tokens; the client secret only this package knows.
		return tok, redact.Error(err, oauthSecrets(cfg))
	}), nil
}
