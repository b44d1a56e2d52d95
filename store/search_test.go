package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/store/query"
	"github.com/sourcebook/sourcebook/store/storetest"
)

func search(t *testing.T, st *store.Store, q string, f store.SearchFilter) store.SearchResult {
	t.Helper()
	res, err := st.Search(context.Background(), store.SearchRequest{Query: query.Parse(q), Filter: f, PerPage: 20})
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	return res
}

// Each form of the query language finds what a user would expect in the seed corpus.
func TestSearchQueryForms(t *testing.T) {
	st := storetest.Store(t)
	cases := []struct {
		q, wantKind, wantSlug, wantKey string
	}{
		// A phrase copied from one paragraph finds exactly that paragraph first.
		{`"the brightest of all red lines for the Russian elite"`, "block", "newsweek-putin-guarantees", "aqlss5"},
		{`"constitution of Ukraine makes it impossible"`, "block", "ap-witkoff-article5", ""},
		// Words, all of which must match; stemming: "guarantors" finds "guarantor".
		{`Budapest memorandum nuclear weapons`, "", "", ""},
		{`council guarantors block`, "", "", ""},
		// A prefix.
		{`Kvartal*`, "", "", ""},
		// OR.
		{`Cyprus OR Korea`, "", "", ""},
		// A name matches an actor, ranked on its name.
		{`Witkoff`, "", "", ""},
	}
	for _, c := range cases {
		res := search(t, st, c.q, store.SearchFilter{})
		if len(res.Hits) == 0 {
			t.Errorf("%s: no hits", c.q)
			continue
		}
		h := res.Hits[0]
		if c.wantKind != "" && (h.Kind != c.wantKind || h.Slug != c.wantSlug || (c.wantKey != "" && h.Key != c.wantKey)) {
			t.Errorf("%s: first hit %s %s#%s, want %s %s#%s", c.q, h.Kind, h.Slug, h.Key, c.wantKind, c.wantSlug, c.wantKey)
		}
	}
	if res := search(t, st, `Witkoff`, store.SearchFilter{}); !hasHit(res, "actor", "steve-witkoff") {
		t.Error("searching a name does not find the actor")
	}
	if res := search(t, st, `Zelensky`, store.SearchFilter{}); !hasHit(res, "actor", "volodymyr-zelenskyy") {
		t.Error("an alias does not find the actor")
	}
	// Exclusion removes what it names.
	with := search(t, st, `Minsk`, store.SearchFilter{})
	without := search(t, st, `Minsk -France`, store.SearchFilter{})
	if without.Total >= with.Total {
		t.Errorf("Minsk: %d hits; Minsk -France: %d; the exclusion removed nothing", with.Total, without.Total)
	}
	for _, h := range without.Hits {
		if strings.Contains(strings.ToLower(h.Snippet+h.Title), "france") {
			t.Errorf("Minsk -France found %s %s: %q", h.Kind, h.Slug, h.Snippet)
		}
	}
	// Snippets mark the matched words.
	h := search(t, st, `Istanbul`, store.SearchFilter{Kinds: []string{"block"}}).Hits[0]
	if !slices.ContainsFunc(h.SnippetMarks, func(r query.Range) bool { return h.Snippet[r.Start:r.End] == "Istanbul" }) {
		t.Errorf("snippet does not mark the match: %q, marks %v", h.Snippet, h.SnippetMarks)
	}
}

// A record whose name is the query comes before claims and passages that mention it, and a
// passage that says a word twice before one that says it once in passing.
func TestSearchRanksNamesAboveMentions(t *testing.T) {
	st := storetest.Store(t)
	for _, c := range []struct{ q, kind, slug string }{
		{"Budapest", "precedent", "budapest-1994"},
		{"Minsk", "precedent", "minsk-agreements"},
		{"Istanbul", "precedent", "istanbul-2022"},
		{"Witkoff", "actor", "steve-witkoff"},
		{"NATO membership", "issue", "nato-membership"},
		{"Kvartal*", "actor", "artem-kvartalnov"},
	} {
		res := search(t, st, c.q, store.SearchFilter{})
		if len(res.Hits) == 0 {
			t.Errorf("%s: no hits", c.q)
			continue
		}
		if h := res.Hits[0]; h.Kind != c.kind || h.Slug != c.slug {
			t.Errorf("%s: first hit is the %s %s (%q), want the %s %s", c.q, h.Kind, h.Slug, h.Title, c.kind, c.slug)
		}
		for i := 1; i < len(res.Hits); i++ {
			if res.Hits[i].Score > res.Hits[i-1].Score {
				t.Errorf("%s: hit %d scores %.3f, above hit %d's %.3f", c.q, i+1, res.Hits[i].Score, i, res.Hits[i-1].Score)
			}
		}
	}
}

