package hexoskin_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/hexoskin"
	"github.com/wearkit/wearkit/hexoskin/hexoskintest"
)

func TestStudyRolesAndSubjects(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()

	st, err := c.Study(ctx, hexoskintest.StudyID)
	require.NoError(t, err)
	assert.Equal(t, hexoskintest.StudyUUID, st.UUID)
	assert.Equal(t, hexoskin.RoleOwner, st.Role(hexoskin.RefTo("user", hexoskintest.UserID)))
	assert.Equal(t, hexoskin.RoleAdmin, st.Role(hexoskin.RefTo("user", hexoskintest.FriendID)))
	assert.Equal(t, hexoskin.RoleNone, st.Role(hexoskin.RefTo("user", 9)))
	require.Len(t, st.Planning, 3)
	assert.Equal(t, "P1D", st.Planning[0].EventSchedule.RepeatFrequency.String())
	name, err := st.SubjectUsername("sub001")
	require.NoError(t, err)
	assert.Equal(t, "test_sub001", name, "the pages' example")

	studies := collect(t, c.Studies(ctx, &hexoskin.StudyListOptions{UUIDIn: []string{"test"}}))
	require.Len(t, studies, 1)

	groups := collect(t, c.StudyGroups(ctx, hexoskintest.StudyID))
	require.Len(t, groups, 2)

	sub, err := c.AddSubject(ctx, &hexoskin.SubjectCreate{Study: hexoskin.RefTo("study", hexoskintest.StudyID),
		SubjectID: "sub002", Group: hexoskin.RefTo("studygroup", hexoskintest.GroupA), StartDate: hexoskin.NewDate(2020, 8, 1)})
	require.NoError(t, err)
	assert.Equal(t, "test_sub002", sub.Username)
	uuid, id, ok := hexoskin.ParseSubjectUsername(sub.Username)
	assert.True(t, ok)
	assert.Equal(t, [2]string{"test", "sub002"}, [2]string{uuid, id})
	_, err = c.AddSubject(ctx, &hexoskin.SubjectCreate{Study: hexoskin.RefTo("study", hexoskintest.StudyID), SubjectID: "sub002", StartDate: hexoskin.NewDate(2020, 8, 1)})
	require.ErrorIs(t, err, wearkit.ErrBadRequest, "a username exists once")
	_, err = c.AddSubject(ctx, &hexoskin.SubjectCreate{Study: hexoskin.RefTo("study", 1), SubjectID: "sub 3", StartDate: hexoskin.NewDate(2020, 8, 1)})
	require.ErrorContains(t, err, `subject id "sub 3": bad character at byte 3`)

	// Move after onboarding, even after the study ended.
	moved, err := c.MoveSubject(ctx, sub.ID, hexoskintest.GroupB)
	require.NoError(t, err)
	assert.Equal(t, int64(hexoskintest.GroupB), moved.Group.Int())
	inB := collect(t, c.Subjects(ctx, &hexoskin.SubjectListOptions{Group: hexoskintest.GroupB}))
	require.Len(t, inB, 1)
	assert.Equal(t, "sub002", inB[0].SubjectID)

	other, err := c.CreateStudy(ctx, &hexoskin.StudyCreate{Name: "other", UUID: "other"})
	require.NoError(t, err)
	g, err := c.CreateStudyGroup(ctx, &hexoskin.StudyGroupCreate{Study: hexoskin.RefTo("study", other.ID), Name: "X"})
	require.NoError(t, err)
	_, err = c.MoveSubject(ctx, sub.ID, g.ID)
	require.ErrorIs(t, err, wearkit.ErrBadRequest, "a group of another study")

	_, err = hexoskin.SubjectUsername("a_b", "x")
	require.ErrorContains(t, err, "underscore")
	_, err = hexoskin.SubjectUsername("", "x")
	require.ErrorContains(t, err, "empty study UUID")
}

func TestStudyPlanningValidatedBothSides(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()
	over := hexoskin.Planning{{Name: "monthly", EventSchedule: hexoskin.EventSchedule{RepeatFrequency: hexoskin.Duration{Months: 1}, RepeatPeriod: 61}}}
	_, err := c.CreateStudy(ctx, &hexoskin.StudyCreate{Name: "long", Planning: over})
	require.ErrorContains(t, err, `planning[0] "monthly": event_schedule: 61 x P1M runs past 5 years`)
	assert.Equal(t, 0, srv.Log.Count("POST", "/api/study/"), "refused before sending")

	// The fake refuses it too (sent through the escape hatch).
	err = c.Do(ctx, &wearkit.Request{Method: "PATCH", Path: "api/study/1/", Body: map[string]any{"planning": over}}, nil)
	require.ErrorIs(t, err, wearkit.ErrBadRequest)
	assert.Contains(t, err.Error(), "runs past 5 years")

	ok := hexoskin.Planning{{Name: "monthly", EventSchedule: hexoskin.EventSchedule{RepeatFrequency: hexoskin.Duration{Months: 1}, RepeatPeriod: 60}}}
	st, err := c.UpdateStudy(ctx, hexoskintest.StudyID, &hexoskin.StudyPatch{Planning: ok})
	require.NoError(t, err)
	assert.Equal(t, 60, st.Planning[0].EventSchedule.RepeatPeriod)
}

func TestCalendar(t *testing.T) {
	srv := hexoskintest.New(t)
	c := newClient(t, srv)
	ctx := context.Background()
	srv.MarkDone(hexoskintest.SubjectUserID, "2020-07-14", "/api/survey/3/")

	evs := collect(t, c.Calendar(ctx, &hexoskin.CalendarListOptions{User: hexoskintest.SubjectUserID}))
	require.Len(t, evs, 9, "the pages' example answer")
	st, err := c.Study(ctx, hexoskintest.StudyID)
	require.NoError(t, err)
	preview, err := st.Planning.Expand(hexoskin.NewDate(2020, 7, 14), st.EndDate)
	require.NoError(t, err)
	require.Len(t, preview, 9)
	for i := range evs {
		assert.Equal(t, preview[i].Name, evs[i].Name)
		assert.Equal(t, preview[i].EventSchedule.Date, evs[i].EventSchedule.Date)
	}
	var done []hexoskin.CalendarEvent
	for _, e := range evs {
		if e.Done {
			done = append(done, e)
		}
	}
	require.Len(t, done, 1)
	assert.Equal(t, "survey", done[0].EventSchedule.Kind())
	assert.Equal(t, "2020-07-14", done[0].EventSchedule.Date.String())

	page, err := c.CalendarPage(ctx, &hexoskin.CalendarListOptions{User: hexoskintest.SubjectUserID, End: hexoskin.NewDate(2020, 7, 15)})
	require.NoError(t, err)
	assert.Len(t, page.Objects, 3, "events before the 15th")
	last, _ := srv.Log.Last()
	assert.Equal(t, "end=2020-07-15&user=2001", last.RawQuery)
}
