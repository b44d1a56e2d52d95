package intake

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strings"

	"github.com/sourcebook/sourcebook/store/corpus"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Meta is what a page says about itself in its markup. Each field is taken from what the
// page states explicitly, in this order: JSON-LD (schema.org Article), Highwire citation_*
// tags (the scholarly ones, exact where present), Open Graph; a field none of them states is
// left empty rather than guessed from the page's visible text.
type Meta struct {
	Title     string
	Authors   []string
	Published string // ISO 8601, cut to the precision the page gives: YYYY-MM-DD, YYYY-MM or YYYY
	Publisher string
	URL       string // canonical, else og:url, else the address the page was read from
	Language  string // the primary language subtag of <html lang>
}

// pageTags are the <meta>, <link rel=canonical>, JSON-LD and lang of a document.
type pageTags struct {
	meta      map[string][]string // by lower-cased name or property, in document order
	canonical string
	jsonLD    []string
	lang      string
}

func readTags(doc *html.Node) pageTags {
	t := pageTags{meta: map[string][]string{}}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Html:
				if t.lang == "" {
					t.lang = attr(n, "lang")
				}
			case atom.Meta:
				content := strings.TrimSpace(attr(n, "content"))
				for _, k := range []string{attr(n, "name"), attr(n, "property"), attr(n, "itemprop")} {
					if k = strings.ToLower(strings.TrimSpace(k)); k != "" && content != "" {
						t.meta[k] = append(t.meta[k], content)
					}
				}
			case atom.Link:
				if t.canonical == "" && hasToken(attr(n, "rel"), "canonical") {
					t.canonical = strings.TrimSpace(attr(n, "href"))
				}
			case atom.Script:
				if strings.EqualFold(strings.TrimSpace(attr(n, "type")), "application/ld+json") && n.FirstChild != nil {
					t.jsonLD = append(t.jsonLD, n.FirstChild.Data)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return t
}

func (t pageTags) first(names ...string) string {
	for _, n := range names {
		if v := t.meta[n]; len(v) > 0 {
			return clean(v[0])
		}
	}
	return ""
}

// readMeta reads the page's metadata; base is where the page was read from (nil for pasted
// or uploaded HTML, whose address only its own tags can tell).
func readMeta(doc *html.Node, base *url.URL) Meta {
	t := readTags(doc)
	ld := articleLD(t.jsonLD)
	var m Meta
	m.Title = firstNonEmpty(ld.headline, t.first("citation_title"), t.first("og:title"))
	switch {
	case len(ld.authors) > 0:
		m.Authors = ld.authors
	case len(t.meta["citation_author"]) > 0:
		m.Authors = uniq(t.meta["citation_author"])
	case t.first("author") != "":
		m.Authors = []string{t.first("author")}
	}
	m.Published = firstNonEmpty(isoDate(ld.published), isoDate(t.first("citation_publication_date")),
		isoDate(t.first("citation_date")), isoDate(t.first("article:published_time")))
	m.Publisher = firstNonEmpty(ld.publisher, t.first("citation_journal_title"), t.first("citation_publisher"),
		t.first("og:site_name"))
	for _, c := range []string{t.canonical, t.first("og:url")} {
		if u := absoluteHTTP(base, c); u != "" {
			m.URL = u
			break
		}
	}
	if m.URL == "" && base != nil {
		m.URL = base.String()
	}
	if lang, _, _ := strings.Cut(strings.TrimSpace(t.lang), "-"); regexp.MustCompile(`^[A-Za-z]{2,3}$`).MatchString(lang) {
		m.Language = strings.ToLower(lang)
	}
	return m
}

// ldArticle is what the page's schema.org Article (or NewsArticle, BlogPosting…) says.
type ldArticle struct {
	headline, published, publisher string
	authors                        []string
}

var articleTypes = map[string]bool{"article": true, "newsarticle": true, "reportagenewsarticle": true,
	"analysisnewsarticle": true, "opinionnewsarticle": true, "backgroundnewsarticle": true, "reviewnewsarticle": true,
	"blogposting": true, "socialmediaposting": true, "scholarlyarticle": true, "report": true, "techarticle": true,
	"liveblogposting": true}

// articleLD finds the first Article-like object in the page's JSON-LD blocks, looking
// inside arrays and @graph.
func articleLD(blocks []string) ldArticle {
	var found map[string]any
	var visit func(v any)
	visit = func(v any) {
		if found != nil {
			return
		}
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				visit(e)
			}
		case map[string]any:
			if isArticleType(x["@type"]) {
				found = x
				return
			}
			if g, ok := x["@graph"]; ok {
				visit(g)
			}
		}
	}
	for _, b := range blocks {
		var v any
		// Some pages wrap their JSON-LD in an HTML comment or CDATA; the JSON itself is what counts.
		b = strings.TrimSpace(b)
		b = strings.TrimSuffix(strings.TrimPrefix(b, "<!--"), "-->")
		if json.Unmarshal([]byte(b), &v) == nil {
			visit(v)
		}
	}
	if found == nil {
		return ldArticle{}
	}
	a := ldArticle{headline: clean(str(found["headline"])), published: str(found["datePublished"])}
	if a.headline == "" {
		a.headline = clean(str(found["name"]))
	}
	a.authors = uniq(people(found["author"]))
	if p := names(found["publisher"]); len(p) > 0 {
		a.publisher = p[0]
	}
	return a
}

