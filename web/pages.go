package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/sourcebook/sourcebook/web/ui"
)

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	st, err := s.store.Stats(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sources, err := s.store.Sources(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, ui.Home(st, sources))
}

func (s *Server) sources(w http.ResponseWriter, r *http.Request) {
	sources, err := s.store.Sources(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, ui.SourcesPage(sources))
}

func (s *Server) source(w http.ResponseWriter, r *http.Request) {
	src, blocks, err := s.store.Source(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	notes, err := renderMarkdown(src.Notes)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, ui.SourcePage(src, blocks, notes))
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if err := s.store.IntegrityCheck(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}
