package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/store/corpus"
	"github.com/sourcebook/sourcebook/store/storetest"
)

// editForm is the admin's edit form for a source, filled in as it shows it, with the text's
// blocks replaced by blocks.
func editForm(in store.SourceInput, blocks []corpus.Block) url.Values {
	return url.Values{"title": {in.Title}, "subtitle": {in.Subtitle}, "authors": {strings.Join(in.Authors, "; ")},
		"publisher": {in.Publisher}, "captured_from": {in.CapturedFrom}, "published": {in.Published}, "url": {in.URL},
		"retrieved": {in.Retrieved}, "kind": {in.Kind}, "language": {in.Language}, "notes": {in.Notes},
		"text": {corpus.FormatText(blocks)}}
}

var (
	changedNoticeRe = regexp.MustCompile(`(?s)<p class="notice changed" role="note">(.*?)</p>`)
	noticeHrefRe    = regexp.MustCompile(`href="([^"]+)"`)
)

// A seed claim quotes a paragraph; an editor rewords the quoted words through the admin's
// edit form, adds a paragraph and drops another. The claim page and the passage page then
// say the quote is from revision 1 and the passage has since changed, and link to a word
// diff that strikes the old words and underlines the new; the API says so too; and the
// passage's revision 1 shows the whole source as it was, without the paragraph added later
// and with the one dropped since.
func TestReadersAreToldWhenQuotedWordsChanged(t *testing.T) {
	s := newSite(t, withEditor())
	ctx := t.Context()
	const slug = "ap-witkoff-article5"
	var claims struct {
		Items []struct {
			Slug      string
			Citations []struct {
				Quote string
				Block struct{ Key, Text string }
			}
		}
	}
	s.json(t, "/api/claims?source="+slug, &claims)
	var claim, key, quote, oldText string
	for _, c := range claims.Items {
		if len(c.Citations) == 1 && len(strings.Fields(c.Citations[0].Quote)) >= 3 {
			claim, key, quote, oldText = c.Slug, c.Citations[0].Block.Key, c.Citations[0].Quote, c.Citations[0].Block.Text
			break
		}
	}
	if claim == "" {
		t.Fatalf("no claim of %s quotes one passage", slug)
	}
	if strings.Contains(s.page(t, "/claims/"+claim), "the passage has since changed") {
		t.Fatal("before any edit, the claim page already says the passage has changed")
	}

	// The edit: the quote's first word replaced, so its words are no longer in the text; a
	// new paragraph put first; the last paragraph dropped (if it is not the quoted one).
	in := storetest.EditInput(t, s.st, slug)
	blocks := slices.Clone(in.Blocks)
	qwords := strings.Fields(quote)
	newText := strings.Replace(oldText, quote, "Reworded "+strings.Join(qwords[1:], " "), 1)
	var dropped corpus.Block
	for i := range blocks {
		if blocks[i].Key == key {
			blocks[i].Text = newText
		}
	}
	if last := blocks[len(blocks)-1]; last.Key != key {
		dropped = last
		blocks = blocks[:len(blocks)-1]
	}
	const added = "A paragraph an editor added after the quote was made."
	blocks = append([]corpus.Block{{Kind: "paragraph", Text: added}}, blocks...)
	status, body := s.post(t, s.client, "/admin/sources/"+slug+"/edit", editForm(in, blocks))
	if status != http.StatusSeeOther {
		t.Fatalf("saving the edit: status %d\n%s", status, body)
	}

	// The claim page: the notice, word for word, and its link to the diff.
	page := s.page(t, "/claims/"+claim)
	m := changedNoticeRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the claim page has no notice that the passage changed")
	}
	if got := strings.Join(strings.Fields(text(m[1])), " "); !strings.HasPrefix(got, "quoted from revision 1; the passage has since changed.") {
		t.Errorf("the notice reads %q", got)
	}
	var diffURL string
	for _, h := range noticeHrefRe.FindAllStringSubmatch(m[1], -1) {
		if u := html.UnescapeString(h[1]); strings.Contains(u, "/diff?") {
			diffURL = u
		}
	}
	if want := "/sources/" + slug + "/" + key + "/diff?from=1&to=2"; diffURL != want {
		t.Fatalf("the notice links to the diff %q, want %q", diffURL, want)
	}

	// The diff it links to strikes the old word and underlines the new one.
	diff := s.page(t, diffURL)
	if !strings.Contains(diff, "<del>"+html.EscapeString(qwords[0])+"</del>") || !strings.Contains(diff, "<ins>Reworded</ins>") {
		t.Errorf("the diff does not show %q struck and %q put in:\n%s", qwords[0], "Reworded", diffBody(diff))
	}
	if strings.Contains(diff, "<del>"+html.EscapeString(qwords[len(qwords)-1])) {
		t.Errorf("the diff strikes %q, which the edit kept", qwords[len(qwords)-1])
	}

	// The passage page lists the claim with the same notice.
	passage := s.page(t, "/sources/"+slug+"/"+key)
	if m := changedNoticeRe.FindStringSubmatch(passage); m == nil || !strings.Contains(m[1], html.EscapeString(diffURL)) {
		t.Errorf("the passage page's list of claims has no notice linking to the diff")
	}

	// The API.
	var api struct {
		Citations []struct {
			ChangedSinceCited bool   `json:"changed_since_cited"`
			DiffURL           string `json:"diff_url"`
		}
	}
	s.json(t, "/api/claims/"+claim, &api)
	if len(api.Citations) != 1 || !api.Citations[0].ChangedSinceCited || api.Citations[0].DiffURL != diffURL {
		t.Errorf("API citations: %+v, want changed_since_cited and diff_url %s", api.Citations, diffURL)
	}

	// Revision 1 shows the source as it was then: the old words, every other paragraph as
	// it was, the paragraph added since absent, the one dropped since present.
	then := text(s.page(t, "/sources/"+slug+"/"+key+"?rev=1"))
	if !strings.Contains(then, oldText) {
		t.Error("revision 1 does not show the quoted words as they were")
	}
	if strings.Contains(then, added) {
		t.Error("revision 1 shows a paragraph added after it")
	}
	if dropped.Text != "" && !strings.Contains(then, dropped.Text) {
		t.Error("revision 1 does not show the paragraph dropped since")
	}
	for _, b := range in.Blocks {
		if b.Key != key && !strings.Contains(then, b.Text) {
			t.Errorf("revision 1 lacks the passage %s as it was", b.Key)
		}
	}
	now := text(s.page(t, "/sources/"+slug+"/"+key))
	if !strings.Contains(now, newText) {
		t.Error("the current passage does not show the new words")
	}
	_ = ctx
}

