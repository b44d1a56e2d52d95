package ui

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/sourcebook/sourcebook/store"
)

func precedentDates(start, end string) string {
	switch {
	case start == "" && end == "":
		return "date not stated in the sources"
	case end == "" || end == start:
		return start
	case start == "":
		return "until " + end
	}
	return start + "–" + end
}

// WaybackURL is the web archive's copy of url nearest the retrieval date (or its latest copy
// when the retrieval date is unknown). Nothing is fetched: the archive resolves the date.
func WaybackURL(url, retrieved string) string {
	stamp := strings.ReplaceAll(retrieved, "-", "")
	if stamp == "" {
		stamp = "2"
	}
	return "https://web.archive.org/web/" + stamp + "/" + url
}

func excerpt(text string, n int) string {
	r := []rune(text)
	if len(r) <= n {
		return text
	}
	cut := string(r[:n])
	if i := strings.LastIndex(cut, " "); i > n/2 {
		cut = cut[:i]
	}
	return cut + "…"
}

func positionOn(ps []store.Position, issue string) (store.Position, bool) {
	for _, p := range ps {
		if p.Issue.Slug == issue {
			return p, true
		}
	}
	return store.Position{}, false
}

func barClass(claims int) string {
	return "w" + strconv.Itoa(min(max(claims, 1), 8))
}

func factsOn(facts []store.Fact, aspect string) []store.Fact {
	var out []store.Fact
	for _, f := range facts {
		if f.Aspect == aspect {
			out = append(out, f)
		}
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

// Aspect is a dimension on which precedents are described and compared.
type Aspect struct {
	Key, Label, Definition string
}

// ComparisonAspects are the columns of the comparison, after the ATOP alliance-treaty and
// PA-X peace-agreement codebooks.
var ComparisonAspects = []Aspect{
	{"guarantors", "Guarantors", "Who gives the guarantee or assurance, and whether the adversary it guards against is itself one of the guarantors (ATOP: members; PA-X: third-party guarantors)."},
	{"obligation", "Obligation", "What the guarantors undertake: to defend (ATOP defence pact), to consult (ATOP consultation), or only to assure or respect (non-aggression, neutrality, assurances)."},
	{"trigger", "Trigger and conditions", "What sets the obligation off (an armed attack, a violation of the ceasefire) and any conditions on it, such as unanimity among guarantors (ATOP: conditions on invocation)."},
	{"response", "Response", "Whether the response is automatic or left to each guarantor's discretion (ATOP: specificity of the commitment)."},
	{"legal-form", "Legal form", "Ratified treaty, political memorandum, communiqué or statement: how binding the text is and whether parliaments approved it (PA-X: agreement type and stage)."},
	{"enforcement", "Monitoring and enforcement", "Who watches compliance and what backs the promise: observers, verification, troops on the ground (PA-X: ceasefire monitoring and enforcement)."},
	{"scope", "Territorial scope", "Where the guarantee applies, and what is carved out (ATOP: geographic scope)."},
	{"happened", "What happened", "How the arrangement fared, as the sources tell it."},
}

// Aspects are every aspect a precedent page shows, comparison columns first.
var Aspects = append(append([]Aspect{}, ComparisonAspects[:len(ComparisonAspects)-1]...),
	Aspect{"date", "Date", ""}, Aspect{"parties", "Parties", ""}, Aspect{"promised", "What was promised", ""},
	ComparisonAspects[len(ComparisonAspects)-1])

// TimelineLayout places events on a piecewise-linear time axis.
type TimelineLayout struct {
	Width, Height, AxisY int
	Span                 string // " from 1994 to 2025", the years the marks cover
	Bands                []Band
	Ticks                []Tick
	Marks                []Mark
}

// Band is a stretch of the axis drawn at one scale.
type Band struct {
	X, W         int
	Label, Class string
}

// Tick is a labelled point on the axis.
type Tick struct {
	X     int
	Label string
}

// Mark is one event on the axis.
type Mark struct {
	X, Y, Index int
	Date, Title string
	Precedent   bool
}

// axisBreak is where the axis changes scale: date is at frac of its width.
type axisBreak struct {
	date  string
	frac  float64
	label string // of the band it starts
}

// The axis: decades compressed, the years before the invasion less so, the months of 2025
// wider, and August 2025, when most reported events fall, widest. It starts at the first
// event drawn: see timelineAxis.
var axisBreaks = []axisBreak{
	{"2014-01-01", 0.30, "2014–2020"},
	{"2021-01-01", 0.42, "2021–2024"},
	{"2025-01-01", 0.58, "2025"},
	{"2025-08-01", 0.70, "August 2025"},
	{"2025-09-01", 1.0, ""},
}

// axisTicks are the labelled dates after the axis's first year.
var axisTicks = []struct{ date, label string }{
	{"1994-01-01", "1994"}, {"2014-01-01", "2014"}, {"2022-01-01", "2022"},
	{"2025-02-01", "Feb"}, {"2025-05-01", "May"}, {"2025-08-15", "15 Aug"}, {"2025-08-22", "22 Aug"},
}

// timelineAxis is the axis that starts on 1 January of the year of first, the earliest date
// drawn, so that no stretch of it comes before the first event. The compressed years before
// 2014 keep their share of the width when there are any; when the first event is later, the
// bands before it are dropped and the rest stretched to fill the width.
func timelineAxis(first string) []axisBreak {
	start := first[:4] + "-01-01"
	if start < axisBreaks[0].date {
		return append([]axisBreak{{start, 0, first[:4] + "–2013"}}, axisBreaks...)
	}
	var out []axisBreak
	for i, b := range axisBreaks {
		if b.date <= start {
			continue
		}
		if out == nil { // the band start falls in: it now begins at start
			prev := axisBreaks[max(i-1, 0)]
			f0 := prev.frac + fracOf(start, prev.date, b.date)*(b.frac-prev.frac)
			label := prev.label
			if from, to, ok := strings.Cut(label, "–"); ok && from != first[:4] {
				label = first[:4] + "–" + to
			}
			out = append(out, axisBreak{start, f0, label})
		}
		out = append(out, b)
	}
	if out == nil { // after the axis's end: one band
		return []axisBreak{{start, 0, first[:4]}, {first[:4] + "-12-31", 1, ""}}
	}
	f0 := out[0].frac
	for i := range out {
		out[i].frac = (out[i].frac - f0) / (1 - f0)
	}
	return out
}

// fracOf is how far date lies from a to b, as a fraction.
func fracOf(date, a, b string) float64 {
	t, ta, tb := eventTime(date), mustDate(a), mustDate(b)
	return min(max(float64(t.Sub(ta))/float64(tb.Sub(ta)), 0), 1)
}

func axisX(axis []axisBreak, date string, width int) int {
	for i := 0; i+1 < len(axis); i++ {
		if eventTime(date).Before(mustDate(axis[i+1].date)) || i+2 == len(axis) {
			frac := axis[i].frac + fracOf(date, axis[i].date, axis[i+1].date)*(axis[i+1].frac-axis[i].frac)
			return int(frac*float64(width-20)) + 10
		}
	}
	return width - 10
}

// eventTime places a date cut to its precision in the middle of its span.
func eventTime(date string) time.Time {
	switch len(date) {
	case 4:
		return mustDate(date + "-07-01")
	case 7:
		return mustDate(date + "-15")
	}
	return mustDate(date)
}

func mustDate(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)
	}
	return t
}

