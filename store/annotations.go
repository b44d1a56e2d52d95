// Annotations: the citations of published claims as W3C Web Annotations, a page at a time.

package store

import (
	"context"
	"fmt"
)

// Annotation is one citation as the W3C annotations publish it: with the claim that makes
// it and the original address of the source it quotes.
type Annotation struct {
	Citation
	ClaimStatement, ClaimCreated, ClaimUpdated string
	OriginalURL                                string // the cited source's own address; "" when unknown
	// Nth is the citation's place among its claim's citations of the same block, from 1: the
	// annotation's id names it, so it stays put when citations elsewhere change.
	Nth int
}

// AnnotationPage returns a page of the citations of published claims, in the claims' order
// (Claims) and within a claim in the order of the text, and how many there are.
func (s *Store) AnnotationPage(ctx context.Context, p Page) ([]Annotation, int, error) {
	const from = citationFrom + `
		JOIN sources cs ON cs.id = cl.source_id AND cs.status = 'published'`
	clause, args := p.clause()
	return paged(ctx, s, "annotations", func() ([]Annotation, error) {
		// The claim order of claimOrder, over the claim's source cs.
		rows, err := s.query(ctx, `SELECT `+citationColumns+`, cl.statement, cl.created_at, cl.updated_at, s.url,
			row_number() OVER (PARTITION BY ct.claim_id, b.key ORDER BY b.position, ct.start)`+from+`
			ORDER BY cs.published DESC, cs.slug,
				(SELECT min(b2.position) FROM citations c2 JOIN blocks b2 ON b2.id = c2.block_id WHERE c2.claim_id = cl.id),
				cl.id, b.position, ct.start`+clause, args...)
		if err != nil {
			return nil, fmt.Errorf("annotations: %w", err)
		}
		defer rows.Close()
		var list []Annotation
		for rows.Next() {
			var a Annotation
			var claimID int64
			dest := append(citationDest(&a.Citation, &claimID), &a.ClaimStatement, &a.ClaimCreated, &a.ClaimUpdated, &a.OriginalURL, &a.Nth)
			if err := rows.Scan(dest...); err != nil {
				return nil, fmt.Errorf("annotations: %w", err)
			}
			list = append(list, a)
		}
		return list, rows.Err()
	}, `SELECT count(*)`+from)
}
