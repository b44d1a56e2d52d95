package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/sourcebook/sourcebook/store"
)

// onDatabase makes a command of one that takes the database and one other file, as backup
// and restore do.
func onDatabase(do func(ctx context.Context, dbPath, file string, stdout io.Writer) error) func(*flag.FlagSet) runner {
	return func(fl *flag.FlagSet) runner {
		dbPath := dbFlag(fl)
		return func(ctx context.Context, args []string, _ io.Reader, stdout, _ io.Writer) error {
			return do(ctx, *dbPath, args[0], stdout)
		}
	}
}

// backupHelp is what "sourcebook help backup" prints.
const backupHelp = `Usage: sourcebook backup [--db PATH] DEST

Writes a consistent copy of the database to DEST (which must not exist) with VACUUM INTO,
while the site keeps serving, without the editors' sessions. The copy is written beside
DEST, checked (quick_check) and only then renamed to DEST, readable by its owner only; a
failed backup leaves nothing at DEST. It reports the sources, published and drafts, the
claims and the citations it holds.
`

// backup writes a consistent copy of the database while the site may be serving. The store
// checks the copy before it appears at dest, and leaves the editors' sessions out of it.
func backup(ctx context.Context, dbPath, dest string, stdout io.Writer) error {
	release, err := lockDatabase(dbPath, false, true)
	if err != nil {
		return fmt.Errorf("refusing to back up: %w", err)
	}
	defer release()
	st, err := store.OpenReadOnly(ctx, dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Backup(ctx, dest); err != nil {
		return err
	}
	copyOf, err := store.OpenReadOnly(ctx, dest)
	if err != nil {
		return err
	}
	defer copyOf.Close()
	stats, err := copyOf.Stats(ctx)
	if err != nil {
		return err
	}
	drafts := "drafts"
	if stats.Drafts == 1 {
		drafts = "draft"
	}
	// Drafts are counted apart: a backup of 926 sources used to report the 7 published.
	fmt.Fprintf(stdout, "backed up %s to %s: %d sources (%d published, %d %s), %d claims, %d citations\n",
		dbPath, dest, stats.Sources+stats.Drafts, stats.Sources, stats.Drafts, drafts, stats.Claims, stats.Citations)
	return nil
}

// restoreHelp is what "sourcebook help restore" prints.
const restoreHelp = `Usage: sourcebook restore [--db PATH] BACKUP

Checks BACKUP's integrity and puts it in place of the database, keeping the file it
replaces beside it (.replaced-TIMESTAMP). While any process holds the database (serve,
serve --read-only, a backup: each holds a lock on PATH.lock for as long as it runs) it
refuses, with exit status 1, and changes nothing: stop the server, then restore.
`

// restore puts a backup in place of the database, keeping the file it replaces. It refuses
// while any process holds the database (see lockDatabase), and holds it itself until the
// backup is in place, so no server starts on a file half replaced.
func restore(ctx context.Context, dbPath, from string, stdout io.Writer) error {
	b, err := store.OpenReadOnly(ctx, from)
	if err != nil {
		return fmt.Errorf("refusing to restore %s: %w", from, err)
	}
	err = b.IntegrityCheck(ctx)
	b.Close()
	if err != nil {
		return fmt.Errorf("refusing to restore %s: %w", from, err)
	}
	release, err := lockDatabase(dbPath, true, false)
	if errors.Is(err, errInUse) {
		return fmt.Errorf("refusing to restore: %w: a server (or a backup) has it open, and would go on writing to the file restore moves aside. Stop it, then restore again", err)
	}
	if err != nil {
		return err
	}
	defer release()
	// The copy is made beside the database and renamed into place, so the database is never
	// a half-written file, even if this process dies midway.
	tmp, err := copyBeside(dbPath, from)
	if err != nil {
		return err
	}
	defer os.Remove(tmp) // gone once renamed; removed if anything below fails
	if _, err := os.Stat(dbPath); err == nil {
		aside := dbPath + ".replaced-" + time.Now().UTC().Format("20060102T150405Z")
		if err := os.Rename(dbPath, aside); err != nil {
			return fmt.Errorf("move the current database aside: %w", err)
		}
		for _, suffix := range []string{"-wal", "-shm"} {
			os.Rename(dbPath+suffix, aside+suffix)
		}
		fmt.Fprintf(stdout, "kept the database it replaces as %s\n", aside)
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		return fmt.Errorf("put the backup in place: %w", err)
	}
	fmt.Fprintf(stdout, "restored %s from %s\n", dbPath, from)
	return nil
}

// copyBeside copies the file from into a new file, readable by its owner only, in the
// directory of path, flushed to disk, and returns its name.
func copyBeside(path, from string) (string, error) {
	src, err := os.Open(from)
	if err != nil {
		return "", err
	}
	defer src.Close()
	dst, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".restoring-*")
	if err != nil {
		return "", err
	}
	_, err = io.Copy(dst, src)
	if err == nil {
		err = dst.Sync()
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(dst.Name())
		return "", fmt.Errorf("copy %s: %w", from, err)
	}
	return dst.Name(), nil
}
