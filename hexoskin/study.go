package hexoskin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strings"
	"unicode"
)

// StudyRole is what a user is to a study: its owner, one of its admins or
// one of its subjects.
type StudyRole string

// The study roles; RoleNone is a user the study does not know.
const (
	RoleNone    StudyRole = ""
	RoleOwner   StudyRole = "owner"
	RoleAdmin   StudyRole = "admin"
	RoleSubject StudyRole = "subject"
)

// Study is a research study (/api/study/): its owner and admins, its
// subjects and groups (cohorts), and the planning each subject's calendar
// is generated from.
type Study struct {
	ID          int64  `json:"id"`
	UUID        string `json:"uuid"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Owner       Ref    `json:"owner"`
	Admins      []Ref  `json:"admins"`
	// Subjects link to the study's subjects (/api/studysubject/...).
	Subjects []Ref `json:"subjects"`
	// Groups link to its cohorts (/api/studygroup/...).
	Groups      []Ref    `json:"groups"`
	Planning    Planning `json:"planning"`
	StartDate   Date     `json:"start_date"`
	EndDate     Date     `json:"end_date"`
	ResourceURI string   `json:"resource_uri"`
	// Raw is the object as the API sent it.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a study and keeps the raw object.
func (s *Study) UnmarshalJSON(b []byte) (err error) {
	type plain Study
	s.Raw, err = unmarshalKeep(b, (*plain)(s))
	return err
}

// Role returns what user is to the study: RoleOwner, RoleAdmin or
// RoleNone. Subjects are enrolments (Subject), not users: list them with
// SubjectListOptions.User to find whether a user is RoleSubject.
func (s *Study) Role(user Ref) StudyRole {
	id := user.ID()
	if id == "" {
		return RoleNone
	}
	if s.Owner.ID() == id {
		return RoleOwner
	}
	for _, a := range s.Admins {
		if a.ID() == id {
			return RoleAdmin
		}
	}
	return RoleNone
}

// SubjectUsername returns the username of subject subjectID in this study.
func (s *Study) SubjectUsername(subjectID string) (string, error) {
	return SubjectUsername(s.UUID, subjectID)
}

// SubjectUsername builds a subject's username: the study UUID, an
// underscore, the subject's own id ("test_sub001"). Neither part may be
// empty or hold spaces; the UUID may hold no underscore, so the username
// splits back unambiguously (ParseSubjectUsername).
func SubjectUsername(studyUUID, subjectID string) (string, error) {
	if err := checkIDPart("study UUID", studyUUID); err != nil {
		return "", err
	}
	if strings.Contains(studyUUID, "_") {
		return "", fmt.Errorf("hexoskin: study UUID %q holds an underscore", studyUUID)
	}
	if err := checkIDPart("subject id", subjectID); err != nil {
		return "", err
	}
	return studyUUID + "_" + subjectID, nil
}

func checkIDPart(what, s string) error {
	if s == "" {
		return fmt.Errorf("hexoskin: empty %s", what)
	}
	for i, r := range s {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return fmt.Errorf("hexoskin: %s %q: bad character at byte %d", what, s, i)
		}
	}
	return nil
}

// ParseSubjectUsername splits a subject's username into the study UUID
// and the subject id; ok is false when it has no such form.
func ParseSubjectUsername(username string) (studyUUID, subjectID string, ok bool) {
	u, id, found := strings.Cut(username, "_")
	if !found || u == "" || id == "" {
		return "", "", false
	}
	return u, id, true
}

// StudyCreate is the body of a new study.
type StudyCreate struct {
	Name        string   `json:"name"`
	UUID        string   `json:"uuid,omitempty"`
	Description string   `json:"description,omitempty"`
	Admins      []Ref    `json:"admins,omitempty"`
	Planning    Planning `json:"planning,omitempty"`
	StartDate   Date     `json:"start_date,omitzero"`
	EndDate     Date     `json:"end_date,omitzero"`
}

// StudyPatch holds the fields to change; nil fields are left alone, and
// an empty non-nil Admins or Planning clears the study's.
type StudyPatch struct {
	Name        *string  `json:"name,omitempty"`
	Description *string  `json:"description,omitempty"`
	Admins      []Ref    `json:"admins,omitzero"`
	Planning    Planning `json:"planning,omitzero"`
	EndDate     *Date    `json:"end_date,omitempty"`
}

// StudyListOptions filters /api/study/.
type StudyListOptions struct {
	ListOptions
	IDIn IDs `url:"id__in,omitempty"`
	// Owner keeps the studies this user owns.
	Owner int64 `url:"owner,omitempty"`
	// UUIDIn keeps these studies.
	UUIDIn []string `url:"uuid__in,omitempty,comma"`
}

// StudiesPage returns one page of studies.
func (c *Client) StudiesPage(ctx context.Context, opts *StudyListOptions) (*Page[Study], error) {
	return listPage[Study](ctx, c, "study", opts)
}

// Studies iterates over every study the caller may see.
func (c *Client) Studies(ctx context.Context, opts *StudyListOptions) iter.Seq2[Study, error] {
	return listAll[Study](ctx, c, "study", opts)
}

// Study returns one study.
func (c *Client) Study(ctx context.Context, id int64) (*Study, error) {
	return get[Study](ctx, c, idPath("study", id), nil)
}

// CreateStudy creates a study. Its planning is validated first
// (Planning.Validate), so a bad schedule never reaches the API.
func (c *Client) CreateStudy(ctx context.Context, s *StudyCreate) (*Study, error) {
	if s == nil || strings.TrimSpace(s.Name) == "" {
		return nil, errors.New("hexoskin: CreateStudy: empty name")
	}
	if err := s.Planning.Validate(); err != nil {
		return nil, err
	}
	return write[Study](ctx, c, "POST", listPath("study"), s)
}

// UpdateStudy PATCHes a study; a new planning is validated first.
func (c *Client) UpdateStudy(ctx context.Context, id int64, p *StudyPatch) (*Study, error) {
	if p == nil {
		p = &StudyPatch{}
	}
	if err := p.Planning.Validate(); err != nil {
		return nil, err
	}
	return write[Study](ctx, c, "PATCH", idPath("study", id), p)
}

// DeleteStudy deletes a study.
func (c *Client) DeleteStudy(ctx context.Context, id int64) error {
	return c.remove(ctx, idPath("study", id))
}

// StudyGroup is a cohort of a study (/api/studygroup/).
type StudyGroup struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Study       Ref    `json:"study"`
	Subjects    []Ref  `json:"subjects"`
	ResourceURI string `json:"resource_uri"`
}

// StudyGroupCreate is the body of a new group.
type StudyGroupCreate struct {
	Study       Ref    `json:"study"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

type studyGroupListOptions struct {
	ListOptions
	Study int64 `url:"study,omitempty"`
}

// StudyGroups iterates over a study's groups.
func (c *Client) StudyGroups(ctx context.Context, study int64) iter.Seq2[StudyGroup, error] {
	return listAll[StudyGroup](ctx, c, "studygroup", &studyGroupListOptions{Study: study})
}

// CreateStudyGroup adds a group (cohort) to a study.
func (c *Client) CreateStudyGroup(ctx context.Context, g *StudyGroupCreate) (*StudyGroup, error) {
	if g == nil || strings.TrimSpace(g.Name) == "" {
		return nil, errors.New("hexoskin: CreateStudyGroup: empty name")
	}
	if g.Study.IsZero() {
		return nil, errors.New("hexoskin: CreateStudyGroup: no study")
	}
	return write[StudyGroup](ctx, c, "POST", listPath("studygroup"), g)
}

// Subject is a study subject (/api/studysubject/): a user enrolled in a
// study, in a group, with the onboarding date the calendar counts from.
type Subject struct {
	ID    int64 `json:"id"`
	Study Ref   `json:"study"`
	Group Ref   `json:"group"`
	User  Ref   `json:"user"`
	// SubjectID is the subject's own id within the study ("sub001").
	SubjectID string `json:"subject_id"`
	// Username is "<study uuid>_<subject id>".
	Username    string `json:"username"`
	StartDate   Date   `json:"start_date"`
	ResourceURI string `json:"resource_uri"`
}

// SubjectCreate enrols a subject.
type SubjectCreate struct {
	Study     Ref    `json:"study"`
	SubjectID string `json:"subject_id"`
	Group     Ref    `json:"group,omitzero"`
	// StartDate is the onboarding date the calendar counts from.
	StartDate Date `json:"start_date"`
}

// SubjectListOptions filters /api/studysubject/.
type SubjectListOptions struct {
	ListOptions
	Study int64 `url:"study,omitempty"`
	Group int64 `url:"group,omitempty"`
	User  int64 `url:"user,omitempty"`
}

// SubjectsPage returns one page of subjects.
func (c *Client) SubjectsPage(ctx context.Context, opts *SubjectListOptions) (*Page[Subject], error) {
	return listPage[Subject](ctx, c, "studysubject", opts)
}

// Subjects iterates over the subjects matching opts.
func (c *Client) Subjects(ctx context.Context, opts *SubjectListOptions) iter.Seq2[Subject, error] {
	return listAll[Subject](ctx, c, "studysubject", opts)
}

// AddSubject enrols a subject; the API names its user
// "<study uuid>_<subject id>".
func (c *Client) AddSubject(ctx context.Context, s *SubjectCreate) (*Subject, error) {
	if s == nil || s.Study.IsZero() {
		return nil, errors.New("hexoskin: AddSubject: no study")
	}
	if err := checkIDPart("subject id", s.SubjectID); err != nil {
		return nil, err
	}
	if s.StartDate.IsZero() {
		return nil, errors.New("hexoskin: AddSubject: no start date")
	}
	return write[Subject](ctx, c, "POST", listPath("studysubject"), s)
}

// MoveSubject puts a subject in another group of the same study. It works
// after onboarding and even after the study ended (retrospective studies).
func (c *Client) MoveSubject(ctx context.Context, subject, group int64) (*Subject, error) {
	if group <= 0 {
		return nil, fmt.Errorf("hexoskin: MoveSubject: bad group id %d", group)
	}
	body := struct {
		Group Ref `json:"group"`
	}{RefTo("studygroup", group)}
	return write[Subject](ctx, c, "PATCH", idPath("studysubject", subject), &body)
}

// CalendarListOptions filters /api/calendar/.
type CalendarListOptions struct {
	ListOptions
	// User is the subject's user id.
	User int64 `url:"user,omitempty"`
	// Study narrows to one study when the user is in several.
	Study int64 `url:"study,omitempty"`
	// End keeps the events scheduled before this day.
	End Date `url:"end,omitempty"`
}

// CalendarPage returns one page of a subject's calendar.
func (c *Client) CalendarPage(ctx context.Context, opts *CalendarListOptions) (*Page[CalendarEvent], error) {
	return listPage[CalendarEvent](ctx, c, "calendar", opts)
}

// Calendar iterates over a subject's calendar: the events the study's
// planning gives from the subject's start date, each marked done or not.
// Planning.Expand gives the same list offline.
func (c *Client) Calendar(ctx context.Context, opts *CalendarListOptions) iter.Seq2[CalendarEvent, error] {
	return listAll[CalendarEvent](ctx, c, "calendar", opts)
}
