package web_test

import (
	"bytes"
	"context"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/sourcebook/sourcebook/web"
	"github.com/sourcebook/sourcebook/web/link"
)

// articlePage is a news page as publishers write them: metadata in JSON-LD, Open Graph and
// Highwire tags, a canonical address, and the article among navigation, a share bar,
// teasers of other articles and a footer.
const articlePage = `<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>Allies weigh backstop for Kyiv | The Daily Ledger</title>
<link rel="canonical" href="https://news.example.org/world/allies-weigh-backstop?utm_source=feed">
<meta property="og:title" content="Allies weigh backstop (OG title)">
<meta property="og:site_name" content="Ledger Online">
<meta property="og:url" content="https://news.example.org/og-url">
<meta property="article:published_time" content="2025-08-19T08:00:00Z">
<meta name="citation_title" content="Allies weigh backstop (citation title)">
<meta name="citation_author" content="Citation Author">
<meta name="citation_publication_date" content="2025/08/20">
<meta name="citation_journal_title" content="Journal of Ledgers">
<script type="application/ld+json">
{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"The Daily Ledger"},
 {"@type":"NewsArticle","headline":"Allies weigh a security backstop for Kyiv",
  "author":[{"@type":"Person","name":"Olena Kovalenko"},{"@type":"Person","name":"James Whitfield"}],
  "datePublished":"2025-08-18T21:40:00-04:00",
  "publisher":{"@type":"Organization","name":"The Daily Ledger"}}]}
</script>
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World news and analysis section</a></li>
<li><a href="/politics">Politics and government coverage</a></li><li><a href="/subscribe">Subscribe to the Daily Ledger today</a></li></ul></nav></header>
<main><article>
<h1>Allies weigh a security backstop for Kyiv</h1>
<div class="share"><a href="#">Share this story on social media networks</a></div>
<p>European defence ministers met on Monday to discuss how a coalition of willing states could support Ukraine after a ceasefire, officials said, describing talks that ran late into the evening.</p>
<p>The ministers considered air policing, maritime patrols in the Black Sea and a training mission, according to two diplomats who spoke on condition of anonymity because the talks were private.</p>
<h2>What a backstop would mean</h2>
<p>Several governments want a commitment from Washington before they send troops, a position repeated by the defence minister of one Nordic country in remarks to reporters outside the meeting.</p>
<blockquote><p>"We will not put soldiers on the ground without knowing who stands behind them," the minister said.</p></blockquote>
<p>Ukraine's foreign ministry said it welcomed the discussion but that any guarantee must be legally binding and ratified by parliaments, not a political declaration that could be reversed.</p>
<figure><img src="/map.png" alt="map"><figcaption>A map of the proposed air-policing zone over western Ukraine.</figcaption></figure>
<p>Officials expect to return to the question at a summit next month, where leaders will be asked to approve a framework agreed by their ministers and military planners.</p>
</article></main>
<aside class="related"><h3>More from the Ledger</h3><ul>
<li><a href="/a">Ten recipes for the perfect summer picnic with friends</a></li>
<li><a href="/b">Markets rally as central bank holds interest rates steady</a></li></ul></aside>
<footer><p>Copyright 2025 The Daily Ledger Media Group. All rights reserved worldwide.</p>
<p><a href="/privacy">Privacy policy and cookie settings for all readers</a></p></footer>
</body></html>`

// pageServer serves articlePage at /article, a redirect to it at /old, and what the
// importer must refuse.
func pageServer(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/article", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, articlePage)
	})
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/article", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<html><body><p>")
		chunk := bytes.Repeat([]byte("word "), 1<<16)
		for range 20 { // 6.5 MB, over the 5 MiB limit
			w.Write(chunk)
		}
	})
	mux.HandleFunc("/report.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		io.WriteString(w, "%PDF-1.7\n")
	})
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts
}

