//go:build unix

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

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
