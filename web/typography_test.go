package web_test

import (
	"html"
	"regexp"
	"strings"
	"testing"
)

// visibleText is a page's text as a reader sees it: tags gone, and each block-level element a
// break, so words in separate paragraphs do not run together here either.
func visibleText(page string) string {
	page = regexp.MustCompile(`(?s)<(script|style|head)\b.*?</(script|style|head)>`).ReplaceAllString(page, " ")
	page = regexp.MustCompile(`(?i)</?(p|div|li|ul|ol|h[1-6]|section|article|header|footer|nav|main|aside|figure|figcaption|blockquote|table|tr|td|th|dt|dd|dl|details|summary|br|form|svg)\b[^>]*>`).ReplaceAllString(page, "\n")
	page = regexp.MustCompile(`<[^>]+>`).ReplaceAllString(page, "")
	return html.UnescapeString(page)
}

// typographyFaults are what a proofreader marks: a space before a comma, a stance word run
// into the word after it, quotation marks doubled.
var typographyFaults = map[string]*regexp.Regexp{
	"space before a comma":     regexp.MustCompile(`\S[ \t]+,`),
	"stance run into the text": regexp.MustCompile(`[✓✗~?] (for|against|neutral|mixed)\p{L}`),
	"doubled quotation marks":  regexp.MustCompile(`[“"][“"]|[”"][”"]`),
}

// TestPagesReadCleanly proofreads the text of every page a reader reaches from the front
// page, a passage, an actor, an issue, a position and a claim.
func TestPagesReadCleanly(t *testing.T) {
	s := newSite(t)
	var positions []struct{ URL string }
	apiItems(t, s, "/api/positions", &positions)
	pages := pageTypes(t, s)
	for _, p := range positions {
		pages = append(pages, p.URL)
	}
	pages = append(pages, "/actors/steve-witkoff", "/actors/vladimir-putin", "/sources/ap-witkoff-article5")
	for _, path := range pages {
		resp := s.get(t, path)
		body := resp.body
		text := visibleText(string(body))
		for fault, re := range typographyFaults {
			for _, at := range re.FindAllStringIndex(text, 3) {
				from, to := max(0, at[0]-40), min(len(text), at[1]+40)
				t.Errorf("%s: %s: …%s…", path, fault, strings.ReplaceAll(text[from:to], "\n", " ⏎ "))
			}
		}
	}
}
