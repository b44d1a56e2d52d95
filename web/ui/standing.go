package ui

// The words and groupings the standing components (standing.templ) need: how a grade reads,
// how a date reads at its precision, how a position's claims group by grade and stance.

import (
	"time"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/store/vocab"
)

// gradeWord is an evidence grade as the word beside a stance: "own words", "reported",
// "inferred".
func gradeWord(g vocab.Evidence) string {
	if g == vocab.OwnWords {
		return "own words"
	}
	return string(g)
}

// gradePhrase says what a grade means, in a sentence.
func gradePhrase(g vocab.Evidence) string {
	switch g {
	case vocab.OwnWords:
		return "the actor's own words"
	case vocab.Reported:
		return "a third party's report of the actor's stance, not the actor's own words"
	case vocab.Inferred:
		return "an author's reading of the actor's view, not the actor's own words or a report of them"
	}
	return "none"
}

// readableDate writes an ISO date at its precision: "18 August 2025", "August 2025", "2025".
func readableDate(d string) string {
	for _, layout := range []struct{ in, out string }{{"2006-01-02", "2 January 2006"}, {"2006-01", "January 2006"}} {
		if t, err := time.Parse(layout.in, d); err == nil {
			return t.Format(layout.out)
		}
	}
	return d
}

// anyMoved reports whether any of the positions changed stance.
func anyMoved(ps []store.Position) bool {
	for _, p := range ps {
		if len(p.Moves) > 0 {
			return true
		}
	}
	return false
}

// evidenceGroup is a position's claims of one grade taking one stance.
type evidenceGroup struct {
	Grade  vocab.Evidence
	Stance vocab.Stance
	Claims []store.Claim
}

// evidenceGroups groups a position's claims by grade, strongest first, then by stance.
func evidenceGroups(p store.Position) []evidenceGroup {
	var out []evidenceGroup
	for _, g := range vocab.Grades {
		for _, s := range vocab.Stances {
			var list []store.Claim
			for _, c := range p.Claims {
				if c.Evidence == g && vocab.Stance(c.StanceOn(p.Issue.Slug)) == s {
					list = append(list, c)
				}
			}
			if len(list) > 0 {
				out = append(out, evidenceGroup{g, s, list})
			}
		}
	}
	return out
}

// gradeHint explains a grade to an editor choosing it.
func gradeHint(g vocab.Evidence) string {
	switch g {
	case vocab.OwnWords:
		return "the holder's own statement, quoted or paraphrased (an official speaking for their state counts)"
	case vocab.Reported:
		return "someone else reports the holder's stance (\"Witkoff said Putin agreed\")"
	case vocab.Inferred:
		return "an author's or analyst's reading of the holder's view"
	}
	return ""
}

// stanceNote says, beside a claim's speaker, whose stance the claim gives when it is not
// simply the speaker's own: "reporting Vladimir Putin's stance", "reading Russia's".
func stanceNote(c store.Claim) string {
	switch {
	case c.Evidence == vocab.Reported && c.Holder != nil:
		return "reporting the stance of " + c.Holder.Name
	case c.Evidence == vocab.Reported:
		return "a reported stance"
	case c.Evidence == vocab.Inferred && c.Holder != nil:
		return "a reading of the stance of " + c.Holder.Name
	case c.Evidence == vocab.Inferred:
		return "a reading"
	case c.Holder != nil && (c.Speaker == nil || c.Holder.Slug != c.Speaker.Slug):
		return "for " + c.Holder.Name
	}
	return ""
}

// sourceDateNote marks a date that is the source's, the statement itself being undated.
func sourceDateNote(sourceDate bool) string {
	if sourceDate {
		return " (the source's date)"
	}
	return ""
}

// moveGrade qualifies a change of stance that rests on less than the actor's own words.
func moveGrade(g vocab.Evidence) string {
	if g == vocab.OwnWords {
		return ""
	}
	return " (" + gradeWord(g) + ")"
}
