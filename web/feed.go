package web

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/web/link"
	"github.com/sourcebook/sourcebook/web/ui"
)

// For feed readers and crawlers: an Atom feed of sources and claims, the sitemap, robots.txt.

// tagURI is a stable id for a record, RFC 4151: it names the site's host and the year the
// scheme was minted, never the scheme or port the request came by.
func (s *Server) tagURI(r *http.Request, specific string) string {
	host := strings.TrimPrefix(strings.TrimPrefix(s.origin(r), "https://"), "http://")
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return "tag:" + strings.Trim(host, "[]") + ",2025:" + specific
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomEntry struct {
	ID        string       `xml:"id"`
	Title     string       `xml:"title"`
	Updated   string       `xml:"updated"`
	Published string       `xml:"published,omitempty"`
	Link      atomLink     `xml:"link"`
	Category  atomCategory `xml:"category"`
	Summary   string       `xml:"summary"`
}

// feedLimit caps the feed; readers only need what is new.
const feedLimit = 100

// feed is the Atom feed: sources and claims, most recently updated first. An entry is the
// knowledge base's record of a source or claim, so the feed's author is the site, and a
// source's own authors are named in its summary.
func (s *Server) feed(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	sources, err := s.store.Sources(ctx, "date")
	if err != nil {
		return err
	}
	claims, err := s.store.Claims(ctx, store.ClaimFilter{})
	if err != nil {
		return err
	}
	v, err := s.store.Version(ctx)
	if err != nil {
		return err
	}
	base := s.origin(r)
	var entries []atomEntry
	for _, src := range sources {
		entries = append(entries, atomEntry{ID: s.tagURI(r, "source/"+src.Slug), Title: src.Title, Updated: src.UpdatedAt,
			Published: src.CreatedAt, Link: atomLink{Rel: "alternate", Type: "text/html", Href: base + link.Source(src.Slug)},
			Category: atomCategory{Term: "source"}, Summary: sourceSummary(src)})
	}
	for _, c := range claims {
		entries = append(entries, atomEntry{ID: s.tagURI(r, "claim/"+c.Slug), Title: c.Statement, Updated: c.UpdatedAt,
			Published: c.CreatedAt, Link: atomLink{Rel: "alternate", Type: "text/html", Href: base + link.Claim(c.Slug)},
			Category: atomCategory{Term: "claim"}, Summary: claimSummary(c)})
	}
	// Timestamps are RFC 3339 in UTC with the same layout, so they sort as strings.
	slices.SortStableFunc(entries, func(a, b atomEntry) int {
		return cmp.Or(cmp.Compare(b.Updated, a.Updated), cmp.Compare(a.ID, b.ID))
	})
	if len(entries) > feedLimit {
		entries = entries[:feedLimit]
	}
	f := atomFeed{ID: s.tagURI(r, "feed"), Title: "Sourcebook: security guarantees for Ukraine", Updated: v.UpdatedAt,
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: base + "/feed.atom"},
			{Rel: "alternate", Type: "text/html", Href: base + "/"}},
		Author: atomAuthor{Name: "Sourcebook"}, Entries: entries}
	if len(entries) > 0 {
		f.Updated = entries[0].Updated
	}
	return s.writeXML(w, r, "application/atom+xml; charset=utf-8", f)
}

// sourceSummary says what is known of a source, leaving out what is not.
func sourceSummary(src store.Source) string {
	var parts []string
	if len(src.Authors) > 0 {
		parts = append(parts, "By "+strings.Join(src.Authors, ", "))
	}
	if src.Publisher != "" {
		parts = append(parts, src.Publisher)
	}
	if src.Published != "" {
		parts = append(parts, src.Published)
	}
	if src.CapturedFrom != "" {
		parts = append(parts, "captured from "+src.CapturedFrom)
	}
	parts = append(parts, fmt.Sprintf("%d passages, %d claims", src.Blocks, src.Claims))
	return strings.Join(parts, "; ") + "."
}

func claimSummary(c store.Claim) string {
	who := "the source's author (not named)"
	switch {
	case c.Speaker != nil:
		who = c.Speaker.Name
	case len(c.Authors) > 0:
		who = strings.Join(c.Authors, ", ")
	}
	sum := strings.ToUpper(c.Kind[:1]) + c.Kind[1:] + ": " + who
	if c.Holder != nil {
		sum += ", reporting the stance of " + c.Holder.Name
	}
	return sum + ". In “" + ui.Nested(c.Source.Title) + "”."
}

func (s *Server) writeXML(w http.ResponseWriter, r *http.Request, contentType string, v any) error {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode %s: %w", r.URL.Path, err)
	}
	buf.WriteByte('\n')
	w.Header().Set("Content-Type", contentType)
	w.Write(buf.Bytes())
	return nil
}

type urlSet struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// sitemap lists every public page: the fixed pages, then each source with its passages,
// each actor, issue, position, claim and precedent.
func (s *Server) sitemap(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	base := s.origin(r)
	var set urlSet
	add := func(path, lastmod string) {
		set.URLs = append(set.URLs, sitemapURL{Loc: base + path, LastMod: lastmod})
	}
	for _, p := range []string{"/", "/sources", "/actors", "/issues", "/matrix", "/precedents", "/precedents/compare", "/timeline"} {
		add(p, "")
	}
	sources, err := s.store.Sources(ctx, "date")
	if err != nil {
		return err
	}
	blocks, err := s.store.BlocksBySource(ctx)
	if err != nil {
		return err
	}
	for _, src := range sources {
		add(link.Source(src.Slug), src.UpdatedAt)
		for _, b := range blocks[src.ID] {
			add(link.Passage(src.Slug, b.Key, 0), "")
		}
	}
	actors, err := s.store.PublicActors(ctx)
	if err != nil {
		return err
	}
	for _, a := range actors {
		add(link.Actor(a.Slug), "")
	}
	issues, err := s.store.Issues(ctx)
	if err != nil {
		return err
	}
	for _, i := range issues {
		add(link.Issue(i.Slug), "")
	}
	positions, err := s.store.Positions(ctx, store.PositionFilter{})
	if err != nil {
		return err
	}
	for _, p := range positions {
		add(link.Position(p.Actor.Slug, p.Issue.Slug), "")
	}
	claims, err := s.store.Claims(ctx, store.ClaimFilter{})
	if err != nil {
		return err
	}
	for _, c := range claims {
		add(link.Claim(c.Slug), c.UpdatedAt)
	}
	precedents, err := s.store.Precedents(ctx)
	if err != nil {
		return err
	}
	for _, p := range precedents {
		add(link.Precedent(p.Slug), "")
	}
	return s.writeXML(w, r, "application/xml; charset=utf-8", set)
}

// robots lets crawlers read every page. It keeps them out of /api/ and /export/, which hold
// the pages' content again as data (a search result should be the page, and the database
// export is built afresh per request), out of the citation downloads (three more per
// passage, all duplicates), and out of /search, whose query URLs never end.
func (s *Server) robots(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("User-agent: *\n" +
		"Allow: /\n" +
		"Disallow: /api/\n" +
		"Disallow: /export/\n" +
		"Disallow: /sources/*/cite.\n" +
		"Disallow: /search\n" +
		"\n" +
		"Sitemap: " + s.origin(r) + "/sitemap.xml\n"))
	return nil
}
