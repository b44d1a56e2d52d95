package web_test

import (
	"bytes"
	"compress/gzip"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/sourcebook/sourcebook/store"
)

// A page served from the render cache is the page the full path served: the same bytes and
// the same headers (security policy, ETag, caching), plain, gzipped, and as a 304.
func TestCachedPagesAnswerLikeRenderedOnes(t *testing.T) {
	s := newSite(t)
	const path = "/sources/newsweek-putin-guarantees"
	for _, enc := range []string{"", "gzip"} {
		first := s.get(t, path+"?enc="+enc, "Accept-Encoding", enc)  // a miss: rendered
		s.get(t, path+"?enc="+enc, "Accept-Encoding", enc)           // rendered again, and kept (a query string)
		second := s.get(t, path+"?enc="+enc, "Accept-Encoding", enc) // from the cache
		if first.status != http.StatusOK || second.status != http.StatusOK {
			t.Fatalf("Accept-Encoding %q: status %d then %d", enc, first.status, second.status)
		}
		first.header.Del("Date")
		second.header.Del("Date")
		if !maps.EqualFunc(first.header, second.header, slices.Equal) {
			t.Errorf("Accept-Encoding %q: the cached page's headers differ from the rendered one's:\n%v\n%v", enc, first.header, second.header)
		}
		a := first.body
		b := second.body
		if !bytes.Equal(a, b) {
			t.Errorf("Accept-Encoding %q: the cached body differs from the rendered one", enc)
		}
		if first.header.Get("Content-Security-Policy") == "" {
			t.Errorf("Accept-Encoding %q: no Content-Security-Policy", enc)
		}
		etag := second.header.Get("ETag")
		r := s.get(t, path+"?enc="+enc, "If-None-Match", etag, "Accept-Encoding", enc)
		if r.status != http.StatusNotModified || r.header.Get("ETag") != etag {
			t.Errorf("Accept-Encoding %q: revalidating a cached page: status %d, ETag %q, want 304 with %q",
				enc, r.status, r.header.Get("ETag"), etag)
		}
		if r.header.Get("Content-Security-Policy") == "" || r.header.Get("Cache-Control") == "" {
			t.Errorf("Accept-Encoding %q: a 304 from the cache lacks the page's headers: %v", enc, r.header)
		}
	}
}

// Clients that weigh encodings get gzip unless they weigh it at zero.
func TestAcceptEncodingWeights(t *testing.T) {
	s := newSite(t)
	for header, want := range map[string]bool{
		"gzip": true, "GZIP": true, "br, gzip": true, "gzip;q=0.5": true, "gzip; q=1.0, br": true,
		"gzip;q=0": false, "gzip; q=0.000": false, "": false, "identity": false, "br": false,
	} {
		// A page of its own for each header, so each is a miss (rendered, through the
		// router's compression) twice, a URL with a query string being kept from its
		// second request, then a hit (from the cache).
		path := "/matrix?ae=" + url.QueryEscape(header)
		for range 3 {
			r := s.get(t, path, "Accept-Encoding", header)
			if got := r.header.Get("Content-Encoding") == "gzip"; got != want {
				t.Errorf("Accept-Encoding %q: gzipped %v, want %v", header, got, want)
			}
			if want {
				if _, err := gzip.NewReader(bytes.NewReader(r.body)); err != nil {
					t.Errorf("Accept-Encoding %q: the body is not gzip: %v", header, err)
				}
			}
		}
	}
}

// A page reflects a write the moment it is committed, although the data version that keys
// the cache and the ETags is kept in memory.
func TestCacheSeesAWriteAtOnce(t *testing.T) {
	s := newSite(t)
	const path = "/sources/ap-witkoff-article5"
	before := s.get(t, path)
	if r := s.get(t, path, "If-None-Match", before.header.Get("ETag")); r.status != http.StatusNotModified {
		t.Fatalf("revalidation before the write: status %d, want 304", r.status)
	}
	if _, err := s.st.ReviseBlock(t.Context(), "ap-witkoff-article5", "c7vtk7", "NEW YORK: a revised paragraph."); err != nil {
		t.Fatal(err)
	}
	if r := s.get(t, path, "If-None-Match", before.header.Get("ETag")); r.status != http.StatusOK {
		t.Errorf("revalidation right after a write: status %d, want 200 with the new page", r.status)
	}
	if page := s.page(t, path); !bytes.Contains([]byte(page), []byte("a revised paragraph")) {
		t.Error("the page right after a write does not show it")
	}
}

// A source's text, which the server keeps apart from its pages by the source's text
// version, shows at once every write that changes what it shows, whichever record the write
// changed: here a speaker merged into another actor and a new claim on a passage.
func TestSourceTextShowsWritesAtOnce(t *testing.T) {
	s := newSite(t)
	ctx := t.Context()
	const path = "/sources/ap-witkoff-article5"
	rubio := `href="/actors/marco-rubio"`
	if page := s.page(t, path); !strings.Contains(page, rubio) {
		t.Fatalf("before the merge the page has no link to Marco Rubio, who speaks in it")
	}
	ed, err := s.st.CreateUser(ctx, nil, "text@example.org", "", "editor", "a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.st.MergeActors(ctx, &ed, "marco-rubio", "donald-trump"); err != nil {
		t.Fatal(err)
	}
	if page := s.page(t, path); strings.Contains(page, rubio) {
		t.Errorf("after Marco Rubio was merged into Donald Trump, the source page still links to him")
	}
	if _, err := s.st.SaveClaim(ctx, &ed, "ap-witkoff-article5", "", store.ClaimInput{
		Statement: "The contours were still open, a new claim says.", Kind: "paraphrase", Evidence: "inferred", Stances: map[string]string{"us-role": "neutral"},
		Citations: []store.CitationInput{{Block: "lm3wcg", Quote: "the contours of any security guarantees"}}}); err != nil {
		t.Fatal(err)
	}
	if page := s.page(t, path); !strings.Contains(page, "a new claim says") {
		t.Errorf("the claim saved on the source is not under its passage")
	}
}
