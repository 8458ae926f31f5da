// Package redact removes secrets from text that leaves wearkit: URLs, headers,
// error strings, error bodies and every link of an error's unwrap chain. The
// root package (token refresh errors) and the engine (request errors and logs)
// share it, so there is one list of what counts as a secret and one way to
// scrub it.
package redact

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/oauth2"
)

// Redacted replaces every secret removed from text.
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
	"X-Health-Token":      true,
	"X-Hexoapikey":        true,
	"X-Hexoapisignature":  true,
}

// IsSensitiveQuery reports whether a query or form key holds a secret.
func IsSensitiveQuery(key string) bool { return sensitiveQuery[strings.ToLower(key)] }

// IsSensitiveHeader reports whether a header holds a secret.
func IsSensitiveHeader(name string) bool { return sensitiveHeaders[http.CanonicalHeaderKey(name)] }

// URL returns u as a string with the values of sensitive query (and
// fragment) keys and any user information (a user name can be a token)
// replaced by [Redacted].
func URL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	if c.User != nil {
		c.User = url.User(Redacted)
	}
	if c.RawQuery != "" {
		c.RawQuery = redactQuery(c.RawQuery)
	}
	if c.Fragment != "" {
		// An OAuth implicit-flow redirect carries its token there, in the
		// query's key=value form.
		c.Fragment = redactQuery(c.Fragment)
		c.RawFragment = ""
	}
	return c.String()
}

// URLString is URL for a URL in text form. Text that does not parse is
// returned with its user information and every sensitive key's value cut.
func URLString(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		s = redactUserinfo(s)
		if i := strings.IndexByte(s, '?'); i >= 0 {
			return s[:i+1] + redactQuery(s[i+1:])
		}
		return s
	}
	return URL(u)
}

// redactUserinfo replaces the "user:password" of "scheme://user:password@host"
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
	start := len(s) - len(rest)
	return s[:start] + Redacted + s[start+at:]
}

// redactQuery rewrites raw key by key, keeping the order and the encoding of
// everything that is not a secret.
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

// Header returns a copy of h with the values of sensitive headers replaced
// by [Redacted].
func Header(h http.Header) http.Header {
	out := h.Clone()
	for k := range out {
		if IsSensitiveHeader(k) {
			out[k] = []string{Redacted}
		}
	}
	return out
}

// MinSecretLen keeps short values (a code "1", "abc") from scrubbing ordinary
// text.
const MinSecretLen = 4

// Secrets collects the secret values one request or refresh carried, so
// that any echo of them can be scrubbed: as sent, percent-encoded (query and
// path forms, either hex case) and JSON-escaped (with or without "\/", and
// with non-ASCII as \uXXXX as Python writes it).
type Secrets struct {
	forms []string // every form of every secret, longest first after sort
}

// Add records v and its encoded forms.
func (s *Secrets) Add(v string) {
	if len(v) < MinSecretLen {
		return
	}
	for _, f := range forms(v) {
		s.addForm(f)
	}
}

func (s *Secrets) addForm(f string) {
	for _, have := range s.forms {
		if have == f {
			return
		}
	}
	// Longest first, so that a secret inside another's encoding is not
	// replaced before the longer form is seen.
	i := len(s.forms)
	for i > 0 && len(s.forms[i-1]) < len(f) {
		i--
	}
	s.forms = append(s.forms, "")
	copy(s.forms[i+1:], s.forms[i:])
	s.forms[i] = f
}

// forms lists the ways an echo of v can appear in a body or a message.
func forms(v string) []string {
	out := []string{v}
	q, p := url.QueryEscape(v), url.PathEscape(v)
	out = append(out, q, p, lowerHex(q), lowerHex(p))
	if b, err := json.Marshal(v); err == nil {
		j := string(b[1 : len(b)-1])
		out = append(out, j, strings.ReplaceAll(j, "/", `\/`))
		// encoding/json escapes <, > and & while most servers do not.
		plain := strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(j)
		out = append(out, plain, strings.ReplaceAll(plain, "/", `\/`))
		// Python's json.dumps (Django, Tastypie) writes every non-ASCII
		// character as \uXXXX, in lower case; others in upper case.
		if a := asciiJSON(plain, "%04x"); a != plain {
			out = append(out, a, asciiJSON(plain, "%04X"))
		}
	}
	return out
}

// asciiJSON escapes every non-ASCII character of a JSON string's content as
// \uXXXX (surrogate pairs above U+FFFF), with hex digits as format says.
func asciiJSON(s, format string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case r > 0xFFFF:
			r1, r2 := utf16.EncodeRune(r)
			fmt.Fprintf(&b, `\u`+format+`\u`+format, r1, r2)
		default:
			fmt.Fprintf(&b, `\u`+format, r)
		}
	}
	return b.String()
}

// lowerHex writes the hex digits of percent escapes in lower case.
func lowerHex(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			for j := i + 1; j <= i+2; j++ {
				if b[j] >= 'A' && b[j] <= 'F' {
					b[j] += 'a' - 'A'
				}
			}
		}
	}
	return string(b)
}

