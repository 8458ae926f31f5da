package corsano

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/wearkit/wearkit"
)

// Ident is an id the API sends as a string or as a number; it keeps the
// decimal text of a number.
type Ident string

// UnmarshalJSON takes a string, a number or null.
func (i *Ident) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, jsonNull) {
		*i = ""
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*i = Ident(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("corsano: id %s is neither a string nor a number", b)
	}
	*i = Ident(n.String())
	return nil
}

// Group is a research group (a department in the portal).
type Group struct {
	ID          Ident  `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	// Code names the group in the patients and summaries calls.
	Code    string `json:"code"`
	HCPCode string `json:"hcpCode"`
	// Timestamp is kept as sent (its encoding is not documented).
	Timestamp json.RawMessage `json:"timestamp,omitempty"`
	// Extra holds the fields the SDK does not type.
	Extra Extra `json:"-"`
}

// UnmarshalJSON decodes the API's form, keeping unknown fields in Extra.
func (g *Group) UnmarshalJSON(b []byte) error {
	type plain Group
	return decodeKeep(b, (*plain)(g), &g.Extra)
}

// MarshalJSON encodes the API's form, Extra included.
func (g Group) MarshalJSON() ([]byte, error) {
	type plain Group
	return encodeKeep(plain(g), g.Extra)
}

// PatientState is a patient's enrolment state; values other than the
// documented ones are kept as sent.
type PatientState string

// Documented patient states.
const (
	PatientPreCreated PatientState = "pre_created"
	PatientConfirmed  PatientState = "confirmed"
)

// String returns the state, marked unknown if it is not documented.
func (s PatientState) String() string {
	if s == PatientPreCreated || s == PatientConfirmed {
		return string(s)
	}
	return fmt.Sprintf("unknown patient state %q", string(s))
}

// Patient is a patient of a group.
type Patient struct {
	ID        Ident        `json:"_id"`
	UUID      string       `json:"uuid"`
	Code      string       `json:"code"`
	State     PatientState `json:"state"`
	FirstName string       `json:"first_name"`
	LastName  string       `json:"last_name"`
	Email     string       `json:"email"`
	// LatestValues holds the latest vitals (with_latest_values=1), nil
	// otherwise.
	LatestValues *LatestValues `json:"latest_values,omitempty"`
	// Extra holds the fields the SDK does not type.
	Extra Extra `json:"-"`
}

// UnmarshalJSON decodes the API's form, keeping unknown fields in Extra.
func (p *Patient) UnmarshalJSON(b []byte) error {
	type plain Patient
	return decodeKeep(b, (*plain)(p), &p.Extra)
}

// MarshalJSON encodes the API's form, Extra included.
func (p Patient) MarshalJSON() ([]byte, error) {
	type plain Patient
	return encodeKeep(plain(p), p.Extra)
}

// LatestValues are the latest vitals the bracelet sent, as the portal's
// realtime page shows them. The vendor documents them only by a picture:
// the values below are decoded when present, everything else is kept raw in
// Extra.
type LatestValues struct {
	HeartRate       *LatestValue `json:"heart_rate,omitempty"`
	SpO2            *LatestValue `json:"spo2,omitempty"`
	RespirationRate *LatestValue `json:"respiration_rate,omitempty"`
	Temperature     *LatestValue `json:"temperature,omitempty"`
	Steps           *LatestValue `json:"steps,omitempty"`
	Battery         *LatestValue `json:"battery,omitempty"`
	// Extra holds the values the SDK does not type, as raw JSON.
	Extra Extra `json:"-"`
}

// UnmarshalJSON decodes the API's form, keeping unknown fields in Extra.
func (l *LatestValues) UnmarshalJSON(b []byte) error {
	type plain LatestValues
	return decodeKeep(b, (*plain)(l), &l.Extra)
}

// MarshalJSON encodes the API's form, Extra included.
func (l LatestValues) MarshalJSON() ([]byte, error) {
	type plain LatestValues
	return encodeKeep(plain(l), l.Extra)
}

// LatestValue is one latest vital: its value and when it was measured.
type LatestValue struct {
	Value     *float64 `json:"value"`
	Timestamp Millis   `json:"timestamp"`
	// Extra holds the fields the SDK does not type.
	Extra Extra `json:"-"`
}

// UnmarshalJSON decodes the API's form, keeping unknown fields in Extra.
func (l *LatestValue) UnmarshalJSON(b []byte) error {
	type plain LatestValue
	return decodeKeep(b, (*plain)(l), &l.Extra)
}

// MarshalJSON encodes the API's form, Extra included.
func (l LatestValue) MarshalJSON() ([]byte, error) {
	type plain LatestValue
	return encodeKeep(plain(l), l.Extra)
}

// Groups lists the groups the researcher token may read.
func (c *Client) Groups(ctx context.Context) ([]Group, error) {
	var out []Group
	_, err := c.do(ctx, &wearkit.Request{Path: "groups"}, &out)
	return out, err
}

// PatientOptions are the optional parameters of Patients.
type PatientOptions struct {
	// WithLatestValues adds each patient's latest vitals.
	WithLatestValues bool `url:"with_latest_values,int,omitempty"`
}

// Patients lists a group's patients (opts may be nil).
func (c *Client) Patients(ctx context.Context, groupCode string, opts *PatientOptions) ([]Patient, error) {
	if err := checkSegment("group code", groupCode); err != nil {
		return nil, err
	}
	r := &wearkit.Request{Path: "groups/" + groupCode + "/patients"}
	if opts != nil {
		r.Query = opts
	}
	var out []Patient
	_, err := c.do(ctx, r, &out)
	return out, err
}

// SummaryOptions are the optional parameters of Summaries.
type SummaryOptions struct {
	// IncludeSlots adds the 5- and 30-minute slots to every section.
	IncludeSlots bool `url:"include_slots,int,omitempty"`
}

// summaryQuery is the summaries call's query.
type summaryQuery struct {
	Date string `url:"date"`
	SummaryOptions
}

// Summaries returns a group's daily summaries for one date, keyed by
// patient uuid.
func (c *Client) Summaries(ctx context.Context, groupCode string, date Date, opts *SummaryOptions) (map[string]Summary, error) {
	if err := checkSegment("group code", groupCode); err != nil {
		return nil, err
	}
	if date.IsZero() {
		return nil, fmt.Errorf("corsano: Summaries: zero date")
	}
	q := summaryQuery{Date: date.String()}
	if opts != nil {
		q.SummaryOptions = *opts
	}
	var out map[string]Summary
	_, err := c.do(ctx, &wearkit.Request{Path: "groups/" + groupCode + "/summaries", Query: q}, &out)
	return out, err
}

// Compliance is a patient's raw-data compliance for one day, keyed as the
// API sends it (its shape is not documented, so values are raw JSON).
type Compliance map[string]json.RawMessage

// RawDataCompliance returns how much raw data a patient's bracelet
// delivered on a day.
func (c *Client) RawDataCompliance(ctx context.Context, uuid string, date Date) (Compliance, error) {
	if err := checkUUID(uuid); err != nil {
		return nil, err
	}
	if date.IsZero() {
		return nil, fmt.Errorf("corsano: RawDataCompliance: zero date")
	}
	var out Compliance
	_, err := c.do(ctx, &wearkit.Request{Path: "patients/" + uuid + "/raw-data-compliance/" + date.String()}, &out)
	return out, err
}

// Device is one of a user's devices, as the API sends it (the shape is not
// documented).
type Device map[string]json.RawMessage

// String returns the device's field as text: a string value unquoted, any
// other value as its JSON.
func (d Device) String(field string) string {
	raw := d[field]
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

// UserDevices lists a patient's devices. The call authenticates with the
// patient's health token in the x-health-token header (fetched and cached
// as for the health API), which errors and logs show as REDACTED.
func (c *Client) UserDevices(ctx context.Context, uuid string) ([]Device, error) {
	if err := checkUUID(uuid); err != nil {
		return nil, err
	}
	var out []Device
	var old []string
	for attempt := 0; ; attempt++ {
		tok, err := c.tokens.get(ctx, uuid)
		if err != nil {
			return nil, scrubTokens(err, old...)
		}
		_, err = c.do(ctx, &wearkit.Request{Path: "user-devices", Header: http.Header{"X-Health-Token": {tok}}}, &out)
		var we *wearkit.Error
		if attempt == 0 && asError(err, &we) && we.StatusCode == http.StatusUnauthorized {
			c.tokens.invalidate(uuid, tok)
			old = append(old, tok)
			continue
		}
		return out, scrubTokens(err, old...)
	}
}

// checkSegment refuses a value that would change the request's path.
func checkSegment(what, v string) error {
	if v == "" || strings.ContainsAny(v, "/?#%") || strings.TrimSpace(v) != v {
		return fmt.Errorf("corsano: %s %s is not a path segment", what, strconv.Quote(v))
	}
	return nil
}
