package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/sourcebook/sourcebook/query"
)

// Search sizes. Work per query is bounded, so a word in every passage costs about what a
// rare word does: counts and facets cover at most FacetWindow matches (the newest); results
// of up to FacetWindow matches are ranked by bm25 among the RankWindow newest and every
// named record (actor, issue, precedent); larger results are ordered by kind and recency.
// Below these sizes, which cover the seed corpus many times over, every figure is exact.
const (
	FacetWindow = 5000
	RankWindow  = 500
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
	var rows []rankedRow
	if res.TotalExact {
		rows, err = s.rankByScore(ctx, req.Query, rowids, res.Page*res.PerPage)
	} else {
		rows, err = s.rankByKind(ctx, match, req.Filter.Kinds, res.Page*res.PerPage)
	}
	if err != nil {
		return SearchResult{}, err
	}
	from := (res.Page - 1) * res.PerPage
	if from >= len(rows) {
		return res, nil
	}
	rows = rows[from:min(len(rows), from+res.PerPage)]
	// Snippets need only the user's words: the rows are known, and the filter tags' long
	// posting lists would only slow FTS5's seek to each row.
	if err := s.snippets(ctx, "{title body} : ("+req.Query.FTS()+")", rows); err != nil {
		return SearchResult{}, err
	}
	res.Hits, err = s.resolveHits(ctx, rows)
	return res, err
}

// rankByScore orders matches by bm25, which weighs a match in a title (a claim's statement,
// an actor's or precedent's name) ten times one in a body. The candidates are the newest
// RankWindow matches and every named record (actor, issue, precedent) among the matches.
// The statement matches the user's words only, not the filter tags: bm25 reads the whole
// posting list of every term it weighs, and a tag such as "every claim" is a long one. The
// filters are already in the candidate list, which the statement is restricted to.
func (s *Store) rankByScore(ctx context.Context, q query.Query, rowids []int64, need int) ([]rankedRow, error) {
	candidates := rowids[:min(len(rowids), RankWindow)]
	for _, id := range rowids[len(candidates):] {
		if k := id % 8; k == kindActor || k == kindIssue || k == kindPrecedent {
			candidates = append(candidates, id)
		}
	}
	// "+rowid" keeps SQLite from handing the IN list to FTS5, which would run the MATCH,
	// and bm25's scan of every term's whole posting list, once per listed rowid. Only the
	// lower bound reaches FTS5; the list is checked row by row.
	args := []any{"{title body} : (" + q.FTS() + ")", slices.Min(candidates)}
	for _, id := range candidates {
		args = append(args, id)
	}
	args = append(args, need)
	return s.rankRows(ctx, `SELECT rowid, bm25(search, 0, 0, 10, 1, 0) FROM search
		WHERE search MATCH ? AND rowid >= ? AND +rowid IN (`+placeholders(len(candidates))+`)
		ORDER BY 2 LIMIT ?`, args...)
}

// placeholders returns n comma-separated SQL parameters.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// rankByKind orders a very large result (more than FacetWindow matches, where weighing every
// match by bm25 would cost tens of milliseconds) without scores: the named records first,
// then claims, then passages, each newest first. Each part is a query that stops early.
func (s *Store) rankByKind(ctx context.Context, match string, kinds []string, need int) ([]rankedRow, error) {
	var rows []rankedRow
	for _, part := range []struct {
		tags  string
		kinds []string
	}{
		{`"kactor" OR "kissue" OR "kprecedent"`, []string{"actor", "issue", "precedent"}},
		{`"kclaim"`, []string{"claim"}},
		{`"kblock"`, []string{"block"}},
	} {
		if len(rows) >= need {
			break
		}
		if len(kinds) > 0 && !slices.ContainsFunc(part.kinds, func(k string) bool { return slices.Contains(kinds, k) }) {
			continue
		}
		more, err := s.rankRows(ctx, `SELECT rowid, 0 FROM search WHERE search MATCH ? ORDER BY rowid DESC LIMIT ?`,
			match+" AND tags : ("+part.tags+")", need-len(rows))
		if err != nil {
			return nil, err
		}
		rows = append(rows, more...)
	}
	return rows, nil
}

// snippets fills in the marked title and snippet of the page's rows, one row at a time:
// with rowid = ? FTS5 seeks straight to the row, where an IN list would make it walk every
// match.
func (s *Store) snippets(ctx context.Context, match string, rows []rankedRow) error {
	const q = `SELECT highlight(search, 2, char(2), char(3)),
		snippet(search, 3, char(2), char(3), '…', 28)
		FROM search WHERE search MATCH ? AND rowid = ?`
	for i := range rows {
		err := s.queryRow(ctx, q, match, rows[i].rowid).Scan(&rows[i].title, &rows[i].snippet)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("search snippets: %w", err)
		}
	}
	return nil
}

type rankedRow struct {
	rowid          int64
	score          float64
	title, snippet string
}

func (s *Store) rankRows(ctx context.Context, q string, args ...any) ([]rankedRow, error) {
	rs, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("rank search hits: %w", err)
	}
	defer rs.Close()
	var out []rankedRow
	for rs.Next() {
		var r rankedRow
		if err := rs.Scan(&r.rowid, &r.score); err != nil {
			return nil, fmt.Errorf("rank search hits: %w", err)
		}
		out = append(out, r)
	}
	return out, rs.Err()
}

// resolveHits turns ranked rows into hits with their records' slugs and titles, in one query.
func (s *Store) resolveHits(ctx context.Context, rows []rankedRow) ([]Hit, error) {
	list := idList(rows, func(r rankedRow) int64 { return r.rowid })
	rs, err := s.query(ctx, `SELECT j.value,
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
