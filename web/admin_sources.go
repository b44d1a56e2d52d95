package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/store/corpus"
	"github.com/sourcebook/sourcebook/web/link"
	"github.com/sourcebook/sourcebook/web/ui"
)

// sourceForm reads the source form: its metadata, its text (typed, pasted, or uploaded as a
// .md or .txt file), and the kinds the editor chose for blocks in the preview.
func sourceForm(r *http.Request) (ui.SourceFormView, store.FieldErrors) {
	errs := store.FieldErrors{}
	if err := r.ParseMultipartForm(maxUploadBytes); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			errs["text"] = fmt.Sprintf("the form is larger than %d MB", tooBig.Limit>>20)
		} else {
			errs["text"] = "the form could not be read"
		}
	}
	f := r.PostForm
	v := ui.SourceFormView{
		Title: f.Get("title"), Subtitle: f.Get("subtitle"), Authors: f.Get("authors"), Publisher: f.Get("publisher"),
		CapturedFrom: f.Get("captured_from"), Published: f.Get("published"), URL: strings.TrimSpace(f.Get("url")),
		Retrieved: f.Get("retrieved"), Kind: f.Get("kind"), Language: f.Get("language"), Notes: f.Get("notes"),
		Text: f.Get("text"),
	}
	if r.MultipartForm != nil && len(r.MultipartForm.File["file"]) > 0 {
		fh := r.MultipartForm.File["file"][0]
		ext := strings.ToLower(path.Ext(fh.Filename))
		switch {
		case fh.Size > maxUploadBytes:
			errs["file"] = fmt.Sprintf("%s is larger than %d KB", fh.Filename, maxUploadBytes>>10)
		case ext != ".md" && ext != ".txt" && ext != ".markdown":
			errs["file"] = fmt.Sprintf("%s is not a .md or .txt file", fh.Filename)
		default:
			file, err := fh.Open()
			if err == nil {
				b, _ := io.ReadAll(io.LimitReader(file, maxUploadBytes+1))
				file.Close()
				if !utf8.Valid(b) {
					errs["file"] = fmt.Sprintf("%s is not UTF-8 text: save it as UTF-8 and upload it again", fh.Filename)
				} else {
					v.Text = string(b)
				}
			}
		}
	}
	if !utf8.ValidString(v.Text) {
		errs["text"] = "the text is not valid UTF-8"
	}
	v.Blocks = corpus.ParseText(v.Text)
	for i := range v.Blocks {
		if k := f.Get("kind-" + strconv.Itoa(i)); k != "" {
			v.Blocks[i].Kind = k
		}
	}
	return v, errs
}

func sourceInput(v ui.SourceFormView) store.SourceInput {
	var authors []string
	for _, a := range strings.Split(v.Authors, ";") {
		if a = strings.TrimSpace(a); a != "" {
			authors = append(authors, a)
		}
	}
	return store.SourceInput{Title: v.Title, Subtitle: v.Subtitle, Publisher: strings.TrimSpace(v.Publisher),
		CapturedFrom: v.CapturedFrom, Published: strings.TrimSpace(v.Published), URL: v.URL,
		Retrieved: strings.TrimSpace(v.Retrieved), Kind: v.Kind, Language: v.Language, Notes: v.Notes,
		Authors: authors, Blocks: v.Blocks}
}

func (s *Server) newSourceForm(w http.ResponseWriter, r *http.Request) error {
	return s.writeHTML(w, r, http.StatusOK, ui.SourceFormPage(ui.SourceFormView{Kind: "news-report", Language: "en"}))
}

// previewSource shows how the text splits into blocks, with a kind for each, and warns of
// a duplicate, before anything is saved.
func (s *Server) previewSource(w http.ResponseWriter, r *http.Request) error {
	v, errs := sourceForm(r)
	return s.showPreview(w, r, v, errs)
}

// showPreview answers the form with its preview, its problems and its possible duplicates.
func (s *Server) showPreview(w http.ResponseWriter, r *http.Request, v ui.SourceFormView, errs store.FieldErrors) error {
	v.Preview = true
	reviewIntake(r, &v, errs, false)
	for k, msg := range sourceInput(v).Validate() {
		errs[k] = msg
	}
	v.Errors = errs
	dups, err := s.store.Duplicates(r.Context(), store.DuplicateQuery{URL: v.URL, Title: v.Title, Blocks: v.Blocks}, "")
	if err != nil {
		return err
	}
	v.Duplicates = dups
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return s.writeHTML(w, r, status, ui.SourceFormPage(v))
}

