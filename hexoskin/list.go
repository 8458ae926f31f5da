package hexoskin

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/url"
	"strconv"
	"strings"

	"github.com/google/go-querystring/query"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/internal/rest"
)

// MaxLimit is the most objects a list view answers in one page.
const MaxLimit = 1000

// Ref is a link to another resource. The API writes links as resource URIs
// ("/api/user/835/") and sometimes embeds the whole object instead (a
// record's user); Ref accepts both, keeps the URI and, for an embedded
// object, the object itself in Object.
type Ref struct {
	// URI is the resource URI, e.g. "/api/user/835/".
	URI string
	// Object is the embedded object when the API sent one, else nil.
	Object json.RawMessage
}

// RefTo returns the Ref of resource id of the named resource ("user", 835).
func RefTo(resource string, id int64) Ref {
	return Ref{URI: "/api/" + resource + "/" + strconv.FormatInt(id, 10) + "/"}
}

// ID returns the last path segment of the URI ("835", "HXSKIN1200002115"),
// empty when there is no link.
func (r Ref) ID() string {
	s := strings.TrimSuffix(r.URI, "/")
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// Int returns ID as an integer, 0 when it is not one.
func (r Ref) Int() int64 {
	n, _ := strconv.ParseInt(r.ID(), 10, 64)
	return n
}

// IsZero reports whether r links to nothing (JSON null).
func (r Ref) IsZero() bool { return r.URI == "" && r.Object == nil }

// String returns the URI.
func (r Ref) String() string { return r.URI }

// UnmarshalJSON accepts a URI string, a bare id, null, or an embedded object
// with a resource_uri (or id).
func (r *Ref) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*r = Ref{}
	switch {
	case len(b) == 0 || string(b) == "null":
		return nil
	case b[0] == '"':
		return json.Unmarshal(b, &r.URI)
	case b[0] == '{':
		var o struct {
			URI string          `json:"resource_uri"`
			ID  json.RawMessage `json:"id"`
		}
		if err := json.Unmarshal(b, &o); err != nil {
			return err
		}
		r.URI = o.URI
		if r.URI == "" && len(o.ID) > 0 {
			r.URI = strings.Trim(string(o.ID), `"`)
		}
		r.Object = append(json.RawMessage(nil), b...)
		return nil
	default:
		r.URI = string(b)
		return nil
	}
}

// MarshalJSON writes the URI, or null.
func (r Ref) MarshalJSON() ([]byte, error) {
	if r.URI == "" {
		return []byte("null"), nil
	}
	return json.Marshal(r.URI)
}

// Meta is Tastypie's paging block of a list answer.
type Meta struct {
	Limit      int    `json:"limit"`
	Offset     int    `json:"offset"`
	TotalCount int    `json:"total_count"`
	Next       string `json:"next"`
	Previous   string `json:"previous"`
}

// Page is one page of a list view.
type Page[T any] struct {
	// Meta holds limit, offset, total_count and the next/previous links.
	Meta Meta `json:"meta"`
	// Objects are the page's items.
	Objects []T `json:"objects"`
	// Response tells about the answer (X-HexoCache among its headers).
	Response *wearkit.Response `json:"-"`
}

// ListOptions are the paging and ordering parameters every list takes.
type ListOptions struct {
	// Limit is the page size (server default 20, at most MaxLimit; 0 leaves
	// it to the server). The iterating methods use MaxLimit when it is 0.
	Limit int `url:"limit,omitempty"`
	// Offset skips that many objects.
	Offset int `url:"offset,omitempty"`
	// OrderBy lists the sort columns; a leading "-" sorts that column
	// descending ("-start"). Encoded as order_by=a,b.
	OrderBy []string `url:"order_by,omitempty,comma"`
}

func (o *ListOptions) validate() error {
	if o == nil {
		return nil
	}
	if o.Limit < 0 || o.Limit > MaxLimit {
		return fmt.Errorf("hexoskin: limit %d out of 0..%d", o.Limit, MaxLimit)
	}
	if o.Offset < 0 {
		return fmt.Errorf("hexoskin: negative offset %d", o.Offset)
	}
	return nil
}

// lister is implemented by every *XxxListOptions.
type lister interface{ listOptions() *ListOptions }

func (o *ListOptions) listOptions() *ListOptions { return o }

// TimestampRange is a range filter (field__range=from,to), both ends
// included.
type TimestampRange struct{ From, To Timestamp }

// IsZero reports an unset range.
func (r TimestampRange) IsZero() bool { return r.From == 0 && r.To == 0 }

// EncodeValues implements go-querystring's Encoder.
func (r TimestampRange) EncodeValues(key string, v *url.Values) error {
	if r.IsZero() {
		return nil
	}
	v.Set(key, strconv.FormatInt(int64(r.From), 10)+","+strconv.FormatInt(int64(r.To), 10))
	return nil
}

// IDs is a list filter (field__in=1,2,3).
type IDs []int64

// EncodeValues implements go-querystring's Encoder.
func (ids IDs) EncodeValues(key string, v *url.Values) error {
	if len(ids) == 0 {
		return nil
	}
	v.Set(key, joinInts(ids))
	return nil
}

func joinInts(ids []int64) string {
	b := make([]byte, 0, len(ids)*6)
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(b)
}

func listPath(resource string) string { return "api/" + resource + "/" }

func detailPath(resource string, id string) string {
	return "api/" + resource + "/" + url.PathEscape(id) + "/"
}

