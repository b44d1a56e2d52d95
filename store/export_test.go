package store_test

import (
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/sourcebook/sourcebook/store/storetest"
)

// A snapshot is the published knowledge base: a draft in the live database is neither in the
// copy's tables nor anywhere in its bytes, and the live database keeps it.
func TestSnapshotLeavesOutDrafts(t *testing.T) {
	ctx := t.Context()
	st := storetest.Store(t)
	live, err := sql.Open("sqlite", "file:"+st.Path()+"?_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	const secret = "An unpublished draft paragraph nobody may download yet."
	for _, q := range []string{
		`INSERT INTO sources (id, slug, title, kind, status) VALUES (9001, 'draft-source', 'A draft', 'analysis', 'draft')`,
		`INSERT INTO blocks (id, source_id, key, position, kind, text) VALUES (9001, 9001, 'dr4ft1', 1, 'paragraph', '` + secret + `')`,
		`INSERT INTO block_revisions (block_id, rev, text) VALUES (9001, 1, '` + secret + `')`,
		`INSERT INTO claims (id, slug, source_id, statement, kind) VALUES (9001, 'draft-claim', 9001, 'A draft claim.', 'analysis')`,
		`INSERT INTO citations (claim_id, block_id, block_rev, start, end, exact) VALUES (9001, 9001, 1, 0, 2, 'An')`,
	} {
		if _, err := live.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	// Counted on the live file itself: Stats is kept per data version, and these raw
	// inserts, made behind the store's back, need not have moved it yet.
	var want struct{ Sources, Claims int }
	if err := live.QueryRow(`SELECT (SELECT count(*) FROM sources WHERE status = 'published'), (SELECT count(*) FROM claims)`).
		Scan(&want.Sources, &want.Claims); err != nil {
		t.Fatal(err)
	}

	path := filepath.Join(t.TempDir(), "copy.db")
	if err := st.Snapshot(ctx, path); err != nil {
		t.Fatal(err)
	}
	if err := st.Snapshot(ctx, path); err == nil {
		t.Error("a second snapshot overwrote the first")
	}
	cp, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	var sources, drafts, claims int
	if err := cp.QueryRow(`SELECT (SELECT count(*) FROM sources), (SELECT count(*) FROM sources WHERE status <> 'published'),
		(SELECT count(*) FROM claims)`).Scan(&sources, &drafts, &claims); err != nil {
		t.Fatal(err)
	}
	if sources != want.Sources || drafts != 0 || claims != want.Claims-1 {
		t.Errorf("copy: %d sources (%d drafts), %d claims; want %d, 0, %d", sources, drafts, claims, want.Sources, want.Claims-1)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(secret)) {
		t.Error("the draft's text is still in the copy's bytes")
	}
	var kept int
	if err := live.QueryRow(`SELECT count(*) FROM sources WHERE slug = 'draft-source'`).Scan(&kept); err != nil || kept != 1 {
		t.Errorf("the live database lost its draft: %d, %v", kept, err)
	}
}