func hasHit(res store.SearchResult, kind, slug string) bool {
	for _, h := range res.Hits {
		if h.Kind == kind && h.Slug == slug {
			return true
		}
	}
	return false
}

// Accents are ignored and an edit is searchable at once.
func TestSearchIgnoresDiacriticsAndSeesEdits(t *testing.T) {
	st := storetest.Store(t)
	if res := search(t, st, "Elysee", store.SearchFilter{}); res.Total != 0 {
		t.Fatalf("Elysee already matches %d records", res.Total)
	}
	if _, err := st.ReviseBlock(context.Background(), "ap-witkoff-article5", "c7vtk7", "Leaders met at the Élysée Palace in Paris."); err != nil {
		t.Fatal(err)
	}
	res := search(t, st, "Elysee", store.SearchFilter{})
	if !hasHit(res, "block", "ap-witkoff-article5") {
		t.Errorf("Elysee does not find the revised passage with Élysée: %+v", res.Hits)
	}
	if res := search(t, st, "ÉLYSÉE palace", store.SearchFilter{}); res.Total != 1 {
		t.Errorf("ÉLYSÉE palace: %d hits, want 1", res.Total)
	}
}

// Nothing a user types produces an error from the store.
func TestSearchHostileInput(t *testing.T) {
	st := storetest.Store(t)
	for _, q := range []string{
		`"`, `"unbalanced`, `NEAR(a b`, `title:x`, `^a`, `OR`, `AND AND`, `-`, `*`, `🇺🇦🙂`, `'; DROP TABLE claims; --`,
		strings.Repeat("guarantee ", 2000), `(((`, `a OR OR b`, `{title}: x`, "\x00", `\`, `%`, `e\u0301`,
	} {
		if _, err := st.Search(context.Background(), store.SearchRequest{Query: query.Parse(q)}); err != nil {
			t.Errorf("%.40q: %v", q, err)
		}
	}
}

// Facet counts and filters agree with counting in the database directly.
func TestFacetsAgreeWithTheDatabase(t *testing.T) {
	st := storetest.Store(t)
	const q = "guarantees"
	all := search(t, st, q, store.SearchFilter{})
	if all.Total == 0 || !all.TotalExact {
		t.Fatalf("total %d exact %v", all.Total, all.TotalExact)
	}
	sum := 0
	for _, f := range all.Facets {
		for _, v := range f.Values {
			var filter store.SearchFilter
			switch f.Name {
			case "kind":
				filter.Kinds = []string{v.Value}
				sum += v.Count
			case "source":
				filter.Source = v.Value
			case "publisher":
				filter.Publisher = v.Value
			case "actor":
				filter.Actor = v.Value
			case "issue":
				filter.Issue = v.Value
			case "precedent":
				filter.Precedent = v.Value
			case "year":
				var y int
				for _, c := range v.Value {
					y = y*10 + int(c-'0')
				}
				filter.FromYear, filter.ToYear = y, y
			}
			filtered := search(t, st, q, filter)
			if filtered.Total != v.Count {
				t.Errorf("facet %s=%s says %d; filtering by it finds %d", f.Name, v.Value, v.Count, filtered.Total)
			}
			direct := directCount(t, st, q, f.Name, v.Value)
			if direct >= 0 && direct != v.Count {
				t.Errorf("facet %s=%s says %d; the database has %d", f.Name, v.Value, v.Count, direct)
			}
		}
	}
	if sum != all.Total {
		t.Errorf("kind counts add up to %d, total is %d", sum, all.Total)
	}
	// Filters combine.
	both := search(t, st, q, store.SearchFilter{Kinds: []string{"claim"}, Actor: "russia"})
	if n := directCount(t, st, q, "kind+actor", "claim/russia"); both.Total != n {
		t.Errorf("claim + russia: %d hits, the database has %d", both.Total, n)
	}
	if _, err := st.Search(context.Background(), store.SearchRequest{Query: query.Parse(q), Filter: store.SearchFilter{Actor: "nobody"}}); err == nil {
		t.Error("a filter naming no actor was accepted")
	}
}

// directCount counts, with plain SQL over the tables, the records matching q that a facet
// value covers; -1 where there is no independent count to compare with.
func directCount(t *testing.T, st *store.Store, q, facet, value string) int {
	t.Helper()
	db := rawDB(t, st.Path())
	match := "{title body} : (" + query.Parse(q).FTS() + ")"
	matched := `SELECT rowid FROM search WHERE search MATCH ?`
	var sqlText string
	args := []any{match, value}
	switch facet {
	case "kind":
		sqlText = `SELECT count(*) FROM search WHERE search MATCH ? AND kind = ?`
	case "source":
		sqlText = `SELECT count(*) FROM (` + matched + `) m
			LEFT JOIN blocks b ON m.rowid % 8 = 1 AND b.id = m.rowid / 8
			LEFT JOIN claims c ON m.rowid % 8 = 2 AND c.id = m.rowid / 8
			JOIN sources s ON s.id = coalesce(b.source_id, c.source_id, CASE WHEN m.rowid % 8 = 6 THEN m.rowid / 8 END)
			WHERE s.slug = ?`
	case "actor":
		sqlText = `SELECT count(*) FROM (` + matched + `) m WHERE
			(m.rowid % 8 = 1 AND EXISTS (SELECT 1 FROM citations ct JOIN claims c ON c.id = ct.claim_id JOIN actors a ON a.id IN (c.speaker_id, c.holder_id)
				WHERE ct.block_id = m.rowid / 8 AND a.slug = ?1x))
			OR (m.rowid % 8 = 2 AND EXISTS (SELECT 1 FROM claims c JOIN actors a ON a.id IN (c.speaker_id, c.holder_id) WHERE c.id = m.rowid / 8 AND a.slug = ?1x))
			OR (m.rowid % 8 = 3 AND EXISTS (SELECT 1 FROM actors a WHERE a.id = m.rowid / 8 AND a.slug = ?1x))`
		sqlText = strings.ReplaceAll(sqlText, "?1x", "?2")
		sqlText = strings.Replace(sqlText, "WHERE search MATCH ?)", "WHERE search MATCH ?1)", 1)
	case "issue":
		sqlText = `SELECT count(*) FROM (` + matched + `) m WHERE
			(m.rowid % 8 = 1 AND EXISTS (SELECT 1 FROM citations ct JOIN claim_issues ci ON ci.claim_id = ct.claim_id JOIN issues i ON i.id = ci.issue_id
				WHERE ct.block_id = m.rowid / 8 AND i.slug = ?2))
			OR (m.rowid % 8 = 2 AND EXISTS (SELECT 1 FROM claim_issues ci JOIN issues i ON i.id = ci.issue_id WHERE ci.claim_id = m.rowid / 8 AND i.slug = ?2))
			OR (m.rowid % 8 = 5 AND EXISTS (SELECT 1 FROM issues i WHERE i.id = m.rowid / 8 AND i.slug = ?2))`
		sqlText = strings.Replace(sqlText, "WHERE search MATCH ?)", "WHERE search MATCH ?1)", 1)
	case "kind+actor":
		kind, actor, _ := strings.Cut(value, "/")
		_ = kind
		sqlText = `SELECT count(*) FROM (` + matched + `) m JOIN claims c ON m.rowid % 8 = 2 AND c.id = m.rowid / 8
			JOIN actors a ON a.id IN (c.speaker_id, c.holder_id) WHERE a.slug = ?`
		args = []any{match, actor}
	default:
		return -1
	}
	var n int
	if err := db.QueryRow(sqlText, args...).Scan(&n); err != nil {
		t.Fatalf("direct count %s=%s: %v", facet, value, err)
	}
	return n
}

// A claim moved to another passage takes its actor's tag with it: a search filtered by the
// actor no longer finds the passage the claim stopped citing.
func TestAnEditedClaimLeavesTheBlockItNoLongerCites(t *testing.T) {
	st := storetest.Store(t)
	ctx := t.Context()
	ed := editor(t, st)
	actor := store.SearchFilter{Actor: "keir-starmer", Kinds: []string{"block"}}
	found := func(q string) bool {
		t.Helper()
		return len(search(t, st, q, actor).Hits) > 0
	}
	if found("contours") || found("summit") {
		t.Fatal("the test needs passages no claim of Keir Starmer's cites")
	}
	in := store.ClaimInput{Statement: "A test claim that moves.", Speaker: "keir-starmer", Kind: "paraphrase", Evidence: "own-words",
		Stances: map[string]string{"us-role": "neutral"}, Citations: []store.CitationInput{{Block: "lm3wcg", Quote: "the contours of any security guarantees"}}}
	slug, err := st.SaveClaim(ctx, ed, "ap-witkoff-article5", "", in)
	if err != nil {
		t.Fatal(err)
	}
	if !found("contours") {
		t.Fatal("the passage the claim cites is not found under its speaker")
	}
	in.Citations = []store.CitationInput{{Block: "c7vtk7", Quote: "NEW YORK"}}
	if _, err := st.SaveClaim(ctx, ed, "", slug, in); err != nil {
		t.Fatal(err)
	}
	if found("contours") {
		t.Error("after the claim moved, the passage it stopped citing is still found under its speaker")
	}
	if !found("summit") {
		t.Error("after the claim moved, the passage it now cites is not found under its speaker")
	}
}
