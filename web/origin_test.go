package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sourcebook/sourcebook/web"
)

// hostPages are the responses that carry absolute URLs.
var hostPages = []string{"/feed.atom", "/sitemap.xml", "/robots.txt", "/api/annotations",
	"/sources/newsweek-putin-guarantees", "/sources/newsweek-putin-guarantees/cite.ris"}

// TestAHostileHostChangesNothingOthersReceive sends each page first with "Host: evil.example",
// then as an ordinary client: the ordinary client never sees evil.example, with or without a
// base URL, and without one the two get different ETags, so no cache can swap them.
func TestAHostileHostChangesNothingOthersReceive(t *testing.T) {
	t.Run("without a base URL", func(t *testing.T) {
		srv := newSite(t)
		for _, p := range hostPages {
			evil := srv.get(t, p, "Host", "evil.example")
			if !strings.Contains(string(evil.body), "evil.example") {
				t.Errorf("%s: the hostile request's own page does not name its Host; the test proves nothing", p)
			}
			plain := srv.get(t, p)
			if strings.Contains(string(plain.body), "evil.example") {
				t.Errorf("%s: an ordinary client received the hostile Host", p)
			}
			if e, o := evil.header.Get("ETag"), plain.header.Get("ETag"); e == o {
				t.Errorf("%s: the same ETag %s for two hosts' pages", p, e)
			}
		}
	})
	t.Run("with a base URL", func(t *testing.T) {
		srv := newSite(t, withOptions(web.BaseURL("https://sourcebook.example.org")))
		for _, p := range hostPages {
			for _, host := range []string{"evil.example", ""} {
				var r response
				if host == "" {
					r = srv.get(t, p)
				} else {
					r = srv.get(t, p, "Host", host)
				}
				body := string(r.body)
				if strings.Contains(body, "evil.example") || strings.Contains(body, "127.0.0.1") {
					t.Errorf("%s (Host %q): a URL from the request's Host", p, host)
				}
				if !strings.Contains(body, "https://sourcebook.example.org") {
					t.Errorf("%s (Host %q): no URL with the base URL", p, host)
				}
			}
		}
	})
}

func TestBaseURLsAreChecked(t *testing.T) {
	for raw, want := range map[string]string{
		"https://Sourcebook.Example.org/": "https://sourcebook.example.org",
		"http://localhost:8080":           "http://localhost:8080",
		"ftp://x.org":                     "",
		"sourcebook.example.org":          "",
		"https://x.org/sub/path":          "",
		"https://user@x.org":              "",
	} {
		got, err := web.ParseBaseURL(raw)
		if got != want || (want == "") != (err != nil) {
			t.Errorf("ParseBaseURL(%q) = %q, %v; want %q", raw, got, err, want)
		}
	}
}

// TestHTTPSIsOneSwitch: served over HTTPS behind a proxy, the site sends HSTS and https URLs,
// and the session cookie is Secure, from one option.
func TestHTTPSIsOneSwitch(t *testing.T) {
	srv := newSite(t, withEditor(), withOptions(web.BehindHTTPS()))
	r := srv.get(t, "/robots.txt")
	if r.header.Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS header")
	}
	if !strings.Contains(string(r.body), "https://") {
		t.Errorf("robots.txt names no https sitemap: %s", r.body)
	}
	resp, err := noRedirects().PostForm(srv.URL+"/admin/login", url.Values{"email": {"editor@example.org"}, "password": {testPassword}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || len(resp.Cookies()) == 0 {
		t.Fatalf("sign in: %d with %d cookies", resp.StatusCode, len(resp.Cookies()))
	}
	for _, c := range resp.Cookies() {
		if !c.Secure {
			t.Errorf("cookie %s is not Secure", c.Name)
		}
	}
	if r := newSite(t).get(t, "/robots.txt"); r.header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS over plain HTTP without the switch")
	}
}

// TestOtherSitesMayReadTheDataButNotTheAdmin checks CORS: the API and exports are open to
// scripts of other sites, preflights included; the admin and the pages are not.
func TestOtherSitesMayReadTheDataButNotTheAdmin(t *testing.T) {
	srv := newSite(t)
	for _, p := range []string{"/api", "/api/sources", "/api/search?q=Budapest", "/export/actors.csv", "/export/sourcebook.json"} {
		if got := srv.get(t, p).header.Get("Access-Control-Allow-Origin"); got != "*" {
			t.Errorf("%s: Access-Control-Allow-Origin %q, want *", p, got)
		}
		req, _ := http.NewRequest(http.MethodOptions, srv.URL+p, nil)
		req.Header.Set("Origin", "https://other.example")
		req.Header.Set("Access-Control-Request-Method", "GET")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNoContent || !strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), "GET") {
			t.Errorf("OPTIONS %s: %d %q", p, resp.StatusCode, resp.Header.Get("Access-Control-Allow-Methods"))
		}
	}
	for _, p := range []string{"/admin/login", "/admin/", "/", "/sources"} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+p, nil)
		req.Header.Set("Origin", "https://other.example")
		resp, err := noRedirects().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("%s: Access-Control-Allow-Origin %q; only the data is open to other sites", p, got)
		}
	}
}
