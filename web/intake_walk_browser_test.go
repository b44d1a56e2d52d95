package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sourcebook/sourcebook/web"
)

// walkPage is a news page as one arrives from the web: JSON-LD metadata, a menu, a share
// bar, the article with an ad, a newsletter box and two lines of the site's own promotion
// among its paragraphs, and a list of other articles at the end. Readability drops the menu
// and the share bar; what it keeps inside the article is for the editor to clean.
const walkPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Nordic minister sets terms for a Ukraine force | The Harbour Times</title>
<link rel="canonical" href="https://harbour.example.org/europe/nordic-minister-terms">
<script type="application/ld+json">
{"@context":"https://schema.org","@type":"NewsArticle","headline":"Nordic minister sets terms for a Ukraine force",
 "author":{"@type":"Person","name":"Maren Holt"},"datePublished":"2025-09-02T10:15:00+02:00",
 "publisher":{"@type":"Organization","name":"The Harbour Times"}}
</script>
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/europe">Europe</a></li><li><a href="/world">World</a></li><li><a href="/opinion">Opinion</a></li></ul></nav></header>
<main><article>
<h1>Nordic minister sets terms for a Ukraine force</h1>
<p>By Maren Holt</p>
<div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Share on X</a> <a href="#">Email</a></div>
<p>Share this article</p>
<p>The defence minister of a Nordic country set out on Tuesday the conditions under which her government would send soldiers to a reassurance force in Ukraine after a ceasefire.</p>
<p>Speaking to reporters in Oslo, Ingrid Solberg said: "We will not send a single soldier without a clear mandate from the coalition and air cover from our allies." She added that parliament would have to vote first.</p>
<p>Advertisement</p>
<p>Also in the Harbour Times: allies split over air cover for a mission</p>
<p>Diplomats from three other governments said the remarks reflected a wider unease about committing troops before the United States has said what support it would give to a force on the ground.</p>
<p>Sign up for our daily newsletter and get the morning's briefing in your inbox.</p>
<p>The ministry said it would publish the mandate's draft and send it to subscribers of its weekly bulletin.</p>
<p>Ukraine's foreign ministry welcomed the statement and said that any arrangement must be legally binding, a point it has made in every round of talks with its partners since the spring.</p>
<p>Photo gallery: twelve pictures from the Oslo meeting</p>
<h2>Related stories</h2>
<ul><li><a href="/a">Ten ways to keep your garden green through a dry summer season</a></li>
<li><a href="/b">Markets steady as the central bank holds rates for a third month</a></li></ul>
</article></main>
<footer><p>Copyright 2025 The Harbour Times. All rights reserved.</p></footer>
</body></html>`

const (
	walkQuote   = "We will not send a single soldier without a clear mandate from the coalition and air cover from our allies."
	walkSpeaker = "Ingrid Solberg"
	walkClaim   = "A Nordic defence minister will send soldiers only with a coalition mandate and allied air cover"
	// The edit that makes the quote stale: one word inside it changes.
	walkOldWords = "a clear mandate"
	walkNewWords = "a written mandate"
)

// TestIntakeWalkBrowser walks issue 17's whole intake path in Chromium, as one editor does
// it: import an article from a web server through the import form; in the preview keep a
// block wrongly flagged as clutter and drop two lines of the site's promotion that were not
// flagged, one click each; save and publish; select the minister's words, add her as an
// actor from the speaker's New actor box, grade and place the claim, save it; reword the
// quoted passage; and, as a reader, find the claim page saying the passage has changed,
// with a link to the words that changed.
func TestIntakeWalkBrowser(t *testing.T) {
	browser := startBrowser(t)
	mux := http.NewServeMux()
	mux.HandleFunc("/europe/nordic-minister-terms", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, walkPage)
	})
	pages := httptest.NewServer(mux)
	t.Cleanup(pages.Close)
	srv := newSite(t, withEditor(), withOptions(web.AllowPrivateFetch()))

	// Each stage has its own tab; the tabs share the browser's cookies, so the editor stays
	// signed in. A stage renders the admin's heaviest pages (every actor and issue in the
	// claim form), which on a busy machine took more than the 30 s that tab gives a whole
	// tab; the deadline here only stops a hung browser. When the test fails, the page it
	// was on is kept as a screenshot in SOURCEBOOK_ARTIFACTS.
	var ctx context.Context
	newTab := func() {
		c, cancel := chromedp.NewContext(browser)
		t.Cleanup(cancel)
		if err := chromedp.Do(c); err != nil {
			t.Fatalf("open a tab: %v", err)
		}
		c, cancelTimeout := context.WithTimeout(c, 2*time.Minute)
		t.Cleanup(cancelTimeout)
		ctx = c
		// Registered after the tab, so it runs before the tab closes.
		t.Cleanup(func() {
			dir := os.Getenv("SOURCEBOOK_ARTIFACTS")
			if !t.Failed() || dir == "" || ctx != c {
				return
			}
			shotCtx, cancel := context.WithTimeout(context.WithoutCancel(c), 30*time.Second) // past the tab's deadline, if that was the failure
			defer cancel()
			if b, err := chromedp.Run(shotCtx, chromedp.FullScreenshot(100)); err == nil {
				name := filepath.Join(dir, "intake-walk-failure.png")
				if os.MkdirAll(dir, 0o755) == nil && os.WriteFile(name, b, 0o644) == nil {
					t.Logf("the page at the failure: %s", name)
				}
			}
		})
	}
	newTab()
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
	errorsShown := func() string {
		return eval("read the messages", `[...document.querySelectorAll(".field-error, .notice, [role=alert]")].map(e => e.textContent.trim()).filter(s => s).join("; ")`)
	}
	// navigate clicks what leads to another page and checks that page answered 200.
	navigate := func(what, sel string) {
		t.Helper()
		resp, err := chromedp.RunResponse(ctx, chromedp.ScrollIntoView(chromedp.CSS(sel)), chromedp.Click(chromedp.CSS(sel)))
		must(what, err)
		if resp.Status != 200 {
			t.Fatalf("%s: %s answered %d: %s", what, resp.URL, resp.Status, errorsShown())
		}
	}
	open := func(url string) {
		t.Helper()
		resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(url))
		must("open "+url, err)
		if resp.Status != 200 {
			t.Fatalf("%s answered %d", url, resp.Status)
		}
	}
	text := func(what, sel string) string {
		return eval(what, `document.querySelector(`+jsString(sel)+`)?.textContent.replace(/\s+/g, " ").trim() ?? ""`)
	}

	// 1. Sign in and import the page by its address.
	must("emulate 1280×800", chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)))
	open(srv.URL + "/admin/login")
	must("type the credentials", chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#email"), editorEmail),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword)))
	navigate("sign in", `form[action="/admin/login"] button[type=submit]`)
	open(srv.URL + "/admin/sources/new")
	must("type the address", chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#import_url"), pages.URL+"/europe/nordic-minister-terms")))
	navigate("import", `.import-form button[type=submit]`)
	for sel, want := range map[string]string{
		"#title": "Nordic minister sets terms for a Ukraine force", "#authors": "Maren Holt",
		"#published": "2025-09-02", "#publisher": "The Harbour Times",
		"#url": "https://harbour.example.org/europe/nordic-minister-terms",
	} {
		if got := eval("read "+sel, `document.querySelector("`+sel+`").value`); got != want {
			t.Errorf("after the import, %s is %q, want %q", sel, got, want)
		}
	}

	// 2. The preview: flagged blocks start dropped. Keep the one flagged by mistake (an
	// article sentence that mentions subscribers) and drop the two promotion lines that were
	// not flagged, one click each.
	blockState := func(prefix string) (id, state string) {
		t.Helper()
		got := eval("find "+prefix, `(() => {
			const li = [...document.querySelectorAll("li.block")].find(li => li.querySelector(".block-text")?.textContent.trim().startsWith(`+jsString(prefix)+`));
			if (!li) return "none";
			const struck = getComputedStyle(li.querySelector(".block-text")).textDecorationLine.includes("line-through");
			return li.id + " " + (li.querySelector(".keep-box").checked ? "kept" : "dropped") + (struck ? " struck" : " plain") +
				(li.querySelector(".flag") ? " flagged" : "");
		})()`)
		id, state, _ = strings.Cut(got, " ")
		if id == "none" {
			t.Fatalf("the preview has no block starting %q", prefix)
		}
		return id, state
	}
	flaggedArticle, flaggedClutter := "The ministry said it would publish", []string{
		"By Maren Holt", "Share this article", "Advertisement", "Sign up for our daily newsletter", "Related stories",
		"Ten ways to keep your garden green", "Markets steady as the central bank",
	}
	promotions := []string{"Also in the Harbour Times", "Photo gallery: twelve pictures"}
	for _, p := range append([]string{flaggedArticle}, flaggedClutter...) {
		if _, st := blockState(p); st != "dropped struck flagged" {
			t.Errorf("the preview shows %q as %s, want flagged, dropped and struck through", p, st)
		}
	}
	for _, p := range append([]string{"Speaking to reporters in Oslo"}, promotions...) {
		if _, st := blockState(p); st != "kept plain" {
			t.Errorf("the preview shows %q as %s, want kept", p, st)
		}
	}
	id, _ := blockState(flaggedArticle)
	must("keep "+flaggedArticle, chromedp.Do(ctx, chromedp.ScrollIntoView(chromedp.CSS("#"+id+" .keep-box")), chromedp.Click(chromedp.CSS("#"+id+" .keep-box"))))
	if _, st := blockState(flaggedArticle); st != "kept plain flagged" {
		t.Errorf("after one click %q is %s, want kept (still flagged)", flaggedArticle, st)
	}
	for _, p := range promotions {
		id, _ := blockState(p)
		must("drop "+p, chromedp.Do(ctx, chromedp.ScrollIntoView(chromedp.CSS("#"+id+" .keep-box")), chromedp.Click(chromedp.CSS("#"+id+" .keep-box"))))
		if _, st := blockState(p); st != "dropped struck" {
			t.Errorf("after one click %q is %s, want dropped and struck through", p, st)
		}
	}

	// 3. Save the draft and publish it; the public page has the article's paragraphs, the
	// kept block, none of the dropped ones, and notes that say what was dropped.
	navigate("save as draft", `button[formaction="/admin/sources"]`)
	adminPage := eval("read the location", `location.pathname`)
	if !strings.HasPrefix(adminPage, "/admin/sources/") {
		t.Fatalf("saving the draft landed on %s: %s", adminPage, errorsShown())
	}
	navigate("publish", `form[action$="/publish"] button[type=submit]`)
	if k := text("read the status", ".kicker"); !strings.HasPrefix(k, "published") {
		t.Fatalf("after Publish the source's page says %q", k)
	}
	navigate("view it on the public site", `form[action$="/publish"] a`)
	article := text("read the public text", "ol.blocks")
	for _, p := range []string{"The defence minister of a Nordic country", walkQuote, "Diplomats from three other governments", flaggedArticle, "Ukraine's foreign ministry welcomed"} {
		if !strings.Contains(article, p) {
			t.Errorf("the published source lacks %q", p)
		}
	}
	notes := text("read the notes", "dd.notes")
	for _, p := range append(promotions, flaggedClutter...) {
		if strings.Contains(article, p) {
			t.Errorf("the published text still has the dropped block %q", p)
		}
	}
	for _, want := range []string{"Dropped at intake: 9 of 14 blocks", "not flagged, dropped by the editor 2", "“Also in the Harbour Times", "“Photo gallery: twelve pictures", "“Advertisement”"} {
		if !strings.Contains(notes, want) {
			t.Errorf("the notes do not say %q: %s", want, notes)
		}
	}
	if strings.Contains(notes, "“The ministry said") {
		t.Errorf("the notes record the kept block as dropped: %s", notes)
	}

	// 4. Back on the source's admin page: select the minister's words, add her as an actor
	// from the speaker's New actor box, grade, place and save the claim.
	newTab()
	must("emulate 1280×800", chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)))
	open(srv.URL + adminPage)
	sel := eval("select the quote", `(() => {
		const p = [...document.querySelectorAll("ol.annotatable p.block-text[data-key]")].find(p => p.dataset.text.includes(`+jsString(walkQuote)+`));
		if (!p) return "no passage holds the quote";
		const n = p.firstChild, at = n.data.indexOf(`+jsString(walkQuote)+`);
		const range = document.createRange();
		range.setStart(n, at);
		range.setEnd(n, at + `+jsString(walkQuote)+`.length);
		getSelection().removeAllRanges();
		getSelection().addRange(range);
		const r = range.getBoundingClientRect();
		p.dispatchEvent(new MouseEvent("mouseup", {bubbles: true, view: window, clientX: r.right, clientY: r.top + r.height / 2}));
		return document.getElementById("quote").value;
	})()`)
	if sel != walkQuote {
		t.Fatalf("after selecting the words the quote field holds %q", sel)
	}
	must("open the speaker's New actor box", chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`details.new-actor[data-for=speaker] summary`))))
	must("add the speaker", chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`#new-actor-name-speaker`), walkSpeaker),
		chromedp.Click(chromedp.CSS(`details.new-actor[data-for=speaker] button[name=add_actor]`))))
	speaker, err := chromedp.Run(ctx, chromedp.Evaluate[string](`new Promise(resolve => {
		const check = () => {
			const err = document.getElementById("err-new-actor-speaker").textContent.trim();
			const v = document.getElementById("speaker").value;
			if (err) return resolve("error: " + err);
			if (v) return resolve(v);
			requestAnimationFrame(check);
		};
		check();
	})`, chromedp.EvalAwaitPromise))
	must("wait for the new actor", err)
	if speaker != "ingrid-solberg" {
		t.Fatalf("after adding %s inline the speaker is %q", walkSpeaker, speaker)
	}
	if q := eval("read the quote", `document.getElementById("quote").value`); q != walkQuote {
		t.Fatalf("adding the speaker lost the quote: %q", q)
	}
	must("fill in the claim", chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#statement"), walkClaim),
		chromedp.Click(chromedp.CSS(`input[name="evidence"][value="own-words"]`)),
		chromedp.SetValue(chromedp.CSS(`select[name="stance-foreign-troops"]`), "conditional")))
	navigate("save the claim", `#claim-form .save-bar button[name=save]`)
	if loc := eval("read the location", `location.pathname`); loc != adminPage {
		t.Fatalf("saving the claim landed on %s: %s", loc, errorsShown())
	}
	claimLink := `#h-claims ~ .admin-claim .statement a`
	if got := text("read the claim", claimLink); got != walkClaim {
		t.Fatalf("the source's claims list %q, want the new claim: %s", got, errorsShown())
	}
	navigate("open the claim's public page", claimLink)
	claimPage := eval("read the location", `location.pathname`)
	meta := eval("read the claim's details", `[...document.querySelectorAll("dl.meta dt")].map(dt => dt.textContent.trim() + ": " + dt.nextElementSibling.textContent.replace(/\s+/g, " ").trim()).join("; ")`)
	for _, want := range []string{"Speaker: " + walkSpeaker + ";", "Evidence: own words"} {
		if !strings.Contains(meta, want) {
			t.Errorf("the claim page's details say %q, want %q in them", meta, want)
		}
	}
	if st := text("read the stances", "ul.stances"); !strings.Contains(st, "Foreign troops") || !strings.Contains(st, "conditional") {
		t.Errorf("the claim page's stances: %q, want conditional on foreign troops", st)
	}
	if q := text("read the quote", "figure.evidence blockquote mark"); q != walkQuote {
		t.Errorf("the claim page quotes %q", q)
	}
	navigate("follow the speaker's link", `dl.meta a[href="/actors/ingrid-solberg"]`)
	if h1 := text("read the heading", "h1"); h1 != walkSpeaker {
		t.Errorf("the speaker's link leads to %q", h1)
	}

	// 5. Reword the quoted passage and save a new revision.
	newTab()
	must("emulate 1280×800", chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)))
	open(srv.URL + adminPage)
	navigate("open the edit page", `a[href$="/edit"].button`)
	if n := eval("edit the passage", `(() => {
		const ta = document.getElementById("text");
		const n = ta.value.split(`+jsString(walkOldWords)+`).length - 1;
		ta.value = ta.value.replace(`+jsString(walkOldWords)+`, `+jsString(walkNewWords)+`);
		return String(n);
	})()`); n != "1" {
		t.Fatalf("the edit page's text has %s copies of %q, want 1", n, walkOldWords)
	}
	navigate("save the revision", `form[action$="/edit"] button[type=submit]:not([formaction])`)
	if loc := eval("read the location", `location.pathname`); loc != adminPage {
		t.Fatalf("saving the edit landed on %s: %s", loc, errorsShown())
	}
	if n := errorsShown(); !strings.Contains(n, "no longer in the text") {
		t.Errorf("after the edit the source's page does not flag the stale quote: %q", n)
	}

	// 6. A reader on the claim page is told the passage has changed; the notice's first link
	// shows the words that changed, its last the passage as it reads now, which says so too.
	const changed = "quoted from revision 1; the passage has since changed."
	newTab()
	must("emulate 1280×800", chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)))
	open(srv.URL + claimPage)
	// noticeLink marks the link of the notice (p.notice.changed) with the given words, or
	// says what the page shows instead.
	noticeLink := func(words string) string {
		t.Helper()
		return eval("find the notice", `(() => {
			const box = [...document.querySelectorAll("p.notice.changed")].find(p => p.textContent.includes(`+jsString(changed)+`));
			if (!box) return "no notice; the page says: " + document.querySelector("main").textContent.replace(/\s+/g, " ").trim();
			const a = [...box.querySelectorAll("a")].find(a => a.textContent.trim() === `+jsString(words)+`);
			if (!a) return "the notice has no link " + `+jsString(words)+` + ": " + box.textContent.replace(/\s+/g, " ").trim();
			a.setAttribute("data-walk", "");
			return "";
		})()`)
	}
	if problem := noticeLink("See what changed, word by word"); problem != "" {
		t.Fatalf("the claim page: %s", problem)
	}
	navigate("follow the notice's diff link", `a[data-walk]`)
	del := eval("read the removed words", `[...document.querySelectorAll("main del")].map(e => e.textContent).join(" | ")`)
	ins := eval("read the added words", `[...document.querySelectorAll("main ins")].map(e => e.textContent).join(" | ")`)
	if !strings.Contains(del, "clear") || !strings.Contains(ins, "written") {
		t.Errorf("the diff shows removed %q and added %q, want clear → written", del, ins)
	}
	if strings.Contains(del, "soldier") || strings.Contains(ins, "soldier") {
		t.Errorf("the diff marks unchanged words: removed %q, added %q", del, ins)
	}
	open(srv.URL + claimPage)
	if problem := noticeLink("as it reads now"); problem != "" {
		t.Fatalf("the claim page: %s", problem)
	}
	navigate("follow the notice's link to the passage now", `a[data-walk]`)
	if problem := noticeLink("See what changed, word by word"); problem != "" {
		t.Errorf("the passage page that lists the claim: %s", problem)
	}
	if now := text("read the passage", "main"); !strings.Contains(now, "without "+walkNewWords+" from the coalition") {
		t.Errorf("the passage as it reads now lacks the new words: %.300s", now)
	}
}
