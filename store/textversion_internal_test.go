package store

import (
	"database/sql"
	"path/filepath"
	"slices"
	"testing"

	"github.com/sourcebook/sourcebook/store/corpus"
)

// A source's TextVersion moves to the committed data version exactly when a write changes
// something its annotated text shows, whichever table the write touched: the web layer
// serves a source's rendered text for as long as its TextVersion stays the same, so a write
// the triggers miss would leave a stale text on the site, and one they over-count only
// costs a render. The writes go in as SQL, the way any future write path would reach them.
func TestTextVersionFollowsWhatTheTextShows(t *testing.T) {
	ctx := t.Context()
	s := seeded(t)
	const (
		ap       = "ap-witkoff-article5"
		loose    = "loose-talk-guarantees"
		newsweek = "newsweek-putin-guarantees"
		rutland  = "rutland-guarantee-paradox"
		usi      = "usi-guarantees-unresolved"
	)
	for _, w := range []struct {
		what    string
		sql     string
		touches []string
	}{
		{"a block's text", `UPDATE blocks SET text = text || ' ' WHERE id = (SELECT min(b.id) FROM blocks b JOIN sources s ON s.id = b.source_id WHERE s.slug = 'ap-witkoff-article5')`, []string{ap}},
		{"a claim's statement", `UPDATE claims SET statement = statement || '.' WHERE id = (SELECT min(c.id) FROM claims c JOIN sources s ON s.id = c.source_id WHERE s.slug = 'newsweek-putin-guarantees')`, []string{newsweek}},
		{"a citation's status", `UPDATE citations SET status = 'orphaned' WHERE id = (SELECT min(ct.id) FROM citations ct JOIN blocks b ON b.id = ct.block_id JOIN sources s ON s.id = b.source_id WHERE s.slug = 'rutland-guarantee-paradox')`, []string{rutland}},
		{"a claim's stances", `DELETE FROM claim_issues WHERE claim_id = (SELECT min(c.id) FROM claims c JOIN sources s ON s.id = c.source_id JOIN claim_issues ci ON ci.claim_id = c.id WHERE s.slug = 'usi-guarantees-unresolved')`, []string{usi}},
		{"a speaker's name", `UPDATE actors SET name = 'Marco Rubio, renamed' WHERE slug = 'marco-rubio'`, []string{ap}},
		{"an issue's name", `UPDATE issues SET name = name || ' (renamed)' WHERE slug = 'sanctions-relief'`, []string{loose, newsweek, usi}},
		{"an author", `INSERT INTO source_authors (source_id, position, name) SELECT id, 99, 'A. Nother' FROM sources WHERE slug = 'loose-talk-guarantees'`, []string{loose}},
		{"an actor's description, which the text does not show", `UPDATE actors SET description = 'changed' WHERE slug = 'marco-rubio'`, nil},
		{"a precedent's summary, which the text does not show", `UPDATE precedents SET summary = summary || ' ' WHERE id = (SELECT min(id) FROM precedents)`, nil},
	} {
		before := textVersions(t, s)
		if err := s.inTx(ctx, func(tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, w.sql)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				t.Fatalf("%s: the write changed no row", w.what)
			}
			return nil
		}); err != nil {
			t.Fatalf("%s: %v", w.what, err)
		}
		v, err := s.Version(ctx)
		if err != nil {
			t.Fatal(err)
		}
		after := textVersions(t, s)
		for slug, was := range before {
			touched := slices.Contains(w.touches, slug)
			switch now := after[slug]; {
			case touched && now != v.N:
				t.Errorf("after %s: %s has text version %d, want the committed version %d", w.what, slug, now, v.N)
			case !touched && now != was:
				t.Errorf("after %s: %s's text version moved from %d to %d, but its text did not change", w.what, slug, was, now)
			}
		}
	}
}

func textVersions(t *testing.T, s *Store) map[string]int64 {
	t.Helper()
	rows, err := s.read.Query(`SELECT slug, text_version FROM sources`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var slug string
		var v int64
		if err := rows.Scan(&slug, &v); err != nil {
			t.Fatal(err)
		}
		out[slug] = v
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// seeded opens a new database in a temporary directory and loads the seed corpus into it.
func seeded(t *testing.T) *Store {
	t.Helper()
	ctx := t.Context()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "seed.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	c, err := corpus.Read(corpus.Files)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.LoadCorpus(ctx, c); err != nil {
		t.Fatal(err)
	}
	return s
}
