package store

import (
	"database/sql"
	"testing"
)

// A revision made before editions were recorded (migration 00010) has none: its text is
// then told by time, and said not to be exact. Here the editions are removed, as a database
// from before the migration would lack them, and revision 1 of a reworded paragraph still
// comes with its own words among the other passages.
func TestTextAsOfARevisionWithoutEditions(t *testing.T) {
	ctx := t.Context()
	s := seeded(t)
	const slug, key = "usi-guarantees-unresolved", "raiiqw"
	var old string
	var id, sourceID int64
	if err := s.queryRow(ctx, `SELECT b.id, b.source_id, b.text FROM blocks b JOIN sources so ON so.id = b.source_id
		WHERE so.slug = ? AND b.key = ?`, slug, key).Scan(&id, &sourceID, &old); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReviseBlock(ctx, slug, key, old+" Reworded."); err != nil {
		t.Fatal(err)
	}
	if err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM source_editions WHERE source_id = ?`, sourceID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	then, err := s.TextAsOf(ctx, sourceID, id, 1)
	if err != nil {
		t.Fatal(err)
	}
	if then.Exact {
		t.Error("without editions, the text as of revision 1 is said to be exact")
	}
	found := 0
	for _, b := range then.Blocks {
		if b.ID == id {
			found++
			if b.Rev != 1 || b.Text != old {
				t.Errorf("the paragraph is shown at revision %d (%q), want revision 1", b.Rev, b.Text)
			}
		}
	}
	if found != 1 || len(then.Blocks) < 10 {
		t.Errorf("the paragraph is shown %d times among %d passages", found, len(then.Blocks))
	}
}
