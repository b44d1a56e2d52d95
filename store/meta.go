package store

import (
	"context"
	"fmt"
)

// Version is the data version and when it last changed. Every write bumps it, so it is a
// sound base for ETags: equal versions mean equal data.
type Version struct {
	N         int64
	UpdatedAt string // RFC 3339, UTC
}

// Version returns the current data version.
func (s *Store) Version(ctx context.Context) (Version, error) {
	var v Version
	if err := s.read.QueryRowContext(ctx, `SELECT version, updated_at FROM site_meta WHERE id = 1`).Scan(&v.N, &v.UpdatedAt); err != nil {
		return Version{}, fmt.Errorf("data version: %w", err)
	}
	return v, nil
}
