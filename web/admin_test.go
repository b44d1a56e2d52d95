package web_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Every admin route refuses a visitor without a session: a page redirects to sign-in, a
// write is 401. The list comes from the router itself, so a new route cannot be forgotten.
func TestEveryAdminRouteNeedsASession(t *testing.T) {
	s := newSite(t, withEditor())
	anon := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	routes := s.srv.AdminRoutes()
	if len(routes) < 15 {
		t.Fatalf("only %d admin routes found", len(routes))
	}
	for _, rt := range routes {
		method, pattern, _ := strings.Cut(rt, " ")
		path := strings.NewReplacer("{slug}", "ap-witkoff-article5").Replace(pattern)
		if path == "/admin/login" || strings.HasSuffix(path, "/*") {
			continue
		}
		req, _ := http.NewRequest(method, s.URL+path, strings.NewReader("title=x"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := anon.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		switch {
		case method == "GET" && resp.StatusCode == http.StatusSeeOther && strings.HasPrefix(resp.Header.Get("Location"), "/admin/login"):
		case method != "GET" && resp.StatusCode == http.StatusUnauthorized:
		default:
			t.Errorf("%s without a session: status %d", rt, resp.StatusCode)
		}
	}
	// An editor is not an admin.
	for _, path := range []string{"/admin/users", "/admin/audit"} {
		resp, _ := s.client.Get(s.URL + path)
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("an editor opening %s: status %d, want 403", path, resp.StatusCode)
		}
	}
}

func TestSignInIsRateLimited(t *testing.T) {
	s := newSite(t, withEditor())
	for i := 0; i < 5; i++ {
		s.signIn(t, "editor@example.org", "wrong password!", http.StatusUnauthorized)
	}
	s.signIn(t, "editor@example.org", testPassword, http.StatusTooManyRequests)
}

func TestCrossOriginPostIsRefused(t *testing.T) {
	s := newSite(t, withEditor())
	req, _ := http.NewRequest("POST", s.URL+"/admin/sources/ap-witkoff-article5/publish", strings.NewReader("publish=0"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := s.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("a cross-origin POST: status %d, want 403", resp.StatusCode)
	}
	if _, _, err := s.st.SourceWithBlocks(t.Context(), "ap-witkoff-article5"); err != nil {
		t.Error("the cross-origin request unpublished the source")
	}
}

// Each form's validation answers 4xx with the reason and everything typed kept.
func TestFormsKeepInputOnError(t *testing.T) {
	s := newSite(t, withEditor())
	cases := []struct {
		name, path string
		form       url.Values
		want       []string
	}{
		{"missing title", "/admin/sources/preview", url.Values{"kind": {"analysis"}, "text": {"Kept words."}, "publisher": {"Kept Publisher"}},
			[]string{"a source needs its title", "Kept words.", "Kept Publisher"}},
		{"bad date", "/admin/sources/preview", url.Values{"title": {"T"}, "kind": {"analysis"}, "published": {"18 Aug 2025"}, "text": {"x"}},
			[]string{"is not a date", `value="18 Aug 2025"`}},
		{"quote not in its block", "/admin/sources/ap-witkoff-article5/claims", url.Values{"block": {"c7vtk7"}, "quote": {"words nobody wrote"},
			"statement": {"Kept statement"}, "kind": {"quote"}, "speaker": {"steve-witkoff"}, "evidence": {"own-words"}, "stance-us-role": {"for"}},
			[]string{"the quote is not in ¶ 1", "Kept statement", "words nobody wrote"}},
		{"no evidence grade", "/admin/sources/ap-witkoff-article5/claims", url.Values{"block": {"c7vtk7"}, "quote": {"NEW YORK"},
			"statement": {"Kept statement"}, "kind": {"quote"}, "speaker": {"steve-witkoff"}, "stance-us-role": {"for"}},
			[]string{"say how directly the claim shows the holder", "Kept statement"}},
		{"a reporter on own words", "/admin/sources/ap-witkoff-article5/claims", url.Values{"block": {"c7vtk7"}, "quote": {"NEW YORK"},
			"statement": {"Kept statement"}, "kind": {"quote"}, "speaker": {"steve-witkoff"}, "evidence": {"own-words"}, "reported_by": {"steve-witkoff"}, "stance-us-role": {"for"}},
			[]string{"only a reported stance has a reporter", `value="steve-witkoff" selected`}},
		{"no issue", "/admin/sources/ap-witkoff-article5/claims", url.Values{"block": {"c7vtk7"}, "quote": {"NEW YORK"}, "statement": {"S"}, "kind": {"quote"}, "speaker": {"steve-witkoff"}},
			[]string{"choose at least one issue"}},
	}
	for _, c := range cases {
		status, body := s.post(t, s.client, c.path, c.form)
		if status != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, want 422", c.name, status)
		}
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: the page lacks %q", c.name, w)
			}
		}
	}
}

