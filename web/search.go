package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/store/query"
	"github.com/sourcebook/sourcebook/web/link"
	"github.com/sourcebook/sourcebook/web/ui"
)

// filterParams are the URL parameters that filter a search, in the order they are shown.
var filterParams = []string{"kind", "source", "publisher", "actor", "issue", "precedent", "from", "to"}

// searchRequest reads a search from the URL. Bad numbers are reported, with everything the
// user typed kept, rather than silently dropped.
func searchRequest(v url.Values) (store.SearchRequest, error) {
	req := store.SearchRequest{
		Query: query.Parse(v.Get("q")),
		Filter: store.SearchFilter{Kinds: v["kind"], Source: v.Get("source"), Publisher: v.Get("publisher"),
			Actor: v.Get("actor"), Issue: v.Get("issue"), Precedent: v.Get("precedent")},
		Page: 1, PerPage: 20,
	}
	var errs []string
	num := func(name string, min, max int) int {
		s := v.Get(name)
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < min || n > max {
			errs = append(errs, fmt.Sprintf("%s must be a number from %d to %d, not %q", name, min, max, s))
			return 0
		}
		return n
	}
	req.Filter.FromYear = num("from", 1000, 9999)
	req.Filter.ToYear = num("to", 1000, 9999)
	req.Page = max(1, num("page", 1, store.MaxPage))
	if n := num("per_page", 1, 100); n > 0 {
		req.PerPage = n
	}
	if len(errs) > 0 {
		return req, fmt.Errorf("%w: %s", store.ErrInvalid, strings.Join(errs, "; "))
	}
	return req, nil
}

func (s *Server) search(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	req, err := searchRequest(v)
	var res store.SearchResult
	if err == nil {
		res, err = s.store.Search(r.Context(), req)
	}
	status := http.StatusOK
	view := ui.SearchView{Q: v.Get("q")}
	switch {
	case errors.Is(err, store.ErrInvalid):
		status = http.StatusBadRequest
		view.Error = strings.TrimPrefix(err.Error(), store.ErrInvalid.Error()+": ")
	case err != nil:
		return err
	}
	s.fillSearchView(r, &view, v, req, res)
	if view.Searched && res.Total == 0 && view.Error == "" {
		view.Suggestions = s.suggestions(r, v, req)
	}
	return s.writeHTML(w, r, status, ui.SearchPage(view))
}

func (s *Server) fillSearchView(r *http.Request, view *ui.SearchView, v url.Values, req store.SearchRequest, res store.SearchResult) {
	view.Total, view.TotalExact, view.Searched = res.Total, res.TotalExact, !req.Query.Empty()
	for _, name := range filterParams {
		for _, val := range v[name] {
			view.Filters = append(view.Filters, ui.LinkItem{Label: name + ": " + val, URL: searchURL(v, name, val, false)})
		}
	}
	for _, f := range res.Facets {
		fv := ui.FacetView{Name: f.Name, Label: facetLabel(f.Name)}
		for _, val := range f.Values {
			u := searchURL(v, f.Name, val.Value, !val.Selected)
			if f.Name == "year" {
				u = yearURL(v, val.Value, !val.Selected)
			}
			fv.Values = append(fv.Values, ui.FacetValueView{Label: val.Label, Count: val.Count, Selected: val.Selected, URL: u})
		}
		if len(fv.Values) > 0 {
			view.Facets = append(view.Facets, fv)
		}
	}
	for _, h := range res.Hits {
		view.Hits = append(view.Hits, ui.SearchHit{Kind: h.Kind, URL: hitURL(h), Title: h.Title, TitleMarks: h.TitleMarks,
			Snippet: h.Snippet, SnippetMarks: h.SnippetMarks, Where: hitWhere(h)})
	}
	view.Pages = pageLinks(res.Page, res.Pages, func(p int) string { return pageURL(v, p) })
}

// suggestions offers ways on from an empty result: drop a filter that emptied it, or correct
// the spelling of a word the index does not hold.
func (s *Server) suggestions(r *http.Request, v url.Values, req store.SearchRequest) []ui.LinkItem {
	var out []ui.LinkItem
	for _, name := range filterParams {
		for _, val := range v[name] {
			without := cloneValues(v)
			without.Del("page")
			removeValue(without, name, val)
			wreq, err := searchRequest(without)
			if err != nil {
				continue
			}
			if res, err := s.store.Search(r.Context(), wreq); err == nil && res.Total > 0 {
				out = append(out, ui.LinkItem{Label: fmt.Sprintf("without %s: %s (%s)", name, val, countText(res.Total, res.TotalExact)),
					URL: "/search?" + without.Encode()})
			}
		}
	}
	if sug, err := s.store.Suggest(r.Context(), req); err != nil {
		s.log.Warn("spelling suggestion failed", "err", err)
	} else if sug != nil {
		q := query.Respell(v.Get("q"), sug.Corrections)
		out = append(out, ui.LinkItem{Label: fmt.Sprintf("did you mean %s? (%s)", q, countText(sug.Total, sug.TotalExact)),
			URL: suggestionURL(v, q)})
	}
	return out
}

// suggestionURL is the current search, filters kept, with the corrected query.
func suggestionURL(v url.Values, q string) string {
	alt := cloneValues(v)
	alt.Set("q", q)
	alt.Del("page")
	return "/search?" + alt.Encode()
}

func countText(n int, exact bool) string {
	if !exact {
		return fmt.Sprintf("more than %d results", n)
	}
	if n == 1 {
		return "1 result"
	}
	return strconv.Itoa(n) + " results"
}

func facetLabel(name string) string {
	switch name {
	case "kind":
		return "Kind of result"
	case "year":
		return "Year"
	}
	return strings.ToUpper(name[:1]) + name[1:]
}

