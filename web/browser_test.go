package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// The browser tests drive a real headless Chromium over the site as a reader uses it. They
// skip when Chromium or axe-core is missing, except under SOURCEBOOK_BROWSER_TESTS=1 (set by
// .ci/run), where a missing tool is a failure so that CI never skips them silently.

const (
	// passageSource and passageKey name a block far enough down its source (¶ 35 of the AP
	// article) that opening it only lands on it if the page scrolls there.
	passageSource = "ap-witkoff-article5"
	passageKey    = "onptmi"
)

// russianActors are Russia and those who speak for it in the seed corpus (the annotations
// give them the role org: russia).
var russianActors = []string{"russia", "russian-foreign-ministry", "vladimir-putin", "sergey-lavrov", "mikhail-ulyanov"}

// TestBrowser starts one Chromium and one server and runs what a reader does as subtests.
func TestBrowser(t *testing.T) {
	browser := startBrowser(t)
	srv := newSite(t)

	t.Run("PassagePermalinkLandsOnThePassage", func(t *testing.T) {
		testPassageLanding(t, browser, srv.URL)
	})
	t.Run("MatrixCellOpensItsEvidence", func(t *testing.T) {
		testMatrixToEvidence(t, browser, srv.URL)
	})
	t.Run("SearchShowsMatchesAsYouType", func(t *testing.T) {
		testSearchAsYouType(t, browser, srv.URL)
	})
	t.Run("NoSeriousAccessibilityViolations", func(t *testing.T) {
		testAccessibility(t, browser, srv.URL)
	})
	t.Run("Screenshots", func(t *testing.T) {
		testScreenshots(t, browser, srv.URL)
	})
}

// liveMatches is what the search box shows under itself while a query is typed.
type liveMatches struct {
	Hidden bool     `json:"hidden"`
	Links  []string `json:"links"`
	Marks  []string `json:"marks"`
	All    string   `json:"all"`
}

// Typing in the search box shows its first matches, the name's record first and its words
// marked, with a link to the whole search; Escape hides them.
func testSearchAsYouType(t *testing.T, browser context.Context, base string) {
	ctx := tab(t, browser)
	read := func() liveMatches {
		t.Helper()
		m, err := chromedp.Run(ctx, chromedp.Evaluate[liveMatches](`(() => {
			const live = document.querySelector("#body-q-live");
			return {
				hidden: live.hidden,
				links: [...live.querySelectorAll("li > a")].map(a => a.getAttribute("href")),
				marks: [...live.querySelectorAll("mark")].map(m => m.textContent),
				all: live.querySelector("p.meta a")?.getAttribute("href") ?? "",
			};
		})()`))
		if err != nil {
			t.Fatalf("read the matches under the search box: %v", err)
		}
		return m
	}
	err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(base+"/search"),
		chromedp.SendKeys(chromedp.CSS("#body-q"), "Budapest"),
		chromedp.WaitVisible(chromedp.CSS("#body-q-live li a")))
	if err != nil {
		t.Fatalf("type Budapest in the search box and wait for matches: %v", err)
	}
	m := read()
	if m.Hidden || len(m.Links) == 0 || len(m.Links) > 6 {
		t.Fatalf("matches as you type: %+v, want one to six links", m)
	}
	if m.Links[0] != "/precedents/budapest-1994" {
		t.Errorf("the first match links to %s, want the Budapest Memorandum", m.Links[0])
	}
	if len(m.Marks) == 0 || m.Marks[0] != "Budapest" {
		t.Errorf("the matches mark %q, want Budapest", m.Marks)
	}
	if m.All != "/search?q=Budapest" {
		t.Errorf("the link to all results is %q", m.All)
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#body-q"), "\x1b")); err != nil { // Escape
		t.Fatal(err)
	}
	if m := read(); !m.Hidden {
		t.Error("Escape does not hide the matches")
	}

	// Claims are among the matches for "Article 5"; every match must lead to its own page.
	err = chromedp.Do(ctx, chromedp.Navigate(base+"/search"),
		chromedp.SendKeys(chromedp.CSS("#body-q"), "Article 5"),
		chromedp.WaitVisible(chromedp.CSS("#body-q-live li a")))
	if err != nil {
		t.Fatalf("type Article 5 in the search box and wait for matches: %v", err)
	}
	m = read()
	claims := 0
	for _, l := range m.Links {
		if strings.HasPrefix(l, "/claims/") {
			claims++
		}
		resp, err := http.Get(base + l)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("the match %s under the search box answers %d", l, resp.StatusCode)
		}
	}
	if claims == 0 {
		t.Errorf("no claim among the matches for Article 5: %q", m.Links)
	}
}

