package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/sourcebook/sourcebook/store/vocab"
	"github.com/sourcebook/sourcebook/web/link"
	"github.com/sourcebook/sourcebook/web/ui"
)

// comparisonView reads the comparison's filters and sort from the query and builds it. A
// filter is a column's key with one of its codes (?obligation=defence-commitment), an empty
// value meaning any; sort is a coded column's key. A bad value for either is a 400 that says
// what the parameter may be; parameters the comparison does not take are ignored.
func (s *Server) comparisonView(r *http.Request) (ui.Comparison, error) {
	filter, sort, err := comparisonQuery(r.URL.Query())
	if err != nil {
		return ui.Comparison{}, err
	}
	list, err := s.store.PrecedentsWithFacts(r.Context())
	if err != nil {
		return ui.Comparison{}, err
	}
	return ui.Compare(list, filter, sort), nil
}

func comparisonQuery(q url.Values) (map[string]string, string, error) {
	coded := ui.Coded()
	var columns []string
	for _, a := range coded {
		columns = append(columns, a.Key)
	}
	bad := func(format string, args ...any) error {
		return statusError(http.StatusBadRequest, fmt.Sprintf(format, args...))
	}
	filter := map[string]string{}
	sort := ""
	for name, values := range q {
		if name != "sort" && !slices.Contains(columns, name) {
			// Not the comparison's: a tracking tag on a shared link, say. Like every other
			// page, it is ignored rather than refused.
			continue
		}
		if len(values) > 1 {
			return nil, "", bad("The parameter %q is given %d times; give it once.", name, len(values))
		}
		value := values[0]
		if name == "sort" {
			if value != "" && !slices.Contains(columns, value) {
				return nil, "", bad("The comparison cannot be sorted by %q: sort by one of %s.", value, strings.Join(columns, ", "))
			}
			sort = value
			continue
		}
		if value == "" {
			continue
		}
		if _, ok := vocab.CodeOf(vocab.Aspect(name), value); !ok {
			return nil, "", bad("The column %s has no code %q: its codes are %s.", name, value, strings.Join(vocab.CodeKeys(vocab.Aspect(name)), ", "))
		}
		filter[name] = value
	}
	return filter, sort, nil
}

// comparisonCSV is the comparison table as CSV: one row per precedent or proposal and, per
// column, its codes, their labels, the passages each code rests on (absolute permalinks) and
// the statements with their passages, or "not in the sources". It takes the page's filters
// and sort.
func (s *Server) comparisonCSV(w http.ResponseWriter, r *http.Request) error {
	c, err := s.comparisonView(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="sourcebook-precedents-compared.csv"`)
	cw := newSpreadsheetCSV(w)
	header := []string{"id", "name", "kind", "date_start", "date_end", "url"}
	for _, a := range c.Columns {
		header = append(header, a.Key+"_codes", a.Key+"_labels", a.Key+"_citations", a.Key)
	}
	cw.Write(header)
	o := s.origin(r)
	for _, row := range c.Rows {
		p := row.Precedent
		out := []string{p.Slug, p.Name, p.Kind, p.DateStart, p.DateEnd, o + link.Precedent(p.Slug)}
		for _, cell := range row.Cells {
			var codes, labels, cites, prose []string
			for _, cc := range cell.Codes {
				codes = append(codes, cc.Code.Key)
				labels = append(labels, cc.Code.Label)
				var urls []string
				for _, f := range cc.Facts {
					urls = append(urls, o+link.Passage(f.Block.Source.Slug, f.Block.Key, 0))
				}
				cites = append(cites, cc.Code.Key+": "+strings.Join(urls, " "))
			}
			for _, f := range cell.Facts {
				prose = append(prose, f.Text+" ["+o+link.Passage(f.Block.Source.Slug, f.Block.Key, 0)+"]")
			}
			if cell.Silent() {
				prose = []string{strings.ToLower(ui.NotInSources)}
			}
			out = append(out, strings.Join(codes, "; "), strings.Join(labels, "; "), strings.Join(cites, " | "), strings.Join(prose, " | "))
		}
		cw.Write(out)
	}
	cw.Flush()
	return nil
}
