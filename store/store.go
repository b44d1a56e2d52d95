// Package store keeps Sourcebook's knowledge base in SQLite: opening the database, the types
// it holds, and every SQL statement the program runs.
//
// The database is opened the way production services open SQLite: WAL journal, foreign keys
// on, a busy timeout, one connection for writes (SQLite allows one writer at a time, and a
// single connection queues writers in Go instead of failing them with SQLITE_BUSY) and a pool
// of read-only connections for the public site.
//
// Each thing the knowledge base holds has one file with its types, its reads and its writes:
// sources.go; blocks.go, with passages.go (a block in its context) and paragraphs.go (its
// number); actors.go; claims.go; citations.go, with annotations.go (the W3C view of them);
// issues.go; positions.go (and the matrix); precedents.go (facts, mentions); events.go (the
// timeline); users.go; audit.go. Search is search.go, searchindex.go, rank.go, facetindex.go,
// facets.go and suggest.go. Reads of the whole corpus for the exports are in export.go,
// copies of the file in backup.go, the seed loader in corpus.go. Underneath: the data
// version and the counts (meta.go), the caches (memo.go, stmts.go), list pages (page.go),
// and the checks on what editors type (text.go).
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/pressly/goose/v3"
	"modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/sourcebook/sourcebook/migrations"
)

// ErrNotFound is returned when a requested record does not exist.
var ErrNotFound = errors.New("not found")

// ErrInvalid wraps a refusal of bad input; its message is written for the person who gave it.
var ErrInvalid = errors.New("invalid")

// ErrReadOnly is returned by any write to a store opened read-only.
var ErrReadOnly = errors.New("this copy of the knowledge base is read-only")

// Store is the knowledge base.
type Store struct {
	path  string
	write *sql.DB // one connection: every write goes through it, in a transaction
	read  *sql.DB // read-only connections, query_only: the public site cannot write through them

	facets facetCache // search facet counts, kept in memory (facets.go)
	stmts  stmtCache  // prepared read statements (stmts.go)
	memo   memoCache  // aggregates over the corpus, per data version (memo.go)

	version   atomic.Pointer[knownVersion] // the data version, kept in memory (meta.go)
	versionMu sync.Mutex                   // held while the version is read from or committed to SQLite
}

// Open opens (creating if needed) the database at path and applies pending migrations.
func Open(ctx context.Context, path string) (*Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("create database directory: %w", err)
		}
	}
	write, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	if err := migrate(ctx, write); err != nil {
		write.Close()
		return nil, err
	}
	if err := normalizeEmails(ctx, write); err != nil {
		write.Close()
		return nil, err
	}
	read, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open %s for reading: %w", path, err)
	}
	n := max(4, 2*runtime.GOMAXPROCS(0))
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	if err := read.PingContext(ctx); err != nil {
		write.Close()
		read.Close()
		return nil, fmt.Errorf("open %s for reading: %w", path, err)
	}
	s := &Store{path: path, write: write, read: read}
	s.startWarming()
	return s, nil
}

// OpenReadOnly opens an existing, migrated database for reading only: no connection that
// could write is ever opened, so no code path can change the file. A public replica runs so.
func OpenReadOnly(ctx context.Context, path string) (*Store, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("open %s read-only: %w", path, err)
	}
	read, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return nil, fmt.Errorf("open %s read-only: %w", path, err)
	}
	n := max(4, 2*runtime.GOMAXPROCS(0))
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	var tables int
	err = read.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name IN ('sources', 'search', 'site_meta')`).Scan(&tables)
	switch {
	case err != nil:
		read.Close()
		return nil, fmt.Errorf("open %s read-only: %w", path, err)
	case tables != 3: // it is SQLite, but not ours (the error used to end in "<nil>" here)
		read.Close()
		return nil, fmt.Errorf("open %s read-only: not a Sourcebook database (start a writable copy once to create it)", path)
	}
	return &Store{path: path, read: read}, nil
}

// ReadOnly reports whether the store was opened read-only.
func (s *Store) ReadOnly() bool { return s.write == nil }

// dsn builds a modernc.org/sqlite data source name. Pragmas are set per connection, so every
// pooled connection gets them. Writers take the write lock when their transaction begins
// (_txlock=immediate), so two writers never deadlock upgrading a read lock.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	if readOnly {
		q.Add("mode", "ro")
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		// FULL: a commit is on disk before it is acknowledged, even across a power cut.
		q.Add("_pragma", "synchronous(FULL)")
		q.Add("_txlock", "immediate")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

func migrate(ctx context.Context, db *sql.DB) error {
	p, err := goose.NewProvider(goose.DialectSQLite3, db, migrations.FS)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("apply migrations: %w", err)
	}
	return nil
}

// Path is the database file's path.
func (s *Store) Path() string { return s.path }

// Close closes the database, checkpointing the WAL into the main file.
func (s *Store) Close() error {
	s.stopWarming()
	errRead := errors.Join(s.stmts.close(), s.read.Close())
	if s.write == nil {
		return errRead
	}
	_, _ = s.write.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	return errors.Join(errRead, s.write.Close())
}

// errNoChange, returned by a transaction's function, ends it without writing anything.
var errNoChange = errors.New("no change")

// inTx runs f in a write transaction and commits it, or rolls back if f fails. Every
// write bumps the data version in the same transaction, so a cached page is never served
// as fresh after the data under it changed.
func (s *Store) inTx(ctx context.Context, f func(tx *sql.Tx) error) error {
	if s.write == nil {
		return ErrReadOnly
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := f(tx); err != nil {
		_ = tx.Rollback()
		if errors.Is(err, errNoChange) {
			return nil
		}
		return err
	}
	v, err := scanVersion(tx.QueryRowContext(ctx, `UPDATE site_meta SET version = version + 1,
		updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = 1 RETURNING version, updated_at`))
	if err != nil {
		_ = tx.Rollback()
		return fmt.Errorf("bump data version: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	s.committed(v)
	return nil
}

// IntegrityCheck runs SQLite's quick_check and reports what it finds wrong, if anything.
func (s *Store) IntegrityCheck(ctx context.Context) error {
	return quickCheck(ctx, s.read, "database "+s.path)
}

// quickCheck runs SQLite's quick_check on db, which what names in the error.
func quickCheck(ctx context.Context, db *sql.DB, what string) error {
	rows, err := db.QueryContext(ctx, "PRAGMA quick_check")
	if err != nil {
		return checkFailed(what, err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var msg string
		if err := rows.Scan(&msg); err != nil {
			return checkFailed(what, err)
		}
		if msg != "ok" {
			problems = append(problems, msg)
		}
	}
	if err := rows.Err(); err != nil {
		return checkFailed(what, err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s is corrupt: %v", what, problems)
	}
	return nil
}

// checkFailed explains a quick_check that could not finish. SQLite stops it with
// SQLITE_CORRUPT or SQLITE_NOTADB on pages too damaged to walk, which is as much a verdict
// as the problems it lists otherwise, and is said so.
func checkFailed(what string, err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) && (se.Code()&0xff == 11 || se.Code()&0xff == 26) { // SQLITE_CORRUPT, SQLITE_NOTADB
		return fmt.Errorf("%s is corrupt: %w", what, err)
	}
	return fmt.Errorf("integrity check of %s: %w", what, err)
}
