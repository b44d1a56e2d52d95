// Editions: a source's text as it stood after each save (migration 00010), so that an old
// revision of a passage can be shown among the blocks that stood around it then, not among
// today's.

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// recordEdition records the source's current text as its next edition, unless it is the
// same as the last one (a save that changed only the metadata). Every save of a source's
// text calls it, in the save's transaction.
func recordEdition(ctx context.Context, tx *sql.Tx, sourceID int64) error {
	var last int
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(edition), 0) FROM source_editions WHERE source_id = ?`, sourceID).Scan(&last); err != nil {
		return fmt.Errorf("last edition: %w", err)
	}
	if last > 0 {
		var differs bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (
				SELECT position, id, rev FROM blocks WHERE source_id = ?1 AND position IS NOT NULL
				EXCEPT SELECT position, block_id, rev FROM source_editions WHERE source_id = ?1 AND edition = ?2)
			OR EXISTS (
				SELECT position, block_id, rev FROM source_editions WHERE source_id = ?1 AND edition = ?2
				EXCEPT SELECT position, id, rev FROM blocks WHERE source_id = ?1 AND position IS NOT NULL)`,
			sourceID, last).Scan(&differs); err != nil {
			return fmt.Errorf("compare edition: %w", err)
		}
		if !differs {
			return nil
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO source_editions (source_id, edition, position, block_id, rev)
		SELECT source_id, ?, position, id, rev FROM blocks WHERE source_id = ? AND position IS NOT NULL`, last+1, sourceID); err != nil {
		return fmt.Errorf("record edition: %w", err)
	}
	return nil
}

// recordFirstEditions records the text of every source that has no edition yet as its first,
// as after loading a corpus.
func recordFirstEditions(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO source_editions (source_id, edition, position, block_id, rev)
		SELECT source_id, 1, position, id, rev FROM blocks b WHERE position IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM source_editions e WHERE e.source_id = b.source_id)`); err != nil {
		return fmt.Errorf("record first editions: %w", err)
	}
	return nil
}

// TextThen is a source's whole text as it was when one revision of one of its blocks was
// made.
//
// What "as it was" means: the edition in which that block revision first appeared, that
// is, the text as the save that made the revision left it, every block at the revision it
// had then and in the place it had then, blocks added later absent, blocks removed since
// present. Exact is true then.
//
// A revision made before editions were recorded (migration 00010) has no edition. Its text
// is then approximated by time: each block at its latest revision made at or before the
// cited revision, in today's order; blocks removed since, whose place is not known, are left
// out, and blocks added at the same second as the revision are counted in. Exact is false,
// and the page says so.
type TextThen struct {
	Exact  bool
	At     string  // when the revision was made
	Blocks []Block // in order; Rev, Text and Paragraph are those of that time
}

// TextAsOf returns the source's text as it was when revision rev of block blockID was made.
func (s *Store) TextAsOf(ctx context.Context, sourceID, blockID int64, rev int) (TextThen, error) {
	var t TextThen
	err := s.queryRow(ctx, `SELECT created_at FROM block_revisions WHERE block_id = ? AND rev = ?`, blockID, rev).Scan(&t.At)
	if errors.Is(err, sql.ErrNoRows) {
		return TextThen{}, ErrNotFound
	}
	if err != nil {
		return TextThen{}, fmt.Errorf("revision %d of block %d: %w", rev, blockID, err)
	}
	var edition sql.NullInt64
	if err := s.queryRow(ctx, `SELECT min(edition) FROM source_editions WHERE source_id = ? AND block_id = ? AND rev = ?`,
		sourceID, blockID, rev).Scan(&edition); err != nil {
		return TextThen{}, fmt.Errorf("edition of block %d: %w", blockID, err)
	}
	var q string
	var args []any
	if edition.Valid {
		t.Exact = true
		q = `SELECT b.id, b.source_id, b.key, e.position, b.kind, b.label, e.rev, r.text, coalesce(r.paragraph, 0)
			FROM source_editions e
			JOIN blocks b ON b.id = e.block_id
			JOIN block_revisions r ON r.block_id = e.block_id AND r.rev = e.rev
			WHERE e.source_id = ? AND e.edition = ? ORDER BY e.position`
		args = []any{sourceID, edition.Int64}
	} else {
		// A block removed since has no place in today's order: it is left out.
		q = `SELECT b.id, b.source_id, b.key, b.position, b.kind, b.label, r.rev, r.text, coalesce(r.paragraph, 0)
			FROM blocks b
			JOIN block_revisions r ON r.block_id = b.id AND r.rev = CASE WHEN b.id = ?3 THEN ?4
				ELSE (SELECT max(rev) FROM block_revisions WHERE block_id = b.id AND created_at <= ?2) END
			WHERE b.source_id = ?1 AND b.position IS NOT NULL ORDER BY b.position`
		args = []any{sourceID, t.At, blockID, rev}
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return TextThen{}, fmt.Errorf("text as of revision %d: %w", rev, err)
	}
	defer rows.Close()
	for rows.Next() {
		var b Block
		if err := rows.Scan(&b.ID, &b.SourceID, &b.Key, &b.Position, &b.Kind, &b.Label, &b.Rev, &b.Text, &b.Paragraph); err != nil {
			return TextThen{}, fmt.Errorf("text as of revision %d: %w", rev, err)
		}
		t.Blocks = append(t.Blocks, b)
	}
	return t, rows.Err()
}
