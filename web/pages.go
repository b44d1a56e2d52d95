package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/store/vocab"
	"github.com/sourcebook/sourcebook/web/link"
	"github.com/sourcebook/sourcebook/web/ui"
)

// Each handler reads what its page needs, then renders; a failure on the way renders one
// error page, never half a page.

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var v ui.HomeView
	var err error
	if v.Stats, err = s.store.Stats(ctx); err != nil {
		return err
	}
	if v.Sources, err = s.store.LatestSources(ctx, homeSources); err != nil {
		return err
	}
	if v.Issues, err = s.store.Issues(ctx); err != nil {
		return err
	}
	if v.Precedents, err = s.store.Precedents(ctx); err != nil {
		return err
	}
	if v.Matrix, err = s.store.Matrix(ctx, 0, homeMatrixRows); err != nil {
		return err
	}
	return s.writeHTML(w, r, http.StatusOK, ui.Home(v))
}

func (s *Server) sourceList(w http.ResponseWriter, r *http.Request) error {
	order := r.URL.Query().Get("sort")
	if _, ok := store.SourceOrders[order]; !ok {
		order = "date"
	}
	sources, err := s.store.Sources(r.Context(), order)
	if err != nil {
		return err
	}
	return s.writeHTML(w, r, http.StatusOK, ui.SourcesPage(sources, order))
}

