package hexoskin

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"

	"github.com/wearkit/wearkit"
)

// unmarshalKeep decodes b into v (a pointer to the "plain" twin of a model
// type, without its UnmarshalJSON) and returns a copy of b for the model's
// Raw field, so fields this package does not know stay reachable.
func unmarshalKeep(b []byte, v any) (json.RawMessage, error) {
	if err := json.Unmarshal(b, v); err != nil {
		return nil, err
	}
	return append(json.RawMessage(nil), b...), nil
}

// User is a Hexoskin account (/api/user/, /api/account/).
type User struct {
	ID        int64  `json:"id"`
	Username  string `json:"username"`
	Email     string `json:"email"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	IsStaff   bool   `json:"is_staff"`
	// Profile links to the user's profile; the account view embeds it (see
	// ProfileDetail).
	Profile     Ref    `json:"profile"`
	ResourceURI string `json:"resource_uri"`
	// Raw is the object as the API sent it, unknown fields included.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a user and keeps the raw object.
func (u *User) UnmarshalJSON(b []byte) (err error) {
	type plain User
	u.Raw, err = unmarshalKeep(b, (*plain)(u))
	return err
}

// ProfileDetail decodes the embedded profile, if the answer had one.
func (u *User) ProfileDetail() (*Profile, bool) {
	if u.Profile.Object == nil {
		return nil, false
	}
	var p Profile
	if json.Unmarshal(u.Profile.Object, &p) != nil {
		return nil, false
	}
	return &p, true
}

// Fitness is the fitness block of a profile.
type Fitness struct {
	FitnessPercentile float64 `json:"fitness_percentile"`
	Height            float64 `json:"height"`
	HRMax             float64 `json:"hr_max"`
	HRRecov           float64 `json:"hr_recov"`
	HRRest            float64 `json:"hr_rest"`
	VO2Max            float64 `json:"vo2_max"`
	Weight            float64 `json:"weight"`
}

// Profile is a user's profile (/api/profile/). Its id differs from the
// user's.
type Profile struct {
	ID          int64           `json:"id"`
	DateOfBirth string          `json:"date_of_birth"`
	Gender      string          `json:"gender"`
	Height      float64         `json:"height"`
	Weight      float64         `json:"weight"`
	UnitSystem  string          `json:"unit_system"`
	Fitness     *Fitness        `json:"fitness"`
	Preferences json.RawMessage `json:"preferences"`
	ResourceURI string          `json:"resource_uri"`
	// Raw is the object as the API sent it.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a profile and keeps the raw object.
func (p *Profile) UnmarshalJSON(b []byte) (err error) {
	type plain Profile
	p.Raw, err = unmarshalKeep(b, (*plain)(p))
	return err
}

// UserListOptions filters /api/user/.
type UserListOptions struct {
	ListOptions
	// IDIn keeps the users with these ids (id__in).
	IDIn IDs `url:"id__in,omitempty"`
	// UsernameStartsWith keeps usernames with this prefix.
	UsernameStartsWith string `url:"username__startswith,omitempty"`
	// EmailStartsWith keeps emails with this prefix.
	EmailStartsWith string `url:"email__startswith,omitempty"`
	// Search keeps users whose name, username or email contain this text.
	Search string `url:"search,omitempty"`
}

// Account returns the authenticated user, with the profile embedded
// (/api/account/ answers a one-object list).
func (c *Client) Account(ctx context.Context) (*User, error) {
	p, err := listPage[User, UserListOptions](ctx, c, "account", nil)
	if err != nil {
		return nil, err
	}
	if len(p.Objects) == 0 {
		return nil, &wearkit.Error{Vendor: "hexoskin", Method: "GET", URL: c.rc.BaseURL().String() + "api/account/", StatusCode: http.StatusNotFound, Message: "empty account list", Kind: wearkit.ErrNotFound, Response: p.Response}
	}
	return &p.Objects[0], nil
}

// UsersPage returns one page of the users the caller can see: itself, its
// friends and athletes.
func (c *Client) UsersPage(ctx context.Context, opts *UserListOptions) (*Page[User], error) {
	return listPage[User](ctx, c, "user", opts)
}

// Users iterates over all visible users, following meta.next.
func (c *Client) Users(ctx context.Context, opts *UserListOptions) iter.Seq2[User, error] {
	return listAll[User](ctx, c, "user", opts)
}

// User returns one user.
func (c *Client) User(ctx context.Context, id int64) (*User, error) {
	return get[User](ctx, c, idPath("user", id), nil)
}

// Profile returns one profile (by profile id, not user id).
func (c *Client) Profile(ctx context.Context, id int64) (*Profile, error) {
	return get[Profile](ctx, c, idPath("profile", id), nil)
}

// ProfilePatch holds the profile fields to change; nil fields are left alone.
type ProfilePatch struct {
	DateOfBirth *string  `json:"date_of_birth,omitempty"`
	Gender      *string  `json:"gender,omitempty"`
	Height      *float64 `json:"height,omitempty"`
	Weight      *float64 `json:"weight,omitempty"`
	UnitSystem  *string  `json:"unit_system,omitempty"`
}

// UpdateProfile PATCHes a profile and returns it as the API answers.
func (c *Client) UpdateProfile(ctx context.Context, id int64, p *ProfilePatch) (*Profile, error) {
	return write[Profile](ctx, c, "PATCH", idPath("profile", id), p)
}
