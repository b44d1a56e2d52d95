package store_test

import (
	"testing"
	"time"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/store/storetest"
)

// The data version is kept in memory. A write of this process shows in it the moment it
// commits; a write by another process on the same file shows within a second.
func TestVersionFollowsWrites(t *testing.T) {
	ctx := t.Context()
	st := storetest.Store(t)
	other, err := store.Open(ctx, st.Path()) // another process's view of the same file
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })

	seen, err := other.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	before, err := st.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ReviseBlock(ctx, "ap-witkoff-article5", "c7vtk7", "NEW YORK: a revised paragraph."); err != nil {
		t.Fatal(err)
	}
	if now, err := st.Version(ctx); err != nil || now.N <= before.N {
		t.Fatalf("right after its own write the store reports version %d (%v), want more than %d", now.N, err, before.N)
	}
	deadline := time.Now().Add(3 * time.Second)
	for {
		v, err := other.Version(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v.N > seen.N {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("3s after another store's write, the version is still %d", v.N)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
