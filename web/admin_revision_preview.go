package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/sourcebook/sourcebook/web/ui"
)

// previewRevision shows an edit before it is saved: the blocks the text now splits into,
// each marked new, reworded or unchanged, and what saving would do to the source's blocks
// and citations, counted by running the save's own re-anchoring and undoing it.
func (s *Server) previewRevision(w http.ResponseWriter, r *http.Request) error {
	slug := chi.URLParam(r, "slug")
	_, current, err := s.store.SourceOrDraft(r.Context(), slug)
	if err != nil {
		return err
	}
	v, errs := sourceForm(r)
	v.Slug, v.Preview = slug, true
	for k, msg := range sourceInput(v).Validate() {
		errs[k] = msg
	}
	if len(errs) == 0 {
		rep, err := s.store.PreviewRevision(r.Context(), slug, sourceInput(v))
		if fe, ok := fieldErrors(err); ok {
			errs = fe
		} else if err != nil {
			return err
		} else {
			v.Revision = &rep
		}
	}
	was := map[string]string{}
	for _, b := range current {
		was[b.Key] = b.Text
	}
	v.BlockChanges = make([]string, len(v.Blocks))
	for i, b := range v.Blocks {
		old, ok := was[b.Key]
		switch {
		case b.Key == "" || !ok:
			v.BlockChanges[i] = "new"
		case old != b.Text:
			v.BlockChanges[i] = "reworded"
		}
	}
	v.Errors = errs
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return s.writeHTML(w, r, status, ui.SourceFormPage(v))
}
