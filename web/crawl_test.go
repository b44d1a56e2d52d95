package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// searchQueries are a researcher's first searches: names, treaties, places, phrases, a
// publisher, a source's title, and words in every kind of record.
var searchQueries = []string{"Article 5", "Budapest", "Witkoff", "Putin", "guarantee", "Istanbul",
	"Minsk", "NATO enlargement", "Loose abstract talk", "Associated Press", "sanctions relief",
	`"red lines"`, "Lavrov", "Coalition of the willing"}

var linkAttr = regexp.MustCompile(`(?:href|src)="([^"]*)"`)

// internalLinks returns the site's own links on a page, resolved against its path.
func internalLinks(t *testing.T, from, body string) []string {
	t.Helper()
	base, _ := url.Parse(from)
	var out []string
	for _, m := range linkAttr.FindAllStringSubmatch(body, -1) {
		u, err := url.Parse(html.UnescapeString(m[1]))
		if err != nil {
			t.Errorf("%s links to %q, which is not a URL: %v", from, m[1], err)
			continue
		}
		if u.Scheme != "" || u.Host != "" || u.Path == "" && u.RawQuery == "" {
			continue // another site's page, or a fragment of this one
		}
		u = base.ResolveReference(u)
		u.Fragment = ""
		out = append(out, u.String())
	}
	return out
}

// TestEveryLinkLeadsSomewhere crawls every public page reachable from the front page and from
// the results of a dozen searches, and follows every link to the site's own pages, data and
// files: each must answer 200. Search pages are checked but not crawled further, since their
// facet links combine without end.
func TestEveryLinkLeadsSomewhere(t *testing.T) {
	s := newSite(t)
	seen := map[string]string{} // URL → the page that first linked to it
	queue := []string{"/"}
	seen["/"] = "(start)"
	for _, q := range searchQueries {
		u := "/search?q=" + url.QueryEscape(q)
		queue, seen[u] = append(queue, u), "(a search)"
	}
	crawled := 0
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		resp := s.get(t, u)
		body := resp.body
		if resp.status != http.StatusOK {
			t.Errorf("%s links to %s, which answers %d", seen[u], u, resp.status)
			continue
		}
		if !strings.HasPrefix(resp.header.Get("Content-Type"), "text/html") {
			continue
		}
		if strings.HasPrefix(u, "/search?") && seen[u] != "(a search)" {
			continue
		}
		crawled++
		for _, l := range internalLinks(t, u, string(body)) {
			if strings.HasPrefix(l, "/admin") {
				t.Errorf("public page %s links into the admin: %s", u, l)
			}
			if _, ok := seen[l]; !ok {
				seen[l] = u
				queue = append(queue, l)
			}
		}
	}
	t.Logf("crawled %d pages, followed %d links", crawled, len(seen))
	for _, p := range s.publicPages(t) {
		if _, ok := seen[p]; !ok {
			t.Errorf("the crawl never reached %s, which the sitemap lists", p)
		}
	}
}

// apiHit is a search hit as the API gives it.
type apiHit struct {
	Kind, Title, URL, Where string
}

// TestEverySearchHitLeadsToItsOwnPage follows every hit of a spread of queries, in the API and
// on the search page, and requires each to answer 200 with the record it names.
func TestEverySearchHitLeadsToItsOwnPage(t *testing.T) {
	s := newSite(t)
	hitLink := regexp.MustCompile(`<span class="hit-kind">[^<]*</span>\s*<a href="([^"]+)"`)
	for _, q := range searchQueries {
		var res struct {
			Total int
			Hits  []apiHit
		}
		s.json(t, "/api/search?per_page=100&q="+url.QueryEscape(q), &res)
		if res.Total == 0 {
			t.Errorf("%q finds nothing", q)
		}
		for _, h := range res.Hits {
			page := s.page(t, h.URL)
			if !isPageOf(page, h) {
				t.Errorf("%q: the %s hit %q links to %s, which is not its page", q, h.Kind, h.Title, h.URL)
			}
		}
		body := s.page(t, "/search?per_page=100&q="+url.QueryEscape(q))
		links := hitLink.FindAllStringSubmatch(body, -1)
		if len(links) != len(res.Hits) {
			t.Errorf("%q: the page lists %d hits, the API %d", q, len(links), len(res.Hits))
		}
		for i, m := range links {
			if u := html.UnescapeString(m[1]); i < len(res.Hits) && u != res.Hits[i].URL {
				t.Errorf("%q: hit %d links to %s on the page, %s in the API", q, i+1, u, res.Hits[i].URL)
			}
		}
	}
}

