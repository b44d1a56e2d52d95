package query_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"unicode/utf8"

	_ "modernc.org/sqlite"

	"github.com/sourcebook/sourcebook/store/query"
)

// FuzzParse feeds the parser hostile input and runs what it writes against a real FTS5
// table with the index's tokenizer: it must never panic and SQLite must never reject it.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`"`, `""`, `"a" "`, `-`, `--`, `-"`, `*`, `a*b*`, `OR OR`, `a OR`, `OR a`, `NOT`, `AND`,
		`NEAR(a b, 3)`, `a:b`, `{a b}:c`, `^a`, `a + b`, `(a OR b`, `)`, `'`, `;`, `\x00`,
		`🇺🇦`, `e\u0301`, `Élysée`, `'; DROP TABLE search; --`, `" OR 1=1 --`, `a\"b`,
		`-only`, `x*`, `"unbalanced`, "tab\tnew\nline", `%_`, `\`, `a-b-c`, `U.S.`,
	} {
		f.Add(s)
	}
	db, err := sql.Open("sqlite", filepath.Join(f.TempDir(), "fuzz.db"))
	if err != nil {
		f.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 2');
		INSERT INTO t VALUES ('Budapest Memorandum', 'security guarantees for Ukraine, Élysée and U.S. views');`); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := query.Parse(s)
		match := q.FTS()
		// The query's words marked in any text (here the input itself) are runs of that text, in order.
		m := q.Matcher()
		toks := m.Tokenize(s)
		inOrder := func(text string, rs []query.Range) {
			at := 0
			for _, r := range rs {
				if r.Start < at || r.End <= r.Start || r.End > len(text) {
					t.Fatalf("marks of %q: %v out of order or out of the text", text, rs)
				}
				at = r.End
			}
		}
		inOrder(s, query.Mark(toks))
		inOrder(query.Excerpt(s, toks, 5, "…"))
		if match == "" {
			return
		}
		if !utf8.ValidString(match) {
			t.Fatalf("Parse(%q) wrote invalid UTF-8: %q", s, match)
		}
		rows, err := db.QueryContext(context.Background(), `SELECT rowid FROM t WHERE t MATCH ?`, match)
		if err != nil {
			t.Fatalf("Parse(%q) → %q: SQLite refused it: %v", s, match, err)
		}
		for rows.Next() {
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("Parse(%q) → %q: %v", s, match, err)
		}
		rows.Close()
	})
}
