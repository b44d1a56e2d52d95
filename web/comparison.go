package web

import (
	"net/http"
	"strings"

	"github.com/sourcebook/sourcebook/web/link"
	"github.com/sourcebook/sourcebook/web/ui"
)

// comparisonCSV is the comparison table as CSV: one row per precedent or proposal, one
// column per dimension, each cell its statements with their passage permalinks, or "sources
// silent".
func (s *Server) comparisonCSV(w http.ResponseWriter, r *http.Request) error {
	list, err := s.store.PrecedentsWithFacts(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="sourcebook-precedents-compared.csv"`)
	cw := newSpreadsheetCSV(w)
	header := []string{"id", "name", "kind", "date_start", "date_end", "url"}
	for _, a := range ui.ComparisonAspects {
		header = append(header, a.Key)
	}
	cw.Write(header)
	o := s.origin(r)
	for _, p := range list {
		row := []string{p.Slug, p.Name, p.Kind, p.DateStart, p.DateEnd, o + link.Precedent(p.Slug)}
		for _, a := range ui.ComparisonAspects {
			var cell []string
			for _, f := range p.Facts {
				if f.Aspect == a.Key {
					cell = append(cell, f.Text+" ["+o+link.Passage(f.Block.Source.Slug, f.Block.Key, 0)+"]")
				}
			}
			if len(cell) == 0 {
				cell = []string{"sources silent"}
			}
			row = append(row, strings.Join(cell, " | "))
		}
		cw.Write(row)
	}
	cw.Flush()
	return nil
}
