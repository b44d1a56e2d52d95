package web_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// htmlValidateConfig is the rule set: the standard HTML rules and the accessibility ones,
// with no exceptions, so a new page cannot bring back a label that assistive technology
// ignores, or an ARIA role where a native element belongs.
const htmlValidateConfig = `{"extends": ["html-validate:standard", "html-validate:a11y"]}`

// pageTypes is one page of every kind a reader can reach, the empty and failing ones included.
func pageTypes(t *testing.T, s site) []string {
	var positions []struct{ URL string }
	apiItems(t, s, "/api/positions", &positions)
	var claims []struct{ URL string }
	apiItems(t, s, "/api/claims?actor=russia", &claims)
	if len(positions) == 0 || len(claims) == 0 {
		t.Fatal("the seed corpus has no positions or claims")
	}
	return []string{"/", "/sources", "/sources?sort=title", "/sources/newsweek-putin-guarantees",
		"/sources/newsweek-putin-guarantees/aqlss5", "/sources/newsweek-putin-guarantees/aqlss5?rev=1",
		"/sources/newsweek-putin-guarantees/aqlss5/diff?from=1&to=1",
		"/actors", "/actors/steve-witkoff", "/actors/russia", "/issues", "/issues/binding-guarantees",
		"/matrix", positions[0].URL, claims[0].URL, "/precedents", "/precedents/budapest-1994",
		"/precedents/compare", "/timeline", "/search", "/search?q=Budapest", "/search?q=Witkof",
		"/search?q=Budapest&from=nineteen", "/no-such-page", "/admin/login"}
}

// TestPagesAreValidAccessibleHTML runs html-validate over every page type. It needs
// html-validate (npm); SOURCEBOOK_HTML_VALIDATE names its command.
func TestPagesAreValidAccessibleHTML(t *testing.T) {
	if testing.Short() {
		t.Skip("html-validate runs in the full suite")
	}
	cmd := os.Getenv("SOURCEBOOK_HTML_VALIDATE")
	if cmd == "" {
		skipOrFail(t, "SOURCEBOOK_HTML_VALIDATE is not set: point it at html-validate's command (npm install html-validate@9)")
	}
	s := newSite(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ".htmlvalidate.json"), []byte(htmlValidateConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{} // file → the page it holds
	for i, path := range pageTypes(t, s) {
		resp := s.get(t, path)
		body := resp.body
		name := filepath.Join(dir, fmt.Sprintf("page%02d.html", i))
		if err := os.WriteFile(name, body, 0o600); err != nil {
			t.Fatal(err)
		}
		files[name] = path
	}
	var names []string
	for name := range files {
		names = append(names, name)
	}
	run := exec.Command(cmd, append([]string{"--formatter", "json"}, names...)...)
	run.Dir = dir
	out, err := run.Output()
	if _, exited := err.(*exec.ExitError); err != nil && !exited {
		t.Fatalf("run %s: %v", cmd, err)
	}
	var results []struct {
		FilePath string
		Messages []struct {
			RuleID   string
			Message  string
			Severity int
			Selector string
		}
	}
	if err := json.Unmarshal(out, &results); err != nil {
		t.Fatalf("read html-validate's report: %v\n%s", err, out)
	}
	errors := 0
	for _, r := range results {
		path := files[filepath.Join(dir, filepath.Base(r.FilePath))]
		for _, m := range r.Messages {
			if m.Severity >= 2 {
				errors++
				t.Errorf("%s: [%s] %s at %s", path, m.RuleID, m.Message, m.Selector)
			}
		}
	}
	t.Logf("html-validate: %d pages, %d errors", len(files), errors)
	if strings.TrimSpace(string(out)) == "" && err != nil {
		t.Fatalf("html-validate failed without a report: %v", err)
	}
}
