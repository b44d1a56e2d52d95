package ui

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/sourcebook/sourcebook/selector"
	"github.com/sourcebook/sourcebook/store"
)

// Span is a cited stretch of a block, in code points, and the claim citing it.
type Span struct {
	Start, End int
	Claim      string // slug
	Statement  string
}

func positions(spans []Span) []selector.Position {
	ps := make([]selector.Position, len(spans))
	for i, s := range spans {
		ps[i] = selector.Position{Start: s.Start, End: s.End}
	}
	return ps
}

func coverTitle(spans []Span, covers []int) string {
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

func stanceSymbol(s string) string {
	switch s {
	case "for":
		return "✓"
	case "against":
		return "✗"
	case "conditional":
		return "◐"
	case "mixed":
		return "±"
	}
	return "○"
}

func stanceWord(s string) string {
	if s == "neutral" {
		return "describes"
	}
	return s
}

func kindWord(k string) string {
	switch k {
	case "quote":
		return "direct quote"
	case "paraphrase":
		return "paraphrase"
	case "analysis":
		return "author's analysis"
	}
	return k
}

func paragraphLabel(pos int) string {
	if pos == 0 {
		return "removed passage"
	}
	return "¶ " + strconv.Itoa(pos)
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
