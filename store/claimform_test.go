package store_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/store/corpus"
	"github.com/sourcebook/sourcebook/store/storetest"
)

// A direct quote is someone's own words: saved without a speaker it would be the author's,
// the wrong attribution the form used to make by default.
func TestAQuoteNeedsItsSpeaker(t *testing.T) {
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
	in := store.ClaimInput{Statement: "The parties will consult.", Kind: "quote", Evidence: "own-words",
		Stances:   map[string]string{"binding-guarantees": "neutral"},
		Citations: []store.CitationInput{{Block: blocks[4].Key, Quote: "They will consult"}}}
	_, err = st.SaveClaim(ctx, ed, slug, "", in)
	var fe store.FieldErrors
	if !errors.As(err, &fe) || !strings.Contains(fe["speaker"], "a direct quote needs its speaker") {
		t.Fatalf("a quote without a speaker: got %v, want a speaker error", err)
	}
	if len(fe) != 1 {
		t.Errorf("only the speaker is wrong, but got %v", fe)
	}
	if claims, _ := st.ClaimsOfSourceOrDraft(ctx, slug); len(claims) != 0 {
		t.Fatalf("the refused quote was saved: %d claims", len(claims))
	}

	// The author's own analysis has the author as its speaker.
	analysis := in
	analysis.Kind = "analysis"
	analysis.Evidence = "inferred"
	if _, err := st.SaveClaim(ctx, ed, slug, "", analysis); err != nil {
		t.Fatalf("the author's analysis, with the author speaking: %v", err)
	}
	// With its speaker, the quote saves, and is theirs.
	in.Speaker = "volodymyr-zelenskyy"
	c, err := st.SaveClaim(ctx, ed, slug, "", in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := st.ClaimOrDraft(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if got.Speaker == nil || got.Speaker.Slug != "volodymyr-zelenskyy" {
		t.Errorf("speaker %+v, want volodymyr-zelenskyy", got.Speaker)
	}
	// An edit cannot take the speaker away from a quote either.
	in.Speaker = ""
	if _, err := st.SaveClaim(ctx, ed, "", c, in); !errors.As(err, &fe) || fe["speaker"] == "" {
		t.Errorf("editing a quote to have no speaker: got %v, want a speaker error", err)
	}
}

// An actor added twice would split their claims between two records.
func TestAnActorIsNotAddedTwice(t *testing.T) {
	st := storetest.Store(t)
	ctx := t.Context()
	ed := editor(t, st)
	for _, name := range []string{"Volodymyr Zelenskyy", "volodymyr zelenskyy"} {
		_, err := st.CreateActor(ctx, ed, name, "person", nil)
		var fe store.FieldErrors
		if !errors.As(err, &fe) || !strings.Contains(fe["name"], "is already an actor") || !strings.Contains(fe["name"], "volodymyr-zelenskyy") {
			t.Errorf("adding %q again: got %v, want a name error naming the existing actor", name, err)
		}
	}
	slug, err := st.CreateActor(ctx, ed, "Ivan Testovich", "person", []string{"I. Testovich"})
	if err != nil {
		t.Fatal(err)
	}
	if slug != "ivan-testovich" {
		t.Errorf("slug %q", slug)
	}
	if _, err := st.CreateActor(ctx, ed, "I. Testovich", "person", nil); err == nil {
		t.Error("an actor named as another's alias was added")
	}
}

// The edit page's preview reports what a save would do, and saves nothing.
func TestPreviewRevisionChangesNothing(t *testing.T) {
	st := storetest.Store(t)
	ctx := t.Context()
	ed := editor(t, st)
	slug, err := st.CreateSource(ctx, ed, store.SourceInput{Title: "A memorandum of our own", Kind: "primary-document", Blocks: corpus.ParseText(memo)})
	if err != nil {
		t.Fatal(err)
	}
	src, blocks, err := st.SourceOrDraft(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	in := store.ClaimInput{Statement: "The parties will consult.", Kind: "quote", Speaker: "volodymyr-zelenskyy", Evidence: "own-words",
		Stances:   map[string]string{"binding-guarantees": "neutral"},
		Citations: []store.CitationInput{{Block: blocks[4].Key, Quote: "They will consult"}}}
	if _, err := st.SaveClaim(ctx, ed, slug, "", in); err != nil {
		t.Fatal(err)
	}
	cb := make([]corpus.Block, len(blocks))
	for i, b := range blocks {
		cb[i] = corpus.Block{Key: b.Key, Kind: b.Kind, Text: b.Text}
	}
	cb[4].Text = "They may talk if a situation arises." // the cited words go
	cb = append(cb[:2], cb[3:]...)                      // one block removed, the ones after renumbered
	version, _ := st.Version(ctx)
	rep, err := st.PreviewRevision(ctx, slug, store.SourceInput{Title: src.Title, Kind: src.Kind, Blocks: cb})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Revised != 1 || rep.Removed != 1 || rep.Flagged != 1 {
		t.Errorf("preview: %+v, want 1 revised, 1 removed, 1 flagged", rep)
	}
	if v, _ := st.Version(ctx); v != version {
		t.Error("the preview changed the data version")
	}
	_, after, _ := st.SourceOrDraft(ctx, slug)
	if len(after) != len(blocks) || after[4].Text != blocks[4].Text {
		t.Error("the preview changed the blocks")
	}
	saved, err := st.ReviseSource(ctx, ed, slug, store.SourceInput{Title: src.Title, Kind: src.Kind, Blocks: cb})
	if err != nil {
		t.Fatal(err)
	}
	if saved != rep {
		t.Errorf("the save did %+v, the preview said %+v", saved, rep)
	}
}
