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
	Last    string    `json:"last"`
}

type annoPage struct {
	Context    string         `json:"@context,omitempty"`
	ID         string         `json:"id"`
	Type       string         `json:"type"`
	PartOf     *annoPartOf    `json:"partOf,omitempty"`
	Next       string         `json:"next,omitempty"`
	Prev       string         `json:"prev,omitempty"`
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

// annotations serves every citation as an AnnotationCollection with its first page
// embedded, and ?page=N serves page N alone (the Web Annotation Protocol's paging: next,
// prev, partOf, startIndex); per_page sets the page size as for the API's other lists.
func (s *Server) annotations(w http.ResponseWriter, r *http.Request) error {
	p, err := readAPIPage(r)
	if err != nil {
		return err
	}
	list, total, err := s.store.AnnotationPage(r.Context(), p.window())
	if err != nil {
		return err
	}
	if err := outOfRange(p, total); err != nil {
		return err
	}
	base := s.origin(r)
	id := base + "/api/annotations"
	l := p.links(w, r, total)
	items := make([]annotationLD, len(list))
	for i, a := range list {
		items[i] = annotation(base, a)
	}
	page := &annoPage{ID: base + l.self, Type: "AnnotationPage", StartIndex: p.window().Offset, Items: items}
	if l.next != "" {
		page.Next = base + l.next
	}
	if l.prev != "" {
		page.Prev = base + l.prev
	}
	if r.URL.Query().Has("page") {
		page.Context, page.PartOf = "http://www.w3.org/ns/anno.jsonld", &annoPartOf{ID: id, Total: total}
		return s.writeJSONAs(w, r, annoContentType, page)
	}
	return s.writeJSONAs(w, r, annoContentType, annoCollection{Context: "http://www.w3.org/ns/anno.jsonld", ID: id,
		Type: "AnnotationCollection", Label: "Sourcebook: the passages each claim cites", Total: total, First: page, Last: base + l.last})
}

// annotation is one citation. Its id is the claim page with a fragment naming the cited
// block (and the citation's place among the claim's citations of that block), so it stays
// the same when citations elsewhere are added or removed.
func annotation(base string, a store.Annotation) annotationLD {
	ct, originalURL := a.Citation, a.OriginalURL
	frag := "#cite-" + ct.Block.Key
	if a.Nth > 1 {
		frag += "-" + strconv.Itoa(a.Nth)
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
		ID: base + link.Claim(ct.Claim) + frag, Type: "Annotation", Motivation: "describing",
		Created: a.ClaimCreated, Modified: a.ClaimUpdated,
		Body: []annoBody{
			{Type: "TextualBody", Value: a.ClaimStatement, Format: "text/plain", Purpose: "describing"},
			{ID: base + link.Claim(ct.Claim), Type: "Text", Format: "text/html", Purpose: "linking"},
		},
		Target: target,
	}
}
