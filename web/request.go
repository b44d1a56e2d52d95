package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/sourcebook/sourcebook/store"
)

// Request helpers: the site's origin and base URL as a request sees them, header fields, and
// the query parameters that several handlers read (?page=, ?rev=).

// origin is the site's scheme and host, for the absolute URLs that feeds, sitemaps,
// annotations and citations need. With a base URL configured (BaseURL) it is that, whatever
// a request says: a forged Host header then changes nothing anyone receives. Without one it
// is the host the client reached, and the page cache and ETags keep each host's pages
// apart, so one client's Host never reaches another's page.
func (s *Server) origin(r *http.Request) string {
	if s.base != "" {
		return s.base
	}
	scheme, host := s.originParts(r)
	return scheme + "://" + host
}

// originParts is origin's scheme and host apart, for a caller that appends them. Without a
// base URL the scheme is https when the request came over TLS, or through a proxy that says
// so in X-Forwarded-Proto, or when the site is configured as served over HTTPS; a host that
// is not a plain host[:port] is replaced, so a forged Host header cannot put markup into a
// response.
func (s *Server) originParts(r *http.Request) (scheme, host string) {
	if s.base != "" {
		scheme, host, _ = strings.Cut(s.base, "://")
		return scheme, host
	}
	scheme = "http"
	if r.TLS != nil || s.https {
		scheme = "https"
	} else if p, _, _ := strings.Cut(first(r.Header, "X-Forwarded-Proto"), ","); strings.EqualFold(strings.TrimSpace(p), "https") {
		scheme = "https"
	}
	host = r.Host
	if host == "" || strings.IndexFunc(host, func(c rune) bool {
		return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune(".-:[]", c))
	}) >= 0 {
		host = "localhost"
	}
	return scheme, host
}

// ParseBaseURL checks a configured public base URL: http or https, a host, and nothing after
// it but an optional slash. It returns the URL as origin writes it: "https://example.org".
func ParseBaseURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	switch {
	case err != nil:
		return "", fmt.Errorf("the base URL %q is not a URL: %v", raw, err)
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("the base URL %q must begin with https:// or http://", raw)
	case u.Host == "" || u.User != nil:
		return "", fmt.Errorf("the base URL %q must name the site's host, like https://sourcebook.example.org", raw)
	case u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.Fragment != "":
		return "", fmt.Errorf("the base URL %q must be the site's root: the site is served at /, not under a path", raw)
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host), nil
}

// first is h.Get(key) for a key already in canonical form, as the server stores a request's
// fields: it skips canonicalising the key again, which was a tenth of a cache hit's cost.
func first(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// pageParam reads ?page=N: 1 when absent, a 400 when it is not a page number.
func pageParam(r *http.Request) (int, error) {
	s := r.URL.Query().Get("page")
	if s == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 1_000_000 {
		return 0, fmt.Errorf("%w: page must be a number from 1, not %q", store.ErrInvalid, s)
	}
	return n, nil
}

const badRev = "A revision is a whole number from 1, as in ?rev=2."

// revParam reads the revision a passage URL asks for: 0 (the current one) when it names
// none, false when ?rev= is not a whole number from 1.
func revParam(r *http.Request) (int, bool) {
	q := r.URL.Query().Get("rev")
	if q == "" {
		return 0, true
	}
	n, err := strconv.Atoi(q)
	return n, err == nil && n >= 1
}
