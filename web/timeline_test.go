package web_test

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/sourcebook/sourcebook/web/link"
)

// timelineItem is one entry of the timeline's list as a reader sees it.
type timelineItem struct {
	title  string   // the visible title
	text   string   // every visible word of the entry
	hrefs  []string // the links in it
	markup string
}

var (
	itemTitleRe = regexp.MustCompile(`(?s)<span class="title">(.*?)</span>`)
	hrefRe      = regexp.MustCompile(`href="([^"]*)"`)
)

// timelineItems reads the entries of the list on a timeline page.
func timelineItems(t *testing.T, body string) []timelineItem {
	t.Helper()
	i := strings.Index(body, `<ol class="timeline"`)
	if i < 0 {
		t.Fatal("no timeline list on the page")
	}
	list := body[i:]
	list = list[:strings.Index(list, "</ol>")]
	var items []timelineItem
	for _, part := range strings.Split(list, `<li id="event-`)[1:] {
		it := timelineItem{markup: part, text: strings.Join(strings.Fields(text("<"+part)), " ")}
		if m := itemTitleRe.FindStringSubmatch(part); m != nil {
			it.title = text(m[1])
		}
		for _, m := range hrefRe.FindAllStringSubmatch(part, -1) {
			it.hrefs = append(it.hrefs, m[1])
		}
		items = append(items, it)
	}
	return items
}

func (it timelineItem) links(href string) bool {
	for _, h := range it.hrefs {
		if h == href {
			return true
		}
	}
	return false
}

// Two sources that date the same event are one entry, which links the passage of each.
func TestTimelineListsAnEventOnceWithEveryPassageThatDatesIt(t *testing.T) {
	s := newSite(t)
	items := timelineItems(t, s.page(t, "/timeline"))
	for _, c := range []struct {
		event    string
		matches  func(timelineItem) bool
		passages []string // source/key
	}{
		{"the Budapest Memorandum", func(it timelineItem) bool { return strings.Contains(it.title, "Budapest") },
			[]string{"rutland-guarantee-paradox/emcdwu", "usi-guarantees-unresolved/mbymd3"}},
		{"the 1999 enlargement", func(it timelineItem) bool { return strings.HasPrefix(it.text, "1999 ") },
			[]string{"rutland-guarantee-paradox/qrfm7q", "newsweek-putin-guarantees/5kdpzj"}},
		{"Crimea 2014", func(it timelineItem) bool { return strings.Contains(it.title, "Crimea") },
			[]string{"rutland-guarantee-paradox/emcdwu", "usi-guarantees-unresolved/mbymd3"}},
		{"the Istanbul talks", func(it timelineItem) bool { return strings.Contains(it.title, "Istanbul") },
			[]string{"loose-talk-guarantees/yex4jy", "usi-guarantees-unresolved/nwmdf2"}},
		{"the Anchorage summit", func(it timelineItem) bool { return strings.Contains(it.title, "Anchorage") },
			[]string{"rutland-guarantee-paradox/2exnas", "usi-guarantees-unresolved/raiiqw", "newsweek-putin-guarantees/yzwpxh"}},
	} {
		var found []timelineItem
		for _, it := range items {
			if c.matches(it) {
				found = append(found, it)
			}
		}
		if len(found) != 1 {
			var titles []string
			for _, it := range found {
				titles = append(titles, it.title)
			}
			t.Errorf("%s is listed %d times, want once: %q", c.event, len(found), titles)
			continue
		}
		for _, p := range c.passages {
			slug, key, _ := strings.Cut(p, "/")
			if !found[0].links(link.Passage(slug, key, 0)) {
				t.Errorf("%s (%q) does not link the passage %s that dates it", c.event, found[0].title, p)
			}
		}
	}
	// No two entries carry the same title: that is a repeated event.
	seen := map[string]bool{}
	for _, it := range items {
		if seen[it.title] {
			t.Errorf("%q is listed twice", it.title)
		}
		seen[it.title] = true
	}
}

// apiTimelineEntry is an entry of /api/timeline, as far as the tests read it.
type apiTimelineEntry struct {
	Title    string `json:"title"`
	Disagree bool   `json:"dates_disagree"`
	Dates    []struct {
		Date     string `json:"date"`
		Passages []struct {
			URL string `json:"url"`
		} `json:"passages"`
	} `json:"dates"`
}

func apiTimeline(t *testing.T, s site) []apiTimelineEntry {
	t.Helper()
	var entries []apiTimelineEntry
	apiItems(t, s, "/api/timeline", &entries)
	return entries
}

// The API lists the timeline as the page does: one entry an event, every passage with the
// date it gives.
func TestAPITimelineListsAnEventOnce(t *testing.T) {
	s := newSite(t)
	entries := apiTimeline(t, s)
	var budapest int
	for _, e := range entries {
		if !strings.Contains(e.Title, "Budapest") {
			continue
		}
		budapest++
		var urls []string
		for _, d := range e.Dates {
			for _, p := range d.Passages {
				urls = append(urls, p.URL)
			}
		}
		for _, want := range []string{link.Passage("rutland-guarantee-paradox", "emcdwu", 0), link.Passage("usi-guarantees-unresolved", "mbymd3", 0)} {
			if !strings.Contains(strings.Join(urls, " "), want) {
				t.Errorf("/api/timeline: %q lacks the passage %s (has %q)", e.Title, want, urls)
			}
		}
	}
	if budapest != 1 {
		t.Errorf("/api/timeline lists the Budapest Memorandum %d times, want once", budapest)
	}
}

