package web

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
)

// dataRoutes registers the JSON API, exports, citation formats, feeds, sitemap and robots.
// The citation routes have a static "cite." segment, which chi prefers to the {key} of a
// passage page, and block keys never contain a dot, so neither can shadow the other.
func (s *Server) dataRoutes(r chi.Router) {
	r.Route("/api", func(r chi.Router) {
		r.NotFound(func(w http.ResponseWriter, r *http.Request) {
			s.jsonError(w, http.StatusNotFound, "There is no API endpoint at this address; see /api for the list.")
		})
		r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", "GET")
			s.jsonError(w, http.StatusMethodNotAllowed, "The API is read-only: use GET.")
		})
		r.Get("/", s.apiIndex)
		for _, e := range apiEndpoints {
			r.Get(strings.TrimPrefix(e.Path, "/api"), e.handler(s))
		}
	})

	r.Get("/export/sourcebook.json", s.exportJSON)
	r.Get("/export/sourcebook.db", s.exportDB)
	for _, t := range csvTables {
		r.Get("/export/"+t.name+".csv", s.exportCSV(t))
	}

	r.Get("/sources/{slug}/cite.{format}", s.citeSource)
	r.Get("/sources/{slug}/{key}/cite.{format}", s.citePassage)

	r.Get("/feed.atom", s.feed)
	r.Get("/sitemap.xml", s.sitemap)
	r.Get("/robots.txt", s.robots)
}

// origin is the site's scheme and host as the client reached it, for the absolute URLs that
// feeds, sitemaps, annotations and citations need. Behind a TLS-terminating proxy the scheme
// comes from X-Forwarded-Proto; the host is the request's own. A host that is not a plain
// host[:port] is replaced, so a forged Host header cannot put markup into a response.
func origin(r *http.Request) string {
	scheme, host := originParts(r)
	return scheme + "://" + host
}

// originParts is origin's scheme and host apart, for a caller that appends them.
func originParts(r *http.Request) (scheme, host string) {
	scheme = "http"
	if r.TLS != nil {
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