// field reads an input's value from a rendered form.
func field(body, name string) string {
	m := regexp.MustCompile(`name="` + name + `"[^>]*? value="([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		return "<missing>"
	}
	return html.UnescapeString(m[1])
}

func textarea(body, name string) string {
	m := regexp.MustCompile(`(?s)<textarea id="` + name + `" name="` + name + `"[^>]*>(.*?)</textarea>`).FindStringSubmatch(body)
	if m == nil {
		return "<missing>"
	}
	return html.UnescapeString(m[1])
}

func editorGet(t *testing.T, s site, path string) (int, string) {
	t.Helper()
	resp, err := s.client.Get(s.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// The article's own paragraphs, and the page's clutter that must not come with them.
var (
	articleWords = []string{"European defence ministers met on Monday", "What a backstop would mean",
		"We will not put soldiers on the ground", "A map of the proposed air-policing zone",
		"Officials expect to return to the question"}
	clutterWords = []string{"Subscribe to the Daily Ledger", "Ten recipes for the perfect summer picnic",
		"Copyright 2025 The Daily Ledger", "Privacy policy and cookie settings", "Share this story"}
)

func checkImported(t *testing.T, how, body, wantURL string) {
	t.Helper()
	for name, want := range map[string]string{
		"title":     "Allies weigh a security backstop for Kyiv", // JSON-LD headline over citation and OG
		"authors":   "Olena Kovalenko; James Whitfield",
		"published": "2025-08-18", // the page's own date, not shifted to UTC
		"publisher": "The Daily Ledger",
		"url":       wantURL,
		"language":  "en",
	} {
		if got := field(body, name); got != want {
			t.Errorf("%s: %s is %q, want %q", how, name, got, want)
		}
	}
	text := textarea(body, "text")
	for _, w := range articleWords {
		if !strings.Contains(text, w) {
			t.Errorf("%s: the text lacks %q", how, w)
		}
	}
	for _, w := range clutterWords {
		if strings.Contains(text, w) {
			t.Errorf("%s: the text keeps the page's clutter %q", how, w)
		}
	}
	for _, w := range []string{"## What a backstop would mean", "> \"We will not put soldiers", "{.caption}"} {
		if !strings.Contains(text, w) {
			t.Errorf("%s: the text lacks the block marked %q", how, w)
		}
	}
	if !strings.Contains(body, "Preview: 8 blocks") {
		t.Errorf("%s: the preview does not show the article's 8 blocks", how)
	}
}

// An editor imports an article by its address: the form is filled with what the page
// states, the text with the article alone, and saving, publishing and the public pages
// work from there, with the canonical address as the original.
func TestImportFromURL(t *testing.T) {
	pages := pageServer(t)
	s := newSite(t, withEditor(), withOptions(web.AllowPrivateFetch()))
	status, body := s.post(t, s.client, "/admin/sources/import", url.Values{"import_url": {pages.URL + "/old"}})
	if status != http.StatusOK {
		t.Fatalf("import: status %d", status)
	}
	canonical := "https://news.example.org/world/allies-weigh-backstop?utm_source=feed"
	checkImported(t, "by URL", body, canonical)
	if got := field(body, "retrieved"); !regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`).MatchString(got) {
		t.Errorf("retrieved is %q, want today's date", got)
	}
	if !strings.Contains(body, "Imported from "+pages.URL+"/old") {
		t.Error("the form does not say where its contents came from")
	}

	// Saved as a draft, published: the public page links the original and its archived
	// copy, and each passage links its words on the original page.
	form := url.Values{"kind": {"news-report"}, "text": {textarea(body, "text")}}
	for _, f := range []string{"title", "authors", "published", "publisher", "url", "retrieved", "language"} {
		form.Set(f, field(body, f))
	}
	status, _ = s.post(t, s.client, "/admin/sources", form)
	if status != http.StatusSeeOther {
		t.Fatalf("save: status %d", status)
	}
	slug := "allies-weigh-a-security-backstop-for-kyiv"
	if status, _ := s.post(t, s.client, "/admin/sources/"+slug+"/publish", url.Values{"publish": {"1"}}); status != http.StatusSeeOther {
		t.Fatalf("publish: status %d", status)
	}
	src := s.page(t, link.Source(slug))
	archive := "https://web.archive.org/web/" + strings.ReplaceAll(field(body, "retrieved"), "-", "") + "/" + canonical
	for _, w := range []string{`href="` + html.EscapeString(canonical) + `"`, `href="` + html.EscapeString(archive) + `"`, "Olena Kovalenko"} {
		if !strings.Contains(src, w) {
			t.Errorf("the published source page lacks %s", w)
		}
	}
	_, blocks, err := s.st.SourceOrDraft(context.Background(), slug)
	if err != nil || len(blocks) == 0 {
		t.Fatalf("the saved source: %v", err)
	}
	passage := s.page(t, link.Passage(slug, blocks[0].Key, 0))
	frag := html.EscapeString("https://news.example.org/world/allies-weigh-backstop?utm_source=feed#:~:text=European%20defence%20ministers%20met%20on")
	if !strings.Contains(passage, frag) {
		t.Errorf("the passage page lacks the text-fragment link %s", frag)
	}
}

