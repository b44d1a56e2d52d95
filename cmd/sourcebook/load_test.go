//go:build unix

package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

const (
	loadReaders = 64
	loadEditors = 4
)

// loadPaths is the mix the readers cycle through: the front page, a source, a passage
// permalink, the matrix, a search and the claims API.
var loadPaths = []string{
	"/",
	"/sources/newsweek-putin-guarantees",
	"/sources/newsweek-putin-guarantees/ziijh3",
	"/matrix",
	"/search?q=guarantee",
	"/api/claims",
}

// loadStats is what one goroutine saw.
type loadStats struct {
	requests int
	errs     []string
	latency  map[string][]time.Duration // by path
}

func (s *loadStats) fail(format string, args ...any) {
	s.errs = append(s.errs, fmt.Sprintf(format, args...))
}

// TestLoadWithWrites runs the real binary under 64 readers and 4 editors saving claims at
// once, for SOURCEBOOK_LOAD_SECONDS seconds (CI: 10; the full run: 60), and requires not
// one error: no status outside 2xx/3xx, no "database is locked", no failed request.
func TestLoadWithWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("the load test runs for seconds on end: not in -short")
	}
	v := os.Getenv("SOURCEBOOK_LOAD_SECONDS")
	if v == "" {
		t.Skip("the load test runs only when SOURCEBOOK_LOAD_SECONDS is set (CI sets 10, the full run 60)")
	}
	secs, err := strconv.Atoi(v)
	if err != nil || secs < 1 {
		t.Fatalf("SOURCEBOOK_LOAD_SECONDS=%q: want a positive number of seconds", v)
	}
	bin := buildSourcebook(t)
	db := newReliabilityDB(t, bin)
	p := startSourcebook(t, bin, db)

	tr := &http.Transport{MaxIdleConns: 2 * loadReaders, MaxIdleConnsPerHost: 2 * loadReaders}
	defer tr.CloseIdleConnections()
	readers := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	editors := make([]*http.Client, loadEditors)
	for i := range editors {
		editors[i] = signInEditor(t, p.base, tr)
	}

	deadline := time.Now().Add(time.Duration(secs) * time.Second)
	readerStats := make([]loadStats, loadReaders)
	editorStats := make([]loadStats, loadEditors)
	acked := make([][]string, loadEditors)
	var wg sync.WaitGroup
	for i := range readerStats {
		s := &readerStats[i]
		s.latency = map[string][]time.Duration{}
		wg.Go(func() {
			for n := i; time.Now().Before(deadline); n++ {
				path := loadPaths[n%len(loadPaths)]
				began := time.Now()
				resp, err := readers.Get(p.base + path)
				s.requests++
				if err != nil {
					s.fail("GET %s: %v", path, err)
					continue
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				s.latency[path] = append(s.latency[path], time.Since(began))
				switch {
				case err != nil:
					s.fail("GET %s: reading the body: %v", path, err)
				case resp.StatusCode < 200 || resp.StatusCode >= 400:
					s.fail("GET %s: status %d", path, resp.StatusCode)
				case strings.Contains(string(body), "database is locked"):
					s.fail("GET %s: the body says the database is locked", path)
				}
			}
		})
	}
	for i, c := range editors {
		s := &editorStats[i]
		s.latency = map[string][]time.Duration{}
		wg.Go(func() {
			for n := 0; time.Now().Before(deadline); n++ {
				stmt := fmt.Sprintf("%s: load, editor %d, save %d", relPrefix, i, n)
				began := time.Now()
				resp, err := c.PostForm(claimURL(p.base), claimForm(stmt))
				s.requests++
				if err != nil {
					s.fail("save %d: %v", n, err)
					continue
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				s.latency["save"] = append(s.latency["save"], time.Since(began))
				switch {
				case resp.StatusCode != http.StatusSeeOther:
					s.fail("save %d: status %d", n, resp.StatusCode)
				case strings.Contains(string(body), "database is locked"):
					s.fail("save %d: the body says the database is locked", n)
				default:
					acked[i] = append(acked[i], stmt)
				}
			}
		})
	}
	wg.Wait()

	var reads, saves int
	var errs []string
	all, byPath := []time.Duration{}, map[string][]time.Duration{}
	for _, s := range readerStats {
		reads += s.requests
		errs = append(errs, s.errs...)
		for path, l := range s.latency {
			all = append(all, l...)
			byPath[path] = append(byPath[path], l...)
		}
	}
	for _, s := range editorStats {
		saves += s.requests
		errs = append(errs, s.errs...)
		byPath["save"] = append(byPath["save"], s.latency["save"]...)
	}
	p50, p99 := percentiles(all)
	sp50, sp99 := percentiles(byPath["save"])
	t.Logf("%ds, %d readers and %d editors: %d page requests (%.0f/s), %d saves (%.0f/s), %d errors; reader latency p50 %v, p99 %v; save latency p50 %v, p99 %v",
		secs, loadReaders, loadEditors, reads, float64(reads)/float64(secs), saves, float64(saves)/float64(secs), len(errs),
		p50, p99, sp50, sp99)
	for _, path := range loadPaths {
		a, b := percentiles(byPath[path])
		t.Logf("  %-45s %6d requests, p50 %v, p99 %v", path, len(byPath[path]), a, b)
	}
	for i, e := range errs {
		if i == 10 {
			t.Errorf("... and %d more errors", len(errs)-10)
			break
		}
		t.Errorf("under load: %s", e)
	}

	p.cmd.Process.Signal(syscall.SIGTERM)
	p.waitExit(t, 20*time.Second)
	if p.err != nil {
		t.Errorf("the server exited with %v after the load; its log:\n%s", p.err, p.logs)
	}
	if logs := p.logs.String(); strings.Contains(logs, "level=ERROR") {
		t.Errorf("the server logged errors under load:\n%s", logs)
	}
	st := inspectDB(t, db)
	for _, pr := range st.problems {
		t.Errorf("the file after the load: %s", pr)
	}
	for _, list := range acked {
		for _, s := range list {
			if !st.statements[s] {
				t.Errorf("the acknowledged save %q is missing after the load", s)
			}
		}
	}
}

// percentiles returns the median and the 99th percentile, rounded for reading.
func percentiles(d []time.Duration) (p50, p99 time.Duration) {
	if len(d) == 0 {
		return 0, 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	at := func(q float64) time.Duration {
		return s[int(q*float64(len(s)-1))].Round(100 * time.Microsecond)
	}
	return at(0.50), at(0.99)
}
