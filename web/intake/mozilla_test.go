package intake

import (
	"bytes"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The extraction measured on Mozilla's Readability test pages, which go-readability ships in
// its module: for each page, source.html is the page as published and expected.html what
// Readability.js keeps. Two figures, over all pages' paragraphs together:
//   - kept: the share of expected paragraphs that appear in our blocks;
//   - dropped: the share of the source's other paragraph-like text (menus, footers, teasers,
//     comments: whatever Readability.js leaves out) that does not appear in our blocks.
//
// Paragraphs are compared with whitespace normalised; a paragraph counts as present when
// it is found in the text of our blocks joined, so a different split does not count as a
// loss. Only paragraphs of at least minParagraph characters count: shorter strings ("Home",
// "Share") turn up inside longer text by chance and would make the dropped figure meaningless.
const minParagraph = 25

// Floors from the measured figures (kept 4735 of 4741 = 0.999, dropped 3525 of 3538 = 0.996
// over 134 pages with go-readability v2.1.3), with room for a library update: a change that
// loses article text in the conversion to blocks, or lets clutter through, fails.
const (
	keptFloor    = 0.97
	droppedFloor = 0.95
)

func TestExtractionOnMozillaPages(t *testing.T) {
	dir := readabilityTestPages(t)
	pages, _ := filepath.Glob(filepath.Join(dir, "*", "source.html"))
	if len(pages) == 0 {
		t.Skip("go-readability's test-pages are not in the module cache")
	}
	base, _ := url.Parse("http://fakehost/test/page.html")
	var expectedN, keptN, clutterN, droppedN, failed int
	for _, src := range pages {
		name := filepath.Base(filepath.Dir(src))
		source, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		expectedHTML, err := os.ReadFile(filepath.Join(filepath.Dir(src), "expected.html"))
		if err != nil {
			continue
		}
		expected := paragraphsOf(t, expectedHTML)
		if len(expected) == 0 {
			continue
		}
		imp, err := Extract(source, "text/html; charset=utf-8", base)
		if err != nil {
			failed++
		}
		var ours strings.Builder
		for _, b := range imp.Blocks {
			ours.WriteString(b.Text + "\n")
		}
		got := ours.String()
		expectedText := strings.Join(expected, "\n")
		k := 0
		for _, p := range expected {
			if strings.Contains(got, p) {
				k++
			}
		}
		c, d := 0, 0
		for _, p := range paragraphsOf(t, source) {
			if strings.Contains(expectedText, p) {
				continue
			}
			c++
			if !strings.Contains(got, p) {
				d++
			}
		}
		if testing.Verbose() && float64(k) < 0.8*float64(len(expected)) {
			t.Logf("%s: kept %d of %d expected paragraphs", name, k, len(expected))
		}
		expectedN += len(expected)
		keptN += k
		clutterN += c
		droppedN += d
	}
	kept := float64(keptN) / float64(expectedN)
	dropped := float64(droppedN) / float64(clutterN)
	t.Logf("Mozilla test pages: %d; extraction failed on %d", len(pages), failed)
	t.Logf("kept: %d of %d expected paragraphs = %.3f", keptN, expectedN, kept)
	t.Logf("dropped: %d of %d boilerplate paragraphs = %.3f", droppedN, clutterN, dropped)
	if kept < keptFloor {
		t.Errorf("kept %.3f of the expected paragraphs, below %.2f", kept, keptFloor)
	}
	if dropped < droppedFloor {
		t.Errorf("dropped %.3f of the boilerplate, below %.2f", dropped, droppedFloor)
	}
}

// paragraphsOf is a page's paragraph-like text (the body's blocks, as Blocks reads them),
// whitespace normalised, of at least minParagraph characters.
func paragraphsOf(t *testing.T, page []byte) []string {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	body := findBody(doc)
	if body == nil {
		body = doc
	}
	var out []string
	for _, b := range HTMLBlocks(body) {
		if len([]rune(b.Text)) >= minParagraph {
			out = append(out, b.Text)
		}
	}
	return out
}

func findBody(n *html.Node) *html.Node {
	if n.Type == html.ElementNode && n.DataAtom == atom.Body {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if b := findBody(c); b != nil {
			return b
		}
	}
	return nil
}

// readabilityTestPages is the test-pages folder of the go-readability module this build uses.
func readabilityTestPages(t *testing.T) string {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "codeberg.org/readeck/go-readability/v2").Output()
	if err != nil || len(bytes.TrimSpace(out)) == 0 {
		t.Skip("the go-readability module's folder cannot be found")
	}
	return filepath.Join(string(bytes.TrimSpace(out)), "test-pages")
}