// isPageOf reports whether a page is the hit's own: a passage's permalink highlights that
// passage; any other record's page is headed by its title.
func isPageOf(page string, h apiHit) bool {
	if h.Kind == "block" {
		u, _ := url.Parse(h.URL)
		key := u.Path[strings.LastIndex(u.Path, "/")+1:]
		return strings.Contains(page, `id="`+key+`"`) && strings.Contains(page, `aria-current`)
	}
	h1 := regexp.MustCompile(`(?s)<h1[^>]*>(.*?)</h1>`).FindStringSubmatch(page)
	if h1 == nil {
		return false
	}
	heading := html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(h1[1], ""))
	return strings.Contains(strings.Join(strings.Fields(heading), " "), strings.Join(strings.Fields(h.Title), " "))
}

func TestSearchFindsSourcesByTitlePublisherAndAuthor(t *testing.T) {
	s := newSite(t)
	for q, want := range map[string]string{
		"Loose abstract talk": "/sources/loose-talk-guarantees",
		"Associated Press":    "/sources/ap-witkoff-article5",
	} {
		var res struct{ Hits []apiHit }
		s.json(t, "/api/search?q="+url.QueryEscape(q), &res)
		if len(res.Hits) == 0 || res.Hits[0].URL != want {
			t.Errorf("%q: first hit %+v, want the source %s", q, res.Hits, want)
		}
	}
}

func TestClaimHitsNameTheirSpeaker(t *testing.T) {
	s := newSite(t)
	var res struct {
		Hits []struct {
			apiHit
			Speaker *string
		}
	}
	s.json(t, "/api/search?kind=claim&q=Lavrov", &res)
	named := 0
	for _, h := range res.Hits {
		if h.Speaker != nil && strings.Contains(h.Where, *h.Speaker) {
			named++
		}
	}
	if named == 0 {
		t.Errorf("no claim hit for Lavrov names its speaker: %+v", res.Hits)
	}
	if body := s.page(t, "/search?kind=claim&q=Lavrov"); !strings.Contains(body, "claim by Sergey Lavrov") {
		t.Error("the search page does not say who made a claim")
	}
}

func TestSnippetsShowNoFootnoteMarkers(t *testing.T) {
	s := newSite(t)
	for _, q := range searchQueries {
		var res struct {
			Hits []struct {
				Snippet string `json:"snippet_html"`
			}
		}
		s.json(t, "/api/search?per_page=100&q="+url.QueryEscape(q), &res)
		for _, h := range res.Hits {
			if strings.Contains(h.Snippet, "[^") {
				t.Errorf("%q: a snippet shows a footnote marker: %s", q, h.Snippet)
			}
		}
	}
}

// TestMisspeltWordsGetACorrection asks for corrections of names, treaties and places, in the
// page and in the API, each with what the corrected query finds.
func TestMisspeltWordsGetACorrection(t *testing.T) {
	s := newSite(t)
	for typed, want := range map[string]string{
		"Witkof":                         "Witkoff",
		"Budapest memorandom":            "Budapest Memorandum",
		"Istambul":                       "Istanbul",
		"Shifrinsen":                     "Shifrinson",
		`"security guarantes" -Istanbul`: `"security guarantee" -Istanbul`,
	} {
		var res struct {
			Total      int
			Suggestion *struct {
				Query string
				Total int
				URL   string
			}
		}
		s.json(t, "/api/search?q="+url.QueryEscape(typed), &res)
		if res.Suggestion == nil || res.Suggestion.Query != want {
			t.Errorf("%q: the API suggests %+v, want %q", typed, res.Suggestion, want)
			continue
		}
		var corrected struct{ Total int }
		s.json(t, "/api"+res.Suggestion.URL, &corrected)
		if corrected.Total == 0 || corrected.Total != res.Suggestion.Total {
			t.Errorf("%q: the suggestion says %d results, following it finds %d", typed, res.Suggestion.Total, corrected.Total)
		}
		body := s.page(t, "/search?q="+url.QueryEscape(typed))
		if !strings.Contains(html.UnescapeString(body), "did you mean "+want+"?") {
			t.Errorf("%q: the page does not suggest %q", typed, want)
		}
		// The page's link to the correction leads to a page of results for it.
		link := regexp.MustCompile(`<a href="([^"]+)">did you mean`).FindStringSubmatch(body)
		if link == nil {
			t.Errorf("%q: the suggestion is not a link", typed)
			continue
		}
		got := html.UnescapeString(s.page(t, html.UnescapeString(link[1])))
		if !strings.Contains(got, `value="`+want+`"`) || !regexp.MustCompile(`>[1-9]\d* results?<`).MatchString(got) {
			t.Errorf("%q: the suggestion's link %s is not a search for %q with results", typed, link[1], want)
		}
	}
	var res struct{ Suggestion *struct{ Query string } }
	s.json(t, "/api/search?q=Budapest", &res)
	if res.Suggestion != nil {
		t.Errorf("a query that finds something gets a suggestion: %+v", res.Suggestion)
	}
}
