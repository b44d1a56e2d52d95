package web_test

import (
	"bytes"
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/chromedp/chromedp"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/store/selector"
)

// The text an editor pastes: the first two paragraphs run together (a single line break,
// no blank line), and a third paragraph whose quoted words come after an emoji, so that
// their offsets in UTF-16 code units (what a DOM Range counts) and in code points (what the
// store keeps) differ.
const (
	adminPara1  = "The parties reaffirm their commitment to respect the borders of Ukraine."
	adminPara2  = "They will consult if a question arises."
	adminPara3  = "They promise aid 🇺🇦 to the Élysée talks and to Ukraine."
	adminQuote  = "to the Élysée talks"
	adminTitle  = "A short memorandum"
	adminClaim  = "The parties want the Élysée talks supported"
	adminEmail  = editorEmail
	adminAdded  = "A paragraph added in the revision."
	adminPara3b = "They pledge aid 🇺🇦 to the Élysée talks and to Kyiv."
)

// adminBlock is a passage as the annotation page shows it.
type adminBlock struct {
	Key   string `json:"key"`
	Text  string `json:"text"` // data-text: the block's text as stored
	Shown string `json:"shown"`
}

// adminSelection is what selecting words in a passage left in the claim form.
type adminSelection struct {
	Error    string `json:"error"`
	Selected string `json:"selected"`
	Block    string `json:"block"`
	Quote    string `json:"quote"`
	Start16  string `json:"start16"`
	End16    string `json:"end16"`
}

// adminPassage is what a public passage permalink shows.
type adminPassage struct {
	Current    string   `json:"current"`
	Marks      []string `json:"marks"`
	Statements []string `json:"statements"`
	Revised    string   `json:"revised"`
}

