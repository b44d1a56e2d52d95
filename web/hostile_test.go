package web_test

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// hostileValues stand in for every route parameter: traversal, encodings, overlong and odd
// strings, markup and SQL.
var hostileValues = []string{
	"..", "../../../etc/passwd", "..%2f..%2fgo.mod", "%00", "%ff%fe", "%", "%zz", "%E2%80%AE",
	strings.Repeat("a", 5000), "<script>alert(1)</script>", "'%20OR%201=1%20--", "%22%3E%3Csvg%20onload=alert(1)%3E",
	"cite.bib", "x@1", "-", "🇺🇦",
}

var hostileQueries = []string{
	"", "?q=%ff%fe%fd", "?q=" + strings.Repeat("guarantee+", 5000), "?rev=-1", "?rev=99999999999999999999",
	"?page=0", "?page=999999", "?sort=%3Cscript%3E", "?kind=nope&kind=block&kind=", "?from=2025&to=1990",
	"?actor=%00", "?q=%22unbalanced&q=second", "?q=NEAR(a%20b", "?format=../../x", "?next=//evil.example",
}

// Every route, fed hostile parameters, queries, methods and bodies, answers deliberately:
// never a 5xx, never a panic, never an empty error.
func TestHostileRequests(t *testing.T) {
	s := newSite(t, withEditor())
	clients := map[string]*http.Client{"anonymous": noRedirects(), "editor": s.client}
	routes := s.srv.Routes()
	cases := 0
	check := func(who string, req *http.Request) {
		t.Helper()
		cases++
		resp, err := clients[who].Do(req)
		if err != nil {
			t.Errorf("%s %s: %v", req.Method, req.URL, err)
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			t.Errorf("%s %s %.80s (%s): status %d: %.200s", who, req.Method, req.URL.String(), req.Header.Get("Content-Type"), resp.StatusCode, b)
		}
		if resp.StatusCode >= 400 && len(b) == 0 && req.Method != "HEAD" {
			t.Errorf("%s %s %.80s: status %d with no explanation", who, req.Method, req.URL.String(), resp.StatusCode)
		}
	}
	for _, rt := range routes {
		method, pattern, _ := strings.Cut(rt, " ")
		for _, v := range hostileValues {
			path := pattern
			for _, p := range []string{"{slug}", "{key}", "{actor}", "{issue}", "{format}"} {
				path = strings.ReplaceAll(path, p, v)
			}
			path = strings.TrimSuffix(path, "/*") + "/" + v
			for who := range clients {
				req, err := http.NewRequest(method, s.URL+path, strings.NewReader("title=x&title=y&kind=&text=%ff"))
				if err != nil {
					continue // not a URL at all: the client cannot even send it
				}
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				check(who, req)
			}
		}
		for _, q := range hostileQueries {
			path := strings.NewReplacer("{slug}", "ap-witkoff-article5", "{key}", "c7vtk7", "{actor}", "russia",
				"{issue}", "foreign-troops", "{format}", "bib", "/*", "/site.css").Replace(pattern)
			req, _ := http.NewRequest(method, s.URL+path+q, nil)
			check("editor", req)
		}
		for _, m := range []string{"PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND"} {
			path := strings.NewReplacer("{slug}", "ap-witkoff-article5", "{key}", "c7vtk7", "{actor}", "russia",
				"{issue}", "foreign-troops", "{format}", "bib", "/*", "/x").Replace(pattern)
			req, _ := http.NewRequest(m, s.URL+path, nil)
			check("editor", req)
		}
	}
	// Bodies the admin forms do not expect.
	for _, form := range []string{"/admin/sources/preview", "/admin/sources", "/admin/sources/ap-witkoff-article5/claims",
		"/admin/sources/ap-witkoff-article5/edit", "/admin/login", "/admin/actors", "/admin/actors/merge"} {
		for _, body := range []struct{ ct, data string }{
			{"application/json", `{"title": "x"}`},
			{"text/xml", `<title>x</title>`},
			{"multipart/form-data; boundary=nope", "garbage"},
			{"multipart/form-data", "no boundary at all"},
			{"application/x-www-form-urlencoded", "%zz=%zz&title"},
			{"application/x-www-form-urlencoded", "title=" + strings.Repeat("x", 3<<20)},
			{"", ""},
		} {
			req, _ := http.NewRequest("POST", s.URL+form, strings.NewReader(body.data))
			if body.ct != "" {
				req.Header.Set("Content-Type", body.ct)
			}
			check("editor", req)
		}
	}
	// Paths the router never sees as a route: traversal against static files and raw bytes.
	for _, raw := range []string{"/static/../go.mod", "/static/%2e%2e/%2e%2e/go.mod", "/static/..%5c..%5cgo.mod",
		"/%ff/%fe", "/sources/%00", "//sources", "/" + strings.Repeat("x/", 3000)} {
		cases++
		status := rawGet(t, s.Listener.Addr().String(), raw)
		if status >= 500 || status == 0 {
			t.Errorf("GET %.60s: status %d", raw, status)
		}
		if strings.Contains(raw, "go.mod") && status == 200 {
			t.Errorf("GET %s served a file outside static/", raw)
		}
	}
	t.Logf("%d hostile requests over %d routes, no 5xx", cases, len(routes))
}

func noRedirects() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// rawGet sends a request line as written, without Go's URL cleaning, and returns the status.
func rawGet(t *testing.T, addr, path string) int {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, addr)
	b, _ := io.ReadAll(conn)
	var status int
	fmt.Sscanf(string(b), "HTTP/1.1 %d", &status)
	return status
}

// Markup typed into every field an editor fills is shown as text, never as markup.
func TestEditorMarkupIsEscaped(t *testing.T) {
	s := newSite(t, withEditor())
	xss := `<script>window.__xss=1</script><img src=x onerror="window.__xss=1">`
	status, _ := s.post(t, s.client, "/admin/sources", url.Values{
		"title": {"Hostile " + xss}, "subtitle": {xss}, "authors": {xss}, "publisher": {xss}, "captured_from": {xss},
		"kind": {"analysis"}, "language": {"en"}, "url": {"https://example.org/" + url.PathEscape(xss)},
		"notes": {"[click](javascript:window.__xss=1) <b onmouseover=alert(1)>raw</b> " + xss},
		"text":  {"A passage with " + xss + " inside.\n\n## " + xss},
	})
	if status != http.StatusSeeOther {
		t.Fatalf("save: status %d", status)
	}
	srcs, _ := s.st.SourcesAndDrafts(t.Context())
	slug := srcs[0].Slug
	s.post(t, s.client, "/admin/sources/"+slug+"/publish", url.Values{"publish": {"1"}})
	for _, path := range []string{"/sources/" + slug, "/sources", "/", "/search?q=hostile", "/api/sources/" + slug,
		"/feed.atom", "/admin/sources/" + slug} {
		c := http.DefaultClient
		if strings.HasPrefix(path, "/admin") {
			c = s.client
		}
		resp, err := c.Get(s.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.HasPrefix(path, "/api/") {
			// JSON carries the editor's text as data; browsers must never sniff it as HTML.
			if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("%s: Content-Type %q, X-Content-Type-Options %q", path, resp.Header.Get("Content-Type"), resp.Header.Get("X-Content-Type-Options"))
			}
			continue
		}
		for _, bad := range [][]byte{[]byte("<script>window.__xss"), []byte("<img src=x onerror"), []byte(`href="javascript:`), []byte("<b onmouseover")} {
			if bytes.Contains(b, bad) {
				t.Errorf("%s contains %q unescaped", path, bad)
			}
		}
	}
}