// blockPosition is where a block sits once the page has loaded and what it looks like.
type blockPosition struct {
	Found       bool    `json:"found"`
	Top         float64 `json:"top"`
	Bottom      float64 `json:"bottom"`
	InnerHeight float64 `json:"innerHeight"`
	ScrollY     float64 `json:"scrollY"`
	Background  string  `json:"background"`
	PageBG      string  `json:"pageBackground"`
	Focused     bool    `json:"focused"`
	Target      bool    `json:"target"`
}

func testPassageLanding(t *testing.T, browser context.Context, base string) {
	for _, c := range []struct {
		name, path string
		scrolls    bool // the block starts below the first screen, so landing on it takes a scroll
	}{
		{"passage permalink", "/sources/" + passageSource + "/" + passageKey, false},
		{"full source at the anchor", "/sources/" + passageSource + "#" + passageKey, true},
	} {
		ctx := tab(t, browser)
		err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(base+c.path))
		if err != nil {
			t.Fatalf("%s %s: %v", c.name, c.path, err)
		}
		pos, err := chromedp.Run(ctx, chromedp.Evaluate[blockPosition](`(() => {
				const el = document.getElementById(`+jsString(passageKey)+`);
				if (!el) return {found: false};
				const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
				return {found: true, top: r.top, bottom: r.bottom, innerHeight: innerHeight, scrollY: scrollY,
					background: cs.backgroundColor, pageBackground: getComputedStyle(document.body).backgroundColor,
					focused: document.activeElement === el, target: el.matches(":target")};
			})()`))
		if err != nil {
			t.Fatalf("%s %s: %v", c.name, c.path, err)
		}
		if !pos.Found {
			t.Errorf("%s %s: no element with id %q", c.name, c.path, passageKey)
			continue
		}
		t.Logf("%s %s: passage at %.0f–%.0fpx of a %.0fpx window (page scrolled %.0fpx), background %s, focused %v, :target %v",
			c.name, c.path, pos.Top, pos.Bottom, pos.InnerHeight, pos.ScrollY, pos.Background, pos.Focused, pos.Target)
		tall := pos.Bottom-pos.Top > pos.InnerHeight
		if pos.Top < 0 || pos.Top >= pos.InnerHeight || (!tall && pos.Bottom > pos.InnerHeight) {
			t.Errorf("%s %s: the passage is outside the window: top %.0f, bottom %.0f, window height %.0f",
				c.name, c.path, pos.Top, pos.Bottom, pos.InnerHeight)
		}
		if c.scrolls && pos.Top+pos.ScrollY < pos.InnerHeight {
			t.Errorf("%s %s: the passage starts on the first screen (at %.0fpx), so this does not test scrolling; pick a later block",
				c.name, c.path, pos.Top+pos.ScrollY)
		}
		if c.scrolls && pos.ScrollY == 0 {
			t.Errorf("%s %s: the page did not scroll to the passage", c.name, c.path)
		}
		if pos.Background == pos.PageBG || pos.Background == "rgba(0, 0, 0, 0)" {
			t.Errorf("%s %s: the passage is not highlighted: background %s on a page of %s", c.name, c.path, pos.Background, pos.PageBG)
		}
		if !pos.Focused && !pos.Target {
			t.Errorf("%s %s: the passage has neither keyboard focus nor :target", c.name, c.path)
		}
	}
}

// evidencePage is what the position page shows after following a matrix cell.
type evidencePage struct {
	Path   string `json:"path"`
	H1     string `json:"h1"`
	Stance string `json:"stance"`
	Claims []struct {
		ID     string   `json:"id"`
		Actors []string `json:"actors"`
	} `json:"claims"`
	Quotes []string `json:"quotes"`
}

