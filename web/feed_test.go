package web_test

import (
	"encoding/xml"
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestSitemapListsOnlyPagesThatExist(t *testing.T) {
	srv := newSite(t)
	st := srv.st
	locs := srv.sitemap(t)
	n := stats(t, st)
	// The fixed pages, then every source, passage, actor, issue, position, claim and precedent.
	if want := 8 + n.Sources + n.Blocks + n.Actors + n.Issues + n.Positions + n.Claims + n.Precedents; len(locs) != want {
		t.Errorf("%d URLs, want %d", len(locs), want)
	}
	seen := map[string]bool{}
	for _, loc := range locs {
		if seen[loc] {
			t.Errorf("%s is listed twice", loc)
		}
		seen[loc] = true
		if !strings.HasPrefix(loc, srv.URL+"/") {
			t.Errorf("%s is not an absolute URL on this site", loc)
			continue
		}
		if r := srv.get(t, strings.TrimPrefix(loc, srv.URL)); r.status != http.StatusOK {
			t.Errorf("%s: status %d", loc, r.status)
		}
	}
	for _, p := range []string{"/", "/matrix", "/timeline", "/precedents/compare", "/sources/ap-witkoff-article5/c7vtk7",
		"/claims/ap-putin-agreed-article5-like", "/precedents/budapest-1994"} {
		if !seen[srv.URL+p] {
			t.Errorf("the sitemap lacks %s", p)
		}
	}
}

func TestSitemapUsesTheOriginTheClientSees(t *testing.T) {
	srv := newSite(t)
	locs := srv.sitemap(t, "Host", "sourcebook.example", "X-Forwarded-Proto", "https")
	if len(locs) == 0 || locs[0] != "https://sourcebook.example/" {
		t.Errorf("first URL %v", locs[:min(1, len(locs))])
	}
}

func TestFeedListsSourcesAndClaimsNewestFirst(t *testing.T) {
	srv := newSite(t)
	st := srv.st
	r := srv.get(t, "/feed.atom", "Host", "sourcebook.example:8080")
	var feed struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		ID      string   `xml:"id"`
		Updated string   `xml:"updated"`
		Entries []struct {
			ID      string `xml:"id"`
			Title   string `xml:"title"`
			Updated string `xml:"updated"`
			Link    struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(r.body, &feed); err != nil {
		t.Fatal(err)
	}
	n := stats(t, st)
	if want := min(100, n.Sources+n.Claims); len(feed.Entries) != want {
		t.Errorf("%d entries, want %d", len(feed.Entries), want)
	}
	if feed.ID != "tag:sourcebook.example,2025:feed" {
		t.Errorf("feed id %q", feed.ID)
	}
	var updated []string
	for _, e := range feed.Entries {
		updated = append(updated, e.Updated)
		if !strings.HasPrefix(e.ID, "tag:sourcebook.example,2025:source/") && !strings.HasPrefix(e.ID, "tag:sourcebook.example,2025:claim/") {
			t.Errorf("entry id %q", e.ID)
		}
		if !strings.HasPrefix(e.Link.Href, "http://sourcebook.example:8080/") || e.Title == "" || e.Updated == "" {
			t.Errorf("entry %+v", e)
		}
	}
	if !slices.IsSortedFunc(updated, func(a, b string) int { return strings.Compare(b, a) }) {
		t.Error("entries are not newest first")
	}
}

func TestRobotsPointsAtTheSitemap(t *testing.T) {
	srv := newSite(t)
	r := srv.get(t, "/robots.txt")
	body := string(r.body)
	for _, want := range []string{"User-agent: *", "Allow: /", "Disallow: /export/", "Sitemap: " + srv.URL + "/sitemap.xml"} {
		if !strings.Contains(body, want) {
			t.Errorf("robots.txt lacks %q:\n%s", want, body)
		}
	}
}
