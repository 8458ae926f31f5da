package rest

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// Redacted replaces every secret the engine removes from text.
const Redacted = "REDACTED"

// sensitiveQuery are the query (and form) keys whose values are secrets.
var sensitiveQuery = map[string]bool{
	"token": true, "access_token": true, "refresh_token": true, "client_secret": true,
	"code": true, "password": true, "api_key": true, "signature": true,
}

// sensitiveHeaders are the canonical header names whose values are secrets.
var sensitiveHeaders = map[string]bool{
	"Authorization":       true,
	"Proxy-Authorization": true,
	"Cookie":              true,
	"X-Api-Key":           true,
	"X-Polar-Token":       true,
	"X-Hexoapikey":        true,
	"X-Hexoapisignature":  true,
}

// IsSensitiveQuery reports whether a query or form key holds a secret.
func IsSensitiveQuery(key string) bool { return sensitiveQuery[strings.ToLower(key)] }

// IsSensitiveHeader reports whether a header holds a secret.
func IsSensitiveHeader(name string) bool { return sensitiveHeaders[http.CanonicalHeaderKey(name)] }

// RedactURL returns u as a string with the values of sensitive query keys
// and any user-info password replaced by [Redacted].
func RedactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	if c.User != nil {
		if _, has := c.User.Password(); has {
			c.User = url.UserPassword(c.User.Username(), Redacted)
		}
	}
	if c.RawQuery != "" {
		c.RawQuery = redactQuery(c.RawQuery)
	}
	return c.String()
}

// RedactURLString is RedactURL for a URL in text form. Text that does not
// parse is returned with every sensitive key's value cut.
func RedactURLString(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		s = redactUserinfo(s)
		if i := strings.IndexByte(s, '?'); i >= 0 {
			return s[:i+1] + redactQuery(s[i+1:])
		}
		return s
	}
	return RedactURL(u)
}

// redactUserinfo replaces the password of "scheme://user:password@host"
// in text that does not parse as a URL.
func redactUserinfo(s string) string {
	_, rest, ok := strings.Cut(s, "://")
	if !ok {
		return s
	}
	authority := rest
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		authority = rest[:i]
	}
	at := strings.LastIndexByte(authority, '@')
	if at < 0 {
		return s
	}
	colon := strings.IndexByte(authority[:at], ':')
	if colon < 0 {
		return s
	}
	start := len(s) - len(rest) + colon + 1
	return s[:start] + Redacted + s[len(s)-len(rest)+at:]
}

// redactQuery rewrites raw in place, key by key, keeping the order and the
// encoding of everything that is not a secret.
func redactQuery(raw string) string {
	parts := strings.Split(raw, "&")
	changed := false
	for i, p := range parts {
		k, _, hasValue := strings.Cut(p, "=")
		if !hasValue {
			continue
		}
		if key, err := url.QueryUnescape(k); err == nil && IsSensitiveQuery(key) {
			parts[i] = k + "=" + Redacted
			changed = true
		}
	}
	if !changed {
		return raw
	}
	return strings.Join(parts, "&")
}

// RedactHeader returns a copy of h with the values of sensitive headers
// replaced by [Redacted].
func RedactHeader(h http.Header) http.Header {
	out := h.Clone()
	for k := range out {
		if IsSensitiveHeader(k) {
			out[k] = []string{Redacted}
		}
	}
	return out
}

// secrets collects the secret values one request carries, so that any echo
// of them in an error body or message can be scrubbed.
type secrets []string

// minSecretLen keeps short values (a code "1", "abc") from scrubbing
// ordinary text.
const minSecretLen = 4

func (s *secrets) add(v string) {
	if len(v) < minSecretLen {
		return
	}
	for _, have := range *s {
		if have == v {
			return
		}
	}
	*s = append(*s, v)
}

func (s *secrets) addValues(v url.Values) {
	for k, vs := range v {
		if IsSensitiveQuery(k) {
			for _, x := range vs {
				s.add(x)
			}
		}
	}
}

func (s *secrets) addHeader(h http.Header) {
	for k, vs := range h {
		if !IsSensitiveHeader(k) {
			continue
		}
		for _, v := range vs {
			s.add(v)
			// "Bearer xyz" and "Basic xyz": the credential alone, too.
			if _, cred, ok := strings.Cut(v, " "); ok {
				s.add(strings.TrimSpace(cred))
			}
		}
	}
}

// scrub replaces every collected secret in text.
func (s secrets) scrub(text string) string {
	for _, v := range s {
		if strings.Contains(text, v) {
			text = strings.ReplaceAll(text, v, Redacted)
		}
	}
	return text
}

// redactError rebuilds err so that no URL inside it carries a secret, and
// scrubs known secret values from its text.
func redactError(err error, sec secrets) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return &url.Error{Op: ue.Op, URL: RedactURLString(ue.URL), Err: redactError(ue.Err, sec)}
	}
	if err == nil || len(sec) == 0 {
		return err
	}
	if msg := err.Error(); sec.scrub(msg) != msg {
		return &scrubbedError{msg: sec.scrub(msg), err: err}
	}
	return err
}

// scrubbedError keeps errors.Is and errors.As working through an error whose
// text had to be cleaned.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }
