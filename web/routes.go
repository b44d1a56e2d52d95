package web

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/sourcebook/sourcebook/static"
)

// route is one line of the route table.
type route struct {
	method  string // "" for every method
	pattern string // the whole path, as a reader types it
	area    area
	h       http.Handler
	about   string // what it gives, for the /api index
}

// area is where a route sits, which decides the middleware it runs behind (router).
type area int

const (
	bare       area = iota // only what every response gets: headers, compression
	reading                // the pages, feeds and citations: ETag, 304, the page cache
	apiArea                // under /api: also open to other sites, with JSON 404s and 405s
	exportArea             // under /export: also open to other sites
	signIn                 // under /admin: sessions, cross-origin protection, a body limit, no-store
	editor                 // also a signed-in editor
	adminOnly              // also an admin
)

// routeTable is every route of the site, the API and the admin. The router is built from it,
// the /api index lists its API routes, and the access test walks its admin routes, so a route
// added here is served, documented and checked at once.
//
// The citation routes have a static "cite." segment, which chi prefers to the {key} of a
// passage page, and block keys never contain a dot, so neither can shadow the other.
func (s *Server) routeTable() []route {
	api := func(pattern string, h handler, about string) route {
		return route{"GET", pattern, apiArea, s.api(h), about}
	}
	t := []route{
		{"", "/static/*", bare, static.Handler(), ""},
		{"GET", "/healthz", bare, s.html(s.healthz), ""},

		{"GET", "/", reading, s.html(s.home), ""},
		{"GET", "/sources", reading, s.html(s.sourceList), ""},
		{"GET", "/sources/{slug}", reading, s.html(s.source), ""},
		{"GET", "/sources/{slug}/{key}", reading, s.html(s.passage), ""},
		{"GET", "/actors", reading, s.html(s.actorList), ""},
		{"GET", "/actors/{slug}", reading, s.html(s.actor), ""},
		{"GET", "/issues", reading, s.html(s.issueList), ""},
		{"GET", "/issues/{slug}", reading, s.html(s.issue), ""},
		{"GET", "/positions/{actor}/{issue}", reading, s.html(s.position), ""},
		{"GET", "/matrix", reading, s.html(s.matrix), ""},
		{"GET", "/claims/{slug}", reading, s.html(s.claim), ""},
		{"GET", "/precedents", reading, s.html(s.precedentList), ""},
		{"GET", "/precedents/compare", reading, s.html(s.comparison), ""},
		{"GET", "/precedents/compare.csv", reading, s.html(s.comparisonCSV), ""},
		{"GET", "/precedents/{slug}", reading, s.html(s.precedent), ""},
		{"GET", "/timeline", reading, s.html(s.timeline), ""},
		{"GET", "/search", reading, s.html(s.search), ""},
		{"GET", "/sources/{slug}/cite.{format}", reading, s.html(s.citeSource), ""},
		{"GET", "/sources/{slug}/{key}/cite.{format}", reading, s.html(s.citePassage), ""},
		{"GET", "/sources/{slug}/{key}/diff", reading, s.html(s.passageDiff), ""},
		{"GET", "/feed.atom", reading, s.html(s.feed), ""},
		{"GET", "/sitemap.xml", reading, s.html(s.sitemap), ""},
		{"GET", "/robots.txt", reading, s.html(s.robots), ""},

		{"GET", "/api/", apiArea, s.api(s.apiIndex), ""},
		api("/api/sources", s.apiSources, "Published sources, newest first, with what is known of their authors, publisher and date."),
		api("/api/sources/{slug}", s.apiSource, "One source with its blocks (key, position, paragraph number, kind, text, revision, permalink)."),
		api("/api/actors", s.apiActors, "People, states, organisations and coalitions."),
		api("/api/actors/{slug}", s.apiActor, "One actor with the roles the sources give it and its positions."),
		api("/api/issues", s.apiIssues, "The questions in dispute, each with the proposition stances refer to."),
		api("/api/issues/{slug}", s.apiIssue, "One issue with the actors' positions and the claims on it."),
		api("/api/claims", s.apiClaims, "Claims with their stances and citations; filter with ?actor=, ?issue=, ?source= (slugs)."),
		api("/api/claims/{slug}", s.apiClaim, "One claim with its citations: quote, prefix, suffix, and start/end in Unicode code points into the cited revision of the block text; changed_since_cited (with diff_url, a word diff) when the passage's words have changed since."),
		api("/api/positions", s.apiPositions, "Each actor's stance on each issue, derived from its claims: the strongest grade of evidence behind it, whether it is contested, the counts by grade and stance, and any editor's override."),
		api("/api/positions/{actor}/{issue}", s.apiPosition, "One position with its evidence and its history: the dated claims in order, and where the stance moved."),
		api("/api/precedents", s.apiPrecedents, "Past arrangements (Budapest 1994, Minsk...) and today's proposals."),
		api("/api/precedents/{slug}", s.apiPrecedent, "One precedent with the facts the sources state about it (each with its passage) and the passages that mention it."),
		api("/api/timeline", s.apiTimeline, "Dated events the sources mention, oldest first, one entry an event: each date its passages give it (dates_disagree where they exclude each other), with the first five passages giving each."),
		api("/api/search", s.apiSearch, "Search, with the page's parameters: q (words, \"phrases\", -exclusions, prefix*, OR), kind, source, publisher, actor, issue, precedent, from, to (years), page, per_page (1–100, default 20). Hits link to passage permalinks; facets count each value."),
		api("/api/annotations", s.annotations, "Every citation as a W3C Web Annotation (JSON-LD AnnotationCollection). TextPositionSelector offsets count Unicode code points in the cited block's text, as /api/sources/{slug} gives it."),

		// The whole dataset's errors are JSON like the API's; the files' are pages, as they
		// have always been.
		{"GET", "/export/sourcebook.json", exportArea, s.api(s.exportJSON), ""},
		{"GET", "/export/sourcebook.db", exportArea, s.html(s.exportDB), ""},
	}
	for _, c := range csvTables {
		t = append(t, route{"GET", "/export/" + c.name + ".csv", exportArea, s.html(s.exportCSV(c)), ""})
	}
	return append(t, []route{
		{"GET", "/admin/login", signIn, s.html(s.loginForm), ""},
		{"POST", "/admin/login", signIn, s.html(s.login), ""},

		{"POST", "/admin/logout", editor, s.html(s.logout), ""},
		{"GET", "/admin/", editor, s.html(s.adminHome), ""},
		{"GET", "/admin/sources/new", editor, s.html(s.newSourceForm), ""},
		{"POST", "/admin/sources/preview", editor, s.html(s.previewSource), ""},
		{"POST", importPath, editor, s.html(s.importSource), ""},
		{"POST", "/admin/sources", editor, s.html(s.createSource), ""},
		{"GET", "/admin/sources/{slug}", editor, s.html(s.adminSource), ""},
		{"GET", "/admin/sources/{slug}/edit", editor, s.html(s.editSourceForm), ""},
		{"POST", "/admin/sources/{slug}/edit", editor, s.html(s.reviseSource), ""},
		{"POST", "/admin/sources/{slug}/edit/preview", editor, s.html(s.previewRevision), ""},
		{"POST", "/admin/sources/{slug}/publish", editor, s.html(s.publishSource), ""},
		{"POST", "/admin/sources/{slug}/claims", editor, s.html(s.createClaim), ""},
		{"POST", "/admin/sources/{slug}/precedents", editor, s.html(s.linkPrecedent), ""},
		{"GET", "/admin/claims/{slug}/edit", editor, s.html(s.editClaimForm), ""},
		{"POST", "/admin/claims/{slug}/edit", editor, s.html(s.updateClaim), ""},
		{"POST", "/admin/claims/{slug}/delete", editor, s.html(s.deleteClaim), ""},
		{"GET", "/admin/actors", editor, s.html(s.adminActors), ""},
		{"POST", "/admin/actors", editor, s.html(s.createActor), ""},
		{"POST", "/admin/actors.json", editor, s.api(s.createActorJSON), ""},
		{"POST", "/admin/actors/alias", editor, s.html(s.addAlias), ""},
		{"POST", "/admin/actors/merge", editor, s.html(s.mergeActors), ""},
		{"GET", "/admin/manage", editor, s.html(s.adminManage), ""},
		{"POST", "/admin/issues", editor, s.html(s.manageAction(s.saveIssue, "issue_name", "question", "proposition")), ""},
		{"POST", "/admin/positions", editor, s.html(s.manageAction(s.savePosition, "actor", "issue", "summary", "override", "reason")), ""},
		{"POST", "/admin/precedents", editor, s.html(s.manageAction(s.savePrecedent, "precedent_name", "precedent_kind", "date_start", "date_end", "precedent_summary")), ""},
		{"POST", "/admin/precedents/facts", editor, s.html(s.manageAction(s.saveFact, "precedent", "aspect", "code", "fact", "fact_source", "fact_block")), ""},
		{"POST", "/admin/events", editor, s.html(s.manageAction(s.saveEvent, "event_date", "event_title", "event_source", "event_block", "event_precedent")), ""},

		{"GET", "/admin/users", adminOnly, s.html(s.adminUsers), ""},
		{"POST", "/admin/users", adminOnly, s.html(s.createUser), ""},
		{"POST", "/admin/users/disable", adminOnly, s.html(s.disableUser), ""},
		{"POST", "/admin/users/enable", adminOnly, s.html(s.enableUser), ""},
		{"POST", "/admin/users/role", adminOnly, s.html(s.setUserRole), ""},
		{"POST", "/admin/users/password", adminOnly, s.html(s.setUserPassword), ""},
		{"GET", "/admin/audit", adminOnly, s.html(s.adminAudit), ""},
	}...)
}

