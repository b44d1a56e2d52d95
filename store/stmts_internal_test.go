package store

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// A query the statement cache cannot hold, because it does not prepare or because the cache
// is full, still runs on the read pool: an error for the first, rows for the second.
func TestQueriesRunWithoutTheStatementCache(t *testing.T) {
	ctx := t.Context()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "stmts.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	if _, err := s.query(ctx, `SELECT no_such_column FROM sources`); err == nil || !strings.Contains(err.Error(), "no_such_column") {
		t.Errorf("a query that does not prepare: error %v, want one naming the column", err)
	}
	for i := len(s.stmts.stmts); i < maxStmts; i++ {
		if s.stmts.get(ctx, s.read, fmt.Sprintf("SELECT %d", i)) == nil {
			t.Fatalf("statement %d was not cached", i)
		}
	}
	var n int
	if err := s.queryRow(ctx, `SELECT 41 + 1`).Scan(&n); err != nil || n != 42 {
		t.Errorf("with the cache full: %d, %v; want 42", n, err)
	}
	rows, err := s.query(ctx, `SELECT 1 UNION ALL SELECT 2`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	count := 0
	for rows.Next() {
		count++
	}
	if count != 2 {
		t.Errorf("with the cache full: %d rows, want 2", count)
	}
}
