package store_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/store/corpus"
	"github.com/sourcebook/sourcebook/store/storetest"
	"github.com/sourcebook/sourcebook/store/vocab"
)

// Every field an editor writes refuses control characters, invalid UTF-8 and bidirectional
// overrides, naming the field, and accepts any printable text (and line breaks and tabs
// where the field holds more than a line). The inputs are every write the admin offers.
func TestEveryInputRefusesControlCharacters(t *testing.T) {
	ctx := t.Context()
	st := storetest.Store(t)
	ed := editor(t, st)
	actors, err := st.Actors(ctx)
	if err != nil || len(actors) == 0 {
		t.Fatal(err)
	}
	precedents, err := st.Precedents(ctx)
	if err != nil || len(precedents) == 0 {
		t.Fatal(err)
	}
	claimOn := func(statement, quote string) store.ClaimInput {
		return store.ClaimInput{Statement: statement, Kind: "quote", Speaker: "united-states", Evidence: "own-words", Stances: map[string]string{"us-role": "for"},
			Citations: []store.CitationInput{{Block: "c7vtk7", Quote: quote}}}
	}
	source := func(f func(*store.SourceInput)) store.SourceInput {
		in := store.SourceInput{Title: "A title", Kind: "analysis", Language: "en",
			Blocks: []corpus.Block{{Kind: "paragraph", Text: "A paragraph."}}}
		f(&in)
		return in
	}
	createSource := func(f func(*store.SourceInput)) error {
		_, err := st.CreateSource(ctx, ed, source(f))
		return err
	}
	n := 0
	unique := func(v string) string { n++; return v + strings.Repeat("x", n) } // slugs and emails stay distinct
	inputs := []struct {
		field     string
		multiline bool
		save      func(v string) error
	}{
		{"title", false, func(v string) error { return createSource(func(in *store.SourceInput) { in.Title = v }) }},
		{"subtitle", false, func(v string) error { return createSource(func(in *store.SourceInput) { in.Subtitle = v }) }},
		{"publisher", false, func(v string) error { return createSource(func(in *store.SourceInput) { in.Publisher = v }) }},
		{"captured_from", false, func(v string) error { return createSource(func(in *store.SourceInput) { in.CapturedFrom = v }) }},
		{"language", false, func(v string) error { return createSource(func(in *store.SourceInput) { in.Language = v }) }},
		{"authors", false, func(v string) error {
			return createSource(func(in *store.SourceInput) { in.Authors = []string{"A. Author", v} })
		}},
		{"notes", true, func(v string) error { return createSource(func(in *store.SourceInput) { in.Notes = v }) }},
		{"text", true, func(v string) error {
			return createSource(func(in *store.SourceInput) {
				in.Blocks = append(in.Blocks, corpus.Block{Kind: "paragraph", Text: unique(v)})
			})
		}},
		{"title", false, func(v string) error { // a revision is validated as a new source is
			in := storetest.EditInput(t, st, "ap-witkoff-article5")
			in.Title = v
			_, err := st.ReviseSource(ctx, ed, "ap-witkoff-article5", in)
			return err
		}},
		{"statement", true, func(v string) error {
			_, err := st.SaveClaim(ctx, ed, "ap-witkoff-article5", "", claimOn(v, "NEW YORK"))
			return err
		}},
		{"name", false, func(v string) error { _, err := st.CreateActor(ctx, ed, v, "person", nil); return err }},
		{"aliases", false, func(v string) error {
			_, err := st.CreateActor(ctx, ed, unique("Someone"), "person", []string{v})
			return err
		}},
		{"alias", false, func(v string) error { return st.AddAlias(ctx, ed, actors[0].Slug, v) }},
		{"issue_name", false, func(v string) error { _, err := st.CreateIssue(ctx, ed, v, "Q?", "P."); return err }},
		{"question", false, func(v string) error { _, err := st.CreateIssue(ctx, ed, unique("I"), v, "P."); return err }},
		{"proposition", false, func(v string) error { _, err := st.CreateIssue(ctx, ed, unique("I"), "Q?", v); return err }},
		{"summary", true, func(v string) error {
			return st.SavePosition(ctx, ed, "united-states", "us-role", v, "", "")
		}},
		{"precedent_name", false, func(v string) error {
			_, err := st.CreatePrecedent(ctx, ed, v, "precedent", "", "", "")
			return err
		}},
		{"precedent_summary", true, func(v string) error {
			_, err := st.CreatePrecedent(ctx, ed, unique("P"), "precedent", "", "", v)
			return err
		}},
		{"fact", false, func(v string) error {
			return st.AddFact(ctx, ed, precedents[0].Slug, string(vocab.Aspects[0]), "", v, "ap-witkoff-article5", "c7vtk7")
		}},
		{"event_title", false, func(v string) error {
			return st.AddEvent(ctx, ed, "2025-08-18", v, "ap-witkoff-article5", "c7vtk7", "")
		}},
		{"name", false, func(v string) error {
			_, err := st.CreateUser(ctx, ed, unique("someone")+"@example.org", v, "editor", "a long enough password")
			return err
		}},
		{"email", false, func(v string) error {
			_, err := st.CreateUser(ctx, ed, v+"@example.org", "N", "editor", "a long enough password")
			return err
		}},
	}
	bad := []struct{ what, value, says string }{
		{"NUL", "a\x00b", "U+0000"},
		{"ESC", "\x1b[31mred", "U+001B"},
		{"bell", "ding\a", "U+0007"},
		{"DEL", "a\x7f", "U+007F"},
		{"C1 next line", "a\u0085b", "U+0085"},
		{"invalid UTF-8", "caf\xe9", "UTF-8"},
		{"right-to-left override", "abc\u202Etxt.exe", "U+202E"},
		{"left-to-right isolate", "a\u2066b", "U+2066"},
	}
	const printable = "Zelenskyy — «Україна», “Article 5” § 3 ½ 🇺🇦 العربية\u200f 中文"
	for _, in := range inputs {
		tried := bad
		if !in.multiline {
			tried = append(tried, struct{ what, value, says string }{"line break", "two\nlines", "U+000A"})
		}
		for _, b := range tried {
			err := in.save(b.value)
			var fe store.FieldErrors
			switch {
			case !errors.As(err, &fe):
				t.Errorf("%s with %s: got %v, want a field error", in.field, b.what, err)
			case !strings.Contains(fe[in.field], b.says) || !strings.Contains(fe[in.field], strings.ReplaceAll(in.field, "_", " ")):
				t.Errorf("%s with %s: the %q error is %q, want it to name the field and %s", in.field, b.what, in.field, fe[in.field], b.says)
			}
		}
		good := unique(printable)
		if in.field == "email" {
			good = unique("ordinary.name+tag")
		}
		if in.multiline {
			good += "\nsecond line\r\n\tindented"
		}
		if err := in.save(good); err != nil {
			t.Errorf("%s: printable text refused: %v", in.field, err)
		}
	}
}
