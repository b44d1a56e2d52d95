package web

import (
	"net/http"
	"strconv"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/web/link"
)

// annoContentType is the media type the W3C Web Annotation Protocol asks for.
const annoContentType = `application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"`

// Every citation is published as a W3C Web Annotation: the body is the claim (its statement
// and its page), the target the words it quotes. The target's source is our passage
// permalink at the cited revision, with a TextQuoteSelector and a TextPositionSelector. As the
// model asks, the position counts Unicode code points, but into the text of the block alone
// (as the API gives it), not into the whole passage page. When the original article's URL is
// known it is a second target, with the quote selector only, since offsets in the original
// document are not known.

type annoCollection struct {
	Context string    `json:"@context"`
	ID      string    `json:"id"`
	Type    string    `json:"type"`
	Label   string    `json:"label"`
	Total   int       `json:"total"`
	First   *annoPage `json:"first"`
}

type annoPage struct {
	Context    string         `json:"@context,omitempty"`
	ID         string         `json:"id"`
	Type       string         `json:"type"`
	PartOf     *annoPartOf    `json:"partOf,omitempty"`
	StartIndex int            `json:"startIndex"`
	Items      []annotationLD `json:"items"`
}

type annoPartOf struct {
	ID    string `json:"id"`
	Total int    `json:"total"`
}

type annotationLD struct {
	ID         string     `json:"id"`
	Type       string     `json:"type"`
	Motivation string     `json:"motivation"`
	Created    string     `json:"created,omitempty"`
	Modified   string     `json:"modified,omitempty"`
	Body       []annoBody `json:"body"`
	Target     any        `json:"target"` // one annoTarget, or two when the original URL is known
}

type annoBody struct {
	ID      string `json:"id,omitempty"`
	Type    string `json:"type"`
	Value   string `json:"value,omitempty"`
	Format  string `json:"format"`
	Purpose string `json:"purpose"`
}

type annoTarget struct {
	Source   string `json:"source"`
	Selector any    `json:"selector"`
}

type quoteSelector struct {
	Type   string `json:"type"`
	Exact  string `json:"exact"`
	Prefix string `json:"prefix,omitempty"`
	Suffix string `json:"suffix,omitempty"`
}

type positionSelector struct {
	Type  string `json:"type"`
	Start int    `json:"start"` // code points into the block's text
	End   int    `json:"end"`
}

// annotations serves every citation as an AnnotationCollection, its one page embedded;
// ?page=1 serves that page alone, so the page's id resolves.
func (s *Server) annotations(w http.ResponseWriter, r *http.Request) {
	page := r.URL.Query().Get("page")
	if page != "" && page != "1" {
		s.jsonError(w, http.StatusNotFound, "The annotations fit on one page: ?page=1.")
		return
	}
	ctx := r.Context()
	claims, err := s.store.Claims(ctx, store.ClaimFilter{})
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	sources, err := s.store.Sources(ctx, "")
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	original := map[string]string{}
	for _, src := range sources {
		original[src.Slug] = src.URL
	}
	base := origin(r)
	id := base + "/api/annotations"
	items := []annotationLD{}
	for _, c := range claims {
		seen := map[string]int{}
		for _, ct := range c.Citations {
			seen[ct.Block.Key]++
			items = append(items, annotation(base, c, ct, seen[ct.Block.Key], original[ct.Block.Source.Slug]))
		}
	}
	p := &annoPage{ID: id + "?page=1", Type: "AnnotationPage", Items: items}
	if page == "1" {
		p.Context, p.PartOf = "http://www.w3.org/ns/anno.jsonld", &annoPartOf{ID: id, Total: len(items)}
		s.writeJSONAs(w, r, annoContentType, p)
		return
	}
	s.writeJSONAs(w, r, annoContentType, annoCollection{Context: "http://www.w3.org/ns/anno.jsonld", ID: id,
		Type: "AnnotationCollection", Label: "Sourcebook: the passages each claim cites", Total: len(items), First: p})
}

// annotation is one citation of c. Its id is the claim page with a fragment naming the cited
// block (and the citation's place among the claim's citations of that block), so it stays
// the same when citations elsewhere are added or removed.
func annotation(base string, c store.Claim, ct store.Citation, nth int, originalURL string) annotationLD {
	frag := "#cite-" + ct.Block.Key
	if nth > 1 {
		frag += "-" + strconv.Itoa(nth)
	}
	ours := annoTarget{Source: base + citedURL(ct), Selector: []any{
		quoteSelector{Type: "TextQuoteSelector", Exact: ct.Exact, Prefix: ct.Prefix, Suffix: ct.Suffix},
		positionSelector{Type: "TextPositionSelector", Start: ct.Start, End: ct.End},
	}}
	var target any = ours
	if originalURL != "" {
		target = []annoTarget{
			{Source: originalURL, Selector: quoteSelector{Type: "TextQuoteSelector", Exact: ct.Exact, Prefix: ct.Prefix, Suffix: ct.Suffix}},
			ours,
		}
	}
	return annotationLD{
		ID: base + link.Claim(c.Slug) + frag, Type: "Annotation", Motivation: "describing",
		Created: c.CreatedAt, Modified: c.UpdatedAt,
		Body: []annoBody{
			{Type: "TextualBody", Value: c.Statement, Format: "text/plain", Purpose: "describing"},
			{ID: base + link.Claim(c.Slug), Type: "Text", Format: "text/html", Purpose: "linking"},
		},
		Target: target,
	}
}
