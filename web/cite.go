package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/web/link"
)

// Citations of a source or of one passage in BibTeX, RIS and CSL-JSON. They say only what
// the source states: no author field when it names none, the date to its known precision,
// the original publisher (and, in a note, where this copy was captured), and an access date
// only when the capture records one.

// reference is what a citation says, whatever the format.
type reference struct {
	ID        string // BibTeX key and CSL id
	Kind      string // the source's kind
	Title     string
	Authors   []string
	Publisher string
	Issued    string // ISO 8601 cut to its precision, or ""
	URL       string
	Accessed  string // when URL was retrieved, or ""
	Language  string
	Locator   string // where the passage is in the text: "para. 4", "n. 5"; "" for a whole source
	Notes     []string
}

// sourceReference cites a whole source: at its original URL when known, else at its page here.
func sourceReference(base string, src store.Source) reference {
	ref := reference{ID: src.Slug, Kind: src.Kind, Title: src.Title, Authors: src.Authors, Publisher: src.Publisher,
		Issued: src.Published, URL: src.URL, Accessed: src.Retrieved, Language: src.Language}
	if ref.URL == "" {
		ref.URL, ref.Accessed = base+link.Source(src.Slug), ""
	}
	if src.CapturedFrom != "" {
		ref.Notes = append(ref.Notes, "captured from "+src.CapturedFrom)
	}
	return ref
}

// passageReference cites one block at the revision shown, by the locator it has in that
// revision and the permalink of that revision, so the two agree for as long as the citation
// is read. Cited at an old revision whose locator has moved, the note says where it is now.
func passageReference(base string, p store.Passage) reference {
	src := p.Source
	ref := sourceReference(base, src)
	ref.ID, ref.URL, ref.Accessed, ref.Locator = src.Slug+"-"+p.Block.Key, base+link.Passage(src.Slug, p.Block.Key, p.Shown.Rev), "", p.Locator()
	var notes []string
	if m := p.Moved(); m != "" {
		notes = append(notes, m)
	} else if ref.Locator != "" {
		notes = append(notes, ref.Locator)
	}
	if src.URL != "" {
		notes = append(notes, "original at "+src.URL)
	}
	ref.Notes = append(notes, ref.Notes...)
	return ref
}

// note joins the notes into one sentence-like string.
func (ref reference) note() string {
	n := strings.Join(ref.Notes, "; ")
	if strings.HasPrefix(n, "captured") || strings.HasPrefix(n, "original") {
		n = strings.ToUpper(n[:1]) + n[1:]
	}
	return n
}

// citeFormat is one citation format: its media type and how to write a reference in it.
type citeFormat struct {
	contentType string
	render      func(reference) ([]byte, error)
}

var citeFormats = map[string]citeFormat{
	"bib":  {"application/x-bibtex; charset=utf-8", func(r reference) ([]byte, error) { return []byte(bibtex(r)), nil }},
	"ris":  {"application/x-research-info-systems; charset=utf-8", func(r reference) ([]byte, error) { return []byte(ris(r)), nil }},
	"json": {"application/vnd.citationstyles.csl+json", cslJSON},
}

