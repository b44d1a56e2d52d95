package web

import (
	"net/http"
)

// openToOtherSites lets scripts on other sites read the API and the exports (CORS). The data
// is public and read-only, and the editors' session cookie is scoped to /admin and never
// sent here, so there is nothing another site could do with it that a reader could not.
// The admin never gets these headers.
func openToOtherSites(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Expose-Headers", "ETag, Link, Last-Modified")
		if r.Method == http.MethodOptions {
			preflight(w)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// preflight answers a browser's CORS preflight for the API and the exports: GET and HEAD,
// with the conditional request header a careful client sends.
func preflight(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "If-None-Match, If-Modified-Since")
	h.Set("Access-Control-Max-Age", "86400")
	h.Set("Allow", "GET, HEAD, OPTIONS")
	w.WriteHeader(http.StatusNoContent)
}
