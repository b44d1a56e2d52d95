package store

import (
	"context"
	"fmt"

	"github.com/sourcebook/sourcebook/store/selector"
)

// Citation anchors a claim in a block with W3C selectors.
type Citation struct {
	ID      int64
	Claim   string // the citing claim's slug
	Block   BlockRef
	Start   int // TextPositionSelector, code points into Block.Text (the cited revision)
	End     int
	Exact   string // TextQuoteSelector
	Prefix  string
	Suffix  string
	Status  string // anchored | orphaned
	Current int    // the block's current revision; > Block.Rev when the block was revised since
}

// CitationProblem is a citation whose selectors no longer agree with the text it cites.
type CitationProblem struct {
	Claim    string // the claim's slug
	Source   string
	BlockKey string
	Rev      int
	Problem  string
}

func (p CitationProblem) String() string {
	return fmt.Sprintf("claim %s cites %s#%s@%d: %s", p.Claim, p.Source, p.BlockKey, p.Rev, p.Problem)
}

// VerifyCitations checks every anchored citation against the block revision it cites: the
// code points at its TextPositionSelector must be exactly its quote, and the quote's prefix
// and suffix must be the text around it. It returns what does not hold.
func (s *Store) VerifyCitations(ctx context.Context) ([]CitationProblem, error) {
	rows, err := s.query(ctx, `SELECT cl.slug, so.slug, b.key, c.block_rev, r.text, c.start, c.end, c.exact, c.prefix, c.suffix
		FROM citations c
		JOIN claims cl ON cl.id = c.claim_id
		JOIN blocks b ON b.id = c.block_id
		JOIN sources so ON so.id = b.source_id
		JOIN block_revisions r ON r.block_id = c.block_id AND r.rev = c.block_rev
		WHERE c.status = 'anchored'`)
	if err != nil {
		return nil, fmt.Errorf("verify citations: %w", err)
	}
	defer rows.Close()
	var problems []CitationProblem
	for rows.Next() {
		var p CitationProblem
		var text string
		var pos selector.Position
		var q selector.Quote
		if err := rows.Scan(&p.Claim, &p.Source, &p.BlockKey, &p.Rev, &text, &pos.Start, &pos.End, &q.Exact, &q.Prefix, &q.Suffix); err != nil {
			return nil, fmt.Errorf("verify citations: %w", err)
		}
		got, ok := selector.At(text, pos)
		switch {
		case !ok:
			p.Problem = fmt.Sprintf("position %d..%d lies outside the text", pos.Start, pos.End)
		case got.Exact != q.Exact:
			p.Problem = fmt.Sprintf("position %d..%d holds %q, not the quote %q", pos.Start, pos.End, got.Exact, q.Exact)
		case got.Prefix != q.Prefix || got.Suffix != q.Suffix:
			p.Problem = fmt.Sprintf("the context around the quote is %q…%q, not %q…%q", got.Prefix, got.Suffix, q.Prefix, q.Suffix)
		default:
			continue
		}
		problems = append(problems, p)
	}
	return problems, rows.Err()
}
