package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/store/corpus"
	"github.com/sourcebook/sourcebook/web/intake"
	"github.com/sourcebook/sourcebook/web/ui"
)

// AllowPrivateFetch lets the URL importer fetch from loopback, private and link-local
// addresses: for an operator whose sources live on an intranet, and for tests that serve a
// page from 127.0.0.1. Off by default, since otherwise any editor could make the server
// read its own network.
func AllowPrivateFetch() Option {
	return func(s *Server) { s.fetch.AllowPrivate = true }
}

// importSource fills the new-source form from a web page (fetched by its address, uploaded
// as a saved .html file, or pasted as HTML) and shows the preview, with its duplicates.
// Nothing is saved: the editor checks the fields and the blocks, then saves as usual.
func (s *Server) importSource(w http.ResponseWriter, r *http.Request) error {
	v, errs := sourceForm(r)
	if msg, ok := errs["text"]; ok {
		// The import form has no text field: a problem sourceForm puts there (a body over
		// the form's limit) is the import's.
		delete(errs, "text")
		errs["import"] = "Nothing was imported: " + msg + "."
	}
	if v.Kind == "" {
		v.Kind = "news-report"
	}
	f := r.PostForm
	v.Import = ui.ImportView{URL: strings.TrimSpace(f.Get("import_url")), HTML: f.Get("import_html")}
	var (
		body        []byte
		contentType string
		base        *url.URL
		from        string
	)
	fileName, fileBody, fileErr := htmlUpload(r)
	switch {
	case errs["import"] != "": // the form itself could not be read
	case fileErr != "":
		errs["html_file"] = fileErr
	case fileName != "":
		body, from = fileBody, "the saved page "+fileName
	case strings.TrimSpace(v.Import.HTML) != "":
		body, contentType, from = []byte(v.Import.HTML), "text/html; charset=utf-8", "the pasted HTML"
	case v.Import.URL != "":
		page, err := intake.Fetch(r.Context(), s.fetch, v.Import.URL)
		var ref *intake.Refusal
		if errors.As(err, &ref) {
			errs["import_url"] = ref.Msg
		} else if err != nil {
			return err
		}
		body, contentType, base, from = page.Body, page.ContentType, page.URL, v.Import.URL
	default:
		errs["import"] = "Give a web address, a saved .html page, or the page's HTML."
	}
	if len(errs) > 0 {
		v.Errors = errs
		return s.writeHTML(w, r, http.StatusUnprocessableEntity, ui.SourceFormPage(v))
	}
	imp, err := intake.Extract(body, contentType, base)
	var ref *intake.Refusal
	if errors.As(err, &ref) {
		v.Errors = store.FieldErrors{"import": "Nothing was imported: " + ref.Msg + "."}
		return s.writeHTML(w, r, http.StatusUnprocessableEntity, ui.SourceFormPage(v))
	} else if err != nil {
		return err
	}
	// What the page states replaces the form's field; what it does not state leaves the
	// field as the editor typed it (empty, on a fresh form).
	set := func(field *string, val string) {
		if val != "" {
			*field = val
		}
	}
	set(&v.Title, imp.Title)
	set(&v.Authors, strings.Join(imp.Authors, "; "))
	set(&v.Published, imp.Published)
	set(&v.Publisher, imp.Publisher)
	set(&v.URL, imp.URL)
	set(&v.Language, imp.Language)
	if base != nil {
		v.Retrieved = time.Now().UTC().Format("2006-01-02") // read from the web just now
	}
	v.Text = corpus.FormatText(imp.Blocks)
	v.Blocks = corpus.ParseText(v.Text)
	v.Import.HTML = "" // imported: not sent again with every preview
	v.Import.From = from
	// A page imported afresh is reviewed afresh: the keeps, kinds and fingerprints the form
	// carried belong to the text it replaces.
	for k := range r.PostForm {
		if k == "op" || strings.HasPrefix(k, "seen-") || strings.HasPrefix(k, "keep-") || strings.HasPrefix(k, "kind-") {
			delete(r.PostForm, k)
		}
	}
	return s.showPreview(w, r, v, store.FieldErrors{})
}

// htmlUpload reads the saved page uploaded with the import form, if any: its name and
// bytes, or what is wrong with it. The form's body limit caps its size.
func htmlUpload(r *http.Request) (name string, body []byte, problem string) {
	if r.MultipartForm == nil || len(r.MultipartForm.File["html_file"]) == 0 {
		return "", nil, ""
	}
	fh := r.MultipartForm.File["html_file"][0]
	if fh.Filename == "" && fh.Size == 0 {
		return "", nil, "" // the file input left empty
	}
	switch ext := strings.ToLower(path.Ext(fh.Filename)); {
	case ext != ".html" && ext != ".htm" && ext != ".xhtml":
		return "", nil, fmt.Sprintf("%s is not a saved web page (.html or .htm)", fh.Filename)
	case fh.Size > intake.MaxPageBytes:
		return "", nil, fmt.Sprintf("%s is larger than %d MB", fh.Filename, intake.MaxPageBytes>>20)
	}
	file, err := fh.Open()
	if err != nil {
		return "", nil, fmt.Sprintf("%s could not be read", fh.Filename)
	}
	defer file.Close()
	b, err := io.ReadAll(io.LimitReader(file, intake.MaxPageBytes+1))
	switch {
	case err != nil:
		return "", nil, fmt.Sprintf("%s could not be read", fh.Filename)
	case len(b) > intake.MaxPageBytes: // larger than its header said
		return "", nil, fmt.Sprintf("%s is larger than %d MB", fh.Filename, intake.MaxPageBytes>>20)
	}
	return fh.Filename, b, ""
}
