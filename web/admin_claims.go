package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/store/selector"
	"github.com/sourcebook/sourcebook/web/ui"
)

// claimForm reads the claim form. The browser's selection script sends its offsets in UTF-16
// code units, as a DOM Range counts them; they are converted to code points against the
// block's text here, at the edge, so a quote with an emoji or a combining accent lands on
// the same words. Without the script, the quote is typed and must match exactly.
func (s *Server) claimForm(r *http.Request, sourceSlug string) (ui.ClaimFormView, store.ClaimInput, error) {
	if err := r.ParseForm(); err != nil {
		return ui.ClaimFormView{}, store.ClaimInput{}, err
	}
	f := r.PostForm
	v := ui.ClaimFormView{Statement: f.Get("statement"), Speaker: f.Get("speaker"), Holder: f.Get("holder"),
		Kind: f.Get("kind"), Evidence: f.Get("evidence"), ReportedBy: f.Get("reported_by"), Said: f.Get("said"), Block: f.Get("block"), Quote: f.Get("quote"),
		Occurrence: f.Get("occurrence"), Start16: f.Get("start16"), End16: f.Get("end16"), Stances: map[string]string{}}
	in := store.ClaimInput{Statement: v.Statement, Speaker: v.Speaker, Holder: v.Holder, Kind: v.Kind,
		Evidence: v.Evidence, ReportedBy: v.ReportedBy, Said: strings.TrimSpace(v.Said), Stances: map[string]string{}}
	if in.Speaker == "author" {
		in.Speaker = ""
	}
	for k, vals := range f {
		if issue, ok := strings.CutPrefix(k, "stance-"); ok && len(vals) > 0 && vals[0] != "" {
			in.Stances[issue] = vals[0]
			v.Stances[issue] = vals[0]
		}
	}
	c := store.CitationInput{Block: v.Block, Quote: v.Quote}
	c.Occurrence, _ = strconv.Atoi(v.Occurrence)
	if v.Start16 != "" && v.End16 != "" && sourceSlug != "" {
		_, blocks, err := s.store.SourceOrDraft(r.Context(), sourceSlug)
		if err != nil {
			return v, in, err
		}
		for _, b := range blocks {
			if b.Key != c.Block {
				continue
			}
			a, _ := strconv.Atoi(v.Start16)
			z, _ := strconv.Atoi(v.End16)
			start, ok1 := selector.UTF16ToCodePoints(b.Text, a)
			end, ok2 := selector.UTF16ToCodePoints(b.Text, z)
			if ok1 && ok2 {
				c.Start, c.End = start, end
			}
		}
	}
	if c.Block != "" || c.Quote != "" {
		in.Citations = []store.CitationInput{c}
	}
	return v, in, nil
}

func (s *Server) createClaim(w http.ResponseWriter, r *http.Request) error {
	slug := chi.URLParam(r, "slug")
	v, in, err := s.claimForm(r, slug)
	if err != nil {
		return statusError(http.StatusBadRequest, "The form could not be read.")
	}
	if status, asked, err := s.addActorFromClaimForm(r, &v); asked {
		if err != nil {
			return err
		}
		return s.renderAdminSource(w, r, status, slug, v)
	}
	err = speakerChosen(v, in)
	var claim string
	if err == nil {
		claim, err = s.store.SaveClaim(r.Context(), currentUser(r), slug, "", in)
	}
	return s.afterSave(w, r, err, func(fe store.FieldErrors) error {
		v.Errors = fe
		return s.renderAdminSource(w, r, http.StatusUnprocessableEntity, slug, v)
	}, "/admin/sources/"+slug+"#claim-"+claim, "Claim saved: "+in.Statement)
}

