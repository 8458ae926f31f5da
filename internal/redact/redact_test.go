package redact

import (
	"errors"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRedactHelpers(t *testing.T) {
	u, err := url.Parse("https://user:pw-5ecret@h/x?b=2&api_key=k-5ecret&a=1&CODE=c-5ecret")
	require.NoError(t, err)
	assert.Equal(t, "https://REDACTED@h/x?b=2&api_key=REDACTED&a=1&CODE=REDACTED", URL(u), "order kept, user information gone")
	assert.Equal(t, "not a url %zz?token=REDACTED", URLString("not a url %zz?token=t-5ecret"))
	assert.Equal(t, "http://REDACTED@h/%zz", URLString("http://tok-5ecret@h/%zz"))

	h := Header(http.Header{"Authorization": {"Bearer x"}, "Accept": {"a"}, "X-Hexoapisignature": {"s"}})
	assert.Equal(t, []string{Redacted}, h["Authorization"])
	assert.Equal(t, []string{Redacted}, h["X-Hexoapisignature"])
	assert.Equal(t, []string{"a"}, h["Accept"])

	var s Secrets
	s.AddHeader(http.Header{"Authorization": {"Basic dXNlcjpwdw=="}})
	s.Add("abc") // too short to scrub safely
	assert.Equal(t, "got REDACTED and abc", s.Scrub("got dXNlcjpwdw== and abc"))

	var one Secrets
	one.Add("t-5ecret")
	base := errors.New("oops t-5ecret")
	red := Error(base, &one)
	assert.Equal(t, "oops REDACTED", red.Error())
	assert.ErrorIs(t, red, base, "scrubbing keeps errors.Is")
}
