// Text: checks on what editors type (FieldErrors, clean text, allowed values) and the slugs
// made from it.

package store

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// FieldErrors reports what is wrong with a form, field by field, in words for the editor.
// It wraps ErrInvalid.
type FieldErrors map[string]string

func (f FieldErrors) Error() string {
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+": "+f[k])
	}
	return "invalid: " + strings.Join(parts, "; ")
}

// Unwrap lets errors.Is(err, ErrInvalid) see field errors.
func (f FieldErrors) Unwrap() error { return ErrInvalid }

func (f FieldErrors) orNil() error {
	if len(f) == 0 {
		return nil
	}
	return f
}

// cleanText records in errs what is wrong with value as the text of field, unless the
// field has an error already. Every input an editor writes passes through it, so that what
// reaches HTML, CSV, BibTeX, RIS and a terminal printing them is text: printable Unicode,
// plus newlines and tabs where the field holds more than a line (multiline; a browser
// sends a textarea's line breaks as CR LF, so CR is allowed there too). Refused: invalid
// UTF-8; C0 and C1 control characters and DEL (NUL truncates strings in C tools, ESC starts
// a terminal's escape sequences, so `cat cite.bib` could recolour or retitle a terminal);
// and the bidirectional embedding, override and isolate characters, which make text display
// in an order other than the one it is stored in (a title that reads one way and sorts,
// searches and cites another).
func cleanText(errs FieldErrors, field, value string, multiline bool) {
	if errs[field] != "" {
		return
	}
	if msg := textProblem(value, multiline); msg != "" {
		errs[field] = "in the " + strings.ReplaceAll(field, "_", " ") + ", " + msg
	}
}

// textProblem says what is wrong with value as text, or "" if nothing is.
func textProblem(value string, multiline bool) string {
	if !utf8.ValidString(value) {
		return "the text is not valid UTF-8: paste it again from its source, or save the file as UTF-8"
	}
	for i, r := range []rune(value) {
		switch {
		case multiline && (r == '\n' || r == '\r' || r == '\t'):
		case unicode.IsControl(r):
			return fmt.Sprintf("character %d is a control character, %s: remove it", i+1, runeName(r))
		case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
			return fmt.Sprintf("character %d is a bidirectional control, U+%04X, which makes text display differently from what it says: remove it", i+1, r)
		}
	}
	return ""
}

// runeName names a control character the way an editor might look it up.
func runeName(r rune) string {
	names := map[rune]string{0: " (NUL)", '\t': " (tab)", '\n': " (line break)", '\r': " (carriage return)", 0x1b: " (ESC)", 0x7f: " (DEL)"}
	return fmt.Sprintf("U+%04X%s", r, names[r])
}

var slugStrip = regexp.MustCompile(`[^a-z0-9]+`)

// slugify makes a URL slug of a title's first words.
func slugify(title string) string {
	s := strings.Join(slugWords(title, 7), "-")
	if s == "" {
		s = "source"
	}
	return s
}

func uniqueSlug(ctx context.Context, tx *sql.Tx, table, base string) (string, error) {
	slug := base
	for i := 2; ; i++ {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE slug = ?`, slug).Scan(&n); err != nil {
			return "", fmt.Errorf("slug: %w", err)
		}
		if n == 0 {
			return slug, nil
		}
		slug = fmt.Sprintf("%s-%d", base, i)
	}
}

// slugMaxLen bounds a slug's words, hyphens included: a URL that can still be read aloud.
const slugMaxLen = 60

// slugStopWords are the words a slug must not end on: "…guarantee-for" and
// "…not-named-in-the" read as cut off. They stay inside a slug, only its end is trimmed.
var slugStopWords = map[string]bool{
	"a": true, "an": true, "the": true, "and": true, "or": true, "but": true, "nor": true,
	"of": true, "for": true, "in": true, "on": true, "at": true, "to": true, "by": true,
	"with": true, "from": true, "into": true, "onto": true, "as": true, "than": true,
	"about": true, "over": true, "under": true, "after": true, "before": true, "per": true,
	"is": true, "are": true, "was": true, "were": true, "be": true, "been": true,
	"that": true, "which": true, "who": true, "if": true, "its": true, "their": true, "his": true, "her": true,
}

// slugWords are the first words of text for a slug: at most max of them, cut where a word
// ends so their hyphenated length stays within slugMaxLen, and without trailing stop words,
// so the slug ends on a word that means something. Only new records get slugs made here;
// existing slugs are permanent addresses and never remade.
func slugWords(text string, max int) []string {
	words := strings.Fields(slugStrip.ReplaceAllString(strings.ToLower(text), " "))
	if len(words) > max {
		words = words[:max]
	}
	n := 0
	for i, w := range words {
		if n+len(w) > slugMaxLen && i > 0 {
			words = words[:i]
			break
		}
		n += len(w) + 1
	}
	end := len(words)
	for end > 0 && slugStopWords[words[end-1]] {
		end--
	}
	if end == 0 { // all stop words ("To be or not to be"): keep them rather than nothing
		return words
	}
	return words[:end]
}
