package corpus

import (
	"cmp"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sourcebook/sourcebook/store/selector"
	"github.com/sourcebook/sourcebook/store/vocab"
)

var (
	idRe  = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	keyRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{2,31}$`)
)

// ValidDate reports whether s is an ISO date cut to a precision: "2025-08-18", "2025-08" or "2025".
func ValidDate(s string) bool {
	for _, layout := range []string{"2006-01-02", "2006-01", "2006"} {
		if len(s) == len(layout) {
			if _, err := time.Parse(layout, s); err == nil {
				return true
			}
		}
	}
	return false
}

// DatePrecision names the precision of an ISO date: day, month, year, or unknown for "".
func DatePrecision(s string) string {
	switch len(s) {
	case 10:
		return "day"
	case 7:
		return "month"
	case 4:
		return "year"
	}
	return "unknown"
}

// validate checks everything that spans files: ids resolve, quotes are exact, vocabularies
// hold, and nothing in the registries is left unreferenced.
func validate(c *Corpus, ps *problems) {
	v := validator{problems: ps, actors: map[string]bool{}, issues: map[string]bool{},
		precedents: map[string]bool{}, sources: map[string]*Source{}, claims: map[string]*Claim{},
		used: map[string]bool{}}

	for _, a := range c.Actors {
		v.unique(a.File, a.Line, "actor", a.ID, v.actors)
		v.need(a.File, a.Line, "actor "+a.ID, "name", a.Name)
		v.oneOf(a.File, a.Line, "actor "+a.ID+": kind", a.Kind, vocab.Names(vocab.ActorKinds))
	}
	for _, i := range c.Issues {
		v.unique("issues.yaml", i.Line, "issue", i.ID, v.issues)
		v.need("issues.yaml", i.Line, "issue "+i.ID, "name", i.Name)
		v.need("issues.yaml", i.Line, "issue "+i.ID, "question", i.Question)
		v.need("issues.yaml", i.Line, "issue "+i.ID, "proposition", i.Proposition)
	}
	// An issue that replaces split issues takes over their addresses, so a replaced id must
	// no longer be an issue, and only one issue may take it over.
	replaced := map[string]string{}
	for _, i := range c.Issues {
		for _, old := range i.Replaces {
			switch {
			case !idRe.MatchString(old):
				v.add("issues.yaml", i.Line, "issue %s replaces %q: use lowercase words joined by hyphens", i.ID, old)
			case v.issues[old]:
				v.add("issues.yaml", i.Line, "issue %s replaces %s, which is still an issue", i.ID, old)
			case replaced[old] != "":
				v.add("issues.yaml", i.Line, "issue %s replaces %s, which %s already replaces: a replaced issue is declared twice", i.ID, old, replaced[old])
			}
			if replaced[old] == "" {
				replaced[old] = i.ID
			}
		}
	}
	for _, p := range c.Precedents {
		v.unique(p.File, p.Line, "precedent", p.ID, v.precedents)
		v.need(p.File, p.Line, "precedent "+p.ID, "name", p.Name)
		if p.Kind != "" {
			v.oneOf(p.File, p.Line, "precedent "+p.ID+": kind", p.Kind, vocab.Names(vocab.PrecedentKinds))
		}
		v.date(p.File, p.Line, "precedent "+p.ID+": date_start", p.DateStart)
		v.date(p.File, p.Line, "precedent "+p.ID+": date_end", p.DateEnd)
	}
	for i := range c.Sources {
		v.source(&c.Sources[i])
	}
	v.sameEvents(c.Sources)
	// Facts cite blocks of any source, so they are checked once every source is known.
	for _, p := range c.Precedents {
		// A precedent's date is shown wherever the precedent is named, so it must be one a
		// passage states: a fact on its date cites that passage.
		if (p.DateStart != "" || p.DateEnd != "") && !slices.ContainsFunc(p.Facts, func(f Fact) bool { return f.Aspect == "date" }) {
			v.add(p.File, p.Line, "precedent %s is dated %s, but no fact on its date cites the passage that states it", p.ID, strings.Trim(p.DateStart+"–"+p.DateEnd, "–"))
		}
		for _, f := range p.Facts {
			v.oneOf(p.File, f.Line, "fact: aspect", f.Aspect, vocab.Names(vocab.Aspects))
			v.need(p.File, f.Line, "fact", "text", f.Text)
			v.factCode(p.File, f)
			if s := v.sources[f.Source]; s == nil {
				v.add(p.File, f.Line, "fact cites unknown source %q", f.Source)
			} else if findBlock(s, f.Block) == nil {
				v.add(p.File, f.Line, "fact cites block %q, which %s does not have", f.Block, s.File)
			}
		}
	}
	seen := map[string]bool{}
	for _, p := range c.Positions {
		v.ref(p.File(), p.Line, "actor", p.Actor, v.actors)
		v.ref(p.File(), p.Line, "issue", p.Issue, v.issues)
		// A position's stance and claims are derived from the claims whose holder (else
		// speaker) is its actor; written here they would be silently ignored, so they are
		// refused, with the way to say what the editor means.
		if p.Stance != "" {
			v.add(p.File(), p.Line, "position %s/%s gives a stance: it is derived from the claims; to set one, write override: {stance, reason}", p.Actor, p.Issue)
		}
		if len(p.Claims) > 0 {
			v.add(p.File(), p.Line, "position %s/%s lists claims: its claims are those whose holder (or speaker) is %s; set the holder on the claim instead", p.Actor, p.Issue, p.Actor)
		}
		switch {
		case strings.TrimSpace(p.Summary) == "" && p.Override == nil:
			v.add(p.File(), p.Line, "position %s/%s has neither a summary nor an override: say what the claims show, or override the derived stance", p.Actor, p.Issue)
		case p.Override == nil && !v.holds(p.Actor, p.Issue):
			// As the admin refuses it (store.SavePosition): a summary of a position that no
			// claim gives would never be shown.
			v.add(p.File(), p.Line, "position %s/%s summarises a stance no claim gives: no claim held by %s is about %s", p.Actor, p.Issue, p.Actor, p.Issue)
		}
		if o := p.Override; o != nil {
			v.oneOf(p.File(), p.Line, "position "+p.Actor+"/"+p.Issue+": override stance", o.Stance, vocab.Names(vocab.Stances))
			v.need(p.File(), p.Line, "position "+p.Actor+"/"+p.Issue+": override", "reason", o.Reason)
		}
		if seen[p.Actor+"/"+p.Issue] {
			v.add(p.File(), p.Line, "a second position for %s on %s", p.Actor, p.Issue)
		}
		seen[p.Actor+"/"+p.Issue] = true
	}

	// Everything in a registry must be used somewhere, or it is a typo or dead weight.
	for _, a := range c.Actors {
		if !v.used["actor:"+a.ID] {
			v.add(a.File, a.Line, "actor %s is never referenced by a role, claim or position", a.ID)
		}
	}
	for _, i := range c.Issues {
		if !v.used["issue:"+i.ID] {
			v.add("issues.yaml", i.Line, "issue %s has no claims", i.ID)
		}
	}
	for _, p := range c.Precedents {
		if !v.used["precedent:"+p.ID] {
			v.add(p.File, p.Line, "precedent %s is linked to no block", p.ID)
		}
	}
}

type validator struct {
	*problems
	actors, issues, precedents map[string]bool
	sources                    map[string]*Source
	claims                     map[string]*Claim
	used                       map[string]bool // "actor:id", "issue:id", "precedent:id"
}

// File names the positions registry, where positions live.
func (Position) File() string { return "positions.yaml" }

func (v *validator) unique(file string, line int, what, id string, set map[string]bool) {
	switch {
	case !idRe.MatchString(id):
		v.add(file, line, "%s id %q: use lowercase words joined by hyphens", what, id)
	case set[id]:
		v.add(file, line, "%s %s is declared twice", what, id)
	}
	set[id] = true
}

func (v *validator) need(file string, line int, what, field, value string) {
	if strings.TrimSpace(value) == "" {
		v.add(file, line, "%s: %s is required", what, field)
	}
}

func (v *validator) oneOf(file string, line int, what, value string, allowed []string) {
	if !slices.Contains(allowed, value) {
		v.add(file, line, "%s %q is not one of %s", what, value, strings.Join(allowed, ", "))
	}
}

func (v *validator) date(file string, line int, what, value string) {
	if value != "" && !ValidDate(value) {
		v.add(file, line, "%s %q is not a date (YYYY-MM-DD, YYYY-MM or YYYY)", what, value)
	}
}

func (v *validator) ref(file string, line int, kind, id string, set map[string]bool) {
	if !set[id] {
		v.add(file, line, "unknown %s %q", kind, id)
		return
	}
	v.used[kind+":"+id] = true
}

func (v *validator) source(s *Source) {
	f := s.File
	if want := strings.TrimSuffix(path.Base(f), ".md"); s.Slug != want {
		v.add(f, 2, "slug %q must match the file name (%s)", s.Slug, want)
	}
	if v.sources[s.Slug] != nil {
		v.add(f, 2, "source %s is declared twice", s.Slug)
	}
	v.sources[s.Slug] = s
	v.need(f, 2, "source", "title", s.Title)
	v.need(f, 2, "source", "seed", s.Seed)
	v.need(f, 2, "source", "language", s.Language)
	v.oneOf(f, 2, "source kind", s.Kind, vocab.Names(vocab.SourceKinds))
	v.date(f, 2, "published", s.Published)
	v.date(f, 2, "retrieved", s.Retrieved)
	for _, a := range s.Authors {
		v.need(f, 2, "source", "author name", a)
	}
	if len(s.Blocks) == 0 {
		v.add(f, 0, "source has no blocks")
	}
	keys := map[string]bool{}
	for _, b := range s.Blocks {
		if !keyRe.MatchString(b.Key) {
			v.add(f, b.Line, "block key %q: use 3 to 32 lowercase letters, digits or hyphens", b.Key)
		}
		if keys[b.Key] {
			v.add(f, b.Line, "block key %s is used twice", b.Key)
		}
		keys[b.Key] = true
	}
	if s.AnnotationFile == "" {
		return
	}

	af := s.AnnotationFile
	if s.SourceSlug != s.Slug {
		v.add(af, 1, "source: %q does not name this file's source %q", s.SourceSlug, s.Slug)
	}
	for _, r := range s.Roles {
		v.ref(af, r.Line, "actor", r.Actor, v.actors)
		if r.Org != "" {
			v.ref(af, r.Line, "actor", r.Org, v.actors)
		}
		v.need(af, r.Line, "role", "title", r.Title)
		v.quoted(s, af, r.Line, r.Block, r.AsStated, "role's as_stated")
	}
	for _, n := range s.Narration {
		v.quoted(s, af, n.Line, n.Block, n.Text, "narration text")
	}
	for i := range s.Claims {
		v.claim(s, &s.Claims[i])
	}
	for _, m := range s.Mentions {
		v.ref(af, m.Line, "precedent", m.Precedent, v.precedents)
		if len(m.Blocks) == 0 {
			v.add(af, m.Line, "precedent %s: no blocks listed", m.Precedent)
		}
		for _, k := range m.Blocks {
			if findBlock(s, k) == nil {
				v.add(af, m.Line, "precedent %s: unknown block %q", m.Precedent, k)
			}
		}
	}
	for _, e := range s.Events {
		v.need(af, e.Line, "event", "title", e.Title)
		if !ValidDate(e.Date) {
			v.add(af, e.Line, "event date %q is not a date (YYYY-MM-DD, YYYY-MM or YYYY)", e.Date)
		}
		if findBlock(s, e.Block) == nil {
			v.add(af, e.Line, "event cites unknown block %q", e.Block)
		}
		if e.Precedent != "" {
			v.ref(af, e.Line, "precedent", e.Precedent, v.precedents)
		}
	}
}

// sameEvents checks the events that sources give the same title: the timeline lists them as
// one event, dated by each source, so they must be about the same precedent.
func (v *validator) sameEvents(sources []Source) {
	type first struct{ precedent, file string }
	seen := map[string]first{}
	for _, s := range sources {
		for _, e := range s.Events {
			f, ok := seen[e.Title]
			if !ok {
				seen[e.Title] = first{e.Precedent, s.AnnotationFile}
				continue
			}
			if f.precedent != e.Precedent {
				v.add(s.AnnotationFile, e.Line, "event %q is linked to precedent %q here but to %q in %s: one title is one event", e.Title, e.Precedent, f.precedent, f.file)
			}
		}
	}
}

func (v *validator) claim(s *Source, c *Claim) {
	af := s.AnnotationFile
	switch {
	case !idRe.MatchString(c.ID):
		v.add(af, c.Line, "claim id %q: use lowercase words joined by hyphens", c.ID)
	case v.claims[c.ID] != nil:
		v.add(af, c.Line, "claim %s is declared twice", c.ID)
	}
	v.claims[c.ID] = c
	v.need(af, c.Line, "claim "+c.ID, "statement", c.Statement)
	if c.Speaker != AuthorSpeaker {
		v.ref(af, c.Line, "actor", c.Speaker, v.actors)
	} else if c.Kind == string(vocab.Quote) {
		// The author speaks in their own analysis; a quote is someone's own words.
		v.add(af, c.Line, "claim %s is a quote with speaker %q: a quote needs the actor who said it; the author speaks only in analysis", c.ID, AuthorSpeaker)
	}
	if c.Holder != "" {
		v.ref(af, c.Line, "actor", c.Holder, v.actors)
	}
	v.oneOf(af, c.Line, "claim "+c.ID+": kind", c.Kind, vocab.Names(vocab.ClaimKinds))
	switch {
	case c.Evidence == "":
		v.add(af, c.Line, "claim %s has no evidence grade: give evidence, one of %s", c.ID, strings.Join(vocab.Names(vocab.Grades), ", "))
	default:
		v.oneOf(af, c.Line, "claim "+c.ID+": evidence", c.Evidence, vocab.Names(vocab.Grades))
	}
	if c.ReportedBy != "" {
		v.ref(af, c.Line, "actor", c.ReportedBy, v.actors)
		if c.Evidence != string(vocab.Reported) {
			v.add(af, c.Line, "claim %s names reported_by %s, but its evidence is %q: only a reported claim has a reporter", c.ID, c.ReportedBy, c.Evidence)
		}
	}
	v.date(af, c.Line, "claim "+c.ID+": said", c.Said)
	if len(c.Issues) == 0 {
		v.add(af, c.Line, "claim %s is about no issue", c.ID)
	}
	for issue, stance := range c.Issues {
		v.ref(af, c.Line, "issue", issue, v.issues)
		v.oneOf(af, c.Line, "claim "+c.ID+": stance on "+issue, stance, vocab.Names(vocab.Stances))
	}
	if len(c.Cite) == 0 {
		v.add(af, c.Line, "claim %s cites nothing", c.ID)
	}
	for _, q := range c.Cite {
		line := q.Line
		if line == 0 {
			line = c.Line
		}
		b := findBlock(s, q.Block)
		if b == nil {
			v.add(af, line, "claim %s cites unknown block %q", c.ID, q.Block)
			continue
		}
		n := selector.Count(b.Text, q.Quote)
		switch {
		case q.Quote == "":
			v.add(af, line, "claim %s: quote is empty", c.ID)
		case n == 0:
			v.add(af, line, "claim %s: quote %q is not in block %s (%s:%d)", c.ID, q.Quote, q.Block, s.File, b.Line)
		case q.Occurrence == 0 && n > 1:
			v.add(af, line, "claim %s: quote %q occurs %d times in block %s; say which with occurrence", c.ID, q.Quote, n, q.Block)
		case q.Occurrence > n || q.Occurrence < 0:
			v.add(af, line, "claim %s: occurrence %d of %q, but block %s has %d", c.ID, q.Occurrence, q.Quote, q.Block, n)
		default:
			if c.Kind == string(vocab.Quote) {
				v.quoteOverNarration(s, c, q, b, line)
			}
		}
	}
}

// quoteOverNarration refuses a quote-kind claim whose cited span overlaps a run of the block
// marked as the author's narration: a quotation gives only the speaker's words.
func (v *validator) quoteOverNarration(s *Source, c *Claim, q Citation, b *Block, line int) {
	var cited [][2]int // byte spans the citation could denote
	for _, at := range occurrences(b.Text, q.Quote) {
		cited = append(cited, [2]int{at, at + len(q.Quote)})
	}
	if q.Occurrence > 0 && q.Occurrence <= len(cited) {
		cited = cited[q.Occurrence-1 : q.Occurrence]
	}
	for _, n := range s.Narration {
		if n.Block != q.Block || n.Text == "" {
			continue
		}
		for _, at := range occurrences(b.Text, n.Text) {
			for _, span := range cited {
				if at < span[1] && span[0] < at+len(n.Text) {
					v.add(s.AnnotationFile, line, "claim %s is a quote but cites the author's narration %q in block %s; cite only the speaker's words or make it a paraphrase", c.ID, n.Text, q.Block)
					return
				}
			}
		}
	}
}

// occurrences lists the byte offsets of every occurrence of sub in text, overlapping ones
// included, as selector.Count counts them.
func occurrences(text, sub string) []int {
	var at []int
	for from := 0; sub != ""; {
		j := strings.Index(text[from:], sub)
		if j < 0 {
			break
		}
		at = append(at, from+j)
		_, size := utf8.DecodeRuneInString(text[from+j:])
		from += j + size
	}
	return at
}

// quoted checks that quote is an exact substring of the named block.
func (v *validator) quoted(s *Source, file string, line int, key, quote, what string) {
	b := findBlock(s, key)
	switch {
	case b == nil:
		v.add(file, line, "%s cites unknown block %q", what, key)
	case quote == "" || !strings.Contains(b.Text, quote):
		v.add(file, line, "%s %q is not in block %s (%s:%d)", what, quote, key, s.File, b.Line)
	}
}

func findBlock(s *Source, key string) *Block {
	for i := range s.Blocks {
		if s.Blocks[i].Key == key {
			return &s.Blocks[i]
		}
	}
	return nil
}

// factCode checks a fact's code against the codebook of its aspect: a code on an aspect the
// comparison does not code, or one its codebook lacks, is an error.
func (v *validator) factCode(file string, f Fact) {
	if f.Code == "" {
		return
	}
	if keys := vocab.CodeKeys(vocab.Aspect(f.Aspect)); len(keys) == 0 {
		v.add(file, f.Line, "fact: aspect %s takes no code, but the fact has code %q", f.Aspect, f.Code)
	} else {
		v.oneOf(file, f.Line, "fact: code for "+f.Aspect, f.Code, keys)
	}
}

// holds reports whether some claim takes a stance on the issue for the actor: its holder,
// or, without one, its speaker.
func (v *validator) holds(actor, issue string) bool {
	for _, c := range v.claims {
		if cmp.Or(c.Holder, c.Speaker) == actor && c.Issues[issue] != "" {
			return true
		}
	}
	return false
}
