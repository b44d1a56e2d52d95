package web_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sourcebook/sourcebook/store/storetest"
)

var (
	auditRowRe   = regexp.MustCompile(`(?s)<tbody>(.*?)</tbody>`)
	auditHrefRe  = regexp.MustCompile(`href="(/admin/[^"]+|/actors/[^"]+)"`)
	auditCountRe = regexp.MustCompile(`(?s)<p class="meta" role="status">(.*?)</p>`)
)

// auditRows is the rows of an audit log page, each as its markup.
func auditRows(page string) []string {
	m := auditRowRe.FindStringSubmatch(page)
	if m == nil {
		return nil
	}
	return strings.Split(m[1], "<tr>")[1:]
}

// An editor's changes, seen by an admin in the audit log: each entry links to what it
// changed; the log filters by editor, kind of change and dates through a GET form that keeps
// what was typed and says what is wrong with it; a claim's new statement and a source's new
// text show the words changed; and a long log comes a page at a time.
func TestAuditLogLinksFiltersAndDiffs(t *testing.T) {
	s := newSite(t, withEditor())
	ctx := t.Context()
	if _, err := s.st.CreateUser(ctx, nil, "admin@example.org", "Ad", "admin", testPassword); err != nil {
		t.Fatal(err)
	}
	admin := s.signIn(t, "admin@example.org", testPassword, http.StatusSeeOther)
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := admin.Get(s.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, readBody(resp)
	}

	// The editor's changes, through the admin.
	const src = "an-audited-source"
	if status, _ := s.post(t, s.client, "/admin/sources", url.Values{"title": {"An audited source"}, "kind": {"analysis"},
		"text": {"The first paragraph stays.\n\nThe allies will consider guarantees for Ukraine."}}); status != http.StatusSeeOther {
		t.Fatalf("save the draft: status %d", status)
	}
	_, blocks, err := s.st.SourceOrDraft(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	claim := url.Values{"block": {blocks[1].Key}, "quote": {"consider guarantees"}, "statement": {"The allies will consider guarantees."},
		"kind": {"paraphrase"}, "speaker": {"author"}, "evidence": {"inferred"}, "holder": {"ukraine"}, "stance-us-role": {"for"}}
	if status, body := s.post(t, s.client, "/admin/sources/"+src+"/claims", claim); status != http.StatusSeeOther {
		t.Fatalf("save the claim: status %d\n%s", status, body)
	}
	claims, err := s.st.ClaimsOfSourceOrDraft(ctx, src)
	if err != nil || len(claims) != 1 {
		t.Fatalf("the claim: %v %v", claims, err)
	}
	slug := claims[0].Slug
	claim.Set("statement", "The allies will provide guarantees.")
	if status, body := s.post(t, s.client, "/admin/claims/"+slug+"/edit", claim); status != http.StatusSeeOther {
		t.Fatalf("edit the claim: status %d\n%s", status, body)
	}
	in := storetest.EditInput(t, s.st, src)
	blocks2 := in.Blocks
	blocks2[1].Text = "The allies will consider binding guarantees for Ukraine."
	if status, body := s.post(t, s.client, "/admin/sources/"+src+"/edit", editForm(in, blocks2)); status != http.StatusSeeOther {
		t.Fatalf("edit the source: status %d\n%s", status, body)
	}

	// Filtered to the editor's claim edits: one entry, linking to the claim, with the diff.
	status, page := get("/admin/audit?user=" + url.QueryEscape(editorEmail) + "&action=claim.update")
	if status != http.StatusOK {
		t.Fatalf("the filtered log: status %d", status)
	}
	rows := auditRows(page)
	if len(rows) != 1 || !strings.Contains(rows[0], "claim.update") {
		t.Fatalf("the editor's claim edits: %d rows\n%s", len(rows), strings.Join(rows, "\n"))
	}
	if !strings.Contains(rows[0], "<del>consider</del>") || !strings.Contains(rows[0], "<ins>provide</ins>") {
		t.Errorf("the claim edit shows no word diff:\n%s", rows[0])
	}
	if !strings.Contains(page, `<option value="claim.update" selected>`) || !strings.Contains(page, `<option value="`+editorEmail+`" selected>`) {
		t.Error("the filter form does not keep the filters chosen")
	}
	followed := 0
	for _, m := range auditHrefRe.FindAllStringSubmatch(rows[0], -1) {
		u := html.UnescapeString(m[1])
		if code, body := get(u); code != http.StatusOK {
			t.Errorf("the entry's link %s: status %d", u, code)
		} else if strings.Contains(u, "/edit") && !strings.Contains(body, "The allies will provide guarantees.") {
			t.Errorf("the entry's link %s does not lead to the claim", u)
		}
		followed++
	}
	if followed < 2 || !strings.Contains(rows[0], `href="/admin/claims/`+slug+`/edit"`) {
		t.Errorf("the entry links to %d places, want the claim and its history:\n%s", followed, rows[0])
	}

	// The source's revision: a link to the source and the words put in.
	_, page = get("/admin/audit?action=source.revise")
	rows = auditRows(page)
	if len(rows) != 1 || !strings.Contains(rows[0], `href="/admin/sources/`+src+`"`) || !strings.Contains(rows[0], "<ins>binding") {
		t.Errorf("the source's revision:\n%s", strings.Join(rows, "\n"))
	}

	// Dates: today has them all, a day long ago none.
	today := time.Now().UTC().Format(time.DateOnly)
	_, page = get("/admin/audit?user=" + url.QueryEscape(editorEmail) + "&from=" + today + "&to=" + today)
	if n := len(auditRows(page)); n != 4 {
		t.Errorf("the editor's changes today: %d rows, want 4 (source, claim, claim edit, source edit)", n)
	}
	_, page = get("/admin/audit?from=2001-01-01&to=2001-01-02")
	if n := len(auditRows(page)); n != 0 || !strings.Contains(text(auditCountRe.FindString(page)), "0 changes match these filters") {
		t.Errorf("a day long ago: %d rows, %q", n, text(auditCountRe.FindString(page)))
	}

	// Bad filters: 422, the message by the field, the input kept.
	for q, want := range map[string][]string{
		"from=31%2F12%2F2026":           {`"31/12/2026" is not a date: write it as YYYY-MM-DD`, `value="31/12/2026"`},
		"from=2026-03-02&to=2026-03-01": {"the last day, 2026-03-01, comes before the first, 2026-03-02", `value="2026-03-01"`},
		"user=nobody%40example.org":     {"no change in the log was made by", `<option value="nobody@example.org" selected>`},
		"action=claim.explode":          {"there is no kind of change", `<option value="claim.explode" selected>`},
		"page=two&action=claim.update":  {"the page is a whole number from 1", `<option value="claim.update" selected>`},
	} {
		code, body := get("/admin/audit?" + q)
		if code != http.StatusUnprocessableEntity {
			t.Errorf("?%s: status %d, want 422", q, code)
		}
		for _, w := range want {
			if !strings.Contains(html.UnescapeString(body), html.UnescapeString(w)) {
				t.Errorf("?%s: the page lacks %q", q, w)
			}
		}
	}

	// A long log, a page at a time: 60 more changes, and page 2 reached by its link.
	for i := range 60 {
		if err := s.st.AddAlias(ctx, nil, "ukraine", fmt.Sprintf("Alias %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	_, page = get("/admin/audit?action=actor.alias")
	if n := len(auditRows(page)); n != 50 {
		t.Errorf("page 1: %d rows, want 50", n)
	}
	next := regexp.MustCompile(`href="(/admin/audit\?action=actor.alias&amp;page=2)"`).FindStringSubmatch(page)
	if next == nil {
		t.Fatal("page 1 has no link to page 2")
	}
	code, page := get(html.UnescapeString(next[1]))
	if n := len(auditRows(page)); code != http.StatusOK || n != 10 || !strings.Contains(page, "Alias 0") {
		t.Errorf("page 2: status %d, %d rows, want 10 ending with the first alias", code, n)
	}
	if code, _ := get("/admin/audit?action=actor.alias&page=3"); code != http.StatusNotFound {
		t.Errorf("page 3 of 2: status %d, want 404", code)
	}
}
