package store_test

import (
	"slices"
	"testing"

	"github.com/sourcebook/sourcebook/store/corpus"
	"github.com/sourcebook/sourcebook/store/storetest"
)

// The text as it was when a revision was made: after an edit that rewords a paragraph, adds
// one before it and drops the last, revision 1 of the reworded paragraph comes with the
// whole text as it stood then (the added paragraph absent, the dropped one present, each at
// its place then); revision 2 with the text as it stands now.
func TestTextAsOfARevision(t *testing.T) {
	st := storetest.Store(t)
	ctx := t.Context()
	const slug = "usi-guarantees-unresolved"
	ed, err := st.CreateUser(ctx, nil, "ed@example.org", "Ed", "editor", "a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	in := storetest.EditInput(t, st, slug)
	before := slices.Clone(in.Blocks)
	target := before[3]
	in.Blocks = slices.Clone(before[:len(before)-1])
	in.Blocks[3].Text = target.Text + " An editor's addition."
	in.Blocks = slices.Insert(in.Blocks, 0, corpus.Block{Kind: "paragraph", Text: "A new first paragraph."})
	if _, err := st.ReviseSource(ctx, &ed, slug, in); err != nil {
		t.Fatal(err)
	}
	src, blocks, err := st.SourceWithBlocks(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	var rev int
	for _, b := range blocks {
		if b.Key == target.Key {
			id, rev = b.ID, b.Rev
		}
	}
	texts := func(rev int) ([]string, bool) {
		t.Helper()
		then, err := st.TextAsOf(ctx, src.ID, id, rev)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, b := range then.Blocks {
			out = append(out, b.Text)
		}
		return out, then.Exact
	}
	var want []string
	for _, b := range before {
		want = append(want, b.Text)
	}
	if got, exact := texts(1); !exact || !slices.Equal(got, want) {
		t.Errorf("revision 1 (exact %v):\n got %q\nwant %q", exact, got, want)
	}
	want = nil
	for _, b := range in.Blocks {
		want = append(want, b.Text)
	}
	if got, exact := texts(rev); !exact || !slices.Equal(got, want) {
		t.Errorf("the current revision (exact %v):\n got %q\nwant %q", exact, got, want)
	}
}
