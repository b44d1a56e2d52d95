// Backup: consistent copies of the database file, whole (Backup) or public only (Snapshot,
// for downloads).

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
)

// Snapshot writes a consistent copy of the public knowledge base to a new file at dst, for
// download. The live database is only read: VACUUM INTO copies it from one read transaction.
// The read pool cannot run it (query_only refuses VACUUM even INTO another file), so the copy
// is made on a connection of its own, opened read-only (mode=ro) and closed afterwards. The
// copy then has its drafts removed and is vacuumed again, so no unpublished text survives even
// in its free pages, and it is left in rollback-journal mode so it opens on its own, without
// a -wal file beside it. A table added later that is not public must be emptied here too.
func (s *Store) Snapshot(ctx context.Context, dst string) error {
	return s.copyTo(ctx, dst, publicOnly)
}

// Backup writes a consistent copy of the whole database (accounts, drafts and the audit log
// included) to a new file at dst while the site keeps serving, and checks it with quick_check
// before it appears at dst. The editors' sessions are left out: a backup is kept on other
// disks and by other people, and a session's token is stored as the cookie carries it, so a
// live one in a backup would sign in whoever reads it.
func (s *Store) Backup(ctx context.Context, dst string) error {
	return s.copyTo(ctx, dst, withoutSessions)
}

// copyTo copies the database into a temporary file beside dst, lets finish trim and check
// the copy, and renames it to dst only once all of that succeeded: a copy that fails halfway
// leaves nothing at dst (an empty file left there used to block the retry) and is never
// mistaken for a backup. The temporary file is created 0600, whatever the umask, and VACUUM
// INTO keeps that mode: the copy holds password hashes.
func (s *Store) copyTo(ctx context.Context, dst string, finish func(ctx context.Context, path string) error) (err error) {
	if _, err := os.Stat(dst); !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("backup: %s already exists", dst)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".partial-*")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	tmpPath := tmp.Name()
	tmp.Close()
	defer func() {
		if err != nil {
			for _, suffix := range []string{"", "-journal", "-wal", "-shm"} {
				os.Remove(tmpPath + suffix)
			}
		}
	}()
	q := url.Values{}
	q.Add("mode", "ro")
	q.Add("_pragma", "busy_timeout(10000)")
	src, err := sql.Open("sqlite", "file:"+(&url.URL{Path: s.path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return fmt.Errorf("snapshot: open %s: %w", s.path, err)
	}
	defer src.Close()
	src.SetMaxOpenConns(1)
	// VACUUM INTO writes into an empty file as into a new one.
	if _, err := src.ExecContext(ctx, `VACUUM INTO ?`, tmpPath); err != nil {
		return fmt.Errorf("snapshot: copy %s: %w", s.path, err)
	}
	if err := src.Close(); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	if err := finish(ctx, tmpPath); err != nil {
		return err
	}
	if err := os.Rename(tmpPath, dst); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// openCopy opens a copy being finished, in rollback-journal mode so that it is whole in its
// one file when closed, with deleted rows overwritten rather than left in free pages.
func openCopy(path string) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(DELETE)")
	q.Add("_pragma", "secure_delete(1)")
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("snapshot: open copy: %w", err)
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// withoutSessions removes the sessions from a backup and checks what is left.
func withoutSessions(ctx context.Context, path string) error {
	db, err := openCopy(path)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `DELETE FROM sessions`); err != nil {
		return fmt.Errorf("backup: remove sessions: %w", err)
	}
	if err := quickCheck(ctx, db, "the backup"); err != nil {
		return err
	}
	return db.Close()
}

// publicOnly removes draft sources, and all that hangs from them, from a snapshot.
func publicOnly(ctx context.Context, path string) error {
	db, err := openCopy(path)
	if err != nil {
		return err
	}
	defer db.Close()
	// Drafts, and the editors' accounts, sessions and audit log, are not public; nor are
	// the actors with nothing published to show (actorPublic), once the drafts are gone.
	for _, q := range []string{`DELETE FROM sources WHERE status <> 'published'`,
		`DELETE FROM actors WHERE id NOT IN (SELECT a.id FROM actors a WHERE ` + actorPublic + `)`,
		`DELETE FROM search WHERE kind = 'actor' AND ref NOT IN (SELECT id FROM actors)`,
		`DELETE FROM sessions`, `DELETE FROM audit_log`, `DELETE FROM users`, `VACUUM`} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("snapshot: %s: %w", q, err)
		}
	}
	return db.Close()
}
