package web_test

import (
	"context"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Without a script, Enter in a one-line field of the claim form saves the claim: the form's
// first submit button is its hidden Save, not a New actor box's "Add and choose".
func TestEnterSavesTheClaimWithoutTheScript(t *testing.T) {
	browser := startBrowser(t)
	srv := newSite(t, withEditor())
	ctx := tab(t, browser)
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	must("turn scripts off", chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tt *chromedp.Target) error {
		_, err := cdp.Call(ctx, tt, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})))
	must("sign in", chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/admin/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), editorEmail),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword+kb.Enter),
		chromedp.WaitVisible(chromedp.CSS("form.signout"))))
	const page = "/admin/sources/ap-witkoff-article5"
	must("fill in a claim", chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+page),
		chromedp.SetValue(chromedp.CSS("#block"), "c7vtk7"),
		chromedp.SendKeys(chromedp.CSS("#quote"), "NEW YORK"),
		chromedp.SendKeys(chromedp.CSS("#statement"), "A claim saved with Enter."),
		chromedp.SetValue(chromedp.CSS("#speaker"), "steve-witkoff"),
		chromedp.Click(chromedp.CSS(`input[name="evidence"][value="own-words"]`)),
		chromedp.SetValue(chromedp.CSS(`select[name="stance-us-role"]`), "for")))
	resp, err := chromedp.RunResponse(ctx, chromedp.SendKeys(chromedp.CSS("#said"), "2025-08-17"+kb.Enter))
	must("press Enter in the date", err)
	if resp.Status != 200 {
		t.Fatalf("Enter led to %s, %d", resp.URL, resp.Status)
	}
	claims, err := srv.st.ClaimsOfSourceOrDraft(t.Context(), "ap-witkoff-article5")
	must("read the claims", err)
	for _, c := range claims {
		if c.Statement == "A claim saved with Enter." {
			if c.Said != "2025-08-17" || c.Speaker == nil || c.Speaker.Slug != "steve-witkoff" {
				t.Errorf("the claim saved with Enter: said %q, speaker %+v", c.Said, c.Speaker)
			}
			return
		}
	}
	t.Errorf("Enter in the date field saved no claim; it landed on %s", resp.URL)
}
