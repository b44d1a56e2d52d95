// Suggest: spelling suggestions for a search that found nothing, from the index's vocabulary.

package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"unicode/utf8"

	"github.com/sourcebook/sourcebook/store/query"
)

// Spelling suggestions come from the search index's own vocabulary, so any word the index
// holds can be offered, a name as well as a treaty or a place: "Istambul" → "Istanbul",
// "Budapest memorandom" → "Budapest Memorandum". The vocabulary is read once per data
// version, on the first search that needs it (one that found nothing), not on every build of
// the facet index: most versions never need it.

// Suggestion is a query with its unknown words corrected, and what it finds.
type Suggestion struct {
	Query       query.Query
	Corrections map[string]string // a word of the query, lowercased → its correction
	Total       int
	TotalExact  bool
}

// vocabulary is the index's terms (stemmed, as the index stores them) with the number of
// rows holding each, most frequent first, so the first of equally near terms is the likelier.
type vocabulary struct {
	once  sync.Once
	terms []vocabTerm
	known map[string]bool
	err   error
}

type vocabTerm struct {
	term string
	rows int
}

func (s *Store) vocabulary(ctx context.Context, idx *facetIndex) (*vocabulary, error) {
	v := &idx.vocab
	v.once.Do(func() {
		// Kept for every later search of this version, so one reader giving up must not spoil it.
		ctx := context.WithoutCancel(ctx)
		rows, err := s.query(ctx, `SELECT term, sum(doc) FROM search_vocab WHERE col IN ('title', 'body') GROUP BY term`)
		if err != nil {
			v.err = fmt.Errorf("search vocabulary: %w", err)
			return
		}
		defer rows.Close()
		v.known = map[string]bool{}
		for rows.Next() {
			var t vocabTerm
			if err := rows.Scan(&t.term, &t.rows); err != nil {
				v.err = fmt.Errorf("search vocabulary: %w", err)
				return
			}
			v.known[t.term] = true
			if utf8.RuneCountInString(t.term) >= 3 {
				v.terms = append(v.terms, t)
			}
		}
		if v.err = rows.Err(); v.err != nil {
			return
		}
		slices.SortStableFunc(v.terms, func(a, b vocabTerm) int { return cmp.Compare(b.rows, a.rows) })
	})
	return v, v.err
}

// Suggest corrects the words of a query that are in no indexed row to the nearest words that
// are, and runs the corrected query with the same filters. It returns nil when no word needs
// or finds a correction, or when the corrected query finds nothing either.
func (s *Store) Suggest(ctx context.Context, req SearchRequest) (*Suggestion, error) {
	idx, err := s.facetIndex(ctx)
	if err != nil {
		return nil, err
	}
	vocab, err := s.vocabulary(ctx, idx)
	if err != nil {
		return nil, err
	}
	corrections := map[string]string{}
	var fixErr error
	corrected := req.Query.MapWords(func(w string) string {
		if fixErr != nil || utf8.RuneCountInString(w) < 4 || vocab.known[query.Stem(w)] {
			return w
		}
		term := vocab.nearest(w)
		if term == "" {
			return w
		}
		surface, err := s.surfaceOf(ctx, term)
		if err != nil {
			fixErr = err
			return w
		}
		corrections[w] = surface
		return surface
	})
	if fixErr != nil || len(corrections) == 0 {
		return nil, fixErr
	}
	res, err := s.Search(ctx, SearchRequest{Query: corrected, Filter: req.Filter, Page: 1, PerPage: 1})
	if err != nil || res.Total == 0 {
		return nil, err
	}
	return &Suggestion{Query: corrected, Corrections: corrections, Total: res.Total, TotalExact: res.TotalExact}, nil
}

// nearest returns the indexed term nearest to a word, within maxEdits of the word as typed or
// of its stem, or "". Of equally near terms it picks the one in the most rows.
func (v *vocabulary) nearest(word string) string {
	folded, stem := query.Fold(word), query.Stem(word)
	limit := maxEdits(folded) + 1
	best, bestD := "", limit
	for _, t := range v.terms {
		d := min(editDistance(folded, t.term, bestD), editDistance(stem, t.term, bestD))
		if d < bestD {
			best, bestD = t.term, d
		}
	}
	return best
}

// surfaceOf returns a word as a text writes it whose stem is the term: the index stores
// "memorandum" and "guarante", a reader wants "Memorandum" and "guarantee".
func (s *Store) surfaceOf(ctx context.Context, term string) (string, error) {
	var text string
	err := s.queryRow(ctx, `SELECT CASE i.col WHEN 'title' THEN c.c2 ELSE c.c3 END
		FROM search_vocab_instance i JOIN search_content c ON c.id = i.doc
		WHERE i.term = ? AND i.col IN ('title', 'body') LIMIT 1`, term).Scan(&text)
	if err != nil {
		return "", fmt.Errorf("spelling of %q: %w", term, err)
	}
	if w := query.WordWithStem(text, term); w != "" {
		return w, nil
	}
	return term, nil
}

func maxEdits(w string) int {
	if utf8.RuneCountInString(w) < 6 {
		return 1
	}
	return 2
}

// editDistance is the Levenshtein distance of a and b, or limit if it is at least limit.
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d >= limit || -d >= limit {
		return limit
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin >= limit {
			return limit
		}
		prev, cur = cur, prev
	}
	return min(prev[len(rb)], limit)
}
