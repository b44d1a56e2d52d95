package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// A link shared with campaign tags or a click identifier is the page itself: the same ETag
// (so the same cache entry, and a revalidation answers 304), and no reader's identifier
// written into the links of a page another reader may be served.
func TestTrackingParametersAreNotPartOfThePage(t *testing.T) {
	s := newSite(t)
	const path = "/sources/ap-witkoff-article5"
	plain := s.get(t, path).header.Get("ETag")
	tagged := s.get(t, path+"?utm_source=newsletter&utm_medium=email&fbclid=IwAR0abc")
	if got := tagged.header.Get("ETag"); tagged.status != http.StatusOK || got != plain {
		t.Errorf("with campaign tags: status %d, ETag %s; want 200 and the page's own ETag %s", tagged.status, got, plain)
	}
	if r := s.get(t, path+"?gclid=Cj0KCQ", "If-None-Match", plain); r.status != http.StatusNotModified {
		t.Errorf("revalidating the page through a tagged link: status %d, want 304", r.status)
	}
	page := s.page(t, "/search?q=Budapest&fbclid=IwAR0secret&utm_campaign=spring")
	if strings.Contains(page, "IwAR0secret") || strings.Contains(page, "utm_campaign") {
		t.Error("the search page writes the reader's click identifier or campaign tag into its links")
	}
	if !strings.Contains(page, "Budapest") {
		t.Error("the search itself was lost with the tracking parameters")
	}
}
