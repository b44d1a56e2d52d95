package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/sourcebook/sourcebook/store/selector"
)

// Block is one numbered block of a source's text.
type Block struct {
	ID       int64
	SourceID int64
	Key      string
	Position int // 1-based place in the current text; 0 if the block has been removed
	Kind     string
	Label    string
	Rev      int // the current revision
	Text     string
	// Paragraph is its number among the source's paragraphs now (see paragraphs.go); 0
	// for a heading, caption or footnote, or a block removed from the text.
	Paragraph int
}

// Locator is how a citation points at the block in the current text ("para. 4", "n. 5").
func (b Block) Locator() string { return Locator(b.Kind, b.Label, b.Paragraph) }

// Revision is one version of a block's text.
type Revision struct {
	Rev       int
	Text      string
	CreatedAt string
	Paragraph int // the block's paragraph number while this revision was current; 0: none
}

// BlockRef names a block and carries the text a citation or mention refers to.
type BlockRef struct {
	Source   SourceRef
	Key      string
	Position int
	Kind     string
	Label    string
	Rev      int // the revision Text is from
	Text     string
	// Paragraph is the block's paragraph number in the current text, as Block.Paragraph.
	Paragraph int
}

// Revised reports what a block revision did to the citations of the block.
type Revised struct {
	Rev        int
	Reanchored int // citations found again in the new text and moved onto it
	Orphaned   int // citations whose words are gone: they keep quoting the old revision
}

// ReviseBlock gives a block new text as a new revision. The key stays, old revisions stay
// (an old permalink still shows the words it cited), and each citation of the current text
// is re-anchored in the new text by its W3C selectors or, if its words are gone, flagged as
// orphaned for an editor, never dropped.
func (s *Store) ReviseBlock(ctx context.Context, sourceSlug, key, text string) (Revised, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return Revised{}, fmt.Errorf("%w: a block cannot be empty", ErrInvalid)
	}
	var res Revised
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var id int64
		var rev int
		var old string
		err := tx.QueryRowContext(ctx, `SELECT b.id, b.rev, b.text FROM blocks b JOIN sources s ON s.id = b.source_id
			WHERE s.slug = ? AND b.key = ?`, sourceSlug, key).Scan(&id, &rev, &old)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("find block %s/%s: %w", sourceSlug, key, err)
		}
		if old == text {
			return errNoChange
		}
		res.Rev = rev + 1
		// New words, the same place in the text: the new revision keeps the paragraph number.
		if _, err := tx.ExecContext(ctx, `INSERT INTO block_revisions (block_id, rev, text, paragraph)
			SELECT block_id, ?, ?, paragraph FROM block_revisions WHERE block_id = ? AND rev = ?`, res.Rev, text, id, rev); err != nil {
			return fmt.Errorf("add revision: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE blocks SET rev = ?, text = ? WHERE id = ?`, res.Rev, text, id); err != nil {
			return fmt.Errorf("update block: %w", err)
		}
		if err := reanchor(ctx, tx, id, rev, res.Rev, text, &res); err != nil {
			return err
		}
		return reindex(ctx, tx, kindBlock, id)
	})
	return res, err
}

func reanchor(ctx context.Context, tx *sql.Tx, blockID int64, oldRev, newRev int, text string, res *Revised) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, start, end, exact, prefix, suffix FROM citations
		WHERE block_id = ? AND block_rev = ? AND status = 'anchored'`, blockID, oldRev)
	if err != nil {
		return fmt.Errorf("citations to re-anchor: %w", err)
	}
	type cite struct {
		id int64
		a  selector.Anchor
	}
	var cites []cite
	for rows.Next() {
		var c cite
		if err := rows.Scan(&c.id, &c.a.Start, &c.a.End, &c.a.Exact, &c.a.Prefix, &c.a.Suffix); err != nil {
			rows.Close()
			return fmt.Errorf("citations to re-anchor: %w", err)
		}
		cites = append(cites, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("citations to re-anchor: %w", err)
	}
	for _, c := range cites {
		a, ok := selector.Reanchor(text, c.a)
		if !ok {
			if _, err := tx.ExecContext(ctx, `UPDATE citations SET status = 'orphaned' WHERE id = ?`, c.id); err != nil {
				return fmt.Errorf("flag citation %d: %w", c.id, err)
			}
			res.Orphaned++
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE citations SET block_rev = ?, start = ?, end = ?, prefix = ?, suffix = ? WHERE id = ?`,
			newRev, a.Start, a.End, a.Prefix, a.Suffix, c.id); err != nil {
			return fmt.Errorf("re-anchor citation %d: %w", c.id, err)
		}
		res.Reanchored++
	}
	return nil
}

// blockRefColumns selects a BlockRef from blocks b joined with sources so.
const blockRefColumns = `b.key, coalesce(b.position, 0), coalesce(b.paragraph, 0), b.kind, b.label, b.rev, b.text, so.slug, so.title, so.publisher, so.published`

func blockRefDest(b *BlockRef) []any {
	return []any{&b.Key, &b.Position, &b.Paragraph, &b.Kind, &b.Label, &b.Rev, &b.Text,
		&b.Source.Slug, &b.Source.Title, &b.Source.Publisher, &b.Source.Published}
}

// blockRefs reads the given blocks, as citations and mentions refer to them.
func (s *Store) blockRefs(ctx context.Context, ids []int64) (map[int64]BlockRef, error) {
	rows, err := s.query(ctx, `SELECT b.id, `+blockRefColumns+`
		FROM blocks b JOIN sources so ON so.id = b.source_id
		WHERE b.id IN (SELECT value FROM json_each(?))`, idList(ids, func(id int64) int64 { return id }))
	if err != nil {
		return nil, fmt.Errorf("passages: %w", err)
	}
	defer rows.Close()
	out := make(map[int64]BlockRef, len(ids))
	for rows.Next() {
		var id int64
		var b BlockRef
		if err := rows.Scan(append([]any{&id}, blockRefDest(&b)...)...); err != nil {
			return nil, fmt.Errorf("passages: %w", err)
		}
		out[id] = b
	}
	return out, rows.Err()
}
