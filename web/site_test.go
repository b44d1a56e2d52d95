package web_test

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/store/storetest"
	"github.com/sourcebook/sourcebook/web"
)

// site is the real handler over a real database (the seed corpus unless withStore says
// otherwise), with the store kept for assertions. Every test in this package makes its
// server with newSite.
type site struct {
	*httptest.Server
	st     *store.Store
	srv    *web.Server
	client *http.Client // signed in as an editor when made withEditor, else nil
}

// The account withEditor adds.
const (
	editorEmail  = "editor@example.org"
	testPassword = "a long enough password"
)

type siteConfig struct {
	st     *store.Store
	opts   []web.Option
	editor bool
}

type siteOption func(*siteConfig)

// withOptions passes options to web.New.
func withOptions(opts ...web.Option) siteOption {
	return func(c *siteConfig) { c.opts = append(c.opts, opts...) }
}

// withStore serves st instead of a fresh copy of the seed corpus.
func withStore(st *store.Store) siteOption {
	return func(c *siteConfig) { c.st = st }
}

// withEditor adds the account editorEmail (password testPassword) and signs it in
// as site.client.
func withEditor() siteOption {
	return func(c *siteConfig) { c.editor = true }
}

func newSite(t testing.TB, opts ...siteOption) site {
	t.Helper()
	var c siteConfig
	for _, o := range opts {
		o(&c)
	}
	if c.st == nil {
		c.st = storetest.Store(t)
	}
	if c.editor {
		if _, err := c.st.CreateUser(t.Context(), nil, editorEmail, "Ed", "editor", testPassword); err != nil {
			t.Fatal(err)
		}
	}
	ws := web.New(c.st, slog.New(slog.NewTextHandler(io.Discard, nil)), c.opts...)
	t.Cleanup(ws.Close) // removes the database export's copy
	ts := httptest.NewServer(ws.Handler())
	t.Cleanup(ts.Close)
	s := site{Server: ts, st: c.st, srv: ws}
	if c.editor {
		s.client = s.signIn(t, editorEmail, testPassword, http.StatusSeeOther)
	}
	return s
}

func (s site) signIn(t testing.TB, email, password string, want int) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(s.URL+"/admin/login", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != want {
		t.Fatalf("sign in as %s: status %d, want %d", email, resp.StatusCode, want)
	}
	return c
}

// response is an answer read whole.
type response struct {
	status      int
	contentType string
	header      http.Header
	body        []byte
}

// get GETs path with the given header fields (name, value, ...; "Host" sets the request's
// Host) and reads the answer whole. It follows no redirect, and decompresses only when the
// test asked for no encoding itself.
func (s site) get(t *testing.T, path string, header ...string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "Host" {
			req.Host = header[i+1]
		} else {
			req.Header.Set(header[i], header[i+1])
		}
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header, b}
}

// page GETs an HTML page that must answer 200.
func (s site) page(t *testing.T, path string) string {
	t.Helper()
	r := s.get(t, path)
	if r.status != http.StatusOK {
		t.Fatalf("GET %s: status %d", path, r.status)
	}
	if r.contentType != "text/html; charset=utf-8" {
		t.Errorf("GET %s: Content-Type %q", path, r.contentType)
	}
	return string(r.body)
}

// json GETs path, which must answer 200 with JSON, decoded into v.
func (s site) json(t *testing.T, path string, v any) {
	t.Helper()
	r := s.get(t, path)
	if r.status != http.StatusOK || !strings.HasPrefix(r.contentType, "application/json") {
		t.Fatalf("%s: status %d, content type %q", path, r.status, r.contentType)
	}
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// sitemap is the list of URLs /sitemap.xml gives, asked with the given header fields.
func (s site) sitemap(t *testing.T, header ...string) []string {
	t.Helper()
	var set struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(s.get(t, "/sitemap.xml", header...).body, &set); err != nil {
		t.Fatal(err)
	}
	var locs []string
	for _, u := range set.URLs {
		locs = append(locs, u.Loc)
	}
	return locs
}

// publicPages are the paths of every public page, as /sitemap.xml lists them
// (TestSitemapListsOnlyPagesThatExist holds the list to the store's counts): what a crawl of
// the site must reach.
func (s site) publicPages(t *testing.T) []string {
	t.Helper()
	var paths []string
	for _, loc := range s.sitemap(t) {
		paths = append(paths, strings.TrimPrefix(loc, s.URL))
	}
	if len(paths) == 0 {
		t.Fatal("the sitemap lists no pages")
	}
	return paths
}

// post sends form to path as client c (s.client for the editor) and reads the answer whole;
// redirects are c's to follow or not.
func (s site) post(t *testing.T, c *http.Client, path string, form url.Values) (int, string) {
	t.Helper()
	resp, err := c.PostForm(s.URL+path, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