func diffBody(page string) string {
	if i := strings.Index(page, `<div class="diff">`); i >= 0 {
		return page[i:min(len(page), i+2000)]
	}
	return page
}

// A diff of revisions that are not there, or not numbers, says so.
func TestPassageDiffRefusesBadRevisions(t *testing.T) {
	s := newSite(t)
	var src struct{ Blocks []struct{ Key string } }
	s.json(t, "/api/sources/ap-witkoff-article5", &src)
	base := "/sources/ap-witkoff-article5/" + src.Blocks[0].Key + "/diff"
	for q, want := range map[string]int{"": 400, "?from=a&to=1": 400, "?from=0&to=1": 400, "?from=1&to=9": 404, "?from=1&to=1": 200} {
		r := s.get(t, base+q)
		if r.status != want {
			t.Errorf("GET %s: status %d, want %d", base+q, r.status, want)
		}
		if want == 400 && !strings.Contains(string(r.body), "?from=1&amp;to=2") {
			t.Errorf("GET %s: the message does not say how to ask", base+q)
		}
	}
	if r := s.get(t, "/sources/ap-witkoff-article5/nosuchkey/diff?from=1&to=1"); r.status != 404 {
		t.Errorf("a diff of a passage that does not exist: status %d", r.status)
	}
}
