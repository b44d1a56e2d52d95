package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// A control character typed into an admin form is refused over HTTP with a 422 whose page
// says which field holds it, and the form comes back with what the editor typed; nothing is
// saved. (store's TestEveryInputRefusesControlCharacters covers every field.)
func TestAdminFormsRefuseControlCharacters(t *testing.T) {
	s := newSite(t, withEditor())
	for _, c := range []struct {
		name, path string
		form       url.Values
		field      string // the input the error stands beside
		says, kept string
	}{
		{"ESC in a source's title", "/admin/sources", url.Values{"title": {"\x1b[31mRed title"}, "kind": {"analysis"},
			"language": {"en"}, "publisher": {"Kept Publisher"}, "text": {"Kept words of the text."}},
			"title", "in the title, character 1 is a control character, U+001B (ESC)", "\x1b[31mRed title"},
		{"NUL in a source's notes", "/admin/sources/preview", url.Values{"title": {"T"}, "kind": {"analysis"},
			"notes": {"Captured\x00 here"}, "text": {"x"}},
			"notes", "in the notes, character 9 is a control character, U+0000 (NUL)", "Captured\x00 here"},
		{"an override in an actor's name", "/admin/actors", url.Values{"name": {"Evil\u202Egnp.exe"}, "kind": {"person"}},
			"name", "in the name, character 5 is a bidirectional control, U+202E", "Evil\u202Egnp.exe"},
		{"ESC in a precedent's summary", "/admin/precedents", url.Values{"precedent_name": {"Kept name"},
			"precedent_kind": {"precedent"}, "precedent_summary": {"A \x1b]0;pwned\x07 summary"}},
			"precedent_summary", "in the precedent summary, character 3 is a control character, U+001B (ESC)", "A \x1b]0;pwned\x07 summary"},
	} {
		status, body := s.post(t, s.client, c.path, c.form)
		if status != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, want 422", c.name, status)
		}
		if !strings.Contains(body, `id="err-`+c.field+`"`) || !strings.Contains(body, c.says) {
			t.Errorf("%s: the page does not say, beside %s, %q", c.name, c.field, c.says)
		}
		if !strings.Contains(body, c.kept) {
			t.Errorf("%s: the form lost what was typed, %q", c.name, c.kept)
		}
	}
	if stats, err := s.st.Stats(t.Context()); err != nil || stats.Drafts != 0 {
		t.Errorf("a refused source was saved: %d drafts (%v)", stats.Drafts, err)
	}
}