func testMatrixToEvidence(t *testing.T, browser context.Context, base string) {
	const cell = `td.cell a[href="/positions/russia/foreign-troops"]`
	ctx := tab(t, browser)
	fail := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("open /matrix and follow the Russia × foreign troops cell: %v", err)
		}
	}
	fail(chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(base+"/matrix")))
	word, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(cell+" .word")))
	fail(err)
	count, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(cell+" .n")))
	fail(err)
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(cell), chromedp.NodeVisible))
	fail(err)
	if resp.Status != 200 {
		t.Fatalf("following the cell to %s answered %d", resp.URL, resp.Status)
	}
	page, err := chromedp.Run(ctx, chromedp.Evaluate[evidencePage](`(() => ({
		path: location.pathname,
		h1: document.querySelector("h1")?.textContent.trim() ?? "",
		stance: document.querySelector(".position-summary .stance")?.textContent.trim() ?? "",
		claims: [...document.querySelectorAll("article.claim")].map(a => ({
			id: a.id,
			actors: [...a.querySelectorAll(".claim-meta a[href^='/actors/']")].map(l => l.getAttribute("href").slice(8)),
		})),
		quotes: [...document.querySelectorAll("figure.quote blockquote")].map(q => q.textContent.trim()),
	}))()`))
	fail(err)
	t.Logf("%s: %q, stance %q, %d claims, %d quotes", page.Path, page.H1, page.Stance, len(page.Claims), len(page.Quotes))
	if !strings.Contains(page.H1, "Russia") || !strings.Contains(page.H1, "Foreign troops") {
		t.Errorf("the evidence page's heading is %q; want Russia on foreign troops", page.H1)
	}
	if w := strings.TrimSpace(word); w == "" || !strings.Contains(page.Stance, w) {
		t.Errorf("the matrix cell says %q but the evidence page's stance is %q", w, page.Stance)
	}
	if len(page.Claims) == 0 {
		t.Fatal("the evidence page lists no claims")
	}
	if n := strings.TrimSpace(count); !strings.HasPrefix(n, fmt.Sprint(len(page.Claims))) {
		t.Errorf("the matrix cell counts %q claims but the evidence page lists %d", n, len(page.Claims))
	}
	for _, c := range page.Claims {
		if !slices.ContainsFunc(c.Actors, func(a string) bool { return slices.Contains(russianActors, a) }) {
			t.Errorf("claim %s names neither Russia nor one of its representatives as speaker or holder (names %v)", c.ID, c.Actors)
		}
	}
	if len(page.Quotes) == 0 {
		t.Error("the evidence page shows no quotes (figure.quote)")
	}
	for i, q := range page.Quotes {
		if len(q) < 10 {
			t.Errorf("quote %d is (nearly) empty: %q", i+1, q)
		}
	}
}

// axeViolation is one axe-core rule broken on a page, with the elements that break it.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	URL    string `json:"helpUrl"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

func (v axeViolation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s <%s>", v.ID, v.Impact, v.Help, v.URL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n\t\t%v: %s", n.Target, strings.ReplaceAll(n.Summary, "\n", " "))
	}
	return b.String()
}

func testAccessibility(t *testing.T, browser context.Context, base string) {
	axePath := os.Getenv("SOURCEBOOK_AXE_JS")
	if axePath == "" {
		skipOrFail(t, "SOURCEBOOK_AXE_JS is not set: point it at axe-core's axe.min.js (npm pack axe-core)")
	}
	axeJS, err := os.ReadFile(axePath)
	if err != nil {
		skipOrFail(t, fmt.Sprintf("axe-core: %v", err))
	}
	pages := []string{
		"/", "/sources", "/sources/" + passageSource, "/sources/" + passageSource + "/" + passageKey,
		"/actors", "/actors/russia", "/issues", "/issues/foreign-troops", "/matrix",
		"/precedents", "/precedents/compare", "/timeline", "/claims/lt-mfa-rejects-nato-contingent",
	}
	// Both colour schemes, since contrast is checked against the colours actually shown.
	for _, scheme := range []string{"light", "dark"} {
		ctx := tab(t, browser)
		if err := chromedp.Do(ctx,
			chromedp.EmulateViewport(1280, 800),
			chromedp.Func(func(ctx context.Context, tt *chromedp.Target) error {
				_, err := cdp.Call(ctx, tt, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
					Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
				})
				return err
			}),
		); err != nil {
			t.Fatalf("emulate the %s scheme: %v", scheme, err)
		}
		// check runs axe on the page as it is now.
		check := func(path string) {
			t.Helper()
			if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](string(axeJS))); err != nil {
				t.Fatalf("load axe-core into %s: %v", path, err)
			}
			violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](`axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v => ({
					id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
					nodes: v.nodes.map(n => ({target: n.target, failureSummary: n.failureSummary})),
				})))`, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("axe on %s (%s): %v", path, scheme, err)
			}
			for _, v := range violations {
				if v.Impact != "serious" && v.Impact != "critical" {
					t.Logf("%s (%s scheme), %s so not failing: %s", path, scheme, v.Impact, v)
					continue
				}
				t.Errorf("%s (%s scheme): %s", path, scheme, v)
			}
		}
		for _, path := range pages {
			if err := chromedp.Do(ctx, chromedp.Navigate(base+path)); err != nil {
				t.Fatalf("open %s: %v", path, err)
			}
			check(path)
		}
		// The search box with its matches shown as a query is typed.
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search"), chromedp.SendKeys(chromedp.CSS("#body-q"), "Budapest"),
			chromedp.WaitVisible(chromedp.CSS("#body-q-live li a"))); err != nil {
			t.Fatalf("type in the search box: %v", err)
		}
		check("/search, typing Budapest")
	}
}

