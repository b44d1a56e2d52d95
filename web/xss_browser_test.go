package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/store/corpus"
	"github.com/sourcebook/sourcebook/store/storetest"
)

// Script typed into every field an editor fills never runs in a reader's browser, nor becomes
// an element of the page: a real Chromium loads each page that shows the fields.
func TestXSSPayloadsDoNotRunInABrowser(t *testing.T) {
	browser := startBrowser(t)
	st := storetest.Store(t)
	ctx := t.Context()
	ed, err := st.CreateUser(ctx, nil, "x@example.org", "", "editor", "a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	payload := `<script>window.__xss=1</script><img src=x onerror="window.__xss=1"><svg onload="window.__xss=1">`
	slug, err := st.CreateSource(ctx, &ed, store.SourceInput{
		Title: "XSS " + payload, Subtitle: payload, Publisher: payload, CapturedFrom: payload, Kind: "analysis",
		Authors: []string{payload}, URL: "https://example.org/?q=" + payload,
		Notes:  "[a link](javascript:window.__xss=1) <script>window.__xss=1</script> " + payload,
		Blocks: corpus.ParseText("A passage " + payload + " with words.\n\n## " + payload),
	})
	if err != nil {
		t.Fatal(err)
	}
	_, blocks, _ := st.SourceOrDraft(ctx, slug)
	actor, err := st.CreateActor(ctx, &ed, "Actor "+payload, "person", []string{payload})
	if err != nil {
		t.Fatal(err)
	}
	claim, err := st.SaveClaim(ctx, &ed, slug, "", store.ClaimInput{Statement: "Claim " + payload, Speaker: actor, Kind: "quote", Evidence: "own-words",
		Stances: map[string]string{"us-role": "for"}, Citations: []store.CitationInput{{Block: blocks[0].Key, Quote: "with words"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetPublished(ctx, &ed, slug, true); err != nil {
		t.Fatal(err)
	}
	srv := newSite(t, withStore(st))
	tabCtx := tab(t, browser)
	for _, path := range []string{"/sources/" + slug, "/sources/" + slug + "/" + blocks[0].Key, "/claims/" + claim,
		"/actors/" + actor, "/search?q=XSS", "/sources", "/"} {
		if err := chromedp.Do(tabCtx, chromedp.Navigate(srv.URL+path)); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		// Two defences, checked apart: the markup must arrive as text (no element built from
		// it), and the Content-Security-Policy must stop inline script should escaping fail.
		got, err := chromedp.Run(tabCtx, chromedp.Evaluate[[2]bool](`[window.__xss === 1,
			document.querySelectorAll('img[src="x"], svg[onload], a[href^="javascript:"]').length > 0 ||
			[...document.scripts].some(s => s.type !== "application/ld+json" && s.textContent.includes("__xss"))]`))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if got[0] {
			t.Errorf("%s: an editor's markup ran as script", path)
		}
		if got[1] {
			t.Errorf("%s: an editor's markup became elements of the page", path)
		}
	}
}
