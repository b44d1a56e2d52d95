// Standing: how a position's stance is derived from the claims behind it, how strong and
// how settled it is, and how it moved over time.

package store

import (
	"cmp"
	"slices"

	"github.com/sourcebook/sourcebook/store/vocab"
)

// Standing is an actor's stance on an issue as its evidence supports it.
//
// The stance is derived from the claims whose stance it is, grade by grade: the strongest
// grade present that takes a side decides, and among its claims the most frequent stance
// wins (for and against in equal numbers make "mixed"). A report is never outweighed by
// many readings, nor the actor's own words by many reports. The stance is contested when
// evidence of the deciding grade or a stronger one points the other way.
//
// An editor may override the derived stance, with a reason; Stance is then the editor's,
// and Derived still says what the claims say.
type Standing struct {
	Stance    vocab.Stance   // what is shown: the override's stance, else Derived
	Derived   vocab.Stance   // what the claims say
	Grade     vocab.Evidence // the strongest evidence behind Derived
	Contested bool
	Evidence  []Tally   // counts by grade (strongest first), then stance
	Override  *Override // nil: the stance is derived
}

// Tally counts the claims of one grade taking one stance.
type Tally struct {
	Grade  vocab.Evidence
	Stance vocab.Stance
	Claims int
}

// Override is an editor's stance on a position, with the stated reason.
type Override struct {
	Stance vocab.Stance
	Reason string
}

// ClaimCount counts the claims behind the standing. (A Position, which embeds a Standing,
// also has the Claims themselves, when they were asked for.)
func (st Standing) ClaimCount() int {
	n := 0
	for _, t := range st.Evidence {
		n += t.Claims
	}
	return n
}

// Count counts the claims of grade g (or, with g "", of any grade) that take stance s.
func (st Standing) Count(g vocab.Evidence, s vocab.Stance) int {
	n := 0
	for _, t := range st.Evidence {
		if (g == "" || t.Grade == g) && t.Stance == s {
			n += t.Claims
		}
	}
	return n
}

// Sides counts the claims at least as strong as the deciding grade that lean each way: for
// or conditionally for the proposition, and against it.
func (st Standing) Sides() (toward, against int) {
	for _, t := range st.Evidence {
		if t.Grade.Rank() < st.Grade.Rank() {
			continue
		}
		switch lean(t.Stance) {
		case 1:
			toward += t.Claims
		case -1:
			against += t.Claims
		}
	}
	return toward, against
}

// lean is which way a stance points: +1 toward the proposition (for, conditional), -1
// against it, 0 neither (mixed, describes).
func lean(s vocab.Stance) int {
	switch s {
	case vocab.For, vocab.Conditional:
		return 1
	case vocab.Against:
		return -1
	}
	return 0
}

// derive computes the standing from its tallies and the editor's override, if any.
func derive(tallies []Tally, o *Override) Standing {
	st := Standing{Override: o}
	st.Evidence = slices.Clone(tallies)
	slices.SortFunc(st.Evidence, func(a, b Tally) int {
		return cmp.Or(cmp.Compare(b.Grade.Rank(), a.Grade.Rank()),
			cmp.Compare(slices.Index(vocab.Stances, a.Stance), slices.Index(vocab.Stances, b.Stance)))
	})
	st.Derived, st.Grade = decide(st.Evidence)
	st.Stance = st.Derived
	if o != nil {
		st.Stance = o.Stance
	}
	toward, against := st.Sides()
	switch lean(st.Stance) {
	case 1:
		st.Contested = against > 0
	case -1:
		st.Contested = toward > 0
	default:
		st.Contested = toward > 0 && against > 0
	}
	return st
}

// decide picks the stance and the grade that decides it.
func decide(tallies []Tally) (vocab.Stance, vocab.Evidence) {
	for _, g := range vocab.Grades {
		count := map[vocab.Stance]int{}
		for _, t := range tallies {
			if t.Grade == g && t.Stance != vocab.Neutral {
				count[t.Stance] += t.Claims
			}
		}
		if len(count) == 0 {
			continue
		}
		toward := count[vocab.For] + count[vocab.Conditional]
		if toward > 0 && toward == count[vocab.Against] {
			return vocab.Mixed, g
		}
		// The most frequent; in a tie, the more guarded word.
		best := vocab.Stance("")
		for _, s := range []vocab.Stance{vocab.Mixed, vocab.Conditional, vocab.Against, vocab.For} {
			if count[s] > count[best] {
				best = s
			}
		}
		return best, g
	}
	// No claim takes a side: the strongest grade that describes the issue.
	for _, g := range vocab.Grades {
		for _, t := range tallies {
			if t.Grade == g {
				return vocab.Neutral, g
			}
		}
	}
	return "", ""
}

// Moment is one dated claim on a position's time strip.
type Moment struct {
	Date       string // when it was said, else the source's date
	SourceDate bool   // the date is the source's, not the statement's
	Stance     vocab.Stance
	Grade      vocab.Evidence
	Claim      ClaimRef
}

// Move is a change of stance between two successive dated claims, each stance with the
// grade of the claim that shows it, so that a move from a report to the actor's own words
// is not read as the actor changing its mind.
type Move struct {
	From, To   vocab.Stance
	FromGrade  vocab.Evidence
	Grade      vocab.Evidence // of the claim that takes the new stance
	Date       string         // of that claim
	SourceDate bool           // the date is its source's, not the statement's
	Claim      ClaimRef
}

// ClaimRef names a claim.
type ClaimRef struct {
	Slug, Statement string
}

// history puts a position's dated claims in date order and finds where the stance changed.
// A claim that describes the issue without a side, or a date-less claim from an undated
// source, is not on the strip. Dates are compared as the text gives them ("2025-08" before
// "2025-08-18"), so a month sorts before the days in it. A move is only between claims of
// different dates: two stances on one date are a disagreement, which the standing's
// "contested" says, not a change over time.
func history(claims []Claim, issue string) ([]Moment, []Move) {
	var strip []Moment
	for _, c := range claims {
		s := vocab.Stance(c.StanceOn(issue))
		if s == "" || s == vocab.Neutral {
			continue
		}
		m := Moment{Date: c.Said, Stance: s, Grade: c.Evidence, Claim: ClaimRef{c.Slug, c.Statement}}
		if m.Date == "" {
			m.Date, m.SourceDate = c.Source.Published, true
		}
		if m.Date == "" {
			continue
		}
		strip = append(strip, m)
	}
	slices.SortStableFunc(strip, func(a, b Moment) int { return cmp.Compare(a.Date, b.Date) })
	var moves []Move
	for i := 1; i < len(strip); i++ {
		prev, m := strip[i-1], strip[i]
		if m.Stance != prev.Stance && m.Date != prev.Date {
			moves = append(moves, Move{From: prev.Stance, FromGrade: prev.Grade, To: m.Stance, Grade: m.Grade,
				Date: m.Date, SourceDate: m.SourceDate, Claim: m.Claim})
		}
	}
	return strip, moves
}
