package ui

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/sourcebook/sourcebook/store"
)

func kindLabel(k string) string {
	switch k {
	case "news-report":
		return "News report"
	case "analysis":
		return "Analysis"
	case "primary-document":
		return "Primary document"
	case "official-statement":
		return "Official statement"
	}
	return k
}

func actorKindLabel(k string) string {
	switch k {
	case "state":
		return "State"
	case "coalition":
		return "Coalition or group"
	case "organisation":
		return "Organisation"
	case "person":
		return "Person"
	}
	return k
}

// ActorKindLabels names the actor kinds in the order the actors page groups them.
var ActorKindLabels = [][2]string{{"state", "States"}, {"coalition", "Coalitions and groups"}, {"organisation", "Organisations"}, {"person", "People"}}

func precedentKindLabel(k string) string {
	if k == "proposal" {
		return "Today's proposal"
	}
	return "Precedent"
}

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

// The axis: decades compressed, the years before the invasion less so, the months of 2025
// wider, and August 2025, when most reported events fall, widest.
var axisBreaks = []struct {
	date  string
	frac  float64
	label string
}{
	{"1949-01-01", 0, "1949–2013"},
	{"2014-01-01", 0.30, "2014–2020"},
	{"2021-01-01", 0.42, "2021–2024"},
	{"2025-01-01", 0.58, "2025"},
	{"2025-08-01", 0.70, "August 2025"},
	{"2025-09-01", 1.0, ""},
}

func axisX(date string, width int) int {
	t := eventTime(date)
	for i := 0; i+1 < len(axisBreaks); i++ {
		a, b := mustDate(axisBreaks[i].date), mustDate(axisBreaks[i+1].date)
		if t.Before(b) || i+2 == len(axisBreaks) {
			f := float64(t.Sub(a)) / float64(b.Sub(a))
			f = min(max(f, 0), 1)
			frac := axisBreaks[i].frac + f*(axisBreaks[i+1].frac-axisBreaks[i].frac)
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
	l := TimelineLayout{Width: 1000, AxisY: 0}
	for i := 0; i+1 < len(axisBreaks); i++ {
		x0, x1 := int(axisBreaks[i].frac*980)+10, int(axisBreaks[i+1].frac*980)+10
		l.Bands = append(l.Bands, Band{X: x0, W: x1 - x0, Label: axisBreaks[i].label, Class: "band" + strconv.Itoa(i%2)})
	}
	// Stack marks that would overlap into lanes.
	lanes := map[int][]int{} // lane → x of marks in it
	maxLane := 0
	for i, e := range events {
		x := axisX(e.Date, l.Width)
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
		l.Marks = append(l.Marks, Mark{X: x, Y: lane, Index: offset + i + 1, Date: e.Date, Title: e.Title, Precedent: e.Precedent != nil})
	}
	l.AxisY = 40 + (maxLane+1)*16
	for i := range l.Marks {
		l.Marks[i].Y = l.AxisY - 12 - l.Marks[i].Y*16
	}
	l.Height = l.AxisY + 40
	for _, t := range []struct{ date, label string }{
		{"1949", "1949"}, {"1994", "1994"}, {"2014", "2014"}, {"2022", "2022"},
		{"2025-02", "Feb"}, {"2025-05", "May"}, {"2025-08-15", "15 Aug"}, {"2025-08-22", "22 Aug"},
	} {
		d := t.date
		if len(d) == 4 {
			d += "-01-01"
		} else if len(d) == 7 {
			d += "-01"
		}
		l.Ticks = append(l.Ticks, Tick{X: max(axisX(d, l.Width), 16), Label: t.label})
	}
	return l
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

func blockViews(blocks []store.Block) []BlockView {
	out := make([]BlockView, len(blocks))
	for i, b := range blocks {
		out[i] = BlockView{Block: b}
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
