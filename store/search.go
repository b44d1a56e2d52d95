// Search: the request, its hits and facets, and the search that ties index, facets and
// ranking together.

package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/sourcebook/sourcebook/store/query"
)

// Search sizes. Work per query is bounded, so a word in every passage costs about what a
// rare word does: the total and the facets count at most FacetWindow matches (the newest),
// and RankWindow of those are scored (see candidates), the rest following newest first.
// The seed corpus has 389 search rows in all, so there every count is exact, and every
// query but a handful of the commonest words has all its matches scored.
const (
	FacetWindow = 1000
	RankWindow  = 200
	MaxPage     = 50
)

// SearchFilter narrows a search; zero fields do not filter.
type SearchFilter struct {
	Kinds     []string // source, block, claim, actor, issue, precedent
	Source    string   // source slug
	Publisher string
	Actor     string // actor slug: passages citing them, their claims, the actor
	Issue     string
	Precedent string
	FromYear  int
	ToYear    int
}

// SearchRequest is a query, its filters and the page wanted.
type SearchRequest struct {
	Query   query.Query
	Filter  SearchFilter
	Page    int // from 1
	PerPage int
}

// SearchResult is one page of hits with counts and facets.
type SearchResult struct {
	Hits       []Hit
	Total      int  // matches, up to FacetWindow
	TotalExact bool // false when there are more than FacetWindow matches
	Facets     []Facet
	Page       int
	PerPage    int
	Pages      int
}

// Hit is one search result. Title and Snippet are plain text; TitleMarks and SnippetMarks
// say where in them the query matched, for the caller to mark as it escapes.
type Hit struct {
	Kind        string // source | block | claim | actor | issue | precedent
	Slug        string // the record's slug; for a block, its source's slug
	Key         string // a block's key
	Position    int    // a block's place in its source's text
	Paragraph   int    // a block's paragraph number, as citations give it; 0 for a heading, caption or note
	BlockKind   string // a block's kind: paragraph, heading, blockquote, caption, footnote
	Label       string // a footnote's number
	Title       string
	SourceTitle string // the source of a block or claim
	Speaker     string // a claim's speaker; "" when the claim names none
	Publisher   string // a source's publisher; "" when unknown
	Published   string // a source's date, cut to its precision; "" when unknown
	Snippet     string
	Score       float64

	TitleMarks   []query.Range // the matched words of Title; none for a block, whose title is its source's
	SnippetMarks []query.Range
}

// Facet is one dimension of the results with a count per value.
type Facet struct {
	Name   string // kind, source, publisher, actor, issue, precedent, year
	Values []FacetValue
}

// FacetValue is one value of a facet.
type FacetValue struct {
	Value    string // what goes in the URL: a slug, a kind, a year, a publisher
	Label    string
	Count    int
	Selected bool
}

// Search runs a query. An empty query returns no hits and no error; so does a query that
// matches nothing. Filters naming things that do not exist are refused with ErrInvalid.
func (s *Store) Search(ctx context.Context, req SearchRequest) (SearchResult, error) {
	res := SearchResult{Page: max(1, min(req.Page, MaxPage)), PerPage: req.PerPage}
	if res.PerPage <= 0 || res.PerPage > 100 {
		res.PerPage = 20
	}
	if req.Query.Empty() {
		return res, nil
	}
	idx, err := s.facetIndex(ctx)
	if err != nil {
		return SearchResult{}, err
	}
	tags, err := idx.filterTags(req.Filter)
	if err != nil {
		return SearchResult{}, err
	}
	match := "{title body} : (" + req.Query.FTS() + ")"
	for _, t := range tags {
		match += " AND tags : (" + t + ")"
	}

	// The newest matches, up to the window: the total, the facets and the rank window.
	var ids string
	if err := s.queryRow(ctx, `SELECT coalesce(group_concat(rowid), '') FROM
		(SELECT rowid FROM search WHERE search MATCH ? ORDER BY rowid DESC LIMIT ?)`, match, FacetWindow+1).Scan(&ids); err != nil {
		return SearchResult{}, fmt.Errorf("search %q: %w", req.Query, err)
	}
	rowids := parseIDs(ids)
	res.TotalExact = len(rowids) <= FacetWindow
	if !res.TotalExact {
		rowids = rowids[:FacetWindow]
	}
	res.Total = len(rowids)
	res.Pages = min(MaxPage, (res.Total+res.PerPage-1)/res.PerPage)
	res.Facets = idx.count(rowids, req.Filter)
	if res.Total == 0 {
		return res, nil
	}
	m := req.Query.Matcher()
	rows, err := s.rank(ctx, idx, req.Query, m, rowids, res.Page*res.PerPage)
	if err != nil {
		return SearchResult{}, err
	}
	from := (res.Page - 1) * res.PerPage
	if from >= len(rows) {
		return res, nil
	}
	rows = rows[from:min(len(rows), from+res.PerPage)]
	if err := s.excerpts(ctx, m, rows); err != nil {
		return SearchResult{}, err
	}
	res.Hits, err = s.resolveHits(ctx, rows)
	return res, err
}

