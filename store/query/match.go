package query

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	porter "github.com/blevesearch/go-porterstemmer"
	"golang.org/x/text/unicode/norm"
)

// The search index finds the rows that match; Go reads the few rows worth showing, to rank
// them and to mark the words that matched. Doing both here rather than with FTS5's bm25()
// and snippet() is what keeps a search fast on a large corpus: bm25() walks the whole
// posting list of every term to count the rows that hold it, which for a word in half the
// passages costs tens of milliseconds, and each snippet() seeks every term's list again.
//
// To agree with the index, text is read the way its tokenizer reads it
// ('porter unicode61 remove_diacritics 2'): runs of letters and digits, lowercased, without
// diacritics, then reduced by the Porter stemmer. TestMatcherAgreesWithTheIndex checks the
// two agree on the seed corpus's every word.

// Token is one word of a text: its byte span and the term it matched, if any.
type Token struct {
	Start, End int
	Term       int  // index into the matcher's terms; -1 if the token matched none
	First      bool // the first word of a match (a phrase's words are one match)
}

// Matcher finds a query's positive terms in text.
type Matcher struct {
	terms []matchTerm
	heads []string // the first two letters of every term word
	// The ASCII letters term words begin with. A word beginning with an ASCII letter folds
	// to one beginning with that letter, so it can match no word beginning otherwise.
	firsts [utf8.RuneSelf]bool
}

type matchTerm struct {
	words  []string // folded and stemmed
	prefix bool     // the last word matches as a prefix
}

// Matcher returns the matcher of the query's positive terms (exclusions match nothing in
// the rows a search returns). Terms are numbered in the order they were written.
func (q Query) Matcher() *Matcher {
	m := &Matcher{}
	for _, g := range q.Groups {
		for _, t := range g {
			mt := matchTerm{prefix: t.Prefix}
			for _, w := range t.Words {
				w = stem(fold(w))
				mt.words = append(mt.words, w)
				m.heads = append(m.heads, w[:min(2, len(w))])
				if w != "" && w[0] < utf8.RuneSelf {
					m.firsts[w[0]] = true
				}
			}
			m.terms = append(m.terms, mt)
		}
	}
	return m
}

// Count adds to counts (one per term) how many times each term occurs in text, a phrase
// once per run of its words. It keeps no tokens, so that scoring hundreds of rows is cheap.
func (m *Matcher) Count(text string, counts []int) {
	var recent [maxPhraseLen]string // the stems of the last tokens, in a ring
	n := 0                          // tokens so far
	for end := 0; ; {
		var start int
		if start, end = nextToken(text, end); start < 0 {
			break
		}
		recent[n%maxPhraseLen] = m.candidate(text[start:end])
		n++
		if recent[(n-1)%maxPhraseLen] == "" {
			continue // no term ends in a word that matches none
		}
		for ti, t := range m.terms {
			if k := len(t.words); k <= n && t.endsAt(recent[:], n-1) {
				counts[ti]++
			}
		}
	}
}

// endsAt reports whether the term's words are the stems of the tokens ending at token i,
// whose stems are in the ring (or in a slice of them all, as a ring that never wraps).
func (t matchTerm) endsAt(ring []string, i int) bool {
	k := len(t.words)
	for j, w := range t.words {
		s := ring[(i-k+1+j)%len(ring)]
		if s != w && !(j == k-1 && t.prefix && strings.HasPrefix(s, w)) {
			return false
		}
	}
	return true
}

// Tokenize splits text into tokens and marks those that match a term. For a phrase, every
// word of the matched run is marked with the phrase's term.
func (m *Matcher) Tokenize(text string) []Token {
	toks := make([]Token, 0, len(text)/6)
	var stems []string // the stem of each token, computed only where a term might match
	for end := 0; ; {
		var start int
		if start, end = nextToken(text, end); start < 0 {
			break
		}
		toks = append(toks, Token{Start: start, End: end, Term: -1})
		stems = append(stems, m.candidate(text[start:end]))
	}
	for i := range toks {
		if stems[i] == "" || toks[i].Term >= 0 {
			continue
		}
		for ti, t := range m.terms {
			if n := len(t.words); i+n <= len(stems) && t.endsAt(stems, i+n-1) {
				for j := i; j < i+n; j++ {
					toks[j].Term = ti
				}
				toks[i].First = true
				break
			}
		}
	}
	return toks
}

// candidate returns the token's stem if it could match a term's word, or "". Stemming every
// word of every row would be most of the cost of ranking; the Porter stemmer only rewrites
// the end of a word, so a word that does not begin with a term word's first two letters
// cannot match it.
func (m *Matcher) candidate(token string) string {
	if c := token[0]; c < utf8.RuneSelf && !m.firsts[lower(c)] {
		return "" // the common case, decided on one byte
	}
	if isASCII(token) {
		if !m.starts(token) {
			return ""
		}
		return stem(strings.ToLower(token))
	}
	if w := fold(token); m.starts(w) {
		return stem(w)
	}
	return ""
}

