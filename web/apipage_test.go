package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// apiItems reads a whole list of the API at path into items, page after page by its next
// links, as a client does.
func apiItems[T any](t *testing.T, s site, address string, items *[]T) {
	t.Helper()
	u, err := url.Parse(address)
	if err != nil {
		t.Fatal(err)
	}
	for pages := 0; ; pages++ {
		var page struct {
			Items []T
			Next  *string
		}
		s.json(t, u.String(), &page)
		*items = append(*items, page.Items...)
		if page.Next == nil {
			return
		}
		if pages > 10_000 {
			t.Fatalf("%s: more than 10,000 pages", address)
		}
		if u, err = u.Parse(*page.Next); err != nil {
			t.Fatal(err)
		}
	}
}

// apiLists are the API's lists, each with a page size that cuts it into several pages at
// the seed corpus's size.
var apiLists = []struct {
	path    string
	perPage int
}{
	{"/api/sources", 2}, {"/api/actors", 7}, {"/api/issues", 2}, {"/api/claims", 9},
	{"/api/claims?actor=russia", 2}, {"/api/positions", 5}, {"/api/precedents", 2}, {"/api/timeline", 6},
}

type apiListPage struct {
	Total, Page, Pages int
	PerPage            int `json:"per_page"`
	First, Last        string
	Prev, Next         *string
	Items              []json.RawMessage
}

// Every list of the API comes in pages which, read one after another by their next links,
// give the whole list once, in order: the same items as one page holding all of them. Each
// page says where it stands, in its body and in a Link header.
func TestAPIListsComeInPages(t *testing.T) {
	srv := newSite(t)
	for _, l := range apiLists {
		var whole apiListPage
		srv.json(t, l.path+sep(l.path)+"per_page=1000", &whole)
		if whole.Total != len(whole.Items) || whole.Pages != 1 || whole.Next != nil || whole.Prev != nil {
			t.Fatalf("%s, all on one page: total %d, %d items, %d pages, next %v, prev %v", l.path, whole.Total, len(whole.Items), whole.Pages, whole.Next, whole.Prev)
		}
		if whole.Total <= 2*l.perPage {
			t.Fatalf("%s: %d items do not make three pages of %d", l.path, whole.Total, l.perPage)
		}
		var items []json.RawMessage
		u, _ := url.Parse(l.path + sep(l.path) + "per_page=" + strconv.Itoa(l.perPage))
		for n := 1; ; n++ {
			r := srv.get(t, u.String())
			var page apiListPage
			if err := json.Unmarshal(r.body, &page); err != nil || r.status != http.StatusOK {
				t.Fatalf("%s: status %d, %v", u, r.status, err)
			}
			if page.Page != n || page.PerPage != l.perPage || page.Total != whole.Total || page.Pages != (whole.Total+l.perPage-1)/l.perPage {
				t.Errorf("%s: page %d of %d, %d a page, total %d; want page %d, %d a page, total %d", u, page.Page, page.Pages, page.PerPage, page.Total, n, l.perPage, whole.Total)
			}
			if len(page.Items) > l.perPage || len(page.Items) == 0 {
				t.Errorf("%s: %d items on a page of %d", u, len(page.Items), l.perPage)
			}
			links := linkHeader(r.header.Get("Link"))
			for rel, body := range map[string]*string{"first": &page.First, "last": &page.Last, "prev": page.Prev, "next": page.Next} {
				if body == nil {
					if _, ok := links[rel]; ok {
						t.Errorf("%s: Link rel=%q %q, but the body's %s is null", u, rel, links[rel], rel)
					}
				} else if links[rel] != *body {
					t.Errorf("%s: Link rel=%q %q, the body's %s %q", u, rel, links[rel], rel, *body)
				}
			}
			if (page.Prev == nil) != (n == 1) {
				t.Errorf("%s: prev %v on page %d", u, page.Prev, n)
			}
			items = append(items, page.Items...)
			if page.Next == nil {
				if n != page.Pages {
					t.Errorf("%s: no next page after page %d of %d", u, n, page.Pages)
				}
				break
			}
			next, err := u.Parse(*page.Next)
			if err != nil || next.Query().Get("per_page") != strconv.Itoa(l.perPage) || next.Path != u.Path {
				t.Fatalf("%s: next %q does not keep the list and its page size (%v)", u, *page.Next, err)
			}
			if q, _ := url.ParseQuery(strings.SplitN(l.path+"?", "?", 3)[1]); q.Get("actor") != next.Query().Get("actor") {
				t.Errorf("%s: next %q drops the filter", u, *page.Next)
			}
			u = next
		}
		if len(items) != len(whole.Items) {
			t.Fatalf("%s: pages of %d hold %d items, the whole list %d", l.path, l.perPage, len(items), len(whole.Items))
		}
		for i := range items {
			if !bytes.Equal(items[i], whole.Items[i]) {
				t.Errorf("%s: item %d differs when read in pages of %d:\n%s\n%s", l.path, i, l.perPage, items[i], whole.Items[i])
				break
			}
		}
	}
}

