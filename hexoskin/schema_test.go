package hexoskin_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit/hexoskin"
	"github.com/wearkit/wearkit/hexoskin/hexoskintest"
)

// Every query parameter an option struct can send is a filter the schema
// table lists for its resource, with that filter type.
func TestOptionStructsMatchSchema(t *testing.T) {
	table := map[string]hexoskintest.Resource{}
	for _, r := range hexoskintest.Schema() {
		table[r.Name] = r
	}
	for resource, opts := range map[string]any{
		"record":                  hexoskin.RecordListOptions{},
		"range":                   hexoskin.RangeListOptions{},
		"annotation":              hexoskin.AnnotationListOptions{},
		"datatype":                hexoskin.DatatypeListOptions{},
		"device":                  hexoskin.DeviceListOptions{},
		"metric":                  hexoskin.MetricListOptions{},
		"trainingroutine":         hexoskin.TrainingRoutineListOptions{},
		"activitytype":            hexoskin.ActivityTypeListOptions{},
		"track":                   hexoskin.TrackListOptions{},
		"trackpoint":              hexoskin.TrackpointListOptions{},
		"user":                    hexoskin.UserListOptions{},
		"data":                    hexoskin.DataQuery{},
		"calendar":                hexoskin.CalendarListOptions{},
		"study":                   hexoskin.StudyListOptions{},
		"studysubject":            hexoskin.SubjectListOptions{},
		"survey":                  hexoskin.SurveyListOptions{},
		"report":                  hexoskin.ReportListOptions{},
		"bundlepermission":        hexoskin.PermissionListOptions{},
		"bundlepermissionrequest": hexoskin.PermissionListOptions{},
	} {
		res, ok := table[resource]
		require.True(t, ok, resource)
		for _, key := range queryKeys(reflect.TypeOf(opts)) {
			if slices.Contains([]string{"limit", "offset", "order_by"}, key) {
				continue
			}
			field, op, found := strings.Cut(key, "__")
			if !found {
				op = hexoskintest.Exact
			}
			types, ok := res.Filters[field]
			if assert.True(t, ok, "%s: %s is no filter of the schema", resource, key) {
				assert.True(t, slices.Contains(types, op) || slices.Contains(types, hexoskintest.Related),
					"%s: %s is not an allowed filter type of %s", resource, op, field)
			}
		}
	}
}

// queryKeys lists the url tags of a struct, embedded structs included.
func queryKeys(t reflect.Type) []string {
	var keys []string
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("url")
		if f.Anonymous && tag == "" {
			keys = append(keys, queryKeys(f.Type)...)
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if name != "" && name != "-" {
			keys = append(keys, name)
		}
	}
	return keys
}