func layoutTimeline(events []store.TimelineEntry, offset int) TimelineLayout {
	l := TimelineLayout{Width: 1000, AxisY: 0, Span: timelineSpan(events)}
	first := axisBreaks[0].date
	if len(events) > 0 {
		first = events[0].Date // the earliest: entries come in date order
	}
	axis := timelineAxis(first)
	for i := 0; i+1 < len(axis); i++ {
		x0, x1 := int(axis[i].frac*980)+10, int(axis[i+1].frac*980)+10
		l.Bands = append(l.Bands, Band{X: x0, W: x1 - x0, Label: axis[i].label, Class: "band" + strconv.Itoa(i%2)})
	}
	// Stack marks that would overlap into lanes.
	lanes := map[int][]int{} // lane → x of marks in it
	maxLane := 0
	for i, e := range events {
		x := axisX(axis, e.Date, l.Width)
		lane := 0
		for ; ; lane++ {
			clash := false
			for _, other := range lanes[lane] {
				if abs(other-x) < 14 {
					clash = true
					break
				}
			}
			if !clash {
				break
			}
		}
		lanes[lane] = append(lanes[lane], x)
		maxLane = max(maxLane, lane)
		l.Marks = append(l.Marks, Mark{X: x, Y: lane, Index: offset + i + 1, Date: strings.Join(shownDates(e), " or "),
			Title: e.Title, Precedent: e.Precedent != nil})
	}
	l.AxisY = 40 + (maxLane+1)*16
	for i := range l.Marks {
		l.Marks[i].Y = l.AxisY - 12 - l.Marks[i].Y*16
	}
	l.Height = l.AxisY + 40
	ticks := []Tick{{X: max(axisX(axis, axis[0].date, l.Width), 16), Label: axis[0].date[:4]}}
	for _, t := range axisTicks {
		if t.date > axis[0].date {
			ticks = append(ticks, Tick{X: axisX(axis, t.date, l.Width), Label: t.label})
		}
	}
	l.Ticks = ticks
	return l
}

