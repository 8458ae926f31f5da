package redact

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

// A token endpoint that answers 500 with an HTML page: oauth2 builds a
// RetrieveError without ErrorCode, whose Error() reads Response.Status.
func TestErrorRetrieveErrorWithoutCodeDoesNotPanic(t *testing.T) {
	var s Secrets
	s.Add("rt-5ecret-value")
	re := &oauth2.RetrieveError{
		Response: &http.Response{Status: "500 Internal Server Error", StatusCode: 500},
		Body:     []byte("<html>refresh token rt-5ecret-value broke us</html>"),
	}
	var got error
	require.NotPanics(t, func() { got = Error(fmt.Errorf("refreshing: %w", re), &s) })
	var msg string
	require.NotPanics(t, func() { msg = got.Error() }, "the scrubbed error's text must be printable")
	assert.NotContains(t, msg, "rt-5ecret-value")
	assert.Contains(t, msg, "500", "the status stays in the text")
	var out *oauth2.RetrieveError
	require.ErrorAs(t, got, &out)
	require.NotPanics(t, func() { msg = out.Error() })
	assert.NotContains(t, msg, "rt-5ecret-value")
	assert.NotContains(t, string(out.Body), "rt-5ecret-value")
}

// Two secrets that overlap in an echo: replacing one first must not leave
// the rest of the other.
func TestScrubOverlappingSecrets(t *testing.T) {
	var s Secrets
	s.Add("AAAA-first-BBBB")
	s.Add("BBBB-second-CC")
	got := s.Scrub("echo AAAA-first-BBBB-second-CC end")
	assert.NotContains(t, got, "second", "the second secret's rest")
	assert.NotContains(t, got, "first")
	assert.Equal(t, "echo REDACTED end", got)
}

// A secret that is a piece of the replacement word must not re-scrub it.
func TestScrubSecretInsideRedacted(t *testing.T) {
	var s Secrets
	s.Add("abcdefgh")
	s.Add("EDAC")
	assert.Equal(t, "x REDACTED y", s.Scrub("x abcdefgh y"))
}

// HTTP Basic credentials: a server echoing the decoded user:password.
func TestAddHeaderBasicDecoded(t *testing.T) {
	var s Secrets
	s.AddHeader(http.Header{"Authorization": {"Basic " + "Ym9iOnB3LTVlY3JldC12YWx1ZQ=="}}) // bob:pw-5ecret-value
	assert.Equal(t, "bad credentials REDACTED", s.Scrub("bad credentials bob:pw-5ecret-value"))
	assert.Equal(t, "bad password REDACTED", s.Scrub("bad password pw-5ecret-value"))
}

// A *url.Error whose URL carries a secret under a key that is not on the
// list (a redirect target that copied it).
func TestErrorURLErrorScrubsKnownSecretsInURL(t *testing.T) {
	var s Secrets
	s.Add("tok-5ecret-value")
	ue := &url.Error{Op: "Get", URL: "https://other.example/cb?x=tok-5ecret-value", Err: errors.New("connection refused")}
	got := Error(ue, &s)
	assert.NotContains(t, got.Error(), "tok-5ecret-value")
}

type wrapErr struct {
	Op  string
	Err error
}

func (w *wrapErr) Error() string { return w.Op + ": " + w.Err.Error() }
func (w *wrapErr) Unwrap() error { return w.Err }

// A wrapper whose text leaks only through its cause keeps its type.
func TestErrorKeepsWrapperTypeForAs(t *testing.T) {
	var s Secrets
	s.Add("tok-5ecret-value")
	base := errors.New("refused tok-5ecret-value")
	got := Error(fmt.Errorf("outer: %w", &wrapErr{Op: "auth", Err: base}), &s)
	assert.Equal(t, "outer: auth: refused REDACTED", got.Error())
	var w *wrapErr
	require.ErrorAs(t, got, &w)
	assert.Equal(t, "auth: refused REDACTED", w.Error())
	assert.ErrorIs(t, got, base, "Is still answers for the scrubbed cause")

	// A wrapper whose own text holds the secret is replaced, not copied.
	got = Error(&wrapErr{Op: "tok-5ecret-value", Err: base}, &s)
	assert.NotContains(t, got.Error(), "tok-5ecret-value")
	assert.False(t, errors.As(got, &w))
}

// Python's json.dumps (Django, Tastypie) writes non-ASCII as \uXXXX, and
// astral characters as surrogate pairs: a password with "ä" echoed that way
// must be scrubbed too.
func TestScrubASCIIEscapedJSONEcho(t *testing.T) {
	var s Secrets
	s.Add("pässwörd-5ecret😀")
	for _, echo := range []string{
		`{"detail": "bad password p\u00e4ssw\u00f6rd-5ecret\ud83d\ude00"}`,
		`{"detail": "bad password p\u00E4ssw\u00F6rd-5ecret\uD83D\uDE00"}`,
	} {
		got := s.Scrub(echo)
		assert.Equal(t, `{"detail": "bad password REDACTED"}`, got)
	}
}

// errors.Join of a leaking link and a clean typed one: the join's text is
// scrubbed, both links answer errors.Is, and the typed ones errors.As.
func TestErrorJoinChain(t *testing.T) {
	var s Secrets
	s.Add("tok-5ecret-value")
	leak := &wrapErr{Op: "auth", Err: errors.New("refused tok-5ecret-value")}
	clean := &url.Error{Op: "Get", URL: "https://h/x?token=tok-5ecret-value", Err: errors.New("reset")}
	sentinel := errors.New("sentinel")
	got := Error(errors.Join(leak, fmt.Errorf("%w and %w", clean, sentinel)), &s)
	assert.NotContains(t, got.Error(), "tok-5ecret-value")
	var w *wrapErr
	require.ErrorAs(t, got, &w)
	assert.NotContains(t, w.Error(), "tok-5ecret-value")
	var ue *url.Error
	require.ErrorAs(t, got, &ue)
	assert.NotContains(t, ue.URL, "tok-5ecret-value")
	assert.ErrorIs(t, got, sentinel)
}
