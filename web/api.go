package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/sourcebook/sourcebook/store"
)

// The JSON API's handlers: each reads the store and answers with the types of apijson.go.

// apiEndpoint is one route of the API, or a download, described for the /api index.
type apiEndpoint struct {
	Path        string `json:"path"`
	Description string `json:"description"`
}

// apiPaging tells the index's readers how the lists come.
var apiPaging = fmt.Sprintf("Lists (sources, actors, issues, claims, positions, precedents, timeline, annotations) come in pages: "+
	"?page= from 1, ?per_page= from 1 to %d (default %d). The body gives total, page, per_page, pages, first, last, "+
	"prev and next (null at either end) beside the items; a Link header gives first, prev, next and last. "+
	"/api/annotations pages as the Web Annotation Protocol does (first, last, next, prev, partOf, startIndex). Exports are whole.", apiMaxPerPage, apiPerPage)

// apiDownloads lists the non-JSON data the index points to. It is written by hand, not
// derived from the route table: it spells patterns for readers ({table}.csv for eight
// routes, cite.{bib,ris,json} for cite.{format}) in an order of its own.
// TestAPIDownloadsAreRoutes holds it to the table.
var apiDownloads = []apiEndpoint{
	{Path: "/export/sourcebook.json", Description: "The whole dataset as one JSON file."},
	{Path: "/export/sourcebook.db", Description: "The SQLite database itself: a consistent copy of the published data."},
	{Path: "/export/{table}.csv", Description: "One CSV per table: sources, blocks, actors, claims, citations, positions, precedents, events."},
	{Path: "/sources/{slug}/cite.{bib,ris,json}", Description: "A source's citation as BibTeX, RIS or CSL-JSON."},
	{Path: "/sources/{slug}/{key}/cite.{bib,ris,json}", Description: "A passage's citation, with its paragraph number and permalink."},
	{Path: "/feed.atom", Description: "Atom feed of sources and claims, newest first."},
	{Path: "/sitemap.xml", Description: "Every public page."},
}

// apiIndex lists the API's routes from the route table, then the downloads.
func (s *Server) apiIndex(w http.ResponseWriter, r *http.Request) error {
	var endpoints []apiEndpoint
	for _, rt := range s.routeTable() {
		if rt.area == apiArea && rt.about != "" {
			endpoints = append(endpoints, apiEndpoint{rt.pattern, rt.about})
		}
	}
	return s.writeJSON(w, r, struct {
		Name      string        `json:"name"`
		Paging    string        `json:"paging"`
		Endpoints []apiEndpoint `json:"endpoints"`
		Downloads []apiEndpoint `json:"downloads"`
	}{"Sourcebook: security guarantees for Ukraine", apiPaging, endpoints, apiDownloads})
}

func (s *Server) apiSources(w http.ResponseWriter, r *http.Request) error {
	return servePage(s, w, r, s.store.SourcePage, each(func(src store.Source) apiSource { return sourceJSON(src, nil) }))
}

