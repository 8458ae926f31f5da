package hexoskin

import (
	"context"
	"encoding/json"
	"iter"
	"net/url"
	"time"
)

// Track is the container of the GPS points of one range (/api/track/).
type Track struct {
	ID          int64           `json:"id"`
	Name        string          `json:"name"`
	Distance    float64         `json:"distance"`
	Area        json.RawMessage `json:"area"`
	Range       Ref             `json:"range"`
	Source      string          `json:"source"`
	User        Ref             `json:"user"`
	ResourceURI string          `json:"resource_uri"`
	// Raw is the object as the API sent it.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a track and keeps the raw object.
func (t *Track) UnmarshalJSON(b []byte) (err error) {
	type plain Track
	t.Raw, err = unmarshalKeep(b, (*plain)(t))
	return err
}

// Trackpoint is one GPS fix (/api/trackpoint/).
type Trackpoint struct {
	ID int64 `json:"id"`
	// Position is [longitude, latitude] in degrees.
	Position           [2]float64 `json:"position"`
	Altitude           *float64   `json:"altitude"`
	Course             *float64   `json:"course"`
	Speed              *float64   `json:"speed"`
	HorizontalAccuracy *float64   `json:"horizontal_accuracy"`
	VerticalAccuracy   *float64   `json:"vertical_accuracy"`
	Time               DateTime   `json:"time"`
	Track              Ref        `json:"track"`
	ResourceURI        string     `json:"resource_uri"`
	// Raw is the object as the API sent it.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a trackpoint and keeps the raw object.
func (p *Trackpoint) UnmarshalJSON(b []byte) (err error) {
	type plain Trackpoint
	p.Raw, err = unmarshalKeep(b, (*plain)(p))
	return err
}

// Longitude returns Position[0].
func (p *Trackpoint) Longitude() float64 { return p.Position[0] }

// Latitude returns Position[1].
func (p *Trackpoint) Latitude() float64 { return p.Position[1] }

// TrackListOptions filters /api/track/.
type TrackListOptions struct {
	ListOptions
	User  int64 `url:"user,omitempty"`
	Range int64 `url:"range,omitempty"`
}

// TrackpointListOptions filters /api/trackpoint/: by track, or by time with
// either HexoTimestamps (timestamp__range) or dates (time__range).
type TrackpointListOptions struct {
	ListOptions
	Track int64 `url:"track,omitempty"`
	User  int64 `url:"user,omitempty"`
	// TimestampRange keeps points between two HexoTimestamps.
	TimestampRange TimestampRange `url:"timestamp__range,omitempty"`
	// TimeRange keeps points between two times, sent as
	// time__range=2015-05-12T19:40:00,2015-05-12T19:50:46 (UTC).
	TimeRange TimeRange `url:"time__range,omitempty"`
}

// TimeRange is a range filter over date-times, both ends included.
type TimeRange struct{ From, To time.Time }

// EncodeValues implements go-querystring's Encoder.
func (r TimeRange) EncodeValues(key string, v *url.Values) error {
	if r.From.IsZero() && r.To.IsZero() {
		return nil
	}
	const layout = "2006-01-02T15:04:05"
	v.Set(key, r.From.UTC().Format(layout)+","+r.To.UTC().Format(layout))
	return nil
}

// TracksPage returns one page of tracks.
func (c *Client) TracksPage(ctx context.Context, opts *TrackListOptions) (*Page[Track], error) {
	return listPage[Track](ctx, c, "track", opts)
}

// Tracks iterates over every track matching opts.
func (c *Client) Tracks(ctx context.Context, opts *TrackListOptions) iter.Seq2[Track, error] {
	return listAll[Track](ctx, c, "track", opts)
}

// Track returns one track.
func (c *Client) Track(ctx context.Context, id int64) (*Track, error) {
	return get[Track](ctx, c, idPath("track", id), nil)
}

// TrackpointsPage returns one page of trackpoints.
func (c *Client) TrackpointsPage(ctx context.Context, opts *TrackpointListOptions) (*Page[Trackpoint], error) {
	return listPage[Trackpoint](ctx, c, "trackpoint", opts)
}

// Trackpoints iterates over every trackpoint matching opts.
func (c *Client) Trackpoints(ctx context.Context, opts *TrackpointListOptions) iter.Seq2[Trackpoint, error] {
	return listAll[Trackpoint](ctx, c, "trackpoint", opts)
}

// TrackpointsByTrack iterates over the points of one track.
func (c *Client) TrackpointsByTrack(ctx context.Context, track int64) iter.Seq2[Trackpoint, error] {
	return c.Trackpoints(ctx, &TrackpointListOptions{Track: track})
}

// TrackpointsBetween iterates over the points between two HexoTimestamps.
func (c *Client) TrackpointsBetween(ctx context.Context, from, to Timestamp) iter.Seq2[Trackpoint, error] {
	return c.Trackpoints(ctx, &TrackpointListOptions{TimestampRange: TimestampRange{from, to}})
}
