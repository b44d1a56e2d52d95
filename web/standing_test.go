package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/sourcebook/sourcebook/store/vocab"
)

// matrixCellRe finds the matrix's cells with a stance: their classes and their contents.
var matrixCellRe = regexp.MustCompile(`<td class="cell ([^"]*)"><a href="(/positions/[^"]+)">(.*?)</a></td>`)

var hiddenRe = regexp.MustCompile(`<span class="visually-hidden">[^<]*</span>`)

// A stance resting only on someone else's report or an author's reading is never drawn as if
// the actor had said it: every such cell of the matrix says "reported" or "inferred" in its
// text and its accessible name, on every page of the matrix; and what it says agrees with
// the position's own page and the API.
func TestMatrixMarksStancesNotInTheActorsOwnWords(t *testing.T) {
	s := newSite(t)
	var total, marked int
	for page := 1; ; page++ {
		path := "/matrix"
		if page > 1 {
			path += "?page=" + strconv.Itoa(page)
		}
		r := s.get(t, path)
		if r.status == http.StatusNotFound && page > 1 {
			break
		}
		if r.status != http.StatusOK {
			t.Fatalf("%s: status %d", path, r.status)
		}
		cells := matrixCellRe.FindAllStringSubmatch(string(r.body), -1)
		if len(cells) == 0 {
			t.Fatalf("%s: no cells found; the test's pattern no longer matches the matrix", path)
		}
		for _, c := range cells {
			// The link's text, with what only a screen reader hears, is its accessible name;
			// without the visually hidden spans it is what the eye reads.
			classes, href, label := c[1], c[2], text(c[3])
			content := text(hiddenRe.ReplaceAllString(c[3], ""))
			total++
			var api struct {
				Stance, Grade string
				Contested     bool
				Override      *struct{ Stance, Reason string }
			}
			s.json(t, "/api"+href, &api)
			if !strings.Contains(classes, "grade-"+api.Grade) {
				t.Errorf("%s: the cell's classes %q do not carry its grade %q", href, classes, api.Grade)
			}
			if api.Override == nil && api.Grade != string(vocab.OwnWords) {
				marked++
				if !strings.Contains(content, api.Grade) || !strings.Contains(label, api.Grade) {
					t.Errorf("%s: a %s stance reads %q (label %q): it must say %q", href, api.Grade, content, label, api.Grade)
				}
			}
			if api.Contested != strings.Contains(label, "contested") {
				t.Errorf("%s: contested is %v but the cell's name is %q", href, api.Contested, label)
			}
			if !strings.Contains(content, vocab.Stance(api.Stance).Word()) {
				t.Errorf("%s: the cell reads %q, the API says %q", href, content, api.Stance)
			}
			if !strings.Contains(label, "“") {
				t.Errorf("%s: the cell's accessible name %q does not give the proposition", href, label)
			}
		}
	}
	if marked == 0 {
		t.Fatalf("none of %d cells rests on a report or a reading; the seed corpus has such positions", total)
	}
	t.Logf("%d cells, %d marked as reported or inferred", total, marked)
}

