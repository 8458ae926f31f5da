package rest

import (
	"fmt"
	"iter"
)

// MaxEmptyPages is how many empty pages in a row, each with a new next
// cursor, Pages follows before it gives up with an error: a server that
// hands out ever-new cursors and no items must not trap the caller.
const MaxEmptyPages = 10

// Pages turns "fetch one page, get the next cursor" into a sequence of items.
//
// fetch is called first with first (the zero value for "the first page"),
// then with each cursor it returned. A vendor whose cursors are links should
// return them in one canonical form, and pass the first page's link in that
// form as first, so that a link back to any page fetched before, the first
// included, is recognised. The sequence ends when a page's next cursor is
// the zero value or one already fetched; stops at once when the consumer
// breaks out of its range loop; on an error yields the items fetch
// returned with it, then (zero, err) once, and stops; and after MaxEmptyPages empty pages in a row yields an error.
// fetch should honour the caller's context, which it captures.
func Pages[T any, C comparable](first C, fetch func(cursor C) (items []T, next C, err error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var none T
		var nocursor C
		cursor := first
		seen := map[C]struct{}{first: {}}
		empty := 0
		for {
			items, next, err := fetch(cursor)
			for _, item := range items {
				if !yield(item, nil) {
					return
				}
			}
			if err != nil {
				yield(none, err)
				return
			}
			if next == nocursor {
				return
			}
			if _, again := seen[next]; again {
				return
			}
			if len(items) == 0 {
				if empty++; empty >= MaxEmptyPages {
					yield(none, fmt.Errorf("paging: %d empty pages in a row, each with a new next cursor: stopped", empty))
					return
				}
			} else {
				empty = 0
			}
			seen[next] = struct{}{}
			cursor = next
		}
	}
}
