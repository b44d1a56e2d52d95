package web_test

import (
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestCitationFormatsMatchGolden compares each citation format with its golden file, fetched
// as the site would serve it at https://sourcebook.example (run with -update to rewrite
// them). The sources are chosen for what they leave unknown: the AP report names no author
// and was captured from a republication; the Rutland piece has an author but no publisher
// or date; the USI piece's author's name holds a comma.
func TestCitationFormatsMatchGolden(t *testing.T) {
	srv := newSite(t)
	for _, path := range []string{
		"/sources/ap-witkoff-article5/cite",
		"/sources/usi-guarantees-unresolved/cite",
		"/sources/rutland-guarantee-paradox/wwt5qy/cite",
	} {
		for _, ext := range []string{"bib", "ris", "json"} {
			url := path + "." + ext
			r := srv.get(t, url, "Host", "sourcebook.example", "X-Forwarded-Proto", "https")
			if r.status != http.StatusOK {
				t.Fatalf("%s: status %d", url, r.status)
			}
			body := string(r.body)
			golden := filepath.Join("testdata", strings.NewReplacer("/sources/", "", "/", "_").Replace(path)+"."+ext+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./web/ -run Golden -update to create it)", err)
			}
			if body != string(want) {
				t.Errorf("%s differs from %s:\n%s", path+"."+ext, golden, body)
			}
		}
	}
}

func TestCitationRoutesAndPassagePagesDoNotShadowEachOther(t *testing.T) {
	srv := newSite(t)
	page := srv.get(t, "/sources/ap-witkoff-article5/c7vtk7")
	if page.status != http.StatusOK || !strings.HasPrefix(page.contentType, "text/html") {
		t.Errorf("passage page: status %d, %q", page.status, page.contentType)
	}
	src := srv.get(t, "/sources/ap-witkoff-article5/cite.bib")
	if src.status != http.StatusOK || !strings.HasPrefix(string(src.body), "@misc{ap-witkoff-article5,") {
		t.Errorf("source citation: status %d, %.40q", src.status, src.body)
	}
	psg := srv.get(t, "/sources/ap-witkoff-article5/c7vtk7/cite.ris")
	if psg.status != http.StatusOK || !strings.Contains(string(psg.body), "N1  - para. 1") {
		t.Errorf("passage citation: status %d, %q", psg.status, psg.body)
	}
	for _, path := range []string{"/sources/ap-witkoff-article5/cite.doc", "/sources/nowhere/cite.bib", "/sources/ap-witkoff-article5/nokey/cite.bib"} {
		if r := srv.get(t, path); r.status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, r.status)
		}
	}
}

func TestCitationsInventNothing(t *testing.T) {
	srv := newSite(t)
	// The Loose talk piece names no author or publisher and has no date.
	bib := string(srv.get(t, "/sources/loose-talk-guarantees/cite.bib").body)
	for _, field := range []string{"author", "publisher", "year", "date", "urldate"} {
		if strings.Contains(bib, "  "+field+" = ") {
			t.Errorf("BibTeX has a %s:\n%s", field, bib)
		}
	}
	csl := string(srv.get(t, "/sources/loose-talk-guarantees/cite.json").body)
	for _, field := range []string{`"author"`, `"publisher"`, `"issued"`, `"accessed"`} {
		if strings.Contains(csl, field) {
			t.Errorf("CSL-JSON has %s:\n%s", field, csl)
		}
	}
}
