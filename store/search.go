package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/sourcebook/sourcebook/query"
)

// Search sizes. Work per query is bounded, so a word in every passage costs about what a
// rare word does: counts and facets cover at most FacetWindow matches (the newest), and
// passages and claims are ranked among the RankWindow newest matches (actors, issues and
// precedents, being few and named, are always ranked). Below these sizes, which covers the
// seed corpus many times over, every figure is exact.
const (
	FacetWindow = 10000
	RankWindow  = 1000
	MaxPage     = 50
)

// SearchFilter narrows a search; zero fields do not filter.
type SearchFilter struct {
	Kinds     []string // block, claim, actor, issue, precedent
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

// Hit is one search result. Snippet and TitleMarked mark matched words with \x02 and \x03,
// for the caller to turn into markup after escaping.
type Hit struct {
	Kind        string // block | claim | actor | issue | precedent
	Slug        string // the record's slug; for a block, its source's slug
	Key         string // a block's key
	Position    int    // a block's paragraph number
	Title       string
	SourceTitle string
	Snippet     string
	Score       float64
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
	if err := s.read.QueryRowContext(ctx, `SELECT coalesce(group_concat(rowid), '') FROM
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
	if res.Hits, err = s.rankedHits(ctx, match, rowids, res.Page, res.PerPage); err != nil {
		return SearchResult{}, err
	}
	return res, nil
}

// hitColumns are what a ranked row yields: its score and snippets. bm25 weighs a match in a
// title (a claim's statement, an actor's or precedent's name) ten times one in a body.
const hitColumns = `rowid, bm25(search, 0, 0, 10, 1, 0),
	highlight(search, 2, char(2), char(3)),
	snippet(search, 3, char(2), char(3), '…', 28)`

// rankedHits returns one page of hits by bm25. When there are more matches than the rank
// window, passages and claims are ranked among the newest RankWindow of them, and the few
// named records (actors, issues, precedents) are always ranked, in a second query whose
// scores are comparable because it runs the same MATCH over the same index.
func (s *Store) rankedHits(ctx context.Context, match string, rowids []int64, page, perPage int) ([]Hit, error) {
	need := page * perPage
	var rows []rankedRow
	var err error
	if len(rowids) <= RankWindow {
		rows, err = s.rankRows(ctx, `SELECT `+hitColumns+` FROM search WHERE search MATCH ? ORDER BY 2 LIMIT ?`, match, need)
	} else {
		rows, err = s.rankRows(ctx, `SELECT `+hitColumns+` FROM search WHERE search MATCH ? AND rowid >= ? ORDER BY 2 LIMIT ?`,
			match, rowids[RankWindow-1], need)
		if err == nil {
			var named []rankedRow
			named, err = s.rankRows(ctx, `SELECT `+hitColumns+` FROM search WHERE search MATCH ? ORDER BY 2 LIMIT ?`,
				match+` AND tags : ("kactor" OR "kissue" OR "kprecedent")`, need)
			rows = mergeRanked(rows, named)
		}
	}
	if err != nil {
		return nil, err
	}
	from := (page - 1) * perPage
	if from >= len(rows) {
		return nil, nil
	}
	rows = rows[from:min(len(rows), from+perPage)]
	return s.resolveHits(ctx, rows)
}

type rankedRow struct {
	rowid          int64
	score          float64
	title, snippet string
}

func (s *Store) rankRows(ctx context.Context, q string, args ...any) ([]rankedRow, error) {
	rs, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("rank search hits: %w", err)
	}
	defer rs.Close()
	var out []rankedRow
	for rs.Next() {
		var r rankedRow
		if err := rs.Scan(&r.rowid, &r.score, &r.title, &r.snippet); err != nil {
			return nil, fmt.Errorf("rank search hits: %w", err)
		}
		out = append(out, r)
	}
	return out, rs.Err()
}

// mergeRanked merges two score-ordered lists (lower bm25 is better), dropping duplicates.
func mergeRanked(a, b []rankedRow) []rankedRow {
	seen := map[int64]bool{}
	out := make([]rankedRow, 0, len(a)+len(b))
	for _, r := range append(a, b...) {
		if !seen[r.rowid] {
			seen[r.rowid] = true
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(x, y rankedRow) int {
		switch {
		case x.score < y.score:
			return -1
		case x.score > y.score:
			return 1
		}
		return 0
	})
	return out
}

// resolveHits turns ranked rows into hits with their records' slugs and titles, in one query.
func (s *Store) resolveHits(ctx context.Context, rows []rankedRow) ([]Hit, error) {
	list := idList(rows, func(r rankedRow) int64 { return r.rowid })
	rs, err := s.read.QueryContext(ctx, `SELECT j.value,
		coalesce(so.slug, cs.slug, a.slug, i.slug, p.slug, ''),
		coalesce(b.key, ''), coalesce(b.position, 0),
		coalesce(c.statement, a.name, i.name, p.name, ''),
		coalesce(so.title, cs.title, '')
		FROM json_each(?) j
		LEFT JOIN blocks b ON j.value % 8 = 1 AND b.id = j.value / 8
		LEFT JOIN sources so ON so.id = b.source_id
		LEFT JOIN claims c ON j.value % 8 = 2 AND c.id = j.value / 8
		LEFT JOIN sources cs ON cs.id = c.source_id
		LEFT JOIN actors a ON j.value % 8 = 3 AND a.id = j.value / 8
		LEFT JOIN precedents p ON j.value % 8 = 4 AND p.id = j.value / 8
		LEFT JOIN issues i ON j.value % 8 = 5 AND i.id = j.value / 8`, list)
	if err != nil {
		return nil, fmt.Errorf("resolve search hits: %w", err)
	}
	defer rs.Close()
	byRow := map[int64]Hit{}
	for rs.Next() {
		var rowid int64
		var h Hit
		if err := rs.Scan(&rowid, &h.Slug, &h.Key, &h.Position, &h.Title, &h.SourceTitle); err != nil {
			return nil, fmt.Errorf("resolve search hits: %w", err)
		}
		byRow[rowid] = h
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("resolve search hits: %w", err)
	}
	hits := make([]Hit, 0, len(rows))
	for _, r := range rows {
		h := byRow[r.rowid]
		h.Kind = kindName(int(r.rowid % 8))
		h.Score = r.score
		h.Snippet = r.snippet
		if r.title != "" && h.Kind != "block" {
			h.Title = r.title // the title with its matched words marked
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