func (s *Server) createSource(w http.ResponseWriter, r *http.Request) error {
	v, errs := sourceForm(r)
	reshow := func(errs store.FieldErrors) error {
		v.Errors, v.Preview = errs, true
		return s.writeHTML(w, r, http.StatusUnprocessableEntity, ui.SourceFormPage(v))
	}
	reviewIntake(r, &v, errs, true)
	if len(errs) > 0 {
		return reshow(errs)
	}
	in := sourceInput(v)
	in.Notes = withDropNote(in.Notes, v.DropNote)
	slug, err := s.store.CreateSource(r.Context(), currentUser(r), in)
	return s.afterSave(w, r, err, reshow, "/admin/sources/"+slug, "Saved as a draft. Annotate it, then publish it.")
}

func (s *Server) adminSource(w http.ResponseWriter, r *http.Request) error {
	return s.renderAdminSource(w, r, http.StatusOK, chi.URLParam(r, "slug"), ui.ClaimFormView{Kind: "quote"})
}

// renderAdminSource shows a source's admin page: its blocks to annotate, its claims, and the
// claim form (filled in again, with what is wrong, after a failed save).
func (s *Server) renderAdminSource(w http.ResponseWriter, r *http.Request, status int, slug string, form ui.ClaimFormView) error {
	ctx := r.Context()
	src, blocks, err := s.store.SourceOrDraft(ctx, slug)
	if err != nil {
		return err
	}
	claims, err := s.store.ClaimsOfSourceOrDraft(ctx, slug)
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
	precedents, err := s.store.Precedents(ctx)
	if err != nil {
		return err
	}
	history, err := s.store.Audit(ctx, "source/"+slug, 20)
	if err != nil {
		return err
	}
	spans := map[string][]store.Span{}
	flagged := 0
	for _, c := range claims {
		for _, ct := range c.Citations {
			if ct.Status == "orphaned" {
				flagged++
			} else if ct.Block.Rev == ct.Current {
				spans[ct.Block.Key] = append(spans[ct.Block.Key], c.Span(ct))
			}
		}
	}
	v := ui.AdminSourceView{Source: src, Claims: claims, Actors: actors, Issues: issues, Precedents: precedents,
		Form: form, Flash: s.sessions.PopString(ctx, "flash"), History: history, Flagged: flagged,
		PublicURL: link.Source(slug)}
	cb := make([]corpus.Block, 0, len(blocks))
	for _, b := range blocks {
		v.Blocks = append(v.Blocks, store.TextBlock{Block: b, Spans: spans[b.Key]})
		cb = append(cb, corpus.Block{Text: b.Text})
	}
	if src.Status == "draft" {
		// Before publishing, the editor sees what this draft may repeat.
		if v.Duplicates, err = s.store.Duplicates(ctx, store.DuplicateQuery{URL: src.URL, Title: src.Title, Blocks: cb}, slug); err != nil {
			return err
		}
	}
	return s.writeHTML(w, r, status, ui.AdminSourcePage(v))
}

func (s *Server) editSourceForm(w http.ResponseWriter, r *http.Request) error {
	src, blocks, err := s.store.SourceOrDraft(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	cb := make([]corpus.Block, len(blocks))
	for i, b := range blocks {
		cb[i] = corpus.Block{Key: b.Key, Kind: b.Kind, Label: b.Label, Text: b.Text}
	}
	v := ui.SourceFormView{Slug: src.Slug, Title: src.Title, Subtitle: src.Subtitle, Authors: strings.Join(src.Authors, "; "),
		Publisher: src.Publisher, CapturedFrom: src.CapturedFrom, Published: src.Published, URL: src.URL,
		Retrieved: src.Retrieved, Kind: src.Kind, Language: src.Language, Notes: src.Notes, Text: corpus.FormatText(cb)}
	return s.writeHTML(w, r, http.StatusOK, ui.SourceFormPage(v))
}

func (s *Server) reviseSource(w http.ResponseWriter, r *http.Request) error {
	slug := chi.URLParam(r, "slug")
	v, errs := sourceForm(r)
	v.Slug = slug
	reshow := func(errs store.FieldErrors) error {
		v.Errors = errs
		return s.writeHTML(w, r, http.StatusUnprocessableEntity, ui.SourceFormPage(v))
	}
	if len(errs) > 0 {
		return reshow(errs)
	}
	rep, err := s.store.ReviseSource(r.Context(), currentUser(r), slug, sourceInput(v))
	return s.afterSave(w, r, err, reshow, "/admin/sources/"+slug, "Saved. "+rep.Summary())
}

func (s *Server) publishSource(w http.ResponseWriter, r *http.Request) error {
	slug := chi.URLParam(r, "slug")
	publish := r.PostFormValue("publish") == "1"
	if err := s.store.SetPublished(r.Context(), currentUser(r), slug, publish); err != nil {
		return err
	}
	msg := "Taken back to draft: it is no longer public."
	if publish {
		msg = "Published: it is on the public site."
	}
	s.sessions.Put(r.Context(), "flash", msg)
	http.Redirect(w, r, "/admin/sources/"+slug, http.StatusSeeOther)
	return nil
}
