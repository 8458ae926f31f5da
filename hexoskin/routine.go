package hexoskin

import (
	"context"
	"encoding/json"
	"iter"
)

// TrainingRoutine is an activity template (/api/trainingroutine/); ranges
// are its instances.
type TrainingRoutine struct {
	ID           int64           `json:"id"`
	Name         string          `json:"name"`
	Description  string          `json:"description"`
	ActivityType Ref             `json:"activitytype"`
	Metadata     json.RawMessage `json:"metadata"`
	Steps        json.RawMessage `json:"steps"`
	LastUsed     json.RawMessage `json:"last_used"`
	User         Ref             `json:"user"`
	ResourceURI  string          `json:"resource_uri"`
	// Raw is the object as the API sent it.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a routine and keeps the raw object.
func (t *TrainingRoutine) UnmarshalJSON(b []byte) (err error) {
	type plain TrainingRoutine
	t.Raw, err = unmarshalKeep(b, (*plain)(t))
	return err
}

// Geo reports metadata.geo: whether the routine turns GPS on.
func (t *TrainingRoutine) Geo() bool {
	var m struct {
		Geo bool `json:"geo"`
	}
	_ = json.Unmarshal(t.Metadata, &m)
	return m.Geo
}

// TrainingRoutineListOptions filters /api/trainingroutine/.
type TrainingRoutineListOptions struct {
	ListOptions
	ActivityType int64 `url:"activitytype,omitempty"`
	// ActivityTypeIn keeps routines of these activity types.
	ActivityTypeIn IDs `url:"activitytype__in,omitempty"`
	// IDIn keeps these routines.
	IDIn IDs `url:"id__in,omitempty"`
	// Using keeps the routines the user has used (using=true).
	Using bool `url:"using,omitempty"`
}

// TrainingRoutinesPage returns one page of routines.
func (c *Client) TrainingRoutinesPage(ctx context.Context, opts *TrainingRoutineListOptions) (*Page[TrainingRoutine], error) {
	return listPage[TrainingRoutine](ctx, c, "trainingroutine", opts)
}

// TrainingRoutines iterates over every routine matching opts.
func (c *Client) TrainingRoutines(ctx context.Context, opts *TrainingRoutineListOptions) iter.Seq2[TrainingRoutine, error] {
	return listAll[TrainingRoutine](ctx, c, "trainingroutine", opts)
}

// TrainingRoutine returns one routine.
func (c *Client) TrainingRoutine(ctx context.Context, id int64) (*TrainingRoutine, error) {
	return get[TrainingRoutine](ctx, c, idPath("trainingroutine", id), nil)
}

// ActivityType groups training routines and decides extra processing (HRV
// for rest and sleep) and which metrics ranges carry (/api/activitytype/).
type ActivityType struct {
	ID          int64           `json:"id"`
	Name        string          `json:"name"`
	Metrics     []Ref           `json:"metrics"`
	Processing  json.RawMessage `json:"processing"`
	ResourceURI string          `json:"resource_uri"`
	// Raw is the object as the API sent it.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes an activity type and keeps the raw object.
func (a *ActivityType) UnmarshalJSON(b []byte) (err error) {
	type plain ActivityType
	a.Raw, err = unmarshalKeep(b, (*plain)(a))
	return err
}

// ActivityTypeListOptions filters /api/activitytype/.
type ActivityTypeListOptions struct {
	ListOptions
	// IDIn keeps these activity types.
	IDIn IDs `url:"id__in,omitempty"`
	// CategoryIn keeps these categories.
	CategoryIn []string `url:"category__in,omitempty,comma"`
	// ShowAll lists every activity type, not only the user's.
	ShowAll bool `url:"show_all,omitempty"`
	// Using keeps the activity types the user has used.
	Using bool `url:"using,omitempty"`
}

// ActivityTypesPage returns one page of activity types.
func (c *Client) ActivityTypesPage(ctx context.Context, opts *ActivityTypeListOptions) (*Page[ActivityType], error) {
	return listPage[ActivityType](ctx, c, "activitytype", opts)
}

// ActivityTypes iterates over all activity types.
func (c *Client) ActivityTypes(ctx context.Context, opts *ActivityTypeListOptions) iter.Seq2[ActivityType, error] {
	return listAll[ActivityType](ctx, c, "activitytype", opts)
}

// ActivityType returns one activity type.
func (c *Client) ActivityType(ctx context.Context, id int64) (*ActivityType, error) {
	return get[ActivityType](ctx, c, idPath("activitytype", id), nil)
}
