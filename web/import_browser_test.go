package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sourcebook/sourcebook/web"
)

// TestImportBrowser imports a page in Chromium as an editor does: type its address, press
// Import, find the form filled and the article split into blocks, save and publish; then
// import it again and follow the duplicate warning's link to the source already there.
func TestImportBrowser(t *testing.T) {
	browser := startBrowser(t)
	pages := pageServer(t)
	srv := newSite(t, withEditor(), withOptions(web.AllowPrivateFetch()))
	ctx := tab(t, browser)
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	str := func(what, js string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		must(what, err)
		return s
	}
	click := func(what, sel string) {
		t.Helper()
		resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
		must(what, err)
		if resp.Status != 200 {
			t.Fatalf("%s: %s answered %d", what, resp.URL, resp.Status)
		}
	}
	must("open the sign-in page", chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(srv.URL+"/admin/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), adminEmail),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword)))
	click("sign in", `form[action="/admin/login"] button[type=submit]`)

	importPage := func() {
		t.Helper()
		must("open the new-source form", chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/admin/sources/new"),
			chromedp.SendKeys(chromedp.CSS("#import_url"), pages.URL+"/article")))
		click("import", `.import-form button[type=submit]`)
	}
	// What the editor typed into the source form before importing is kept where the page
	// says nothing.
	must("type into the source form first", chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/admin/sources/new"),
		chromedp.SendKeys(chromedp.CSS("#captured_from"), "A reprint typed first"),
		chromedp.SendKeys(chromedp.CSS("#import_url"), pages.URL+"/article")))
	click("import", `.import-form button[type=submit]`)
	if got := str("read #captured_from", `document.querySelector("#captured_from").value`); got != "A reprint typed first" {
		t.Errorf("after the import, the field typed before it reads %q", got)
	}
	importPage()
	for sel, want := range map[string]string{
		"#title": "Allies weigh a security backstop for Kyiv", "#authors": "Olena Kovalenko; James Whitfield",
		"#published": "2025-08-18", "#publisher": "The Daily Ledger",
		"#url": "https://news.example.org/world/allies-weigh-backstop?utm_source=feed",
	} {
		if got := str("read "+sel, `document.querySelector("`+sel+`").value`); got != want {
			t.Errorf("after the import, %s is %q, want %q", sel, got, want)
		}
	}
	kinds := str("read the preview", `[...document.querySelectorAll("ol.preview-blocks select")].map(s => s.value).join(",")`)
	if want := "paragraph,paragraph,heading,paragraph,blockquote,paragraph,caption,paragraph"; kinds != want {
		t.Errorf("the preview's blocks are %s, want %s", kinds, want)
	}
	click("save as draft", `button[formaction="/admin/sources"]`)
	click("publish", `form.inline button[type=submit]`)

	importPage()
	if warn := str("read the warning", `document.querySelector(".duplicates")?.textContent ?? ""`); warn == "" {
		t.Fatal("importing a published page again shows no duplicate warning")
	}
	click("follow the warning's link", `.duplicates a`)
	if h1 := str("read the heading", `document.querySelector("h1").textContent`); h1 != "Allies weigh a security backstop for Kyiv" {
		t.Errorf("the warning's link leads to %q", h1)
	}
}
