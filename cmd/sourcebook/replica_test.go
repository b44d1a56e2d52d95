package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// litestream finds the Litestream binary, which streams the database's WAL to a replica.
// CI installs it and sets SOURCEBOOK_REPLICATION_TESTS=1, so the test cannot be skipped there.
func litestream(t *testing.T) string {
	t.Helper()
	path := os.Getenv("SOURCEBOOK_LITESTREAM")
	if path == "" {
		path, _ = exec.LookPath("litestream")
	}
	if path == "" {
		if os.Getenv("SOURCEBOOK_REPLICATION_TESTS") == "1" {
			t.Fatal("SOURCEBOOK_REPLICATION_TESTS=1 but no litestream binary (set SOURCEBOOK_LITESTREAM)")
		}
		t.Skip("litestream is not installed: go install github.com/benbjohnson/litestream/cmd/litestream@v0.3.13")
	}
	return path
}

// Writes acknowledged on the primary are all in a database restored from the replica
// Litestream keeps in a local directory (S3-compatible storage in production), and a
// read-only instance started on the restored file serves them. Litestream runs with the
// configuration the project ships, deploy/litestream.yml.
func TestReplicationRestoresEveryAcknowledgedWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("the replication test runs Litestream: not in -short")
	}
	ls := litestream(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "primary.db")
	config, err := filepath.Abs(filepath.Join("..", "..", "deploy", "litestream.yml"))
	if err != nil {
		t.Fatal(err)
	}
	litestreamEnv := append(os.Environ(), "SOURCEBOOK_DB="+db, "SOURCEBOOK_REPLICA_URL=file://"+filepath.Join(dir, "replica"))

	var out strings.Builder
	userAdd := func() {
		err := run(t.Context(), []string{"user", "add", "--db", db, "--email", "ed@example.org"},
			strings.NewReader("a long enough password\n"), &out, io.Discard)
		if err != nil {
			t.Fatalf("user add: %v", err)
		}
	}
	userAdd()

	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "--db", db, "--addr", addr}, nil, io.Discard, io.Discard) }()
	waitForPage(t, "http://"+addr+"/", done)

	rep := exec.Command(ls, "replicate", "-config", config)
	rep.Env = litestreamEnv
	var repLog strings.Builder
	rep.Stdout, rep.Stderr = &repLog, &repLog
	if err := rep.Start(); err != nil {
		t.Fatal(err)
	}
	defer rep.Process.Kill()
	time.Sleep(500 * time.Millisecond)

	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm("http://"+addr+"/admin/login", url.Values{"email": {"ed@example.org"}, "password": {"a long enough password"}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %v %v", err, resp)
	}
	var acknowledged []string
	for i := 0; i < 20; i++ {
		statement := fmt.Sprintf("Replicated claim number %d.", i)
		resp, err := c.PostForm("http://"+addr+"/admin/sources/ap-witkoff-article5/claims", url.Values{
			"block": {"c7vtk7"}, "quote": {"NEW YORK"}, "statement": {statement}, "kind": {"quote"}, "speaker": {"steve-witkoff"}, "evidence": {"own-words"}, "stance-us-role": {"for"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusSeeOther {
			acknowledged = append(acknowledged, statement)
		}
	}
	// Litestream ships the WAL every second; give it two, then stop it cleanly.
	time.Sleep(2500 * time.Millisecond)
	rep.Process.Signal(os.Interrupt)
	rep.Wait()

	restored := filepath.Join(dir, "restored.db")
	restore := exec.Command(ls, "restore", "-config", config, "-o", restored, db)
	restore.Env = litestreamEnv
	if b, err := restore.CombinedOutput(); err != nil {
		t.Fatalf("litestream restore: %v\n%s\nreplicate's log:\n%s", err, b, repLog.String())
	}
	rdb, err := sql.Open("sqlite", "file:"+restored+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	var integrity string
	if err := rdb.QueryRow(`PRAGMA integrity_check`).Scan(&integrity); err != nil || integrity != "ok" {
		t.Fatalf("restored database: integrity %q, %v", integrity, err)
	}
	for _, s := range acknowledged {
		var n int
		if err := rdb.QueryRow(`SELECT count(*) FROM claims WHERE statement = ?`, s).Scan(&n); err != nil || n != 1 {
			t.Errorf("acknowledged %q: %d in the restored database (%v)", s, n, err)
		}
	}
	rdb.Close()

	// A read-only instance starts on the restored file and serves what was written.
	roAddr := freeAddr(t)
	roDone := make(chan error, 1)
	go func() {
		roDone <- run(ctx, []string{"serve", "--read-only", "--db", restored, "--addr", roAddr}, nil, io.Discard, io.Discard)
	}()
	waitForPage(t, "http://"+roAddr+"/", roDone)
	resp, err = http.Get("http://" + roAddr + "/api/claims?source=ap-witkoff-article5")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, s := range acknowledged {
		if !strings.Contains(string(body), s) {
			t.Errorf("the read-only instance on the restored file does not serve %q", s)
		}
	}
	t.Logf("%d acknowledged writes, all in the database restored from the replica and served read-only from it", len(acknowledged))
}