func (s *Server) apiSource(w http.ResponseWriter, r *http.Request) error {
	src, blocks, err := s.store.SourceWithBlocks(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	return s.writeJSON(w, r, sourceJSON(src, list(blocks)))
}

func (s *Server) apiActors(w http.ResponseWriter, r *http.Request) error {
	return servePage(s, w, r, s.store.ActorPage, each(actorJSON))
}

func (s *Server) apiActor(w http.ResponseWriter, r *http.Request) error {
	ctx, slug := r.Context(), chi.URLParam(r, "slug")
	a, err := s.store.Actor(ctx, slug)
	if err != nil {
		return err
	}
	held, within, err := s.store.Roles(ctx, slug)
	if err != nil {
		return err
	}
	positions, err := s.store.Positions(ctx, store.PositionFilter{Actor: slug, WithClaims: true})
	if err != nil {
		return err
	}
	out := actorJSON(a)
	out.Roles, out.Members, out.Positions = list(rolesJSON(held)), list(rolesJSON(within)), list(positionsJSON(positions))
	return s.writeJSON(w, r, out)
}

func (s *Server) apiIssues(w http.ResponseWriter, r *http.Request) error {
	return servePage(s, w, r, s.store.IssuePage, each(issueJSON))
}

func (s *Server) apiIssue(w http.ResponseWriter, r *http.Request) error {
	ctx, slug := r.Context(), chi.URLParam(r, "slug")
	is, err := s.store.Issue(ctx, slug)
	if err != nil {
		return s.issueMoved(ctx, slug, err, func(to string) string { return "/api/issues/" + to })
	}
	positions, err := s.store.Positions(ctx, store.PositionFilter{Issue: slug, WithClaims: true})
	if err != nil {
		return err
	}
	claims, err := s.store.Claims(ctx, store.ClaimFilter{Issue: slug})
	if err != nil {
		return err
	}
	out := issueJSON(is)
	out.Positions, out.Claims = list(positionsJSON(positions)), list(claimsJSON(claims))
	return s.writeJSON(w, r, out)
}

// apiClaims lists claims, a page at a time, filtered by the actor, issue and source slugs
// given. A filter that names nothing is a 404, so a mistyped slug is not mistaken for "no
// claims".
func (s *Server) apiClaims(w http.ResponseWriter, r *http.Request) error {
	ctx, q := r.Context(), r.URL.Query()
	f := store.ClaimFilter{Actor: q.Get("actor"), Issue: q.Get("issue"), Source: q.Get("source")}
	if f.Actor != "" {
		if _, err := s.store.Actor(ctx, f.Actor); err != nil {
			return filterError(err, "actor", f.Actor)
		}
	}
	if f.Issue != "" {
		if _, err := s.store.Issue(ctx, f.Issue); err != nil {
			return filterError(err, "issue", f.Issue)
		}
	}
	if f.Source != "" {
		if _, _, err := s.store.SourceWithBlocks(ctx, f.Source); err != nil {
			return filterError(err, "source", f.Source)
		}
	}
	return servePage(s, w, r, func(ctx context.Context, p store.Page) ([]store.Claim, int, error) {
		f.Offset, f.Limit = p.Offset, p.Limit
		return s.store.ClaimPage(ctx, f)
	}, claimsJSON)
}

// filterError names the filter that names nothing.
func filterError(err error, what, slug string) error {
	if errors.Is(err, store.ErrNotFound) {
		return notFound(fmt.Sprintf("There is no %s %q.", what, slug))
	}
	return err
}

func (s *Server) apiClaim(w http.ResponseWriter, r *http.Request) error {
	c, err := s.store.Claim(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	return s.writeJSON(w, r, claimJSON(c))
}

// apiPosition is one actor's position on one issue, with its evidence and history.
func (s *Server) apiPosition(w http.ResponseWriter, r *http.Request) error {
	actor := chi.URLParam(r, "actor")
	p, err := s.store.Position(r.Context(), actor, chi.URLParam(r, "issue"))
	if err != nil {
		return s.positionMoved(r.Context(), actor, chi.URLParam(r, "issue"), err, func(to string) string { return "/api/positions/" + actor + "/" + to })
	}
	return s.writeJSON(w, r, positionWithHistory(p))
}

func (s *Server) apiPositions(w http.ResponseWriter, r *http.Request) error {
	return servePage(s, w, r, func(ctx context.Context, p store.Page) ([]store.Position, int, error) {
		return s.store.PositionPage(ctx, store.PositionFilter{WithClaims: true, Offset: p.Offset, Limit: p.Limit})
	}, positionsJSON)
}

func (s *Server) apiPrecedents(w http.ResponseWriter, r *http.Request) error {
	return servePage(s, w, r, s.store.PrecedentPage, each(precedentJSON))
}

func (s *Server) apiPrecedent(w http.ResponseWriter, r *http.Request) error {
	p, err := s.store.Precedent(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	out := precedentJSON(p)
	out.Facts, out.Mentions = list(out.Facts), list(out.Mentions)
	return s.writeJSON(w, r, out)
}

func (s *Server) apiTimeline(w http.ResponseWriter, r *http.Request) error {
	return servePage(s, w, r, s.store.TimelinePage, timelineJSON)
}
