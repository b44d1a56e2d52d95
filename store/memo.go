// Memo: whole-corpus reads kept per data version, and warming them after a write.

package store

import (
	"context"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// Some reads aggregate over the whole corpus (the counts on the front page, each issue's
// number of claims, the timeline) and so grow with it, though they change only when the
// data does. They are computed once per data version and kept until the next write.
type memoCache struct {
	mu      sync.Mutex
	version int64
	values  map[string]any
	flight  singleflight.Group // readers asking for a value being computed wait for it

	written chan struct{} // a write committed: warm the busiest aggregates again
	stop    context.CancelFunc
	warming sync.WaitGroup
}

// memoized returns f's result for the current data version, computing it at most once per
// version. Callers get the same value: a slice must be copied before it is changed.
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
	// Not tied to this caller's request: others may be waiting for the same result, and a
	// finished computation is kept even if the reader who started it has gone.
	x, err, _ := m.flight.Do(strconv.FormatInt(v.N, 10)+" "+key, func() (any, error) {
		return f(context.WithoutCancel(ctx))
	})
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
	return x.(T), nil
}

// warmDelay lets a burst of writes settle before the aggregates are computed again: each
// write would make the previous computation stale.
const warmDelay = 50 * time.Millisecond

// startWarming computes the aggregates of the busiest pages again after every write, in the
// background, so that the first reader after a publish does not wait for them (at 1000× the
// seed corpus: 0.8 s for the front page's counts, 0.25 s for the timeline).
func (s *Store) startWarming() {
	ctx, stop := context.WithCancel(context.Background())
	m := &s.memo
	m.written, m.stop = make(chan struct{}, 1), stop
	m.warming.Add(1)
	go func() {
		defer m.warming.Done()
		for {
			select {
			case <-ctx.Done():
				return
			case <-m.written:
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(warmDelay):
			}
			s.warm(ctx)
		}
	}()
}

// warm fills the memo for the current data version. A failure is left to the next reader,
// who will compute the value and see the error.
func (s *Store) warm(ctx context.Context) {
	for _, f := range []func(context.Context) error{
		func(ctx context.Context) error { _, err := s.Stats(ctx); return err },
		func(ctx context.Context) error { _, err := s.issueList(ctx); return err },
		func(ctx context.Context) error { _, err := s.matrixOrder(ctx); return err },
		func(ctx context.Context) error { _, err := s.Timeline(ctx); return err },
	} {
		if ctx.Err() != nil || f(ctx) != nil {
			return
		}
	}
}

// wrote tells the warmer that a write committed; it never blocks.
func (s *Store) wrote() {
	select {
	case s.memo.written <- struct{}{}:
	default: // a warm-up is already due
	}
}

// stopWarming ends the warmer and waits for it, before the database is closed.
func (s *Store) stopWarming() {
	if s.memo.stop != nil {
		s.memo.stop()
		s.memo.warming.Wait()
	}
}