// starts reports whether the word begins, ignoring ASCII case, like some term word.
func (m *Matcher) starts(w string) bool {
	for _, p := range m.heads {
		if len(w) >= len(p) && (len(p) < 1 || lower(w[0]) == p[0]) && (len(p) < 2 || lower(w[1]) == p[1]) {
			return true
		}
	}
	return false
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// nextToken returns the byte span of the first word of text at or after from, or -1 if
// there is none. A word is a run of letters and digits, and of the combining marks that
// remove_diacritics then drops, as for unicode61.
func nextToken(text string, from int) (start, end int) {
	i := from
	for i < len(text) && !isWordAt(text, i) {
		i += runeLen(text, i)
	}
	if i >= len(text) {
		return -1, len(text)
	}
	start = i
	for i < len(text) && isWordAt(text, i) {
		i += runeLen(text, i)
	}
	return start, i
}

func isWordAt(text string, i int) bool {
	if c := text[i]; c < utf8.RuneSelf {
		return asciiWord[c]
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Co, r)
}

func runeLen(text string, i int) int {
	if text[i] < utf8.RuneSelf {
		return 1
	}
	_, n := utf8.DecodeRuneInString(text[i:])
	return n
}

var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()

// fold lowercases a word and, as remove_diacritics does, removes the diacritics of Latin
// letters: "Élysée" → "elysee". Other scripts keep theirs: "Україна" stays as it is.
func fold(w string) string {
	if isASCII(w) {
		return strings.ToLower(w)
	}
	var b strings.Builder
	for _, r := range w {
		switch {
		case r < utf8.RuneSelf:
			b.WriteRune(unicode.ToLower(r))
		case 0x300 <= r && r <= 0x36f:
			// a combining diacritic typed on its own: dropped
		default:
			base, _ := utf8.DecodeRuneInString(norm.NFD.String(string(r)))
			if !unicode.Is(unicode.Latin, base) {
				base = r
			}
			b.WriteRune(unicode.ToLower(base))
		}
	}
	return b.String()
}

// Stem is the term the index stores for a word: folded, then stemmed.
func Stem(word string) string { return stem(fold(word)) }

// Fold is a word as the index reads it before stemming: lowercased, Latin diacritics removed.
func Fold(word string) string { return fold(word) }

// WordWithStem returns the first word of text whose stem is term, as the text writes it, or "".
func WordWithStem(text, term string) string {
	for i := 0; ; {
		start, end := nextToken(text, i)
		if start < 0 {
			return ""
		}
		if w := text[start:end]; Stem(w) == term {
			return w
		}
		i = end
	}
}

// stem is the Porter stem of a folded word, as SQLite's porter tokenizer writes it: words
// shorter than three or longer than 64 bytes are left alone.
func stem(w string) string {
	if len(w) < 3 || len(w) > 64 {
		return w
	}
	return porter.StemString(w)
}

// Range is a run of matched text: the bytes [Start, End) of the text it was found in.
// Matches are given as ranges, not as markers in the text, so that whoever shows them
// escapes the text and marks it in one step, and no byte of the text can pass for a marker.
type Range struct{ Start, End int }

// Mark returns the runs of matched tokens among toks, in order, as ranges of the text they
// were tokenized from.
func Mark(toks []Token) []Range {
	return mark(toks, 0, math.MaxInt, 0)
}

// Excerpt returns about n tokens of text around its best run of matches (the most distinct
// terms, then the most matched words, then the earliest), with ellipsis where the text was
// cut, and the matches as ranges of the excerpt. A text of n tokens or fewer is returned
// whole.
func Excerpt(text string, toks []Token, n int, ellipsis string) (string, []Range) {
	if len(toks) <= n {
		return text, mark(toks, 0, len(text), 0)
	}
	best, bestDistinct, bestHits := 0, -1, -1
	for i, t := range toks {
		if t.Term < 0 && i > 0 {
			continue
		}
		// A little context before the first match, and never past the end.
		from := min(max(0, i-3), len(toks)-n)
		seen := map[int]bool{}
		hits := 0
		for _, u := range toks[from : from+n] {
			if u.Term >= 0 {
				seen[u.Term] = true
				hits++
			}
		}
		if len(seen) > bestDistinct || len(seen) == bestDistinct && hits > bestHits {
			best, bestDistinct, bestHits = from, len(seen), hits
		}
	}
	last := best + n - 1
	start, end := toks[best].Start, toks[last].End
	var b strings.Builder
	if best > 0 {
		b.WriteString(ellipsis)
	} else {
		start = 0
	}
	if last == len(toks)-1 {
		end = len(text)
	}
	shift := b.Len() - start
	b.WriteString(text[start:end])
	if last < len(toks)-1 {
		b.WriteString(ellipsis)
	}
	return b.String(), mark(toks[best:last+1], start, end, shift)
}

// mark returns the runs of matched tokens among toks that lie in [start, end), moved by
// shift.
func mark(toks []Token, start, end, shift int) []Range {
	var out []Range
	from := start
	for i, t := range toks {
		if t.Term < 0 || t.Start < start || t.End > end {
			continue
		}
		// A phrase's words are one run: it opens at its first word and closes after its last.
		if t.First || i == 0 || toks[i-1].Term != t.Term {
			from = t.Start
		}
		if i == len(toks)-1 || toks[i+1].Term != t.Term || toks[i+1].First {
			out = append(out, Range{from + shift, t.End + shift})
		}
	}
	return out
}
