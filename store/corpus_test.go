package store_test

import (
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/store/corpus"
	"github.com/sourcebook/sourcebook/store/storetest"
)

// The seed corpus, as loaded, must be true to its sources: every quote exactly where its
// citation says, with the context it records.
func TestSeedCitationsAreExact(t *testing.T) {
	st := storetest.Store(t)
	problems, err := st.VerifyCitations(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
	stats, err := st.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if want := storetest.Counts(storetest.Corpus(t)).Citations; stats.Citations != want || want == 0 {
		t.Errorf("%d citations were checked; the seed corpus has %d", stats.Citations, want)
	}
}

// VerifyCitations must be able to fail: a citation moved off its words is reported.
func TestVerifyCitationsCatchesADriftedOffset(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	st, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.LoadCorpus(t.Context(), storetest.Corpus(t)); err != nil {
		t.Fatal(err)
	}
	db := rawDB(t, path)
	if _, err := db.Exec(`UPDATE citations SET start = start + 1, end = end + 1 WHERE id = (SELECT min(id) FROM citations)`); err != nil {
		t.Fatal(err)
	}
	problems, err := st.VerifyCitations(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 1 {
		t.Fatalf("got %d problems after shifting one citation, want 1: %v", len(problems), problems)
	}
}

// TestSeedCorpusCounts: the store holds every record of the seed corpus, counted from the
// corpus just parsed.
func TestSeedCorpusCounts(t *testing.T) {
	st := storetest.Store(t)
	s, err := st.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", s)
	want := storetest.Counts(storetest.Corpus(t))
	if s != want {
		t.Errorf("the store holds %+v; the seed corpus has %+v", s, want)
	}
	if want.Sources == 0 || want.Claims == 0 || want.Citations == 0 {
		t.Errorf("the seed corpus read as %+v", want)
	}
}

func TestLoadingTwiceChangesNothing(t *testing.T) {
	st := storetest.Store(t)
	ctx := t.Context()
	before := snapshot(t, st)
	loaded, err := st.LoadCorpus(ctx, storetest.Corpus(t))
	if err != nil {
		t.Fatal(err)
	}
	if loaded {
		t.Error("the corpus was loaded a second time")
	}
	if after := snapshot(t, st); after != before {
		t.Errorf("a second load changed the database:\nbefore %s\nafter  %s", before, after)
	}
}

// A load that fails halfway leaves nothing behind: it is one transaction.
func TestFailedLoadLeavesDatabaseUnchanged(t *testing.T) {
	st := storetest.EmptyStore(t)
	c := *storetest.Corpus(t)
	// Corrupt one quote of the last source, after everything before it has been inserted,
	// bypassing corpus.Read as a careless caller might.
	c.Sources = append([]corpus.Source(nil), c.Sources...)
	last := &c.Sources[len(c.Sources)-1]
	last.Claims = append([]corpus.Claim(nil), last.Claims...)
	cl := &last.Claims[len(last.Claims)-1]
	cl.Cite = []corpus.Citation{{Block: cl.Cite[0].Block, Quote: "words the block does not contain"}}

	before := snapshot(t, st)
	if _, err := st.LoadCorpus(t.Context(), &c); err == nil {
		t.Fatal("a corpus with a false quote loaded without error")
	}
	if after := snapshot(t, st); after != before {
		t.Errorf("the failed load left data behind:\nbefore %s\nafter  %s", before, after)
	}
}

func TestReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "dir", "sourcebook.db")
	ctx := t.Context()
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatalf("open in a directory that does not exist yet: %v", err)
	}
	if _, err := st.LoadCorpus(ctx, storetest.Corpus(t)); err != nil {
		t.Fatal(err)
	}
	want := snapshot(t, st)
	st.Close()

	st, err = store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if got := snapshot(t, st); got != want {
		t.Errorf("after reopening:\n got %s\nwant %s", got, want)
	}
	if _, _, err := st.SourceWithBlocks(ctx, "no-such-source"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing source: err = %v, want ErrNotFound", err)
	}
}

// snapshot digests every row of every table, so any change at all shows.
func snapshot(t *testing.T, st *store.Store) string {
	t.Helper()
	db := rawDB(t, st.Path())
	tables, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_%' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for tables.Next() {
		var n string
		tables.Scan(&n)
		names = append(names, n)
	}
	tables.Close()
	h := sha256.New()
	rows := 0
	for _, n := range names {
		r, err := db.Query(`SELECT * FROM "` + n + `" ORDER BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := r.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for r.Next() {
			if err := r.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(h, "%s%v\n", n, vals)
			rows++
		}
		r.Close()
	}
	return fmt.Sprintf("%d rows in %d tables, sha256 %x", rows, len(names), h.Sum(nil))
}

func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// The timeline lists each event once, with every passage that dates it: at twice the seed
// corpus, each seed event is dated by twice the seed's passages, the seed's and its copy's.
func TestTimelineGroupsThePassagesOfAnEvent(t *testing.T) {
	ctx := t.Context()
	seedEntries, err := storetest.Store(t).Timeline(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st := storetest.EmptyStore(t)
	if _, err := st.LoadCorpus(ctx, corpus.Synthetic(storetest.Corpus(t), 2, 1)); err != nil {
		t.Fatal(err)
	}
	entries, err := st.Timeline(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(seedEntries) || len(entries) == 0 {
		t.Fatalf("%d entries at twice the seed, %d in the seed: want the same events", len(entries), len(seedEntries))
	}
	for i, e := range entries {
		seed := seedEntries[i]
		if e.Title != seed.Title || e.Date != seed.Date || e.Total != 2*seed.Total || len(e.Dates) != len(seed.Dates) {
			t.Errorf("%s %q dated by %d passages, want %s %q dated by %d", e.Date, e.Title, e.Total, seed.Date, seed.Title, 2*seed.Total)
			continue
		}
		for d, date := range e.Dates {
			seen := map[store.BlockRef]bool{}
			for _, p := range date.Passages {
				seen[p] = true
			}
			if want := min(2*seed.Dates[d].Total, store.TimelinePassages); len(seen) != want || date.Total != 2*seed.Dates[d].Total {
				t.Errorf("%q, %s: %d different passages listed of %d, want %d of %d", e.Title, date.Date, len(seen), date.Total, want, 2*seed.Dates[d].Total)
			}
		}
		if i > 0 && entries[i-1].Date > e.Date {
			t.Errorf("%s %q comes after %s", e.Date, e.Title, entries[i-1].Date)
		}
	}
}

// Dates that sources give one event disagree when neither contains the other.
func TestTimelineEntryDisputed(t *testing.T) {
	for _, c := range []struct {
		dates []string
		want  bool
	}{
		{[]string{"1994"}, false},
		{[]string{"2022", "2022-02"}, false},
		{[]string{"2021", "2021-12", "2021-12-17"}, false},
		{[]string{"2025-08-19", "2025-08-20"}, true},
		{[]string{"2025-08", "2025-08-19", "2025-09"}, true},
	} {
		var e store.TimelineEntry
		for _, d := range c.dates {
			e.Dates = append(e.Dates, store.EventDate{Date: d})
		}
		if got := e.Disputed(); got != c.want {
			t.Errorf("%q: disputed %v, want %v", c.dates, got, c.want)
		}
	}
}
