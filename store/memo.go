package store

import (
	"context"
	"sync"
)

// Some reads aggregate over the whole corpus (the counts on the front page, each issue's
// number of claims) and so grow with it, though they change only when the data does. They
// are computed once per data version and kept until the next write.
type memoCache struct {
	mu      sync.Mutex
	version int64
	values  map[string]any
}

// memoized returns f's result for the current data version, computing it at most once per
// version (two readers arriving together may both compute it). Callers get the same value:
// a slice must be copied before it is changed.
func memoized[T any](ctx context.Context, s *Store, key string, f func(context.Context) (T, error)) (T, error) {
	var zero T
	v, err := s.Version(ctx)
	if err != nil {
		return zero, err
	}
	m := &s.memo
	m.mu.Lock()
	if x, ok := m.values[key]; ok && m.version == v.N {
		m.mu.Unlock()
		return x.(T), nil
	}
	m.mu.Unlock()
	x, err := f(ctx)
	if err != nil {
		return zero, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	switch {
	case v.N > m.version:
		m.version, m.values = v.N, map[string]any{key: x}
	case v.N == m.version:
		m.values[key] = x
	}
	return x, nil
}
