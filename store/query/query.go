// Package query reads the search language people already know from web search engines —
// words that must all match, "exact phrases", -exclusions, prefix* matches and OR — and
// writes it out as an SQLite FTS5 query that cannot fail.
//
// Anything else a user types (stray quotes, NEAR(, column:filters, ^, lone operators, emoji,
// pages of pasted text, SQL) is read as plain words. Every term reaches FTS5 as a quoted
// string of letters and digits only, so no input is ever parsed as FTS5 syntax.
package query

import (
	"slices"
	"strings"
	"unicode"
)

// Limits keep a pasted essay from turning into a query that takes seconds.
const (
	MaxTerms     = 24
	maxInputLen  = 2000 // bytes of input read; the rest is ignored
	maxPhraseLen = 12   // words in one phrase
)

// Term is one word, prefix or phrase.
type Term struct {
	Words  []string // lowercased words; more than one for a phrase
	Prefix bool     // the last word matches as a prefix: guarant*
	Phrase bool     // written in double quotes
}

// Query is a parsed search: every group must match (AND), a group matches if any of its
// terms does (OR), and no excluded term may match.
type Query struct {
	Groups  [][]Term
	Exclude []Term
}

// Empty reports whether the query asks for nothing. A query of exclusions alone is empty:
// there is nothing positive to search for.
func (q Query) Empty() bool { return len(q.Groups) == 0 }

// Parse reads a query. It never fails: what it cannot read as syntax it reads as words.
func Parse(s string) Query {
	if len(s) > maxInputLen {
		s = s[:maxInputLen]
	}
	var q Query
	var group []Term
	orNext := false // the previous token was OR, so the next term joins the current group
	terms := 0
	flush := func() {
		if len(group) > 0 {
			q.Groups = append(q.Groups, group)
			group = nil
		}
	}
	for _, tok := range tokens(s) {
		if terms >= MaxTerms {
			break
		}
		if tok.or {
			if len(group) > 0 {
				orNext = true
			}
			continue
		}
		t, ok := term(tok)
		if !ok {
			continue
		}
		terms++
		if tok.minus {
			q.Exclude = append(q.Exclude, t)
			orNext = false
			continue
		}
		if !orNext {
			flush()
		}
		group = append(group, t)
		orNext = false
	}
	flush()
	return q
}

type token struct {
	text   string
	quoted bool
	minus  bool
	or     bool
}

// tokens splits the input into quoted phrases and bare words. A quote with no partner is
// dropped, so `"security guarantees` reads as two words.
func tokens(s string) []token {
	var out []token
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case r == '"' || ((r == '-') && i+1 < len(rs) && rs[i+1] == '"'):
			minus := r == '-'
			start := i + 1
			if minus {
				start++
			}
			end := -1
			for j := start; j < len(rs); j++ {
				if rs[j] == '"' {
					end = j
					break
				}
			}
			if end < 0 { // unbalanced: skip the quote, read on as words
				i = start
				continue
			}
			out = append(out, token{text: string(rs[start:end]), quoted: true, minus: minus})
			i = end + 1
		default:
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) && rs[j] != '"' {
				j++
			}
			w := string(rs[i:j])
			i = j
			switch {
			case w == "OR" || w == "|":
				out = append(out, token{or: true})
			case strings.HasPrefix(w, "-") && len(w) > 1:
				out = append(out, token{text: w[1:], minus: true})
			default:
				out = append(out, token{text: w})
			}
		}
	}
	return out
}

// term turns a token into a term of letters and digits; ok is false if nothing is left.
func term(tok token) (Term, bool) {
	t := Term{Phrase: tok.quoted}
	text := tok.text
	if !tok.quoted && strings.HasSuffix(text, "*") {
		t.Prefix = true
		text = strings.TrimRight(text, "*")
	}
	t.Words = words(text)
	if len(t.Words) > maxPhraseLen {
		t.Words = t.Words[:maxPhraseLen]
	}
	if len(t.Words) == 0 {
		return Term{}, false
	}
	if !tok.quoted && len(t.Words) > 1 {
		// "Zelensky's" or "U.S." written as one token: keep the pieces together as a phrase,
		// which is what the user typed; a prefix applies to the last piece.
		t.Phrase = true
	}
	return t, true
}

