package intake

import (
	"strings"

	"github.com/sourcebook/sourcebook/store/corpus"
)

// unwrappedLine is a line length no hand- or tool-wrapped prose reaches: Markdown and
// plain-text editors wrap at 72 to 100 columns. A text with a longer line was pasted from a
// page, where each line break is a paragraph break.
const unwrappedLine = 120

// Split turns pasted text into blocks. Text in the corpus's own form (blocks separated by
// blank lines, each perhaps wrapped over several lines) splits as corpus.ParseText splits it.
// A capture copied from a web page is different: each line is its own paragraph, menu item
// or caption, and blank lines are rare, so joining lines would glue clutter to the article.
// Such a text, recognised by a line longer than any wrapped prose and by carrying no block
// keys, splits at every line break.
func Split(text string) []corpus.Block {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	if !PerLine(text) {
		return corpus.ParseText(text)
	}
	var b strings.Builder
	for _, line := range strings.Split(text, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			b.WriteString(line)
			b.WriteString("\n\n")
		}
	}
	return corpus.ParseText(b.String())
}

// PerLine reports whether text is a capture whose line breaks are paragraph breaks.
func PerLine(text string) bool {
	if strings.Contains(text, "{#") {
		return false
	}
	for _, line := range strings.Split(text, "\n") {
		if len([]rune(strings.TrimSpace(line))) > unwrappedLine {
			return true
		}
	}
	return false
}
