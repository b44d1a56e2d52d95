package web_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// An actor is public only while it has something published to show. An editor adds a
// source, an actor, and a claim of the actor in it; published, the actor has a page and is
// in the actors list, the sitemap, search and the API. Taken back to draft, the actor's old
// address answers 404 and it is gone from all of those, as if it had never been published;
// the admin still offers it as a speaker.
func TestActorsArePublicOnlyWithSomethingPublished(t *testing.T) {
	s := newSite(t, withEditor())
	const name = "Zyxwarden Quellspoke"
	if status, body := s.post(t, s.client, "/admin/sources", url.Values{"title": {"An interview with a minister"}, "kind": {"analysis"},
		"text": {"The minister said the guarantees must be binding."}}); status != http.StatusSeeOther {
		t.Fatalf("save the draft: status %d\n%s", status, body)
	}
	const src = "an-interview-with-a-minister"
	if status, body := s.post(t, s.client, "/admin/actors", url.Values{"name": {name}, "kind": {"person"}}); status != http.StatusSeeOther {
		t.Fatalf("create the actor: status %d\n%s", status, body)
	}
	const actor = "zyxwarden-quellspoke"
	_, blocks, err := s.st.SourceOrDraft(t.Context(), src)
	if err != nil || len(blocks) != 1 {
		t.Fatalf("the draft's blocks: %v %v", blocks, err)
	}
	if status, body := s.post(t, s.client, "/admin/sources/"+src+"/claims", url.Values{"block": {blocks[0].Key},
		"quote": {"the guarantees must be binding"}, "statement": {"The guarantees must be binding."}, "kind": {"quote"},
		"speaker": {actor}, "evidence": {"own-words"}, "stance-us-role": {"for"}}); status != http.StatusSeeOther {
		t.Fatalf("save the claim: status %d\n%s", status, body)
	}
	// A draft's actor is not public yet.
	if r := s.get(t, "/actors/"+actor); r.status != http.StatusNotFound {
		t.Errorf("before publishing, /actors/%s: status %d, want 404", actor, r.status)
	}

	public := func() map[string]bool {
		var api struct{ Items []struct{ Slug string } }
		s.json(t, "/api/actors?per_page=100", &api)
		inAPI := false
		for _, a := range api.Items {
			inAPI = inAPI || a.Slug == actor
		}
		var searched struct{ Hits []struct{ Kind, Slug string } }
		s.json(t, "/api/search?q=Zyxwarden&kind=actor", &searched)
		return map[string]bool{
			"its page":    s.get(t, "/actors/"+actor).status == http.StatusOK,
			"the list":    strings.Contains(s.page(t, "/actors"), "/actors/"+actor),
			"the sitemap": strings.Contains(string(s.get(t, "/sitemap.xml").body), "/actors/"+actor),
			"the API":     inAPI,
			"search":      len(searched.Hits) > 0,
			"the export":  strings.Contains(string(s.get(t, "/export/actors.csv").body), actor),
		}
	}
	s.post(t, s.client, "/admin/sources/"+src+"/publish", url.Values{"publish": {"1"}})
	for where, ok := range public() {
		if !ok {
			t.Errorf("published, the actor is not in %s", where)
		}
	}
	if !strings.Contains(s.page(t, "/actors/"+actor), name) {
		t.Error("the actor's page does not name it")
	}

	s.post(t, s.client, "/admin/sources/"+src+"/publish", url.Values{"publish": {"0"}})
	for where, ok := range public() {
		if ok {
			t.Errorf("after unpublishing its only source, the actor is still in %s", where)
		}
	}
	if r := s.get(t, "/actors/"+actor); r.status != http.StatusNotFound {
		t.Errorf("after unpublishing, /actors/%s: status %d, want 404", actor, r.status)
	}
	if r := s.get(t, "/api/actors/"+actor); r.status != http.StatusNotFound {
		t.Errorf("after unpublishing, /api/actors/%s: status %d, want 404", actor, r.status)
	}
	// The admin still has it, to be chosen as a speaker again.
	resp, err := s.client.Get(s.URL + "/admin/actors")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(readBody(resp), name) {
		t.Errorf("the admin's actors page no longer lists %s", name)
	}
}

// Every seed actor is public: the rule hides only actors with nothing to show, and the seed
// gives each one a claim, a role or a position.
func TestEverySeedActorIsPublic(t *testing.T) {
	s := newSite(t)
	all, err := s.st.Actors(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	public, err := s.st.PublicActors(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(public) != len(all) {
		seen := map[string]bool{}
		for _, a := range public {
			seen[a.Slug] = true
		}
		for _, a := range all {
			if !seen[a.Slug] {
				t.Errorf("seed actor %s has nothing published to show", a.Slug)
			}
		}
	}
}

// A GET of an admin address that takes a form answers 405 with what is true: the address
// takes a form, and where that form is; not "this site is read-only".
func TestAdminFormAddressesSayWhereTheirFormIs(t *testing.T) {
	s := newSite(t, withEditor())
	for path, form := range map[string]string{"/admin/issues": "/admin/manage", "/admin/positions": "/admin/manage",
		"/admin/sources/ap-witkoff-article5/publish": "/admin/sources/ap-witkoff-article5"} {
		resp, err := s.client.Get(s.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body := readBody(resp)
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "POST" {
			t.Errorf("GET %s: status %d, Allow %q; want 405, POST", path, resp.StatusCode, resp.Header.Get("Allow"))
		}
		if strings.Contains(body, "read-only") || !strings.Contains(body, "This address takes a form submission") ||
			!strings.Contains(body, "Its form is at "+form+".") {
			t.Errorf("GET %s says %q", path, text(body))
		}
		// The page it names is there.
		if r, err := s.client.Get(s.URL + form); err != nil || r.StatusCode != http.StatusOK {
			t.Errorf("GET %s, the form's page: %v %v", form, r.StatusCode, err)
		} else {
			r.Body.Close()
		}
	}
}

// readBody reads an answer's body whole and closes it.
func readBody(resp *http.Response) string {
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
