package hexoskin

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/mail"
	"net/url"
	"strings"

	"github.com/wearkit/wearkit"
)

// The operations below trigger a process on the server (an email, an
// account request) and answer without a representation.

// CreateUserRequest asks for a new account (/api/createuserrequest/); the
// server emails the person an invitation.
type CreateUserRequest struct {
	Email     string `json:"email"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
}

func checkEmail(op, email string) error {
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		return fmt.Errorf("hexoskin: %s: email %q is not an address", op, email)
	}
	return nil
}

// RequestUser sends a create-user request.
func (c *Client) RequestUser(ctx context.Context, r *CreateUserRequest) error {
	if r == nil {
		return errors.New("hexoskin: RequestUser: nil request")
	}
	if err := checkEmail("RequestUser", r.Email); err != nil {
		return err
	}
	return c.operation(ctx, "createuserrequest", r)
}

// ResetPassword makes the server email a password reset link to email.
func (c *Client) ResetPassword(ctx context.Context, email string) error {
	if err := checkEmail("ResetPassword", email); err != nil {
		return err
	}
	return c.operation(ctx, "resetpassword", map[string]string{"email": email})
}

// ChangeEmail changes the caller's email; the current password confirms
// it (it is sent in the body, never logged or put in an error).
func (c *Client) ChangeEmail(ctx context.Context, newEmail, password string) error {
	if err := checkEmail("ChangeEmail", newEmail); err != nil {
		return err
	}
	if password == "" {
		return errors.New("hexoskin: ChangeEmail: empty password")
	}
	return c.operation(ctx, "changeemail", map[string]string{"email": newEmail, "password": password}, password)
}

// operation POSTs body to name; the secrets the body carries are named to
// the engine, which knows only those of URLs, forms and headers, so they
// never reach an error.
func (c *Client) operation(ctx context.Context, name string, body any, secrets ...string) error {
	_, err := c.do(ctx, &wearkit.Request{Method: "POST", Path: listPath(name), Body: body, Secrets: secrets}, nil)
	return err
}

// BundlePermission lets Grantee see User's data of a bundle
// (/api/bundlepermission/).
type BundlePermission struct {
	ID          int64  `json:"id"`
	User        Ref    `json:"user"`
	Grantee     Ref    `json:"grantee"`
	Bundle      string `json:"bundle"`
	ResourceURI string `json:"resource_uri"`
}

// BundlePermissionRequest asks User to grant Requester a bundle
// (/api/bundlepermissionrequest/); Status is "pending", "accepted" or
// "refused" (kept open).
type BundlePermissionRequest struct {
	ID          int64  `json:"id"`
	User        Ref    `json:"user"`
	Requester   Ref    `json:"requester"`
	Bundle      string `json:"bundle"`
	Status      string `json:"status"`
	ResourceURI string `json:"resource_uri"`
}

// PermissionListOptions filters the permission lists.
type PermissionListOptions struct {
	ListOptions
	User int64 `url:"user,omitempty"`
}

// BundlePermissions iterates over the permissions the caller may see.
func (c *Client) BundlePermissions(ctx context.Context, opts *PermissionListOptions) iter.Seq2[BundlePermission, error] {
	return listAll[BundlePermission](ctx, c, "bundlepermission", opts)
}

// RevokeBundlePermission deletes a permission.
func (c *Client) RevokeBundlePermission(ctx context.Context, id int64) error {
	return c.remove(ctx, idPath("bundlepermission", id))
}

// BundlePermissionRequests iterates over the permission requests.
func (c *Client) BundlePermissionRequests(ctx context.Context, opts *PermissionListOptions) iter.Seq2[BundlePermissionRequest, error] {
	return listAll[BundlePermissionRequest](ctx, c, "bundlepermissionrequest", opts)
}

// RequestBundlePermission asks user to share bundle with the caller.
func (c *Client) RequestBundlePermission(ctx context.Context, user int64, bundle string) (*BundlePermissionRequest, error) {
	if strings.TrimSpace(bundle) == "" {
		return nil, errors.New("hexoskin: RequestBundlePermission: empty bundle")
	}
	return write[BundlePermissionRequest](ctx, c, "POST", listPath("bundlepermissionrequest"),
		map[string]any{"user": RefTo("user", user), "bundle": bundle})
}

// AnswerBundlePermissionRequest accepts or refuses a request; accepting
// creates the BundlePermission.
func (c *Client) AnswerBundlePermissionRequest(ctx context.Context, id int64, accept bool) (*BundlePermissionRequest, error) {
	status := "refused"
	if accept {
		status = "accepted"
	}
	return write[BundlePermissionRequest](ctx, c, "PATCH", idPath("bundlepermissionrequest", id), map[string]string{"status": status})
}

// OAuth2Client is a registered OAuth2 application (/api/oauth2client/).
type OAuth2Client struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// RedirectURIs are the only URLs the authorization accepts.
	RedirectURIs           []string `json:"redirect_uris"`
	ClientType             string   `json:"client_type"`
	AuthorizationGrantType string   `json:"authorization_grant_type"`
	ResourceURI            string   `json:"resource_uri"`
}

// OAuth2ClientInfo returns an OAuth2 client by its client id.
func (c *Client) OAuth2ClientInfo(ctx context.Context, clientID string) (*OAuth2Client, error) {
	if err := checkSegment("OAuth2ClientInfo: client id", clientID); err != nil {
		return nil, err
	}
	return get[OAuth2Client](ctx, c, detailPath("oauth2client", clientID), nil)
}

// SetRedirectURIs replaces a client's redirect URIs (a PATCH of
// redirect_uris); each must be an absolute http(s) URL.
func (c *Client) SetRedirectURIs(ctx context.Context, clientID string, uris []string) (*OAuth2Client, error) {
	if err := checkSegment("SetRedirectURIs: client id", clientID); err != nil {
		return nil, err
	}
	for i, u := range uris {
		if err := checkRedirect(u); err != nil {
			return nil, fmt.Errorf("hexoskin: SetRedirectURIs: uris[%d]: %w", i, err)
		}
	}
	if uris == nil {
		uris = []string{}
	}
	return write[OAuth2Client](ctx, c, "PATCH", detailPath("oauth2client", clientID), map[string][]string{"redirect_uris": uris})
}

// OAuth2Token is one token issued to the caller (/api/oauth2token/); the
// token's value is never listed.
type OAuth2Token struct {
	ID          int64    `json:"id"`
	Client      Ref      `json:"client"`
	Scope       string   `json:"scope"`
	Expires     DateTime `json:"expires"`
	ResourceURI string   `json:"resource_uri"`
}

// OAuth2Tokens iterates over the caller's OAuth2 tokens.
func (c *Client) OAuth2Tokens(ctx context.Context, opts *ListOptions) iter.Seq2[OAuth2Token, error] {
	return listAll[OAuth2Token](ctx, c, "oauth2token", opts)
}

func checkRedirect(u string) error {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
		return fmt.Errorf("%q is not an absolute http(s) URL", u)
	}
	if p.Fragment != "" {
		return fmt.Errorf("%q has a fragment", u)
	}
	return nil
}
