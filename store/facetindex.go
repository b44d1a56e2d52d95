// Facet index: a compact copy in memory of every search row's facet tags and lengths, kept
// per data version; facet counts, filters and ranking read it.

package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Facet counts are computed in memory: a compact copy of every search row's facet tags,
// looked up by rowid for each match. Counting the newest 10,000 matches this way takes well
// under a millisecond, where joining them to tables in SQL took tens.
//
// The copy is rebuilt when the data version changes. A small index is rebuilt before the
// search that noticed the change; a large one (slow to rebuild) is rebuilt in the
// background while searches keep counting on the previous copy, so a write never stalls
// readers. Results and filters never depend on the copy: they come from the live index.

type facetRow struct {
	kind   uint8
	source int32
	year   int16 // 0: unknown
	actors []int32
	issues []int32
	precs  []int32
}

type named struct{ slug, name string }

type facetIndex struct {
	version int64
	built   time.Duration
	rowids  []int64 // ascending
	rows    []facetRow
	at      [8][]int32 // kind code → record id → 1 + index into rows; 0 if not indexed

	sources     map[int32]named
	publisherOf map[int32]string
	bySlug      map[string]map[string]int32 // "source", "actor", "issue", "precedent" → slug → id
	actors      map[int32]named
	issues      map[int32]named
	precedents  map[int32]named
	publishers  map[string]bool
	years       []int
	maxID       [4]int32 // largest source, actor, issue and precedent id, to size counters
	avgTitle    float64  // characters in a title, on average over rows that have one, for ranking
	avgBody     float64  // characters in a body, likewise

	mu       sync.Mutex
	docFreqs map[string]int // rows holding a term, counted on first use (see docFreq)

	vocab vocabulary // the index's terms, read on first use (see Suggest)
}

type facetCache struct {
	mu         sync.Mutex
	idx        *facetIndex
	rebuilding bool
}

// syncRebuildLimit is how long a rebuild may take and still be done in line.
const syncRebuildLimit = 100 * time.Millisecond

func (s *Store) facetIndex(ctx context.Context) (*facetIndex, error) {
	v, err := s.Version(ctx)
	if err != nil {
		return nil, err
	}
	c := &s.facets
	c.mu.Lock()
	idx := c.idx
	switch {
	case idx != nil && idx.version == v.N:
		c.mu.Unlock()
		return idx, nil
	case idx != nil && idx.built > syncRebuildLimit:
		if !c.rebuilding {
			c.rebuilding = true
			go func() {
				fresh, err := s.buildFacetIndex(context.Background(), v.N)
				c.mu.Lock()
				defer c.mu.Unlock()
				c.rebuilding = false
				if err == nil && (c.idx == nil || fresh.version > c.idx.version) {
					c.idx = fresh
				}
			}()
		}
		c.mu.Unlock()
		return idx, nil
	}
	c.mu.Unlock()
	fresh, err := s.buildFacetIndex(ctx, v.N)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.idx == nil || fresh.version >= c.idx.version {
		c.idx = fresh
	}
	c.mu.Unlock()
	return fresh, nil
}

