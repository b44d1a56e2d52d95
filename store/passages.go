// Passages: one block of a source in its context, at the current revision or an older one,
// with what cites it (a passage permalink shows this). Its locator (para. N) is worked out
// in paragraphs.go.

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Passage is one block shown at one of its revisions, in context, with what cites it.
type Passage struct {
	Source     Source
	Block      Block      // the block as it is now
	Shown      Revision   // the revision shown: the one asked for, or the current one
	Revisions  []Revision // every revision, oldest first
	Before     []Block    // neighbouring blocks of the current text
	After      []Block
	Claims     []Claim
	Precedents []PrecedentRef
}

// Revised reports whether the shown revision is not the current text.
func (p Passage) Revised() bool { return p.Shown.Rev != p.Block.Rev }

// contextBlocks is how many blocks either side a passage shows.
const contextBlocks = 2

// Passage returns a block of a published source at revision rev (0: the current one).
func (s *Store) Passage(ctx context.Context, sourceSlug, key string, rev int) (Passage, error) {
	var p Passage
	src, err := scanSource(s.queryRow(ctx, `SELECT `+sourceColumns+` FROM sources s
		WHERE s.slug = ? AND s.status = 'published'`, sourceSlug))
	if errors.Is(err, sql.ErrNoRows) {
		return Passage{}, ErrNotFound
	}
	if err != nil {
		return Passage{}, fmt.Errorf("passage %s/%s: %w", sourceSlug, key, err)
	}
	p.Source = src
	blocks, err := s.blocks(ctx, `source_id = ? AND key = ?`, src.ID, key)
	if err != nil {
		return Passage{}, fmt.Errorf("passage %s/%s: %w", sourceSlug, key, err)
	}
	if len(blocks) == 0 {
		return Passage{}, ErrNotFound
	}
	p.Block = blocks[0]

	rows, err := s.query(ctx, `SELECT rev, text, created_at, coalesce(paragraph, 0) FROM block_revisions WHERE block_id = ? ORDER BY rev`, p.Block.ID)
	if err != nil {
		return Passage{}, fmt.Errorf("revisions of %s/%s: %w", sourceSlug, key, err)
	}
	defer rows.Close()
	for rows.Next() {
		var r Revision
		if err := rows.Scan(&r.Rev, &r.Text, &r.CreatedAt, &r.Paragraph); err != nil {
			return Passage{}, fmt.Errorf("revisions of %s/%s: %w", sourceSlug, key, err)
		}
		p.Revisions = append(p.Revisions, r)
		if r.Rev == rev || (rev == 0 && r.Rev == p.Block.Rev) {
			p.Shown = r
		}
	}
	if err := rows.Err(); err != nil {
		return Passage{}, fmt.Errorf("revisions of %s/%s: %w", sourceSlug, key, err)
	}
	if p.Shown.Rev == 0 {
		return Passage{}, ErrNotFound // no such revision
	}
	if p.Block.Position > 0 {
		near, err := s.blocks(ctx, `source_id = ? AND position BETWEEN ? AND ? AND id <> ?`,
			src.ID, p.Block.Position-contextBlocks, p.Block.Position+contextBlocks, p.Block.ID)
		if err != nil {
			return Passage{}, fmt.Errorf("context of %s/%s: %w", sourceSlug, key, err)
		}
		for _, b := range near {
			if b.Position < p.Block.Position {
				p.Before = append(p.Before, b)
			} else {
				p.After = append(p.After, b)
			}
		}
	}
	if p.Claims, err = s.Claims(ctx, ClaimFilter{Block: p.Block.ID}); err != nil {
		return Passage{}, err
	}
	if p.Precedents, err = s.precedentsMentionedIn(ctx, p.Block.ID); err != nil {
		return Passage{}, err
	}
	return p, nil
}
