package withings

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/wearkit/wearkit"
)

// maxSyncPages bounds a sync's pages, so a server repeating "more" cannot
// trap the caller.
const maxSyncPages = 10000

// syncFrom returns lastupdate for a sync since t: zero means everything.
func syncFrom(t time.Time) time.Time {
	if t.IsZero() {
		return time.Unix(1, 0)
	}
	return t
}

// answerTime is when the server made an answer (its Date header), or
// fallback when it did not say.
func answerTime(resp *wearkit.Response, fallback time.Time) time.Time {
	if resp != nil {
		if t, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
			return t
		}
	}
	return fallback
}

// syncPages fetches every page of a lastupdate call and returns the items
// and the cursor for the next sync: the server's time of the first answer,
// so a change made during the sync is fetched again next time, not missed.
func syncPages[T any](call string, fetch func(offset int) ([]T, int, *wearkit.Response, error)) ([]T, time.Time, error) {
	started := time.Now()
	var out []T
	var cursor time.Time
	offset := 0
	for range maxSyncPages {
		items, next, resp, err := fetch(offset)
		if err != nil {
			return nil, time.Time{}, err
		}
		if cursor.IsZero() {
			cursor = answerTime(resp, started)
		}
		out = append(out, items...)
		if next == 0 || next <= offset {
			return out, cursor, nil
		}
		offset = next
	}
	return nil, time.Time{}, fmt.Errorf("withings: %s: more than %d pages", call, maxSyncPages)
}

// SyncMeasures returns every measure group created or changed since
// lastUpdate (zero: all of them) and the cursor to pass next time: the
// update time of the first answer, so nothing changed during the sync is
// missed.
func (c *Client) SyncMeasures(ctx context.Context, lastUpdate time.Time) ([]MeasureGroup, time.Time, error) {
	opts := &MeasureOptions{LastUpdate: syncFrom(lastUpdate)}
	var cursor time.Time
	groups, _, err := syncPages("SyncMeasures", func(offset int) ([]MeasureGroup, int, *wearkit.Response, error) {
		p, err := c.MeasuresPage(ctx, opts, offset)
		if err != nil {
			return nil, 0, nil, err
		}
		if cursor.IsZero() {
			cursor = p.UpdateTime
		}
		return p.Groups, p.NextOffset, p.Response, nil
	})
	return groups, cursor, err
}

// SyncActivities returns every activity day changed since lastUpdate
// (zero: all of them) and the cursor to pass next time.
func (c *Client) SyncActivities(ctx context.Context, lastUpdate time.Time) ([]Activity, time.Time, error) {
	opts := &ActivityOptions{LastUpdate: syncFrom(lastUpdate)}
	return syncPages("SyncActivities", func(offset int) ([]Activity, int, *wearkit.Response, error) {
		p, err := c.ActivitiesPage(ctx, opts, offset)
		if err != nil {
			return nil, 0, nil, err
		}
		return p.Activities, p.NextOffset, p.Response, nil
	})
}

// SyncWorkouts returns every workout changed since lastUpdate (zero: all
// of them) and the cursor to pass next time.
func (c *Client) SyncWorkouts(ctx context.Context, lastUpdate time.Time) ([]Workout, time.Time, error) {
	opts := &WorkoutOptions{LastUpdate: syncFrom(lastUpdate)}
	return syncPages("SyncWorkouts", func(offset int) ([]Workout, int, *wearkit.Response, error) {
		p, err := c.WorkoutsPage(ctx, opts, offset)
		if err != nil {
			return nil, 0, nil, err
		}
		return p.Workouts, p.NextOffset, p.Response, nil
	})
}

// SyncSleepSummaries returns every night changed since lastUpdate (zero:
// all of them) and the cursor to pass next time.
func (c *Client) SyncSleepSummaries(ctx context.Context, lastUpdate time.Time) ([]SleepSummary, time.Time, error) {
	opts := &SleepSummaryOptions{LastUpdate: syncFrom(lastUpdate)}
	return syncPages("SyncSleepSummaries", func(offset int) ([]SleepSummary, int, *wearkit.Response, error) {
		p, err := c.SleepSummariesPage(ctx, opts, offset)
		if err != nil {
			return nil, 0, nil, err
		}
		return p.Nights, p.NextOffset, p.Response, nil
	})
}