// Handler is the site's HTTP handler: tracking parameters dropped, then the page cache in
// front of the router.
func (s *Server) Handler() http.Handler { return withoutTracking(s.fromCache(s.router())) }

// router builds the route table into chi, each area behind its middleware. /api, /export and
// /admin are subrouters, so that what they add (CORS and its preflight, the API's JSON 404,
// the admin's session) reaches every request under them, not only the routes that match.
func (s *Server) router() *chi.Mux {
	in := map[area][]route{}
	for _, rt := range s.routeTable() {
		in[rt.area] = append(in[rt.area], rt)
	}
	r := chi.NewRouter()
	r.Use(middleware.Recoverer, s.securityHeaders, middleware.GetHead, refusedEncodings, middleware.Compress(5,
		"text/html", "text/css", "text/plain", "text/csv", "application/json", "application/ld+json",
		"application/atom+xml", "application/xml", "image/svg+xml", "application/x-bibtex",
		"application/x-research-info-systems", "application/vnd.citationstyles.csl+json"))
	mount(r, "", in[bare])
	r.Group(func(r chi.Router) {
		r.Use(s.revalidate, s.cached) // pages depend only on the data version: ETag, 304, cache
		mount(r, "", in[reading])
		r.Route("/api", func(r chi.Router) {
			r.Use(openToOtherSites)
			r.NotFound(s.api(func(http.ResponseWriter, *http.Request) error {
				return notFound("There is no API endpoint at this address; see /api for the list.")
			}))
			r.MethodNotAllowed(s.api(func(w http.ResponseWriter, _ *http.Request) error {
				w.Header().Set("Allow", "GET")
				return statusError(http.StatusMethodNotAllowed, "The API is read-only: use GET.")
			}))
			mount(r, "/api", in[apiArea])
		})
		r.Route("/export", func(r chi.Router) {
			r.Use(openToOtherSites)
			mount(r, "/export", in[exportArea])
		})
	})
	if s.store.ReadOnly() {
		// A read-only replica has no editors: there is nothing to sign in to.
		r.HandleFunc("/admin*", s.html(func(http.ResponseWriter, *http.Request) error {
			return statusError(http.StatusServiceUnavailable, "This copy of Sourcebook is read-only. Editors work on the primary.")
		}))
	} else {
		cop := http.NewCrossOriginProtection()
		r.Route("/admin", func(r chi.Router) {
			r.Use(s.sessions.LoadAndSave, cop.Handler, limitBody, noStore)
			r.MethodNotAllowed(s.html(adminMethodNotAllowed))
			mount(r, "/admin", in[signIn])
			r.Group(func(r chi.Router) {
				r.Use(s.requireEditor)
				mount(r, "/admin", in[editor])
				r.Group(func(r chi.Router) {
					r.Use(s.requireAdmin)
					mount(r, "/admin", in[adminOnly])
				})
			})
		})
	}
	r.NotFound(s.html(func(http.ResponseWriter, *http.Request) error {
		return notFound("There is no page at this address.")
	}))
	r.MethodNotAllowed(s.html(func(w http.ResponseWriter, _ *http.Request) error {
		w.Header().Set("Allow", "GET, HEAD")
		return statusError(http.StatusMethodNotAllowed, "This site is read-only: pages can only be read.")
	}))
	return r
}

// mount registers routes on r, which serves the paths under prefix.
func mount(r chi.Router, prefix string, routes []route) {
	for _, rt := range routes {
		if rt.method == "" {
			r.Handle(strings.TrimPrefix(rt.pattern, prefix), rt.h)
		} else {
			r.Method(rt.method, strings.TrimPrefix(rt.pattern, prefix), rt.h)
		}
	}
}

// Routes lists every route as "METHOD /pattern", as the router serves them, for tests that
// must cover them all, so a route added later cannot be forgotten.
func (s *Server) Routes() []string {
	var out []string
	chi.Walk(s.router(), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		out = append(out, method+" "+route)
		return nil
	})
	return out
}

// AdminRoutes lists every admin route in the route table, for the test that each needs a
// session.
func (s *Server) AdminRoutes() []string {
	var out []string
	for _, rt := range s.routeTable() {
		if rt.area == signIn || rt.area == editor || rt.area == adminOnly {
			out = append(out, rt.method+" "+rt.pattern)
		}
	}
	return out
}