// A claim saved through the admin moves its position at once: on the matrix, the actor's
// chart, the issue page, the position page and the API, with its grade; a stronger claim
// outweighs a weaker one; evidence of the same grade pointing the other way makes the cell
// contested; and an editor's override shows as the editor's, with the reason.
func TestAClaimSavedInTheAdminMovesItsPosition(t *testing.T) {
	s := newSite(t, withEditor())
	const actor, issue = "nato", "foreign-troops"
	if r := s.get(t, "/positions/"+actor+"/"+issue); r.status != http.StatusNotFound {
		t.Fatalf("the test needs an actor with no position on the issue; /positions/%s/%s answers %d", actor, issue, r.status)
	}
	claim := func(statement, quote, stance, evidence, reporter string) {
		t.Helper()
		form := url.Values{"block": {"c7vtk7"}, "quote": {quote}, "statement": {statement}, "speaker": {actor},
			"kind": {"paraphrase"}, "evidence": {evidence}, "reported_by": {reporter}, "stance-" + issue: {stance}}
		if evidence != string(vocab.OwnWords) {
			form.Set("speaker", "steve-witkoff")
			form.Set("holder", actor)
		}
		if status, body := s.post(t, s.client, "/admin/sources/ap-witkoff-article5/claims", form); status != http.StatusSeeOther {
			t.Fatalf("save claim %q: status %d\n%s", statement, status, body)
		}
	}
	position := func() (api struct {
		Stance, Grade string
		Contested     bool
		Evidence      map[string]map[string]int
	}) {
		t.Helper()
		s.json(t, "/api/positions/"+actor+"/"+issue, &api)
		return api
	}

	claim("NATO reportedly backs troops.", "NEW YORK", "for", "reported", "steve-witkoff")
	if p := position(); p.Stance != "for" || p.Grade != "reported" {
		t.Fatalf("after one reported claim for: %+v", p)
	}
	for _, path := range []string{"/matrix?page=1", "/actors/" + actor, "/issues/" + issue, "/positions/" + actor + "/" + issue} {
		page := s.page(t, path)
		if !strings.Contains(page, `href="/positions/`+actor+`/`+issue+`"`) && !strings.Contains(page, "NATO reportedly backs troops.") {
			t.Errorf("%s: the new position is not there", path)
		}
	}
	if page := s.page(t, "/positions/"+actor+"/"+issue); !strings.Contains(page, "reported") || !strings.Contains(page, "European or other Western troops should be deployed") {
		t.Errorf("the position page says neither that the stance is reported nor what the proposition is")
	}

	claim("NATO says no troops.", "Russian leader", "against", "own-words", "")
	if p := position(); p.Stance != "against" || p.Grade != "own-words" || p.Contested {
		t.Errorf("an own-words claim against must outweigh a reported one for, uncontested: %+v", p)
	}

	claim("NATO says troops after all.", "Vladimir Putin", "for", "own-words", "")
	p := position()
	if p.Stance != "mixed" || !p.Contested || p.Evidence["own-words"]["for"] != 1 || p.Evidence["own-words"]["against"] != 1 || p.Evidence["reported"]["for"] != 1 {
		t.Errorf("own words both ways must be mixed and contested, with the counts by grade: %+v", p)
	}
	if page := s.page(t, "/positions/"+actor+"/"+issue); !strings.Contains(page, "Contested:") {
		t.Errorf("the position page does not say the stance is contested")
	}

	// An override needs a reason, and keeps what was typed when it lacks one.
	status, body := s.post(t, s.client, "/admin/positions", url.Values{"actor": {actor}, "issue": {issue},
		"summary": {"Kept summary"}, "override": {"against"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "Kept summary") || !strings.Contains(body, "say why") {
		t.Errorf("an override without a reason: status %d", status)
	}
	status, _ = s.post(t, s.client, "/admin/positions", url.Values{"actor": {actor}, "issue": {issue},
		"summary": {"A test position for NATO."}, "override": {"against"}, "reason": {"The later statement was retracted."}})
	if status != http.StatusSeeOther {
		t.Fatalf("save the override: status %d", status)
	}
	var api struct {
		Stance   string
		Derived  string `json:"derived_stance"`
		Override *struct{ Stance, Reason string }
	}
	s.json(t, "/api/positions/"+actor+"/"+issue, &api)
	if api.Override == nil || api.Override.Reason != "The later statement was retracted." || api.Stance != "against" || api.Derived != "mixed" {
		t.Errorf("the API does not give the override: %+v", api)
	}
	page := s.page(t, "/positions/"+actor+"/"+issue)
	for _, want := range []string{"editor's", "The later statement was retracted.", "A test position for NATO."} {
		if !strings.Contains(page, want) {
			t.Errorf("the position page lacks %q", want)
		}
	}
}

// Positions on an issue that was split redirect to the issue that took over its address.
func TestSplitIssuesRedirect(t *testing.T) {
	s := newSite(t)
	for old, want := range map[string]string{
		"/issues/guarantee-meaning":                        "/issues/binding-guarantees",
		"/positions/russia/guarantee-meaning":              "/positions/russia/binding-guarantees",
		"/api/issues/guarantee-meaning":                    "/api/issues/binding-guarantees",
		"/api/positions/russia/guarantee-meaning":          "/api/positions/russia/binding-guarantees",
		"/issues/guarantee-meaning?page=1":                 "/issues/binding-guarantees",
		"/issues/guarantee-meaning?page=2":                 "/issues/binding-guarantees",
		"/positions/vladimir-putin/guarantee-meaning#main": "/positions/vladimir-putin/binding-guarantees",
	} {
		r := s.get(t, old)
		if r.status != http.StatusMovedPermanently || r.header.Get("Location") != want {
			t.Errorf("%s: %d to %q, want 301 to %s", old, r.status, r.header.Get("Location"), want)
			continue
		}
		if r := s.get(t, want); r.status != http.StatusOK {
			t.Errorf("%s leads to %s, which answers %d", old, want, r.status)
		}
	}
	// An actor with no position on the issue that took over is not sent to a missing page.
	for _, old := range []string{"/positions/nobody/guarantee-meaning", "/api/positions/nobody/guarantee-meaning"} {
		if r := s.get(t, old); r.status != http.StatusNotFound {
			t.Errorf("%s: %d to %q, want 404", old, r.status, r.header.Get("Location"))
		}
	}
}

// A change of stance is said as strongly as the claims on either side of it: "from for
// (reported) to mixed", and a date that is the source's says so. Checked for every move of
// every position, on its page, against the API.
func TestMovesSayHowEachSideIsKnown(t *testing.T) {
	s := newSite(t)
	var list struct {
		Items []struct{ URL string }
	}
	s.json(t, "/api/positions?per_page=100", &list)
	grade := func(g string) string {
		if g == string(vocab.OwnWords) {
			return ""
		}
		return " (" + g + ")"
	}
	moves := 0
	for _, p := range list.Items {
		var one struct {
			Moves []struct {
				From, To, Grade string
				FromGrade       string `json:"from_grade"`
				SourceDate      bool   `json:"source_date"`
			}
		}
		s.json(t, "/api"+p.URL, &one)
		if len(one.Moves) == 0 {
			continue
		}
		page := text(s.page(t, p.URL))
		for _, m := range one.Moves {
			moves++
			want := "from " + vocab.Stance(m.From).Word() + grade(m.FromGrade) + " to " + vocab.Stance(m.To).Word() + grade(m.Grade) + ", "
			if !strings.Contains(page, want) {
				t.Errorf("%s: the page does not say %q", p.URL, want)
			}
			if m.SourceDate && !strings.Contains(page, "(the source's date): ") {
				t.Errorf("%s: a move dated by its source does not say so", p.URL)
			}
		}
	}
	if moves == 0 {
		t.Fatal("no position in the seed corpus moves; the test checks nothing")
	}
}