// Rutland dates Trump's remark on air support "Aug. 20"; Newsweek has him make it in an
// interview "on Tuesday", the day after the White House meeting it dates August 18. Nothing in
// either passage makes them two remarks, so the entry shows both dates, each with its passage,
// and says the sources disagree.
func TestTimelineShowsSourcesThatDisagreeOnADate(t *testing.T) {
	s := newSite(t)
	rutland, newsweek := link.Passage("rutland-guarantee-paradox", "pcyrcc", 0), link.Passage("newsweek-putin-guarantees", "hrzhyn", 0)
	var found []timelineItem
	for _, it := range timelineItems(t, s.page(t, "/timeline")) {
		if it.links(rutland) || it.links(newsweek) {
			found = append(found, it)
		}
	}
	if len(found) != 1 {
		t.Fatalf("the remark on air support is in %d entries, want one with both passages", len(found))
	}
	it := found[0]
	for _, want := range []string{"2025-08-19", "2025-08-20", "The sources disagree on the date"} {
		if !strings.Contains(it.text, want) {
			t.Errorf("%q does not show %q: %s", it.title, want, it.text)
		}
	}
	for _, href := range []string{rutland, newsweek} {
		if !it.links(href) {
			t.Errorf("%q does not link %s", it.title, href)
			continue
		}
		if r := s.get(t, href); r.status != http.StatusOK {
			t.Errorf("GET %s: status %d", href, r.status)
		}
	}
	// Each date stands beside the passage that gives it.
	for _, c := range []struct{ date, href string }{{"2025-08-19", newsweek}, {"2025-08-20", rutland}} {
		if !regexp.MustCompile(`(?s)` + c.date + `</time>[^<]*(<[^>]*>[^<]*){0,2}<a href="` + regexp.QuoteMeta(c.href) + `"`).MatchString(it.markup) {
			t.Errorf("%s is not shown with its passage %s", c.date, c.href)
		}
	}

	entries := apiTimeline(t, s)
	for _, e := range entries {
		if e.Title != it.title {
			continue
		}
		if !e.Disagree || len(e.Dates) != 2 || e.Dates[0].Date != "2025-08-19" || e.Dates[1].Date != "2025-08-20" {
			t.Errorf("/api/timeline: %q: disagree %v, dates %+v; want both dates, marked as a disagreement", e.Title, e.Disagree, e.Dates)
		}
		return
	}
	t.Errorf("/api/timeline has no entry %q", it.title)
}

var tickRe = regexp.MustCompile(`<text class="tick-label"[^>]*>([^<]*)</text>`)

// The axis begins with the year of the first event it draws, not decades before it.
func TestTimelineAxisStartsAtTheFirstEvent(t *testing.T) {
	s := newSite(t)
	body := s.page(t, "/timeline")
	entries, err := s.st.Timeline(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	first := entries[0].Date[:4]
	ticks := tickRe.FindAllStringSubmatch(body, -1)
	if len(ticks) == 0 {
		t.Fatal("no ticks on the axis")
	}
	if ticks[0][1] != first {
		t.Errorf("the axis starts at %s, want %s, the year of the first event", ticks[0][1], first)
	}
	if items := timelineItems(t, body); !strings.HasPrefix(items[0].text, first) {
		t.Errorf("the list starts with %q, want the event of %s", items[0].text, first)
	}
	svg := body[strings.Index(body, "<svg"):strings.Index(body, "</svg>")]
	for _, y := range regexp.MustCompile(`\b(19|20)\d\d\b`).FindAllString(text(svg), -1) {
		if y < first {
			t.Errorf("the axis shows %s, before its first event (%s)", y, first)
		}
	}
}

var yearBeforeRe = regexp.MustCompile(`\b((?:19|20)\d\d)\s+(\S+)`)

// A precedent's date is shown only where a passage states it, and the same everywhere: the
// front page, the list of precedents, its page and the API.
func TestPrecedentDatesAgreeEverywhere(t *testing.T) {
	s := newSite(t)
	list, err := s.st.Precedents(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	home, precedents := s.page(t, "/"), s.page(t, "/precedents")
	var api []struct {
		Slug      string  `json:"slug"`
		DateStart *string `json:"date_start"`
	}
	apiItems(t, s, "/api/precedents", &api)
	apiDate := map[string]string{}
	for _, p := range api {
		if p.DateStart != nil {
			apiDate[p.Slug] = *p.DateStart
		}
	}
	// Where the front page's prose puts a year before a precedent's name, it is the year the
	// precedent's own record gives ("the 1994 Budapest Memorandum").
	for _, m := range yearBeforeRe.FindAllStringSubmatch(text(home), -1) {
		for _, p := range list {
			if strings.Fields(p.Name)[0] == m[2] && !strings.HasPrefix(p.DateStart, m[1]) {
				t.Errorf("the front page says %q; %s is dated %q (%q on /precedents)", m[0], p.Name, p.DateStart, dateShown(precedents, p.Name))
			}
		}
	}
	for _, p := range list {
		want := dateShown(precedents, p.Name)
		if got := dateShown(home, p.Name); got != want {
			t.Errorf("%s: the front page shows %q, /precedents %q", p.Name, got, want)
		}
		if page := text(s.page(t, link.Precedent(p.Slug))); !strings.Contains(page, want) {
			t.Errorf("%s: its page does not show %q", p.Name, want)
		}
		if apiDate[p.Slug] != p.DateStart {
			t.Errorf("%s: the API dates it %q, the pages %q", p.Name, apiDate[p.Slug], p.DateStart)
		}
	}
}

// dateShown is the date a page's list of precedents gives beside a precedent's name.
func dateShown(page, name string) string {
	m := regexp.MustCompile(`>` + regexp.QuoteMeta(html.EscapeString(name)) + `</a>\s*<span class="meta">([^<]*)</span>`).FindStringSubmatch(page)
	if m == nil {
		return "(not listed)"
	}
	return html.UnescapeString(m[1])
}
