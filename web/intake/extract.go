package intake

import (
	"bytes"
	"net/url"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"

	"github.com/sourcebook/sourcebook/store/corpus"
)

// Import is a page made ready for the source form: its metadata and its article's text as
// blocks, for the editor to check in the preview.
type Import struct {
	Meta
	Blocks []corpus.Block
}

// Extract reads a web page's metadata and its article. The article is found by
// go-readability (a port of Mozilla's Readability, which Firefox's reader view uses), which
// drops navigation, footers, share bars and the like; its markup then becomes plain-text
// blocks. contentType may be empty (an uploaded or pasted page): the page's own <meta
// charset> then says its encoding. base is where the page was read from, or nil.
func Extract(body []byte, contentType string, base *url.URL) (Import, error) {
	enc, _, _ := charset.DetermineEncoding(body, contentType)
	utf8Body, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return Import{}, refuse("the page's text could not be decoded")
	}
	doc, err := html.Parse(bytes.NewReader(utf8Body))
	if err != nil {
		return Import{}, refuse("the page could not be read as HTML")
	}
	imp := Import{Meta: readMeta(doc, base)}
	pageURL := base
	if pageURL == nil {
		// Readability resolves the article's relative links against the page's address; a
		// pasted page has none, so its canonical address (if it states one) stands in.
		pageURL, _ = url.Parse(imp.URL)
	}
	if pageURL == nil {
		pageURL = &url.URL{}
	}
	// The metadata is read, so readability may change the page tree instead of copying it.
	// It still reads the JSON-LD itself: the title it finds there is how it knows the
	// article's own heading from the page's.
	parser := readability.NewParser()
	article, err := parser.ParseAndMutate(doc, pageURL)
	if err != nil || article.Node == nil {
		return imp, refuse("no article text was found in the page")
	}
	if imp.Title == "" {
		// Readability's title is the page's <title> (or its first heading) with the site's
		// name cut off: still what the page calls itself, not a guess at its content.
		imp.Title = clean(article.Title())
	}
	imp.Blocks = HTMLBlocks(article.Node)
	if len(imp.Blocks) == 0 {
		return imp, refuse("no article text was found in the page")
	}
	return imp, nil
}

// HTMLBlocks turns article markup into the source's blocks: headings, paragraphs, quotations
// and captions, in order, as plain text. List items and table rows become paragraphs;
// images, scripts and forms have no text to keep.
func HTMLBlocks(root *html.Node) []corpus.Block {
	b := blocker{}
	b.walk(root, "paragraph")
	b.flush("paragraph")
	return b.out
}

type blocker struct {
	out    []corpus.Block
	inline strings.Builder // text met outside any block element, gathered into a paragraph
}

func (b *blocker) add(kind, text string) {
	text = strings.Join(strings.Fields(text), " ")
	if text == "" {
		return
	}
	b.out = append(b.out, corpus.Block{Kind: kind, Text: text})
}

func (b *blocker) flush(kind string) {
	if b.inline.Len() > 0 {
		b.add(kind, b.inline.String())
		b.inline.Reset()
	}
}

// walk visits n's children; kind is the kind a paragraph gets here ("blockquote" inside a
// quotation).
func (b *blocker) walk(n *html.Node, kind string) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode:
			b.inline.WriteString(c.Data)
		case c.Type != html.ElementNode:
		case skipped[c.DataAtom]:
		case c.DataAtom == atom.Br:
			b.inline.WriteString(" ")
		case headings[c.DataAtom]:
			b.flush(kind)
			b.add("heading", text(c))
		case c.DataAtom == atom.Figcaption || c.DataAtom == atom.Caption:
			b.flush(kind)
			b.add("caption", text(c))
		case c.DataAtom == atom.Blockquote:
			b.flush(kind)
			if hasBlockChild(c) {
				b.walk(c, "blockquote")
				b.flush("blockquote")
			} else {
				b.add("blockquote", text(c))
			}
		case c.DataAtom == atom.Tr:
			b.flush(kind)
			var cells []string
			for td := c.FirstChild; td != nil; td = td.NextSibling {
				if td.Type == html.ElementNode {
					if t := strings.Join(strings.Fields(text(td)), " "); t != "" {
						cells = append(cells, t)
					}
				}
			}
			b.add(kind, strings.Join(cells, " | "))
		case leafBlocks[c.DataAtom] && !hasBlockChild(c):
			b.flush(kind)
			b.add(kind, text(c))
		case blockLevel[c.DataAtom] || leafBlocks[c.DataAtom]:
			b.flush(kind)
			b.walk(c, kind)
			b.flush(kind)
		default: // inline: <a>, <em>, <span>…
			b.walk(c, kind)
		}
	}
}

var (
	headings   = map[atom.Atom]bool{atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true}
	leafBlocks = map[atom.Atom]bool{atom.P: true, atom.Li: true, atom.Dt: true, atom.Dd: true, atom.Pre: true, atom.Address: true}
	blockLevel = map[atom.Atom]bool{atom.Div: true, atom.Section: true, atom.Article: true, atom.Main: true,
		atom.Header: true, atom.Footer: true, atom.Aside: true, atom.Figure: true, atom.Ul: true, atom.Ol: true,
		atom.Dl: true, atom.Table: true, atom.Tbody: true, atom.Thead: true, atom.Tfoot: true, atom.Details: true,
		atom.Summary: true, atom.Hr: true, atom.Center: true, atom.Body: true, atom.Html: true}
	skipped = map[atom.Atom]bool{atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
		atom.Svg: true, atom.Math: true, atom.Button: true, atom.Form: true, atom.Select: true, atom.Textarea: true,
		atom.Iframe: true, atom.Object: true, atom.Video: true, atom.Audio: true, atom.Canvas: true, atom.Img: true}
)

// hasBlockChild reports whether n holds block elements of its own (a list item holding
// paragraphs, a quotation of several paragraphs), which then become blocks each.
func hasBlockChild(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (leafBlocks[c.DataAtom] || blockLevel[c.DataAtom] || headings[c.DataAtom] ||
			c.DataAtom == atom.Blockquote || c.DataAtom == atom.Figcaption) {
			return true
		}
	}
	return false
}

// text is n's text as a reader sees it: line breaks as spaces, scripts and the like left out.
func text(n *html.Node) string {
	var sb strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				sb.WriteString(c.Data)
			case c.Type != html.ElementNode || skipped[c.DataAtom]:
			case c.DataAtom == atom.Br:
				sb.WriteString(" ")
			default:
				if blockLevel[c.DataAtom] || leafBlocks[c.DataAtom] || headings[c.DataAtom] {
					sb.WriteString(" ")
				}
				walk(c)
			}
		}
	}
	walk(n)
	return sb.String()
}
