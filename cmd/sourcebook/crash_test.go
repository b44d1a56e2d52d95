//go:build unix

package main

// Reliability tests of the real program as it is deployed: the binary is built, started as
// a process, killed with SIGKILL while editors save, stopped with SIGTERM while requests are
// in flight, and the database file it leaves is opened and checked directly.
// docs/reliability.md says what each test proves and how to run the long versions.

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptrace"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
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
		"kind": {"quote"}, "evidence": {"own-words"}, "stance-us-role": {"for"}}
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

// copyDBFiles copies a database and its WAL, as the killed process left them, so they can
// be checked without touching the originals: the next start must recover the WAL itself.
func copyDBFiles(t *testing.T, from, to string) {
	t.Helper()
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(from + suffix)
		if errors.Is(err, os.ErrNotExist) && suffix != "" {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// saveLog records what editors were told during a round.
type saveLog struct {
	mu         sync.Mutex
	acked      []string // answered 303: committed, must survive anything
	inDoubt    []string // sent, no answer before the kill: may or may not be saved
	unexpected []string // any other answer, or an error while the server was up
}

func (l *saveLog) add(list *[]string, s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	*list = append(*list, s)
}

const crashEditors = 4

// TestCrashSafety kills the server with SIGKILL at a random moment while four editors save
// claims, then checks the file: intact, every acknowledged save present, nothing torn; and
// restarts on it. SOURCEBOOK_CRASH_KILLS sets the number of kills (default 12; the full
// run uses 50).
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("the crash test kills the server a dozen times: not in -short")
	}
	kills := 12
	if v := os.Getenv("SOURCEBOOK_CRASH_KILLS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("SOURCEBOOK_CRASH_KILLS=%q: want a positive number", v)
		}
		kills = n
	}
	bin := buildSourcebook(t)
	db := newReliabilityDB(t, bin)
	checkDir := t.TempDir()
	tr := &http.Transport{MaxIdleConnsPerHost: crashEditors}
	defer tr.CloseIdleConnections()

	acked := map[string]int{} // statement → the round it was acknowledged in
	inDoubt, inDoubtSaved, checks := 0, 0, 0
	began := time.Now()
	for round := 1; round <= kills; round++ {
		p := startSourcebook(t, bin, db) // a restart on the file the last kill left
		clients := make([]*http.Client, crashEditors)
		for i := range clients {
			clients[i] = signInEditor(t, p.base, tr)
		}

		var log saveLog
		var killed atomic.Bool
		var wg sync.WaitGroup
		for w, c := range clients {
			wg.Go(func() {
				for n := 0; ; n++ {
					stmt := fmt.Sprintf("%s: round %d, editor %d, save %d", relPrefix, round, w, n)
					status, err := saveClaim(c, p.base, stmt)
					switch {
					case err != nil && killed.Load():
						log.add(&log.inDoubt, stmt)
						return
					case err != nil:
						log.add(&log.unexpected, fmt.Sprintf("%s: %v", stmt, err))
						return
					case status == http.StatusSeeOther:
						log.add(&log.acked, stmt)
					default:
						log.add(&log.unexpected, fmt.Sprintf("%s: status %d", stmt, status))
					}
				}
			})
		}
		delay := time.Duration(50+rand.IntN(551)) * time.Millisecond
		time.Sleep(delay)
		killed.Store(true)
		if err := p.cmd.Process.Kill(); err != nil {
			t.Fatalf("round %d: kill: %v (the server had already ended; its log:\n%s)", round, err, p.logs)
		}
		p.waitExit(t, 10*time.Second)
		wg.Wait()
		if ws, ok := p.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Errorf("round %d: the server ended with %v before it was killed; its log:\n%s", round, p.err, p.logs)
		}
		for i, u := range log.unexpected {
			if i == 5 {
				t.Errorf("round %d: ... %d unexpected answers in all", round, len(log.unexpected))
				break
			}
			t.Errorf("round %d: unexpected answer while the server was up: %s", round, u)
		}
		for _, s := range log.acked {
			acked[s] = round
		}

		copyPath := filepath.Join(checkDir, fmt.Sprintf("round-%02d.db", round))
		copyDBFiles(t, db, copyPath)
		st := inspectDB(t, copyPath)
		for _, pr := range st.problems {
			t.Errorf("round %d, after the kill: %s", round, pr)
		}
		lost := 0
		for s, r := range acked {
			checks++
			if !st.statements[s] {
				lost++
				if lost <= 5 {
					t.Errorf("round %d, after the kill: the save %q, acknowledged with 303 in round %d, is missing", round, s, r)
				}
			}
		}
		if lost > 5 {
			t.Errorf("round %d: %d acknowledged saves missing in all", round, lost)
		}
		saved := 0
		for _, s := range log.inDoubt {
			if st.statements[s] {
				saved++
			}
		}
		inDoubt += len(log.inDoubt)
		inDoubtSaved += saved
		t.Logf("round %2d: SIGKILL after %3dms: %3d saves acknowledged, %d in doubt (%d of them committed); file ok, %d acknowledged saves present",
			round, delay.Milliseconds(), len(log.acked), len(log.inDoubt), saved, len(acked)-lost)
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(copyPath + suffix)
		}
		if t.Failed() {
			t.FailNow()
		}
	}
	if len(acked) == 0 {
		t.Fatal("no save was acknowledged in any round: the test proved nothing")
	}

	// A last restart on the file the last kill left: the site shows every acknowledged
	// claim, and a clean stop leaves a file that still holds them all.
	p := startSourcebook(t, bin, db)
	// Every page of the source's claims, following the API's next links.
	var items []struct {
		Statement string `json:"statement"`
	}
	for next := "/api/claims?per_page=1000&source=" + relSource; next != ""; {
		resp, err := http.Get(p.base + strings.TrimPrefix(next, p.base))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var page struct {
			Next  *string
			Items []struct {
				Statement string `json:"statement"`
			}
		}
		if err := json.Unmarshal(body, &page); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%s after the last restart: status %d, %v", next, resp.StatusCode, err)
		}
		items = append(items, page.Items...)
		next = ""
		if page.Next != nil {
			next = *page.Next
		}
	}
	shown := map[string]bool{}
	for _, c := range items {
		shown[c.Statement] = true
	}
	for s := range acked {
		if !shown[s] {
			t.Errorf("after the last restart, /api/claims does not show the acknowledged save %q", s)
			break
		}
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	p.waitExit(t, 20*time.Second)
	if p.err != nil {
		t.Errorf("the last stop: %v; log:\n%s", p.err, p.logs)
	}
	st := inspectDB(t, db)
	for _, pr := range st.problems {
		t.Errorf("the file after the last stop: %s", pr)
	}
	for s := range acked {
		checks++
		if !st.statements[s] {
			t.Errorf("the file after the last stop lacks the acknowledged save %q", s)
		}
	}
	t.Logf("survived %d SIGKILLs in %v: %d acknowledged saves, every one present after every later kill (%d checks); %d saves in doubt at a kill, %d of them committed; integrity_check ok and no torn claim after each kill; %d restarts passed the startup quick_check",
		kills, time.Since(began).Round(100*time.Millisecond), len(acked), checks, inDoubt, inDoubtSaved, kills+1)
}

