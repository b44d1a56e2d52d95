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
	sources, err := s.store.Sources(r.Context(), "date")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, ui.Home(st, sources))
}

func (s *Server) sourceList(w http.ResponseWriter, r *http.Request) {
	sources, err := s.store.Sources(r.Context(), r.URL.Query().Get("sort"))
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

func (s *Server) notYet(w http.ResponseWriter, r *http.Request) {
	s.renderError(w, r, http.StatusNotFound, "This page is being written.")
}

func (s *Server) passage(w http.ResponseWriter, r *http.Request)       { s.notYet(w, r) }
func (s *Server) actorList(w http.ResponseWriter, r *http.Request)     { s.notYet(w, r) }
func (s *Server) actor(w http.ResponseWriter, r *http.Request)         { s.notYet(w, r) }
func (s *Server) issueList(w http.ResponseWriter, r *http.Request)     { s.notYet(w, r) }
func (s *Server) issue(w http.ResponseWriter, r *http.Request)         { s.notYet(w, r) }
func (s *Server) position(w http.ResponseWriter, r *http.Request)      { s.notYet(w, r) }
func (s *Server) matrix(w http.ResponseWriter, r *http.Request)        { s.notYet(w, r) }
func (s *Server) claim(w http.ResponseWriter, r *http.Request)         { s.notYet(w, r) }
func (s *Server) precedentList(w http.ResponseWriter, r *http.Request) { s.notYet(w, r) }
func (s *Server) comparison(w http.ResponseWriter, r *http.Request)    { s.notYet(w, r) }
func (s *Server) comparisonCSV(w http.ResponseWriter, r *http.Request) { s.notYet(w, r) }
func (s *Server) precedent(w http.ResponseWriter, r *http.Request)     { s.notYet(w, r) }
func (s *Server) timeline(w http.ResponseWriter, r *http.Request)      { s.notYet(w, r) }
func (s *Server) search(w http.ResponseWriter, r *http.Request)        { s.notYet(w, r) }
