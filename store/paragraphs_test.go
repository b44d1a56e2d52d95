package store_test

import (
	"slices"
	"testing"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/store/corpus"
	"github.com/sourcebook/sourcebook/store/storetest"
)

// numbers lists a source's current blocks as their paragraph numbers (0: not numbered).
func numbers(t *testing.T, st *store.Store, slug string) []int {
	t.Helper()
	_, blocks, err := st.SourceOrDraft(t.Context(), slug)
	if err != nil {
		t.Fatal(err)
	}
	var out []int
	for _, b := range blocks {
		out = append(out, b.Paragraph)
	}
	return out
}

// A heading is not a paragraph: the seed's USI piece opens with "Introduction", and the
// paragraph after it is para. 1, though it is the second block.
func TestHeadingsAreNotCountedAsParagraphs(t *testing.T) {
	st := storetest.Store(t)
	p, err := st.Passage(t.Context(), "usi-guarantees-unresolved", "raiiqw", 0)
	if err != nil {
		t.Fatal(err)
	}
	if p.Block.Position != 2 || p.Block.Paragraph != 1 || p.Locator() != "para. 1" {
		t.Errorf("the first paragraph after the heading: block %d, locator %q; want para. 1", p.Block.Position, p.Locator())
	}
	head, err := st.Passage(t.Context(), "usi-guarantees-unresolved", "icb2zd", 0)
	if err != nil {
		t.Fatal(err)
	}
	if head.Block.Paragraph != 0 || head.Locator() != "" {
		t.Errorf("the heading is numbered: %d, %q", head.Block.Paragraph, head.Locator())
	}
}

// An edit that moves a paragraph's number gives it a new revision with the same words and
// the new number; the old revision keeps the number it was cited by. A heading inserted
// moves nothing, and a new wording keeps the number.
func TestRevisionsKeepTheNumberTheyWereCitedBy(t *testing.T) {
	st := storetest.Store(t)
	ctx := t.Context()
	ed := editor(t, st)
	slug, err := st.CreateSource(ctx, ed, store.SourceInput{Title: "Memo", Kind: "primary-document", Blocks: corpus.ParseText(memo)})
	if err != nil {
		t.Fatal(err)
	}
	if got := numbers(t, st, slug); !slices.Equal(got, []int{0, 1, 2, 3, 4}) {
		t.Fatalf("numbers of a heading and four paragraphs: %v", got)
	}
	_, blocks, _ := st.SourceOrDraft(ctx, slug)
	first := blocks[1].Key
	claim, err := st.SaveClaim(ctx, ed, slug, "", store.ClaimInput{Statement: "On borders", Kind: "quote", Speaker: "united-states", Evidence: "own-words",
		Stances:   map[string]string{"binding-guarantees": "neutral"},
		Citations: []store.CitationInput{{Block: first, Quote: "existing borders of Ukraine"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetPublished(ctx, ed, slug, true); err != nil {
		t.Fatal(err)
	}

	// A second heading above the first paragraph: no number moves, no revision is made.
	in := storetest.EditInput(t, st, slug)
	in.Blocks = slices.Insert(in.Blocks, 1, corpus.Block{Kind: "heading", Text: "Article 1"})
	rep, err := st.ReviseSource(ctx, ed, slug, in)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Renumbered != 0 || rep.Revised != 0 {
		t.Errorf("a heading inserted renumbered %d and revised %d blocks, want none", rep.Renumbered, rep.Revised)
	}

	// A paragraph above it: all four move, each to a new revision of the same words.
	in = storetest.EditInput(t, st, slug)
	in.Blocks = slices.Insert(in.Blocks, 2, corpus.Block{Kind: "paragraph", Text: "A preamble the editor put first."})
	if rep, err = st.ReviseSource(ctx, ed, slug, in); err != nil {
		t.Fatal(err)
	}
	if rep.Renumbered != 4 || rep.Revised != 0 || rep.Added != 1 {
		t.Errorf("a paragraph inserted above four: %+v, want 4 renumbered, 1 added", rep)
	}
	if got := numbers(t, st, slug); !slices.Equal(got, []int{0, 0, 1, 2, 3, 4, 5}) {
		t.Errorf("numbers after the insertion: %v", got)
	}
	now, err := st.Passage(ctx, slug, first, 0)
	if err != nil {
		t.Fatal(err)
	}
	then, err := st.Passage(ctx, slug, first, 1)
	if err != nil {
		t.Fatal(err)
	}
	if now.Shown.Rev != 2 || now.Locator() != "para. 2" || now.Moved() != "" {
		t.Errorf("now: revision %d, %q, moved %q; want revision 2, para. 2", now.Shown.Rev, now.Locator(), now.Moved())
	}
	if then.Locator() != "para. 1" || then.Shown.Text != now.Shown.Text || then.Moved() != "para. 1 in revision 1; now para. 2" {
		t.Errorf("revision 1: %q, moved %q, same words %v", then.Locator(), then.Moved(), then.Shown.Text == now.Shown.Text)
	}
	c, err := st.ClaimOrDraft(ctx, claim)
	if err != nil {
		t.Fatal(err)
	}
	if ct := c.Citations[0]; ct.Status != "anchored" || ct.Block.Rev != 2 || ct.Block.Paragraph != 2 {
		t.Errorf("the claim's citation: %s, revision %d, para. %d; want anchored on revision 2, para. 2", ct.Status, ct.Block.Rev, ct.Block.Paragraph)
	}

	// New words in place keep the number.
	if _, err := st.ReviseBlock(ctx, slug, first, now.Shown.Text+" So they say."); err != nil {
		t.Fatal(err)
	}
	if p, _ := st.Passage(ctx, slug, first, 3); p.Locator() != "para. 2" || p.Moved() != "" {
		t.Errorf("revision 3, new words: %q, moved %q; want para. 2 unmoved", p.Locator(), p.Moved())
	}
}
