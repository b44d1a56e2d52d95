package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// sourcebookRun is what one run of the real program did.
type sourcebookRun struct {
	stdout, stderr string
	status         int
}

// runSourcebook runs the real program with args, in dir, with stdin as its standard input.
// A command line it misreads as "serve" would start a web server and never end, so it
// serves on a free port rather than on 8080 and is killed after 20 s.
func runSourcebook(t *testing.T, dir, stdin string, args ...string) sourcebookRun {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, buildSourcebook(t), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "SOURCEBOOK_ADDR="+freeAddr(t), "SOURCEBOOK_DB=")
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("sourcebook %s was still running after 20 s; its output:\n%s%s", strings.Join(args, " "), &stdout, &stderr)
	}
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("sourcebook %s: %v", strings.Join(args, " "), err)
	}
	return sourcebookRun{stdout.String(), stderr.String(), cmd.ProcessState.ExitCode()}
}

// A command line the program cannot follow is refused with the usage and status 2, before
// anything is opened: an unknown command, a word too many or too few, an unknown flag, a
// port given without its colon. None of them may start a server or create a database.
func TestMistakenCommandLinesAreRefused(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		says string // what the message must name
	}{
		{[]string{"--db", "x.db", "frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"frobnicate", "--db", "x.db"}, `unknown command "frobnicate"`},
		{[]string{"serve", "--db", "x.db", "extra"}, `unexpected argument "extra"`},
		{[]string{"--db", "x.db", "--frobnicate"}, "-frobnicate"},
		{[]string{"check", "extra"}, `unexpected argument "extra"`},
		{[]string{"check", "--db", "x.db"}, "-db"},
		{[]string{"corpus", "keys"}, "missing"},
		{[]string{"corpus", "rekey", "x.md"}, `unknown command "rekey"`},
		{[]string{"generate", "--db", "x.db", "--scale", "1", "extra"}, `unexpected argument "extra"`},
		{[]string{"--db", "x.db", "user", "add", "--email", "e@example.org", "extra"}, `unexpected argument "extra"`},
		{[]string{"--db", "x.db", "user", "remove", "--email", "e@example.org"}, `unknown command "remove"`},
		{[]string{"--db", "x.db", "user", "add"}, "--email"},
		{[]string{"backup", "--db", "x.db"}, "missing"},
		{[]string{"backup", "--db", "x.db", "copy.db", "extra"}, `unexpected argument "extra"`},
		{[]string{"restore", "--db", "x.db"}, "missing"},
		{[]string{"restore", "--db", "x.db", "copy.db", "extra"}, `unexpected argument "extra"`},
		{[]string{"version", "extra"}, `unexpected argument "extra"`},
		{[]string{"help", "frobnicate"}, `"frobnicate"`},
		{[]string{"--db", "x.db", "--addr", "28523"}, ":28523"},
		{[]string{"serve", "--db", "x.db", "--addr", "localhost"}, "HOST:PORT"},
		{[]string{"serve", "--db", "x.db", "--base-url", "sourcebook.example.org"}, "https://"},
		{[]string{"serve", "--db", "x.db", "--base-url", "https://x.org/under/a/path"}, "root"},
	} {
		line := strings.Join(c.args, " ")
		r := runSourcebook(t, dir, "a long enough password\n", c.args...)
		if r.status != 2 {
			t.Errorf("sourcebook %s: exit status %d, want 2; stderr:\n%s", line, r.status, r.stderr)
		}
		if !strings.Contains(r.stderr, c.says) {
			t.Errorf("sourcebook %s: stderr does not say %q:\n%s", line, c.says, r.stderr)
		}
		if !strings.Contains(r.stderr, "Usage") && !slices.Contains(c.args, "--addr") && !slices.Contains(c.args, "--base-url") {
			t.Errorf("sourcebook %s: stderr does not show the usage:\n%s", line, r.stderr)
		}
		if r.stdout != "" {
			t.Errorf("sourcebook %s: wrote to stdout: %s", line, r.stdout)
		}
		if _, err := os.Stat(filepath.Join(dir, "x.db")); err == nil {
			t.Fatalf("sourcebook %s created the database", line)
		}
	}
}

// Flags mean the same before the command, between its words and after its arguments.
func TestFlagsStandBeforeOrAfterTheCommand(t *testing.T) {
	dir := t.TempDir()
	const password = "a long enough password\n"
	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"--db", "x.db", "user", "add", "--email", "first@example.org", "--role", "admin"}, "created admin first@example.org"},
		{[]string{"user", "add", "--db", "x.db", "--email", "second@example.org"}, "created editor second@example.org"},
		{[]string{"user", "--db=x.db", "add", "--email", "third@example.org", "--name", "Third"}, "created editor third@example.org"},
		{[]string{"backup", "copy.db", "--db", "x.db"}, "backed up x.db to copy.db"},
		{[]string{"--dir", filepath.Join("..", "..", "store", "corpus"), "check"}, "is valid"},
	} {
		cmdDir := dir
		if c.args[len(c.args)-1] == "check" {
			cmdDir = "."
		}
		r := runSourcebook(t, cmdDir, password, c.args...)
		if r.status != 0 || !strings.Contains(r.stdout, c.says) {
			t.Errorf("sourcebook %s: exit status %d, stdout %q, want 0 and %q; stderr:\n%s",
				strings.Join(c.args, " "), r.status, r.stdout, c.says, r.stderr)
		}
	}

	for _, file := range []string{"x.db", "copy.db"} {
		db, err := sql.Open("sqlite", filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var accounts []string
		rows, err := db.Query(`SELECT email || ' ' || role || ' ' || name FROM users ORDER BY id`)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for rows.Next() {
			var a string
			rows.Scan(&a)
			accounts = append(accounts, strings.TrimSpace(a))
		}
		want := "first@example.org admin; second@example.org editor; third@example.org editor Third"
		if got := strings.Join(accounts, "; "); got != want {
			t.Errorf("%s holds the accounts %q, want %q", file, got, want)
		}
	}
}

// --version and the version command say which commit the binary was built from, when it
// was committed, and the Go release that built it.
func TestVersionNamesTheCommit(t *testing.T) {
	var want []string
	if out, err := exec.Command("git", "log", "-1", "--format=%H %ct").Output(); err == nil {
		rev, unix, _ := strings.Cut(strings.TrimSpace(string(out)), " ")
		secs, _ := strconv.ParseInt(unix, 10, 64)
		want = append(want, rev, time.Unix(secs, 0).UTC().Format(time.RFC3339))
	} else {
		t.Logf("no git checkout (%v): the binary carries no commit", err)
		want = append(want, "commit     unknown")
	}
	want = append(want, runtime.Version())

	flagRun := runSourcebook(t, ".", "", "--version")
	cmdRun := runSourcebook(t, ".", "", "version")
	for _, r := range []sourcebookRun{flagRun, cmdRun} {
		if r.status != 0 {
			t.Fatalf("exit status %d; stderr:\n%s", r.status, r.stderr)
		}
		for _, w := range want {
			if !strings.Contains(r.stdout, w) {
				t.Errorf("the version does not say %q:\n%s", w, r.stdout)
			}
		}
	}
	if flagRun.stdout != cmdRun.stdout {
		t.Errorf("--version says\n%s\nbut version says\n%s", flagRun.stdout, cmdRun.stdout)
	}
}