func (s *Store) buildFacetIndex(ctx context.Context, version int64) (*facetIndex, error) {
	started := time.Now()
	idx := &facetIndex{version: version, docFreqs: map[string]int{}, sources: map[int32]named{}, publisherOf: map[int32]string{},
		actors: map[int32]named{}, issues: map[int32]named{}, precedents: map[int32]named{},
		publishers: map[string]bool{}, bySlug: map[string]map[string]int32{
			"source": {}, "actor": {}, "issue": {}, "precedent": {}}}
	load := func(what, q string, into map[int32]named, extra func(id int32, rest string)) error {
		rows, err := s.query(ctx, q)
		if err != nil {
			return fmt.Errorf("facet labels (%s): %w", what, err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int32
			var n named
			var rest string
			if err := rows.Scan(&id, &n.slug, &n.name, &rest); err != nil {
				return fmt.Errorf("facet labels (%s): %w", what, err)
			}
			into[id] = n
			idx.bySlug[what][n.slug] = id
			slot := map[string]int{"source": 0, "actor": 1, "issue": 2, "precedent": 3}[what]
			idx.maxID[slot] = max(idx.maxID[slot], id)
			if extra != nil {
				extra(id, rest)
			}
		}
		return rows.Err()
	}
	if err := load("source", `SELECT id, slug, title, publisher FROM sources WHERE status = 'published'`, idx.sources,
		func(id int32, publisher string) { idx.publisherOf[id] = publisher; idx.publishers[publisher] = true }); err != nil {
		return nil, err
	}
	if err := load("actor", `SELECT id, slug, name, '' FROM actors`, idx.actors, nil); err != nil {
		return nil, err
	}
	if err := load("issue", `SELECT id, slug, name, '' FROM issues`, idx.issues, nil); err != nil {
		return nil, err
	}
	if err := load("precedent", `SELECT id, slug, name, '' FROM precedents`, idx.precedents, nil); err != nil {
		return nil, err
	}

	rows, err := s.query(ctx, `SELECT rowid, tags, length(title), length(body) FROM search ORDER BY rowid`)
	if err != nil {
		return nil, fmt.Errorf("facet index: %w", err)
	}
	defer rows.Close()
	years := map[int]bool{}
	var titles, bodies lengths
	for rows.Next() {
		var rowid int64
		var tags string
		var title, body int
		if err := rows.Scan(&rowid, &tags, &title, &body); err != nil {
			return nil, fmt.Errorf("facet index: %w", err)
		}
		r := parseTags(tags)
		r.kind = uint8(rowid % 8)
		if r.year != 0 {
			years[int(r.year)] = true
		}
		idx.rowids = append(idx.rowids, rowid)
		idx.rows = append(idx.rows, r)
		titles.add(title)
		bodies.add(body)
	}
	idx.avgTitle, idx.avgBody = titles.mean(), bodies.mean()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("facet index: %w", err)
	}
	for i, id := range idx.rowids {
		kind, rec := id%8, id/8
		if int(rec) >= len(idx.at[kind]) {
			idx.at[kind] = slices.Grow(idx.at[kind], int(rec)+1-len(idx.at[kind]))[:rec+1]
		}
		idx.at[kind][rec] = int32(i) + 1
	}
	for y := range years {
		idx.years = append(idx.years, y)
	}
	slices.Sort(idx.years)
	idx.built = time.Since(started)
	return idx, nil
}

// row returns the index into rows of a search rowid, or -1.
func (idx *facetIndex) row(rowid int64) int {
	if rowid < 0 {
		return -1
	}
	at := idx.at[rowid%8]
	if rec := rowid / 8; rec < int64(len(at)) {
		return int(at[rec]) - 1
	}
	return -1
}

// lengths averages the lengths of the non-empty values of a field.
type lengths struct{ sum, n int }

func (l *lengths) add(n int) {
	if n > 0 {
		l.sum += n
		l.n++
	}
}

func (l lengths) mean() float64 { return float64(l.sum) / float64(max(1, l.n)) }

// parseTags reads a row's tags: "kblock s12 pnewsweek y2025 a3,a5 i2 r1".
func parseTags(tags string) facetRow {
	var r facetRow
	for _, t := range strings.FieldsFunc(tags, func(c rune) bool { return c == ' ' || c == ',' }) {
		if len(t) < 2 {
			continue
		}
		n, err := strconv.Atoi(t[1:])
		switch t[0] {
		case 's':
			if err == nil {
				r.source = int32(n)
			}
		case 'y':
			if err == nil {
				r.year = int16(n)
			}
		case 'a':
			if err == nil {
				r.actors = append(r.actors, int32(n))
			}
		case 'i':
			if err == nil {
				r.issues = append(r.issues, int32(n))
			}
		case 'r':
			if err == nil {
				r.precs = append(r.precs, int32(n))
			}
		}
	}
	return r
}
