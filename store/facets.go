// Facets: the counts beside search results (kinds, sources, publishers, actors, issues,
// precedents, years), kept in memory per data version.

package store

import (
	"cmp"
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

// SearchKinds are the kinds of record a search can return, in the order facets list them.
var SearchKinds = []string{"source", "block", "claim", "actor", "issue", "precedent"}

// filterTags turns a filter into FTS5 expressions over the tags column, refusing values
// that name nothing.
func (idx *facetIndex) filterTags(f SearchFilter) ([]string, error) {
	var out []string
	if len(f.Kinds) > 0 {
		var or []string
		for _, k := range f.Kinds {
			if !slices.Contains(SearchKinds, k) {
				return nil, fmt.Errorf("%w: there is no kind of result called %q", ErrInvalid, k)
			}
			or = append(or, `"k`+k+`"`)
		}
		out = append(out, strings.Join(or, " OR "))
	}
	for _, dim := range []struct{ name, value, prefix string }{
		{"source", f.Source, "s"}, {"actor", f.Actor, "a"}, {"issue", f.Issue, "i"}, {"precedent", f.Precedent, "r"},
	} {
		if dim.value == "" {
			continue
		}
		id, ok := idx.bySlug[dim.name][dim.value]
		if !ok {
			return nil, fmt.Errorf("%w: there is no %s %q", ErrInvalid, dim.name, dim.value)
		}
		out = append(out, `"`+dim.prefix+strconv.Itoa(int(id))+`"`)
	}
	if f.Publisher != "" {
		if !idx.publishers[f.Publisher] {
			return nil, fmt.Errorf("%w: no source has the publisher %q", ErrInvalid, f.Publisher)
		}
		out = append(out, publisherPhrase(f.Publisher))
	}
	if f.FromYear != 0 || f.ToYear != 0 {
		from, to := f.FromYear, f.ToYear
		if to == 0 {
			to = 9999
		}
		if from > to {
			return nil, fmt.Errorf("%w: the date range ends (%d) before it starts (%d)", ErrInvalid, to, from)
		}
		var or []string
		for _, y := range idx.years {
			if y >= from && y <= to {
				or = append(or, `"y`+strconv.Itoa(y)+`"`)
			}
		}
		if len(or) == 0 {
			or = []string{`"ynone"`} // nothing in range: match nothing, without an error
		}
		out = append(out, strings.Join(or, " OR "))
	}
	return out, nil
}

// facetTop is how many values a long facet shows.
const facetTop = 10

// count tallies the facet values of the matching rows. This loop runs for every match of
// every search, so the counters are slices indexed by id, and reading them back touches only
// the ids that were counted.
func (idx *facetIndex) count(rowids []int64, f SearchFilter) []Facet {
	var kinds [8]int
	sources, actors := newTally(idx.maxID[0]), newTally(idx.maxID[1])
	issues, precs := newTally(idx.maxID[2]), newTally(idx.maxID[3])
	years := map[int]int{}
	for _, id := range rowids {
		i := idx.row(id)
		if i < 0 {
			continue // newer than this copy of the index
		}
		r := &idx.rows[i]
		kinds[r.kind]++
		sources.add(r.source)
		if r.kind == kindBlock || r.kind == kindClaim || r.kind == kindPrecedent || r.kind == kindSource {
			years[int(r.year)]++
		}
		for _, a := range r.actors {
			actors.add(a)
		}
		for _, x := range r.issues {
			issues.add(x)
		}
		for _, p := range r.precs {
			precs.add(p)
		}
	}
	var out []Facet
	kf := Facet{Name: "kind"}
	for code := kindBlock; code <= kindLast; code++ {
		k := kindName(code)
		if kinds[code] > 0 || slices.Contains(f.Kinds, k) {
			kf.Values = append(kf.Values, FacetValue{Value: k, Label: kindLabel(k), Count: kinds[code], Selected: slices.Contains(f.Kinds, k)})
		}
	}
	slices.SortStableFunc(kf.Values, func(a, b FacetValue) int {
		return cmp.Compare(slices.Index(SearchKinds, a.Value), slices.Index(SearchKinds, b.Value))
	})
	out = append(out, kf)
	out = append(out, idx.namedFacet("source", sources, idx.sources, f.Source))
	pubs := map[string]int{}
	for _, id := range sources.seen {
		pubs[idx.publisherOf[id]] += int(sources.n[id])
	}
	pf := Facet{Name: "publisher"}
	for p, n := range pubs {
		if p != "" {
			pf.Values = append(pf.Values, FacetValue{Value: p, Label: p, Count: n, Selected: p == f.Publisher})
		}
	}
	sortValues(pf.Values)
	out = append(out, pf)
	out = append(out, idx.namedFacet("actor", actors, idx.actors, f.Actor))
	out = append(out, idx.namedFacet("issue", issues, idx.issues, f.Issue))
	out = append(out, idx.namedFacet("precedent", precs, idx.precedents, f.Precedent))
	yf := Facet{Name: "year"}
	for y, n := range years {
		if y != 0 {
			v := strconv.Itoa(y)
			yf.Values = append(yf.Values, FacetValue{Value: v, Label: v, Count: n, Selected: f.FromYear == y && f.ToYear == y})
		}
	}
	slices.SortFunc(yf.Values, func(a, b FacetValue) int { return cmp.Compare(b.Value, a.Value) })
	out = append(out, yf)
	return out
}

func (idx *facetIndex) namedFacet(name string, counts *tally, labels map[int32]named, selected string) Facet {
	f := Facet{Name: name}
	sel, ok := idx.bySlug[name][selected]
	if !ok {
		sel = -1
	}
	// Values below the facetTop-th largest count cannot be shown (unless selected), so they
	// are passed over before their labels are looked up.
	least := counts.least(facetTop)
	for _, id := range counts.seen {
		n := counts.n[id]
		if n < least && id != sel {
			continue
		}
		if l, ok := labels[id]; ok {
			f.Values = append(f.Values, FacetValue{Value: l.slug, Label: l.name, Count: int(n), Selected: id == sel})
		}
	}
	f.Values = topValues(f.Values, facetTop)
	return f
}

// tally counts ids from 0 to a maximum, remembering which it has seen.
type tally struct {
	n    []int32
	seen []int32
}

func newTally(maxID int32) *tally { return &tally{n: make([]int32, maxID+1)} }

func (t *tally) add(id int32) {
	if id < 0 || int(id) >= len(t.n) {
		return // an id newer than this copy of the index
	}
	if t.n[id] == 0 {
		t.seen = append(t.seen, id)
	}
	t.n[id]++
}

// least returns the k-th largest count, or 0 if fewer than k ids were seen.
func (t *tally) least(k int) int32 {
	if len(t.seen) <= k {
		return 0
	}
	top := make([]int32, 0, k) // the k largest so far; top[0] is the smallest of them
	for _, id := range t.seen {
		n := t.n[id]
		if len(top) < k {
			top = append(top, n)
			if len(top) == k {
				slices.Sort(top)
			}
			continue
		}
		if n <= top[0] {
			continue
		}
		i, _ := slices.BinarySearch(top, n)
		copy(top[:i-1], top[1:i])
		top[i-1] = n
	}
	return top[0]
}

// topValues keeps the n largest counts (and any selected value), in order. It selects
// before sorting: a facet over a large corpus can have tens of thousands of values.
func topValues(vs []FacetValue, n int) []FacetValue {
	if len(vs) > 4*n {
		// The n-th largest count is the threshold; keep what reaches it.
		counts := make([]int, len(vs))
		for i, v := range vs {
			counts[i] = v.Count
		}
		slices.Sort(counts)
		threshold := counts[len(counts)-n]
		kept := vs[:0]
		for _, v := range vs {
			if v.Count >= threshold || v.Selected {
				kept = append(kept, v)
			}
		}
		vs = kept
	}
	sortValues(vs)
	if len(vs) > n {
		top := vs[:n]
		for _, v := range vs[n:] {
			if v.Selected {
				top = append(top, v)
			}
		}
		vs = top
	}
	return vs
}

func sortValues(vs []FacetValue) {
	slices.SortFunc(vs, func(a, b FacetValue) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Label, b.Label)
	})
}

func kindLabel(k string) string {
	if k == "block" {
		return "passage"
	}
	return k
}
