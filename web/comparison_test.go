package web_test

import (
	"encoding/csv"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/store/vocab"
	"github.com/sourcebook/sourcebook/web/link"
	"github.com/sourcebook/sourcebook/web/ui"
)

// comparisonRows reads the comparison page's table: for each precedent slug, its cells by
// column key, as HTML.
func comparisonRows(t *testing.T, page string) (order []string, rows map[string]map[string]string) {
	t.Helper()
	rowRe := regexp.MustCompile(`(?s)<tr class="(?:precedent|proposal)">(.*?)</tr>`)
	slugRe := regexp.MustCompile(`<th scope="row"><a href="/precedents/([a-z0-9-]+)"`)
	cellRe := regexp.MustCompile(`(?s)<td class="col-([a-z-]+)"[^>]*>(.*?)</td>`)
	rows = map[string]map[string]string{}
	for _, m := range rowRe.FindAllStringSubmatch(page, -1) {
		slug := slugRe.FindStringSubmatch(m[1])
		if slug == nil {
			t.Fatalf("a row names no precedent: %.200s", m[1])
		}
		cells := map[string]string{}
		for _, c := range cellRe.FindAllStringSubmatch(m[1], -1) {
			cells[c[1]] = c[2]
		}
		order = append(order, slug[1])
		rows[slug[1]] = cells
	}
	return order, rows
}

