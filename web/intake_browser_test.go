package web_test

import (
	"bytes"
	"context"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/sourcebook/sourcebook/store/corpus"
)

// TestIntakePreviewBrowser pastes seed 002 into the new-source form in Chromium, previews it,
// and keeps a flagged block and drops an article paragraph with one click each: the page
// shows the change at once (struck through or not), and the save records what was dropped.
// On the way it takes the preview's screenshots at 1280 and 390 px in both colour schemes
// (into SOURCEBOOK_ARTIFACTS when set) and runs axe-core on it when SOURCEBOOK_AXE_JS is set.
func TestIntakePreviewBrowser(t *testing.T) {
	browser := startBrowser(t)
	srv := newSite(t, withEditor())
	ctx := tab(t, browser)
	raw, err := fs.ReadFile(corpus.Files, "seeds/002_689002bf331f3d48.txt")
	if err != nil {
		t.Fatal(err)
	}
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
	click := func(what, sel string) {
		t.Helper()
		must(what, chromedp.Do(ctx, chromedp.ScrollIntoView(chromedp.CSS(sel)), chromedp.Click(chromedp.CSS(sel))))
	}
	navigate := func(what, sel string) {
		t.Helper()
		resp, err := chromedp.RunResponse(ctx, chromedp.ScrollIntoView(chromedp.CSS(sel)), chromedp.Click(chromedp.CSS(sel)))
		must(what, err)
		if resp.Status != 200 {
			t.Fatalf("%s: the page after %s answered %d", what, resp.URL, resp.Status)
		}
	}
	must("emulate the viewport", chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(srv.URL+"/admin/login")))
	must("sign in", chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#email"), editorEmail),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword)))
	navigate("sign in", `form[action="/admin/login"] button[type=submit]`)
	must("open the form", chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/admin/sources/new"),
		chromedp.SendKeys(chromedp.CSS("#title"), "Loose, abstract talk of 'guarantees' could sink Ukraine peace"),
		chromedp.SetValue(chromedp.CSS("select#kind"), "analysis"),
		chromedp.SetValue(chromedp.CSS("#text"), string(raw))))
	navigate("preview", `button[formaction="/admin/sources/preview"]`)

	// blockState is a block's Keep box and whether its text is struck through, found by the
	// block's first words.
	blockState := func(prefix string) (id, state string) {
		t.Helper()
		got := eval("find "+prefix, `(() => {
			const li = [...document.querySelectorAll("li.block")].find(li => li.querySelector(".block-text")?.textContent.startsWith(`+jsString(prefix)+`));
			if (!li) return "none";
			const struck = getComputedStyle(li.querySelector(".block-text")).textDecorationLine.includes("line-through");
			return li.id + " " + (li.querySelector(".keep-box").checked ? "kept" : "dropped") + (struck ? " struck" : " plain") +
				(li.querySelector(".flag") ? " flagged" : "");
		})()`)
		id, state, _ = strings.Cut(got, " ")
		if id == "none" {
			t.Fatalf("no block starts %q", prefix)
		}
		return id, state
	}
	menu, state := blockState("Follow us on social")
	if state != "dropped struck flagged" {
		t.Errorf("the flagged menu line: %s, want dropped, struck through and flagged", state)
	}
	para, state := blockState("Ukrainian negotiators rejected")
	if state != "kept plain" {
		t.Errorf("an article paragraph: %s, want kept and plain", state)
	}
	// Open one block's split choices, so the screenshots show them too.
	click("open a split", "#"+para+" details.split summary")
	shoot(t, ctx, "intake-preview")
	axeCheck(t, ctx, "the intake preview")

	// One click each: keep the menu line, drop the paragraph.
	click("keep the menu line", "#"+menu+" .keep-box")
	click("drop the paragraph", "#"+para+" .keep-box")
	if _, state := blockState("Follow us on social"); state != "kept plain flagged" {
		t.Errorf("after one click the menu line is %s, want kept and plain (still flagged)", state)
	}
	if _, state := blockState("Ukrainian negotiators rejected"); state != "dropped struck" {
		t.Errorf("after one click the paragraph is %s, want dropped and struck through", state)
	}
	navigate("save", `button[formaction="/admin/sources"]`)
	slug := strings.TrimPrefix(eval("read the location", `location.pathname`), "/admin/sources/")
	src, blocks, err := srv.st.SourceOrDraft(t.Context(), slug)
	if err != nil {
		t.Fatalf("the saved draft %q: %v", slug, err)
	}
	texts := make([]string, len(blocks))
	for i, b := range blocks {
		texts[i] = b.Text
	}
	all := strings.Join(texts, "\n")
	if !strings.HasPrefix(all, "Follow us on social\n") || strings.Contains(all, "Ukrainian negotiators rejected") {
		t.Errorf("the draft's blocks do not follow the clicks: %.200q", all)
	}
	if !strings.Contains(src.Notes, "not flagged, dropped by the editor 1") || !strings.Contains(src.Notes, "“Ukrainian negotiators rejected") ||
		strings.Contains(src.Notes, "“Follow us on social”") {
		t.Errorf("the notes do not record the editor's choices: %s", src.Notes)
	}
}

// shoot takes the page as it is at 1280 and 390 px wide, light and dark, checking it does
// not scroll sideways.
func shoot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("SOURCEBOOK_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	defer chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), scheme("light"))
	for _, scheme_ := range []string{"light", "dark"} {
		for _, width := range []int64{1280, 390} {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900), scheme(scheme_)); err != nil {
				t.Fatalf("emulate %dpx %s: %v", width, scheme_, err)
			}
			widths, err := chromedp.Run(ctx, chromedp.Evaluate[[2]int64](
				`[document.documentElement.scrollWidth, document.documentElement.clientWidth]`))
			if err != nil {
				t.Fatal(err)
			}
			if widths[0] > widths[1] {
				t.Errorf("%s at %dpx: the page is %dpx wide and scrolls sideways", name, width, widths[0])
			}
			shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatalf("screenshot at %dpx: %v", width, err)
			}
			cfg, err := png.DecodeConfig(bytes.NewReader(shot))
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(dir, name+"-"+strconv.FormatInt(width, 10)+"-"+scheme_+".png")
			if err := os.WriteFile(file, shot, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %dx%d", file, cfg.Width, cfg.Height)
		}
	}
}

func scheme(name string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tt *chromedp.Target) error {
		_, err := cdp.Call(ctx, tt, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: name}},
		})
		return err
	})
}

// axeCheck runs axe-core on the page as it is, in both colour schemes, when SOURCEBOOK_AXE_JS
// points at it; serious and critical violations fail the test.
func axeCheck(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	axePath := os.Getenv("SOURCEBOOK_AXE_JS")
	if axePath == "" {
		t.Logf("SOURCEBOOK_AXE_JS is not set: %s is not checked with axe-core", what)
		return
	}
	axeJS, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	defer chromedp.Do(ctx, scheme("light"))
	for _, name := range []string{"light", "dark"} {
		if err := chromedp.Do(ctx, scheme(name), chromedp.Evaluate[chromedp.Void](string(axeJS))); err != nil {
			t.Fatalf("load axe-core: %v", err)
		}
		violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](`axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v => ({
				id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
				nodes: v.nodes.map(n => ({target: n.target, failureSummary: n.failureSummary})),
			})))`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("axe on %s: %v", what, err)
		}
		for _, v := range violations {
			if v.Impact != "serious" && v.Impact != "critical" {
				t.Logf("%s (%s scheme), %s so not failing: %s", what, name, v.Impact, v)
				continue
			}
			t.Errorf("%s (%s scheme): %s", what, name, v)
		}
	}
}