// TestAdminBrowser drives the admin in a real Chromium as an editor does: sign in, paste a
// text, fix its split in the preview, save, publish, select words after an emoji to quote
// them in a claim, then revise the text and check that the public permalink still resolves.
func TestAdminBrowser(t *testing.T) {
	began := time.Now()
	browser := startBrowser(t)
	srv := newSite(t, withEditor()) // the account adminEmail, testPassword
	st := srv.st
	base := srv.URL
	ctx := tab(t, browser)

	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(what, js string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		must(what, err)
		return s
	}
	// submit clicks a button that submits a form and waits for the page it leads to. A click
	// is a mouse event at a point on the screen: if the form would not submit (a required
	// field empty) or something else is drawn at that point (a sticky panel over the button),
	// the click starts no navigation, and waiting for one only ends at the test's deadline,
	// where the earlier "preview the split: context deadline exceeded" came from. So first
	// the button is put in the middle of the window and checked to be what a click there
	// reaches, and the form to be valid; a failure then says which.
	submit := func(what, button string) {
		t.Helper()
		state := eval(what+": find the button", `(() => {
			const b = document.querySelector(`+jsString(button)+`);
			if (!b) return "there is no such button";
			const bad = b.form ? [...b.form.elements].filter(e => e.willValidate && !e.checkValidity()).map(e => e.name || e.id) : [];
			if (bad.length) return "the form would not submit; invalid: " + bad.join(", ");
			b.scrollIntoView({block: "center"});
			const r = b.getBoundingClientRect();
			const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
			return top === b || b.contains(top) ? "ok" : "the button is covered by " + (top ? top.outerHTML.slice(0, 120) : "nothing");
		})()`)
		if state != "ok" {
			t.Fatalf("%s: %s", what, state)
		}
		resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(button)))
		must(what, err)
		if resp.Status != 200 {
			t.Fatalf("%s: the page after %s answered %d", what, resp.URL, resp.Status)
		}
	}
	open := func(path string) {
		t.Helper()
		resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(base+path))
		must("open "+path, err)
		if resp.Status != 200 {
			t.Fatalf("%s answered %d, want 200", path, resp.Status)
		}
	}
	location := func() *url.URL {
		t.Helper()
		loc, err := chromedp.Run(ctx, chromedp.Location())
		must("read the location", err)
		u, err := url.Parse(loc)
		must("parse the location", err)
		return u
	}

	// 1. Sign in: /admin/ sends a visitor to the sign-in page, which sends them back.
	must("emulate the viewport", chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)))
	open("/admin/")
	if u := location(); u.Path != "/admin/login" {
		t.Fatalf("/admin/ without a session landed on %s, want the sign-in page", u)
	}
	must("fill in the sign-in form", chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#email"), adminEmail),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword)))
	submit("sign in", `form[action="/admin/login"] button[type=submit]`)
	if u := location(); strings.TrimSuffix(u.Path, "/") != "/admin" {
		t.Fatalf("signing in landed on %s, want /admin", u)
	}
	if h1 := eval("read the heading", `document.querySelector("h1")?.textContent.trim() ?? ""`); h1 != "Sources" {
		t.Errorf("the admin front page's heading is %q, want Sources", h1)
	}

	// 2. Add a source; the preview shows the run-together paragraphs as one block, the editor
	// adds the missing blank line, previews again and saves.
	open("/admin/sources/new")
	must("fill in the source form", chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#title"), adminTitle),
		chromedp.SetValue(chromedp.CSS("select#kind"), "primary-document"),
		chromedp.SetValue(chromedp.CSS("#text"), adminPara1+"\n"+adminPara2+"\n\n"+adminPara3)))
	preview := func(want int) []string {
		t.Helper()
		submit("preview the split", `button[formaction="/admin/sources/preview"]`)
		blocks, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
			`[...document.querySelectorAll("ol.preview-blocks > li .body > p")].map(p => p.textContent)`))
		must("read the preview", err)
		heading := eval("read the preview heading", `document.getElementById("h-preview")?.textContent.trim() ?? ""`)
		if len(blocks) != want || heading != "Preview: "+strconv.Itoa(want)+" blocks" {
			t.Fatalf("the preview (%q) shows %d blocks, want %d: %q", heading, len(blocks), want, blocks)
		}
		return blocks
	}
	if blocks := preview(2); blocks[0] != adminPara1+" "+adminPara2 {
		t.Errorf("the run-together block is %q", blocks[0])
	}
	// Put the caret at the end of the first line and press Enter: a blank line.
	at := eval("put the caret after the first sentence", `(() => {
		const ta = document.getElementById("text"), i = ta.value.indexOf("\n"+`+jsString(adminPara2)+`);
		if (i < 0) return "not found in " + JSON.stringify(ta.value);
		ta.focus();
		ta.setSelectionRange(i, i);
		return "ok";
	})()`)
	if at != "ok" {
		t.Fatalf("the textarea after the preview: the second sentence is %s", at)
	}
	must("press Enter", chromedp.Do(ctx, chromedp.KeyEvent("\n")))
	if v := eval("read the text", `document.getElementById("text").value`); !strings.Contains(v, adminPara1+"\n\n"+adminPara2) {
		t.Fatalf("pressing Enter did not make a blank line: %q", v)
	}
	if blocks := preview(3); blocks[0] != adminPara1 || blocks[1] != adminPara2 || blocks[2] != adminPara3 {
		t.Errorf("the fixed split is %q", blocks)
	}
	if kind := eval("read the kind", `document.getElementById("kind").value`); kind != "primary-document" {
		t.Errorf("the preview lost the kind: %q", kind)
	}
	submit("save as draft", `button[formaction="/admin/sources"]`)
	slug, ok := strings.CutPrefix(location().Path, "/admin/sources/")
	if !ok || slug == "" || strings.Contains(slug, "/") {
		t.Fatalf("saving the draft landed on %s, want the source's admin page", location())
	}
	t.Logf("saved as %s", slug)

	// 3. Publish it.
	submit("publish", `form[action="/admin/sources/`+slug+`/publish"] button[type=submit]`)
	if k := eval("read the status", `document.querySelector("p.kicker")?.textContent ?? ""`); !strings.HasPrefix(strings.TrimSpace(k), "published") {
		t.Fatalf("after Publish the source's status reads %q", k)
	}

	// 4. Select words after the emoji in the third passage and save a claim quoting them.
	blocks, err := chromedp.Run(ctx, chromedp.Evaluate[[]adminBlock](
		`[...document.querySelectorAll("ol.annotatable p.block-text[data-key]")].map(p => ({key: p.dataset.key, text: p.dataset.text, shown: p.textContent}))`))
	must("read the passages", err)
	if len(blocks) != 3 {
		t.Fatalf("the annotation page shows %d passages, want 3: %+v", len(blocks), blocks)
	}
	third := blocks[2]
	if third.Text != adminPara3 || third.Shown != adminPara3 {
		t.Fatalf("the third passage is %q (shown as %q), want %q", third.Text, third.Shown, adminPara3)
	}
	i := strings.Index(adminPara3, adminQuote)
	want16 := len(utf16.Encode([]rune(adminPara3[:i])))
	wantCP := utf8.RuneCountInString(adminPara3[:i])
	if want16 == wantCP {
		t.Fatal("the quote's UTF-16 and code-point offsets agree, so this tests no conversion")
	}
	sel, err := chromedp.Run(ctx, chromedp.Evaluate[adminSelection](`(() => {
		const p = document.querySelector("ol.annotatable p.block-text[data-key=" + CSS.escape(`+jsString(third.Key)+`) + "]");
		const want = `+jsString(adminQuote)+`;
		const at = p.textContent.indexOf(want);
		if (at < 0) return {error: "the words are not in " + p.textContent};
		// A Range over the words, across however many text nodes render the passage.
		const range = document.createRange();
		const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
		let pos = 0, started = false, ended = false;
		for (let n = walker.nextNode(); n && !ended; n = walker.nextNode()) {
			const len = n.data.length;
			if (!started && at < pos + len) { range.setStart(n, at - pos); started = true; }
			if (started && at + want.length <= pos + len) { range.setEnd(n, at + want.length - pos); ended = true; }
			pos += len;
		}
		if (!ended) return {error: "no range over the words"};
		const s = getSelection();
		s.removeAllRanges();
		s.addRange(range);
		p.scrollIntoView({block: "center"});
		const r = range.getBoundingClientRect();
		p.dispatchEvent(new MouseEvent("mouseup", {bubbles: true, cancelable: true, view: window, button: 0,
			clientX: r.right, clientY: r.top + r.height / 2}));
		const f = document.getElementById("claim-form").elements;
		return {selected: s.toString(), block: f.block.value, quote: f.quote.value, start16: f.start16.value, end16: f.end16.value};
	})()`))
	must("select the words", err)
	if sel.Error != "" {
		t.Fatalf("select the words: %s", sel.Error)
	}
	t.Logf("selected %q: block %s, quote %q, start16 %s, end16 %s", sel.Selected, sel.Block, sel.Quote, sel.Start16, sel.End16)
	if sel.Selected != adminQuote {
		t.Fatalf("the selection holds %q, want %q", sel.Selected, adminQuote)
	}
	if sel.Quote != adminQuote || sel.Block != third.Key {
		t.Errorf("after the selection the form has quote %q in passage %q, want %q in %q", sel.Quote, sel.Block, adminQuote, third.Key)
	}
	if sel.Start16 != strconv.Itoa(want16) || sel.End16 != strconv.Itoa(want16+len(utf16.Encode([]rune(adminQuote)))) {
		t.Errorf("after the selection the form has start16 %q, end16 %q; want %d, %d (UTF-16 code units)",
			sel.Start16, sel.End16, want16, want16+len(utf16.Encode([]rune(adminQuote))))
	}
	must("fill in the claim", chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#statement"), adminClaim),
		chromedp.Click(chromedp.CSS(`input[name="evidence"][value="own-words"]`)),
		chromedp.SetValue(chromedp.CSS(`select[name="stance-us-role"]`), "for"),
		chromedp.SetValue(chromedp.CSS(`#speaker`), "united-states"))) // a quote has a speaker, never the author by default
	if q := eval("read the quote", `document.getElementById("quote").value`); q != adminQuote {
		t.Errorf("typing the statement changed the quote to %q", q)
	}
	submit("save the claim", `#claim-form .save-bar button[name=save]`)
	if u := location(); u.Path != "/admin/sources/"+slug {
		errs := eval("read the errors", `[...document.querySelectorAll(".field-error, .notice")].map(e => e.textContent.trim()).join("; ")`)
		t.Fatalf("saving the claim landed on %s: %s", u, errs)
	}
	claims, err := st.ClaimsOfSourceOrDraft(t.Context(), slug)
	must("read the claims", err)
	if len(claims) != 1 || len(claims[0].Citations) != 1 {
		t.Fatalf("the source has %d claims (%+v), want 1 with 1 citation", len(claims), claims)
	}
	checkCitation := func(when string, ct store.Citation, text string, rev int) {
		t.Helper()
		if ct.Exact != adminQuote || ct.Block.Key != third.Key || ct.Status != "anchored" || ct.Block.Rev != rev {
			t.Errorf("%s: the citation quotes %q in %s rev %d (%s), want %q in %s rev %d (anchored)",
				when, ct.Exact, ct.Block.Key, ct.Block.Rev, ct.Status, adminQuote, third.Key, rev)
		}
		if ct.Block.Text != text {
			t.Errorf("%s: the cited passage is %q, want %q", when, ct.Block.Text, text)
		}
		got, ok := selector.Slice(ct.Block.Text, selector.Position{Start: ct.Start, End: ct.End})
		if !ok || got != adminQuote {
			t.Errorf("%s: the citation's code points [%d, %d) hold %q, want %q", when, ct.Start, ct.End, got, adminQuote)
		}
		wantStart := utf8.RuneCountInString(text[:strings.Index(text, adminQuote)])
		if ct.Start != wantStart || ct.End != wantStart+utf8.RuneCountInString(adminQuote) {
			t.Errorf("%s: the citation is at code points [%d, %d), want [%d, %d)",
				when, ct.Start, ct.End, wantStart, wantStart+utf8.RuneCountInString(adminQuote))
		}
	}
	c := claims[0]
	if c.Statement != adminClaim || c.StanceOn("us-role") != "for" {
		t.Errorf("the claim is %q with stance %q on us-role", c.Statement, c.StanceOn("us-role"))
	}
	checkCitation("after the selection", c.Citations[0], adminPara3, 1)

	// 5. The public permalink shows the claim and marks the quote.
	permalink := "/sources/" + slug + "/" + third.Key
	readPassage := func(path string) adminPassage {
		t.Helper()
		open(path)
		p, err := chromedp.Run(ctx, chromedp.Evaluate[adminPassage](`(() => ({
			current: document.querySelector("li.current .body")?.textContent.trim() ?? "",
			marks: [...document.querySelectorAll("li.current mark.cited")].map(m => m.textContent.trim()),
			statements: [...document.querySelectorAll("article.claim p.statement")].map(p => p.textContent.trim()),
			revised: document.querySelector("p.notice.revised")?.textContent.trim().replace(/\s+/g, " ") ?? "",
		}))()`))
		must("read "+path, err)
		return p
	}
	checkPassage := func(path string, p adminPassage, text string) {
		t.Helper()
		if p.Current != text {
			t.Errorf("%s shows %q, want %q", path, p.Current, text)
		}
		if len(p.Statements) != 1 || p.Statements[0] != adminClaim {
			t.Errorf("%s lists the claims %q, want %q", path, p.Statements, adminClaim)
		}
		if len(p.Marks) != 1 || p.Marks[0] != adminQuote {
			t.Errorf("%s marks %q, want %q", path, p.Marks, adminQuote)
		}
	}
	p := readPassage(permalink)
	checkPassage(permalink, p, adminPara3)
	if p.Revised != "" {
		t.Errorf("%s says it is revised before any revision: %q", permalink, p.Revised)
	}

	// 6. Revise the text: reword the quoted passage around the quote and put a new paragraph
	// before it. The permalink still resolves, to the new wording; ?rev=1 shows the old one.
	open("/admin/sources/" + slug + "/edit")
	text := eval("read the text", `document.getElementById("text").value`)
	keyed := adminPara3 + " {#" + third.Key + "}"
	if !strings.Contains(text, keyed) {
		t.Fatalf("the edit form's text lacks %q:\n%s", keyed, text)
	}
	text = strings.Replace(text, keyed, adminAdded+"\n\n"+adminPara3b+" {#"+third.Key+"}", 1)
	must("edit the text", chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS("#text"), text)))
	submit("save a new revision", `form[action="/admin/sources/`+slug+`/edit"] button[type=submit]`)
	if u := location(); u.Path != "/admin/sources/"+slug {
		errs := eval("read the errors", `[...document.querySelectorAll(".field-error, .notice")].map(e => e.textContent.trim()).join("; ")`)
		t.Fatalf("saving the revision landed on %s: %s", u, errs)
	}
	t.Logf("revised: %s", eval("read the flash", `document.querySelector(".flash")?.textContent.trim() ?? ""`))
	claims, err = st.ClaimsOfSourceOrDraft(t.Context(), slug)
	must("read the claims", err)
	if len(claims) != 1 || len(claims[0].Citations) != 1 {
		t.Fatalf("after the revision the source has %d claims, want 1 with 1 citation", len(claims))
	}
	checkCitation("after the revision", claims[0].Citations[0], adminPara3b, 2)
	if pos := claims[0].Citations[0].Block.Position; pos != 4 {
		t.Errorf("after the revision the cited passage is ¶ %d, want ¶ 4", pos)
	}

	p = readPassage(permalink)
	checkPassage(permalink+" after the revision", p, adminPara3b)
	old := readPassage(permalink + "?rev=1")
	if old.Current != adminPara3 {
		t.Errorf("%s?rev=1 shows %q, want the original %q", permalink, old.Current, adminPara3)
	}
	if !strings.Contains(old.Revised, "revision 1") || !strings.Contains(old.Revised, "since been revised") {
		t.Errorf("%s?rev=1 is not marked as revised: notice %q", permalink, old.Revised)
	}
	if len(old.Statements) != 1 || old.Statements[0] != adminClaim {
		t.Errorf("%s?rev=1 lists the claims %q, want %q", permalink, old.Statements, adminClaim)
	}

	// 7. A screenshot of the annotation page, with its claim.
	dir := os.Getenv("SOURCEBOOK_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	}
	must("make the artifacts directory", os.MkdirAll(dir, 0o755))
	open("/admin/sources/" + slug)
	// The action rows keep their buttons: a <form> inside a <p> is closed out of it by the
	// HTML parser, which leaves the Publish and Delete buttons outside their rows.
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[[3]int](`[
		document.querySelectorAll('.actions > form[action$="/publish"]').length,
		document.querySelectorAll('.admin-claim .actions > form[action$="/delete"]').length,
		document.querySelectorAll('.admin-claim').length]`))
	must("read the action rows", err)
	if rows[0] != 1 || rows[1] != rows[2] {
		t.Errorf("the publish form is in %d action rows (want 1) and %d of %d claims' Delete forms are in theirs: "+
			"web/ui/admin_source.templ puts each <form> inside <p class=\"actions\">, which HTML does not allow", rows[0], rows[1], rows[2])
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100 means PNG
	must("screenshot the admin source page", err)
	cfg, err := png.DecodeConfig(bytes.NewReader(shot))
	must("decode the screenshot", err)
	name := filepath.Join(dir, "admin-source-1280.png")
	must("save the screenshot", os.WriteFile(name, shot, 0o644))
	t.Logf("%s: %dx%d; the whole walk took %v", name, cfg.Width, cfg.Height, time.Since(began).Round(time.Millisecond))
}
