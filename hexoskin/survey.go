package hexoskin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
)

// Survey is a study's questionnaire (/api/survey/). Surveys are made in
// the admin panel or OneView; the API reads them and takes responses.
type Survey struct {
	ID          int64            `json:"id"`
	Name        string           `json:"name"`
	Description string           `json:"description"`
	Study       Ref              `json:"study"`
	Questions   []SurveyQuestion `json:"questions"`
	ResourceURI string           `json:"resource_uri"`
	// Raw is the object as the API sent it.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a survey and keeps the raw object.
func (s *Survey) UnmarshalJSON(b []byte) (err error) {
	type plain Survey
	s.Raw, err = unmarshalKeep(b, (*plain)(s))
	return err
}

// SurveyQuestion is one question; Type is the kind of answer it takes
// ("boolean", "integer", "text", ...), kept open.
type SurveyQuestion struct {
	ID      int64    `json:"id"`
	Text    string   `json:"text"`
	Type    string   `json:"type"`
	Min     *float64 `json:"min,omitempty"`
	Max     *float64 `json:"max,omitempty"`
	Choices []string `json:"choices,omitempty"`
}

// SurveyAnswer answers one question; Value is any JSON value (a bool, a
// number, a string).
type SurveyAnswer struct {
	Question int64 `json:"question"`
	Value    any   `json:"value"`
}

// SurveyResponse is a subject's answers to a survey
// (/api/surveyresponse/). A posted response stays a draft until it is
// submitted; a submitted one can no longer change.
type SurveyResponse struct {
	ID      int64 `json:"id"`
	Survey  Ref   `json:"survey"`
	User    Ref   `json:"user"`
	Answers []struct {
		Question int64           `json:"question"`
		Value    json.RawMessage `json:"value"`
	} `json:"answers"`
	Submitted   bool     `json:"submitted"`
	Created     DateTime `json:"created"`
	ResourceURI string   `json:"resource_uri"`
}

// SurveyListOptions filters /api/survey/.
type SurveyListOptions struct {
	ListOptions
	Study int64 `url:"study,omitempty"`
}

// Surveys iterates over the surveys matching opts.
func (c *Client) Surveys(ctx context.Context, opts *SurveyListOptions) iter.Seq2[Survey, error] {
	return listAll[Survey](ctx, c, "survey", opts)
}

// Survey gets a survey with its questions.
func (c *Client) Survey(ctx context.Context, id int64) (*Survey, error) {
	return get[Survey](ctx, c, idPath("survey", id), nil)
}

// PostSurveyResponse saves answers to a survey as a draft the subject can
// still change (PATCH) before SubmitSurveyResponse.
func (c *Client) PostSurveyResponse(ctx context.Context, survey int64, answers []SurveyAnswer) (*SurveyResponse, error) {
	return c.postResponse(ctx, survey, answers, false)
}

// SubmitSurveyResponse answers a survey in one call: the response is
// posted already submitted.
func (c *Client) SubmitSurveyResponse(ctx context.Context, survey int64, answers []SurveyAnswer) (*SurveyResponse, error) {
	return c.postResponse(ctx, survey, answers, true)
}

// SubmitDraft submits a response posted as a draft.
func (c *Client) SubmitDraft(ctx context.Context, response int64) (*SurveyResponse, error) {
	return write[SurveyResponse](ctx, c, "PATCH", idPath("surveyresponse", response), map[string]bool{"submitted": true})
}

func (c *Client) postResponse(ctx context.Context, survey int64, answers []SurveyAnswer, submitted bool) (*SurveyResponse, error) {
	if survey <= 0 {
		return nil, fmt.Errorf("hexoskin: survey response: bad survey id %d", survey)
	}
	if len(answers) == 0 {
		return nil, errors.New("hexoskin: survey response: no answers")
	}
	for i, a := range answers {
		if a.Question <= 0 {
			return nil, fmt.Errorf("hexoskin: survey response: answers[%d]: bad question id %d", i, a.Question)
		}
		if _, err := json.Marshal(a.Value); err != nil {
			return nil, fmt.Errorf("hexoskin: survey response: answers[%d].value: %w", i, err)
		}
	}
	body := struct {
		Survey    Ref            `json:"survey"`
		Answers   []SurveyAnswer `json:"answers"`
		Submitted bool           `json:"submitted"`
	}{RefTo("survey", survey), answers, submitted}
	return write[SurveyResponse](ctx, c, "POST", listPath("surveyresponse"), &body)
}