// AddValues records the values of sensitive keys of v.
func (s *Secrets) AddValues(v url.Values) {
	for k, vs := range v {
		if IsSensitiveQuery(k) {
			for _, x := range vs {
				s.Add(x)
			}
		}
	}
}

// AddURL records u's sensitive query values and its user information.
func (s *Secrets) AddURL(u *url.URL) {
	if u == nil {
		return
	}
	s.AddValues(u.Query())
	if u.User != nil {
		s.Add(u.User.Username())
		if p, ok := u.User.Password(); ok {
			s.Add(p)
			s.Add(u.User.Username() + ":" + p)
		}
	}
}

// AddHeader records the values of h's sensitive headers, the credential
// alone of "Bearer xyz" and "Basic xyz", and Basic's decoded user name,
// password and "user:password" (a user name can be a token, as in a URL).
func (s *Secrets) AddHeader(h http.Header) {
	for k, vs := range h {
		if !IsSensitiveHeader(k) {
			continue
		}
		for _, v := range vs {
			s.Add(v)
			scheme, cred, ok := strings.Cut(v, " ")
			if !ok {
				continue
			}
			cred = strings.TrimSpace(cred)
			s.Add(cred)
			if strings.EqualFold(scheme, "Basic") {
				// A server may echo the decoded "user:password" or the
				// password alone.
				if raw, err := base64.StdEncoding.DecodeString(cred); err == nil {
					user, pass, _ := strings.Cut(string(raw), ":")
					s.Add(string(raw))
					s.Add(user)
					s.Add(pass)
				}
			}
		}
	}
}

// AddToken records a token's access and refresh tokens.
func (s *Secrets) AddToken(t *oauth2.Token) {
	if t != nil {
		s.Add(t.AccessToken)
		s.Add(t.RefreshToken)
	}
}

// Empty reports whether no secret was recorded.
func (s *Secrets) Empty() bool { return s == nil || len(s.forms) == 0 }

// Longest is the length of the longest form recorded, the most text beyond a
// cut that must be read to recognise a secret straddling it.
func (s *Secrets) Longest() int {
	if s.Empty() {
		return 0
	}
	return len(s.forms[0])
}

// Scrub replaces every recorded secret, in any of its forms, in text. Every
// occurrence is found in the original text first and overlapping ones are
// replaced as one, so an echo where two secrets overlap leaves no piece of
// either, and a secret that is part of "REDACTED" does not rewrite it.
func (s *Secrets) Scrub(text string) string {
	if s == nil {
		return text
	}
	var spans [][2]int
	for _, v := range s.forms {
		for i := 0; i < len(text); {
			j := strings.Index(text[i:], v)
			if j < 0 {
				break
			}
			spans = append(spans, [2]int{i + j, i + j + len(v)})
			i += j + 1
		}
	}
	if len(spans) == 0 {
		return text
	}
	slices.SortFunc(spans, func(a, b [2]int) int { return cmp.Compare(a[0], b[0]) })
	var b strings.Builder
	at := 0 // text[:at] is written
	for k := 0; k < len(spans); {
		start, end := spans[k][0], spans[k][1]
		for k++; k < len(spans) && spans[k][0] <= end; k++ {
			end = max(end, spans[k][1])
		}
		b.WriteString(text[at:start])
		b.WriteString(Redacted)
		at = end
	}
	b.WriteString(text[at:])
	return b.String()
}

// Contains reports whether text holds a recorded secret in any form.
func (s *Secrets) Contains(text string) bool {
	if s == nil {
		return false
	}
	for _, v := range s.forms {
		if strings.Contains(text, v) {
			return true
		}
	}
	return false
}

// Truncate scrubs text, then cuts it to at most n bytes on a UTF-8 boundary.
// text should hold n+Longest() bytes when it is an excerpt of something
// longer, so that a secret straddling byte n is recognised before the cut.
func (s *Secrets) Truncate(text string, n int) string {
	text = s.Scrub(text)
	return CutUTF8(text, n)
}

// CutUTF8 returns the longest prefix of s of at most n bytes that does not
// end inside a multi-byte character.
func CutUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	// Back up over continuation bytes (10xxxxxx) to the start of the
	// character at n, which is then left out whole.
	for i > 0 && i > n-4 && s[i]&0xC0 == 0x80 {
		i--
	}
	return s[:i]
}

