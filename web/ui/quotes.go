package ui

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Quoted puts words in double quotation marks, the way a careful editor would:
//   - words that already stand wholly inside their own double marks keep one pair, not two;
//   - marks inside them become single ones, since a quotation within a quotation alternates
//     ("he called it "game-changing"" reads “he called it ‘game-changing’”);
//   - straight marks become curly, opening or closing by where they stand, and an apostrophe
//     becomes ’.
func Quoted(s string) string {
	s = strings.TrimSpace(s)
	if inner, ok := wholeQuote(s); ok {
		s = inner
	}
	return "“" + nest(s) + "”"
}

// Nested writes the marks of text that will stand inside double quotation marks, as a title
// does in a citation: double marks become single ones, and straight marks curly.
func Nested(s string) string { return nest(s) }

// wholeQuote reports whether s is one quotation, marks at both ends and none between, and
// returns what stands inside.
func wholeQuote(s string) (string, bool) {
	first, n := utf8.DecodeRuneInString(s)
	last, m := utf8.DecodeLastRuneInString(s)
	if len(s) < n+m || !isDoubleMark(first) || !isDoubleMark(last) {
		return "", false
	}
	inner := s[n : len(s)-m]
	if strings.IndexFunc(inner, isDoubleMark) >= 0 {
		return "", false
	}
	return inner, true
}

func isDoubleMark(r rune) bool { return r == '"' || r == '“' || r == '”' }

// nest turns double marks into single ones and straight marks into curly ones.
func nest(s string) string {
	if !strings.ContainsAny(s, "\"'“”") {
		return s
	}
	var b strings.Builder
	prev := ' '
	for i, r := range s {
		next, _ := utf8.DecodeRuneInString(s[i+utf8.RuneLen(r):])
		switch r {
		case '“':
			r = '‘'
		case '”':
			r = '’'
		case '"', '\'':
			if opens(prev, next) {
				r = '‘'
			} else {
				r = '’' // a closing mark, or an apostrophe: the same character
			}
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// opens reports whether a straight mark between prev and next opens a quotation: it follows
// a space, an opening bracket or dash, or the start, and comes before a word.
func opens(prev, next rune) bool {
	after := unicode.IsSpace(prev) || strings.ContainsRune("([{‘“—–-/", prev)
	return after && next != utf8.RuneError && !unicode.IsSpace(next)
}
