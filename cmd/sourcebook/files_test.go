//go:build unix

package main

// Tests of the files the program leaves: restore refuses a database a server holds, every
// file is its owner's only, a backup carries no session, a corrupt database is never served
// and a failed backup leaves nothing behind. Each runs the real binary on real files.

import (
	"bytes"
	"crypto/rand"
	"database/sql"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// ownerOnly fails the test unless every file is mode 0600.
func ownerOnly(t *testing.T, files ...string) {
	t.Helper()
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			continue
		}
		t.Logf("%s: %v", filepath.Base(f), fi.Mode().Perm())
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s is %v, want -rw------- (it holds password hashes and session tokens)", filepath.Base(f), fi.Mode().Perm())
		}
	}
}

// usualUmask gives the test process, and so the binary it starts, the umask most systems
// have (022), under which files used to be created world-readable; a CI runner with a
// stricter one would otherwise pass the mode checks whatever the program does.
func usualUmask(t *testing.T) {
	old := syscall.Umask(0o022)
	t.Cleanup(func() { syscall.Umask(old) })
}

// count runs a query that counts, on a database file opened directly.
func count(t *testing.T, path, q string) int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %s: %v", filepath.Base(path), q, err)
	}
	return n
}

func fileBytes(t *testing.T, paths ...string) []byte {
	t.Helper()
	var all []byte
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}

