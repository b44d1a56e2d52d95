package web_test

import (
	"html"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/sourcebook/sourcebook/store/corpus"
)

// previewState is what a browser would send back from an intake preview: the keep box and
// fingerprint of every block, as the page rendered them.
type previewState struct {
	seen  []string
	keep  []bool
	flag  []string // the reason shown on each block, "" for none
	text  []string
	body  string
	rtext string // the text area's content
}

var (
	intakeItemRe = regexp.MustCompile(`(?s)<li class="block [a-z]+( flagged)?" id="intake-(\d+)">.*?name="seen-\d+" value="([0-9a-f]+)">.*?name="keep-\d+" value="1"( checked)?>.*?</select>\s*(?:<span class="flag">Looks like ([^<]*)<span class="cue">.*?</span></span>)?\s*</div><p class="block-text">(.*?)</p>`)
	textAreaRe   = regexp.MustCompile(`(?s)<textarea id="text" name="text"[^>]*>(.*?)</textarea>`)
)

func parsePreview(t *testing.T, body string) previewState {
	t.Helper()
	st := previewState{body: body}
	for i, m := range intakeItemRe.FindAllStringSubmatch(body, -1) {
		if n, _ := strconv.Atoi(m[2]); n != i {
			t.Fatalf("preview block %d is numbered %d", i, n)
		}
		st.seen = append(st.seen, m[3])
		st.keep = append(st.keep, m[4] != "")
		st.flag = append(st.flag, html.UnescapeString(m[5]))
		st.text = append(st.text, html.UnescapeString(m[6]))
	}
	if m := textAreaRe.FindStringSubmatch(body); m != nil {
		st.rtext = html.UnescapeString(m[1])
	}
	if len(st.seen) == 0 {
		t.Fatalf("the preview lists no blocks:\n%.2000s", body)
	}
	return st
}

// form is what the browser posts back: the metadata, the text as the page now shows it, and
// each block's choice.
func (st previewState) form(meta url.Values) url.Values {
	f := url.Values{}
	for k, v := range meta {
		f[k] = v
	}
	f.Set("text", st.rtext)
	for i := range st.seen {
		f.Set("seen-"+strconv.Itoa(i), st.seen[i])
		if st.keep[i] {
			f.Set("keep-"+strconv.Itoa(i), "1")
		}
	}
	return f
}

func (st previewState) find(t *testing.T, prefix string) int {
	t.Helper()
	for i, x := range st.text {
		if strings.HasPrefix(x, prefix) {
			return i
		}
	}
	t.Fatalf("no block starts %q", prefix)
	return -1
}

