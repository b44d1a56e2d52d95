package web

import (
	"strings"
	"testing"
)

// TestAPIDownloadsAreRoutes holds the /api index's downloads to the route table. They are
// listed by hand, not derived from it: the index spells them its own way ({table}.csv for
// the eight CSV routes, cite.{bib,ris,json} for cite.{format}) and in its own order, which
// the site's snapshot pins. So each must still name routes the table serves, and the CSV
// entry every table.
func TestAPIDownloadsAreRoutes(t *testing.T) {
	served := map[string]bool{}
	for _, rt := range (&Server{}).routeTable() {
		served[rt.pattern] = true
	}
	for _, d := range apiDownloads {
		p := strings.Replace(d.Path, "{bib,ris,json}", "{format}", 1)
		paths := []string{p}
		if strings.Contains(p, "{table}") {
			paths = nil
			for _, c := range csvTables {
				paths = append(paths, strings.Replace(p, "{table}", c.name, 1))
				if !strings.Contains(d.Description, c.name) {
					t.Errorf("the download %s does not name the table %s", d.Path, c.name)
				}
			}
		}
		for _, p := range paths {
			if !served[p] {
				t.Errorf("the download %s names %s, which the route table does not serve", d.Path, p)
			}
		}
	}
}
