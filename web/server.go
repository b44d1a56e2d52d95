// Package web serves the public, read-only reading site over HTTP.
package web

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/sourcebook/sourcebook/static"
	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/web/ui"
)

// Server holds what the handlers need. Build it with New; it has no package-level state.
type Server struct {
	store *store.Store
	log   *slog.Logger
}

// New returns a server reading from st.
func New(st *store.Store, log *slog.Logger) *Server {
	return &Server{store: st, log: log}
}

// Handler is the site's HTTP handler: every route in one table.
func (s *Server) Handler() http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.Recoverer)
	r.Get("/", s.home)
	r.Get("/sources", s.sources)
	r.Get("/sources/{slug}", s.source)
	r.Get("/healthz", s.healthz)
	staticFS, _ := fs.Sub(static.FS, ".")
	r.Handle("/static/*", http.StripPrefix("/static/", http.FileServerFS(staticFS)))
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusNotFound, "There is no page at this address.")
	})
	return r
}

// render renders c into memory first, so a failure never sends half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	var buf bytes.Buffer
	if err := c.Render(r.Context(), &buf); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// fail answers an error from below: a missing record is a 404 page, anything else is logged
// and answered with a 500 page that gives nothing away.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, store.ErrNotFound):
		s.renderError(w, r, http.StatusNotFound, "There is nothing at this address.")
	case errors.Is(err, context.Canceled):
		// The client went away; there is no one to answer.
	default:
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "Something went wrong on our side. It has been logged.")
	}
}

func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	var buf bytes.Buffer
	if err := ui.ErrorPage(status, msg).Render(r.Context(), &buf); err != nil {
		http.Error(w, msg, status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}
