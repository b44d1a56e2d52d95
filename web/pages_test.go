package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/sourcebook/sourcebook/web/link"
)

// blockHTML is the markup of the block with the given key on a page.
func blockHTML(t *testing.T, page, key string) string {
	t.Helper()
	i := strings.Index(page, `<li id="`+key+`"`)
	if i < 0 {
		t.Fatalf("no block %s on the page", key)
	}
	rest := page[i+1:]
	if j := strings.Index(rest, `<li id="`); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

var tagRe = regexp.MustCompile(`<[^>]*>`)

func text(markup string) string { return html.UnescapeString(tagRe.ReplaceAllString(markup, "")) }

func TestEveryPageFamilyAnswers(t *testing.T) {
	s := newSite(t)
	cases := []struct{ path, want string }{
		{"/", "Who stands where"},
		{"/sources", "Sources"},
		{"/sources?sort=publisher", "Associated Press"},
		{"/sources/rutland-guarantee-paradox", "Peter Rutland"},
		{"/actors", "Coalitions and groups"},
		{"/actors/vladimir-putin", "Vladimir Putin"},
		{"/issues", "NATO membership for Ukraine"},
		{"/issues/foreign-troops", "Positions side by side"},
		{"/positions/russia/foreign-troops", "Russia on Foreign troops in Ukraine"},
		{"/matrix", "Who stands where"},
		{"/precedents", "Budapest Memorandum"},
		{"/precedents/budapest-1994", "Every passage that invokes it"},
		{"/precedents/compare", "Codebook"},
		{"/timeline", "<svg"},
		{"/claims/nw-chekov-venues", "institutionalization of several venues"},
		{"/search?q=Budapest", "Budapest"},
	}
	for _, c := range cases {
		if body := s.page(t, c.path); !strings.Contains(body, c.want) {
			t.Errorf("GET %s lacks %q", c.path, c.want)
		}
	}
}

// Every cited span is marked inside the block it cites, on the source page.
func TestCitedQuotesAreMarkedInTheirBlocks(t *testing.T) {
	s := newSite(t)
	cites, err := s.st.Citations(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	pages := map[string]string{}
	for _, c := range cites {
		src := c.Block.Source.Slug
		if pages[src] == "" {
			pages[src] = s.page(t, link.Source(src))
		}
		block := blockHTML(t, pages[src], c.Block.Key)
		if !strings.Contains(block, `<mark class="cited"`) {
			t.Errorf("%s#%s: no cited span marked", src, c.Block.Key)
		}
		var marked strings.Builder
		for _, m := range regexp.MustCompile(`(?s)<mark class="cited".*?</mark>`).FindAllString(block, -1) {
			marked.WriteString(text(m))
		}
		// The quote's words are all inside marks (overlapping citations may split them).
		for _, w := range strings.Fields(c.Exact) {
			if !strings.Contains(marked.String(), strings.Trim(w, `[]^0123456789`)) {
				t.Errorf("%s#%s: quoted word %q is not marked", src, c.Block.Key, w)
				break
			}
		}
	}
}

func TestMatrixCellLinksToItsEvidence(t *testing.T) {
	s := newSite(t)
	matrix := s.page(t, "/matrix")
	cell := regexp.MustCompile(`(?s)<a href="/positions/russia/foreign-troops"[^>]*>(.*?)</a>`).FindStringSubmatch(matrix)
	if cell == nil {
		t.Fatal("the matrix has no russia × foreign-troops cell linking to its evidence")
	}
	p, err := s.st.Position(t.Context(), "russia", "foreign-troops")
	if err != nil {
		t.Fatal(err)
	}
	cellText := text(cell[1])
	if !strings.Contains(cellText, p.Stance.Word()) || !strings.Contains(cellText, strconv.Itoa(len(p.Claims))+" claims") {
		t.Errorf("cell reads %q, want the stance %q and %d claims", cellText, p.Stance, len(p.Claims))
	}
	evidence := s.page(t, "/positions/russia/foreign-troops")
	for _, c := range p.Claims {
		if !strings.Contains(evidence, `href="`+link.Claim(c.Slug)+`"`) {
			t.Errorf("the evidence page does not link claim %s", c.Slug)
		}
		if !strings.Contains(evidence, html.EscapeString(c.Citations[0].Exact)) {
			t.Errorf("the evidence page does not quote %q", c.Citations[0].Exact)
		}
	}
}

func TestPassagePermalink(t *testing.T) {
	s := newSite(t)
	body := s.page(t, "/sources/ap-witkoff-article5/c7vtk7")
	current := blockHTML(t, body, "c7vtk7")
	if !strings.Contains(current, `class="block current`) || !strings.Contains(text(current), "NEW YORK: Russian leader") {
		t.Error("the permalinked block is not shown highlighted with its words")
	}
	if !strings.Contains(body, "Claims citing this passage") || !strings.Contains(body, "/claims/ap-") {
		t.Error("the passage page does not list the claims citing it")
	}
	if !strings.Contains(body, `name="citation_title"`) {
		t.Error("no Highwire citation tags for reference managers")
	}
	resp := s.get(t, "/sources/ap-witkoff-article5/nosuchkey")
	b := resp.body
	if resp.status != http.StatusNotFound || !strings.Contains(string(b), `role="search"`) {
		t.Errorf("a passage that never existed: status %d, want a 404 that offers search", resp.status)
	}
	if resp := s.get(t, "/sources/ap-witkoff-article5/c7vtk7?rev=abc"); resp.status != http.StatusBadRequest {
		t.Errorf("?rev=abc: status %d, want 400", resp.status)
	}
}

// After a block is revised, its old permalink still shows the words that were cited, marked
// as revised, and the page reflects the edit at once.
func TestRevisedPassageKeepsTheCitedWords(t *testing.T) {
	s := newSite(t)
	ctx := t.Context()
	p, err := s.st.Passage(ctx, "ap-witkoff-article5", "c7vtk7", 0)
	if err != nil {
		t.Fatal(err)
	}
	before := s.get(t, link.Passage("ap-witkoff-article5", "c7vtk7", 0))
	etag := before.header.Get("ETag")
	old := p.Block.Text
	revised := "NEW YORK: An editor's corrected text of this paragraph."
	res, err := s.st.ReviseBlock(ctx, "ap-witkoff-article5", "c7vtk7", revised)
	if err != nil {
		t.Fatal(err)
	}
	if res.Orphaned == 0 {
		t.Fatalf("the rewrite should orphan the citation of words it removed: %+v", res)
	}

	now := s.page(t, link.Passage("ap-witkoff-article5", "c7vtk7", 0))
	if !strings.Contains(now, "An editor&#39;s corrected text") {
		t.Error("the current permalink does not show the revised text")
	}
	if r := s.get(t, link.Passage("ap-witkoff-article5", "c7vtk7", 0), "If-None-Match", etag); r.status == http.StatusNotModified {
		t.Error("the old ETag still validates after an edit: a cache would serve the old page")
	}
	then := s.page(t, link.Passage("ap-witkoff-article5", "c7vtk7", 1))
	if !strings.Contains(text(blockHTML(t, then, "c7vtk7")), old) {
		t.Error("revision 1 does not show the words as they were cited")
	}
	if !strings.Contains(then, "has since been revised") || !strings.Contains(then, `href="/sources/ap-witkoff-article5/c7vtk7"`) {
		t.Error("revision 1 is not marked as revised with a link to the current text")
	}
}

func TestConditionalRequestsAndCompression(t *testing.T) {
	s := newSite(t)
	first := s.get(t, "/matrix")
	etag := first.header.Get("ETag")
	if etag == "" || first.header.Get("Last-Modified") == "" {
		t.Fatal("no ETag or Last-Modified on a page")
	}
	if r := s.get(t, "/matrix", "If-None-Match", etag); r.status != http.StatusNotModified {
		t.Errorf("revalidation with a matching ETag: status %d, want 304", r.status)
	}
	if r := s.get(t, "/matrix", "Accept-Encoding", "gzip"); r.header.Get("Content-Encoding") != "gzip" {
		t.Error("pages are not compressed for a client that accepts gzip")
	}
	css := regexp.MustCompile(`/static/site\.[0-9a-f]+\.css`).FindString(s.page(t, "/"))
	if r := s.get(t, css); r.status != http.StatusOK || !strings.Contains(r.header.Get("Cache-Control"), "immutable") {
		t.Errorf("fingerprinted CSS %s: status %d, Cache-Control %q", css, r.status, r.header.Get("Cache-Control"))
	}
	if r := s.get(t, "/static/../go.mod"); r.status == http.StatusOK {
		t.Error("a path outside the static files was served")
	}
}

func TestComparisonCSV(t *testing.T) {
	s := newSite(t)
	r := s.get(t, "/precedents/compare.csv")
	b := r.body
	if !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
		t.Errorf("Content-Type %q", r.header.Get("Content-Type"))
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if !strings.HasPrefix(lines[0], "id,name,kind,date_start,date_end,url,guarantors_codes,guarantors_labels,guarantors_citations,guarantors,obligation_codes") {
		t.Errorf("header %q", lines[0])
	}
	if !strings.Contains(string(b), "not in the sources") || !strings.Contains(string(b), "budapest-1994") {
		t.Error("the CSV does not say where the sources are silent, or lacks Budapest")
	}
}

// A crawl of the whole site from the front page finds no broken internal link: every page
// answers 200 and every #fragment names an element on its page. No page shows template
// source as text (a component call templ took for words).
func TestNoBrokenInternalLinks(t *testing.T) {
	s := newSite(t)
	hrefRe := regexp.MustCompile(`(?:href|src)="([^"]+)"`)
	templateRe := regexp.MustCompile(`@[A-Z][A-Za-z]+\(`)
	idRe := regexp.MustCompile(`id="([^"]+)"`)
	type ref struct{ from, to string }
	queue := []ref{{"(start)", "/"}}
	seen := map[string]bool{"/": true}
	ids := map[string]map[string]bool{}
	var fragments []ref
	for len(queue) > 0 {
		r := queue[0]
		queue = queue[1:]
		resp := s.get(t, r.to)
		b := resp.body
		if resp.status != http.StatusOK {
			t.Errorf("%s links to %s: status %d", r.from, r.to, resp.status)
			continue
		}
		if !strings.HasPrefix(resp.header.Get("Content-Type"), "text/html") {
			continue
		}
		if m := templateRe.Find(b); m != nil {
			t.Errorf("%s shows template source as text: %q", r.to, m)
		}
		ids[r.to] = map[string]bool{}
		for _, m := range idRe.FindAllStringSubmatch(string(b), -1) {
			ids[r.to][m[1]] = true
		}
		for _, m := range hrefRe.FindAllStringSubmatch(string(b), -1) {
			u, err := url.Parse(html.UnescapeString(m[1]))
			if err != nil {
				t.Errorf("%s: unparsable link %q", r.to, m[1])
				continue
			}
			if u.Host != "" || u.Scheme != "" {
				continue // external
			}
			target := u.Path
			if target == "" {
				target = strings.SplitN(r.to, "#", 2)[0]
			}
			if u.RawQuery != "" {
				target += "?" + u.RawQuery
			}
			if u.Fragment != "" {
				fragments = append(fragments, ref{r.to, target + "#" + u.Fragment})
			}
			if strings.HasPrefix(target, "/export/") || strings.HasSuffix(target, ".db") {
				continue // downloads are tested on their own
			}
			if !seen[target] {
				seen[target] = true
				queue = append(queue, ref{r.to, target})
			}
		}
	}
	for _, f := range fragments {
		page, frag, _ := strings.Cut(f.to, "#")
		if strings.HasPrefix(frag, ":~:") {
			continue
		}
		if found, ok := ids[page]; ok && !found[frag] {
			t.Errorf("%s links to %s, but that page has no element #%s", f.from, f.to, frag)
		}
	}
	t.Logf("crawled %d URLs, checked %d fragment links", len(seen), len(fragments))
	for _, p := range s.publicPages(t) {
		if !seen[p] {
			t.Errorf("the crawl never reached %s, which the sitemap lists", p)
		}
	}
}

func TestHeadAndWrongMethods(t *testing.T) {
	s := newSite(t)
	req, _ := http.NewRequest("HEAD", s.URL+"/matrix", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") == "" {
		t.Errorf("HEAD /matrix: status %d, ETag %q", resp.StatusCode, resp.Header.Get("ETag"))
	}
	resp, err = http.Post(s.URL+"/matrix", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /matrix: status %d, want 405: the public site is read-only", resp.StatusCode)
	}
}

// Under a passage, each claim citing it reads as one line: statement, speaker, then each
// stance after a separating dot, with the spaces a reader expects around it, and last whose
// stance the speaker reports when it is not their own.
func TestClaimsUnderAPassageReadAsALine(t *testing.T) {
	s := newSite(t)
	block := text(blockHTML(t, s.page(t, "/sources/ap-witkoff-article5"), "c7vtk7"))
	want := "— Steve Witkoff · What a security guarantee means ✓ for · The US role ✓ for · reporting the stance of Vladimir Putin"
	if !strings.Contains(block, want) {
		t.Errorf("the claim under ¶1 reads\n%s\nwant it to contain\n%s", block, want)
	}
}
