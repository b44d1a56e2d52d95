package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestSearchPageLandsOnThePassage(t *testing.T) {
	s := newSite(t)
	body := s.page(t, "/search?q="+url.QueryEscape(`"brightest of all red lines"`))
	first := strings.Index(body, `<ol class="hits">`)
	if first < 0 {
		t.Fatal("no results list")
	}
	if !strings.Contains(body[first:first+600], `href="/sources/newsweek-putin-guarantees/aqlss5"`) {
		t.Errorf("the first hit does not link to the passage permalink:\n%s", body[first:first+600])
	}
	if !strings.Contains(body, "<mark>brightest of all red lines</mark>") {
		t.Error("the snippet does not mark the matched phrase")
	}
}

func TestSearchFiltersStayInTheURL(t *testing.T) {
	s := newSite(t)
	body := s.page(t, "/search?q=guarantee&kind=claim&actor=russia")
	if !strings.Contains(body, "kind: claim") || !strings.Contains(body, "actor: russia") {
		t.Error("active filters are not shown")
	}
	// Removing a filter is a link that keeps the rest.
	if !strings.Contains(body, `href="/search?actor=russia&amp;q=guarantee"`) {
		t.Error("no link removes the kind filter while keeping the others")
	}
	resp := s.get(t, "/api/search?q=guarantee&kind=claim&actor=russia")
	var out struct {
		Total int
		Hits  []struct{ Kind, URL string }
	}
	json.Unmarshal(resp.body, &out)
	if out.Total == 0 {
		t.Fatal("no claims by Russia about guarantees")
	}
	for _, h := range out.Hits {
		if h.Kind != "claim" || !strings.HasPrefix(h.URL, "/claims/") {
			t.Errorf("a %s hit (%s) got through a claim filter", h.Kind, h.URL)
		}
	}
}

func TestSearchBadInputIsA4xxThatKeepsTheQuery(t *testing.T) {
	s := newSite(t)
	resp := s.get(t, "/search?q=Budapest&from=nineteen")
	b := resp.body
	if resp.status != http.StatusBadRequest {
		t.Errorf("from=nineteen: status %d, want 400", resp.status)
	}
	if !strings.Contains(string(b), `value="Budapest"`) || !strings.Contains(string(b), "from must be a number") {
		t.Error("the 400 page does not keep the query or say what is wrong")
	}
	for _, q := range []string{`"`, `NEAR(`, `a:b`, `^`, `OR`, `🙂`, strings.Repeat("x", 10000), `' OR 1=1 --`} {
		if r := s.get(t, "/search?q="+url.QueryEscape(q)); r.status != http.StatusOK {
			t.Errorf("q=%.20q: status %d", q, r.status)
		}
	}
}

func TestEmptySearchSuggestsAWayOn(t *testing.T) {
	s := newSite(t)
	body := s.page(t, "/search?q=Kupchan&actor=russia")
	if !strings.Contains(body, "without actor: russia") {
		t.Error("an empty filtered search does not suggest dropping the filter")
	}
	body = s.page(t, "/search?q=Shifrinsen")
	if !strings.Contains(body, "did you mean Shifrinson?") {
		t.Error("a misspelt name does not get a near spelling")
	}
}
