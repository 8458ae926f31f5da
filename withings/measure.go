package withings

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/internal/rest"
)

// MeasureType is the kind of a measure (measure getmeas "type"). It is
// open: a type this package does not name decodes to its number, and its
// String says so.
type MeasureType int

// Measure types and their units once Measure.Float is applied.
const (
	Weight                  MeasureType = 1   // kg
	Height                  MeasureType = 4   // m
	FatFreeMass             MeasureType = 5   // kg
	FatRatio                MeasureType = 6   // %
	FatMass                 MeasureType = 8   // kg
	DiastolicBP             MeasureType = 9   // mmHg
	SystolicBP              MeasureType = 10  // mmHg
	HeartPulse              MeasureType = 11  // bpm
	Temperature             MeasureType = 12  // °C
	SpO2                    MeasureType = 54  // %
	BodyTemperature         MeasureType = 71  // °C
	SkinTemperature         MeasureType = 73  // °C
	MuscleMass              MeasureType = 76  // kg
	Hydration               MeasureType = 77  // kg (not %)
	BoneMass                MeasureType = 88  // kg
	PulseWaveVelocity       MeasureType = 91  // m/s
	VO2Max                  MeasureType = 123 // ml/min/kg
	AFibResult              MeasureType = 130 // classification
	QRSInterval             MeasureType = 135 // ms
	PRInterval              MeasureType = 136 // ms
	QTInterval              MeasureType = 137 // ms
	CorrectedQTInterval     MeasureType = 138 // ms
	AFibPPG                 MeasureType = 139 // classification
	VascularAge             MeasureType = 155 // years
	NerveHealthLeftFoot     MeasureType = 158 // score
	NerveHealthRightFoot    MeasureType = 159 // score
	NerveHealthFeet         MeasureType = 167 // score
	ExtracellularWater      MeasureType = 168 // kg
	IntracellularWater      MeasureType = 169 // kg
	VisceralFat             MeasureType = 170 // index
	FatFreeMassBySegment    MeasureType = 173 // kg
	FatMassBySegment        MeasureType = 174 // kg
	MuscleMassBySegment     MeasureType = 175 // kg
	ElectrodermalFeet       MeasureType = 196 // score
	ElectrodermalLeftFoot   MeasureType = 197 // score
	ElectrodermalRightFoot  MeasureType = 198 // score
	BasalMetabolicRate      MeasureType = 226 // kcal
	MetabolicAge            MeasureType = 227 // years
	ElectrochemicalSkinCond MeasureType = 229 // µS
)

type typeInfo struct{ name, unit string }

var measureTypes = map[MeasureType]typeInfo{
	Weight: {"weight", "kg"}, Height: {"height", "m"}, FatFreeMass: {"fat-free mass", "kg"},
	FatRatio: {"fat ratio", "%"}, FatMass: {"fat mass", "kg"}, DiastolicBP: {"diastolic blood pressure", "mmHg"},
	SystolicBP: {"systolic blood pressure", "mmHg"}, HeartPulse: {"heart pulse", "bpm"},
	Temperature: {"temperature", "°C"}, SpO2: {"SpO2", "%"}, BodyTemperature: {"body temperature", "°C"},
	SkinTemperature: {"skin temperature", "°C"}, MuscleMass: {"muscle mass", "kg"}, Hydration: {"hydration", "kg"},
	BoneMass: {"bone mass", "kg"}, PulseWaveVelocity: {"pulse wave velocity", "m/s"}, VO2Max: {"VO2 max", "ml/min/kg"},
	AFibResult: {"AFib result", ""}, QRSInterval: {"QRS interval", "ms"}, PRInterval: {"PR interval", "ms"},
	QTInterval: {"QT interval", "ms"}, CorrectedQTInterval: {"corrected QT interval", "ms"}, AFibPPG: {"AFib from PPG", ""},
	VascularAge: {"vascular age", "years"}, NerveHealthLeftFoot: {"nerve health score, left foot", ""},
	NerveHealthRightFoot: {"nerve health score, right foot", ""}, NerveHealthFeet: {"nerve health score, feet", ""},
	ExtracellularWater: {"extracellular water", "kg"}, IntracellularWater: {"intracellular water", "kg"},
	VisceralFat: {"visceral fat", ""}, FatFreeMassBySegment: {"fat-free mass by segment", "kg"},
	FatMassBySegment: {"fat mass by segment", "kg"}, MuscleMassBySegment: {"muscle mass by segment", "kg"},
	ElectrodermalFeet: {"electrodermal activity, feet", ""}, ElectrodermalLeftFoot: {"electrodermal activity, left foot", ""},
	ElectrodermalRightFoot: {"electrodermal activity, right foot", ""}, BasalMetabolicRate: {"basal metabolic rate", "kcal"},
	MetabolicAge: {"metabolic age", "years"}, ElectrochemicalSkinCond: {"electrochemical skin conductance", "µS"},
}

