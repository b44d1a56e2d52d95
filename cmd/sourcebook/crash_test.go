//go:build unix

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

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
