package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/store/corpus"
)

// A passage with a minister's quote inside a journalist's sentence, and enough passages
// after it that the page scrolls.
const (
	formPara   = "The minister told reporters: \"No guarantee is worth anything without troops on the ground.\" The journalist's account ends there."
	formQuote  = "No guarantee is worth anything without troops on the ground."
	formClaim  = "Guarantees need troops on the ground, the minister says"
	formPerson = "Ivan Testovich"
)

// panelCheck is what the claim panel shows of one control at 1280×800.
type panelCheck struct {
	Name      string `json:"name"`
	Problem   string `json:"problem"`
	Selection string `json:"selection"`
}

// TestClaimFormBrowser walks the claim form in Chromium at 1280×800: select a quote; see
// that Save and every stance select are reachable by scrolling only the panel, with the
// selection kept; add the quote's speaker inline without leaving the page; save the claim
// with that speaker. Screenshots: the panel at 1280×800 and at 390 px, and the edit page's
// preview.
func TestClaimFormBrowser(t *testing.T) {
	browser := startBrowser(t)
	srv := newSite(t, withEditor())
	st, base, ctx := srv.st, srv.URL, tab(t, browser)
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
	open := func(path string) {
		t.Helper()
		resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(base+path))
		must("open "+path, err)
		if resp.Status != 200 {
			t.Fatalf("%s answered %d, want 200", path, resp.Status)
		}
	}
	dir := os.Getenv("SOURCEBOOK_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	}
	must("make the artifacts directory", os.MkdirAll(dir, 0o755))
	shot := func(name string, full bool) {
		t.Helper()
		var b []byte
		var err error
		if full {
			b, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
		} else {
			b, err = chromedp.Run(ctx, chromedp.CaptureScreenshot())
		}
		must("screenshot "+name, err)
		must("save "+name, os.WriteFile(filepath.Join(dir, name), b, 0o644))
		t.Logf("screenshot %s", filepath.Join(dir, name))
	}

	text := "## A report\n\n" + formPara + "\n\n"
	for i := 0; i < 12; i++ {
		text += "Another paragraph of the report, there to make the page longer than the window; it says nothing of note.\n\n"
	}
	slug, err := st.CreateSource(t.Context(), nil, store.SourceInput{Title: "A report with a quote", Kind: "news-report", Blocks: corpus.ParseText(text)})
	must("add the source", err)

	must("emulate 1280×800", chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)))
	open("/admin/login")
	must("sign in", chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#email"), editorEmail),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword)))
	_, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[action="/admin/login"] button[type=submit]`)))
	must("sign in", err)
	open("/admin/sources/" + slug)
	page := "/admin/sources/" + slug

	// 1. Select the minister's words.
	sel := eval("select the quote", `(() => {
		const p = [...document.querySelectorAll("ol.annotatable p.block-text[data-key]")].find(p => p.dataset.text.includes(`+jsString(formQuote)+`));
		if (!p) return "no passage holds the quote";
		const n = p.firstChild, at = n.data.indexOf(`+jsString(formQuote)+`);
		const range = document.createRange();
		range.setStart(n, at);
		range.setEnd(n, at + `+jsString(formQuote)+`.length);
		getSelection().removeAllRanges();
		getSelection().addRange(range);
		const r = range.getBoundingClientRect();
		p.dispatchEvent(new MouseEvent("mouseup", {bubbles: true, view: window, clientX: r.right, clientY: r.top + r.height / 2}));
		return document.getElementById("quote").value;
	})()`)
	if sel != formQuote {
		t.Fatalf("after selecting the words the quote field holds %q", sel)
	}
	if sp := eval("read the speaker", `document.getElementById("speaker").value`); sp != "" {
		t.Errorf("a new quote's speaker is %q before anyone chose it, want none", sp)
	}

	// 2. At 1280×800 Save is in view at once, and every stance select comes into view by
	// scrolling the panel alone: the window does not move, so the selection stays.
	checks, err := chromedp.Run(ctx, chromedp.Evaluate[[]panelCheck](`(() => {
		const panel = document.querySelector(".claim-form-wrap");
		const quote = `+jsString(formQuote)+`;
		const out = [];
		const visible = (el, name) => {
			const r = el.getBoundingClientRect();
			let problem = "";
			if (r.top < 0 || r.bottom > innerHeight || r.left < 0 || r.right > innerWidth) problem = "outside the window: " + JSON.stringify([r.top, r.bottom]) + " of " + innerHeight;
			else {
				const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
				if (top !== el && !el.contains(top)) problem = "covered by " + (top ? top.outerHTML.slice(0, 80) : "nothing");
			}
			out.push({name, problem, selection: getSelection().toString()});
		};
		const p = panel.getBoundingClientRect();
		if (p.bottom > innerHeight + 1) out.push({name: "panel", problem: "the panel ends below the window, at " + p.bottom});
		visible(document.querySelector("#claim-form .save-bar button[name=save]"), "Save, before any scrolling");
		const y = scrollY;
		for (const el of document.querySelectorAll("#claim-form select[name^=stance-]")) {
			// Scroll the panel, as a wheel over it does, until the select is above the Save bar.
			const bar = document.querySelector("#claim-form .save-bar").getBoundingClientRect();
			const r = el.getBoundingClientRect();
			if (r.bottom > bar.top) panel.scrollTop += r.bottom - bar.top + 8;
			if (r.top < p.top) panel.scrollTop -= p.top - r.top + 8;
			visible(el, el.name);
		}
		visible(document.querySelector("#claim-form .save-bar button[name=save]"), "Save, after scrolling");
		if (scrollY !== y) out.push({name: "window", problem: "scrolling the panel scrolled the page"});
		return out;
	})()`))
	must("check the panel", err)
	if len(checks) < 4 {
		t.Fatalf("the panel check found too little: %+v", checks)
	}
	for _, c := range checks {
		if c.Problem != "" {
			t.Errorf("at 1280×800, %s: %s", c.Name, c.Problem)
		}
		if c.Selection != "" && c.Selection != formQuote {
			t.Errorf("at 1280×800, %s: the selection became %q", c.Name, c.Selection)
		}
		if c.Name != "panel" && c.Name != "window" && c.Selection != formQuote {
			t.Errorf("at 1280×800, checking %s lost the selection (%q)", c.Name, c.Selection)
		}
	}
	must("scroll the panel back", chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector(".claim-form-wrap").scrollTop = 0`)))
	shot("claim-panel-1280x800.png", false)

	// 3. The speaker is not in the list: add them from the speaker's New actor box. A name
	// that is already an actor is refused where it was typed.
	addActor := func(role, name string) string {
		t.Helper()
		if eval("is the box open", `String(document.querySelector("details.new-actor[data-for=`+role+`]").open)`) != "true" {
			must("open the new-actor box", chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`details.new-actor[data-for=`+role+`] summary`))))
		}
		must("clear the name", chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("new-actor-name-`+role+`").value = ""; document.getElementById("err-new-actor-`+role+`").textContent = ""`)))
		must("type the name", chromedp.Do(ctx,
			chromedp.SendKeys(chromedp.CSS(`#new-actor-name-`+role), name),
			chromedp.Click(chromedp.CSS(`details.new-actor[data-for=`+role+`] button[name=add_actor]`))))
		// Wait for the answer: the select changes, or the box shows why not.
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`new Promise(resolve => {
			const check = () => {
				const err = document.getElementById("err-new-actor-`+role+`").textContent.trim();
				const v = document.getElementById("`+role+`").value;
				if (err) return resolve("error: " + err);
				if (v) return resolve(v);
				requestAnimationFrame(check);
			};
			check();
		})`, chromedp.EvalAwaitPromise))
		must("add "+name, err)
		return got
	}
	if got := addActor("speaker", "Steve Witkoff"); !strings.Contains(got, "is already an actor") {
		t.Errorf("adding an actor already there: %q, want a refusal", got)
	}
	if got := addActor("speaker", formPerson); got != "ivan-testovich" {
		t.Fatalf("after adding %s inline the speaker is %q", formPerson, got)
	}
	state := eval("read the page after adding", `JSON.stringify({
		path: location.pathname,
		quote: document.getElementById("quote").value,
		start16: document.getElementById("start16").value,
		selection: getSelection().toString(),
		holder: [...document.getElementById("holder").options].some(o => o.value === "ivan-testovich"),
		reporter: [...document.getElementById("reported_by").options].some(o => o.value === "ivan-testovich"),
		status: document.querySelector(".added-actor").textContent.trim(),
	})`)
	for _, want := range []string{`"path":"` + page + `"`, `"quote":` + jsString(formQuote), `"holder":true`, `"reporter":true`, `Added ` + formPerson} {
		if !strings.Contains(state, want) {
			t.Errorf("after adding the speaker inline, want %s in %s", want, state)
		}
	}
	if strings.Contains(state, `"start16":""`) {
		t.Errorf("adding the speaker lost the quote's offsets: %s", state)
	}

	// 4. Finish the claim and save it.
	must("fill in the claim", chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#statement"), formClaim),
		chromedp.Click(chromedp.CSS(`input[name="evidence"][value="own-words"]`)),
		chromedp.SetValue(chromedp.CSS(`select[name="stance-foreign-troops"]`), "for")))
	shot("claim-panel-filled-1280x800.png", false)
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#claim-form .save-bar button[name=save]`)))
	must("save the claim", err)
	if resp.Status != 200 {
		t.Fatalf("saving led to %s, %d", resp.URL, resp.Status)
	}
	if loc := eval("read the location", `location.pathname`); loc != page {
		t.Fatalf("saving the claim landed on %s: %s", loc, eval("read the errors", `[...document.querySelectorAll(".field-error, .notice")].map(e => e.textContent.trim()).join("; ")`))
	}
	claims, err := st.ClaimsOfSourceOrDraft(t.Context(), slug)
	must("read the claims", err)
	if len(claims) != 1 {
		t.Fatalf("%d claims saved, want 1", len(claims))
	}
	c := claims[0]
	if c.Speaker == nil || c.Speaker.Slug != "ivan-testovich" || c.Kind != "quote" || len(c.Citations) != 1 || c.Citations[0].Exact != formQuote {
		t.Errorf("the saved claim: speaker %+v, kind %s, citations %+v", c.Speaker, c.Kind, c.Citations)
	}

	// 5. The panel on a phone: one column, the form after the text.
	must("emulate 390 px", chromedp.Do(ctx, chromedp.EmulateViewport(390, 844)))
	open(page)
	must("open the speaker's box", chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector("details.new-actor[data-for=speaker]").open = true; document.getElementById("h-new-claim").scrollIntoView()`)))
	if w := eval("measure the page", `String(document.documentElement.scrollWidth)`); w != "390" {
		t.Errorf("at 390 px the page is %s px wide", w)
	}
	shot("claim-panel-390.png", false)

	// 6. The edit page's preview, with a reworded and a new block.
	must("emulate 1280×800", chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)))
	open(page + "/edit")
	must("edit the text", chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`(() => {
		const ta = document.getElementById("text");
		ta.value = ta.value.replace("No guarantee is worth anything", "A guarantee is worth little") + "\n\nA new last paragraph.";
	})()`)))
	_, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`button[formaction$="/edit/preview"]`)))
	must("preview the edit", err)
	summary := eval("read the preview", `document.querySelector(".revision-summary")?.textContent.trim().replace(/\s+/g, " ") ?? ""`)
	if !strings.Contains(summary, "1 block revised, 1 added") || !strings.Contains(summary, "1 flagged") {
		t.Errorf("the edit preview says %q", summary)
	}
	must("scroll to the preview", chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("h-preview").scrollIntoView()`)))
	if n := eval("count the marks", `[...document.querySelectorAll(".preview-blocks .change")].map(e => e.textContent).join(",")`); n != "reworded,new" {
		t.Errorf("the preview marks %q, want reworded,new", n)
	}
	shot("source-edit-preview-1280.png", false)
	if _, blocks, _ := st.SourceOrDraft(t.Context(), slug); !strings.Contains(blocks[1].Text, formQuote) {
		t.Error("the preview saved the edit")
	}
}