// An editor pastes seed 002 as captured, sees the clutter flagged with its reasons, drops the
// two teaser lines the classifier missed, merges two paragraphs, splits one, and saves: the
// draft has exactly the kept blocks, and its notes say what was dropped.
func TestPastedCaptureIsCleanedInThePreview(t *testing.T) {
	s := newSite(t, withEditor())
	raw, err := fs.ReadFile(corpus.Files, "seeds/002_689002bf331f3d48.txt")
	if err != nil {
		t.Fatal(err)
	}
	meta := url.Values{"title": {"Loose, abstract talk of 'guarantees' could sink Ukraine peace"},
		"subtitle": {"In the case of peacekeepers and post-war security, we need more clarity about what both sides will accept — now — to get to a deal"},
		"kind":     {"analysis"}, "language": {"en"}, "notes": {"Pasted from a capture of the page."}}
	first := url.Values{"text": {string(raw)}}
	for k, v := range meta {
		first[k] = v
	}
	status, body := s.post(t, s.client, "/admin/sources/preview", first)
	if status != http.StatusOK {
		t.Fatalf("preview: status %d\n%.3000s", status, body)
	}
	st := parsePreview(t, body)
	if len(st.text) != 53 {
		t.Errorf("the capture splits into %d blocks at its line breaks, want 53", len(st.text))
	}
	flagged := 0
	for _, f := range st.flag {
		if f != "" {
			flagged++
		}
	}
	if flagged < 30 {
		t.Errorf("only %d blocks flagged", flagged)
	}
	for prefix, reason := range map[string]string{
		"Follow us on social":                  "share or call to action",
		"google cta":                           "share or call to action",
		"Loose, abstract talk":                 "repeated title, byline, dateline or caption",
		"Analysis | Europe":                    "navigation or label",
		"Last year, Texas banned":              "teaser of another article",
		"Subscribe now to our weekly round-up": "newsletter box",
	} {
		i := st.find(t, prefix)
		if st.flag[i] != reason || st.keep[i] {
			t.Errorf("block %q: flagged %q, kept %v; want %q and not kept", prefix, st.flag[i], st.keep[i], reason)
		}
	}
	for i, x := range st.text {
		if strings.HasPrefix(x, "President Trump's meetings") || strings.HasPrefix(x, "The security concerns at play") {
			if st.flag[i] != "" || !st.keep[i] {
				t.Errorf("article paragraph %q flagged %q", x[:30], st.flag[i])
			}
		}
	}
	if !strings.Contains(body, "On saving, the notes will record:") {
		t.Error("the preview does not say what the notes will record")
	}

	// Drop the two lines of a teaser the classifier did not flag.
	for _, prefix := range []string{"Top image credit: Photo agency", "Why Texas should invite"} {
		i := st.find(t, prefix)
		if !st.keep[i] {
			t.Fatalf("%q was already dropped", prefix)
		}
		st.keep[i] = false
	}
	// Merge the first two paragraphs.
	m := st.find(t, "President Trump's meetings")
	f := st.form(meta)
	f.Set("op", "merge-"+strconv.Itoa(m))
	status, body = s.post(t, s.client, "/admin/sources/preview", f)
	if status != http.StatusOK {
		t.Fatalf("merge: status %d", status)
	}
	st = parsePreview(t, body)
	if len(st.text) != 52 || !strings.HasPrefix(st.text[m], "President Trump's meetings") || !strings.HasSuffix(st.text[m], "European leaders in attendance.") {
		t.Fatalf("after merging: %d blocks, block %d is %.60q…", len(st.text), m, st.text[m])
	}
	for _, prefix := range []string{"Top image credit: Photo agency", "Why Texas should invite"} {
		if st.keep[st.find(t, prefix)] {
			t.Errorf("merging forgot that %q was dropped", prefix)
		}
	}
	// Split "This proposal is not new. Indeed, ..." before its second sentence, with the
	// button the preview offers.
	sp := st.find(t, "This proposal is not new.")
	op := regexp.MustCompile(`value="(split-` + strconv.Itoa(sp) + `-\d+)"[^>]*>Split before “Indeed, it harkens`).FindStringSubmatch(body)
	if op == nil {
		t.Fatal("no button splits the paragraph before “Indeed”")
	}
	f = st.form(meta)
	f.Set("op", op[1])
	status, body = s.post(t, s.client, "/admin/sources/preview", f)
	if status != http.StatusOK {
		t.Fatalf("split: status %d", status)
	}
	st = parsePreview(t, body)
	if len(st.text) != 53 || st.text[sp] != "This proposal is not new." || !strings.HasPrefix(st.text[sp+1], "Indeed, it harkens back") || !st.keep[sp+1] {
		t.Fatalf("after splitting: %d blocks, %q then %.40q", len(st.text), st.text[sp], st.text[sp+1])
	}
	kept := 0
	for _, k := range st.keep {
		if k {
			kept++
		}
	}

	// Save, and follow the redirect to the draft.
	resp, err := s.client.PostForm(s.URL+"/admin/sources", st.form(meta))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/sources/") {
		t.Fatalf("save: status %d, redirect to %q", resp.StatusCode, loc)
	}
	status, page := s.getAs(t, s.client, loc)
	if status != http.StatusOK {
		t.Fatalf("the draft's page: status %d", status)
	}
	if !strings.Contains(page, "Saved as a draft") || !strings.Contains(page, "This proposal is not new.") {
		t.Errorf("the draft's page does not show the saved text")
	}
	src, blocks, err := s.st.SourceOrDraft(t.Context(), strings.TrimPrefix(loc, "/admin/sources/"))
	if err != nil {
		t.Fatal(err)
	}
	if len(blocks) != kept || kept != 14 {
		t.Errorf("the draft has %d blocks, the preview kept %d; want 14 (the 13 paragraphs and the article's image credit, two merged, one split)", len(blocks), kept)
	}
	var texts []string
	for _, b := range blocks {
		texts = append(texts, b.Text)
	}
	all := strings.Join(texts, "\n")
	for _, gone := range []string{"google cta", "Follow us", "Xi Jinping", "Photo agency", "Subscribe now", "keep reading"} {
		if strings.Contains(all, gone) {
			t.Errorf("the draft keeps %q", gone)
		}
	}
	if !strings.HasPrefix(texts[0], "President Trump's meetings") || !strings.HasSuffix(texts[0], "European leaders in attendance.") ||
		texts[1] != "This proposal is not new." || !strings.HasPrefix(texts[2], "Indeed, it harkens back") {
		t.Errorf("the draft begins %.50q | %.50q | %.50q", texts[0], texts[1], texts[2])
	}
	for _, want := range []string{"Pasted from a capture of the page.", "Dropped at intake: 39 of 53 blocks of the pasted text (",
		"share or call to action", "teaser of another article", "newsletter box", "not flagged, dropped by the editor 2",
		"“Follow us on social”", "“Why Texas should invite Xi Jinping to a…”", "“Top image credit: Photo agency and Lev Radin…”"} {
		if !strings.Contains(src.Notes, want) {
			t.Errorf("the notes do not say %q:\n%s", want, src.Notes)
		}
	}
}

// A save posted without a preview (a script, a form from before intake review) keeps every
// block: nothing is dropped that nobody saw flagged.
func TestSaveWithoutPreviewDropsNothing(t *testing.T) {
	s := newSite(t, withEditor())
	status, _ := s.post(t, s.client, "/admin/sources", url.Values{"title": {"Unreviewed"}, "kind": {"analysis"},
		"text": {"Follow us on social\n\nA paragraph of the article, which says something plainly."}})
	if status != http.StatusSeeOther {
		t.Fatalf("save: status %d", status)
	}
	src, blocks, err := s.st.SourceOrDraft(t.Context(), "unreviewed")
	if err != nil {
		t.Fatal(err)
	}
	if len(blocks) != 2 || strings.Contains(src.Notes, "Dropped") {
		t.Errorf("%d blocks saved, notes %q", len(blocks), src.Notes)
	}
}

// An operation on a block that is not there any more is refused with a message, not a 500.
func TestPreviewRefusesAnOperationOnAMissingBlock(t *testing.T) {
	s := newSite(t, withEditor())
	for _, op := range []string{"merge-7", "split-0-3", "explode-1", "merge-x"} {
		status, body := s.post(t, s.client, "/admin/sources/preview", url.Values{"title": {"T"}, "kind": {"analysis"},
			"text": {"One paragraph here. Another sentence."}, "op": {op}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "preview again") && !strings.Contains(body, "not something the preview can do") {
			t.Errorf("op %q: status %d", op, status)
		}
	}
}

// getAs GETs path as client c and reads the answer whole.
func (s site) getAs(t *testing.T, c *http.Client, path string) (int, string) {
	t.Helper()
	resp, err := c.Get(s.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