func sep(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}

// linkHeader reads an RFC 8288 Link header into its targets by rel.
func linkHeader(h string) map[string]string {
	out := map[string]string{}
	for _, m := range regexp.MustCompile(`<([^>]*)>;\s*rel="([a-z]+)"`).FindAllStringSubmatch(h, -1) {
		out[m[2]] = m[1]
	}
	return out
}

// Without page or per_page a list gives its first 100 items and says how many there are in
// all; what is not a page or a page size (up to 1000) is a 400, a page past the last a 404,
// each with a JSON error that no cache keeps.
func TestAPIPagesHaveLimits(t *testing.T) {
	srv := newSite(t)
	st := srv.st
	var first apiListPage
	srv.json(t, "/api/claims", &first)
	if n := stats(t, st).Claims; first.Total != n || first.PerPage != 100 || len(first.Items) != min(n, 100) || first.Page != 1 {
		t.Errorf("/api/claims: total %d, %d a page, %d items, page %d; the database has %d claims", first.Total, first.PerPage, len(first.Items), first.Page, n)
	}
	for query, status := range map[string]int{
		"page=0": 400, "page=-1": 400, "page=two": 400, "page=1.5": 400, "per_page=0": 400, "per_page=1001": 400,
		"per_page=x": 400, "page=1000000&per_page=1000": 404, "per_page=1000": 200, "page=1&per_page=1": 200,
	} {
		for _, l := range apiLists {
			r := srv.get(t, l.path+sep(l.path)+query)
			var e struct{ Error string }
			if r.status != status {
				t.Errorf("%s with %s: status %d, want %d", l.path, query, r.status, status)
			} else if status != 200 && (json.Unmarshal(r.body, &e) != nil || e.Error == "" || r.header.Get("Cache-Control") != "no-store") {
				t.Errorf("%s with %s: %d without a JSON error kept from caches: %s (%s)", l.path, query, status, r.body, r.header.Get("Cache-Control"))
			}
		}
	}
}

// The annotations come in pages as the Web Annotation Protocol pages a collection: the
// collection embeds its first page and names its last; each page names the next and
// previous, the collection it is part of and the index of its first item. Read in pages
// they are the annotations read at once.
func TestAnnotationsComeInPages(t *testing.T) {
	srv := newSite(t)
	st := srv.st
	type page struct {
		ID, Type, Next, Prev string
		PartOf               *struct {
			ID    string
			Total int
		}
		StartIndex int
		Items      []json.RawMessage
	}
	var all struct {
		Total int
		First page
		Last  string
	}
	annotations(t, srv, "/api/annotations?per_page=1000", &all)
	n := stats(t, st).Citations
	if all.Total != n || len(all.First.Items) != n {
		t.Fatalf("%d annotations, %d on the first page of 1000; the database has %d citations", all.Total, len(all.First.Items), n)
	}
	var coll struct {
		Total int
		First page
		Last  string
	}
	annotations(t, srv, "/api/annotations?per_page=30", &coll)
	if coll.Total != n || len(coll.First.Items) != 30 || coll.First.Next == "" || coll.First.Prev != "" || coll.Last != srv.URL+"/api/annotations?page="+strconv.Itoa((n+29)/30)+"&per_page=30" {
		t.Fatalf("the collection in pages of 30: total %d, %d items on the first, next %q, prev %q, last %q", coll.Total, len(coll.First.Items), coll.First.Next, coll.First.Prev, coll.Last)
	}
	items := coll.First.Items
	for next, i := coll.First.Next, 2; next != ""; i++ {
		var p page
		annotations(t, srv, next, &p)
		if p.Type != "AnnotationPage" || p.ID != next || p.PartOf == nil || p.PartOf.ID != srv.URL+"/api/annotations" || p.PartOf.Total != n || p.StartIndex != len(items) || p.Prev == "" {
			t.Errorf("page %d: type %q, id %q, part of %+v, start index %d (want %d), prev %q", i, p.Type, p.ID, p.PartOf, p.StartIndex, len(items), p.Prev)
		}
		items = append(items, p.Items...)
		next = p.Next
	}
	if len(items) != n {
		t.Fatalf("read in pages of 30: %d annotations, want %d", len(items), n)
	}
	for i := range items {
		var a, b bytes.Buffer // pages embedded in the collection are indented deeper
		json.Compact(&a, items[i])
		json.Compact(&b, all.First.Items[i])
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Fatalf("annotation %d differs when read in pages:\n%s\n%s", i, &a, &b)
		}
	}
}

// annotations GETs a collection or page of annotations into v: a path, or an absolute URL
// on s as an annotation's id is.
func annotations(t *testing.T, s site, url string, v any) {
	t.Helper()
	r := s.get(t, strings.TrimPrefix(url, s.URL))
	if r.status != http.StatusOK {
		t.Fatalf("%s: status %d", url, r.status)
	}
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("%s: %v", url, err)
	}
}
