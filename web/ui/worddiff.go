package ui

import (
	"regexp"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// DiffPiece is a stretch of a word diff: words both texts have (Op 0), words only the old
// one has (Op -1, shown struck through in <del>) or only the new one (Op 1, in <ins>).
type DiffPiece struct {
	Op   int
	Text string
}

// wordToken splits text into words (with the punctuation attached to them) and the spaces
// between them: a diff of these changes whole words, as a reader compares two versions.
var wordToken = regexp.MustCompile(`\s+|\S+`)

// WordDiff compares two texts word by word, with diff-match-patch (github.com/sergi/go-diff)
// run over the words rather than the characters: each distinct word is given one code point
// (from U+10000, above the surrogates), the code point strings are diffed, and the code
// points turned back into words. Spaces are tokens too, so the pieces joined give back the
// texts exactly.
func WordDiff(old, new string) []DiffPiece {
	ids := map[string]rune{}
	var words []string
	encode := func(text string) []rune {
		var out []rune
		for _, w := range wordToken.FindAllString(text, -1) {
			id, ok := ids[w]
			if !ok {
				id = rune(0x10000 + len(words))
				ids[w] = id
				words = append(words, w)
			}
			out = append(out, id)
		}
		return out
	}
	a, b := encode(old), encode(new)
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0 // an exact diff: texts are a paragraph, or a source of a few thousand words
	diffs := dmp.DiffCleanupSemantic(dmp.DiffMainRunes(a, b, false))
	var out []DiffPiece
	for _, d := range diffs {
		var sb strings.Builder
		for _, r := range d.Text {
			sb.WriteString(words[r-0x10000])
		}
		op := 0
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			op = -1
		case diffmatchpatch.DiffInsert:
			op = 1
		}
		if n := len(out); n > 0 && out[n-1].Op == op {
			out[n-1].Text += sb.String()
			continue
		}
		out = append(out, DiffPiece{Op: op, Text: sb.String()})
	}
	return out
}
