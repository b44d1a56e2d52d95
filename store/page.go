// Pages: a window of a list, for the API, cut in SQL, with the list's total.

package store

import (
	"context"
	"fmt"
)

// Page is a window of a list, for the API's pages: Limit items from Offset, in the list's
// own order. A zero Limit is the whole list. Pages are cut in SQL, so a page of a list of
// tens of thousands reads that page, not the list.
type Page struct{ Offset, Limit int }

// clause is p's LIMIT and OFFSET, and their arguments; nothing for the whole list.
func (p Page) clause() (string, []any) {
	if p.Limit <= 0 {
		return "", nil
	}
	return ` LIMIT ? OFFSET ?`, []any{p.Limit, p.Offset}
}

// count runs a query that counts, the total beside a page.
func (s *Store) count(ctx context.Context, what, q string, args ...any) (int, error) {
	var n int
	if err := s.queryRow(ctx, q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count %s: %w", what, err)
	}
	return n, nil
}

// paged returns a page of a list and the length of the whole list.
func paged[T any](ctx context.Context, s *Store, what string, list func() ([]T, error), countSQL string, args ...any) ([]T, int, error) {
	items, err := list()
	if err != nil {
		return nil, 0, err
	}
	total, err := s.count(ctx, what, countSQL, args...)
	return items, total, err
}
