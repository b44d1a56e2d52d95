package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// PreviewRevision reports what ReviseSource would do to a source's blocks and citations,
// without saving anything: it runs the same re-anchoring in a transaction that is rolled
// back, so the counts an editor sees before saving are the ones the save would give.
func (s *Store) PreviewRevision(ctx context.Context, slug string, in SourceInput) (Reanchoring, error) {
	var rep Reanchoring
	if err := in.Validate().orNil(); err != nil {
		return rep, err
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var sourceID int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM sources WHERE slug = ?`, slug).Scan(&sourceID)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("preview revision of %s: %w", slug, err)
		}
		if err := reviseBlocks(ctx, tx, slug, sourceID, in.Blocks, &rep); err != nil {
			return err
		}
		return errNoChange // roll back: a preview changes nothing
	})
	return rep, err
}

// Summary says what a revision did, or would do, in words: "1 block revised, 2 added, …".
func (r Reanchoring) Summary() string {
	n := func(k int, one, many string) string {
		if k == 1 {
			return "1 " + one
		}
		return fmt.Sprintf("%d %s", k, many)
	}
	return fmt.Sprintf("%s revised, %d added, %d removed, %d renumbered. Citations: %d untouched, %d in place, %d found again exactly, %d by their context, %d flagged for you to check.",
		n(r.Revised, "block", "blocks"), r.Added, r.Removed, r.Renumbered, r.Untouched, r.Unchanged, r.Exact, r.Context, r.Flagged)
}