func (s *Server) citeSource(w http.ResponseWriter, r *http.Request) error {
	f, ok := citeFormats[chi.URLParam(r, "format")]
	if !ok {
		return store.ErrNotFound
	}
	src, _, err := s.store.SourceWithBlocks(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	return s.writeCite(w, r, f, sourceReference(s.origin(r), src))
}

func (s *Server) citePassage(w http.ResponseWriter, r *http.Request) error {
	f, ok := citeFormats[chi.URLParam(r, "format")]
	if !ok {
		return store.ErrNotFound
	}
	rev, ok := revParam(r)
	if !ok {
		return &httpError{status: http.StatusBadRequest, msg: badRev, plain: true}
	}
	p, err := s.store.Passage(r.Context(), chi.URLParam(r, "slug"), chi.URLParam(r, "key"), rev)
	if err != nil {
		return err
	}
	return s.writeCite(w, r, f, passageReference(s.origin(r), p))
}

func (s *Server) writeCite(w http.ResponseWriter, r *http.Request, f citeFormat, ref reference) error {
	b, err := f.render(ref)
	if err != nil {
		return fmt.Errorf("cite %s: %w", ref.ID, err)
	}
	w.Header().Set("Content-Type", f.contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+ref.ID+"."+chi.URLParam(r, "format")+`"`)
	w.Write(b)
	return nil
}

// dateParts splits an ISO date cut to its precision into year, month, day as given.
func dateParts(iso string) []int {
	var parts []int
	for _, p := range strings.SplitN(iso, "-", 3) {
		if len(p) > 2 && len(parts) > 0 {
			p = p[:2] // a day followed by a time
		}
		n, err := strconv.Atoi(p)
		if err != nil {
			break
		}
		parts = append(parts, n)
	}
	if len(parts) == 0 || parts[0] < 1000 {
		return nil
	}
	return parts
}

// BibTeX.

var bibMonths = [...]string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// bibtex writes a @misc entry, which every style accepts; biblatex also reads date, urldate
// and publisher. A name is braced when it holds a comma or " and ", so BibTeX takes it
// whole instead of guessing its parts.
func bibtex(ref reference) string {
	var b strings.Builder
	field := func(name, value string) { fmt.Fprintf(&b, "  %s = {%s},\n", name, value) }
	fmt.Fprintf(&b, "@misc{%s,\n", ref.ID)
	field("title", "{"+bibEscape(ref.Title)+"}")
	if len(ref.Authors) > 0 {
		names := make([]string, len(ref.Authors))
		for i, a := range ref.Authors {
			names[i] = bibEscape(a)
			if strings.Contains(a, ",") || strings.Contains(a, " and ") {
				names[i] = "{" + names[i] + "}"
			}
		}
		field("author", strings.Join(names, " and "))
	}
	if ref.Publisher != "" {
		field("publisher", bibEscape(ref.Publisher))
	}
	if d := dateParts(ref.Issued); d != nil {
		field("year", strconv.Itoa(d[0]))
		if len(d) > 1 && d[1] >= 1 && d[1] <= 12 {
			fmt.Fprintf(&b, "  month = %s,\n", bibMonths[d[1]-1])
		}
		field("date", ref.Issued)
	}
	field("url", strings.NewReplacer("{", "%7B", "}", "%7D").Replace(ref.URL))
	if ref.Accessed != "" {
		field("urldate", ref.Accessed)
	}
	if n := ref.note(); n != "" {
		field("note", bibEscape(n))
	}
	b.WriteString("}\n")
	return b.String()
}

var bibReplacer = strings.NewReplacer(`\`, `\textbackslash{}`, "{", `\{`, "}", `\}`, "&", `\&`, "%", `\%`,
	"$", `\$`, "#", `\#`, "_", `\_`, "~", `\textasciitilde{}`, "^", `\textasciicircum{}`)

func bibEscape(s string) string { return bibReplacer.Replace(s) }

// RIS.

var risTypes = map[string]string{"news-report": "NEWS", "analysis": "GEN", "primary-document": "GEN", "official-statement": "GEN"}

// ris writes a RIS record, CRLF line ends as the format's reference asks. The paragraph goes
// in N1 (a note), not SP: SP is a page number, and importers would print it as one.
func ris(ref reference) string {
	var b strings.Builder
	line := func(tag, value string) {
		value = strings.Join(strings.Fields(value), " ") // RIS fields are one line each
		fmt.Fprintf(&b, "%s  - %s\r\n", tag, value)
	}
	ty := risTypes[ref.Kind]
	if ty == "" {
		ty = "GEN"
	}
	line("TY", ty)
	line("ID", ref.ID)
	line("TI", ref.Title)
	// RIS reads "Last, First"; a name is given as the source prints it, so a name with a
	// comma in it ("Jagatbir Singh, VSM (Retd)") is split there by importers. RIS has no
	// way to mark a name as literal, and reordering it would be a guess.
	for _, a := range ref.Authors {
		line("AU", a)
	}
	if ref.Publisher != "" {
		line("PB", ref.Publisher)
	}
	if d := dateParts(ref.Issued); d != nil {
		line("PY", fmt.Sprintf("%04d", d[0]))
		da := fmt.Sprintf("%04d/", d[0])
		for _, p := range d[1:] {
			da += fmt.Sprintf("%02d", p)
			da += "/"
		}
		da += strings.Repeat("/", 3-len(d))
		line("DA", da)
	}
	line("UR", ref.URL)
	if ref.Accessed != "" {
		line("Y2", ref.Accessed)
	}
	if ref.Language != "" {
		line("LA", ref.Language)
	}
	if n := ref.note(); n != "" {
		line("N1", n)
	}
	b.WriteString("ER  - \r\n")
	return b.String()
}

// CSL-JSON.

var cslTypes = map[string]string{"news-report": "article-newspaper", "analysis": "article",
	"primary-document": "document", "official-statement": "document"}

type cslItem struct {
	ID        string    `json:"id"`
	Type      string    `json:"type"`
	Title     string    `json:"title"`
	Author    []cslName `json:"author,omitempty"`
	Publisher string    `json:"publisher,omitempty"`
	Issued    *cslDate  `json:"issued,omitempty"`
	URL       string    `json:"URL"`
	Accessed  *cslDate  `json:"accessed,omitempty"`
	Language  string    `json:"language,omitempty"`
	Note      string    `json:"note,omitempty"`
	Locator   string    `json:"locator,omitempty"`
	Label     string    `json:"label,omitempty"`
}

// cslName is an author as the source prints the name: a literal, since splitting it into
// family and given names would be a guess.
type cslName struct {
	Literal string `json:"literal"`
}

type cslDate struct {
	DateParts [][]int `json:"date-parts,omitempty"`
	Raw       string  `json:"raw,omitempty"`
}

func cslDateOf(iso string) *cslDate {
	if iso == "" {
		return nil
	}
	if d := dateParts(iso); d != nil {
		return &cslDate{DateParts: [][]int{d}}
	}
	return &cslDate{Raw: iso}
}

// cslLabels are the CSL locator labels of Sourcebook's locators.
var cslLabels = map[string]string{"para.": "paragraph", "n.": "note"}

// cslJSON writes a one-item CSL-JSON array. A passage's paragraph is given as locator and
// label "paragraph" (a footnote's as label "note"): CSL defines those on the citation
// rather than the item, so a tool may ignore them, and the note says "para. N" as well.
func cslJSON(ref reference) ([]byte, error) {
	item := cslItem{ID: ref.ID, Type: cslTypes[ref.Kind], Title: ref.Title, Publisher: ref.Publisher,
		Issued: cslDateOf(ref.Issued), URL: ref.URL, Accessed: cslDateOf(ref.Accessed), Language: ref.Language,
		Note: ref.note()}
	if item.Type == "" {
		item.Type = "document"
	}
	for _, a := range ref.Authors {
		item.Author = append(item.Author, cslName{Literal: a})
	}
	if word, n, ok := strings.Cut(ref.Locator, " "); ok {
		item.Locator, item.Label = n, cslLabels[word]
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	err := enc.Encode([]cslItem{item})
	return buf.Bytes(), err
}
