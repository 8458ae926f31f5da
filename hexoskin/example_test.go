package hexoskin_test

import (
	"context"
	"fmt"
	"log"

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
		fmt.Printf("record %d: %s, %v\n", rec.ID, rec.Start.Time().Format("2006-01-02 15:04"), rec.End.Sub(rec.Start).Round(1e9))
	}

	rec, err := c.Record(ctx, hexoskintest.RecordID)
	if err != nil {
		log.Fatal(err)
	}
	sets, err := c.Data(ctx, &hexoskin.DataQuery{
		Datatypes: []hexoskin.DatatypeID{hexoskin.HeartRate},
		Record:    rec.ID,
		Start:     rec.Start,
		End:       rec.Start.Add(60e9),
	})
	if err != nil {
		log.Fatal(err)
	}
	hr := sets[0].Series[hexoskin.HeartRate]
	fmt.Printf("%d heart-rate points, first %.0f bpm\n", len(hr), hr[0].V)
	// Output:
	// record 37700: 2014-07-17 19:38, 38m44s
	// record 43419: 2014-09-28 10:16, 5h33m1s
	// 60 heart-rate points, first 67 bpm
}
