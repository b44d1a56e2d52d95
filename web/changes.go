package web

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/web/link"
	"github.com/sourcebook/sourcebook/web/ui"
)

// Telling readers when words changed: the word diff of a passage between two revisions
// (/sources/{slug}/{key}/diff?from=1&to=2), which the notice on a quote whose passage has
// changed since it was quoted links to.

const badDiff = "A diff compares two revisions of the passage, given as whole numbers from 1: ?from=1&to=2."

func (s *Server) passageDiff(w http.ResponseWriter, r *http.Request) error {
	slug, key := chi.URLParam(r, "slug"), chi.URLParam(r, "key")
	q := r.URL.Query()
	from, err1 := strconv.Atoi(q.Get("from"))
	to, err2 := strconv.Atoi(q.Get("to"))
	if err1 != nil || err2 != nil || from < 1 || to < 1 {
		return statusError(http.StatusBadRequest, badDiff)
	}
	p, err := s.store.Passage(r.Context(), slug, key, 0)
	if err == store.ErrNotFound {
		return s.passageNotFound(r, slug, key, 0)
	}
	if err != nil {
		return err
	}
	v := ui.PassageDiffView{P: p}
	for _, rv := range p.Revisions {
		if rv.Rev == from {
			v.From = rv
		}
		if rv.Rev == to {
			v.To = rv
		}
	}
	for _, n := range []int{from, to} {
		if (n == from && v.From.Rev == 0) || (n == to && v.To.Rev == 0) {
			return notFound("Passage " + key + " has no revision " + strconv.Itoa(n) + "; it has " +
				strconv.Itoa(len(p.Revisions)) + ". Its current text is at " + link.Passage(slug, key, 0) + ".")
		}
	}
	v.Pieces = ui.WordDiff(v.From.Text, v.To.Text)
	v.Meta = ui.Meta{Title: "Changes to a passage of " + p.Source.Title, Section: "/sources",
		Canonical:   link.PassageDiff(slug, key, from, to),
		Description: "What changed, word by word, between revisions " + strconv.Itoa(from) + " and " + strconv.Itoa(to) + " of a passage of " + p.Source.Title + "."}
	return s.writeHTML(w, r, http.StatusOK, ui.PassageDiffPage(v))
}

// textThen is the whole source as it was when the revision of the passage shown was made,
// for a permalink of an old revision; nil for the current one.
func (s *Server) textThen(r *http.Request, p store.Passage) (*store.TextThen, error) {
	if !p.Revised() {
		return nil, nil
	}
	t, err := s.store.TextAsOf(r.Context(), p.Source.ID, p.Block.ID, p.Shown.Rev)
	if err != nil {
		return nil, err
	}
	return &t, nil
}
