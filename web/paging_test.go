package web_test

import (
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/store/corpus"
	"github.com/sourcebook/sourcebook/store/storetest"
)

// bigSite serves the seed corpus at ten times its size: more actors and sources than the
// front page and one page of the matrix show.
func bigSite(t *testing.T) site {
	t.Helper()
	ctx := t.Context()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "big.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.LoadCorpus(ctx, corpus.Synthetic(storetest.Corpus(t), 10, 1)); err != nil {
		t.Fatal(err)
	}
	return newSite(t, withStore(st))
}

var matrixRow = regexp.MustCompile(`<th scope="row"><a href="(/actors/[^"]+)"`)

// The matrix comes a page of actors at a time; the pages together hold every actor with a
// position once, in the order of the whole matrix, and the pager links them.
func TestMatrixPages(t *testing.T) {
	s := bigSite(t)
	whole, err := s.st.Matrix(t.Context(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if whole.Total <= 50 {
		t.Fatalf("the 10× corpus has %d actors with positions: too few to page", whole.Total)
	}
	var seen []string
	eachPage(t, s, "/matrix", func(page int, path, body string) {
		rows := matrixRow.FindAllStringSubmatch(body, -1)
		if len(rows) == 0 || len(rows) > 50 {
			t.Fatalf("GET %s: %d rows, want 1 to 50", path, len(rows))
		}
		for _, m := range rows {
			seen = append(seen, m[1])
		}
		if next := fmt.Sprintf(`href="/matrix?page=%d"`, page+1); len(seen) < whole.Total && !strings.Contains(body, next) {
			t.Errorf("GET %s: no link to the next page", path)
		}
		if !strings.Contains(body, fmt.Sprintf("of %d:", whole.Total)) {
			t.Errorf("GET %s: the page does not say how many actors there are", path)
		}
	})
	if len(seen) != len(whole.Actors) {
		t.Fatalf("the pages show %d rows, the matrix has %d actors", len(seen), len(whole.Actors))
	}
	for i, a := range whole.Actors {
		if seen[i] != "/actors/"+a.Slug {
			t.Fatalf("row %d of the pages is %s, want /actors/%s", i+1, seen[i], a.Slug)
		}
	}
	for _, bad := range []string{"0", "-1", "abc", "1e3"} {
		if r := s.get(t, "/matrix?page="+bad); r.status != http.StatusBadRequest {
			t.Errorf("/matrix?page=%s: status %d, want 400", bad, r.status)
		}
	}
}

// The front page shows the latest sources and the leading rows of the matrix, whatever the
// size of the corpus, and links to the rest.
func TestHomeStaysSmall(t *testing.T) {
	s := bigSite(t)
	stats, err := s.st.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	home := s.page(t, "/")
	if n := len(matrixRow.FindAllString(home, -1)); n == 0 || n > 12 {
		t.Errorf("the front page's matrix has %d rows, want 1 to 12", n)
	}
	latest := home[strings.Index(home, `id="h-latest"`):strings.Index(home, `id="h-issues"`)]
	if n := strings.Count(latest, `href="/sources/`); n == 0 || n > 8 {
		t.Errorf("the front page lists %d sources, want 1 to 8", n)
	}
	if !strings.Contains(home, fmt.Sprintf("All %d sources", stats.Sources)) || !strings.Contains(home, "The full position matrix: all ") {
		t.Error("the front page does not link to all sources and the whole matrix")
	}
}

var positionCard = regexp.MustCompile(`<article class="position-card" id="pos-([^"]+)"`)

// An issue's positions come thirty a page, every one once; the claims backing no position
// are the latest fifty, on the first page, with a way to all of them.
func TestIssuePages(t *testing.T) {
	s := bigSite(t)
	ctx := t.Context()
	issue, err := s.st.Issue(ctx, "binding-guarantees")
	if err != nil {
		t.Fatal(err)
	}
	if issue.Positions <= 30 {
		t.Fatalf("the 10× corpus has %d positions on the issue: too few to page", issue.Positions)
	}
	all, err := s.st.Positions(ctx, store.PositionFilter{Issue: issue.Slug})
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	eachPage(t, s, "/issues/"+issue.Slug, func(page int, path, body string) {
		cards := positionCard.FindAllStringSubmatch(body, -1)
		if len(cards) == 0 || len(cards) > 30 {
			t.Fatalf("GET %s: %d positions, want 1 to 30", path, len(cards))
		}
		for _, m := range cards {
			seen = append(seen, m[1])
		}
		others := strings.Count(body, `<article class="claim" id="claim-`)
		switch {
		case page == 1 && (others == 0 || !strings.Contains(body, "/api/claims?issue="+issue.Slug)):
			t.Errorf("page 1 shows %d other claims and no link to all of them", others)
		case page > 1 && strings.Contains(body, `id="h-other"`):
			t.Errorf("page %d repeats the other claims", page)
		}
	})
	if len(seen) != len(all) {
		t.Fatalf("the pages show %d positions, the issue has %d", len(seen), len(all))
	}
	for i, p := range all {
		if seen[i] != p.Actor.Slug {
			t.Fatalf("position %d of the pages is %s's, want %s's", i+1, seen[i], p.Actor.Slug)
		}
	}
	if r := s.get(t, "/issues/"+issue.Slug+"?page=x"); r.status != http.StatusBadRequest {
		t.Errorf("?page=x: status %d, want 400", r.status)
	}
}

// eachPage reads the pages of a paged list, path then path?page=2 and on, until one is a
// 404, and hands each one's body to visit.
func eachPage(t *testing.T, s site, path string, visit func(page int, path, body string)) {
	t.Helper()
	for page := 1; ; page++ {
		p := path
		if page > 1 {
			p = fmt.Sprintf("%s?page=%d", path, page)
		}
		r := s.get(t, p)
		if r.status == http.StatusNotFound && page > 1 {
			return
		}
		body := r.body
		if r.status != http.StatusOK {
			t.Fatalf("GET %s: status %d", p, r.status)
		}
		visit(page, p, string(body))
	}
}

// At ten times the seed corpus every event is dated by ten times the seed's passages: the
// timeline lists each event once, with the first five passages giving each of its dates and
// the count of the others.
func TestTimelineListsEachEventOnce(t *testing.T) {
	s := bigSite(t)
	entries, err := s.st.Timeline(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	body := s.page(t, "/timeline")
	if n := strings.Count(body, `<li id="event-`); n != len(entries) || n > 100 {
		t.Errorf("the timeline lists %d events, want the %d distinct ones", n, len(entries))
	}
	items := timelineItems(t, body)
	for i, e := range entries {
		for _, d := range e.Dates {
			more := fmt.Sprintf("and %d other passages", d.Total-5)
			if d.Total%10 != 0 || i >= len(items) || !strings.Contains(items[i].text, more) {
				t.Errorf("%q, %s: %d passages give it; want ten times the seed's, and the entry to say %q", e.Title, d.Date, d.Total, more)
			}
		}
	}
	if r := s.get(t, "/timeline?page=2"); r.status != http.StatusNotFound {
		t.Errorf("/timeline?page=2: status %d, want 404", r.status)
	}
	if r := s.get(t, "/timeline?page=abc"); r.status != http.StatusBadRequest {
		t.Errorf("/timeline?page=abc: status %d, want 400", r.status)
	}
}