func hitURL(h store.Hit) string {
	switch h.Kind {
	case "block":
		return link.Passage(h.Slug, h.Key, 0)
	case "claim":
		return link.Claim(h.Slug)
	case "actor":
		return link.Actor(h.Slug)
	case "issue":
		return link.Issue(h.Slug)
	case "source":
		return link.Source(h.Slug)
	}
	return link.Precedent(h.Slug)
}

func hitWhere(h store.Hit) string {
	switch h.Kind {
	case "block":
		return ui.BlockLabel(h.BlockKind, h.Label, h.Paragraph, h.Position)
	case "claim":
		if h.Speaker == "" {
			return "claim in " + h.SourceTitle
		}
		return "claim by " + h.Speaker + ", in " + h.SourceTitle
	case "source":
		if where := strings.Join(nonEmpty(h.Publisher, h.Published), ", "); where != "" {
			return "source: " + where
		}
		return "source"
	}
	return h.Kind
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func cloneValues(v url.Values) url.Values {
	c := url.Values{}
	for k, vs := range v {
		c[k] = append([]string(nil), vs...)
	}
	return c
}

func removeValue(v url.Values, name, val string) {
	var keep []string
	for _, x := range v[name] {
		if x != val {
			keep = append(keep, x)
		}
	}
	if len(keep) == 0 {
		v.Del(name)
	} else {
		v[name] = keep
	}
}

// searchURL is the current search with one filter value added or removed; the page resets.
func searchURL(v url.Values, name, val string, add bool) string {
	c := cloneValues(v)
	c.Del("page")
	if add {
		if name == "kind" {
			c.Add(name, val)
		} else {
			c.Set(name, val)
		}
	} else {
		removeValue(c, name, val)
	}
	return "/search?" + c.Encode()
}

func yearURL(v url.Values, year string, add bool) string {
	c := cloneValues(v)
	c.Del("page")
	if add {
		c.Set("from", year)
		c.Set("to", year)
	} else {
		c.Del("from")
		c.Del("to")
	}
	return "/search?" + c.Encode()
}

func pageURL(v url.Values, p int) string {
	c := cloneValues(v)
	if p == 1 {
		c.Del("page")
	} else {
		c.Set("page", strconv.Itoa(p))
	}
	return "/search?" + c.Encode()
}

// apiSearch is the search as JSON, with the same parameters as the page.
func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) error {
	req, err := searchRequest(r.URL.Query())
	var res store.SearchResult
	if err == nil {
		res, err = s.store.Search(r.Context(), req)
	}
	// The search has always said its errors in its own words: the page's, without the
	// "invalid" prefix, and a 500 that names the search.
	if errors.Is(err, store.ErrInvalid) {
		return statusError(http.StatusBadRequest, strings.TrimPrefix(err.Error(), store.ErrInvalid.Error()+": "))
	}
	if err != nil {
		return &httpError{status: http.StatusInternalServerError, msg: "search failed; it has been logged", cause: err}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	type hit struct {
		Kind        string    `json:"kind"`
		Title       string    `json:"title"`
		URL         string    `json:"url"`
		Where       string    `json:"where"`
		Speaker     *nullable `json:"speaker,omitempty"`      // a claim's; null when it names none
		SourceTitle string    `json:"source_title,omitempty"` // a passage's or claim's source
		Snippet     string    `json:"snippet_html"`
		Score       float64   `json:"score"`
	}
	type suggestion struct {
		Query      string `json:"query"`
		Total      int    `json:"total"`
		TotalExact bool   `json:"total_exact"`
		URL        string `json:"url"`
	}
	type facetValue struct {
		Value    string `json:"value"`
		Label    string `json:"label"`
		Count    int    `json:"count"`
		Selected bool   `json:"selected"`
	}
	out := struct {
		Query      string                  `json:"query"`
		Total      int                     `json:"total"`
		TotalExact bool                    `json:"total_exact"`
		Page       int                     `json:"page"`
		Pages      int                     `json:"pages"`
		Hits       []hit                   `json:"hits"`
		Facets     map[string][]facetValue `json:"facets"`
		Suggestion *suggestion             `json:"suggestion"` // a corrected query when nothing matched
	}{Query: req.Query.String(), Total: res.Total, TotalExact: res.TotalExact, Page: res.Page, Pages: res.Pages,
		Hits: []hit{}, Facets: map[string][]facetValue{}}
	for _, h := range res.Hits {
		ah := hit{Kind: h.Kind, Title: h.Title, URL: hitURL(h), Where: hitWhere(h), SourceTitle: h.SourceTitle,
			Snippet: ui.MarkedHTML(h.Snippet, h.SnippetMarks), Score: h.Score}
		if h.Kind == "claim" {
			speaker := nullable(h.Speaker)
			ah.Speaker = &speaker
		}
		out.Hits = append(out.Hits, ah)
	}
	if res.Total == 0 && !req.Query.Empty() {
		if sug, err := s.store.Suggest(r.Context(), req); err != nil {
			s.log.Warn("spelling suggestion failed", "err", err)
		} else if sug != nil {
			q := query.Respell(r.URL.Query().Get("q"), sug.Corrections)
			out.Suggestion = &suggestion{Query: q, Total: sug.Total, TotalExact: sug.TotalExact, URL: suggestionURL(r.URL.Query(), q)}
		}
	}
	for _, f := range res.Facets {
		vals := []facetValue{}
		for _, v := range f.Values {
			vals = append(vals, facetValue{v.Value, v.Label, v.Count, v.Selected})
		}
		out.Facets[f.Name] = vals
	}
	json.NewEncoder(w).Encode(out)
	return nil
}