// Error returns err with no secret in its text or in the text of any error
// its unwrap chain reaches. A *url.Error is rebuilt with its URL redacted;
// an *oauth2.RetrieveError is rebuilt scrubbed, its *http.Response cut to
// the status line;
// a wrapper struct whose only leak is its cause is copied with the cause
// cleaned (so errors.As still finds it); any other link whose text holds a
// secret is replaced by one that says the
// same with the secret scrubbed, keeps answering errors.Is for what it
// matched (so ErrUnauthorized, context.DeadlineExceeded still work) and
// unwraps to its own cleaned cause.
func Error(err error, sec *Secrets) error {
	if err == nil {
		return nil
	}
	var ue *url.Error
	if errors.As(err, &ue) && err == error(ue) {
		// The URL may be a redirect's target, carrying a secret under a key
		// that is not on the list.
		return &url.Error{Op: ue.Op, URL: sec.Scrub(URLString(ue.URL)), Err: Error(ue.Err, sec)}
	}
	if re, ok := err.(*oauth2.RetrieveError); ok {
		c := *re
		// Error() reads Response.Status when there is no error code (a
		// token endpoint answering 500 with a page): keep the status line,
		// drop the request, headers and body it carries.
		c.Response = &http.Response{}
		if re.Response != nil {
			c.Response.Status, c.Response.StatusCode = re.Response.Status, re.Response.StatusCode
			c.Response.Proto, c.Response.ProtoMajor, c.Response.ProtoMinor = re.Response.Proto, re.Response.ProtoMajor, re.Response.ProtoMinor
		}
		c.Body = []byte(sec.Scrub(string(re.Body)))
		c.ErrorDescription = sec.Scrub(re.ErrorDescription)
		c.ErrorURI = URLString(sec.Scrub(re.ErrorURI))
		if sec.Contains(c.ErrorCode) {
			c.ErrorCode = Redacted
		}
		return &c
	}
	if !chainLeaks(err, sec) {
		return err
	}
	causes := cleanCauses(err, sec)
	if u, ok := err.(interface{ Unwrap() error }); ok && len(causes) == 1 {
		if c := rebuild(err, u.Unwrap(), causes[0], sec); c != nil {
			return c
		}
	}
	return &scrubbed{msg: sec.Scrub(err.Error()), orig: err, causes: causes}
}

var errorType = reflect.TypeFor[error]()

// rebuild returns a copy of err, a pointer to a struct whose exported error
// field holds cause, with that field set to clean, when the copy's text and
// chain hold no secret; nil otherwise. A wrapper whose only leak was its
// cause's (*wearkit.AuthError, *wearkit.Error) so keeps its type, and
// errors.As still finds it.
func rebuild(err, cause, clean error, sec *Secrets) error {
	v := reflect.ValueOf(err)
	if cause == nil || !reflect.TypeOf(cause).Comparable() || v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return nil
	}
	cp := reflect.New(v.Elem().Type())
	cp.Elem().Set(v.Elem())
	replaced := false
	for i := 0; i < cp.Elem().NumField(); i++ {
		f := cp.Elem().Field(i)
		if !f.CanSet() || f.Type() != errorType || f.IsNil() {
			continue
		}
		if f.Interface() == any(cause) {
			f.Set(reflect.ValueOf(&clean).Elem())
			replaced = true
		}
	}
	if !replaced {
		return nil
	}
	out, ok := cp.Interface().(error)
	if !ok || chainLeaks(out, sec) {
		return nil
	}
	return out
}

// chainLeaks reports whether err or any error its chain reaches holds a
// secret or a URL with credentials.
func chainLeaks(err error, sec *Secrets) bool {
	if err == nil {
		return false
	}
	if sec.Contains(err.Error()) {
		return true
	}
	switch x := err.(type) {
	case *url.Error:
		return URLString(x.URL) != x.URL || chainLeaks(x.Err, sec)
	case *oauth2.RetrieveError:
		// Its *http.Response holds the token request: headers, client
		// secret and all.
		return hasRequest(x.Response) || sec.Contains(string(x.Body)) || sec.Contains(x.ErrorDescription) || sec.Contains(x.ErrorURI)
	case interface{ Unwrap() error }:
		return chainLeaks(x.Unwrap(), sec)
	case interface{ Unwrap() []error }:
		for _, e := range x.Unwrap() {
			if chainLeaks(e, sec) {
				return true
			}
		}
	}
	return false
}

// hasRequest reports whether r holds more than a status line: the request,
// headers or body that a rebuilt RetrieveError leaves out.
func hasRequest(r *http.Response) bool {
	return r != nil && (r.Request != nil || r.Header != nil || r.Body != nil || r.TLS != nil || r.Trailer != nil)
}

func cleanCauses(err error, sec *Secrets) []error {
	switch x := err.(type) {
	case interface{ Unwrap() error }:
		if c := x.Unwrap(); c != nil {
			return []error{Error(c, sec)}
		}
	case interface{ Unwrap() []error }:
		var out []error
		for _, e := range x.Unwrap() {
			out = append(out, Error(e, sec))
		}
		return out
	}
	return nil
}

// scrubbed stands for an error whose text held a secret.
type scrubbed struct {
	msg    string
	orig   error   // asked by Is only: never handed out
	causes []error // cleaned
}

func (e *scrubbed) Error() string   { return e.msg }
func (e *scrubbed) Unwrap() []error { return e.causes }

// Is answers for the original link itself (its identity or its own Is
// method); its causes answer through Unwrap.
func (e *scrubbed) Is(target error) bool {
	if e.orig == target {
		return true
	}
	if x, ok := e.orig.(interface{ Is(error) bool }); ok {
		return x.Is(target)
	}
	return false
}
