package web_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/store/corpus"
)

// TestCSVCellsCannotRunInASpreadsheet names an actor and an author as the red team did; the
// CSV files carry them as inert text, and the JSON export keeps their true values.
func TestCSVCellsCannotRunInASpreadsheet(t *testing.T) {
	srv := newSite(t)
	st := srv.st
	ctx := t.Context()
	const actorName, author = `=HYPERLINK("http://evil")`, `=cmd|' /C calc'!A0`
	ed, err := st.CreateUser(ctx, nil, "csv@example.org", "", "editor", "a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	actor, err := st.CreateActor(ctx, &ed, actorName, "person", nil)
	if err != nil {
		t.Fatal(err)
	}
	slug, err := st.CreateSource(ctx, &ed, store.SourceInput{Title: "@SUM(1+1)*cmd", Kind: "analysis",
		Authors: []string{author, "-2+3", "+1", "Plain Author"}, Blocks: []corpus.Block{{Kind: "paragraph", Text: "A paragraph."}}})
	if err != nil {
		t.Fatal(err)
	}
	// The actor says something in the source, so that it is public (an actor with nothing
	// published is in no export).
	if _, err := st.SaveClaim(ctx, &ed, slug, "", store.ClaimInput{Statement: "A paragraph.", Speaker: actor, Kind: "quote",
		Evidence: "own-words", Stances: map[string]string{"us-role": "for"},
		Citations: []store.CitationInput{{Block: blockKey(t, st, slug), Quote: "A paragraph."}}}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetPublished(ctx, &ed, slug, true); err != nil {
		t.Fatal(err)
	}
	cells, parts := map[string]bool{}, map[string]bool{}
	for _, table := range []string{"actors", "sources"} {
		rows, err := csv.NewReader(bytes.NewReader(srv.get(t, "/export/"+table+".csv").body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			for _, c := range row {
				cells[c] = true
				for _, part := range strings.Split(c, "; ") { // authors are listed in one cell
					parts[part] = true
				}
			}
		}
	}
	for _, c := range []string{"'" + actorName, "'@SUM(1+1)*cmd", "'" + author} {
		if !parts[c] {
			t.Errorf("no inert cell %q in the CSV exports", c)
		}
	}
	for c := range cells {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			t.Errorf("a CSV cell a spreadsheet would run: %q", c)
		}
	}
	json := string(srv.get(t, "/export/sourcebook.json").body)
	if !strings.Contains(json, `"=HYPERLINK(\"http://evil\")"`) || strings.Contains(json, `'=HYPERLINK`) {
		t.Error("the JSON export does not keep the actor's true name")
	}
}

// blockKey is the key of the first block of a source or draft.
func blockKey(t *testing.T, st *store.Store, slug string) string {
	t.Helper()
	_, blocks, err := st.SourceOrDraft(t.Context(), slug)
	if err != nil || len(blocks) == 0 {
		t.Fatalf("blocks of %s: %v", slug, err)
	}
	return blocks[0].Key
}
