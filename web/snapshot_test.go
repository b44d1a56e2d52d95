package web_test

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The site's snapshot: every public page, API response, export and citation the seed corpus
// gives, each as its status, content type and a digest of its body. It proves that a change
// meant to alter no behaviour (a refactor) altered none: the crawl after it must match the
// one before. A change that is meant to alter what the site says updates it on purpose:
//
//	SOURCEBOOK_UPDATE_SNAPSHOT=1 go test ./web -run TestTheSiteMatchesItsSnapshot
//
// and the diff of testdata/site.snapshot shows which URLs it touched. On a mismatch the
// changed bodies are written to SOURCEBOOK_ARTIFACTS (or the test's temporary directory) to
// compare by eye.
const snapshotFile = "testdata/site.snapshot"

// volatile are the parts of a body that differ between two runs on the same code and data,
// each with what it is replaced by before the digest: the test server's address, the time
// the corpus was loaded, the fingerprints in static files' names.
var volatile = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`127\.0\.0\.1:\d+`), "ORIGIN"},
	{regexp.MustCompile(`\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?`), "TIME"},
	{regexp.MustCompile(`/static/([a-z-]+)\.[0-9a-f]{8,}\.(css|js)`), "/static/$1.$2"},
}

// entityPages are the public pages whose record the API also serves at /api + the path.
var entityPages = regexp.MustCompile(`^/(sources|actors|issues|claims|precedents)/[^/?]+$`)

func TestTheSiteMatchesItsSnapshot(t *testing.T) {
	if testing.Short() {
		t.Skip("the whole-site snapshot runs in the full suite")
	}
	s := newSite(t)
	start := []string{"/", "/api", "/api/sources", "/api/actors", "/api/issues", "/api/claims", "/api/positions",
		"/api/precedents", "/api/timeline", "/api/annotations", "/export/sourcebook.json", "/feed.atom", "/sitemap.xml",
		"/robots.txt", "/precedents/compare.csv", "/no-such-page"}
	for _, q := range searchQueries {
		start = append(start, "/search?q="+url.QueryEscape(q), "/api/search?q="+url.QueryEscape(q))
	}
	seen := map[string]bool{}
	queue := slices.Clone(start)
	for _, u := range queue {
		seen[u] = true
	}
	got := map[string]string{} // URL → its snapshot line's rest
	bodies := map[string][]byte{}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		resp := s.get(t, u)
		body := resp.body
		ct := resp.header.Get("Content-Type")
		if strings.HasSuffix(u, "/sourcebook.db") {
			body = nil // a fresh copy of the database: its bytes say nothing of the code
		}
		norm := body
		for _, v := range volatile {
			norm = v.re.ReplaceAll(norm, []byte(v.with))
		}
		sum := sha256.Sum256(norm)
		got[u] = fmt.Sprintf("%d %s %s", resp.status, hex.EncodeToString(sum[:8]), ct)
		bodies[u] = norm
		var next []string
		if strings.HasPrefix(ct, "text/html") && !(strings.HasPrefix(u, "/search?") && !slices.Contains(start, u)) {
			next = internalLinks(t, u, string(body))
		}
		if entityPages.MatchString(u) {
			next = append(next, "/api"+u)
		}
		if strings.HasPrefix(ct, "application/json") || strings.HasPrefix(ct, "application/ld+json") {
			for _, m := range regexp.MustCompile(`"(/api/[^"\s]*)"`).FindAllStringSubmatch(string(body), -1) {
				if !strings.Contains(m[1], "{") { // the index's templates, "/api/sources/{slug}"
					next = append(next, strings.ReplaceAll(m[1], `\u0026`, "&"))
				}
			}
		}
		for _, l := range next {
			if !seen[l] && !strings.HasPrefix(l, "/admin") {
				seen[l] = true
				queue = append(queue, l)
			}
		}
	}

	var lines []string
	for u, rest := range got {
		lines = append(lines, u+" "+rest)
	}
	slices.Sort(lines)
	if os.Getenv("SOURCEBOOK_UPDATE_SNAPSHOT") == "1" {
		if err := os.WriteFile(snapshotFile, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s: %d URLs", snapshotFile, len(lines))
		return
	}
	want := readSnapshot(t)
	dir := os.Getenv("SOURCEBOOK_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	}
	dir = filepath.Join(dir, "snapshot-diff")
	changed := 0
	for _, u := range slices.Sorted(keysOf(want, got)) {
		w, g := want[u], got[u]
		if w == g {
			continue
		}
		changed++
		if changed <= 40 {
			t.Errorf("%s: the snapshot has %q, the site gives %q", u, w, g)
		}
		if b, ok := bodies[u]; ok {
			os.MkdirAll(dir, 0o755)
			os.WriteFile(filepath.Join(dir, url.PathEscape(u)), b, 0o644)
		}
	}
	if changed > 0 {
		t.Errorf("%d of %d URLs differ from %s; their bodies are in %s. If the change is meant, run with SOURCEBOOK_UPDATE_SNAPSHOT=1 and commit the new snapshot.",
			changed, len(got), snapshotFile, dir)
	}
}

func readSnapshot(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(snapshotFile)
	if err != nil {
		t.Fatalf("%v: make it with SOURCEBOOK_UPDATE_SNAPSHOT=1", err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if u, rest, ok := strings.Cut(sc.Text(), " "); ok {
			out[u] = rest
		}
	}
	return out
}

func keysOf(maps ...map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		seen := map[string]bool{}
		for _, m := range maps {
			for k := range m {
				if !seen[k] {
					seen[k] = true
					if !yield(k) {
						return
					}
				}
			}
		}
	}
}
