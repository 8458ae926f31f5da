package hexoskin_test

import (
	"context"
	"fmt"
	"log"

	"github.com/wearkit/wearkit/hexoskin"
	"github.com/wearkit/wearkit/hexoskin/hexoskintest"
)

// Preview a subject's calendar offline: every month on the 1st and the
// 15th, for a subject who starts on 2020-07-14, until the study ends.
func ExamplePlanning_Expand() {
	p := hexoskin.Planning{{
		Name: "Rest test",
		EventSchedule: hexoskin.EventSchedule{
			RepeatFrequency: hexoskin.Duration{Months: 1},
			ByMonthDay:      []int{1, 15},
			ResourceURI:     "/api/trainingroutine/4/",
		},
	}}
	events, err := p.Expand(hexoskin.NewDate(2020, 7, 14), hexoskin.NewDate(2020, 9, 30))
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range events {
		fmt.Println(e.EventSchedule.Date, e.Name, e.EventSchedule.Kind())
	}
	// Output:
	// 2020-07-15 Rest test trainingroutine
	// 2020-08-01 Rest test trainingroutine
	// 2020-08-15 Rest test trainingroutine
	// 2020-09-01 Rest test trainingroutine
	// 2020-09-15 Rest test trainingroutine
}

// Enrol a subject in a study's cohort: the API names it
// "<study uuid>_<subject id>".
func ExampleClient_AddSubject() {
	srv := hexoskintest.NewServer()
	defer srv.Close()
	c, err := hexoskin.New(hexoskin.WithBaseURL(srv.URL), hexoskin.WithAPIKey(hexoskintest.PublicKey, hexoskintest.PrivateKey))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	sub, err := c.AddSubject(ctx, &hexoskin.SubjectCreate{
		Study:     hexoskin.RefTo("study", hexoskintest.StudyID),
		SubjectID: "sub002",
		Group:     hexoskin.RefTo("studygroup", hexoskintest.GroupA),
		StartDate: hexoskin.NewDate(2020, 8, 1),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(sub.Username, sub.StartDate)
	// Output:
	// test_sub002 2020-08-01
}
