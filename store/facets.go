// Facets: the counts beside search results (kinds, sources, publishers, actors, issues,
// precedents, years), counted over the facet index, and the filters that name them.

package store

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

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