func precedentsWithFacts(t *testing.T, s site) []store.Precedent {
	t.Helper()
	list, err := s.st.PrecedentsWithFacts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// A cell says "not in the sources" exactly where no fact of that precedent sits under its
// column; every code a fact is tagged with shows in its cell with a link to the fact's
// passage, and the link leads to that passage.
func TestComparisonSaysNotInTheSourcesOnlyWhereNoFactSpeaks(t *testing.T) {
	s := newSite(t)
	_, rows := comparisonRows(t, s.page(t, "/precedents/compare"))
	followed := map[string]bool{}
	silent, cells := 0, 0
	for _, p := range precedentsWithFacts(t, s) {
		row, ok := rows[p.Slug]
		if !ok {
			continue // named below the table as one the sources say nothing of
		}
		for _, a := range ui.ComparisonAspects {
			cell, ok := row[a.Key]
			if !ok {
				t.Fatalf("%s has no cell for %s", p.Slug, a.Key)
			}
			cells++
			var facts []store.Fact
			for _, f := range p.Facts {
				if f.Aspect == a.Key {
					facts = append(facts, f)
				}
			}
			says := strings.Contains(cell, ui.NotInSources)
			if says {
				silent++
			}
			if len(facts) > 0 && says {
				t.Errorf("%s / %s says %q, but %d facts sit under it", p.Slug, a.Key, ui.NotInSources, len(facts))
			}
			if len(facts) == 0 && !says {
				t.Errorf("%s / %s has no fact, but does not say %q", p.Slug, a.Key, ui.NotInSources)
			}
			for _, f := range facts {
				if f.Code == "" {
					continue
				}
				code, ok := vocab.CodeOf(vocab.Aspect(a.Key), f.Code)
				if !ok {
					t.Errorf("%s / %s: code %q is not in the codebook", p.Slug, a.Key, f.Code)
					continue
				}
				if !strings.Contains(cell, ">"+html.EscapeString(code.Label)+"</a>") {
					t.Errorf("%s / %s: the cell does not show the code %q its fact is tagged with", p.Slug, a.Key, code.Label)
				}
				href := link.Passage(f.Block.Source.Slug, f.Block.Key, 0)
				if !strings.Contains(cell, `href="`+href+`"`) {
					t.Errorf("%s / %s: the cell does not cite %s, the passage its code %s rests on", p.Slug, a.Key, href, f.Code)
				}
				if !followed[href] {
					followed[href] = true
					if r := s.get(t, href); r.status != http.StatusOK {
						t.Errorf("%s / %s cites %s: status %d", p.Slug, a.Key, href, r.status)
					}
				}
			}
		}
	}
	if cells == 0 || len(followed) == 0 {
		t.Fatal("the comparison shows no coded cell")
	}
	t.Logf("%d of %d cells (%.0f%%) say %q", silent, cells, 100*float64(silent)/float64(cells), ui.NotInSources)
}

// The cells the issue named: what the NATO–Russia Founding Act and the Russian law promised
// are their obligations, and Budapest's obligation is the assurances, not a reading of
// today's talks.
func TestComparisonObligationsAreWhatWasPromised(t *testing.T) {
	s := newSite(t)
	_, rows := comparisonRows(t, s.page(t, "/precedents/compare"))
	for slug, want := range map[string]string{
		"nato-russia-founding-act-1997":   "Non-deployment",
		"russian-non-aggression-law-2025": "Non-aggression",
		"budapest-1994":                   "Security assurances",
	} {
		cell := rows[slug]["obligation"]
		if !strings.Contains(cell, ">"+want+"</a>") {
			t.Errorf("%s: obligation cell lacks %q: %s", slug, want, cell)
		}
	}
	if cell := rows["budapest-1994"]["obligation"]; strings.Contains(cell, "Guarantees") {
		t.Errorf("Budapest's obligation still holds the reading of today's talks: %s", cell)
	}
	// Where sources read Article 5 both ways, both codes show, each with its passage.
	cell := rows["north-atlantic-treaty-1949"]["obligation"]
	for _, want := range []string{">Defence commitment</a>", ">No commitment to fight</a>", `href="/sources/rutland-guarantee-paradox/sykzdu"`} {
		if !strings.Contains(cell, want) {
			t.Errorf("Article 5's obligation lacks %s", want)
		}
	}
}

func TestComparisonFiltersAndSortsByCode(t *testing.T) {
	s := newSite(t)
	all := precedentsWithFacts(t, s)
	want := 0
	for _, p := range all {
		if slices.ContainsFunc(p.Facts, func(f store.Fact) bool { return f.Aspect == "obligation" && f.Code == "defence-commitment" }) {
			want++
		}
	}
	page := s.page(t, "/precedents/compare?obligation=defence-commitment&sort=legal-form")
	order, rows := comparisonRows(t, page)
	if len(order) != want || want == 0 {
		t.Errorf("filtered by defence-commitment: %d rows, want %d", len(order), want)
	}
	for _, slug := range order {
		if !strings.Contains(rows[slug]["obligation"], ">Defence commitment</a>") {
			t.Errorf("%s is shown, but its obligation is not a defence commitment", slug)
		}
	}
	if !strings.Contains(page, `<option value="defence-commitment" selected>`) {
		t.Error("the form does not keep the chosen code")
	}
	// Sorted by legal form: each row's first legal-form code comes no earlier in the codebook
	// than the one above it, and rows with none come last.
	codes := vocab.CodesFor("legal-form")
	rank := func(slug string) int {
		for i, c := range codes {
			if strings.Contains(rows[slug]["legal-form"], ">"+html.EscapeString(c.Label)+"</a>") {
				return i
			}
		}
		return len(codes)
	}
	for i := 1; i < len(order); i++ {
		if rank(order[i]) < rank(order[i-1]) {
			t.Errorf("sorted by legal form, %s (%d) comes after %s (%d)", order[i], rank(order[i]), order[i-1], rank(order[i-1]))
		}
	}
	// The CSV link keeps the filter, and the CSV holds the same rows.
	csvHref := regexp.MustCompile(`href="(/precedents/compare\.csv[^"]*)"`).FindStringSubmatch(page)
	if csvHref == nil {
		t.Fatal("no CSV link")
	}
	records := readCSV(t, s, html.UnescapeString(csvHref[1]))
	if len(records)-1 != len(order) {
		t.Errorf("the filtered CSV has %d rows, the page %d", len(records)-1, len(order))
	}
	// An empty choice is "any": the whole table.
	if order, _ := comparisonRows(t, s.page(t, "/precedents/compare?obligation=&sort=")); len(order) < want {
		t.Errorf("with no filter chosen: %d rows", len(order))
	}
}

func TestComparisonRefusesBadParameters(t *testing.T) {
	s := newSite(t)
	// A parameter the comparison does not take (a tracking tag on a shared link) is ignored.
	if whole, tagged := s.get(t, "/precedents/compare"), s.get(t, "/precedents/compare?utm_source=x&utm_source=y"); tagged.status != http.StatusOK ||
		string(tagged.body) != string(whole.body) {
		t.Errorf("a tracking parameter: status %d, or the page differs from the untagged one", tagged.status)
	}
	for query, says := range map[string]string{
		"?obligation=nonsense": "has no code",
		"?sort=colour":         "cannot be sorted by",
		"?obligation=assurance&obligation=non-deployment": "give it once",
		"?guarantors=defence-commitment":                  "has no code",
	} {
		for _, path := range []string{"/precedents/compare", "/precedents/compare.csv"} {
			r := s.get(t, path+query)
			if r.status != http.StatusBadRequest {
				t.Errorf("%s%s: status %d, want 400", path, query, r.status)
			}
			if !strings.Contains(html.UnescapeString(string(r.body)), says) {
				t.Errorf("%s%s: the answer does not say %q: %.300s", path, query, says, r.body)
			}
		}
	}
}

func readCSV(t *testing.T, s site, path string) [][]string {
	t.Helper()
	r := s.get(t, path)
	if r.status != http.StatusOK || !strings.HasPrefix(r.contentType, "text/csv") {
		t.Fatalf("%s: status %d, %q", path, r.status, r.contentType)
	}
	records, err := csv.NewReader(strings.NewReader(string(r.body))).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return records
}

// The CSV gives each column's codes, labels and the absolute permalinks of the passages each
// code rests on, and every one of those leads to its passage.
func TestComparisonCSVHasCodesAndCitations(t *testing.T) {
	s := newSite(t)
	records := readCSV(t, s, "/precedents/compare.csv")
	header := records[0]
	col := func(name string) int {
		i := slices.Index(header, name)
		if i < 0 {
			t.Fatalf("the CSV has no column %s: %v", name, header)
		}
		return i
	}
	for _, a := range ui.ComparisonAspects {
		col(a.Key + "_codes")
		col(a.Key + "_labels")
		col(a.Key + "_citations")
		col(a.Key)
	}
	var budapest []string
	for _, r := range records[1:] {
		if r[0] == "budapest-1994" {
			budapest = r
		}
	}
	if budapest == nil {
		t.Fatal("no Budapest row")
	}
	if got := budapest[col("obligation_codes")]; got != "assurance" {
		t.Errorf("Budapest's obligation codes %q, want assurance", got)
	}
	if got := budapest[col("obligation_labels")]; got != "Security assurances" {
		t.Errorf("Budapest's obligation labels %q", got)
	}
	if got := budapest[col("enforcement")]; got != strings.ToLower(ui.NotInSources) {
		t.Errorf("Budapest's enforcement %q, want %q", got, strings.ToLower(ui.NotInSources))
	}
	urlRe := regexp.MustCompile(`https?://[^\s\]|]+`)
	followed := 0
	for _, r := range records[1:] {
		for _, a := range ui.ComparisonAspects {
			codes := r[col(a.Key+"_codes")]
			cites := r[col(a.Key+"_citations")]
			for _, code := range strings.Split(codes, "; ") {
				if code != "" && !strings.Contains(cites, code+": "+s.URL+"/sources/") {
					t.Errorf("%s / %s: code %s has no citation in %q", r[0], a.Key, code, cites)
				}
			}
			for _, u := range urlRe.FindAllString(cites, -1) {
				if !strings.HasPrefix(u, s.URL+"/") {
					t.Errorf("%s / %s: citation %s is not an absolute URL of the site", r[0], a.Key, u)
					continue
				}
				p, _ := url.Parse(u)
				if resp := s.get(t, p.RequestURI()); resp.status != http.StatusOK {
					t.Errorf("%s / %s: citation %s: status %d", r[0], a.Key, u, resp.status)
				}
				followed++
			}
		}
	}
	if followed == 0 {
		t.Error("the CSV cites no passage")
	}
}
