package hexoskin

import (
	"context"
	"encoding/json"
	"iter"
)

// Device is a Hexoskin device (/api/device/<serial>/); its id is the serial
// number, e.g. "HXSKIN1200002115".
type Device struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	User        Ref    `json:"user"`
	FirmwareRev string `json:"firmware_rev"`
	ResourceURI string `json:"resource_uri"`
	// Raw is the object as the API sent it.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a device and keeps the raw object.
func (d *Device) UnmarshalJSON(b []byte) (err error) {
	type plain Device
	d.Raw, err = unmarshalKeep(b, (*plain)(d))
	return err
}

// DeviceListOptions filters /api/device/.
type DeviceListOptions struct {
	ListOptions
	// IDIn keeps these devices (id__in, serial numbers).
	IDIn []string `url:"id__in,omitempty,comma"`
	// DeviceIDIn keeps these hardware ids (deviceid__in).
	DeviceIDIn []string `url:"deviceid__in,omitempty,comma"`
}

// DevicesPage returns one page of devices.
func (c *Client) DevicesPage(ctx context.Context, opts *DeviceListOptions) (*Page[Device], error) {
	return listPage[Device](ctx, c, "device", opts)
}

// Devices iterates over every device matching opts.
func (c *Client) Devices(ctx context.Context, opts *DeviceListOptions) iter.Seq2[Device, error] {
	return listAll[Device](ctx, c, "device", opts)
}

// Device returns one device by serial number.
func (c *Client) Device(ctx context.Context, id string) (*Device, error) {
	if err := checkSegment("Device: id", id); err != nil {
		return nil, err
	}
	return get[Device](ctx, c, detailPath("device", id), nil)
}
