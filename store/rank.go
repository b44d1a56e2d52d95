// Rank: scoring search matches (BM25 over the index's own texts) and cutting their excerpts.

package store

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"unicode/utf8"

	"github.com/sourcebook/sourcebook/store/query"
)

// Ranking is done here, not by FTS5's bm25(): see the query package's Matcher for why. A
// match in the title (a claim's statement, the name of an actor, issue or precedent) weighs
// ten times one in the body.
const (
	bm25K1      = 1.2
	bm25B       = 0.75
	titleWeight = 10
	excerptLen  = 28 // words in a snippet, as FTS5's snippet() was asked for
)

type rankedRow struct {
	rowid          int64
	score          float64
	text           *rowText
	title, snippet string
	titleMarks     []query.Range // the matched words of title
	snippetMarks   []query.Range // the matched words of snippet
}

type rowText struct{ title, body string }

// rank orders the matches (the newest first, as the index returned them) and returns the
// first need of them. The candidates are scored; the rest follow, newest first.
func (s *Store) rank(ctx context.Context, idx *facetIndex, q query.Query, m *query.Matcher, rowids []int64, need int) ([]rankedRow, error) {
	picked, rest := candidates(rowids, RankWindow)
	texts, err := s.rowTexts(ctx, picked)
	if err != nil {
		return nil, err
	}
	idf, err := s.idf(ctx, idx, q)
	if err != nil {
		return nil, err
	}
	rows := make([]rankedRow, 0, max(need, len(picked)))
	for _, id := range picked {
		t := texts[id]
		if t == nil {
			continue // removed since the match: the index is read in another statement
		}
		rows = append(rows, rankedRow{rowid: id, text: t, score: idx.bm25(m, idf, t)})
	}
	slices.SortStableFunc(rows, func(a, b rankedRow) int { return cmp.Compare(b.score, a.score) })
	for _, id := range rest {
		if len(rows) >= need {
			break
		}
		rows = append(rows, rankedRow{rowid: id})
	}
	return rows[:min(len(rows), need)], nil
}

// candidates picks the n matches to score: a third each of named records (actors, issues,
// precedents, sources), claims and passages, each the newest first, with what one kind leaves unused
// going to the others. Below n matches (every query of the seed corpus but a few of its
// commonest words) every match is scored.
func candidates(rowids []int64, n int) (picked, rest []int64) {
	if len(rowids) <= n {
		return rowids, nil
	}
	var taken [3]int
	var over []int64
	for _, id := range rowids {
		c := 2 // a passage
		switch id % 8 {
		case kindActor, kindIssue, kindPrecedent, kindSource:
			c = 0
		case kindClaim:
			c = 1
		}
		if taken[c] < n/3 {
			taken[c]++
			picked = append(picked, id)
		} else {
			over = append(over, id)
		}
	}
	fill := min(len(over), n-len(picked))
	return append(picked, over[:fill]...), over[fill:]
}

// bm25 scores a row by BM25F: each term's occurrences in the title (weighted) and in the
// body, each normalised by that field's length against the field's average, then saturated.
// Normalising the fields apart, rather than the row as a whole as FTS5's bm25() does, is what
// puts "Budapest Memorandum", a precedent's name, above a claim that mentions Budapest: a
// precedent's long summary no longer dilutes a match in its name.
func (idx *facetIndex) bm25(m *query.Matcher, idf []float64, t *rowText) float64 {
	inTitle, inBody := make([]int, len(idf)), make([]int, len(idf))
	m.Count(t.title, inTitle)
	m.Count(t.body, inBody)
	titleNorm := 1 - bm25B + bm25B*float64(utf8.RuneCountInString(t.title))/max(idx.avgTitle, 1)
	bodyNorm := 1 - bm25B + bm25B*float64(utf8.RuneCountInString(t.body))/max(idx.avgBody, 1)
	score := 0.0
	for i := range idf {
		tf := titleWeight*float64(inTitle[i])/titleNorm + float64(inBody[i])/bodyNorm
		score += idf[i] * tf * (bm25K1 + 1) / (tf + bm25K1)
	}
	return score
}

