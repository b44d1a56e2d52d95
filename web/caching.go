package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/sourcebook/sourcebook/static"
)

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

// buildID identifies the running code, so a deploy that changes templates or CSS changes
// every ETag: a digest of the executable itself (the VCS revision alone misses uncommitted
// builds), falling back to the start time if the executable cannot be read.
func buildID() string {
	h := sha256.New()
	h.Write([]byte(static.Fingerprint()))
	if exe, err := os.Executable(); err == nil {
		if f, err := os.Open(exe); err == nil {
			defer f.Close()
			if _, err := io.Copy(h, f); err == nil {
				return hex.EncodeToString(h.Sum(nil)[:8])
			}
		}
	}
	fmt.Fprint(h, time.Now().UnixNano())
	return hex.EncodeToString(h.Sum(nil)[:8])
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