// TestGracefulShutdown sends SIGTERM while downloads, pages and an editor's save are in
// flight: each completes, the process exits 0, and the file it leaves is sound with its WAL
// checkpointed into it.
func TestGracefulShutdown(t *testing.T) {
	bin := buildSourcebook(t)
	db := newReliabilityDB(t, bin)
	p := startSourcebook(t, bin, db)
	editor := signInEditor(t, p.base, &http.Transport{})
	before := relPrefix + ": saved before SIGTERM"
	if status, err := saveClaim(editor, p.base, before); err != nil || status != http.StatusSeeOther {
		t.Fatalf("save before SIGTERM: %d, %v", status, err)
	}
	if fi, err := os.Stat(db + "-wal"); err != nil || fi.Size() == 0 {
		t.Fatalf("the WAL should hold the last writes before the stop: %v", err)
	}

	type result struct {
		what   string
		status int
		body   []byte
		length int64 // Content-Length, -1 if unknown
		err    error
		done   time.Time
	}
	results := make(chan result)
	inFlight := make(chan struct{})
	term := make(chan struct{})

	// readSlowly reads the rest of a body a little at a time, as a slow client does.
	readSlowly := func(r *result, resp *http.Response, body *bytes.Buffer) {
		chunk := make([]byte, 16<<10)
		var err error
		for err == nil {
			var n int
			n, err = resp.Body.Read(chunk)
			body.Write(chunk[:n])
			time.Sleep(5 * time.Millisecond)
		}
		if err != io.EOF {
			r.err = err
		}
		r.body = body.Bytes()
	}
	// Downloads being read: each has its headers and a first kilobyte before SIGTERM, and
	// reads the rest slowly after it. (On loopback the kernel may hold the whole rest in
	// its socket buffers; these check that a stop cuts no response short.)
	slow := &http.Client{Transport: &http.Transport{DisableCompression: true, DisableKeepAlives: true}}
	downloads := []string{"/export/sourcebook.json", "/api/claims", "/api/annotations"}
	for _, path := range downloads {
		go func() {
			r := result{what: "GET " + path}
			defer func() { r.done = time.Now(); results <- r }()
			resp, err := slow.Get(p.base + path)
			if err != nil {
				r.err = err
				inFlight <- struct{}{}
				return
			}
			defer resp.Body.Close()
			r.status, r.length = resp.StatusCode, resp.ContentLength
			var body bytes.Buffer
			_, err = io.CopyN(&body, resp.Body, 1024)
			inFlight <- struct{}{}
			<-term
			if err != nil {
				r.err = err
				return
			}
			readSlowly(&r, resp, &body)
		}()
	}
	// A save whose form is half sent when SIGTERM comes; the rest follows 200ms later.
	during := relPrefix + ": saved during SIGTERM"
	go func() {
		r := result{what: "POST claim"}
		defer func() { r.done = time.Now(); results <- r }()
		form := claimForm(during).Encode()
		pr, pw := io.Pipe()
		go func() {
			pw.Write([]byte(form[:len(form)/2]))
			inFlight <- struct{}{}
			<-term
			time.Sleep(200 * time.Millisecond)
			pw.Write([]byte(form[len(form)/2:]))
			pw.Close()
		}()
		req, _ := http.NewRequest(http.MethodPost, claimURL(p.base), pr)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := editor.Do(req)
		if err != nil {
			r.err = err
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		r.status, r.length = resp.StatusCode, -1
	}()
	for range len(downloads) + 1 {
		<-inFlight
	}
	// Requests being handled: sent just before SIGTERM, which goes as soon as the server
	// has accepted their connections, so the slow ones are still in their handler (a
	// database snapshot takes tens of ms) when it is told to stop, and others may not yet
	// be read. A connection still in the kernel's accept queue would be reset, which is
	// TCP's doing, not the server's (see docs/reliability.md).
	handled := []string{"/export/sourcebook.db", "/export/sourcebook.db", "/search?q=guarantee", "/matrix", "/sources/newsweek-putin-guarantees"}
	var firstByte sync.Map // what → time of the first response byte
	for i, path := range handled {
		go func() {
			r := result{what: fmt.Sprintf("GET %s (%d)", path, i)}
			defer func() { r.done = time.Now(); results <- r }()
			var once sync.Once
			trace := &httptrace.ClientTrace{
				WroteRequest:         func(httptrace.WroteRequestInfo) { once.Do(func() { inFlight <- struct{}{} }) },
				GotFirstResponseByte: func() { firstByte.Store(r.what, time.Now()) },
			}
			req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(t.Context(), trace), http.MethodGet, p.base+path, nil)
			resp, err := slow.Do(req)
			once.Do(func() { inFlight <- struct{}{} })
			if err != nil {
				r.err = err
				return
			}
			defer resp.Body.Close()
			r.status, r.length = resp.StatusCode, resp.ContentLength
			r.body, r.err = io.ReadAll(resp.Body)
		}()
	}
	for range handled {
		<-inFlight
	}
	waitAccepted(t, p.base)
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	termAt := time.Now()
	close(term)
	gets := append(downloads, handled...)

	var last time.Duration
	for range len(gets) + 1 {
		r := <-results
		last = max(last, r.done.Sub(termAt))
		want := http.StatusOK
		if r.what == "POST claim" {
			want = http.StatusSeeOther
		}
		switch {
		case r.err != nil:
			t.Errorf("%s, in flight at SIGTERM: %v", r.what, r.err)
		case r.status != want:
			t.Errorf("%s, in flight at SIGTERM: status %d, want %d", r.what, r.status, want)
		case r.length >= 0 && int64(len(r.body)) != r.length:
			t.Errorf("%s, in flight at SIGTERM: %d bytes of %d", r.what, len(r.body), r.length)
		case strings.HasPrefix(r.what, "GET /export/sourcebook.db"):
			if !bytes.HasPrefix(r.body, []byte("SQLite format 3\x00")) {
				t.Errorf("%s: not an SQLite file", r.what)
				break
			}
			copyPath := filepath.Join(t.TempDir(), "download.db")
			os.WriteFile(copyPath, r.body, 0o600)
			if st := inspectDB(t, copyPath); len(st.problems) > 0 {
				t.Errorf("%s: the downloaded file: %v", r.what, st.problems)
			}
		case strings.Contains(r.what, "/api/") || strings.HasSuffix(r.what, ".json"):
			if !json.Valid(r.body) {
				t.Errorf("%s: the JSON is cut short (%d bytes)", r.what, len(r.body))
			}
		case strings.HasPrefix(r.what, "GET"):
			if !bytes.Contains(r.body, []byte("</html>")) {
				t.Errorf("%s: the page is cut short (%d bytes)", r.what, len(r.body))
			}
		}
	}
	p.waitExit(t, 20*time.Second)
	if p.err != nil || p.cmd.ProcessState.ExitCode() != 0 {
		t.Errorf("the server exited with %v after SIGTERM, want status 0; its log:\n%s", p.err, p.logs)
	}
	if !strings.Contains(p.logs.String(), "shutting down") {
		t.Errorf("the server did not log its shutdown; its log:\n%s", p.logs)
	}
	answeredAfter := 0
	firstByte.Range(func(_, at any) bool {
		if at.(time.Time).After(termAt) {
			answeredAfter++
		}
		return true
	})
	t.Logf("SIGTERM with %d requests in flight (%d downloads being read, %d requests of which %d were answered after SIGTERM, a half-sent save): the last finished %v after SIGTERM; the process exited %v after it, status 0",
		len(gets)+1, len(downloads), len(handled), answeredAfter, last.Round(time.Millisecond), p.exitedAt.Sub(termAt).Round(time.Millisecond))

	if fi, err := os.Stat(db + "-wal"); err == nil && fi.Size() > 0 {
		t.Errorf("the WAL holds %d bytes after a clean stop: it was not checkpointed", fi.Size())
	}
	st := inspectDB(t, db)
	for _, pr := range st.problems {
		t.Errorf("the file after SIGTERM: %s", pr)
	}
	for _, s := range []string{before, during} {
		if !st.statements[s] {
			t.Errorf("the file after SIGTERM lacks the claim %q", s)
		}
	}
}

