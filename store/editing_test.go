package store_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/store/corpus"
	"github.com/sourcebook/sourcebook/store/query"
	"github.com/sourcebook/sourcebook/store/storetest"
)

func editor(t *testing.T, st *store.Store) *store.User {
	t.Helper()
	u, err := st.CreateUser(t.Context(), nil, "editor@example.org", "Ed", "editor", "a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	return &u
}

const memo = `## The memorandum

The parties reaffirm their commitment to respect the independence and sovereignty and the existing borders of Ukraine.

They reaffirm their obligation to refrain from the threat or use of force against the territorial integrity of Ukraine.

They will seek immediate Security Council action to provide assistance to Ukraine.

They will consult in the event a situation arises which raises a question concerning these commitments.`

func TestDraftsStayOffThePublicSide(t *testing.T) {
	st := storetest.Store(t)
	ctx := t.Context()
	ed := editor(t, st)
	slug, err := st.CreateSource(ctx, ed, store.SourceInput{Title: "A memorandum of our own", Kind: "primary-document", Blocks: corpus.ParseText(memo)})
	if err != nil {
		t.Fatal(err)
	}
	_, blocks, err := st.SourceOrDraft(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.SaveClaim(ctx, ed, slug, "", store.ClaimInput{Statement: "The parties will consult.", Kind: "quote", Speaker: "united-states", Evidence: "own-words",
		Stances:   map[string]string{"binding-guarantees": "neutral"},
		Citations: []store.CitationInput{{Block: blocks[4].Key, Quote: "They will consult"}}}); err != nil {
		t.Fatal(err)
	}
	visible := func() bool {
		_, _, err := st.SourceWithBlocks(ctx, slug)
		res, _ := st.Search(ctx, store.SearchRequest{Query: query.Parse(`"seek immediate Security Council action"`)})
		claims, _ := st.Claims(ctx, store.ClaimFilter{Source: slug})
		return err == nil || res.Total > 0 || len(claims) > 0
	}
	if visible() {
		t.Fatal("a draft is visible on the public side")
	}
	if err := st.SetPublished(ctx, ed, slug, true); err != nil {
		t.Fatal(err)
	}
	if !visible() {
		t.Fatal("a published source is not visible")
	}
	if err := st.SetPublished(ctx, ed, slug, false); err != nil {
		t.Fatal(err)
	}
	if visible() {
		t.Fatal("a source taken back to draft is still visible")
	}
}

func TestQuoteValidationExplainsTheMismatch(t *testing.T) {
	st := storetest.Store(t)
	ctx := t.Context()
	ed := editor(t, st)
	slug, _ := st.CreateSource(ctx, ed, store.SourceInput{Title: "Memo", Kind: "primary-document", Blocks: corpus.ParseText(memo)})
	_, blocks, _ := st.SourceOrDraft(ctx, slug)
	_, err := st.SaveClaim(ctx, ed, slug, "", store.ClaimInput{Statement: "x", Kind: "quote", Speaker: "united-states", Evidence: "own-words",
		Stances:   map[string]string{"binding-guarantees": "neutral"},
		Citations: []store.CitationInput{{Block: blocks[1].Key, Quote: "respect the independence and sovereignity"}}})
	var fe store.FieldErrors
	if !errors.As(err, &fe) || !strings.Contains(fe["quote"], "it matches as far as “respect the independence and sovere") {
		t.Errorf("a mistyped quote: %v", err)
	}
	// A selection's offsets must hold the quote, counted in code points.
	_, err = st.SaveClaim(ctx, ed, slug, "", store.ClaimInput{Statement: "x", Kind: "quote", Speaker: "united-states", Evidence: "own-words",
		Stances:   map[string]string{"binding-guarantees": "neutral"},
		Citations: []store.CitationInput{{Block: blocks[1].Key, Quote: "respect", Start: 0, End: 7}}})
	if !errors.As(err, &fe) {
		t.Error("a selection at the wrong offsets was accepted")
	}
}

// The re-anchoring table: a revision that inserts, rewords, deletes, splits and merges
// blocks and fixes a typo loses no citation and moves none onto different words.
func TestRevisionReanchorsCitations(t *testing.T) {
	st := storetest.Store(t)
	ctx := t.Context()
	ed := editor(t, st)
	slug, _ := st.CreateSource(ctx, ed, store.SourceInput{Title: "Memo", Kind: "primary-document", Blocks: corpus.ParseText(memo)})
	_, blocks, _ := st.SourceOrDraft(ctx, slug)
	cite := func(block int, quote string) string {
		c, err := st.SaveClaim(ctx, ed, slug, "", store.ClaimInput{Statement: "On " + quote, Kind: "quote", Speaker: "united-states", Evidence: "own-words",
			Stances:   map[string]string{"binding-guarantees": "neutral"},
			Citations: []store.CitationInput{{Block: blocks[block].Key, Quote: quote}}})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	unchanged := cite(1, "existing borders of Ukraine")
	reworded := cite(2, "refrain from the threat or use of force")
	split := cite(3, "provide assistance to Ukraine")
	deleted := cite(4, "raises a question concerning these commitments")
	typo := cite(2, "territorial integrity of Ukraine")

	// The revised text, written as an editor would, keys kept where the blocks survive.
	k := func(i int) string { return " {#" + blocks[i].Key + "}" }
	revised := "## The memorandum" + k(0) + "\n\n" +
		"A paragraph the editor inserted at the top.\n\n" +
		"The parties reaffirm their commitment to respect the independence and sovereignty and the existing borders of Ukraine." + k(1) + "\n\n" +
		"They solemnly reaffirm their obligation to refrain from the threat or use of force against the territorial integrity of Ukraine." + k(2) + "\n\n" +
		"They will seek immediate Security Council action." + k(3) + "\n\n" +
		"Such action would provide assistance to Ukraine."
	rep, err := st.ReviseSource(ctx, ed, slug, store.SourceInput{Title: "Memo", Kind: "primary-document", Blocks: corpus.ParseText(revised)})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("re-anchoring: %+v", rep)
	if rep.Added != 2 || rep.Removed != 1 || rep.Revised != 2 {
		t.Errorf("blocks: %+v, want 2 added, 1 removed, 2 revised", rep)
	}
	if rep.Untouched != 1 {
		t.Errorf("%d citations untouched, want 1 (the unchanged paragraph's)", rep.Untouched)
	}
	if rep.Flagged != 1 {
		t.Errorf("flagged %d citations, want 1 (the deleted paragraph's)", rep.Flagged)
	}
	problems, err := st.VerifyCitations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("a citation points at different words: %s", p)
	}
	for _, c := range []string{unchanged, reworded, split, typo} {
		claim, err := st.ClaimOrDraft(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		ct := claim.Citations[0]
		if ct.Status != "anchored" || ct.Block.Rev != ct.Current {
			t.Errorf("%s: status %s, cites revision %d of %d", c, ct.Status, ct.Block.Rev, ct.Current)
		}
	}
	gone, _ := st.ClaimOrDraft(ctx, deleted)
	if gone.Citations[0].Status != "orphaned" || !strings.Contains(gone.Citations[0].Block.Text, "raises a question") {
		t.Errorf("the deleted paragraph's citation should be flagged and keep its words: %+v", gone.Citations[0])
	}
	// The old permalink of the removed block still resolves, with the cited words.
	if err := st.SetPublished(ctx, ed, slug, true); err != nil {
		t.Fatal(err)
	}
	p, err := st.Passage(ctx, slug, blocks[4].Key, 0)
	if err != nil || p.Block.Position != 0 || !strings.Contains(p.Shown.Text, "raises a question") {
		t.Errorf("removed block's permalink: %v %+v", err, p.Block)
	}
}

// TestReanchoringTable applies one kind of edit at a time to a small source with a
// citation on every paragraph, and totals how the citations fare. None may be lost and
// none may point at different words (VerifyCitations); a citation whose words are gone is
// flagged and keeps quoting the revision it was made on.
func TestReanchoringTable(t *testing.T) {
	base := []string{
		"Alpha paragraph speaks of security guarantees for Ukraine.",
		"Bravo paragraph says the coalition of the willing is ready.",
		"Charlie paragraph recalls the Budapest Memorandum of 1994.",
		"Delta paragraph on 🇺🇦 flags and the Élysée talks in Paris.",
		"Echo paragraph notes that guarantees, guarantees and more guarantees were promised.",
	}
	quotes := []string{"security guarantees for Ukraine", "coalition of the willing", "Budapest Memorandum",
		"the Élysée talks", "more guarantees"}
	edits := []struct {
		name string
		edit func(keys []string) string // the revised text, with keys
	}{
		{"insert a paragraph", func(k []string) string {
			return join(k, base, map[int]string{}, "", 2, "A new paragraph inserted in the middle.")
		}},
		{"reword another", func(k []string) string {
			return join(k, base, map[int]string{1: "Bravo paragraph now says, more firmly, that the coalition of the willing is ready."}, "", -1, "")
		}},
		{"delete a third", func(k []string) string { return join(k, base, map[int]string{2: ""}, "", -1, "") }},
		{"split one", func(k []string) string {
			return join(k, base, map[int]string{0: "Alpha paragraph speaks."}, "", 1, "It speaks of security guarantees for Ukraine.")
		}},
		{"merge two", func(k []string) string {
			return join(k, base, map[int]string{3: base[3] + " " + base[4], 4: ""}, "", -1, "")
		}},
		{"change words next to a quote", func(k []string) string {
			return join(k, base, map[int]string{2: "Charlie paragraph recalls the Budapest Memorandum of 5 December 1994."}, "", -1, "")
		}},
		{"fix a typo in the quoted words", func(k []string) string {
			return join(k, base, map[int]string{1: "Bravo paragraph says the coalition of willing nations is ready."}, "", -1, "")
		}},
		{"repeat the quoted words earlier", func(k []string) string {
			return join(k, base, map[int]string{4: "Echo: more guarantees first. Echo paragraph notes that guarantees, guarantees and more guarantees were promised."}, "", -1, "")
		}},
	}
	var total store.Reanchoring
	for _, e := range edits {
		st := storetest.Store(t)
		ctx := t.Context()
		ed := editor(t, st)
		text := strings.Join(base, "\n\n")
		slug, err := st.CreateSource(ctx, ed, store.SourceInput{Title: "Table", Kind: "analysis", Blocks: corpus.ParseText(text)})
		if err != nil {
			t.Fatal(err)
		}
		_, blocks, _ := st.SourceOrDraft(ctx, slug)
		var keys []string
		for i, b := range blocks {
			keys = append(keys, b.Key)
			if _, err := st.SaveClaim(ctx, ed, slug, "", store.ClaimInput{Statement: "Claim " + quotes[i], Kind: "quote", Speaker: "united-states", Evidence: "own-words",
				Stances:   map[string]string{"binding-guarantees": "neutral"},
				Citations: []store.CitationInput{{Block: b.Key, Quote: quotes[i], Occurrence: 1}}}); err != nil {
				t.Fatal(err)
			}
		}
		rep, err := st.ReviseSource(ctx, ed, slug, store.SourceInput{Title: "Table", Kind: "analysis", Blocks: corpus.ParseText(e.edit(keys))})
		if err != nil {
			t.Fatalf("%s: %v", e.name, err)
		}
		problems, err := st.VerifyCitations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range problems {
			t.Errorf("%s: %s", e.name, p)
		}
		if n := rep.Untouched + rep.Unchanged + rep.Exact + rep.Context + rep.Flagged; n != len(quotes) {
			t.Errorf("%s: %d citations accounted for, want %d: %+v", e.name, n, len(quotes), rep)
		}
		t.Logf("%-32s untouched %d, in place %d, exact %d, by context %d, flagged %d", e.name, rep.Untouched, rep.Unchanged, rep.Exact, rep.Context, rep.Flagged)
		total.Untouched += rep.Untouched
		total.Unchanged += rep.Unchanged
		total.Exact += rep.Exact
		total.Context += rep.Context
		total.Flagged += rep.Flagged
	}
	t.Logf("%-32s untouched %d, in place %d, exact %d, by context %d, flagged %d (of %d)", "TOTAL",
		total.Untouched, total.Unchanged, total.Exact, total.Context, total.Flagged, len(edits)*len(quotes))
	// Only the edits that remove or change the quoted words may flag: delete a third, and
	// the typo in the quoted words.
	if total.Flagged != 2 {
		t.Errorf("%d citations flagged, want 2", total.Flagged)
	}
}

// join writes base as source text with keys, replacing paragraph i by replace[i] (dropping
// it if ""), and inserting extra before index at (if at >= 0).
func join(keys, base []string, replace map[int]string, _ string, at int, extra string) string {
	var parts []string
	for i, p := range base {
		if i == at {
			parts = append(parts, extra)
		}
		if r, ok := replace[i]; ok {
			if r == "" {
				continue
			}
			p = r
		}
		parts = append(parts, p+" {#"+keys[i]+"}")
	}
	if at >= len(base) {
		parts = append(parts, extra)
	}
	return strings.Join(parts, "\n\n")
}