// words lowercases s and splits it into runs of letters, digits and combining marks, which
// is what the index's unicode61 tokenizer keeps.
func words(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
	})
	for i := range f {
		f[i] = strings.ToLower(f[i])
	}
	return f
}

// FTS writes the query as an FTS5 MATCH expression. Every term is a double-quoted string of
// letters and digits, so the expression is always valid. It returns "" for an empty query.
func (q Query) FTS() string {
	if q.Empty() {
		return ""
	}
	var and []string
	for _, g := range q.Groups {
		var or []string
		for _, t := range g {
			or = append(or, t.fts())
		}
		if len(or) == 1 {
			and = append(and, or[0])
		} else {
			and = append(and, "("+strings.Join(or, " OR ")+")")
		}
	}
	s := strings.Join(and, " AND ")
	for _, t := range q.Exclude {
		s += " NOT " + t.fts()
	}
	return s
}

// Terms returns the query's positive terms in the order they were written, the order its
// Matcher numbers them.
func (q Query) Terms() []Term {
	var out []Term
	for _, g := range q.Groups {
		out = append(out, g...)
	}
	return out
}

// FTS writes the term as an FTS5 string.
func (t Term) FTS() string { return t.fts() }

func (t Term) fts() string {
	s := `"` + strings.Join(t.Words, " ") + `"`
	if t.Prefix {
		s += "*"
	}
	return s
}

// String writes the query back in the user's language, normalised.
func (q Query) String() string {
	var parts []string
	for _, g := range q.Groups {
		var or []string
		for _, t := range g {
			or = append(or, t.String())
		}
		parts = append(parts, strings.Join(or, " OR "))
	}
	for _, t := range q.Exclude {
		parts = append(parts, "-"+t.String())
	}
	return strings.Join(parts, " ")
}

func (t Term) String() string {
	s := strings.Join(t.Words, " ")
	if t.Phrase {
		s = `"` + s + `"`
	}
	if t.Prefix {
		s += "*"
	}
	return s
}

// Respell rewrites a query as its user typed it, each word that corrections holds (by its
// lowercased form) replaced, and everything else kept: their case, quotes and operators.
func Respell(typed string, corrections map[string]string) string {
	var b strings.Builder
	word := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) }
	for len(typed) > 0 {
		end := strings.IndexFunc(typed, func(r rune) bool { return !word(r) })
		if end == 0 {
			end = strings.IndexFunc(typed, word)
			if end < 0 {
				end = len(typed)
			}
			b.WriteString(typed[:end])
		} else {
			if end < 0 {
				end = len(typed)
			}
			w := typed[:end]
			if c, ok := corrections[strings.ToLower(w)]; ok {
				w = c
			}
			b.WriteString(w)
		}
		typed = typed[end:]
	}
	return b.String()
}

// MapWords returns the query with each word of its positive terms replaced by f's answer,
// as a spelling correction does. Prefixes are left alone: "guarant*" is not misspelt.
func (q Query) MapWords(f func(word string) string) Query {
	out := Query{Exclude: q.Exclude, Groups: make([][]Term, len(q.Groups))}
	for i, g := range q.Groups {
		out.Groups[i] = make([]Term, len(g))
		for j, t := range g {
			t.Words = slices.Clone(t.Words)
			for k, w := range t.Words {
				if !t.Prefix || k < len(t.Words)-1 {
					t.Words[k] = f(w)
				}
			}
			out.Groups[i][j] = t
		}
	}
	return out
}

// Words returns every positive word of the query, for highlighting and suggestions.
func (q Query) Words() []string {
	var out []string
	for _, g := range q.Groups {
		for _, t := range g {
			out = append(out, t.Words...)
		}
	}
	return out
}
