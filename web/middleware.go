package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Middleware: security headers, CORS for the API and exports, the encodings a client refuses,
// and revalidation by ETag.

// versionKey carries the data version a request is served at, for the page cache.
type versionKey struct{}

// revalidate gives every page an ETag made of the data version, the code that renders it and
// the URL, and answers a matching If-None-Match with 304 before doing any work. Pages may be
// cached but must be revalidated (no-cache), so a publish shows at once, even through a proxy.
func (s *Server) revalidate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := s.store.Version(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		// The origin is part of the tag: pages carry absolute URLs, and without a base URL those
		// follow the Host, so a cache that keys on the path alone must still not serve one
		// host's page as another's.
		sum := sha256.Sum256([]byte(fmt.Sprintf("%d\x00%s\x00%s\x00%s", v.N, s.build, s.origin(r), r.URL.RequestURI())))
		etag := `"` + hex.EncodeToString(sum[:12]) + `"`
		h := w.Header()
		h.Set("ETag", etag)
		h.Set("Cache-Control", "public, no-cache")
		h.Add("Vary", "Accept-Encoding")
		if t, err := time.Parse(time.RFC3339, v.UpdatedAt); err == nil {
			h.Set("Last-Modified", t.UTC().Format(http.TimeFormat))
		}
		if match := r.Header.Get("If-None-Match"); match != "" && etagMatches(match, etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), versionKey{}, v.N)))
	})
}

// etagMatches implements If-None-Match's weak comparison over a list of tags.
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

const hsts = "max-age=63072000; includeSubDomains"

// securityHeaders are sent with every response: no inline script or style is allowed, the
// site cannot be framed, and browsers must not guess content types. Over HTTPS, browsers are
// told to use nothing else (HSTS).
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		if r.TLS != nil || s.https {
			h.Set("Strict-Transport-Security", hsts)
		}
		next.ServeHTTP(w, r)
	})
}

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

// refusedEncodings drops the encodings a client weighs at zero from its Accept-Encoding
// before chi's Compress reads it: Compress matches names and ignores weights, so it gzipped
// a page rendered for "gzip;q=0" (only the first request: later ones come from the cache,
// which reads the weights).
func refusedEncodings(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		header := r.Header.Get("Accept-Encoding")
		if !strings.Contains(header, ";") {
			next.ServeHTTP(w, r)
			return
		}
		var kept []string
		for _, part := range strings.Split(header, ",") {
			if _, params, _ := strings.Cut(part, ";"); weighed(params) {
				kept = append(kept, strings.TrimSpace(part))
			}
		}
		r = r.Clone(r.Context())
		r.Header.Set("Accept-Encoding", strings.Join(kept, ", "))
		next.ServeHTTP(w, r)
	})
}

// weighed reports whether an Accept-Encoding entry's parameters leave it acceptable: any
// weight but zero.
func weighed(params string) bool {
	q, ok := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q=")
	if !ok {
		return true
	}
	weight, err := strconv.ParseFloat(q, 64)
	return err != nil || weight > 0
}
