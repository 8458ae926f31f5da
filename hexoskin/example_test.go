package hexoskin_test

import (
	"context"
	"fmt"
	"log"
	"net/url"
	"time"

	"github.com/wearkit/wearkit"
	"github.com/wearkit/wearkit/hexoskin"
	"github.com/wearkit/wearkit/hexoskin/hexoskintest"
)

// A user's records in a date range, then one minute of heart rate.
func Example() {
	srv := hexoskintest.NewServer()
	defer srv.Close()

	c, err := hexoskin.New(
		hexoskin.WithBaseURL(srv.URL),
		hexoskin.WithAPIKey(hexoskintest.PublicKey, hexoskintest.PrivateKey),
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	opts := &hexoskin.RecordListOptions{
		User:     hexoskintest.UserID,
		StartGTE: hexoskin.TimestampFromUnix(1404172800), // 2014-07-01
		StartLT:  hexoskin.TimestampFromUnix(1412121600), // 2014-10-01
	}
	opts.OrderBy = []string{"start"}
	for rec, err := range c.Records(ctx, opts) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("record %d: %s, %v\n", rec.ID, rec.Start.Time().Format("2006-01-02 15:04"), rec.End.Sub(rec.Start).Round(time.Second))
	}

	rec, err := c.Record(ctx, hexoskintest.RecordID)
	if err != nil {
		log.Fatal(err)
	}
	sets, err := c.Data(ctx, &hexoskin.DataQuery{
		Datatypes: []hexoskin.DatatypeID{hexoskin.HeartRate},
		Record:    rec.ID,
		Start:     rec.Start,
		End:       rec.Start.Add(time.Minute),
	})
	if err != nil {
		log.Fatal(err)
	}
	hr := sets[0].Series[hexoskin.HeartRate]
	fmt.Printf("%d heart-rate points, first %.0f bpm\n", len(hr), hr[0].V)
	// Output:
	// record 37700: 2014-07-17 19:38, 38m44s
	// record 43419: 2014-09-28 10:16, 5h33m1s
	// 60 heart-rate points, first 71 bpm
}

// The signature of the documentation's example request.
func ExampleSign() {
	fmt.Println(hexoskin.Sign("3x4mPl3pR1v4tEK3y3x4mPl3pR1v4tEK3y", 1400000000, "https://api.hexoskin.com/api/user/"))
	// Output: 88c7a8e7b35f145ddac98f861476d89dc6604fb3
}

func ExampleTimestamp() {
	ts := hexoskin.Timestamp(361446243405) // a record start from the documentation
	fmt.Println(ts, int64(ts))
	fmt.Println(hexoskin.TimestampFromTime(time.Date(2014, 9, 28, 10, 16, 28, 0, time.UTC)))
	fmt.Println(ts.Add(-time.Millisecond), "(rounded down to the tick)")
	// Output:
	// 2014-09-28T10:16:28.30078125Z 361446243405
	// 2014-09-28T10:16:28Z
	// 2014-09-28T10:16:28.296875Z (rounded down to the tick)
}

func ExampleHeartRateStatus() {
	for _, v := range []float64{32, 40, 0} { // values of datatype 1000
		s := hexoskin.HeartRateStatus(v)
		fmt.Println(int(v), s, s.Has(hexoskin.HRUnreliableRR))
	}
	// Output:
	// 32 unreliable-RR true
	// 40 saturated|unreliable-RR true
	// 0 ok false
}

// Paging by hand with the one-page method.
func ExampleClient_RecordsPage() {
	srv := hexoskintest.NewServer(hexoskintest.WithRecords(45))
	defer srv.Close()
	c, err := hexoskin.New(hexoskin.WithBaseURL(srv.URL), hexoskin.WithAPIKey(hexoskintest.PublicKey, hexoskintest.PrivateKey))
	if err != nil {
		log.Fatal(err)
	}
	page, err := c.RecordsPage(context.Background(), &hexoskin.RecordListOptions{User: hexoskintest.UserID})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(page.Objects), page.Meta.TotalCount, page.Meta.Next)
	// Output: 20 47 /api/record/?limit=20&offset=20&user=1511
}

// An endpoint the client does not type yet, through the escape hatch: the
// same signing, retries, errors and redaction as every typed call.
func ExampleClient_Do() {
	srv := hexoskintest.NewServer()
	defer srv.Close()
	c, err := hexoskin.New(
		hexoskin.WithBaseURL(srv.URL),
		hexoskin.WithAPIKey(hexoskintest.PublicKey, hexoskintest.PrivateKey),
	)
	if err != nil {
		log.Fatal(err)
	}
	var reports struct {
		Objects []struct {
			ID     int64  `json:"id"`
			Name   string `json:"name"`
			Status string `json:"status"`
		} `json:"objects"`
	}
	var meta wearkit.Response
	ctx := wearkit.CaptureResponse(context.Background(), &meta)
	err = c.Do(ctx, &wearkit.Request{Path: "api/report/", Query: url.Values{"user": {"1511"}}}, &reports)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range reports.Objects {
		fmt.Printf("report %d: %s (%s)\n", r.ID, r.Name, r.Status)
	}
	fmt.Println("status", meta.StatusCode)
	// Output:
	// report 900: Daily activity (ready)
	// report 901: Sleep (ready)
	// status 200
}
