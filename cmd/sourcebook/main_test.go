package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sourcebook/sourcebook/store/corpus"
	"github.com/sourcebook/sourcebook/store/storetest"
)

// TestMain removes the binary the tests built.
func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// built is the real program, built once for the whole test run by buildSourcebook.
var built struct {
	once     sync.Once
	dir, bin string
	err      error
}

// buildSourcebook builds the real program, once per test run; every test that runs it as a
// process runs that binary. The version control information is stamped into it, as go build
// does by default in a checkout, whatever GOFLAGS says, so that --version can be checked.
func buildSourcebook(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "sourcebook-test-"); built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "sourcebook")
		out, err := exec.Command("go", "build", "-buildvcs=auto", "-o", built.bin, ".").CombinedOutput()
		if err != nil {
			built.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.bin
}

func TestHelpListsEveryCommandAndFlag(t *testing.T) {
	var out bytes.Buffer
	if err := run(t.Context(), []string{"--help"}, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for name := range commands {
		if !strings.Contains(out.String(), "sourcebook "+name) && !strings.Contains(out.String(), "sourcebook ["+name+"]") {
			t.Errorf("--help does not mention %q:\n%s", name, out.String())
		}
		if commands[name].help == "" {
			t.Errorf("help %s has nothing to say", name)
		}
	}
	out.Reset()
	if err := run(t.Context(), []string{"help", "serve"}, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"--db", "--addr", "SOURCEBOOK_DB", "SOURCEBOOK_ADDR"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help serve does not mention %q", want)
		}
	}
	if err := run(t.Context(), []string{"frobnicate"}, nil, io.Discard, io.Discard); err == nil {
		t.Error("an unknown command succeeded")
	}
}

func TestCheckPassesOnTheShippedCorpus(t *testing.T) {
	var out bytes.Buffer
	if err := run(t.Context(), []string{"check"}, nil, &out, io.Discard); err != nil {
		t.Fatalf("check failed: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "is valid") {
		t.Errorf("unexpected output: %s", out.String())
	}
}

func TestCheckReportsProblemsAsFileLine(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, mustSub(t)); err != nil {
		t.Fatal(err)
	}
	ann := filepath.Join(dir, "annotations", "loose-talk-guarantees.yaml")
	b, _ := os.ReadFile(ann)
	b = bytes.Replace(b, []byte(`quote: "`), []byte(`quote: "Words not in the block: `), 1)
	if err := os.WriteFile(ann, b, 0o644); err != nil {
		t.Fatal(err)
	}

	var out bytes.Buffer
	err := run(t.Context(), []string{"check", "--dir", dir}, nil, &out, io.Discard)
	if err == nil {
		t.Fatal("check passed a broken corpus")
	}
	want := filepath.Join(dir, "annotations", "loose-talk-guarantees.yaml") + ":"
	if !strings.Contains(out.String(), want) || !strings.Contains(out.String(), "is not in block") {
		t.Errorf("output does not name the file and problem:\n%s", out.String())
	}
}

// The real program: first start creates the database and loads the corpus, serves the home
// page, shuts down cleanly, and a second start reuses the database without loading again.
func TestServeStartsSeedsAndStops(t *testing.T) {
	db := filepath.Join(t.TempDir(), "data", "sourcebook.db")
	for start := 1; start <= 2; start++ {
		addr := freeAddr(t)
		ctx, cancel := context.WithCancel(t.Context())
		logs := &syncBuffer{}
		done := make(chan error, 1)
		began := time.Now()
		go func() { done <- run(ctx, []string{"serve", "--db", db, "--addr", addr}, nil, io.Discard, logs) }()

		body := waitForPage(t, "http://"+addr+"/", done)
		t.Logf("start %d: first page served after %v", start, time.Since(began).Round(time.Millisecond))
		if !strings.Contains(body, "Security guarantees for Ukraine") || !strings.Contains(body, "Putin agrees that US, Europe could offer") {
			t.Errorf("start %d: the home page does not show the seed corpus", start)
		}
		loadedNow := strings.Contains(logs.String(), "loaded the seed corpus")
		if loadedNow != (start == 1) {
			t.Errorf("start %d: loaded the corpus = %v; logs:\n%s", start, loadedNow, logs.String())
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("start %d: serve ended with %v", start, err)
		}
	}
}

func mustSub(t *testing.T) fs.FS {
	t.Helper()
	return corpus.Files
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitForPage(t *testing.T, url string, done <-chan error) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("serve exited early: %v", err)
		default:
		}
		resp, err := http.Get(url)
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return string(b)
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the server did not answer within 20s")
	return ""
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A backup taken while the site serves restores to a database with every record, and a
// read-only server on it answers pages but can write nothing.
func TestBackupRestoreAndReadOnly(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "--db", db, "--addr", addr}, nil, io.Discard, io.Discard) }()
	waitForPage(t, "http://"+addr+"/", done)

	backupPath := filepath.Join(dir, "backup.db")
	var out bytes.Buffer
	if err := run(t.Context(), []string{"backup", "--db", db, backupPath}, nil, &out, io.Discard); err != nil {
		t.Fatalf("backup while serving: %v", err)
	}
	if want := fmt.Sprintf("%d claims", storetest.Counts(storetest.Corpus(t)).Claims); !strings.Contains(out.String(), want) {
		t.Errorf("backup output: %s", out.String())
	}
	cancel()
	<-done

	restored := filepath.Join(dir, "restored", "sourcebook.db")
	out.Reset()
	if err := run(t.Context(), []string{"restore", "--db", restored, backupPath}, nil, &out, io.Discard); err != nil {
		t.Fatalf("restore: %v", err)
	}
	before, _ := os.ReadFile(restored)

	addr = freeAddr(t)
	ctx, cancel = context.WithCancel(t.Context())
	defer cancel()
	go func() {
		done <- run(ctx, []string{"serve", "--read-only", "--db", restored, "--addr", addr}, nil, io.Discard, io.Discard)
	}()
	body := waitForPage(t, "http://"+addr+"/matrix", done)
	if !strings.Contains(body, "Who stands where") {
		t.Error("the read-only server does not serve the matrix")
	}
	resp, err := http.PostForm("http://"+addr+"/admin/login", map[string][]string{"email": {"a@b.c"}, "password": {"x"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("signing in on a read-only server: status %d, want 503", resp.StatusCode)
	}
	cancel()
	<-done
	after, _ := os.ReadFile(restored)
	if !bytes.Equal(before, after) {
		t.Error("the read-only server changed the database file")
	}
}