func importUpload(t *testing.T, s site, name string, content []byte) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("html_file", name)
	fw.Write(content)
	mw.Close()
	req, _ := http.NewRequest("POST", s.URL+"/admin/sources/import", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := s.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// A saved page, uploaded or pasted, imports the same way, its address taken from its own
// canonical link.
func TestImportFromSavedPage(t *testing.T) {
	s := newSite(t, withEditor())
	canonical := "https://news.example.org/world/allies-weigh-backstop?utm_source=feed"
	status, body := importUpload(t, s, "Allies weigh backstop.html", []byte(articlePage))
	if status != http.StatusOK {
		t.Fatalf("upload: status %d", status)
	}
	checkImported(t, "uploaded", body, canonical)
	if field(body, "retrieved") != "" {
		t.Error("an uploaded page has a retrieval date, which only its saver knows")
	}
	status, body = s.post(t, s.client, "/admin/sources/import", url.Values{"import_html": {articlePage}})
	if status != http.StatusOK {
		t.Fatalf("paste: status %d", status)
	}
	checkImported(t, "pasted", body, canonical)
	// Importing again over a previewed form starts the review afresh: the old preview's
	// fingerprints, with no keep ticked, do not drop the new text's blocks.
	kept := regexp.MustCompile(`name="keep-\d+" value="1" checked`)
	again := url.Values{"import_html": {articlePage}}
	for _, m := range regexp.MustCompile(`name="(seen-\d+)" value="([^"]*)"`).FindAllStringSubmatch(body, -1) {
		again.Set(m[1], m[2])
	}
	if len(again) < 2 {
		t.Fatal("the preview has no block fingerprints; the test's pattern no longer matches it")
	}
	if _, body2 := s.post(t, s.client, "/admin/sources/import", again); len(kept.FindAllString(body2, -1)) != len(kept.FindAllString(body, -1)) {
		t.Errorf("importing over a previewed form keeps %d blocks, a fresh import %d",
			len(kept.FindAllString(body2, -1)), len(kept.FindAllString(body, -1)))
	}

	// Only what the page states: without JSON-LD, the citation tags come next; a page with
	// no date leaves the date empty.
	bare := strings.NewReplacer(`"datePublished":"2025-08-18T21:40:00-04:00",`, "", `"headline":"Allies weigh a security backstop for Kyiv",`, "",
		`<meta name="citation_publication_date" content="2025/08/20">`, "", `<meta property="article:published_time" content="2025-08-19T08:00:00Z">`, "").Replace(articlePage)
	_, body = s.post(t, s.client, "/admin/sources/import", url.Values{"import_html": {bare}})
	if got := field(body, "title"); got != "Allies weigh backstop (citation title)" {
		t.Errorf("without a JSON-LD headline the title is %q, want the citation title", got)
	}
	if got := field(body, "published"); got != "" {
		t.Errorf("a page stating no date gives the date %q", got)
	}

	for _, c := range []struct{ name, content, want string }{
		{"notes.pdf", "%PDF", "not a saved web page"},
		{"empty.html", "<html><body></body></html>", "no article text"},
	} {
		status, body := importUpload(t, s, c.name, []byte(c.content))
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, c.want) {
			t.Errorf("%s: status %d, want 422 saying %q", c.name, status, c.want)
		}
	}
	// A page saved with its scripts and styles inline is bigger than any pasted article: 3 MB
	// imports; past the import form's limit, the editor is told.
	saved := strings.Replace(articlePage, "<main>", "<main><!-- "+strings.Repeat("saved page padding ", 160000)+" -->", 1)
	if status, body := importUpload(t, s, "saved.html", []byte(saved)); status != http.StatusOK || !strings.Contains(body, "Preview") {
		t.Errorf("a 3 MB saved page: status %d %s", status, regexp.MustCompile(`role="alert">[^<]*`).FindAllString(body, -1))
	}
	big := strings.Replace(articlePage, "<main>", "<main><!-- "+strings.Repeat("saved page padding ", 400000)+" -->", 1)
	if status, body := importUpload(t, s, "big.html", []byte(big)); status != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "larger than 6 MB") {
		t.Errorf("a saved page over the form's limit: status %d %s", status, regexp.MustCompile(`role="alert">[^<]*`).FindAllString(body, -1))
	}
	status, body = s.post(t, s.client, "/admin/sources/import", url.Values{"title": {"Typed title"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "Give a web address") {
		t.Errorf("an empty import: status %d", status)
	}
	if field(body, "title") != "Typed title" {
		t.Error("a refused import loses what the editor typed")
	}
}

// By default the server fetches only public addresses: not itself, not the private network,
// not the cloud metadata service, not by a redirect, not by a name that resolves to one.
func TestImportRefusesPrivateAddresses(t *testing.T) {
	pages := pageServer(t)
	port := pages.Listener.Addr().String()
	port = port[strings.LastIndex(port, ":")+1:]
	s := newSite(t, withEditor())
	for _, c := range []struct{ url, want string }{
		{pages.URL + "/article", "127.0.0.1 is a loopback address"},
		{"http://localhost:" + port + "/article", "127.0.0.1 is a loopback address"},
		{"http://[::1]:" + port + "/article", "::1 is a loopback address"},
		{"http://10.1.2.3/", "10.1.2.3 is a private address"},
		{"http://192.168.1.1/admin", "192.168.1.1 is a private address"},
		{"http://172.16.0.1/", "172.16.0.1 is a private address"},
		{"http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"},
		{"http://0.0.0.0:" + port + "/", "0.0.0.0 is an unspecified address"},
		{"http://[::ffff:127.0.0.1]:" + port + "/", "127.0.0.1 is a loopback address"},
		{"file:///etc/passwd", "only http and https"},
		{"ftp://example.org/x.html", "only http and https"},
	} {
		status, body := s.post(t, s.client, "/admin/sources/import", url.Values{"import_url": {c.url}, "title": {"Kept"}})
		if status != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, want 422", c.url, status)
			continue
		}
		if !strings.Contains(html.UnescapeString(body), c.want) {
			t.Errorf("%s: the page does not say %q", c.url, c.want)
		}
		if field(body, "import_url") != c.url || field(body, "title") != "Kept" {
			t.Errorf("%s: the refused form loses what was typed", c.url)
		}
	}
}