// While a server runs on a database, restore refuses, exit status 1, and leaves the files
// as they were; once the server has stopped, it succeeds. The database, its WAL and shared
// memory, its lock file, the backup and the restored file are all 0600, and the backup
// holds the editor's account but not the session the editor is signed in with.
func TestRestoreRefusedWhileServing(t *testing.T) {
	usualUmask(t)
	bin := buildSourcebook(t)
	db := newReliabilityDB(t, bin)
	dir := filepath.Dir(db)
	p := startSourcebook(t, bin, db)
	c := signInEditor(t, p.base, nil)
	if status, err := saveClaim(c, p.base, relPrefix+": saved before the backup"); err != nil || status != http.StatusSeeOther {
		t.Fatalf("save: %d %v", status, err)
	}
	resp, err := c.PostForm(p.base+"/admin/sources", url.Values{"title": {"A draft nobody has published"},
		"kind": {"analysis"}, "language": {"en"}, "text": {"One paragraph of a draft."}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create a draft: status %d", resp.StatusCode)
	}
	base, _ := url.Parse(p.base + "/admin/")
	var token string
	for _, ck := range c.Jar.Cookies(base) {
		token = ck.Value
	}
	if len(token) < 16 {
		t.Fatalf("no session cookie after signing in: %q", token)
	}
	ownerOnly(t, db, db+"-wal", db+"-shm", db+".lock")

	bak := filepath.Join(t.TempDir(), "backup.db")
	r := runSourcebook(t, dir, "", "backup", "--db", db, bak)
	if r.status != 0 {
		t.Fatalf("backup: status %d\n%s", r.status, r.stderr)
	}
	t.Logf("backup: %s", strings.TrimSpace(r.stdout))
	if !strings.Contains(r.stdout, "6 sources (5 published, 1 draft)") {
		t.Errorf("backup does not count the draft: %s", r.stdout)
	}
	ownerOnly(t, bak)
	if n := count(t, bak, `SELECT count(*) FROM sessions`); n != 0 {
		t.Errorf("the backup holds %d sessions, want none", n)
	}
	if n := count(t, bak, `SELECT count(*) FROM users`); n != 1 {
		t.Errorf("the backup holds %d accounts, want the editor's", n)
	}
	if n := count(t, db, `SELECT count(*) FROM sessions`); n == 0 {
		t.Fatal("the live database holds no session: the check above proves nothing")
	}
	if bytes.Contains(fileBytes(t, bak), []byte(token)) {
		t.Error("the session token is in the backup's bytes")
	}

	before := fileBytes(t, db, db+"-wal")
	r = runSourcebook(t, dir, "", "restore", "--db", db, bak)
	t.Logf("restore while serving: status %d, stderr: %s", r.status, strings.TrimSpace(r.stderr))
	if r.status != 1 || !strings.Contains(r.stderr, "refusing to restore") || !strings.Contains(r.stderr, "in use") {
		t.Errorf("restore while serving: status %d, stderr %q; want 1 and a refusal saying the database is in use", r.status, r.stderr)
	}
	if !bytes.Equal(before, fileBytes(t, db, db+"-wal")) {
		t.Error("the refused restore changed the database")
	}
	if aside, _ := filepath.Glob(db + ".replaced-*"); len(aside) > 0 {
		t.Errorf("the refused restore moved the database aside: %v", aside)
	}
	if status, err := saveClaim(c, p.base, relPrefix+": saved after the refused restore"); err != nil || status != http.StatusSeeOther {
		t.Errorf("the server no longer saves after the refused restore: %d %v", status, err)
	}

	p.cmd.Process.Signal(syscall.SIGTERM)
	p.waitExit(t, 20*time.Second)
	r = runSourcebook(t, dir, "", "restore", "--db", db, bak)
	if r.status != 0 || !strings.Contains(r.stdout, "restored") {
		t.Fatalf("restore with the server stopped: status %d\n%s%s", r.status, r.stdout, r.stderr)
	}
	ownerOnly(t, db)
	if !bytes.Equal(fileBytes(t, db), fileBytes(t, bak)) {
		t.Error("the restored database is not the backup")
	}
	st := inspectDB(t, db)
	if !st.statements[relPrefix+": saved before the backup"] || st.statements[relPrefix+": saved after the refused restore"] {
		t.Errorf("the restored database does not hold what the backup held")
	}
	if len(st.problems) > 0 {
		t.Errorf("the restored database: %v", st.problems)
	}
}

// corruptLargeDB makes a database larger than the size that was once checked only after
// serving began, then writes garbage over pages in the middle of it.
func corruptLargeDB(t *testing.T, bin string) string {
	t.Helper()
	db := newReliabilityDB(t, bin)
	conn, err := sql.Open("sqlite", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`CREATE TABLE padding (b BLOB)`,
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000)
			INSERT INTO padding SELECT randomblob(3900) FROM n`,
		`PRAGMA wal_checkpoint(TRUNCATE)`,
	} {
		if _, err := conn.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	conn.Close()
	fi, err := os.Stat(db)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(db, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	garbage := make([]byte, 4096)
	for off := fi.Size() * 4 / 10; off < fi.Size()*6/10; off += 64 << 10 {
		rand.Read(garbage)
		f.WriteAt(garbage, off)
	}
	f.Close()
	t.Logf("%s: %d MB, garbage over the middle fifth", filepath.Base(db), fi.Size()>>20)
	return db
}

// A corrupt database is refused before the server listens: it exits non-zero saying so,
// and /healthz never answers 200, not even for a moment. A backup of it fails and leaves
// no file at its destination, which would block the retry, nor a partial copy beside it.
func TestCorruptDatabaseIsNeverServed(t *testing.T) {
	bin := buildSourcebook(t)
	db := corruptLargeDB(t, bin)

	addr := freeAddr(t)
	logs := &syncBuffer{}
	cmd := exec.Command(bin, "serve", "--db", db, "--addr", addr)
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	healthy, polls := 0, 0
	client := &http.Client{Timeout: time.Second}
	var err error
poll:
	for deadline := time.After(60 * time.Second); ; {
		select {
		case err = <-exited:
			break poll
		case <-deadline:
			cmd.Process.Kill()
			t.Fatalf("serve on a corrupt database still runs after 60 s; its log:\n%s", logs)
		default:
		}
		polls++
		if resp, err := client.Get("http://" + addr + "/healthz"); err == nil {
			if resp.StatusCode == http.StatusOK {
				healthy++
			}
			resp.Body.Close()
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Logf("serve exited with %v after %d polls of /healthz; its log:\n%s", err, polls, logs)
	if err == nil {
		t.Error("serve on a corrupt database exited 0")
	}
	if healthy > 0 {
		t.Errorf("/healthz answered 200 %d times on a corrupt database", healthy)
	}
	if !strings.Contains(logs.String(), "refusing to serve") || !strings.Contains(logs.String(), "corrupt") {
		t.Errorf("serve does not say it refuses a corrupt database:\n%s", logs)
	}

	dest := filepath.Join(t.TempDir(), "backup.db")
	r := runSourcebook(t, filepath.Dir(db), "", "backup", "--db", db, dest)
	t.Logf("backup of the corrupt database: status %d, stderr: %s", r.status, strings.TrimSpace(r.stderr))
	if r.status == 0 {
		t.Errorf("a backup of a corrupt database succeeded: %s", r.stdout)
	}
	if left, _ := os.ReadDir(filepath.Dir(dest)); len(left) > 0 {
		var names []string
		for _, e := range left {
			names = append(names, e.Name())
		}
		t.Errorf("the failed backup left %v in its destination's directory", names)
	}
}
