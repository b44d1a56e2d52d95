package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestAnnotationsAreW3CWithBothSelectors(t *testing.T) {
	srv := newSite(t)
	st := srv.st
	r := srv.get(t, "/api/annotations?per_page=1000") // all of them, on the first page
	if r.status != http.StatusOK || r.contentType != `application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"` {
		t.Fatalf("status %d, content type %q", r.status, r.contentType)
	}
	type selector struct {
		Type, Exact string
		Start, End  *int
	}
	var coll struct {
		Context string `json:"@context"`
		Type    string
		Total   int
		First   struct {
			Type  string
			Items []struct {
				ID, Type, Motivation string
				Body                 []struct{ ID, Type, Value string }
				Target               json.RawMessage
			}
		}
	}
	if err := json.Unmarshal(r.body, &coll); err != nil {
		t.Fatal(err)
	}
	if coll.Context != "http://www.w3.org/ns/anno.jsonld" || coll.Type != "AnnotationCollection" || coll.First.Type != "AnnotationPage" {
		t.Errorf("collection: @context %q, type %q, page type %q", coll.Context, coll.Type, coll.First.Type)
	}
	if n := stats(t, st).Citations; coll.Total != n || len(coll.First.Items) != n {
		t.Errorf("total %d, %d items; the database has %d citations", coll.Total, len(coll.First.Items), n)
	}
	ids := map[string]bool{}
	for _, a := range coll.First.Items {
		if ids[a.ID] {
			t.Errorf("annotation id %s is not unique", a.ID)
		}
		ids[a.ID] = true
		if a.Type != "Annotation" || !strings.HasPrefix(a.ID, srv.URL+"/claims/") {
			t.Errorf("%s: type %q", a.ID, a.Type)
		}
		if len(a.Body) != 2 || a.Body[0].Type != "TextualBody" || a.Body[0].Value == "" || !strings.HasPrefix(a.Body[1].ID, srv.URL+"/claims/") {
			t.Errorf("%s: body %+v", a.ID, a.Body)
		}
		// One target, or a list when the original URL is known; ours carries both selectors.
		var targets []struct {
			Source   string
			Selector []selector
		}
		if err := json.Unmarshal(a.Target, &targets); err != nil {
			targets = targets[:0]
			var one struct {
				Source   string
				Selector []selector
			}
			if err := json.Unmarshal(a.Target, &one); err != nil {
				t.Fatalf("%s: target %s: %v", a.ID, a.Target, err)
			}
			targets = append(targets, one)
		}
		ok := false
		for _, tg := range targets {
			var quote, pos bool
			for _, s := range tg.Selector {
				quote = quote || s.Type == "TextQuoteSelector" && s.Exact != ""
				pos = pos || s.Type == "TextPositionSelector" && s.Start != nil && s.End != nil && *s.Start < *s.End
			}
			ok = ok || quote && pos && strings.HasPrefix(tg.Source, srv.URL+"/sources/")
		}
		if !ok {
			t.Errorf("%s: no target on our permalink with both selectors: %s", a.ID, a.Target)
		}
	}
}
