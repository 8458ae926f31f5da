package rest

import (
	"errors"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pager serves items 0..total-1 in pages of size, cursor = next offset.
func pager(total, size int, calls *[]string) func(string) ([]int, string, error) {
	return func(cursor string) ([]int, string, error) {
		*calls = append(*calls, cursor)
		off := 0
		if cursor != "" {
			off, _ = strconv.Atoi(cursor)
		}
		var items []int
		for i := off; i < min(off+size, total); i++ {
			items = append(items, i)
		}
		next := ""
		if off+size < total {
			next = strconv.Itoa(off + size)
		}
		return items, next, nil
	}
}

func TestPagesFollowsCursorsToTheEnd(t *testing.T) {
	var calls []string
	var got []int
	for v, err := range Pages("", pager(25, 10, &calls)) {
		require.NoError(t, err)
		got = append(got, v)
	}
	assert.Len(t, got, 25)
	assert.Equal(t, 24, got[24])
	assert.Equal(t, []string{"", "10", "20"}, calls)
}

func TestPagesStopsOnBreak(t *testing.T) {
	var calls []string
	n := 0
	for range Pages("", pager(100, 10, &calls)) {
		n++
		if n == 12 {
			break
		}
	}
	assert.Equal(t, 12, n)
	assert.Equal(t, []string{"", "10"}, calls, "no page is fetched after break")
}

func TestPagesYieldsErrorOnceAndStops(t *testing.T) {
	boom := errors.New("boom")
	calls := 0
	seq := Pages(0, func(cursor int) ([]string, int, error) {
		calls++
		if cursor == 2 {
			return nil, 0, boom
		}
		return []string{"a", "b"}, cursor + 1, nil
	})
	var items []string
	var errs []error
	for v, err := range seq {
		if err != nil {
			errs = append(errs, err)
			continue // a consumer that keeps going still gets no more
		}
		items = append(items, v)
	}
	assert.Equal(t, []string{"a", "b", "a", "b"}, items)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], boom)
	assert.Equal(t, 3, calls)
}

func TestPagesEndsOnRepeatedCursor(t *testing.T) {
	calls := 0
	cursors := []string{"p2", "p3", "p2"} // a server that loops back
	var got []int
	for v, err := range Pages("", func(cursor string) ([]int, string, error) {
		calls++
		if calls > 10 {
			t.Fatal("looping")
		}
		return []int{calls}, cursors[calls-1], nil
	}) {
		require.NoError(t, err)
		got = append(got, v)
	}
	assert.Equal(t, []int{1, 2, 3}, got)
	assert.Equal(t, 3, calls)
}

func TestPagesEmptyPagesAndEmptyCursor(t *testing.T) {
	calls := 0
	for range Pages("", func(string) ([]int, string, error) { calls++; return nil, "", nil }) {
		t.Fatal("nothing to yield")
	}
	assert.Equal(t, 1, calls)
}

// A next link back to the first page ends the sequence: the first page's
// cursor counts as fetched ([1 2], not [1 2 1 2]).
func TestPagesLinkBackToFirstPageEnds(t *testing.T) {
	calls := 0
	next := map[string]string{"p1": "p2", "p2": "p1"}
	var got []string
	for v, err := range Pages("p1", func(cursor string) ([]string, string, error) {
		calls++
		require.Less(t, calls, 10, "looping")
		return []string{cursor}, next[cursor], nil
	}) {
		require.NoError(t, err)
		got = append(got, v)
	}
	assert.Equal(t, []string{"p1", "p2"}, got)
}

// Empty pages with ever-new cursors end with an error, not a hang.
func TestPagesEmptyPagesWithNewCursorsAreBounded(t *testing.T) {
	calls := 0
	var errs []error
	for _, err := range Pages(0, func(cursor int) ([]int, int, error) {
		calls++
		require.Less(t, calls, 1000, "never ends")
		return nil, cursor + 1, nil
	}) {
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	assert.ErrorContains(t, errs[0], "empty pages in a row")
	assert.Equal(t, MaxEmptyPages, calls)
}

// A page that comes back with items and an error (a window split that
// failed halfway, a page partly decoded) hands out its items before the
// error: they were accepted, and dropping them lost data silently.
func TestPagesYieldsAPagesItemsBeforeItsError(t *testing.T) {
	boom := errors.New("boom")
	seq := Pages(0, func(cursor int) ([]string, int, error) {
		if cursor == 1 {
			return []string{"c"}, 0, boom
		}
		return []string{"a", "b"}, cursor + 1, nil
	})
	var items []string
	var errs []error
	for v, err := range seq {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		items = append(items, v)
	}
	assert.Equal(t, []string{"a", "b", "c"}, items)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], boom)

	// A consumer that breaks on the items gets neither more items nor the
	// error.
	n := 0
	for _, err := range seq {
		require.NoError(t, err)
		if n++; n == 3 {
			break
		}
	}
	assert.Equal(t, 3, n)
}
