// Statements: the cache of prepared reads, and small helpers that run queries for ids.

package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
)

// Reads go through prepared statements kept by their SQL text. Parsing is a large part of
// what a small SQLite query costs, and database/sql over modernc.org/sqlite keeps no
// statement cache of its own; a *sql.Stmt is prepared once on each pooled connection and
// then reused. Queries are built from a fixed set of fragments (values are always bound),
// so the texts are few; past maxStmts the rest simply run unprepared.
const maxStmts = 256

type stmtCache struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

func (c *stmtCache) get(ctx context.Context, db *sql.DB, q string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.stmts[q]; ok {
		return st
	}
	if len(c.stmts) >= maxStmts {
		return nil
	}
	st, err := db.PrepareContext(ctx, q)
	if err != nil {
		return nil // run unprepared, which reports the error where it belongs
	}
	if c.stmts == nil {
		c.stmts = map[string]*sql.Stmt{}
	}
	c.stmts[q] = st
	return st
}

func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for _, st := range c.stmts {
		errs = append(errs, st.Close())
	}
	c.stmts = nil
	return errors.Join(errs...)
}

// query runs a read through the read-only pool.
func (s *Store) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := s.stmts.get(ctx, s.read, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return s.read.QueryContext(ctx, q, args...)
}

// queryRow runs a read of one row through the read-only pool.
func (s *Store) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if st := s.stmts.get(ctx, s.read, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.read.QueryRowContext(ctx, q, args...)
}

func ids(ctx context.Context, tx *sql.Tx, q string, args ...any) ([]int64, error) {
	return scanIDs(tx.QueryContext(ctx, q, args...))
}

// readIDs runs a read that selects one column of ids.
func (s *Store) readIDs(ctx context.Context, q string, args ...any) ([]int64, error) {
	return scanIDs(s.query(ctx, q, args...))
}

func scanIDs(rows *sql.Rows, err error) ([]int64, error) {
	if err != nil {
		return nil, fmt.Errorf("ids: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("ids: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// idList encodes ids as a JSON array, bound as one parameter and opened with json_each:
// an IN list of any length without building SQL from values.
func idList[T any](items []T, id func(T) int64) string {
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = id(it)
	}
	b, _ := json.Marshal(ids)
	return string(b)
}
