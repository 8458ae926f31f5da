package withings

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/wearkit/wearkit"
)

// Device is one of the user's devices (v2/user getdevice).
type Device struct {
	Type     string
	Model    string
	ModelID  int
	Battery  string
	DeviceID string
	Timezone string
	// LastSession is the device's last synchronisation.
	LastSession time.Time
}

type actionQuery struct {
	Action string `url:"action"`
}

func (q actionQuery) action() string { return q.Action }

// Devices lists the user's devices.
func (c *Client) Devices(ctx context.Context) ([]Device, error) {
	var body struct {
		Devices []struct {
			Type        string          `json:"type"`
			Model       string          `json:"model"`
			ModelID     int             `json:"model_id"`
			Battery     string          `json:"battery"`
			DeviceID    json.RawMessage `json:"deviceid"`
			Timezone    string          `json:"timezone"`
			LastSession epoch           `json:"last_session_date"`
		} `json:"devices"`
	}
	if _, err := c.do(ctx, &wearkit.Request{Path: "v2/user", Query: actionQuery{Action: "getdevice"}}, &body); err != nil {
		return nil, err
	}
	out := make([]Device, 0, len(body.Devices))
	for i, d := range body.Devices {
		id, err := flexString(d.DeviceID)
		if err != nil {
			return nil, fmt.Errorf("withings: getdevice: devices[%d].deviceid: %w", i, err)
		}
		out = append(out, Device{Type: d.Type, Model: d.Model, ModelID: d.ModelID, Battery: d.Battery, DeviceID: id, Timezone: d.Timezone, LastSession: d.LastSession.time()})
	}
	return out, nil
}
