package samples

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/wearkit/wearkit"
)

// Status is the API's health answer (GET /api/status).
type Status struct {
	// Status is "Ok" or "Maintenance" (an open value: others are kept).
	Status string `json:"status"`
	// MinimalAPIVersion is the oldest API version the server still serves
	// ("v1.0").
	MinimalAPIVersion string `json:"minimal_api_version"`
}

// Maintenance reports whether the API asks clients to send nothing now.
func (s Status) Maintenance() bool { return strings.EqualFold(s.Status, "Maintenance") }

// Status reads the API's status. Sync calls it first and refuses to send
// during maintenance (ErrMaintenance).
func (c *Client) Status(ctx context.Context) (Status, error) {
	var st Status
	_, err := c.do(ctx, &wearkit.Request{Path: "api/status"}, &st)
	return st, err
}

// checkStatus returns ErrMaintenance when the API is in maintenance.
func (c *Client) checkStatus(ctx context.Context) error {
	st, err := c.Status(ctx)
	if err != nil {
		return err
	}
	if st.Maintenance() {
		return ErrMaintenance
	}
	return nil
}

// Sex is a user's biological sex as the API names it. It is an open enum.
type Sex string

// The values the API accepts.
const (
	Male   Sex = "Male"
	Female Sex = "Female"
)

// User is the registration of a user, needed before samples are sent for
// them (the proxy registers the user its token stands for).
type User struct {
	// ID is the user's id in your system; the direct flavour's user_id.
	ID string `json:"id"`
	// Sex is Male or Female.
	Sex Sex `json:"biological_sex"`
	// YearOfBirth is the four-digit year.
	YearOfBirth int `json:"year_of_birth"`
}

// RegisterUser registers u (POST /api/v1.1/user, direct /api/v2.2/user).
// The fields are checked before the request: an id, Male or Female, a
// year from 1900 to this year.
func (c *Client) RegisterUser(ctx context.Context, u User) error {
	if strings.TrimSpace(u.ID) == "" {
		return errors.New("samples: RegisterUser: id: required")
	}
	if u.Sex != Male && u.Sex != Female {
		return fmt.Errorf("samples: RegisterUser: biological_sex: %q is not Male or Female", string(u.Sex))
	}
	if y := time.Now().Year(); u.YearOfBirth < 1900 || u.YearOfBirth > y {
		return fmt.Errorf("samples: RegisterUser: year_of_birth: %d is not in 1900..%d", u.YearOfBirth, y)
	}
	_, err := c.do(ctx, &wearkit.Request{Method: http.MethodPost, Path: c.path("user"), Body: u}, nil)
	return err
}

// CalculateBioAge asks the API to compute bio-age from the samples of one
// model now (POST bioage/calculate); otherwise it runs by itself five
// minutes after the last batch.
func (c *Client) CalculateBioAge(ctx context.Context, model DataType) error {
	if !model.Known() {
		return fmt.Errorf("samples: CalculateBioAge: model_type %q is not steps or bpm", string(model))
	}
	body := map[string]string{"model_type": string(model)}
	if c.direct {
		body["user_id"] = c.userID
	}
	_, err := c.do(ctx, &wearkit.Request{Method: http.MethodPost, Path: c.path("bioage/calculate"), Body: body, Safe: true}, nil)
	return err
}

// BioAgeQuery selects bio-age results.
type BioAgeQuery struct {
	// Model is the data type the model was computed from; required.
	Model DataType
	// DeviceName narrows the results to one device; empty means all.
	DeviceName string
	// From and To bound the dates (inclusive); zero means unbounded.
	From, To time.Time
}

// BioAgeResult is the bio-age series of one user and model.
type BioAgeResult struct {
	UserID     string
	DeviceName string
	Model      DataType
	// Days are the dates with a result, in the API's order.
	Days []BioAgeDay
}

// BioAgeDay is one date's bio-age.
type BioAgeDay struct {
	// Date is the calendar date, at midnight UTC.
	Date time.Time
	// Value is the bio-age in years; Known is false when the API had no
	// value for the date (null).
	Value float64
	Known bool
}

// DateLayout is the layout of the API's dates (from_date, to_date and the
// bio-age series).
const DateLayout = "2006-01-02"

// BioAge reads bio-age results (GET bioage with user_id in the direct
// flavour, model_type, device_name, from_date, to_date).
func (c *Client) BioAge(ctx context.Context, q BioAgeQuery) (*BioAgeResult, error) {
	if !q.Model.Known() {
		return nil, fmt.Errorf("samples: BioAge: model_type %q is not steps or bpm", string(q.Model))
	}
	v := map[string][]string{"model_type": {string(q.Model)}}
	if c.direct {
		v["user_id"] = []string{c.userID}
	}
	if q.DeviceName != "" {
		v["device_name"] = []string{q.DeviceName}
	}
	if !q.From.IsZero() {
		v["from_date"] = []string{q.From.Format(DateLayout)}
	}
	if !q.To.IsZero() {
		v["to_date"] = []string{q.To.Format(DateLayout)}
	}
	var raw struct {
		UserID     any    `json:"user_id"`
		DeviceName string `json:"device_name"`
		ModelType  string `json:"model_type"`
		BioAge     []struct {
			Date  string   `json:"date"`
			Value *float64 `json:"value"`
		} `json:"bioage"`
	}
	if _, err := c.do(ctx, &wearkit.Request{Path: c.path("bioage"), Query: v}, &raw); err != nil {
		return nil, err
	}
	res := &BioAgeResult{DeviceName: raw.DeviceName, Model: DataType(raw.ModelType)}
	switch id := raw.UserID.(type) {
	case string:
		res.UserID = id
	case float64:
		res.UserID = strconv.FormatFloat(id, 'f', -1, 64)
	}
	for i, d := range raw.BioAge {
		t, err := parseDate(d.Date)
		if err != nil {
			return nil, fmt.Errorf("samples: BioAge: bioage[%d].date: %w", i, err)
		}
		day := BioAgeDay{Date: t}
		if d.Value != nil {
			day.Value, day.Known = *d.Value, true
		}
		res.Days = append(res.Days, day)
	}
	return res, nil
}

// parseDate reads a date, or a full ISO 8601 time whose date is kept.
func parseDate(s string) (time.Time, error) {
	if t, err := time.Parse(DateLayout, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a YYYY-MM-DD date", s)
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
}

// SendBatch posts one batch (POST samples) after checking it: 3..1000
// samples of one data type, all valid. It is retried on 429, 5xx and
// network errors; the API does not de-duplicate, so a batch whose answer
// was lost may be stored twice. Most programs call Sync instead, which
// batches, checkpoints and reports.
func (c *Client) SendBatch(ctx context.Context, dt DataType, batch []Sample) error {
	if n := len(batch); n < MinBatch || n > MaxBatch {
		return fmt.Errorf("samples: SendBatch: %d samples: a batch holds %d..%d", n, MinBatch, MaxBatch)
	}
	if err := Validate(dt, batch); err != nil {
		return err
	}
	return c.send(ctx, AppendBatchJSON(nil, c.userID, dt, batch))
}

// send posts an encoded batch.
func (c *Client) send(ctx context.Context, body []byte) error {
	_, err := c.do(ctx, &wearkit.Request{
		Method: http.MethodPost, Path: c.path("samples"),
		RawBody: body, ContentType: "application/json",
		// At-least-once: a retry may duplicate a batch the server stored
		// before its answer was lost; Sync's checkpoints bound the rest.
		Safe: true,
	}, nil)
	return err
}
