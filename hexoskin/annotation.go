package hexoskin

import (
	"context"
	"encoding/json"
	"iter"
)

// Annotation is a note placed at a time in a user's data (/api/annotation/).
type Annotation struct {
	ID         int64     `json:"id"`
	Annotation string    `json:"annotation"`
	Datatype   Ref       `json:"datatype"`
	Start      Timestamp `json:"start"`
	StartDate  DateTime  `json:"start_date"`
	// LastUpdate is the docs' name (a HexoTimestamp); the 3.3.x schema
	// names the same moment LastModified. Either may be missing.
	LastUpdate   Timestamp `json:"last_update"`
	LastModified DateTime  `json:"last_modified"`
	Record       Ref       `json:"record"`
	User         Ref       `json:"user"`
	ResourceURI  string    `json:"resource_uri"`
	// Raw is the object as the API sent it.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes an annotation and keeps the raw object.
func (a *Annotation) UnmarshalJSON(b []byte) (err error) {
	type plain Annotation
	a.Raw, err = unmarshalKeep(b, (*plain)(a))
	return err
}

// AnnotationCreate is the body of a new annotation.
type AnnotationCreate struct {
	Annotation string    `json:"annotation"`
	Datatype   Ref       `json:"datatype,omitzero"`
	Start      Timestamp `json:"start"`
	User       Ref       `json:"user,omitzero"`
	Record     Ref       `json:"record,omitzero"`
}

// AnnotationPatch holds the fields to change; nil fields are left alone.
type AnnotationPatch struct {
	Annotation *string    `json:"annotation,omitempty"`
	Start      *Timestamp `json:"start,omitempty"`
}

// AnnotationListOptions filters /api/annotation/.
type AnnotationListOptions struct {
	ListOptions
	User       int64          `url:"user,omitempty"`
	Record     int64          `url:"record,omitempty"`
	Datatype   int64          `url:"datatype,omitempty"`
	StartGTE   Timestamp      `url:"start__gte,omitempty"`
	StartLT    Timestamp      `url:"start__lt,omitempty"`
	StartRange TimestampRange `url:"start__range,omitempty"`
	// IDIn keeps these annotations (id__in).
	IDIn IDs `url:"id__in,omitempty"`
	// LastModifiedGTE keeps annotations changed at or after this time.
	LastModifiedGTE DateTime `url:"last_modified__gte,omitempty"`
}

// AnnotationsPage returns one page of annotations.
func (c *Client) AnnotationsPage(ctx context.Context, opts *AnnotationListOptions) (*Page[Annotation], error) {
	return listPage[Annotation](ctx, c, "annotation", opts)
}

// Annotations iterates over every annotation matching opts.
func (c *Client) Annotations(ctx context.Context, opts *AnnotationListOptions) iter.Seq2[Annotation, error] {
	return listAll[Annotation](ctx, c, "annotation", opts)
}

// Annotation returns one annotation.
func (c *Client) Annotation(ctx context.Context, id int64) (*Annotation, error) {
	return get[Annotation](ctx, c, idPath("annotation", id), nil)
}

// CreateAnnotation POSTs a new annotation (201 with the object).
func (c *Client) CreateAnnotation(ctx context.Context, a *AnnotationCreate) (*Annotation, error) {
	return write[Annotation](ctx, c, "POST", listPath("annotation"), a)
}

// UpdateAnnotation PATCHes an annotation.
func (c *Client) UpdateAnnotation(ctx context.Context, id int64, p *AnnotationPatch) (*Annotation, error) {
	return write[Annotation](ctx, c, "PATCH", idPath("annotation", id), p)
}

// DeleteAnnotation deletes an annotation.
func (c *Client) DeleteAnnotation(ctx context.Context, id int64) error {
	return c.remove(ctx, idPath("annotation", id))
}
