package ui

import (
	"net/url"
	"slices"
	"strconv"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/store/vocab"
)

// NotInSources is what a cell of the comparison says when no fact of any source speaks to
// its column for that precedent.
const NotInSources = "Not in the sources"

// Comparison is the comparison table as the page and the CSV show it: the rows that pass
// the filters, in the order asked for, each cell derived from the facts tagged with its
// column.
type Comparison struct {
	Rows    []ComparisonRow
	All     []ComparisonRow   // every row, before filtering
	Total   int               // rows before filtering
	Filter  map[string]string // column key → code key the rows must carry
	Sort    string            // a column key, or "" for the precedents' own order
	Silent  []store.Precedent // precedents the sources say nothing of on any column
	Columns []Aspect
}

// ComparisonRow is one precedent or proposal, with one cell per column.
type ComparisonRow struct {
	Precedent store.Precedent
	Cells     []Cell // in the order of ComparisonAspects
}

// Cell is one precedent on one column: the codes its facts support, each with the facts
// that support it, and every fact on the column as the evidence under them. Where facts
// support different codes, every code is shown with its own passages.
type Cell struct {
	Aspect Aspect
	Codes  []CellCode
	Facts  []store.Fact
}

// CellCode is a code of a cell with the facts that support it.
type CellCode struct {
	Code  vocab.Code
	Facts []store.Fact
}

// Silent reports that no fact speaks to the cell's column.
func (c Cell) Silent() bool { return len(c.Facts) == 0 }

// Has reports whether one of the cell's facts supports the code.
func (c Cell) Has(code string) bool {
	return slices.ContainsFunc(c.Codes, func(cc CellCode) bool { return cc.Code.Key == code })
}

// Coded lists the columns that have a codebook, in the order the table shows them.
func Coded() []Aspect {
	var out []Aspect
	for _, a := range ComparisonAspects {
		if len(vocab.CodesFor(vocab.Aspect(a.Key))) > 0 {
			out = append(out, a)
		}
	}
	return out
}

// CodesOf lists a column's codes.
func CodesOf(a Aspect) []vocab.Code { return vocab.CodesFor(vocab.Aspect(a.Key)) }

// CellOf derives one precedent's cell on a column from its facts.
func CellOf(p store.Precedent, a Aspect) Cell {
	c := Cell{Aspect: a, Facts: factsOn(p.Facts, a.Key)}
	for _, f := range c.Facts {
		if f.Code == "" {
			continue
		}
		i := slices.IndexFunc(c.Codes, func(cc CellCode) bool { return cc.Code.Key == f.Code })
		if i < 0 {
			code, ok := vocab.CodeOf(vocab.Aspect(a.Key), f.Code)
			if !ok {
				code = vocab.Code{Key: f.Code, Label: f.Code}
			}
			i = len(c.Codes)
			c.Codes = append(c.Codes, CellCode{Code: code})
		}
		c.Codes[i].Facts = append(c.Codes[i].Facts, f)
	}
	// Codes in codebook order, so the same codes read the same way in every row.
	order := CodesOf(a)
	rank := func(k string) int {
		if i := slices.IndexFunc(order, func(c vocab.Code) bool { return c.Key == k }); i >= 0 {
			return i
		}
		return len(order)
	}
	slices.SortStableFunc(c.Codes, func(x, y CellCode) int { return rank(x.Code.Key) - rank(y.Code.Key) })
	return c
}

// Compare builds the comparison from the precedents with their facts: the rows that carry
// every code of filter (column key → code key), sorted by the codes of column sort (rows
// without a code on it last), or in the precedents' own order when sort is "". The caller
// has checked filter and sort against the codebook.
func Compare(list []store.Precedent, filter map[string]string, sort string) Comparison {
	cmp := Comparison{Filter: filter, Sort: sort, Columns: ComparisonAspects, Silent: silentOnAll(list)}
	for _, p := range compared(list) {
		row := ComparisonRow{Precedent: p}
		keep := true
		for _, a := range ComparisonAspects {
			c := CellOf(p, a)
			if want := filter[a.Key]; want != "" && !c.Has(want) {
				keep = false
			}
			row.Cells = append(row.Cells, c)
		}
		cmp.Total++
		cmp.All = append(cmp.All, row)
		if keep {
			cmp.Rows = append(cmp.Rows, row)
		}
	}
	if i := slices.IndexFunc(ComparisonAspects, func(a Aspect) bool { return a.Key == sort }); i >= 0 {
		order := CodesOf(ComparisonAspects[i])
		rank := func(r ComparisonRow) int {
			if codes := r.Cells[i].Codes; len(codes) > 0 {
				return slices.IndexFunc(order, func(c vocab.Code) bool { return c.Key == codes[0].Code.Key })
			}
			return len(order) + 1
		}
		slices.SortStableFunc(cmp.Rows, func(x, y ComparisonRow) int { return rank(x) - rank(y) })
	}
	return cmp
}

// Query is the comparison's URL with its filters and sort, for the CSV link.
func (c Comparison) Query() string {
	v := url.Values{}
	for k, code := range c.Filter {
		if code != "" {
			v.Set(k, code)
		}
	}
	if c.Sort != "" {
		v.Set("sort", c.Sort)
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// Filtered reports whether any filter is set.
func (c Comparison) Filtered() bool {
	for _, code := range c.Filter {
		if code != "" {
			return true
		}
	}
	return false
}

// Count says how many rows show: "17 arrangements" or "3 of 17 arrangements".
func (c Comparison) Count() string {
	if len(c.Rows) == c.Total {
		return strconv.Itoa(c.Total) + " arrangements"
	}
	return strconv.Itoa(len(c.Rows)) + " of " + strconv.Itoa(c.Total) + " arrangements"
}

// With is how many of all the rows carry a code on a column, for the filter's options.
func (c Comparison) With(a Aspect, code string) int {
	i := slices.IndexFunc(c.Columns, func(x Aspect) bool { return x.Key == a.Key })
	n := 0
	for _, r := range c.All {
		if i >= 0 && r.Cells[i].Has(code) {
			n++
		}
	}
	return n
}

// ariaSort marks the column the rows are sorted by.
func ariaSort(sorted bool) string {
	if sorted {
		return "ascending"
	}
	return "none"
}

// codeOf is the codebook entry a fact is tagged with, if any.
func codeOf(f store.Fact) (vocab.Code, bool) {
	if f.Code == "" {
		return vocab.Code{}, false
	}
	return vocab.CodeOf(vocab.Aspect(f.Aspect), f.Code)
}