// String names the type, or says it is unknown.
func (t MeasureType) String() string {
	if i, ok := measureTypes[t]; ok {
		return i.name
	}
	return fmt.Sprintf("unknown measure type %d", int(t))
}

// Unit is the unit of Measure.Float for this type ("" for scores,
// classifications and unknown types).
func (t MeasureType) Unit() string { return measureTypes[t].unit }

// Known reports whether this package names the type.
func (t MeasureType) Known() bool { _, ok := measureTypes[t]; return ok }

// Measure is one value of a measure group, encoded as Value x 10^Unit.
type Measure struct {
	Value int64       `json:"value"`
	Type  MeasureType `json:"type"`
	Unit  int         `json:"unit"`
	// Algo and FM are the algorithm and firmware markers some devices
	// send; 0 when absent.
	Algo int `json:"algo,omitempty"`
	FM   int `json:"fm,omitempty"`
}

// Float returns the physical value, Value x 10^Unit, in Type.Unit().
func (m Measure) Float() float64 {
	if m.Unit >= 0 && m.Unit <= 18 {
		return float64(m.Value) * math.Pow10(m.Unit)
	}
	if m.Unit < 0 && m.Unit >= -18 {
		return float64(m.Value) / math.Pow10(-m.Unit) // exact for decimal fractions
	}
	return float64(m.Value) * math.Pow10(m.Unit)
}

// Category says whether a group holds real measurements or the user's
// objectives.
type Category int

// Measure group categories.
const (
	RealMeasures   Category = 1
	UserObjectives Category = 2
)

// MeasureGroup is the set of measures taken at once (one weigh-in gives
// weight, fat mass, ...).
type MeasureGroup struct {
	ID       int64     `json:"grpid"`
	Attrib   int       `json:"attrib"`
	Date     time.Time `json:"-"`
	Created  time.Time `json:"-"`
	Modified time.Time `json:"-"`
	Category Category  `json:"category"`
	DeviceID string    `json:"deviceid"`
	Measures []Measure `json:"measures"`
	Comment  string    `json:"comment"`
	Timezone string    `json:"timezone"`
}

// measureGroupWire is a group as the API sends it.
type measureGroupWire struct {
	ID       int64           `json:"grpid"`
	Attrib   int             `json:"attrib"`
	Date     epoch           `json:"date"`
	Created  epoch           `json:"created"`
	Modified epoch           `json:"modified"`
	Category Category        `json:"category"`
	DeviceID json.RawMessage `json:"deviceid"`
	Measures []Measure       `json:"measures"`
	Comment  string          `json:"comment"`
	Timezone string          `json:"timezone"`
}

func (w *measureGroupWire) group() (MeasureGroup, error) {
	id, err := flexString(w.DeviceID)
	if err != nil {
		return MeasureGroup{}, fmt.Errorf("withings: measure group %d: deviceid: %w", w.ID, err)
	}
	return MeasureGroup{ID: w.ID, Attrib: w.Attrib, Date: w.Date.time(), Created: w.Created.time(), Modified: w.Modified.time(),
		Category: w.Category, DeviceID: id, Measures: w.Measures, Comment: w.Comment, Timezone: w.Timezone}, nil
}

// UnmarshalJSON decodes a group as the API sends it (Unix-second dates, a
// device id as a string or a number).
func (g *MeasureGroup) UnmarshalJSON(b []byte) error {
	var w measureGroupWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	v, err := w.group()
	if err != nil {
		return err
	}
	*g = v
	return nil
}

// Find returns the group's first measure of type t.
func (g MeasureGroup) Find(t MeasureType) (Measure, bool) {
	for _, m := range g.Measures {
		if m.Type == t {
			return m, true
		}
	}
	return Measure{}, false
}

