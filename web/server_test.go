package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func TestSourcePageShowsNumberedBlocks(t *testing.T) {
	srv := newSite(t)
	status, body := get(t, srv.URL+"/sources/ap-witkoff-article5")
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
	_, body := get(t, srv.URL+"/sources/loose-talk-guarantees")
	if !strings.Contains(body, "not named in the source") || !strings.Contains(body, "not stated in the capture") {
		t.Error("a source with no author or publisher does not say they are unknown")
	}
}

func TestMissingPagesAre404(t *testing.T) {
	srv := newSite(t)
	for _, path := range []string{"/sources/no-such-source", "/nowhere"} {
		status, body := get(t, srv.URL+path)
		if status != http.StatusNotFound || !strings.Contains(body, "404") {
			t.Errorf("%s: status %d", path, status)
		}
	}
}
