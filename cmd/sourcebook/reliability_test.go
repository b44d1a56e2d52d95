//go:build unix

package main

// Reliability tests of the real program as it is deployed: the binary is built, started as
// a process, killed with SIGKILL while editors save, stopped with SIGTERM while requests are
// in flight, and the database file it leaves is opened and checked directly.
// docs/reliability.md says what each test proves and how to run the long versions. This
// file is their harness; crash_test.go kills the server, shutdown_test.go stops it.

import (
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" driver, to open the file the program leaves
)

const (
	relEmail    = "reliability@example.org"
	relPassword = "a long enough password"
	// Every claim the reliability tests save quotes "NEW YORK" in the first passage of this
	// source, about the issue us-role; the statements start with relPrefix.
	relSource = "ap-witkoff-article5"
	relPrefix = "Reliability test"
)

// newReliabilityDB creates a database with the seed corpus and one editor, the way an
// operator does: `sourcebook user add`, the password on stdin.
func newReliabilityDB(t *testing.T, bin string) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "data", "sourcebook.db")
	cmd := exec.Command(bin, "user", "add", "--db", db, "--email", relEmail, "--role", "editor")
	cmd.Stdin = strings.NewReader(relPassword + "\n")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "created editor "+relEmail) {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	return db
}

// sbProcess is a running `sourcebook serve`.
type sbProcess struct {
	cmd      *exec.Cmd
	base     string // http://127.0.0.1:port
	logs     *syncBuffer
	exited   chan struct{} // closed when the process has ended
	err      error         // cmd.Wait's result, once exited is closed
	exitedAt time.Time
}

// startSourcebook starts `sourcebook serve` on a free port and waits until it serves the
// home page. It serves only after its startup quick_check found the file sound, so a
// start that reaches the home page has passed that check.
func startSourcebook(t *testing.T, bin, db string) *sbProcess {
	t.Helper()
	addr := freeAddr(t)
	p := &sbProcess{base: "http://" + addr, logs: &syncBuffer{}, exited: make(chan struct{})}
	p.cmd = exec.Command(bin, "serve", "--db", db, "--addr", addr)
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start serve: %v", err)
	}
	go func() {
		p.err = p.cmd.Wait()
		p.exitedAt = time.Now()
		close(p.exited)
	}()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.exited
	})
	early := make(chan error, 1)
	go func() {
		<-p.exited
		early <- fmt.Errorf("%v; its log:\n%s", p.err, p.logs)
	}()
	waitForPage(t, p.base+"/", early)
	// The log reaches the buffer through a pipe and a goroutine of os/exec's, so it can come
	// after the page the server answered once the line was written: wait for it too.
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(p.logs.String(), "msg=serving") && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	if logs := p.logs.String(); !strings.Contains(logs, "msg=serving") || strings.Contains(logs, "loaded the seed corpus") {
		t.Fatalf("the server started but not as a restart on an existing database; its log:\n%s", logs)
	}
	return p
}

// waitExit waits for the process to end.
func (p *sbProcess) waitExit(t *testing.T, within time.Duration) {
	t.Helper()
	select {
	case <-p.exited:
	case <-time.After(within):
		t.Fatalf("the server did not exit within %v; its log:\n%s", within, p.logs)
	}
}

// signInEditor signs the test editor in and returns a client carrying the session cookie.
// Redirects are not followed: a 303 is the answer being checked.
func signInEditor(t *testing.T, base string, tr http.RoundTripper) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Transport: tr, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(base+"/admin/login", url.Values{"email": {relEmail}, "password": {relPassword}})
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: status %d, want 303", resp.StatusCode)
	}
	return c
}

// claimForm is the admin claim form as a browser without the selection script sends it.
func claimForm(statement string) url.Values {
	return url.Values{"block": {"c7vtk7"}, "quote": {"NEW YORK"}, "statement": {statement},
		"kind": {"quote"}, "speaker": {"steve-witkoff"}, "evidence": {"own-words"}, "stance-us-role": {"for"}}
}

func claimURL(base string) string { return base + "/admin/sources/" + relSource + "/claims" }

// saveClaim posts a new claim. A 303 is the acknowledgement: the server answers it only
// after the transaction committed.
func saveClaim(c *http.Client, base, statement string) (int, error) {
	resp, err := c.PostForm(claimURL(base), claimForm(statement))
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// dbState is what inspectDB found in a database file.
type dbState struct {
	statements map[string]bool // every claim's statement
	problems   []string        // anything that would mean corruption or a torn write
}

// inspectDB opens a database file directly, as any SQLite client would, and checks it:
// integrity_check, foreign keys, the full-text index, and that no claim is half-written.
// SaveClaim writes a claim, its citation, its stances, its search row and its audit entry
// in one transaction, so a claim missing any of them would be a torn write.
func inspectDB(t *testing.T, path string) dbState {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	st := dbState{statements: map[string]bool{}}
	strs := func(q string, args ...any) []string {
		rows, err := db.Query(q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s sql.NullString
			if err := rows.Scan(&s); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			out = append(out, s.String)
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return out
	}
	if res := strs(`PRAGMA integrity_check`); len(res) != 1 || res[0] != "ok" {
		st.problems = append(st.problems, fmt.Sprintf("integrity_check: %v", res))
	}
	if res := strs(`SELECT "table" FROM pragma_foreign_key_check`); len(res) > 0 {
		st.problems = append(st.problems, fmt.Sprintf("foreign_key_check: rows in %v break a foreign key", res))
	}
	if _, err := db.Exec(`INSERT INTO search (search) VALUES ('integrity-check')`); err != nil {
		st.problems = append(st.problems, fmt.Sprintf("the full-text index fails its integrity check: %v", err))
	}
	// The public download leaves the audit log out; a file without it is not checked for it.
	hasAudit := len(strs(`SELECT name FROM sqlite_master WHERE name = 'audit_log'`)) == 1 &&
		strs(`SELECT count(*) FROM audit_log`)[0] != "0"
	for _, check := range []struct{ what, q string }{
		{"no citation", `SELECT slug FROM claims c WHERE NOT EXISTS (SELECT 1 FROM citations WHERE claim_id = c.id)`},
		{"no stance", `SELECT slug FROM claims c WHERE NOT EXISTS (SELECT 1 FROM claim_issues WHERE claim_id = c.id)`},
		{"no search row", `SELECT slug FROM claims c WHERE statement LIKE ? || '%' AND NOT EXISTS (SELECT 1 FROM search WHERE rowid = c.id * 8 + 2)`},
		{"no audit entry", `SELECT slug FROM claims c WHERE statement LIKE ? || '%' AND NOT EXISTS (SELECT 1 FROM audit_log WHERE action = 'claim.create' AND entity = 'claim/' || c.slug)`},
	} {
		if strings.Contains(check.q, "audit_log") && !hasAudit {
			continue
		}
		var args []any
		if strings.Contains(check.q, "?") {
			args = append(args, relPrefix)
		}
		if torn := strs(check.q, args...); len(torn) > 0 {
			st.problems = append(st.problems, fmt.Sprintf("torn write: %d claims with %s, e.g. %s", len(torn), check.what, torn[0]))
		}
	}
	for _, s := range strs(`SELECT statement FROM claims`) {
		st.statements[s] = true
	}
	return st
}
