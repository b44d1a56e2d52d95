package ui

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/store/selector"
	"github.com/sourcebook/sourcebook/web/link"
)

func positions(spans []store.Span) []selector.Position {
	ps := make([]selector.Position, len(spans))
	for i, s := range spans {
		ps[i] = selector.Position{Start: s.Start, End: s.End}
	}
	return ps
}

func coverTitle(spans []store.Span, covers []int) string {
	var parts []string
	for _, i := range covers {
		parts = append(parts, spans[i].Statement)
	}
	return "Cited by: " + strings.Join(parts, " · ")
}

type textPart struct{ Text, Label string }

var footnoteRefRe = regexp.MustCompile(`\[\^(\d+)\]`)

// splitFootnoteRefs cuts text around its [^N] footnote references.
func splitFootnoteRefs(text string) []textPart {
	if !strings.Contains(text, "[^") {
		return []textPart{{Text: text}} // most text: no need to run the expression
	}
	var parts []textPart
	last := 0
	for _, m := range footnoteRefRe.FindAllStringSubmatchIndex(text, -1) {
		if m[0] > last {
			parts = append(parts, textPart{Text: text[last:m[0]]})
		}
		parts = append(parts, textPart{Label: text[m[2]:m[3]]})
		last = m[1]
	}
	if last < len(text) {
		parts = append(parts, textPart{Text: text[last:]})
	}
	return parts
}

// BlockLabel names a block as a reader cites it (see store/paragraphs.go): "¶ 4" for the
// fourth paragraph, not the fourth block, "note 5" for a footnote, "heading" or "caption"
// for the blocks that are not numbered, "removed passage" for one no longer in the text.
func BlockLabel(kind, label string, paragraph, position int) string {
	switch {
	case position == 0:
		return "removed passage"
	case paragraph > 0:
		return "¶ " + strconv.Itoa(paragraph)
	case kind == "footnote" && label != "":
		return "note " + label
	}
	return kind
}

// blockNum is what a block's permalink in the margin shows: its paragraph number, or # for
// a block that has none, so the margin counts what a citation counts.
func blockNum(paragraph int) string {
	if paragraph == 0 {
		return "#"
	}
	return strconv.Itoa(paragraph)
}

// shownLabel names the passage as the revision shown numbered it.
func shownLabel(p store.Passage) string {
	if p.Shown.Paragraph > 0 {
		return "¶ " + strconv.Itoa(p.Shown.Paragraph)
	}
	return BlockLabel(p.Block.Kind, p.Block.Label, 0, p.Block.Position)
}

// citeURL is where the passage's citation in a format is downloaded: of the revision shown,
// so that an old revision is cited by the number it had.
func citeURL(p store.Passage, ext string) string {
	u := link.Passage(p.Source.Slug, p.Block.Key, 0) + "/cite." + ext
	if p.Revised() {
		u += "?rev=" + strconv.Itoa(p.Shown.Rev)
	}
	return u
}

// movedLocator is store.Passage.Moved as a sentence.
func movedLocator(p store.Passage) string {
	m := p.Moved()
	if m == "" {
		return ""
	}
	return strings.ToUpper(m[:1]) + m[1:] + "."
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// shownRange says which part of a paged list a page shows: "Actors 51–100 of 140".
func shownRange(noun string, offset, shown, total int) string {
	return fmt.Sprintf("%s %d–%d of %d", noun, offset+1, offset+shown, total)
}

// fullMatrixLink names the link from the front page's rows of the matrix to all of it.
func fullMatrixLink(m store.Matrix) string {
	if len(m.Actors) < m.Total {
		return "The full position matrix: all " + strconv.Itoa(m.Total) + " actors, with a key →"
	}
	return "The full position matrix, with a key →"
}
