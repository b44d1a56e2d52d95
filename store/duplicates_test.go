package store_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sourcebook/sourcebook/store/storetest"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/store/corpus"
)

func TestNormalizeURL(t *testing.T) {
	same := []string{
		"https://news.example.org/world/story?id=7",
		"HTTPS://News.Example.org/world/story/?id=7",
		"http://www.news.example.org:80/world/story?utm_source=x&id=7&utm_medium=y#top",
		"https://news.example.org:443/world/story?fbclid=abc&id=7&gclid=1",
	}
	for _, u := range same {
		if got, want := store.NormalizeURL(u), store.NormalizeURL(same[0]); got != want {
			t.Errorf("%s normalises to %q, want %q", u, got, want)
		}
	}
	for _, u := range []string{"https://news.example.org/world/story?id=8", "https://news.example.org/world/other?id=7",
		"https://other.example.org/world/story?id=7"} {
		if store.NormalizeURL(u) == store.NormalizeURL(same[0]) {
			t.Errorf("%s normalises to the same address as %s", u, same[0])
		}
	}
	if store.NormalizeURL("ftp://x.org/a") != "" || store.NormalizeURL("not a url") != "" {
		t.Error("what is not an http(s) URL has an address")
	}
}

// Containment, not Jaccard: a capture with clutter around the whole text overlaps fully;
// an unrelated text on the same subject does not.
func TestTextOverlap(t *testing.T) {
	text := func(s ...string) []corpus.Block {
		var out []corpus.Block
		for _, p := range s {
			out = append(out, corpus.Block{Text: p})
		}
		return out
	}
	article := []string{
		"European defence ministers met on Monday to discuss how a coalition could support Ukraine after a ceasefire.",
		"The ministers considered air policing, maritime patrols in the Black Sea and a training mission.",
		"Several governments want a commitment from Washington before they send troops to the country.",
	}
	clutter := []string{"Home World Politics Sport Business Culture Opinion Subscribe Sign in Search",
		"Read next: ten recipes for the perfect summer picnic with friends and family this weekend",
		"Most read: markets rally as the central bank holds interest rates steady for a third month running",
		"Follow us on social media and sign up to our morning newsletter for the day's top stories"}
	a := store.Shingles(text(article...))
	captured := store.Shingles(text(append(append(clutter[:2:2], article...), clutter[2:]...)...))
	if o := store.TextOverlap(a, captured); o < 0.99 {
		t.Errorf("the article inside a cluttered capture overlaps %.2f, want 1", o)
	}
	typo := store.Shingles(text(strings.ToUpper(article[0]), strings.ReplaceAll(article[1], ",", " ;"), article[2]))
	if o := store.TextOverlap(a, typo); o < 0.99 {
		t.Errorf("the same words in other case and punctuation overlap %.2f", o)
	}
	other := store.Shingles(text("Ukraine's security guarantees were discussed again by officials in Brussels on Tuesday, who said a coalition could support the country."))
	if o := store.TextOverlap(a, other); o >= store.OverlapThreshold {
		t.Errorf("an unrelated text on the same subject overlaps %.2f", o)
	}
}

// The duplicate check reads every source's current text: how long a preview waits for it
// as the corpus grows (SOURCEBOOK_BENCH_SCALES=1,100,1000 go test ./store -bench Duplicates).
func BenchmarkDuplicates(b *testing.B) {
	for _, scale := range storetest.Scales(1, 100) {
		b.Run(fmt.Sprintf("scale-%d", scale), func(b *testing.B) {
			st := storetest.Generated(b, scale)
			src, blocks, err := st.SourceOrDraft(b.Context(), "ap-witkoff-article5")
			if err != nil {
				b.Fatal(err)
			}
			var q store.DuplicateQuery
			q.Title = src.Title + " (new)"
			for _, bl := range blocks {
				q.Blocks = append(q.Blocks, corpus.Block{Text: bl.Text})
			}
			// A copy of a seed source: the synthetic corpus holds scale copies of it, each a
			// candidate compared in full, the worst case.
			b.Run("copy", func(b *testing.B) {
				for b.Loop() {
					if _, err := st.Duplicates(b.Context(), q, ""); err != nil {
						b.Fatal(err)
					}
				}
			})
			// A new text: only the index lookup.
			other := store.DuplicateQuery{Title: "Parks budget", Blocks: []corpus.Block{{Text: strings.Repeat(
				"The committee reviewed the annual budget for municipal parks, libraries and swimming pools. ", 20)}}}
			b.Run("new", func(b *testing.B) {
				for b.Loop() {
					if _, err := st.Duplicates(b.Context(), other, ""); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
