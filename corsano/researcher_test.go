package corsano_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/corsano"
	"github.com/wearkit/wearkit/corsano/corsanotest"
)

func TestGroupsAndPatients(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	groups, err := f.c.Groups(ctx)
	require.NoError(t, err)
	require.Len(t, groups, 1)
	assert.Equal(t, corsano.Ident("17"), groups[0].ID)
	assert.Equal(t, corsanotest.GroupCode, groups[0].Code)
	assert.Equal(t, "HCP-"+corsanotest.GroupCode, groups[0].HCPCode)
	assert.Equal(t, "1759874400000", string(groups[0].Timestamp))
	entry, _ := f.srv.Log.Last()
	assert.Equal(t, "/v1/groups", entry.Path)
	assert.Equal(t, corsanotest.ResearcherToken, entry.Query.Get("token"))

	plain, err := f.c.Patients(ctx, corsanotest.GroupCode, nil)
	require.NoError(t, err)
	require.Len(t, plain, 3)
	assert.Equal(t, corsanotest.ExamplePatient, plain[0].UUID)
	assert.Equal(t, corsano.PatientConfirmed, plain[0].State)
	assert.Equal(t, corsano.PatientPreCreated, plain[2].State)
	assert.Equal(t, "Ada", plain[0].FirstName)
	assert.Nil(t, plain[0].LatestValues)
	entry, _ = f.srv.Log.Last()
	assert.False(t, entry.Query.Has("with_latest_values"))

	latest, err := f.c.Patients(ctx, corsanotest.GroupCode, &corsano.PatientOptions{WithLatestValues: true})
	require.NoError(t, err)
	entry, _ = f.srv.Log.Last()
	assert.Equal(t, "1", entry.Query.Get("with_latest_values"))
	lv := latest[0].LatestValues
	require.NotNil(t, lv)
	require.NotNil(t, lv.HeartRate)
	assert.InDelta(t, 75, *lv.HeartRate.Value, 40)
	assert.True(t, lv.HeartRate.Timestamp.Equal(t0.Add(-time.Minute)))
	assert.JSONEq(t, `true`, string(lv.Extra["skin_contact"]), "unknown latest values kept raw")
	assert.Nil(t, latest[2].LatestValues)
	back, err := json.Marshal(latest[0])
	require.NoError(t, err)
	assert.Contains(t, string(back), `"skin_contact":true`)
	assert.Contains(t, string(back), `"uuid":"`+corsanotest.ExamplePatient+`"`)
	back, err = json.Marshal(groups[0])
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":"17","name":"wearkit demo ward","description":"Three simulated patients","code":"wearkit-demo","hcpCode":"HCP-wearkit-demo","timestamp":1759874400000}`, string(back))
	assert.Equal(t, `unknown patient state "left"`, corsano.PatientState("left").String())
}

func TestRawDataComplianceAndDevices(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	date := corsano.Date{Year: 2025, Month: time.October, Day: 7}
	comp, err := f.c.RawDataCompliance(ctx, corsanotest.ExamplePatient, date)
	require.NoError(t, err)
	assert.JSONEq(t, `"2025-10-07"`, string(comp["date"]))
	assert.Contains(t, comp, "ppg1")
	entry, _ := f.srv.Log.Last()
	assert.Equal(t, "/v1/patients/"+corsanotest.ExamplePatient+"/raw-data-compliance/2025-10-07", entry.Path)

	devs, err := f.c.UserDevices(ctx, corsanotest.ExamplePatient)
	require.NoError(t, err)
	require.Len(t, devs, 1)
	assert.Equal(t, "CardioWatch 287-2", devs[0].String("name"))
	assert.Equal(t, "81", devs[0].String("battery"))
	entry, _ = f.srv.Log.Last()
	assert.Equal(t, f.srv.HealthTokens()[0], entry.Header.Get("X-Health-Token"))

	// A revoked health token: fetched again once.
	f.srv.RevokeHealthTokens()
	_, err = f.c.UserDevices(ctx, corsanotest.ExamplePatient)
	require.NoError(t, err)
	assert.Equal(t, 2, f.srv.HealthTokensIssued(corsanotest.ExamplePatient))
}

func TestWrongResearcherToken(t *testing.T) {
	f := newFixture(t, nil)
	c, err := corsano.New(corsano.WithResearcherToken("wrong-researcher-token-1234"), corsano.WithBaseURL(f.srv.BaseURL()))
	require.NoError(t, err)
	_, err = c.Groups(context.Background())
	require.ErrorIs(t, err, wearkit.ErrUnauthorized)
	assert.Regexp(t, `^corsano: GET http://127\.0\.0\.1:\d+/v1/groups(\?token=REDACTED)?: 401 Unauthorized: Unauthenticated\.$`, err.Error())
	assert.NotContains(t, err.Error(), "wrong-researcher-token-1234")
}