// idf weighs each term of the query by how rare it is in the index. A query of one term needs
// no weights. Counting a term's rows walks its posting list, so a count stops at FacetWindow
// (a word in more rows than that weighs as if it were in FacetWindow) and is kept for the
// data version.
func (s *Store) idf(ctx context.Context, idx *facetIndex, q query.Query) ([]float64, error) {
	terms := q.Terms()
	out := make([]float64, len(terms))
	if len(terms) == 1 {
		out[0] = 1
		return out, nil
	}
	n := float64(len(idx.rowids))
	for i, t := range terms {
		df, err := s.docFreq(ctx, idx, t)
		if err != nil {
			return nil, err
		}
		// As FTS5 does: a term in more than half the rows would weigh less than nothing.
		out[i] = max(math.Log((n-float64(df)+0.5)/(float64(df)+0.5)), 1e-6)
	}
	return out, nil
}

// maxDocFreqs bounds the per-version memo of term counts.
const maxDocFreqs = 10000

func (s *Store) docFreq(ctx context.Context, idx *facetIndex, t query.Term) (int, error) {
	key := t.FTS()
	idx.mu.Lock()
	df, ok := idx.docFreqs[key]
	idx.mu.Unlock()
	if ok {
		return df, nil
	}
	if err := s.queryRow(ctx, `SELECT count(*) FROM (SELECT rowid FROM search WHERE search MATCH ?
		ORDER BY rowid DESC LIMIT ?)`, "{title body} : ("+key+")", FacetWindow).Scan(&df); err != nil {
		return 0, fmt.Errorf("count rows of %s: %w", key, err)
	}
	idx.mu.Lock()
	if len(idx.docFreqs) >= maxDocFreqs {
		clear(idx.docFreqs)
	}
	idx.docFreqs[key] = df
	idx.mu.Unlock()
	return df, nil
}

// rowTexts reads the indexed title and body of the given rows from the FTS5 table's content
// table, search_content, whose columns c2 and c3 they are (the order of the CREATE VIRTUAL
// TABLE in migrations/00001_init.sql). Asking the FTS5 table itself for a list of rowids
// cost three times as much: 3.5 ms against 1.1 ms for 500 rows at 1000× the seed corpus.
func (s *Store) rowTexts(ctx context.Context, rowids []int64) (map[int64]*rowText, error) {
	out := make(map[int64]*rowText, len(rowids))
	if len(rowids) == 0 {
		return out, nil
	}
	list := idList(rowids, func(id int64) int64 { return id })
	rs, err := s.query(ctx, `SELECT id, c2, c3 FROM search_content WHERE id IN (SELECT value FROM json_each(?))`, list)
	if err != nil {
		return nil, fmt.Errorf("read search rows: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		var id int64
		t := &rowText{}
		if err := rs.Scan(&id, &t.title, &t.body); err != nil {
			return nil, fmt.Errorf("read search rows: %w", err)
		}
		out[id] = t
	}
	return out, rs.Err()
}

// footnoteMarker is a reference to a footnote in a passage's text, "[^5]": markup of the
// source's text, which the source page turns into a link, and noise in an excerpt.
var footnoteMarker = regexp.MustCompile(`\[\^[^\]\s]+\]`)

// excerpts marks the matched words of the page's rows: the whole title, and the best
// excerptLen words of the body.
func (s *Store) excerpts(ctx context.Context, m *query.Matcher, rows []rankedRow) error {
	var missing []int64
	for _, r := range rows {
		if r.text == nil {
			missing = append(missing, r.rowid)
		}
	}
	texts, err := s.rowTexts(ctx, missing)
	if err != nil {
		return err
	}
	for i := range rows {
		t := rows[i].text
		if t == nil {
			if t = texts[rows[i].rowid]; t == nil {
				continue
			}
		}
		rows[i].title, rows[i].titleMarks = t.title, query.Mark(m.Tokenize(t.title))
		body := footnoteMarker.ReplaceAllString(t.body, "")
		rows[i].snippet, rows[i].snippetMarks = query.Excerpt(body, m.Tokenize(body), excerptLen, "…")
	}
	return nil
}
