package rest

import "iter"

// Pages turns "fetch one page, get the next cursor" into a sequence of items.
//
// fetch is called first with the zero cursor, then with each cursor it
// returned. The sequence ends when a page's next cursor is the zero value
// or one already followed (a server that loops cannot trap the caller);
// stops at once when the consumer breaks out of its range loop; and on an
// error yields (zero, err) once and stops. fetch should honour the caller's
// context, which it captures.
func Pages[T any, C comparable](fetch func(cursor C) (items []T, next C, err error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero C
		cursor := zero
		seen := map[C]struct{}{}
		for {
			items, next, err := fetch(cursor)
			if err != nil {
				var none T
				yield(none, err)
				return
			}
			for _, item := range items {
				if !yield(item, nil) {
					return
				}
			}
			if next == zero {
				return
			}
			if _, again := seen[next]; again {
				return
			}
			seen[next] = struct{}{}
			cursor = next
		}
	}
}