func (s *Server) editClaimForm(w http.ResponseWriter, r *http.Request) error {
	c, err := s.store.ClaimOrDraft(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	v := ui.ClaimFormView{Slug: c.Slug, Statement: c.Statement, Kind: c.Kind, Evidence: string(c.Evidence), Said: c.Said, Stances: map[string]string{}}
	if c.ReportedBy != nil {
		v.ReportedBy = c.ReportedBy.Slug
	}
	if c.Speaker != nil {
		v.Speaker = c.Speaker.Slug
	} else {
		v.Speaker = "author"
	}
	if c.Holder != nil {
		v.Holder = c.Holder.Slug
	}
	for _, st := range c.Stances {
		v.Stances[st.Issue.Slug] = st.Stance
	}
	if len(c.Citations) > 0 {
		v.Block, v.Quote = c.Citations[0].Block.Key, c.Citations[0].Exact
	}
	return s.renderClaimEdit(w, r, http.StatusOK, c, v)
}

func (s *Server) renderClaimEdit(w http.ResponseWriter, r *http.Request, status int, c store.Claim, v ui.ClaimFormView) error {
	ctx := r.Context()
	_, blocks, err := s.store.SourceOrDraft(ctx, c.Source.Slug)
	if err != nil {
		return err
	}
	actors, err := s.store.Actors(ctx)
	if err != nil {
		return err
	}
	issues, err := s.store.Issues(ctx)
	if err != nil {
		return err
	}
	history, err := s.store.Audit(ctx, "claim/"+c.Slug, 20)
	if err != nil {
		return err
	}
	return s.writeHTML(w, r, status, ui.ClaimEditPage(ui.ClaimEditView{Claim: c, Form: v, Blocks: blocks, Actors: actors, Issues: issues, History: history}))
}

func (s *Server) updateClaim(w http.ResponseWriter, r *http.Request) error {
	slug := chi.URLParam(r, "slug")
	c, err := s.store.ClaimOrDraft(r.Context(), slug)
	if err != nil {
		return err
	}
	v, in, err := s.claimForm(r, c.Source.Slug)
	if err != nil {
		return statusError(http.StatusBadRequest, "The form could not be read.")
	}
	v.Slug = slug
	if status, asked, err := s.addActorFromClaimForm(r, &v); asked {
		if err != nil {
			return err
		}
		return s.renderClaimEdit(w, r, status, c, v)
	}
	if err = speakerChosen(v, in); err == nil {
		_, err = s.store.SaveClaim(r.Context(), currentUser(r), "", slug, in)
	}
	return s.afterSave(w, r, err, func(fe store.FieldErrors) error {
		v.Errors = fe
		return s.renderClaimEdit(w, r, http.StatusUnprocessableEntity, c, v)
	}, "/admin/sources/"+c.Source.Slug+"#claim-"+slug, "Claim updated.")
}

func (s *Server) deleteClaim(w http.ResponseWriter, r *http.Request) error {
	slug := chi.URLParam(r, "slug")
	c, err := s.store.ClaimOrDraft(r.Context(), slug)
	if err != nil {
		return err
	}
	if err := s.store.DeleteClaim(r.Context(), currentUser(r), slug); err != nil {
		return err
	}
	s.sessions.Put(r.Context(), "flash", "Claim deleted: "+c.Statement)
	http.Redirect(w, r, "/admin/sources/"+c.Source.Slug, http.StatusSeeOther)
	return nil
}

func (s *Server) linkPrecedent(w http.ResponseWriter, r *http.Request) error {
	slug := chi.URLParam(r, "slug")
	link := r.PostFormValue("action") != "unlink"
	err := s.store.LinkPrecedent(r.Context(), currentUser(r), slug, r.PostFormValue("block"), r.PostFormValue("precedent"), link)
	return s.afterSave(w, r, err, func(fe store.FieldErrors) error {
		return s.renderAdminSource(w, r, http.StatusUnprocessableEntity, slug, ui.ClaimFormView{Kind: "quote", Errors: store.FieldErrors{"precedent": fe["form"]}})
	}, "/admin/sources/"+slug, fmt.Sprintf("Precedent %s %s.", r.PostFormValue("precedent"), map[bool]string{true: "linked", false: "unlinked"}[link]))
}

func (s *Server) adminActors(w http.ResponseWriter, r *http.Request) error {
	return s.renderActors(w, r, http.StatusOK, nil, ui.ActorFormView{Kind: "person"})
}

func (s *Server) renderActors(w http.ResponseWriter, r *http.Request, status int, errs store.FieldErrors, form ui.ActorFormView) error {
	actors, err := s.store.Actors(r.Context())
	if err != nil {
		return err
	}
	form.Errors = errs
	return s.writeHTML(w, r, status, ui.AdminActorsPage(actors, form, s.sessions.PopString(r.Context(), "flash")))
}

func (s *Server) createActor(w http.ResponseWriter, r *http.Request) error {
	form := ui.ActorFormView{Name: r.PostFormValue("name"), Kind: r.PostFormValue("kind"), Aliases: r.PostFormValue("aliases")}
	slug, err := s.store.CreateActor(r.Context(), currentUser(r), form.Name, form.Kind, strings.Split(form.Aliases, ";"))
	return s.afterSave(w, r, err, func(fe store.FieldErrors) error {
		return s.renderActors(w, r, http.StatusUnprocessableEntity, fe, form)
	}, "/admin/actors", "Actor created: "+form.Name+" ("+slug+")")
}

func (s *Server) addAlias(w http.ResponseWriter, r *http.Request) error {
	err := s.store.AddAlias(r.Context(), currentUser(r), r.PostFormValue("actor"), r.PostFormValue("alias"))
	return s.afterSave(w, r, err, func(fe store.FieldErrors) error {
		return s.renderActors(w, r, http.StatusUnprocessableEntity, fe, ui.ActorFormView{Kind: "person"})
	}, "/admin/actors", "Alias added.")
}

func (s *Server) mergeActors(w http.ResponseWriter, r *http.Request) error {
	err := s.store.MergeActors(r.Context(), currentUser(r), r.PostFormValue("from"), r.PostFormValue("into"))
	return s.afterSave(w, r, err, func(fe store.FieldErrors) error {
		return s.renderActors(w, r, http.StatusUnprocessableEntity, fe, ui.ActorFormView{Kind: "person"})
	}, "/admin/actors", "Merged "+r.PostFormValue("from")+" into "+r.PostFormValue("into")+".")
}
