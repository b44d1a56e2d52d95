// Package selector anchors quotations in text the way the W3C Web Annotation model does: a
// TextPositionSelector (start and end offsets) and a TextQuoteSelector (the exact words with
// a little context either side), so a citation can be found again after its text is edited.
//
// Offsets are counted in Unicode code points, the unit the store keeps. Go strings index
// bytes and browsers count UTF-16 code units, so conversions live here, at the edges.
package selector

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// ContextLen is how many code points of prefix and suffix a Quote keeps.
const ContextLen = 32

// Position is a TextPositionSelector: [Start, End) in code points.
type Position struct {
	Start, End int
}

// Quote is a TextQuoteSelector.
type Quote struct {
	Exact, Prefix, Suffix string
}

// Anchor is a quotation located in a text by both selectors.
type Anchor struct {
	Position
	Quote
}

// Find locates the nth (1-based) occurrence of exact in text. It reports false when there
// is no such occurrence or exact is empty.
func Find(text, exact string, nth int) (Anchor, bool) {
	if exact == "" || nth < 1 {
		return Anchor{}, false
	}
	from := 0
	for i := 1; ; i++ {
		j := strings.Index(text[from:], exact)
		if j < 0 {
			return Anchor{}, false
		}
		at := from + j
		if i == nth {
			return anchorAt(text, at, at+len(exact)), true
		}
		_, size := utf8.DecodeRuneInString(text[at:])
		from = at + size
	}
}

// Count reports how many times exact occurs in text, overlapping occurrences included, so
// that it agrees with the occurrences Find can reach.
func Count(text, exact string) int {
	if exact == "" {
		return 0
	}
	n := 0
	for from := 0; ; {
		j := strings.Index(text[from:], exact)
		if j < 0 {
			return n
		}
		n++
		_, size := utf8.DecodeRuneInString(text[from+j:])
		from += j + size
	}
}

// At builds the anchor for the code-point span [start, end) of text. It reports false when
// the span does not lie inside the text or is empty.
func At(text string, p Position) (Anchor, bool) {
	if p.Start < 0 || p.End <= p.Start {
		return Anchor{}, false
	}
	b0, ok0 := byteOffset(text, p.Start)
	b1, ok1 := byteOffset(text, p.End)
	if !ok0 || !ok1 {
		return Anchor{}, false
	}
	return anchorAt(text, b0, b1), true
}

// Slice returns the text's code points [start, end), or false if out of range.
func Slice(text string, p Position) (string, bool) {
	a, ok := At(text, p)
	return a.Exact, ok
}

// Method says how a quote was found again after its text changed.
type Method string

// The ways a quote is re-found, from most to least certain.
const (
	Unchanged Method = "unchanged" // the same words at the same offsets
	Exact     Method = "exact"     // the words occur once, elsewhere in the text
	Context   Method = "context"   // the words occur several times; the prefix and suffix chose one
)

// Reanchor finds a quote again in a text that may have changed: first at its recorded
// position, then as the unique occurrence of its exact words, then, when the words occur
// several times, as the occurrence whose surrounding context best matches prefix and suffix.
func Reanchor(text string, a Anchor) (Anchor, bool) {
	got, _, ok := ReanchorHow(text, a)
	return got, ok
}

// ReanchorHow is Reanchor, also saying how the quote was found.
func ReanchorHow(text string, a Anchor) (Anchor, Method, bool) {
	if got, ok := At(text, a.Position); ok && got.Exact == a.Exact {
		return got, Unchanged, true
	}
	n := Count(text, a.Exact)
	switch n {
	case 0:
		return Anchor{}, "", false
	case 1:
		got, ok := Find(text, a.Exact, 1)
		return got, Exact, ok
	}
	best, bestScore := Anchor{}, -1
	for i := 1; i <= n; i++ {
		c, _ := Find(text, a.Exact, i)
		score := commonSuffixLen(c.Prefix, a.Prefix) + commonPrefixLen(c.Suffix, a.Suffix)
		if score > bestScore {
			best, bestScore = c, score
		}
	}
	return best, Context, true
}

// ContextScore says how well the context around an anchor matches a recorded one: the
// number of bytes of prefix and suffix that agree.
func ContextScore(got, want Anchor) int {
	return commonSuffixLen(got.Prefix, want.Prefix) + commonPrefixLen(got.Suffix, want.Suffix)
}

// UTF16ToCodePoints converts an offset counted in UTF-16 code units (as a browser's Range
// reports it) to code points. An offset inside a surrogate pair or past the end is invalid.
func UTF16ToCodePoints(text string, u16 int) (int, bool) {
	units, cps := 0, 0
	for _, r := range text {
		if units == u16 {
			return cps, true
		}
		if units > u16 {
			return 0, false
		}
		units += utf16Len(r)
		cps++
	}
	return cps, units == u16
}

func utf16Len(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

func anchorAt(text string, b0, b1 int) Anchor {
	start := utf8.RuneCountInString(text[:b0])
	return Anchor{
		Position: Position{Start: start, End: start + utf8.RuneCountInString(text[b0:b1])},
		Quote: Quote{
			Exact:  text[b0:b1],
			Prefix: lastRunes(text[:b0], ContextLen),
			Suffix: firstRunes(text[b1:], ContextLen),
		},
	}
}

// byteOffset returns the byte index of code point cp; cp may equal the rune count (the end).
func byteOffset(text string, cp int) (int, bool) {
	n := 0
	for i := range text {
		if n == cp {
			return i, true
		}
		n++
	}
	return len(text), n == cp
}

func firstRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

func lastRunes(s string, n int) string {
	i := len(s)
	for i > 0 && n > 0 {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
		n--
	}
	return s[i:]
}

func commonPrefixLen(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

func commonSuffixLen(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[len(a)-1-n] == b[len(b)-1-n] {
		n++
	}
	return n
}

// Piece is a run of text and the spans (indices into the list given to Split) covering it.
type Piece struct {
	Text   string
	Covers []int
}

// Split cuts text at every span boundary, so overlapping citations can each be marked. Spans
// (in characters) outside the text are ignored.
func Split(text string, spans []Position) []Piece {
	if text == "" {
		return nil
	}
	if len(spans) == 0 {
		return []Piece{{Text: text}} // most blocks: no citation, nothing to convert
	}
	n := utf8.RuneCountInString(text)
	points := []int{0, n}
	for _, s := range spans {
		if s.Start >= 0 && s.End <= n && s.Start < s.End {
			points = append(points, s.Start, s.End)
		}
	}
	slices.Sort(points)
	points = slices.Compact(points)
	// The byte offset of each cut point, found in one pass over the text.
	offsets := make([]int, len(points))
	i, char := 0, 0
	for at := range text {
		for i < len(points) && points[i] == char {
			offsets[i] = at
			i++
		}
		char++
	}
	for ; i < len(points); i++ {
		offsets[i] = len(text)
	}
	pieces := make([]Piece, 0, len(points)-1)
	for i := 0; i+1 < len(points); i++ {
		a, b := points[i], points[i+1]
		p := Piece{Text: text[offsets[i]:offsets[i+1]]}
		for j, s := range spans {
			if s.Start <= a && b <= s.End && s.End <= n {
				p.Covers = append(p.Covers, j)
			}
		}
		pieces = append(pieces, p)
	}
	return pieces
}
