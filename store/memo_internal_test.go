package store

import (
	"testing"
	"time"
)

// After a write, the front page's counts, the issues, the matrix's order and the timeline are
// computed for the new data version without any reader asking, so the first reader after a
// publish finds them ready.
func TestWritesWarmTheAggregates(t *testing.T) {
	ctx := t.Context()
	s := seeded(t)
	waitWarm(t, s)
	if _, err := s.ReviseBlock(ctx, "ap-witkoff-article5", "c7vtk7", "Leaders met at the Élysée Palace in Paris."); err != nil {
		t.Fatal(err)
	}
	waitWarm(t, s)
}

func waitWarm(t *testing.T, s *Store) {
	t.Helper()
	v, err := s.Version(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		s.memo.mu.Lock()
		var missing []string
		for _, key := range []string{"stats", "issues", "matrix rows", "timeline"} {
			if _, ok := s.memo.values[key]; !ok || s.memo.version != v.N {
				missing = append(missing, key)
			}
		}
		s.memo.mu.Unlock()
		if len(missing) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("10 s after the write of version %d, nothing has computed %v", v.N, missing)
		}
	}
}
