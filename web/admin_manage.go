package web

import (
	"net/http"
	"strings"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/web/ui"
)

// The manage page holds the forms for what is not a source: issues, positions built from
// claims, precedents and the facts the sources state of them, and timeline events.

func (s *Server) adminManage(w http.ResponseWriter, r *http.Request) error {
	return s.renderManage(w, r, http.StatusOK, map[string]string{}, nil)
}

func (s *Server) renderManage(w http.ResponseWriter, r *http.Request, status int, values map[string]string, errs store.FieldErrors) error {
	ctx := r.Context()
	v := ui.ManageView{Values: values, Errors: errs, Flash: s.sessions.PopString(ctx, "flash")}
	var err error
	if v.Actors, err = s.store.Actors(ctx); err != nil {
		return err
	}
	if v.Issues, err = s.store.Issues(ctx); err != nil {
		return err
	}
	if v.Precedents, err = s.store.Precedents(ctx); err != nil {
		return err
	}
	return s.writeHTML(w, r, status, ui.ManagePage(v))
}

// manageAction handles one of the manage forms: read the fields, save, and either go back
// to the page with a confirmation or show it again with the problems and the values kept.
func (s *Server) manageAction(save func(r *http.Request, f map[string]string) (string, error), fields ...string) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := r.ParseForm(); err != nil {
			return statusError(http.StatusBadRequest, "The form could not be read.")
		}
		values := map[string]string{}
		for _, f := range fields {
			values[f] = strings.TrimSpace(r.PostForm.Get(f))
		}
		msg, err := save(r, values)
		return s.afterSave(w, r, err, func(fe store.FieldErrors) error {
			return s.renderManage(w, r, http.StatusUnprocessableEntity, values, fe)
		}, "/admin/manage", msg)
	}
}

// The manage forms' saves, each saying what it did; the route table gives each its fields.

func (s *Server) saveIssue(r *http.Request, f map[string]string) (string, error) {
	slug, err := s.store.CreateIssue(r.Context(), currentUser(r), f["issue_name"], f["question"], f["proposition"])
	return "Issue added: " + slug, err
}

func (s *Server) savePosition(r *http.Request, f map[string]string) (string, error) {
	err := s.store.SavePosition(r.Context(), currentUser(r), f["actor"], f["issue"], f["summary"], f["override"], f["reason"])
	return "Position saved: " + f["actor"] + " on " + f["issue"], err
}

func (s *Server) savePrecedent(r *http.Request, f map[string]string) (string, error) {
	slug, err := s.store.CreatePrecedent(r.Context(), currentUser(r), f["precedent_name"], f["precedent_kind"], f["date_start"], f["date_end"], f["precedent_summary"])
	return "Precedent added: " + slug, err
}

func (s *Server) saveFact(r *http.Request, f map[string]string) (string, error) {
	err := s.store.AddFact(r.Context(), currentUser(r), f["precedent"], f["aspect"], f["code"], f["fact"], f["fact_source"], f["fact_block"])
	return "Fact added to " + f["precedent"], err
}

func (s *Server) saveEvent(r *http.Request, f map[string]string) (string, error) {
	err := s.store.AddEvent(r.Context(), currentUser(r), f["event_date"], f["event_title"], f["event_source"], f["event_block"], f["event_precedent"])
	return "Event added to the timeline: " + f["event_title"], err
}