// MeasureOptions selects measure groups. Give Start and End, or
// LastUpdate (incremental sync), or neither (everything).
type MeasureOptions struct {
	// Start and End bound the measure dates (inclusive).
	Start, End time.Time
	// LastUpdate returns the groups created or changed since; pass the
	// previous page's UpdateTime.
	LastUpdate time.Time
	// Types selects measure types: one is sent as meastype, several as
	// meastypes; none means all.
	Types []MeasureType
	// Category selects real measures or objectives; 0 means both.
	Category Category
	// Offset starts at a page the API handed out (MeasurePage.NextOffset).
	Offset int
}

type measQuery struct {
	Action     string     `url:"action"`
	MeasType   int        `url:"meastype,omitempty"`
	MeasTypes  string     `url:"meastypes,omitempty"`
	Category   int        `url:"category,omitempty"`
	Start      unixOrZero `url:"startdate"`
	End        unixOrZero `url:"enddate"`
	LastUpdate unixOrZero `url:"lastupdate"`
	Offset     int        `url:"offset,omitempty"`
}

func (q measQuery) action() string { return q.Action }

// MeasurePage is one answer of measure getmeas.
type MeasurePage struct {
	Groups []MeasureGroup
	// UpdateTime is the server's time of the answer: pass it as the next
	// sync's LastUpdate.
	UpdateTime time.Time
	Timezone   string
	// NextOffset is the offset of the next page, 0 on the last one.
	NextOffset int
	Response   *wearkit.Response
}

func (o *MeasureOptions) query(offset int) (*measQuery, error) {
	q := &measQuery{Action: "getmeas", Offset: offset}
	if o == nil {
		return q, nil
	}
	if !o.LastUpdate.IsZero() && (!o.Start.IsZero() || !o.End.IsZero()) {
		return nil, fmt.Errorf("withings: MeasureOptions: give Start and End or LastUpdate, not both")
	}
	if !o.Start.IsZero() && !o.End.IsZero() && o.End.Before(o.Start) {
		return nil, fmt.Errorf("withings: MeasureOptions: End %v is before Start %v", o.End, o.Start)
	}
	if o.Offset < 0 {
		return nil, fmt.Errorf("withings: MeasureOptions: Offset %d is negative", o.Offset)
	}
	q.Start, q.End, q.LastUpdate = unixOrZero(o.Start), unixOrZero(o.End), unixOrZero(o.LastUpdate)
	q.Category = int(o.Category)
	switch len(o.Types) {
	case 0:
	case 1:
		q.MeasType = int(o.Types[0])
	default:
		s := make([]string, len(o.Types))
		for i, t := range o.Types {
			s[i] = strconv.Itoa(int(t))
		}
		q.MeasTypes = strings.Join(s, ",")
	}
	if offset == 0 {
		q.Offset = o.Offset
	}
	return q, nil
}

// MeasuresPage fetches one page of measure getmeas (offset 0 is the first;
// opts.Offset is used when offset is 0).
func (c *Client) MeasuresPage(ctx context.Context, opts *MeasureOptions, offset int) (*MeasurePage, error) {
	q, err := opts.query(offset)
	if err != nil {
		return nil, err
	}
	var body struct {
		page
		UpdateTime  epoch              `json:"updatetime"`
		Timezone    string             `json:"timezone"`
		MeasureGrps []measureGroupWire `json:"measuregrps"`
	}
	meta, err := c.do(ctx, &wearkit.Request{Path: "measure", Query: q}, &body)
	if err != nil {
		return nil, err
	}
	next, err := body.next()
	if err != nil {
		return nil, err
	}
	groups := make([]MeasureGroup, len(body.MeasureGrps))
	for i := range body.MeasureGrps {
		if groups[i], err = body.MeasureGrps[i].group(); err != nil {
			return nil, err
		}
	}
	return &MeasurePage{Groups: groups, UpdateTime: body.UpdateTime.time(), Timezone: body.Timezone, NextOffset: next, Response: meta}, nil
}

// Measures returns every measure group opts selects, newest first,
// following the offset pages ("more" as 0/1 or a boolean, absent on the
// last page).
func (c *Client) Measures(ctx context.Context, opts *MeasureOptions) iter.Seq2[MeasureGroup, error] {
	return rest.Pages(0, func(offset int) ([]MeasureGroup, int, error) {
		p, err := c.MeasuresPage(ctx, opts, offset)
		if err != nil {
			return nil, 0, err
		}
		return p.Groups, p.NextOffset, nil
	})
}
