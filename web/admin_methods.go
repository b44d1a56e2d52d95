package web

import (
	"net/http"
	"strings"
)

// adminMethodNotAllowed answers a request to an admin address with a method it does not
// take: most often a GET of an address a form posts to (a bookmarked or retyped URL after a
// save). The public site's answer, "this site is read-only", is not true here, so this one
// says what the address is for and where its form is.
func adminMethodNotAllowed(w http.ResponseWriter, r *http.Request) error {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		w.Header().Set("Allow", "POST")
		return statusError(http.StatusMethodNotAllowed,
			"This address takes a form submission, not a visit. Its form is at "+adminFormPage(r.URL.Path)+".")
	}
	w.Header().Set("Allow", "GET, POST")
	return statusError(http.StatusMethodNotAllowed, "This address takes GET or POST requests only.")
}

// adminFormPage is the admin page holding the form that posts to path.
func adminFormPage(path string) string {
	p := strings.TrimSuffix(path, "/")
	switch {
	case p == "/admin/issues", p == "/admin/positions", p == "/admin/events", strings.HasPrefix(p, "/admin/precedents"):
		return "/admin/manage"
	case strings.HasPrefix(p, "/admin/users"):
		return "/admin/users"
	case strings.HasPrefix(p, "/admin/actors"):
		return "/admin/actors"
	case p == "/admin/sources/preview", p == "/admin/sources":
		return "/admin/sources/new"
	case strings.HasPrefix(p, "/admin/claims/"):
		if slug, _, ok := strings.Cut(strings.TrimPrefix(p, "/admin/claims/"), "/"); ok {
			return "/admin/claims/" + slug + "/edit"
		}
	case strings.HasPrefix(p, "/admin/sources/"):
		if slug, _, ok := strings.Cut(strings.TrimPrefix(p, "/admin/sources/"), "/"); ok {
			return "/admin/sources/" + slug
		}
	}
	return "/admin/"
}
