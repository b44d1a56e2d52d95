package query_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sourcebook/sourcebook/store/query"
	"github.com/sourcebook/sourcebook/store/storetest"
)

func marked(q, text string) string {
	m := query.Parse(q).Matcher()
	return bracket(text, query.Mark(m.Tokenize(text)))
}

// bracket shows text with its ranges in brackets, so a test can say what is marked.
func bracket(text string, rs []query.Range) string {
	var b strings.Builder
	at := 0
	for _, r := range rs {
		b.WriteString(text[at:r.Start] + "[" + text[r.Start:r.End] + "]")
		at = r.End
	}
	return b.String() + text[at:]
}

// excerpt is query.Excerpt's text with its matches in brackets.
func excerpt(text string, toks []query.Token, n int) string {
	return bracket(query.Excerpt(text, toks, n, "…"))
}

func TestMarkFindsWordsAsTheIndexDoes(t *testing.T) {
	for _, c := range []struct{ q, text, want string }{
		// Stemming: the index finds "guarantees" for "guarantee", so it is marked.
		{"guarantee", "Security guarantees, guaranteed.", "Security [guarantees], [guaranteed]."},
		// Case and diacritics.
		{"elysee", "At the ÉLYSÉE, and the Élysée.", "At the [ÉLYSÉE], and the [Élysée]."},
		// A phrase is one mark, and only where its words are in order.
		{`"red lines"`, "red lines and lines red", "[red lines] and lines red"},
		// A prefix.
		{"Kvartal*", "Artem Kvartalnov's view", "Artem [Kvartalnov]'s view"},
		// OR: either word.
		{"Cyprus OR Korea", "Korea, not Cyprus.", "[Korea], not [Cyprus]."},
		// Exclusions are not marked: the rows shown do not contain them.
		{"Minsk -France", "Minsk", "[Minsk]"},
		// Words that merely begin alike are not marked.
		{"guarantee", "a guard", "a guard"},
	} {
		if got := marked(c.q, c.text); got != c.want {
			t.Errorf("%s in %q: %q, want %q", c.q, c.text, got, c.want)
		}
	}
}

func TestExcerptShowsTheBestRunOfMatches(t *testing.T) {
	text := "One two three four five six seven eight nine ten. Budapest was signed in 1994 with " +
		"assurances, not guarantees, and the Budapest text is short. Eleven twelve thirteen fourteen."
	m := query.Parse("Budapest guarantees").Matcher()
	got := excerpt(text, m.Tokenize(text), 12)
	want := "…eight nine ten. [Budapest] was signed in 1994 with assurances, not [guarantees]…"
	if got != want {
		t.Errorf("excerpt:\n got %q\nwant %q", got, want)
	}
	// A short text is shown whole; one without a match shows its start.
	if got := excerpt("Only Budapest.", m.Tokenize("Only Budapest."), 12); got != "Only [Budapest]." {
		t.Errorf("short text: %q", got)
	}
	if got := excerpt(text, query.Parse("absent").Matcher().Tokenize(text), 3); got != "One two three…" {
		t.Errorf("no match: %q", got)
	}
}

func TestCountCountsEachTermAndPhrase(t *testing.T) {
	m := query.Parse(`guarantee "red lines" missing`).Matcher()
	counts := make([]int, 3)
	m.Count("Guarantees of guarantees; red lines, red lines, red.", counts)
	if !slices.Equal(counts, []int{2, 2, 0}) {
		t.Errorf("counts %v, want [2 2 0]", counts)
	}
}

// The matcher reads words as the search index's tokenizer does: for every word of the seed
// corpus, and some it lacks, Stem gives the term FTS5 stores.
func TestMatcherAgreesWithTheIndex(t *testing.T) {
	c := storetest.Corpus(t)
	words := map[string]bool{}
	add := func(text string) {
		toks := query.Parse("").Matcher().Tokenize(text)
		for _, tok := range toks {
			words[text[tok.Start:tok.End]] = true
		}
	}
	for _, src := range c.Sources {
		add(src.Title)
		for _, b := range src.Blocks {
			add(b.Text)
		}
	}
	for _, w := range []string{"Élysée", "ÉLYSÉE", "naïve", "Zelenskyy", "façade", "Ångström", "Škoda", "Łódź",
		"Україна", "Ελλάδα", "e\u0301te", "1994", "caresses", "ponies", "relational", "hopping", "sensibility", "a", "is"} {
		words[w] = true
	}
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "words.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `CREATE VIRTUAL TABLE w USING fts5(word, tokenize = 'porter unicode61 remove_diacritics 2');
		CREATE VIRTUAL TABLE v USING fts5vocab(w, instance)`); err != nil {
		t.Fatal(err)
	}
	list := make([]string, 0, len(words))
	for w := range words {
		list = append(list, w)
	}
	slices.Sort(list)
	// One transaction: a commit for each word, each a sync to disk, took half a minute.
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range list {
		if _, err := tx.ExecContext(ctx, `INSERT INTO w (rowid, word) VALUES (?, ?)`, i+1, w); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	rows, err := db.QueryContext(ctx, `SELECT doc, term FROM v`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	checked := 0
	for rows.Next() {
		var doc int
		var term string
		if err := rows.Scan(&doc, &term); err != nil {
			t.Fatal(err)
		}
		w := list[doc-1]
		if got := query.Stem(w); got != term {
			t.Errorf("%q: the index stores %q, the matcher reads %q", w, term, got)
		}
		checked++
	}
	if checked < 1000 || checked != len(list) {
		t.Errorf("checked %d of %d words", checked, len(list))
	}
	t.Logf("%d words agree", checked)
}

// An excerpt may begin inside a phrase's match: the part shown is still marked.
func TestExcerptCutInsideAPhrase(t *testing.T) {
	text := "red lines " + strings.Repeat("word ", 10)
	m := query.Parse(`"red lines"`).Matcher()
	toks := m.Tokenize(text)
	for n := 1; n < len(toks); n++ {
		_ = excerpt(text, toks[1:], n)
	}
	if got := excerpt(text, toks, 3); got != "[red lines] word…" {
		t.Errorf("%q", got)
	}
}
