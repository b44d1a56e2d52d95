package web_test

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/sourcebook/sourcebook/store/corpus"
	"github.com/sourcebook/sourcebook/store/storetest"
)

// locators is what a reader of a passage sees of its number: the page's heading, the
// citation in words and the three downloads.
type locators struct {
	h1, cite, moved string
	bib, ris, csl   string // BibTeX note, RIS N1, CSL-JSON locator
	cslLabel, url   string // CSL-JSON label and URL
}

var (
	h1Re    = regexp.MustCompile(`(?s)<h1>(.*?)</h1>`)
	citeRe  = regexp.MustCompile(`(?s)<p class="citation">(.*?)</p>`)
	movedRe = regexp.MustCompile(`(?s)<strong class="locator-moved">(.*?)</strong>`)
	bibRe   = regexp.MustCompile(`note = \{(.*?)\}`)
	risRe   = regexp.MustCompile(`N1  - (.*?)\r\n`)
)

func readLocators(t *testing.T, s site, path string) locators {
	t.Helper()
	page := s.page(t, path)
	first := func(re *regexp.Regexp, in string) string {
		if m := re.FindStringSubmatch(in); m != nil {
			return strings.TrimSpace(text(m[1]))
		}
		return ""
	}
	base, query, _ := strings.Cut(path, "?")
	if query != "" {
		query = "?" + query
	}
	l := locators{h1: first(h1Re, page), cite: first(citeRe, page), moved: first(movedRe, page)}
	l.bib = first(bibRe, string(s.get(t, base+"/cite.bib"+query).body))
	l.ris = first(risRe, string(s.get(t, base+"/cite.ris"+query).body))
	var items []struct{ Locator, Label, URL string }
	if err := json.Unmarshal(s.get(t, base+"/cite.json"+query).body, &items); err != nil || len(items) != 1 {
		t.Fatalf("%s/cite.json: %v", base, err)
	}
	l.csl, l.cslLabel, l.url = items[0].Locator, items[0].Label, items[0].URL
	return l
}

// The seed's USI piece opens with a heading; its first paragraph is para. 1 on its page and
// in every citation format. When an editor puts a paragraph above it, it is para. 2 today,
// and revision 1, which a citation made before the edit links to, still says para. 1, with
// the current number beside it.
func TestParagraphLocatorsCountParagraphsAndKeepTheirRevision(t *testing.T) {
	s := newSite(t)
	ctx := t.Context()
	const path = "/sources/usi-guarantees-unresolved/raiiqw"

	before := readLocators(t, s, path)
	want := locators{h1: "¶ 1 of How Security", cite: "Para. 1. ", bib: "para. 1", ris: "para. 1", csl: "1", cslLabel: "paragraph", url: path + "?rev=1"}
	checkLocators(t, "before the edit", before, want)

	// The edit, as the admin's form saves it: the text with its keys, a paragraph added
	// after the opening heading.
	ed, err := s.st.CreateUser(ctx, nil, "editor@example.org", "Ed", "editor", "a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	in := storetest.EditInput(t, s.st, "usi-guarantees-unresolved")
	in.Blocks = slices.Insert(in.Blocks, 1, corpus.Block{Kind: "paragraph", Text: "An editor's note put before the first paragraph."})
	if _, err := s.st.ReviseSource(ctx, &ed, "usi-guarantees-unresolved", in); err != nil {
		t.Fatal(err)
	}

	now := readLocators(t, s, path)
	checkLocators(t, "now", now, locators{h1: "¶ 2 of How Security", cite: "Para. 2. ", bib: "para. 2", ris: "para. 2", csl: "2",
		cslLabel: "paragraph", url: path + "?rev=2"})
	then := readLocators(t, s, path+"?rev=1")
	checkLocators(t, "revision 1", then, locators{h1: "¶ 1 of How Security", cite: "Para. 1. ", moved: "Para. 1 in revision 1; now para. 2.",
		bib: "para. 1 in revision 1; now para. 2", ris: "para. 1 in revision 1; now para. 2", csl: "1", cslLabel: "paragraph", url: path + "?rev=1"})

	// The API gives the number beside the block's place: null for the heading.
	var api struct {
		Blocks []struct {
			Key       string
			Position  int
			Paragraph *int
		}
	}
	s.json(t, "/api/sources/usi-guarantees-unresolved", &api)
	if b := api.Blocks[0]; b.Paragraph != nil {
		t.Errorf("API: the heading has paragraph %d, want null", *b.Paragraph)
	}
	if b := api.Blocks[2]; b.Key != "raiiqw" || b.Position != 3 || b.Paragraph == nil || *b.Paragraph != 2 {
		t.Errorf("API: third block %+v, want raiiqw at position 3, paragraph 2", b)
	}
}

// checkLocators compares what a reader sees with what they should: h1 and cite by prefix
// (the title and the rest of the citation follow), the URL by suffix (the host comes first).
func checkLocators(t *testing.T, when string, got, want locators) {
	t.Helper()
	if !strings.HasPrefix(got.h1, want.h1) {
		t.Errorf("%s: the page's heading is %q, want it to start %q", when, got.h1, want.h1)
	}
	if !strings.Contains(got.cite, want.cite+"http") || !strings.Contains(got.cite, want.url) {
		t.Errorf("%s: the citation reads %q, want %q and the link %s", when, got.cite, want.cite, want.url)
	}
	if got.moved != want.moved {
		t.Errorf("%s: the page says %q of where the passage is now, want %q", when, got.moved, want.moved)
	}
	if got.bib != want.bib || got.ris != want.ris || got.csl != want.csl || got.cslLabel != want.cslLabel {
		t.Errorf("%s: BibTeX note %q, RIS N1 %q, CSL-JSON locator %q (%s); want %q, %q, %q (%s)", when,
			got.bib, got.ris, got.csl, got.cslLabel, want.bib, want.ris, want.csl, want.cslLabel)
	}
	if !strings.HasSuffix(got.url, want.url) {
		t.Errorf("%s: the downloads cite %s, want %s", when, got.url, want.url)
	}
}
