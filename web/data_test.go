package web_test

import (
	"net/http"
	"testing"

	"github.com/sourcebook/sourcebook/store"
)

func stats(t *testing.T, st *store.Store) store.Stats {
	t.Helper()
	s, err := st.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Every data route answers 200 with its media type and an ETag, so caches can revalidate.
func TestDataEndpointsAnswerWithTheirContentType(t *testing.T) {
	srv := newSite(t)
	const jsonType = "application/json; charset=utf-8"
	for _, tc := range []struct{ path, contentType string }{
		{"/api", jsonType},
		{"/api/sources", jsonType},
		{"/api/sources/ap-witkoff-article5", jsonType},
		{"/api/actors", jsonType},
		{"/api/actors/vladimir-putin", jsonType},
		{"/api/issues", jsonType},
		{"/api/issues/binding-guarantees", jsonType},
		{"/api/claims", jsonType},
		{"/api/claims?actor=vladimir-putin&issue=binding-guarantees&source=ap-witkoff-article5", jsonType},
		{"/api/claims/ap-putin-agreed-article5-like", jsonType},
		{"/api/positions", jsonType},
		{"/api/precedents", jsonType},
		{"/api/precedents/budapest-1994", jsonType},
		{"/api/timeline", jsonType},
		{"/api/annotations", `application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"`},
		{"/api/annotations?page=1", `application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"`},
		{"/export/sourcebook.json", jsonType},
		{"/export/sources.csv", "text/csv; charset=utf-8; header=present"},
		{"/export/sourcebook.db", "application/vnd.sqlite3"},
		{"/sources/ap-witkoff-article5/cite.bib", "application/x-bibtex; charset=utf-8"},
		{"/sources/ap-witkoff-article5/cite.ris", "application/x-research-info-systems; charset=utf-8"},
		{"/sources/ap-witkoff-article5/cite.json", "application/vnd.citationstyles.csl+json"},
		{"/sources/ap-witkoff-article5/c7vtk7/cite.bib", "application/x-bibtex; charset=utf-8"},
		{"/feed.atom", "application/atom+xml; charset=utf-8"},
		{"/sitemap.xml", "application/xml; charset=utf-8"},
		{"/robots.txt", "text/plain; charset=utf-8"},
	} {
		r := srv.get(t, tc.path)
		if r.status != http.StatusOK || r.contentType != tc.contentType {
			t.Errorf("%s: status %d, content type %q; want 200, %q", tc.path, r.status, r.contentType, tc.contentType)
		}
		if r.header.Get("ETag") == "" {
			t.Errorf("%s: no ETag", tc.path)
		}
	}
}
