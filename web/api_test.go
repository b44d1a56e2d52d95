package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestAPIAnswersUnknownSlugsWith404JSON(t *testing.T) {
	srv := newSite(t)
	for _, path := range []string{
		"/api/sources/no-such-source", "/api/actors/nobody", "/api/issues/nothing", "/api/claims/unsaid",
		"/api/precedents/never", "/api/claims?actor=nobody", "/api/claims?source=nowhere", "/api/no-such-endpoint",
	} {
		r := srv.get(t, path)
		var e struct{ Error string }
		if r.status != http.StatusNotFound || !strings.HasPrefix(r.contentType, "application/json") {
			t.Errorf("%s: status %d, content type %q; want 404 JSON", path, r.status, r.contentType)
		} else if err := json.Unmarshal(r.body, &e); err != nil || e.Error == "" {
			t.Errorf("%s: body %s is not {\"error\": ...}", path, r.body)
		}
	}
}

func TestAPIKeepsUnknownValuesNull(t *testing.T) {
	srv := newSite(t)
	var src map[string]any
	srv.json(t, "/api/sources/loose-talk-guarantees", &src)
	for _, field := range []string{"publisher", "published", "original_url", "captured_from", "retrieved"} {
		if v, ok := src[field]; !ok || v != nil {
			t.Errorf("%s: %v, want null", field, v)
		}
	}
	if a, ok := src["authors"].([]any); !ok || len(a) != 0 {
		t.Errorf("authors: %v, want []", src["authors"])
	}
	if src["published_precision"] != "unknown" {
		t.Errorf("published_precision: %v", src["published_precision"])
	}
}

func TestAPISourceBlocksLinkToTheirPermalinks(t *testing.T) {
	srv := newSite(t)
	st := srv.st
	var src struct {
		URL    string
		Blocks []struct {
			Key, Kind, Text, URL string
			Position, Rev        int
		}
	}
	srv.json(t, "/api/sources/ap-witkoff-article5", &src)
	if src.URL != "/sources/ap-witkoff-article5" {
		t.Errorf("url %q", src.URL)
	}
	_, blocks, err := st.SourceWithBlocks(t.Context(), "ap-witkoff-article5")
	if err != nil {
		t.Fatal(err)
	}
	if len(src.Blocks) != len(blocks) {
		t.Fatalf("%d blocks, the database has %d", len(src.Blocks), len(blocks))
	}
	for i, b := range src.Blocks {
		if b.Key != blocks[i].Key || b.Position != i+1 || b.Text != blocks[i].Text || b.Rev < 1 ||
			b.URL != "/sources/ap-witkoff-article5/"+b.Key {
			t.Errorf("block %d: %+v", i+1, b)
		}
	}
}

// apiClaim is the part of a claim the tests read.
type apiClaim struct {
	Slug, URL string
	Citations []struct {
		URL                   string
		Block                 struct{ Key, Text string }
		Quote, Prefix, Suffix string
		Start, End, Rev       int
	}
}

func TestAPICitationsQuoteTheBlockTextAtTheirOffsets(t *testing.T) {
	srv := newSite(t)
	st := srv.st
	var claims []apiClaim
	apiItems(t, srv, "/api/claims", &claims)
	if n := stats(t, st).Claims; len(claims) != n {
		t.Errorf("%d claims, the database has %d", len(claims), n)
	}
	cites := 0
	for _, c := range claims {
		if c.URL != "/claims/"+c.Slug {
			t.Errorf("claim %s: url %q", c.Slug, c.URL)
		}
		for _, ct := range c.Citations {
			cites++
			text := []rune(ct.Block.Text) // offsets count code points, not bytes
			if ct.Start < 0 || ct.End > len(text) || ct.Start >= ct.End {
				t.Errorf("claim %s: [%d,%d) outside a text of %d code points", c.Slug, ct.Start, ct.End, len(text))
				continue
			}
			if got := string(text[ct.Start:ct.End]); got != ct.Quote {
				t.Errorf("claim %s: text[%d:%d] is %q, the quote is %q", c.Slug, ct.Start, ct.End, got, ct.Quote)
			}
			if !strings.HasSuffix(string(text[:ct.Start]), ct.Prefix) || !strings.HasPrefix(string(text[ct.End:]), ct.Suffix) {
				t.Errorf("claim %s: prefix/suffix do not surround the quote", c.Slug)
			}
			if !strings.HasPrefix(ct.URL, "/sources/") || !strings.Contains(ct.URL, "/"+ct.Block.Key) {
				t.Errorf("claim %s: citation url %q", c.Slug, ct.URL)
			}
		}
	}
	if n := stats(t, st).Citations; cites != n {
		t.Errorf("%d citations, the database has %d", cites, n)
	}

	var one apiClaim
	srv.json(t, "/api/claims/ap-putin-agreed-article5-like", &one)
	if len(one.Citations) == 0 || !strings.Contains(one.Citations[0].Quote, "Vladimir Putin agreed") {
		t.Errorf("claim: %+v", one)
	}
	// The cited passage, at the cited revision, is a page that shows the quote.
	r := srv.get(t, one.Citations[0].URL)
	if r.status != http.StatusOK || !strings.Contains(string(r.body), "Vladimir Putin agreed") {
		t.Errorf("%s: status %d", one.Citations[0].URL, r.status)
	}
}

func TestAPIClaimFiltersNarrowTheList(t *testing.T) {
	srv := newSite(t)
	var all, bySource []apiClaim
	apiItems(t, srv, "/api/claims", &all)
	apiItems(t, srv, "/api/claims?source=rutland-guarantee-paradox", &bySource)
	if len(bySource) == 0 || len(bySource) >= len(all) {
		t.Fatalf("source filter: %d of %d claims", len(bySource), len(all))
	}
	for _, c := range bySource {
		for _, ct := range c.Citations {
			if !strings.HasPrefix(ct.URL, "/sources/rutland-guarantee-paradox/") {
				t.Errorf("claim %s cites %s", c.Slug, ct.URL)
			}
		}
	}
}

func TestAPIIndexListsEveryEndpoint(t *testing.T) {
	srv := newSite(t)
	var index struct {
		Endpoints []struct{ Path, Description string }
	}
	srv.json(t, "/api", &index)
	if len(index.Endpoints) < 13 {
		t.Fatalf("%d endpoints listed", len(index.Endpoints))
	}
	for _, e := range index.Endpoints {
		if e.Description == "" {
			t.Errorf("%s has no description", e.Path)
		}
		if strings.Contains(e.Path, "{") {
			continue
		}
		if r := srv.get(t, e.Path); r.status != http.StatusOK {
			t.Errorf("%s: status %d", e.Path, r.status)
		}
	}
}

func TestAPIAnswers304WhenUnchanged(t *testing.T) {
	srv := newSite(t)
	first := srv.get(t, "/api/claims")
	if r := srv.get(t, "/api/claims", "If-None-Match", first.header.Get("ETag")); r.status != http.StatusNotModified {
		t.Errorf("status %d, want 304", r.status)
	}
}