func (s *Server) source(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	src, err := s.store.SourceRecord(ctx, chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	text, err := s.sourceText(ctx, src)
	if err != nil {
		return err
	}
	notes, err := renderMarkdown(src.Notes)
	if err != nil {
		return err
	}
	v := ui.SourceView{Source: src, Text: text, Notes: notes, Cite: citationWords(src, s.origin(r), nil)}
	v.Meta = ui.Meta{Title: src.Title, Canonical: link.Source(src.Slug), Section: "/sources",
		Description: sourceDescription(src), Citation: highwire(src, s.origin(r), nil), JSONLD: sourceLD(src, s.origin(r))}
	return s.writeHTML(w, r, http.StatusOK, ui.SourcePage(v))
}

// sourceText renders a source's text with what cites it, or takes it from s.texts when the
// source's text version has not moved since it was rendered.
func (s *Server) sourceText(ctx context.Context, src store.Source) (string, error) {
	if html, ok := s.texts.get(src); ok {
		return html, nil
	}
	blocks, err := s.store.SourceText(ctx, src)
	if err != nil {
		return "", err
	}
	var html strings.Builder
	if err := ui.SourceText(src.Slug, blocks).Render(ctx, &html); err != nil {
		return "", fmt.Errorf("render the text of %q: %w", src.Slug, err)
	}
	s.texts.put(src, html.String())
	return html.String(), nil
}

func sourceDescription(s store.Source) string {
	d := s.Title
	if s.Publisher != "" {
		d += " (" + s.Publisher + ")"
	}
	return d + ": the text in numbered passages, with the claims that cite each."
}

func (s *Server) passage(w http.ResponseWriter, r *http.Request) error {
	slug, key := chi.URLParam(r, "slug"), chi.URLParam(r, "key")
	rev, ok := revParam(r)
	if !ok {
		return statusError(http.StatusBadRequest, badRev)
	}
	p, err := s.store.Passage(r.Context(), slug, key, rev)
	if err == store.ErrNotFound {
		return s.passageNotFound(r, slug, key, rev)
	}
	if err != nil {
		return err
	}
	v := ui.PassageView{P: p, Cite: citationWords(p.Source, s.origin(r), &p)}
	if v.Then, err = s.textThen(r, p); err != nil {
		return err
	}
	var quote string
	for _, c := range p.Claims {
		for _, ct := range c.Citations {
			if ct.Block.Key == key && ct.Block.Rev == p.Shown.Rev && ct.Block.Source.Slug == slug {
				v.Spans = append(v.Spans, c.Span(ct))
				if quote == "" {
					quote = ct.Exact
				}
			}
		}
	}
	if p.Source.URL != "" {
		v.Original = textFragmentURL(p.Source.URL, firstNonEmpty(quote, p.Shown.Text))
	}
	canonical := link.Passage(slug, key, 0)
	if p.Revised() {
		canonical = link.Passage(slug, key, p.Shown.Rev)
	}
	title := p.Source.Title
	if loc := p.Locator(); loc != "" {
		title = capitalized(loc) + " of " + title
	}
	v.Meta = ui.Meta{Title: title, Canonical: canonical, Section: "/sources",
		Description: excerpt(p.Shown.Text, 200), Citation: highwire(p.Source, s.origin(r), &p), JSONLD: sourceLD(p.Source, s.origin(r))}
	return s.writeHTML(w, r, http.StatusOK, ui.PassagePage(v))
}

// passageNotFound is the answer to a permalink that never existed: a 404 that helps, naming
// the source if there is one and offering a search.
func (s *Server) passageNotFound(r *http.Request, slug, key string, rev int) error {
	msg := "There is no passage " + key + " in this source."
	if rev > 0 {
		msg = "Passage " + key + " has no revision " + strconv.Itoa(rev) + "."
	}
	if _, _, err := s.store.SourceWithBlocks(r.Context(), slug); err == nil {
		msg += " The source itself is at " + link.Source(slug) + "."
	}
	return notFound(msg + " Try searching for the words you were looking for.")
}

// textFragmentURL points at words on the publisher's page with a W3C Text Fragment. A long
// quote is given by its first and last few words (textStart,textEnd), as the spec suggests.
func textFragmentURL(original, quote string) string {
	words := strings.Fields(quote)
	enc := func(ws []string) string {
		// Text fragments percent-encode the fragment directive's own delimiters too.
		return strings.NewReplacer("-", "%2D", ",", "%2C", "&", "%26").Replace(url.PathEscape(strings.Join(ws, " ")))
	}
	frag := enc(words)
	if len(words) > 10 {
		frag = enc(words[:5]) + "," + enc(words[len(words)-5:])
	}
	base, _, _ := strings.Cut(original, "#")
	return base + "#:~:text=" + frag
}

func excerpt(text string, n int) string {
	r := []rune(text)
	if len(r) <= n {
		return text
	}
	return string(r[:n]) + "…"
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

func (s *Server) claim(w http.ResponseWriter, r *http.Request) error {
	c, err := s.store.Claim(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	v := ui.ClaimView{Claim: c, Meta: ui.Meta{Title: c.Statement, Canonical: link.Claim(c.Slug), Description: c.Statement, JSONLD: claimLD(c, s.origin(r))}}
	for _, ct := range c.Citations {
		v.Citations = append(v.Citations, ui.CitationView{C: ct, Spans: []store.Span{c.Span(ct)}})
	}
	return s.writeHTML(w, r, http.StatusOK, ui.ClaimPage(v))
}

func (s *Server) actorList(w http.ResponseWriter, r *http.Request) error {
	actors, err := s.store.PublicActors(r.Context())
	if err != nil {
		return err
	}
	var groups []ui.ActorGroup
	for _, k := range vocab.ActorGroups {
		g := ui.ActorGroup{Kind: string(k), Label: k.Plural()}
		for _, a := range actors {
			if a.Kind == string(k) {
				g.Actors = append(g.Actors, a)
			}
		}
		if len(g.Actors) > 0 {
			groups = append(groups, g)
		}
	}
	return s.writeHTML(w, r, http.StatusOK, ui.ActorsPage(groups))
}

// mentionLimit caps the "mentioned in" list of an actor page.
const mentionLimit = 50

func (s *Server) actor(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a, err := s.store.Actor(ctx, chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	v := ui.ActorView{Actor: a}
	if v.Roles, v.Members, err = s.store.Roles(ctx, a.Slug); err != nil {
		return err
	}
	if v.Positions, err = s.store.Positions(ctx, store.PositionFilter{Actor: a.Slug, WithClaims: true}); err != nil {
		return err
	}
	if v.Issues, err = s.store.Issues(ctx); err != nil {
		return err
	}
	if v.Claims, err = s.store.Claims(ctx, store.ClaimFilter{Actor: a.Slug}); err != nil {
		return err
	}
	if v.Mentions, err = s.store.Mentions(ctx, a, mentionLimit); err != nil {
		return err
	}
	v.Meta = ui.Meta{Title: a.Name, Canonical: link.Actor(a.Slug), Section: "/actors",
		Description: a.Name + ": roles, positions by issue and every claim, each with its source.", JSONLD: actorLD(a, s.origin(r))}
	return s.writeHTML(w, r, http.StatusOK, ui.ActorPage(v))
}

func (s *Server) issueList(w http.ResponseWriter, r *http.Request) error {
	issues, err := s.store.Issues(r.Context())
	if err != nil {
		return err
	}
	return s.writeHTML(w, r, http.StatusOK, ui.IssuesPage(issues))
}

// An issue's page shows its positions a page at a time, and the latest of the claims on it
// that back no position, so that it does not grow with the corpus.
const (
	issuePositions = 30
	issueOthers    = 50
)

func (s *Server) issue(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	page, err := pageParam(r)
	if err != nil {
		return err
	}
	i, err := s.store.Issue(ctx, chi.URLParam(r, "slug"))
	if err != nil {
		// To the first page: the split issue's positions are not the old one's, so an old
		// page number means nothing there.
		return s.issueMoved(ctx, chi.URLParam(r, "slug"), err, link.Issue)
	}
	v := ui.IssueView{Issue: i, Offset: (page - 1) * issuePositions}
	if v.Positions, err = s.store.Positions(ctx, store.PositionFilter{Issue: i.Slug, WithClaims: true,
		Offset: v.Offset, Limit: issuePositions}); err != nil {
		return err
	}
	if page > 1 && len(v.Positions) == 0 {
		return notFound(fmt.Sprintf("%s has %d positions: there is no page %d.", i.Name, i.Positions, page))
	}
	v.Pages = pageLinks(page, (i.Positions+issuePositions-1)/issuePositions, func(p int) string { return link.IssuePage(i.Slug, p) })
	if page == 1 {
		if v.Others, err = s.store.Claims(ctx, store.ClaimFilter{Issue: i.Slug, Unbacked: true, Limit: issueOthers + 1}); err != nil {
			return err
		}
		if len(v.Others) > issueOthers {
			v.Others, v.MoreOthers = v.Others[:issueOthers], true
		}
	}
	v.Meta = ui.Meta{Title: i.Name, Canonical: link.IssuePage(i.Slug, page), Section: "/issues", Description: i.Question}
	return s.writeHTML(w, r, http.StatusOK, ui.IssuePage(v))
}

func (s *Server) position(w http.ResponseWriter, r *http.Request) error {
	actor := chi.URLParam(r, "actor")
	p, err := s.store.Position(r.Context(), actor, chi.URLParam(r, "issue"))
	if err != nil {
		return s.positionMoved(r.Context(), actor, chi.URLParam(r, "issue"), err, func(to string) string { return link.Position(actor, to) })
	}
	m := ui.Meta{Title: p.Actor.Name + " on " + p.Issue.Name, Canonical: link.Position(p.Actor.Slug, p.Issue.Slug), Section: "/matrix", Description: p.Summary}
	if m.Description == "" {
		// Without the editors' words, what the claims show, as strongly as they show it.
		n := len(p.Claims)
		m.Description = fmt.Sprintf("%s on “%s”: %s (%s), from %d %s.", p.Actor.Name, p.Issue.Proposition,
			p.Stance.Word(), strings.ToLower(p.Grade.Label()), n, map[bool]string{true: "claim", false: "claims"}[n == 1])
	}
	return s.writeHTML(w, r, http.StatusOK, ui.PositionPage(p, m))
}

// The front page shows the latest sources and the leading rows of the matrix, and the
// matrix page a page of rows at a time, so neither grows with the corpus.
const (
	homeSources    = 8
	homeMatrixRows = 12
	matrixRows     = 50
)

func (s *Server) matrix(w http.ResponseWriter, r *http.Request) error {
	page, err := pageParam(r)
	if err != nil {
		return err
	}
	m, err := s.store.Matrix(r.Context(), (page-1)*matrixRows, matrixRows)
	if err != nil {
		return err
	}
	if page > 1 && len(m.Actors) == 0 {
		return notFound(fmt.Sprintf("The matrix has %d actors: there is no page %d.", m.Total, page))
	}
	pages := pageLinks(page, (m.Total+matrixRows-1)/matrixRows, link.Matrix)
	return s.writeHTML(w, r, http.StatusOK, ui.MatrixPage(m, link.Matrix(page), pages))
}

func (s *Server) precedentList(w http.ResponseWriter, r *http.Request) error {
	list, err := s.store.Precedents(r.Context())
	if err != nil {
		return err
	}
	return s.writeHTML(w, r, http.StatusOK, ui.PrecedentsPage(list))
}

func (s *Server) precedent(w http.ResponseWriter, r *http.Request) error {
	p, err := s.store.Precedent(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	m := ui.Meta{Title: p.Name, Canonical: link.Precedent(p.Slug), Section: "/precedents", Description: firstNonEmpty(p.Summary, p.Name)}
	return s.writeHTML(w, r, http.StatusOK, ui.PrecedentPage(p, m))
}

func (s *Server) comparison(w http.ResponseWriter, r *http.Request) error {
	c, err := s.comparisonView(r)
	if err != nil {
		return err
	}
	return s.writeHTML(w, r, http.StatusOK, ui.ComparisonPage(c))
}

// timelineEntries is how many events a page of the timeline lists and draws.
const timelineEntries = 100

func (s *Server) timeline(w http.ResponseWriter, r *http.Request) error {
	page, err := pageParam(r)
	if err != nil {
		return err
	}
	entries, err := s.store.Timeline(r.Context())
	if err != nil {
		return err
	}
	from := (page - 1) * timelineEntries
	if page > 1 && from >= len(entries) {
		return notFound(fmt.Sprintf("The timeline has %d events: there is no page %d.", len(entries), page))
	}
	v := ui.TimelineView{Entries: entries[from:min(len(entries), from+timelineEntries)], Offset: from, Total: len(entries)}
	v.Pages = pageLinks(page, (len(entries)+timelineEntries-1)/timelineEntries, link.Timeline)
	return s.writeHTML(w, r, http.StatusOK, ui.TimelinePage(v))
}