// With private fetching allowed (the tests' pages are on 127.0.0.1), the other limits still
// hold: size, type, status.
func TestImportLimits(t *testing.T) {
	pages := pageServer(t)
	s := newSite(t, withEditor(), withOptions(web.AllowPrivateFetch()))
	for _, c := range []struct{ path, want string }{
		{"/huge", "too large: more than 5 MB"},
		{"/report.pdf", "application/pdf, not a web page"},
		{"/missing", "404 Not Found"},
	} {
		status, body := s.post(t, s.client, "/admin/sources/import", url.Values{"import_url": {pages.URL + c.path}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(body), c.want) {
			t.Errorf("%s: status %d, want 422 saying %q", c.path, status, c.want)
		}
	}
}

// The preview, and a draft's page beside Publish, warn of a source that is already there:
// by its address (however it is spelt), its title, or most of its text. The warning links
// to that source; an unrelated text brings none.
func TestDuplicateWarnings(t *testing.T) {
	s := newSite(t, withEditor())
	const slug = "ap-witkoff-article5"
	src, blocks, err := s.st.SourceOrDraft(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	// No seed source states its address: one that does is published first.
	const addressed = "https://News.example.org/world/original-report?id=7"
	if status, _ := s.post(t, s.client, "/admin/sources", url.Values{"title": {"Original report"}, "kind": {"news-report"},
		"url": {addressed}, "text": {"A short report published with its address."}}); status != http.StatusSeeOther {
		t.Fatalf("save the addressed source: status %d", status)
	}
	if status, _ := s.post(t, s.client, "/admin/sources/original-report/publish", url.Values{"publish": {"1"}}); status != http.StatusSeeOther {
		t.Fatalf("publish the addressed source: status %d", status)
	}
	var all []string
	for _, b := range blocks {
		all = append(all, b.Text)
	}
	// Most of its text: a tenth of its paragraphs gone, a menu and a teaser added.
	var most []string
	for i, p := range all {
		if i%10 != 9 {
			most = append(most, p)
		}
	}
	most = append([]string{"Home World Politics Subscribe"}, most...)
	most = append(most, "Read next: ten recipes for the perfect summer picnic with friends and family")
	// The same address spelt another way: host case, a trailing slash, tracking parameters.
	sameAddress := "https://news.EXAMPLE.org/world/original-report/?utm_source=newsletter&id=7&fbclid=abc"
	unrelated := "The committee reviewed the annual budget for municipal parks, libraries and swimming pools, and agreed to repair the roof of the town hall before winter."

	cases := []struct {
		name, reason, slug, title string
		form                      url.Values
	}{
		{"same address", "the same address", "original-report", "Original report",
			url.Values{"title": {"Another title"}, "url": {sameAddress}, "text": {unrelated}}},
		{"same title", "the same title", slug, src.Title,
			url.Values{"title": {"  " + strings.ToUpper(src.Title) + " "}, "text": {unrelated}}},
		{"most of the text", "of the text is shared", slug, src.Title,
			url.Values{"title": {"A capture"}, "text": {strings.Join(most, "\n\n")}}},
	}
	for _, c := range cases {
		c.form.Set("kind", "news-report")
		status, body := s.post(t, s.client, "/admin/sources/preview", c.form)
		if status != http.StatusOK {
			t.Errorf("%s: status %d", c.name, status)
			continue
		}
		if !strings.Contains(body, "This may already be in the knowledge base") || !strings.Contains(body, c.reason) {
			t.Errorf("%s: no warning saying %q", c.name, c.reason)
			continue
		}
		href := "/admin/sources/" + c.slug
		if !strings.Contains(body, `<a href="`+href+`">`+html.EscapeString(c.title)+`</a>`) {
			t.Errorf("%s: the warning does not link to %s", c.name, href)
		}
		if status, page := editorGet(t, s, href); status != http.StatusOK || !strings.Contains(page, "<h1>"+html.EscapeString(c.title)+"</h1>") {
			t.Errorf("%s: the warning's link answers %d", c.name, status)
		}
	}
	_, body := s.post(t, s.client, "/admin/sources/preview", url.Values{"title": {"Parks budget"}, "kind": {"news-report"}, "text": {unrelated}})
	if strings.Contains(body, "This may already be in the knowledge base") {
		t.Error("an unrelated text is warned of as a duplicate")
	}

	// Saved anyway (a warning is not a refusal), the draft's page warns beside Publish, and
	// publishing still works.
	form := url.Values{"title": {"A capture"}, "kind": {"news-report"}, "text": {strings.Join(most, "\n\n")}}
	if status, _ := s.post(t, s.client, "/admin/sources", form); status != http.StatusSeeOther {
		t.Fatalf("save the duplicate: status %d", status)
	}
	_, page := editorGet(t, s, "/admin/sources/a-capture")
	if !strings.Contains(page, "Publish only if it is a different source") || !strings.Contains(page, `href="/admin/sources/`+slug+`"`) {
		t.Error("the draft's page does not warn of the duplicate before publishing")
	}
	if status, _ := s.post(t, s.client, "/admin/sources/a-capture/publish", url.Values{"publish": {"1"}}); status != http.StatusSeeOther {
		t.Errorf("publishing despite the warning: status %d", status)
	}
	if r := s.get(t, link.Source("a-capture")); r.status != http.StatusOK {
		t.Errorf("the published duplicate answers %d", r.status)
	}
}