func upload(t *testing.T, s site, name string, content []byte) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("title", "Uploaded")
	mw.WriteField("kind", "analysis")
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(content)
	mw.Close()
	req, _ := http.NewRequest("POST", s.URL+"/admin/sources/preview", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := s.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestUploads(t *testing.T) {
	s := newSite(t, withEditor())
	if status, body := upload(t, s, "memo.md", []byte("## Heading\n\nA paragraph.")); status != http.StatusOK || !strings.Contains(body, "Preview: 2 blocks") {
		t.Errorf("a good upload: status %d", status)
	}
	if status, body := upload(t, s, "memo.txt", []byte{0xff, 0xfe, 'a', 0x00}); status != http.StatusUnprocessableEntity || !strings.Contains(body, "not UTF-8") {
		t.Errorf("a non-UTF-8 file: status %d", status)
	}
	if status, body := upload(t, s, "memo.pdf", []byte("%PDF")); status != http.StatusUnprocessableEntity || !strings.Contains(body, "not a .md or .txt") {
		t.Errorf("a PDF: status %d", status)
	}
	if status, _ := upload(t, s, "big.md", bytes.Repeat([]byte("word "), 600000)); status != http.StatusUnprocessableEntity && status != http.StatusRequestEntityTooLarge {
		t.Errorf("an oversized upload: status %d", status)
	}
}

// A draft never shows on the public side: pages, API, search, feed, sitemap.
func TestDraftsNeverLeak(t *testing.T) {
	s := newSite(t, withEditor())
	status, _ := s.post(t, s.client, "/admin/sources", url.Values{"title": {"Secret draft"}, "kind": {"analysis"},
		"text": {"Unpublishedword appears only here."}})
	if status != http.StatusSeeOther {
		t.Fatalf("save draft: status %d", status)
	}
	for _, path := range []string{"/", "/sources", "/sources/secret-draft", "/api/sources", "/api/search?q=Unpublishedword",
		"/search?q=Unpublishedword", "/feed.atom", "/sitemap.xml", "/export/sourcebook.json", "/export/blocks.csv"} {
		b := s.get(t, path).body
		leaked := strings.Contains(string(b), "Secret draft") || strings.Contains(string(b), "appears only here")
		if !strings.Contains(path, "q=") { // a search page repeats its own query
			leaked = leaked || strings.Contains(string(b), "Unpublishedword")
		}
		if leaked {
			t.Errorf("%s shows the draft", path)
		}
	}
	// Publishing makes it appear.
	s.post(t, s.client, "/admin/sources/secret-draft/publish", url.Values{"publish": {"1"}})
	if !strings.Contains(string(s.get(t, "/search?q=Unpublishedword").body), "Secret draft") {
		t.Error("the published source is not searchable")
	}
}

func TestAuditLogRecordsWhoChangedWhat(t *testing.T) {
	s := newSite(t, withEditor())
	s.post(t, s.client, "/admin/sources/ap-witkoff-article5/publish", url.Values{"publish": {"0"}})
	entries, err := s.st.Audit(t.Context(), "source/ap-witkoff-article5", 5)
	if err != nil || len(entries) == 0 || entries[0].User != "editor@example.org" || entries[0].Action != "source.unpublish" {
		t.Errorf("audit: %v %+v", err, entries)
	}
}

// The public SQLite download carries no accounts, sessions or audit log.
func TestDatabaseExportHasNoAccounts(t *testing.T) {
	s := newSite(t, withEditor())
	r := s.get(t, "/export/sourcebook.db")
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	for _, secret := range []string{"$argon2id$", "editor@example.org"} {
		if bytes.Contains(r.body, []byte(secret)) {
			t.Errorf("the public database download contains %q", secret)
		}
	}
}

// Positions come from claims, and an editor's note on one needs them; precedents get cited
// facts; events reach the timeline.
func TestManageIssuesPositionsPrecedentsEvents(t *testing.T) {
	s := newSite(t, withEditor())
	status, body := s.post(t, s.client, "/admin/positions", url.Values{"actor": {"nato"}, "issue": {"foreign-troops"},
		"summary": {"Kept summary"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "Kept summary") || !strings.Contains(body, "add the claim first") {
		t.Errorf("a summary of a position no claim gives: status %d", status)
	}
	status, _ = s.post(t, s.client, "/admin/positions", url.Values{"actor": {"russia"}, "issue": {"foreign-troops"},
		"summary": {"A test summary."}})
	if status != http.StatusSeeOther {
		t.Fatalf("save position: status %d", status)
	}
	if page := s.page(t, "/positions/russia/foreign-troops"); !strings.Contains(page, "A test summary.") {
		t.Errorf("the position's page does not show the editors' summary")
	}
	status, _ = s.post(t, s.client, "/admin/precedents/facts", url.Values{"precedent": {"budapest-1994"}, "aspect": {"legal-form"},
		"fact": {"A test fact."}, "fact_source": {"ap-witkoff-article5"}, "fact_block": {"c7vtk7"}})
	if status != http.StatusSeeOther {
		t.Fatalf("add fact: status %d", status)
	}
	if !strings.Contains(s.page(t, "/precedents/budapest-1994"), "A test fact.") {
		t.Error("the fact is not on the precedent's page")
	}
	// A coded fact puts its precedent among the comparison's rows with that code; a code of
	// another column is refused, keeping what was typed.
	if strings.Contains(s.page(t, "/precedents/compare?obligation=monitoring-mission"), "Minsk agreements") {
		t.Fatal("the test needs a precedent not yet coded monitoring-mission on its obligation")
	}
	status, body = s.post(t, s.client, "/admin/precedents/facts", url.Values{"precedent": {"minsk-agreements"}, "aspect": {"obligation"},
		"code": {"nato"}, "fact": {"Kept fact."}, "fact_source": {"ap-witkoff-article5"}, "fact_block": {"c7vtk7"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "Kept fact.") || !strings.Contains(body, "is not a code of the obligation column") {
		t.Errorf("a code of another column: status %d", status)
	}
	status, _ = s.post(t, s.client, "/admin/precedents/facts", url.Values{"precedent": {"minsk-agreements"}, "aspect": {"obligation"},
		"code": {"monitoring-mission"}, "fact": {"A coded test fact."}, "fact_source": {"ap-witkoff-article5"}, "fact_block": {"c7vtk7"}})
	if status != http.StatusSeeOther {
		t.Fatalf("add a coded fact: status %d", status)
	}
	if !strings.Contains(s.page(t, "/precedents/compare?obligation=monitoring-mission"), "Minsk agreements") {
		t.Error("the coded fact does not put Minsk among the rows coded monitoring-mission")
	}
	status, body = s.post(t, s.client, "/admin/events", url.Values{"event_date": {"18 August"}, "event_title": {"Kept title"},
		"event_source": {"ap-witkoff-article5"}, "event_block": {"c7vtk7"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "Kept title") {
		t.Errorf("an event with a bad date: status %d", status)
	}
}