// checkSegment refuses a string id that is no path segment of its own:
// empty, or "." and "..", which URL resolution removes (api/x/../ is api/).
func checkSegment(what, id string) error {
	if id == "" || id == "." || id == ".." {
		return fmt.Errorf("hexoskin: %s %q: not an id", what, id)
	}
	return nil
}

func idPath(resource string, id int64) string {
	return detailPath(resource, strconv.FormatInt(id, 10))
}

// listPage fetches one page of a list view.
func listPage[T any, O any, PO interface {
	*O
	lister
}](ctx context.Context, c *Client, resource string, opts PO) (*Page[T], error) {
	var q any
	if opts != nil {
		if err := opts.listOptions().validate(); err != nil {
			return nil, err
		}
		q = opts
	}
	var p Page[T]
	resp, err := c.do(ctx, &wearkit.Request{Path: listPath(resource), Query: q}, &p)
	p.Response = resp
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// listAll follows meta.next from the first page on. A zero Limit becomes
// MaxLimit; opts is not modified.
func listAll[T any, O any, PO interface {
	*O
	lister
}](ctx context.Context, c *Client, resource string, opts PO) iter.Seq2[T, error] {
	var q PO
	if opts != nil {
		cp := *opts
		q = &cp
	} else {
		q = new(O)
	}
	if q.listOptions().Limit == 0 {
		q.listOptions().Limit = MaxLimit
	}
	if err := q.listOptions().validate(); err != nil {
		return func(yield func(T, error) bool) { var zero T; yield(zero, err) }
	}
	vals, err := query.Values(q)
	if err != nil {
		return func(yield func(T, error) bool) {
			var zero T
			yield(zero, fmt.Errorf("hexoskin: encoding the %s list options: %w", resource, err))
		}
	}
	firstPath := listPath(resource) + "?" + vals.Encode()
	first := c.pageCursor(firstPath)
	return rest.Pages(first, func(cursor string) ([]T, string, error) {
		if err := ctx.Err(); err != nil {
			return nil, "", fmt.Errorf("hexoskin: listing %s: %w", resource, err)
		}
		path := cursor
		if cursor == first {
			path = firstPath // as the caller's options say, no offset added
		}
		var p Page[T]
		if _, err := c.do(ctx, &wearkit.Request{Path: path}, &p); err != nil {
			return nil, "", err
		}
		if p.Meta.Next == "" {
			return p.Objects, "", nil
		}
		return p.Objects, c.pageCursor(p.Meta.Next), nil
	})
}

// pageCursor writes a list link in one form (absolute path, sorted query,
// offset 0 when absent), so that a meta.next pointing back to any page
// already fetched, the first one included, is recognised as such.
func (c *Client) pageCursor(link string) string {
	u, err := url.Parse(link)
	if err != nil {
		return link // the request will fail and say why
	}
	u = c.rc.BaseURL().ResolveReference(u)
	q := u.Query()
	if q.Get("offset") == "" {
		q.Set("offset", "0")
	}
	return u.EscapedPath() + "?" + q.Encode()
}

// get fetches one detail view.
func get[T any](ctx context.Context, c *Client, path string, q any) (*T, error) {
	var v T
	if _, err := c.do(ctx, &wearkit.Request{Path: path, Query: q}, &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// write sends a POST, PATCH or PUT with body and decodes the answer into a
// new T. An answer without a body (Tastypie may omit the representation)
// yields the zero T with its Location in the response header.
func write[T any](ctx context.Context, c *Client, method, path string, body any) (*T, error) {
	return send[T](ctx, c, &wearkit.Request{Method: method, Path: path, Body: body})
}

// send sends r and decodes the answer into a new T; an empty answer (a 204
// without Content-Type, as Tastypie sends) yields the zero T.
func send[T any](ctx context.Context, c *Client, r *wearkit.Request) (*T, error) {
	v, _, _, err := sendEmpty[T](ctx, c, r)
	return v, err
}

// sendEmpty is send that also returns the answer's metadata and whether
// the answer had no body.
func sendEmpty[T any](ctx context.Context, c *Client, r *wearkit.Request) (*T, *wearkit.Response, bool, error) {
	var raw json.RawMessage
	resp, err := c.do(ctx, r, &rawSink{dst: &raw, left: rest.DefaultMaxResponseSize})
	if err != nil {
		return nil, resp, false, err
	}
	var v T
	if len(bytes.TrimSpace(raw)) == 0 {
		return &v, resp, true, nil
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, resp, false, fmt.Errorf("hexoskin: %s %s: decoding answer: %w", r.Method, r.Path, err)
	}
	return &v, resp, false, nil
}

// rawSink collects a body that may be empty, at most left bytes (the
// engine's bound on a JSON answer, which a writer does not get).
type rawSink struct {
	dst  *json.RawMessage
	left int64
}

// Write appends p, or fails with wearkit.ErrTooLarge past the bound.
func (s *rawSink) Write(p []byte) (int, error) {
	if int64(len(p)) > s.left {
		return 0, fmt.Errorf("%w: more than %d bytes", wearkit.ErrTooLarge, rest.DefaultMaxResponseSize)
	}
	s.left -= int64(len(p))
	*s.dst = append(*s.dst, p...)
	return len(p), nil
}

func (c *Client) remove(ctx context.Context, path string) error {
	_, err := c.do(ctx, &wearkit.Request{Method: "DELETE", Path: path}, nil)
	return err
}
