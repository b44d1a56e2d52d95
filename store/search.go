package store

import (
	"context"
	"fmt"
	"strings"
	"unicode"
)

// Hit is one search result.
type Hit struct {
	Kind    string // block | claim | actor | issue | precedent
	Slug    string // the record's slug; for a block, its source's slug
	Key     string // a block's key
	Title   string
	Snippet string
}

// Search finds records matching every word of q, best first.
func (s *Store) Search(ctx context.Context, q string, limit int) ([]Hit, error) {
	match := plainQuery(q)
	if match == "" {
		return nil, nil
	}
	rows, err := s.read.QueryContext(ctx, `SELECT search.kind,
		coalesce(so.slug, c.slug, a.slug, i.slug, p.slug, ''),
		coalesce(b.key, ''),
		coalesce(so.title || ', ¶ ' || b.position, c.statement, a.name, i.name, p.name, ''),
		snippet(search, -1, '', '', '…', 24)
		FROM search
		LEFT JOIN blocks b ON search.kind = 'block' AND b.id = search.ref AND b.position IS NOT NULL
		LEFT JOIN sources so ON so.id = b.source_id AND so.status = 'published'
		LEFT JOIN claims c ON search.kind = 'claim' AND c.id = search.ref
			AND c.source_id IN (SELECT id FROM sources WHERE status = 'published')
		LEFT JOIN actors a ON search.kind = 'actor' AND a.id = search.ref
		LEFT JOIN issues i ON search.kind = 'issue' AND i.id = search.ref
		LEFT JOIN precedents p ON search.kind = 'precedent' AND p.id = search.ref
		WHERE search MATCH ? AND coalesce(so.slug, c.slug, a.slug, i.slug, p.slug) IS NOT NULL
		ORDER BY bm25(search, 0, 0, 10, 1) LIMIT ?`, match, limit)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q, err)
	}
	defer rows.Close()
	var hits []Hit
	for rows.Next() {
		var h Hit
		if err := rows.Scan(&h.Kind, &h.Slug, &h.Key, &h.Title, &h.Snippet); err != nil {
			return nil, fmt.Errorf("search %q: %w", q, err)
		}
		hits = append(hits, h)
	}
	return hits, rows.Err()
}

// plainQuery turns text into an FTS5 query that requires every word, each quoted so that
// nothing a user types is read as query syntax.
func plainQuery(q string) string {
	words := strings.FieldsFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	var terms []string
	for _, w := range words {
		terms = append(terms, `"`+w+`"`)
	}
	return strings.Join(terms, " ")
}
