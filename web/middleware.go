package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Middleware: security headers, CORS for the API and exports, the encodings a client refuses,
// revalidation by ETag, and the page cache's place in front of the router (fromCache, cached).

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

// appendPageKey appends to dst what a page depends on besides the data version: its URL,
// and the origin that feeds, sitemaps and citations write into their absolute links.
func (s *Server) appendPageKey(dst []byte, r *http.Request) []byte {
	scheme, host := s.originParts(r)
	dst = append(dst, scheme...)
	dst = append(dst, "://"...)
	dst = append(dst, host...)
	return append(dst, r.URL.RequestURI()...)
}

// fromCache answers a GET or HEAD from the page cache before anything else runs: no routing,
// no middleware, no query. A cache hit is most of what the site serves, and this keeps its
// cost near that of writing the bytes. The cached header carries everything the full path
// set (security headers, ETag, caching), so both paths answer alike; a miss goes on to next.
func (s *Server) fromCache(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		v, err := s.store.Version(r.Context())
		if err != nil {
			next.ServeHTTP(w, r) // the full path reports the error
			return
		}
		var buf [256]byte
		p := s.pages.get(v.N, s.appendPageKey(buf[:0], r))
		if p == nil {
			next.ServeHTTP(w, r)
			return
		}
		if r.TLS != nil || s.https {
			w.Header().Set("Strict-Transport-Security", hsts)
		}
		if match := first(r.Header, "If-None-Match"); match != "" && etagMatches(match, p.etag) {
			h := w.Header()
			for k, vs := range p.header {
				h[k] = vs
			}
			w.WriteHeader(http.StatusNotModified)
			return
		}
		s.pages.write(w, r, p)
	})
}

// cached fills the page cache. It runs after revalidate, which has set the ETag and
// answered 304 where it could, and stores only complete 200 responses.
//
// Requests for a page that is being rendered wait for that rendering instead of starting
// their own: after a publish every page is new, and a popular one would otherwise be
// rendered once for each reader waiting for it. They wait for the rendering only (flights).
func (s *Server) cached(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		version, ok := r.Context().Value(versionKey{}).(int64)
		if !ok || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
			next.ServeHTTP(w, r)
			return
		}
		key := string(s.appendPageKey(nil, r)) // a miss's path: the hit's is fromCache
		if p := s.pages.get(version, []byte(key)); p != nil {
			s.pages.write(w, r, p)
			return
		}
		flightKey := strconv.FormatInt(version, 10) + " " + key
		f, leader := s.renders.join(flightKey)
		var rec *recorder
		if leader {
			rec = &recorder{w: w, header: http.Header{}, status: http.StatusOK, overflow: sync.OnceFunc(func() { close(f.released) })}
			func() {
				defer func() {
					// Landed even if the handler panics: its followers render their own.
					rec.abandoned = rec.abandoned || r.Context().Err() != nil
					s.renders.land(flightKey, f, rec)
				}()
				rec.abandoned = true // until the handler returns
				next.ServeHTTP(rec, r)
				rec.abandoned = false
			}()
			if rec.streamed || rec.abandoned {
				return // sent already, or to no one
			}
		} else {
			select {
			case <-f.done:
				rec = f.rec
			case <-f.released: // too big to share: rendered for this reader alone
				next.ServeHTTP(keepWriting(w), r)
				return
			case <-r.Context().Done():
				return
			}
			if rec.streamed || rec.abandoned {
				next.ServeHTTP(keepWriting(w), r) // its reader left it unfinished: our own
				return
			}
		}
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		if rec.status != http.StatusOK || rec.header.Get("Content-Encoding") != "" || w.Header().Get("Set-Cookie") != "" {
			w.WriteHeader(rec.status)
			w.Write(rec.body.Bytes())
			return
		}
		header := w.Header().Clone()            // what the middleware before this one set, and the handler
		header.Del("Strict-Transport-Security") // set per request: it depends on the connection
		// A page the cache does not keep (yet) is answered the same way as one it keeps, but
		// from the recorder's bytes: no copy for a URL asked for once.
		admitted := s.pages.admit(version, key)
		body := rec.body.Bytes()
		if admitted {
			body = bytes.Clone(body) // its own array, sized to the page
		}
		p := &cachedPage{key: key, etag: header.Get("ETag"), header: header, plain: body}
		p.plainLength = []string{strconv.Itoa(len(p.plain))}
		if admitted {
			s.pages.put(version, p)
		}
		s.pages.write(w, r, p)
	})
}