func testScreenshots(t *testing.T, browser context.Context, base string) {
	dir := os.Getenv("SOURCEBOOK_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, s := range []struct {
		file, path string
		width      int64
	}{
		{"source-1280.png", "/sources/" + passageSource, 1280},
		{"passage-1280.png", "/sources/" + passageSource + "/" + passageKey, 1280},
		{"matrix-1280.png", "/matrix", 1280},
		{"comparison-1280.png", "/precedents/compare", 1280},
		{"matrix-390.png", "/matrix", 390},
	} {
		ctx := tab(t, browser)
		err := chromedp.Do(ctx, chromedp.EmulateViewport(s.width, 900), chromedp.Navigate(base+s.path))
		if err != nil {
			t.Fatalf("open %s at %dpx: %v", s.path, s.width, err)
		}
		widths, err := chromedp.Run(ctx, chromedp.Evaluate[[2]int64](
			`[document.documentElement.scrollWidth, document.documentElement.clientWidth]`))
		if err != nil {
			t.Fatalf("measure %s at %dpx: %v", s.path, s.width, err)
		}
		pageWidth, windowWidth := widths[0], widths[1]
		shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100 means PNG
		if err != nil {
			t.Fatalf("screenshot of %s at %dpx: %v", s.path, s.width, err)
		}
		// Wide tables scroll inside their own box; the page itself must not scroll sideways.
		if pageWidth > windowWidth {
			t.Errorf("%s at %dpx: the page is %dpx wide and scrolls sideways", s.path, s.width, pageWidth)
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(shot))
		if err != nil {
			t.Fatalf("screenshot of %s is not a PNG: %v", s.path, err)
		}
		if int64(cfg.Width) != s.width {
			t.Errorf("screenshot of %s is %dpx wide, want %d", s.path, cfg.Width, s.width)
		}
		name := filepath.Join(dir, s.file)
		if err := os.WriteFile(name, shot, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %dx%d", name, cfg.Width, cfg.Height)
	}
}

// startBrowser starts headless Chromium with a fresh profile and returns its context; tabs
// are opened from it with tab.
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	if testing.Short() {
		skipBrowserTest(t, "not under go test -short")
	}
	var path string
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		skipOrFail(t, "Chromium is not installed (Debian: apt-get install chromium)")
	}
	profile := t.TempDir() // made before the browser, so it is removed after the browser exits
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), // containers give /dev/shm little room
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(profile),
	)
	t.Cleanup(cancelAlloc)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	return browser
}

// tab opens a new tab that closes when the test ends; its actions time out after 30 s.
func tab(t *testing.T, browser context.Context) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	ctx, cancelTimeout := context.WithTimeout(ctx, 30*time.Second)
	t.Cleanup(cancelTimeout)
	return ctx
}

// skipOrFail skips the test for want of a tool, unless SOURCEBOOK_BROWSER_TESTS=1 says the
// tools are meant to be there.
func skipOrFail(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("SOURCEBOOK_BROWSER_TESTS") == "1" {
		t.Fatalf("%s (SOURCEBOOK_BROWSER_TESTS=1, so this is a failure, not a skip)", why)
	}
	skipBrowserTest(t, why)
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
