package corsano

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wearkit/wearkit"
)

// HealthTokenRefreshBefore is how long before the expiry its JWT carries a
// cached health token is replaced, so none expires in flight.
const HealthTokenRefreshBefore = 2 * time.Minute

// DefaultHealthTokenLifetime is assumed for a health token whose JWT has no
// readable exp claim (the vendor's tokens live one hour).
const DefaultHealthTokenLifetime = time.Hour

// healthTokenFetchTimeout bounds one fetch of a health token, which runs on
// for the other callers when the one that started it gives up.
const healthTokenFetchTimeout = time.Minute

// healthTokens caches one health token per patient until shortly before the
// expiry its JWT carries, and fetches it once however many goroutines need
// the same patient.
type healthTokens struct {
	fetch func(ctx context.Context, uuid string) (string, error)
	now   func() time.Time

	mu sync.Mutex
	m  map[string]*tokenEntry
}

type tokenEntry struct {
	tok    string
	exp    time.Time
	flight *tokenFlight
}

type tokenFlight struct {
	done chan struct{}
	tok  string
	err  error
}

func newHealthTokens(fetch func(context.Context, string) (string, error), now func() time.Time) *healthTokens {
	return &healthTokens{fetch: fetch, now: now, m: map[string]*tokenEntry{}}
}

// get returns uuid's health token, fetching it when none is cached or the
// cached one is about to expire. The wait ends with ctx; the fetch goes on
// for the other callers.
func (h *healthTokens) get(ctx context.Context, uuid string) (string, error) {
	h.mu.Lock()
	e := h.m[uuid]
	if e == nil {
		e = &tokenEntry{}
		h.m[uuid] = e
	}
	if e.tok != "" && h.now().Add(HealthTokenRefreshBefore).Before(e.exp) {
		tok := e.tok
		h.mu.Unlock()
		return tok, nil
	}
	f := e.flight
	if f == nil {
		f = &tokenFlight{done: make(chan struct{})}
		e.flight = f
		// The fetch outlives the caller's wait: it keeps the context's
		// values but not its end, nor its wearkit.CaptureResponse (it
		// would write the caller's Response after the caller returned).
		go h.fly(wearkit.CaptureResponse(context.WithoutCancel(ctx), nil), uuid, e, f)
	}
	h.mu.Unlock()
	select {
	case <-f.done:
		return f.tok, f.err
	case <-ctx.Done():
		return "", fmt.Errorf("corsano: waiting for the health token of patient %s: %w", uuid, ctx.Err())
	}
}

func (h *healthTokens) fly(ctx context.Context, uuid string, e *tokenEntry, f *tokenFlight) {
	ctx, cancel := context.WithTimeout(ctx, healthTokenFetchTimeout)
	defer cancel()
	tok, err := h.fetch(ctx, uuid)
	var exp time.Time
	if err == nil {
		var ok bool
		if exp, ok = jwtExpiry(tok); !ok {
			exp = h.now().Add(DefaultHealthTokenLifetime)
		}
	}
	h.mu.Lock()
	if err == nil {
		e.tok, e.exp = tok, exp
	}
	e.flight = nil
	h.mu.Unlock()
	f.tok, f.err = tok, err
	close(f.done)
}

// invalidate drops uuid's cached token if it is still tok (the one a 401
// refused), so the next get fetches a new one; a token another caller
// fetched meanwhile is kept.
func (h *healthTokens) invalidate(uuid, tok string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if e := h.m[uuid]; e != nil && e.tok == tok {
		e.tok, e.exp = "", time.Time{}
	}
}

// healthCall travels in a health request's context: the patient whose token
// the authenticator applies, and the token it applied last.
type healthCall struct {
	uuid string
	used string
}

type healthCallKey struct{}

// authenticate is the health API's Authenticator: the patient's bearer
// health token on every attempt.
func (h *healthTokens) authenticate(req *http.Request) error {
	hc, _ := req.Context().Value(healthCallKey{}).(*healthCall)
	if hc == nil {
		return errors.New("corsano: a health API request needs a patient (use HealthDo)")
	}
	tok, err := h.get(req.Context(), hc.uuid)
	if err != nil {
		return err
	}
	hc.used = tok
	req.Header.Set("Authorization", "Bearer "+tok)
	return nil
}

// healthDo is the health API's one request path: a 401 drops the token it
// was sent with and the call is made once more with a fresh one.
func (c *Client) healthDo(ctx context.Context, uuid string, r *wearkit.Request, out any) (*wearkit.Response, error) {
	hc := &healthCall{uuid: uuid}
	ctx = context.WithValue(ctx, healthCallKey{}, hc)
	meta, err := c.hc.Do(ctx, r, out)
	var we *wearkit.Error
	if asError(err, &we) && we.StatusCode == http.StatusUnauthorized && hc.used != "" {
		old := hc.used
		c.tokens.invalidate(uuid, old)
		hc.used = ""
		meta, err = c.hc.Do(ctx, r, out)
		err = scrubTokens(err, old)
	}
	return meta, err
}

// fetchHealthToken asks the integration API for a patient's health token.
// The answer's shape is not documented: a JSON string, or an object with
// token, health_token or access_token, are all taken.
func (c *Client) fetchHealthToken(ctx context.Context, uuid string) (string, error) {
	var raw json.RawMessage
	if _, err := c.do(ctx, &wearkit.Request{Path: "patients/" + uuid + "/health-token"}, &raw); err != nil {
		return "", err
	}
	var s string
	if json.Unmarshal(raw, &s) == nil && s != "" {
		return s, nil
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) == nil {
		for _, k := range []string{"token", "health_token", "access_token"} {
			if json.Unmarshal(m[k], &s) == nil && s != "" {
				return s, nil
			}
		}
		// Laravel-style {"data": {...}} wrapping.
		var inner map[string]json.RawMessage
		if json.Unmarshal(m["data"], &inner) == nil {
			for _, k := range []string{"token", "health_token", "access_token"} {
				if json.Unmarshal(inner[k], &s) == nil && s != "" {
					return s, nil
				}
			}
		}
	}
	// The answer holds no token we recognise; its text is not shown, since
	// it may hold one under a name we do not know.
	return "", fmt.Errorf("corsano: health token of patient %s: the answer (%d bytes) has no token, health_token or access_token string", uuid, len(raw))
}

// jwtExpiry reads the exp claim of a JWT's payload, without checking its
// signature (the token is only cached by it, never trusted).
func jwtExpiry(tok string) (time.Time, bool) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return time.Time{}, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return time.Time{}, false
	}
	var claims struct {
		Exp json.Number `json:"exp"`
	}
	if json.Unmarshal(payload, &claims) != nil || claims.Exp == "" {
		return time.Time{}, false
	}
	f, err := strconv.ParseFloat(claims.Exp.String(), 64)
	if err != nil || f <= 0 || f > 1<<40 {
		return time.Time{}, false
	}
	sec := int64(f)
	return time.Unix(sec, int64((f-float64(sec))*1e9)), true
}