func isArticleType(t any) bool {
	switch x := t.(type) {
	case string:
		return articleTypes[strings.ToLower(x)]
	case []any:
		for _, e := range x {
			if isArticleType(e) {
				return true
			}
		}
	}
	return false
}

// people reads the authors of a JSON-LD record: its names, less any Organization named as
// the author ("Reuters"), which is the outlet, not a person who wrote the piece, and must not
// become an author, nor a byline for the clutter check.
func people(v any) []string {
	if list, ok := v.([]any); ok {
		var out []string
		for _, e := range list {
			out = append(out, people(e)...)
		}
		return out
	}
	if m, ok := v.(map[string]any); ok && strings.HasSuffix(str(m["@type"]), "Organization") {
		return nil
	}
	return names(v)
}

// names reads a schema.org Person or Organization, or a list of them, or plain strings.
func names(v any) []string {
	var out []string
	switch x := v.(type) {
	case string:
		if s := clean(x); s != "" {
			out = append(out, s)
		}
	case map[string]any:
		if s := clean(str(x["name"])); s != "" {
			out = append(out, s)
		}
	case []any:
		for _, e := range x {
			out = append(out, names(e)...)
		}
	}
	return out
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

var isoDateRe = regexp.MustCompile(`^(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?(?:[T\s]|$)`)

// isoDate cuts a stated date to the precision it gives: "2025-08-18T10:00:00Z" and
// "2025/08/18" give "2025-08-18", "2025-08" stays a month, "2025" a year. The date is the
// one the page wrote, in its own time zone, not shifted to UTC. Anything else ("last
// Tuesday", "18 Aug 2025") gives "": the editor types it, no parser guesses it.
func isoDate(s string) string {
	m := isoDateRe.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return ""
	}
	out := m[1]
	for _, part := range m[2:] {
		if part == "" {
			break
		}
		if len(part) == 1 {
			part = "0" + part
		}
		if !corpus.ValidDate(out + "-" + part) {
			break // not a month, or not a day of it (2025-02-31): keep what is certain
		}
		out += "-" + part
	}
	return out
}

// absoluteHTTP resolves ref against base and keeps it only if it is an http(s) URL.
func absoluteHTTP(base *url.URL, ref string) string {
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	u.Fragment = ""
	return u.String()
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

// clean collapses whitespace; metadata is plain text on one line.
func clean(s string) string { return strings.Join(strings.Fields(html.UnescapeString(s)), " ") }

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

func uniq(vs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range vs {
		v = clean(v)
		if k := strings.ToLower(v); v != "" && !seen[k] {
			seen[k] = true
			out = append(out, v)
		}
	}
	return out
}