// TestQuietStopExitsZero stops the real program with SIGTERM when no request is in flight,
// a few times over: each stop exits 0 and logs no error.
func TestQuietStopExitsZero(t *testing.T) {
	bin := buildSourcebook(t)
	db := newReliabilityDB(t, bin)
	for range 3 {
		p := startSourcebook(t, bin, db)
		// startSourcebook's request left an idle connection, which would give the server
		// something to wait for; the stop being checked is the one with nothing open.
		http.DefaultTransport.(*http.Transport).CloseIdleConnections()
		if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		p.waitExit(t, 20*time.Second)
		logs := p.logs.String()
		if p.cmd.ProcessState.ExitCode() != 0 || strings.Contains(logs, "level=ERROR") || strings.Contains(logs, "sourcebook:") {
			t.Fatalf("after SIGTERM the server exited with status %d; its log:\n%s", p.cmd.ProcessState.ExitCode(), logs)
		}
		if !strings.Contains(logs, "shutting down") {
			t.Errorf("the server did not log its shutdown; its log:\n%s", logs)
		}
	}
}

// waitAccepted waits until the server listening at base has accepted every connection made
// to it: until its listening socket's accept queue, which Linux shows as the rx_queue of a
// LISTEN row in /proc/net/tcp, is empty. Where that file cannot be read it waits 50ms.
func waitAccepted(t *testing.T, base string) {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	port, err := strconv.Atoi(u.Port())
	if err != nil {
		t.Fatal(err)
	}
	local := fmt.Sprintf(":%04X", port)
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		table, err := os.ReadFile("/proc/net/tcp")
		if err != nil {
			time.Sleep(50 * time.Millisecond)
			return
		}
		queued := -1
		for _, line := range strings.Split(string(table), "\n")[1:] {
			f := strings.Fields(line)
			if len(f) < 5 || f[3] != "0A" || !strings.HasSuffix(f[1], local) {
				continue
			}
			_, rx, _ := strings.Cut(f[4], ":")
			n, err := strconv.ParseInt(rx, 16, 64)
			if err != nil {
				t.Fatalf("/proc/net/tcp: %q: %v", line, err)
			}
			queued = int(n)
		}
		if queued == -1 {
			t.Fatalf("no listening socket on port %d in /proc/net/tcp", port)
		}
		if queued == 0 {
			return
		}
	}
	t.Fatalf("the server at %s did not accept its queued connections within 5s", base)
}