// timelineSpan says which years the events cover: " from 1994 to 2025".
func timelineSpan(events []store.TimelineEntry) string {
	if len(events) == 0 {
		return ""
	}
	last := events[0].Dates[0].Date
	for _, e := range events {
		last = max(last, e.Dates[len(e.Dates)-1].Date)
	}
	if first := events[0].Date[:4]; first != last[:4] {
		return " from " + first + " to " + last[:4]
	}
	return " in " + last[:4]
}

// shownDates are the dates an entry is shown with: every date when its passages disagree;
// otherwise the most precise, which the others contain.
func shownDates(e store.TimelineEntry) []string {
	if !e.Disputed() {
		return []string{e.Date}
	}
	var out []string
	for _, d := range e.Dates {
		out = append(out, d.Date)
	}
	return out
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func pageMeta(title, canonical, section, description string) Meta {
	return Meta{Title: title, Canonical: canonical, Section: section, Description: description}
}

func sourceRef(s store.Source) store.SourceRef {
	return store.SourceRef{Slug: s.Slug, Title: s.Title, Publisher: s.Publisher, Published: s.Published}
}

// compared keeps the precedents and proposals about which the sources say something on at
// least one dimension of the comparison; the others are named below the table instead of
// filling it with rows of silence.
func compared(list []store.Precedent) []store.Precedent {
	var out []store.Precedent
	for _, p := range list {
		if hasComparisonFacts(p) {
			out = append(out, p)
		}
	}
	return out
}

func silentOnAll(list []store.Precedent) []store.Precedent {
	var out []store.Precedent
	for _, p := range list {
		if !hasComparisonFacts(p) {
			out = append(out, p)
		}
	}
	return out
}

func hasComparisonFacts(p store.Precedent) bool {
	for _, f := range p.Facts {
		for _, a := range ComparisonAspects {
			if f.Aspect == a.Key {
				return true
			}
		}
	}
	return false
}

// sourceShort names a source in a few words for a citation link: its publisher, or the
// start of its title when the publisher is unknown.
func sourceShort(s store.SourceRef) string {
	if s.Publisher != "" {
		return s.Publisher
	}
	words := strings.Fields(s.Title)
	if len(words) > 3 {
		return strings.Join(words[:3], " ") + "…"
	}
	return s.Title
}

// RoleGroup is one role of one actor with every passage that states it.
type RoleGroup struct {
	Role   store.Role
	Stated []store.Role
}

// groupRoles merges the same role stated by several sources into one entry.
func groupRoles(roles []store.Role) []RoleGroup {
	var out []RoleGroup
	index := map[string]int{}
	for _, r := range roles {
		org := ""
		if r.Org != nil {
			org = r.Org.Slug
		}
		k := r.Actor.Slug + "\x00" + strings.ToLower(r.Title) + "\x00" + org + "\x00" + strconv.FormatBool(r.Former)
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, RoleGroup{Role: r})
		}
		out[i].Stated = append(out[i].Stated, r)
	}
	return out
}

func sourceFormTitle(v SourceFormView) string {
	if v.Slug != "" {
		return "Edit " + v.Title
	}
	return "Add a source"
}

func sourceFormAction(v SourceFormView) string {
	if v.Slug != "" {
		return "/admin/sources/" + v.Slug + "/edit"
	}
	return "/admin/sources/preview"
}

func ariaInvalid(errs store.FieldErrors, field string) string {
	if errs[field] != "" {
		return "true"
	}
	return "false"
}

func blockViews(blocks []store.Block) []store.TextBlock {
	out := make([]store.TextBlock, len(blocks))
	for i, b := range blocks {
		out[i] = store.TextBlock{Block: b}
	}
	return out
}

type userCtxKey struct{}

// WithUser records the signed-in editor in a request's context, for the admin layout.
func WithUser(ctx context.Context, u *store.User) context.Context {
	return context.WithValue(ctx, userCtxKey{}, u)
}

// UserFrom returns the signed-in editor, or nil.
func UserFrom(ctx context.Context) *store.User {
	u, _ := ctx.Value(userCtxKey{}).(*store.User)
	return u
}
