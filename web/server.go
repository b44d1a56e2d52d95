// Package web serves the site over HTTP: the public pages, which cannot write, the JSON API,
// exports, citations and feeds, and the editors' admin behind a session.
package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/a-h/templ"
	"github.com/alexedwards/scs/sqlite3store"
	"github.com/alexedwards/scs/v2"

	"github.com/sourcebook/sourcebook/static"
	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/web/intake"
)

// Server holds what the handlers need. Build it with New; it has no package-level state.
type Server struct {
	store    *store.Store
	log      *slog.Logger
	build    string // identifies the code that renders pages, for ETags
	sessions *scs.SessionManager
	limiter  *loginLimiter
	pages    *pageCache
	texts    *textCache          // sources' rendered texts, by text version (textcache.go)
	renders  flights             // pages being rendered, by version and key (pagecache.go)
	dbCopies dbCopies            // the database copy /export/sourcebook.db sends (dbexport.go)
	base     string              // the public base URL, "https://example.org"; "" to use each request's Host
	https    bool                // served over HTTPS (perhaps behind a proxy): HSTS, https URLs
	fetch    intake.FetchOptions // what the URL importer may fetch (admin_import.go)
}

// Option configures a Server.
type Option func(*Server)

// SecureCookies marks the session cookie Secure: set it when the site is served over TLS
// (directly or behind a proxy that terminates it).
func SecureCookies() Option {
	return func(s *Server) {
		if s.sessions != nil {
			s.sessions.Cookie.Secure = true
		}
	}
}

// BaseURL makes every absolute URL the site writes (feeds, sitemap, citations, JSON-LD,
// annotations) begin with base, as ParseBaseURL returns it, whatever Host a request names.
func BaseURL(base string) Option {
	return func(s *Server) { s.base = base }
}

// BehindHTTPS says the site is served over HTTPS, directly or behind a proxy that terminates
// TLS: the session cookie is Secure, every response carries HSTS, and URLs are https. It is
// one switch so that an operator cannot turn on one and forget the other.
func BehindHTTPS() Option {
	return func(s *Server) {
		s.https = true
		SecureCookies()(s)
	}
}

// New returns a server reading from st.
func New(st *store.Store, log *slog.Logger, opts ...Option) *Server {
	s := &Server{store: st, log: log, build: buildID(), limiter: newLoginLimiter(),
		pages: newPageCache(24 << 20), texts: newTextCache(8 << 20)}
	if !st.ReadOnly() {
		s.sessions = newSessions(st, false)
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

func newSessions(st *store.Store, secure bool) *scs.SessionManager {
	sm := scs.New()
	sm.Store = sqlite3store.NewWithCleanupInterval(st.SessionDB(), 30*time.Minute)
	sm.Lifetime = 12 * time.Hour
	sm.IdleTimeout = 2 * time.Hour
	sm.Cookie.Name = "sourcebook_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = secure
	sm.Cookie.Path = "/admin"
	return sm
}

// Close removes what the server keeps on disk: the database export's copy.
func (s *Server) Close() { s.dbCopies.close() }

// writeHTML answers with c, rendered into memory first so a failure never sends half a page.
func (s *Server) writeHTML(w http.ResponseWriter, r *http.Request, status int, c templ.Component) error {
	var buf bytes.Buffer
	if err := c.Render(r.Context(), &buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
	return nil
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.store.Version(r.Context()); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte("ok\n"))
	return nil
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