// resolveHits turns ranked rows into hits with their records' slugs and titles, in one query.
func (s *Store) resolveHits(ctx context.Context, rows []rankedRow) ([]Hit, error) {
	list := idList(rows, func(r rankedRow) int64 { return r.rowid })
	rs, err := s.query(ctx, `SELECT j.value,
		coalesce(bs.slug, c.slug, a.slug, i.slug, p.slug, so.slug, ''),
		coalesce(b.key, ''), coalesce(b.position, 0), coalesce(b.paragraph, 0), coalesce(b.kind, ''), coalesce(b.label, ''),
		coalesce(c.statement, a.name, i.name, p.name, so.title, ''),
		coalesce(bs.title, cs.title, ''),
		coalesce(sp.name, ''),
		coalesce(so.publisher, ''), coalesce(so.published, '')
		FROM json_each(?) j
		LEFT JOIN blocks b ON j.value % 8 = 1 AND b.id = j.value / 8
		LEFT JOIN sources bs ON bs.id = b.source_id
		LEFT JOIN claims c ON j.value % 8 = 2 AND c.id = j.value / 8
		LEFT JOIN sources cs ON cs.id = c.source_id
		LEFT JOIN actors sp ON sp.id = c.speaker_id
		LEFT JOIN actors a ON j.value % 8 = 3 AND a.id = j.value / 8 AND `+actorPublic+`
		LEFT JOIN precedents p ON j.value % 8 = 4 AND p.id = j.value / 8
		LEFT JOIN issues i ON j.value % 8 = 5 AND i.id = j.value / 8
		LEFT JOIN sources so ON j.value % 8 = 6 AND so.id = j.value / 8`, list)
	if err != nil {
		return nil, fmt.Errorf("resolve search hits: %w", err)
	}
	defer rs.Close()
	byRow := map[int64]Hit{}
	for rs.Next() {
		var rowid int64
		var h Hit
		if err := rs.Scan(&rowid, &h.Slug, &h.Key, &h.Position, &h.Paragraph, &h.BlockKind, &h.Label, &h.Title, &h.SourceTitle, &h.Speaker,
			&h.Publisher, &h.Published); err != nil {
			return nil, fmt.Errorf("resolve search hits: %w", err)
		}
		byRow[rowid] = h
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("resolve search hits: %w", err)
	}
	hits := make([]Hit, 0, len(rows))
	for _, r := range rows {
		h, ok := byRow[r.rowid]
		if !ok || h.Slug == "" {
			continue // removed since the match: the index is read in another statement
		}
		h.Kind = kindName(int(r.rowid % 8))
		h.Score = r.score
		h.Snippet, h.SnippetMarks = r.snippet, r.snippetMarks
		if r.title != "" && h.Kind != "block" {
			h.Title, h.TitleMarks = r.title, r.titleMarks // the title as the index holds it, with its matched words
		}
		if h.Kind == "block" {
			h.Title = h.SourceTitle
		}
		hits = append(hits, h)
	}
	return hits, nil
}

func kindName(code int) string {
	switch code {
	case kindBlock:
		return "block"
	case kindClaim:
		return "claim"
	case kindActor:
		return "actor"
	case kindPrecedent:
		return "precedent"
	case kindIssue:
		return "issue"
	case kindSource:
		return "source"
	}
	return ""
}

// parseIDs reads a comma-separated list of integers as group_concat writes it.
func parseIDs(s string) []int64 {
	if s == "" {
		return nil
	}
	out := make([]int64, 0, strings.Count(s, ",")+1)
	for _, f := range strings.Split(s, ",") {
		if n, err := strconv.ParseInt(f, 10, 64); err == nil {
			out = append(out, n)
		}
	}
	return out
}
