package web_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestSourcePageShowsNumberedBlocks(t *testing.T) {
	srv := newSite(t)
	r := srv.get(t, "/sources/ap-witkoff-article5")
	status, body := r.status, string(r.body)
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	for _, want := range []string{
		"Putin agrees that US, Europe could offer NATO-style security guarantees",
		`id="c7vtk7"`, // the first block's permalink anchor
		"Associated Press", "dtnext.in",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("source page lacks %q", want)
		}
	}
}

func TestUnknownAuthorIsShownAsUnknown(t *testing.T) {
	srv := newSite(t)
	body := string(srv.get(t, "/sources/loose-talk-guarantees").body)
	if !strings.Contains(body, "not named in the source") || !strings.Contains(body, "not stated in the capture") {
		t.Error("a source with no author or publisher does not say they are unknown")
	}
}

func TestMissingPagesAre404(t *testing.T) {
	srv := newSite(t)
	for _, path := range []string{"/sources/no-such-source", "/nowhere"} {
		r := srv.get(t, path)
		status, body := r.status, string(r.body)
		if status != http.StatusNotFound || !strings.Contains(body, "404") {
			t.Errorf("%s: status %d", path, status)
		}
	}
}
