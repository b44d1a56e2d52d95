package web

import (
	"strings"
	"testing"
)

func TestMarkdownDropsScript(t *testing.T) {
	cases := []string{
		`<script>alert(1)</script>`,
		`[click](javascript:alert(1))`,
		`<img src=x onerror=alert(1)>`,
		`[x](JaVaScRiPt:alert(1))`,
	}
	for _, src := range cases {
		out, err := renderMarkdown(src)
		if err != nil {
			t.Fatal(err)
		}
		low := strings.ToLower(out)
		if strings.Contains(low, "<script") || strings.Contains(low, "javascript:") || strings.Contains(low, "onerror") {
			t.Errorf("%q rendered unsafely: %s", src, out)
		}
	}
	out, _ := renderMarkdown("Identified from the *byline*; see https://example.org.")
	if !strings.Contains(out, "<em>byline</em>") || !strings.Contains(out, `href="https://example.org"`) {
		t.Errorf("ordinary Markdown lost: %s", out)
	}
}
