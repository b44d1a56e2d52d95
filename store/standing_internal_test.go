package store

import (
	"testing"

	"github.com/sourcebook/sourcebook/store/vocab"
)

// The cases that decide a stance: the strongest grade wins however many weaker claims
// disagree; equal numbers for and against are mixed and contested; claims that take no side
// give "describes" only when nothing else does; an override is contested by evidence it
// contradicts.
func TestDerive(t *testing.T) {
	own, rep, inf := vocab.OwnWords, vocab.Reported, vocab.Inferred
	for _, c := range []struct {
		name      string
		tallies   []Tally
		override  *Override
		stance    vocab.Stance
		grade     vocab.Evidence
		contested bool
	}{
		{"one report", []Tally{{rep, vocab.For, 1}}, nil, vocab.For, rep, false},
		{"own words outweigh many reports", []Tally{{rep, vocab.For, 5}, {own, vocab.Against, 1}}, nil, vocab.Against, own, false},
		{"reports outweigh readings", []Tally{{inf, vocab.Against, 3}, {rep, vocab.For, 1}}, nil, vocab.For, rep, false},
		{"both ways in own words", []Tally{{own, vocab.For, 2}, {own, vocab.Against, 2}}, nil, vocab.Mixed, own, true},
		{"mostly for, some against", []Tally{{own, vocab.For, 3}, {own, vocab.Against, 1}}, nil, vocab.For, own, true},
		{"conditional leans toward", []Tally{{own, vocab.Conditional, 1}, {own, vocab.Against, 1}}, nil, vocab.Mixed, own, true},
		{"the more guarded word in a tie", []Tally{{own, vocab.For, 1}, {own, vocab.Conditional, 1}}, nil, vocab.Conditional, own, false},
		{"describing takes no side", []Tally{{own, vocab.Neutral, 4}, {inf, vocab.For, 1}}, nil, vocab.For, inf, false},
		{"only descriptions", []Tally{{rep, vocab.Neutral, 2}}, nil, vocab.Neutral, rep, false},
		{"an override against own words for", []Tally{{own, vocab.For, 1}}, &Override{vocab.Against, "why"}, vocab.Against, own, true},
	} {
		st := derive(c.tallies, c.override)
		if st.Stance != c.stance || st.Grade != c.grade || st.Contested != c.contested {
			t.Errorf("%s: got %s, %s, contested %v; want %s, %s, contested %v", c.name, st.Stance, st.Grade, st.Contested, c.stance, c.grade, c.contested)
		}
	}
}

// A position's history orders dated claims, uses the source's date for an undated one and
// says so, and names each change of stance between dates, not two stances on one date.
func TestHistory(t *testing.T) {
	claim := func(slug, said, published, stance string, g vocab.Evidence) Claim {
		return Claim{Slug: slug, Said: said, Evidence: g, Source: SourceRef{Published: published},
			Stances: []Stance{{Issue: IssueRef{Slug: "i"}, Stance: stance}}}
	}
	strip, moves := history([]Claim{
		claim("c", "2025-08-18", "2025-08-20", "conditional", vocab.OwnWords),
		claim("a", "", "2025-08-01", "against", vocab.OwnWords),
		claim("n", "2025-08-10", "", "neutral", vocab.OwnWords),
		claim("u", "", "", "for", vocab.OwnWords),
		claim("s", "2025-08-18", "", "for", vocab.Reported),
	}, "i")
	if len(strip) != 3 || strip[0].Claim.Slug != "a" || !strip[0].SourceDate || strip[1].SourceDate {
		t.Fatalf("strip: %+v", strip)
	}
	if len(moves) != 1 || moves[0].From != vocab.Against || moves[0].To != vocab.Conditional || moves[0].Date != "2025-08-18" ||
		moves[0].FromGrade != vocab.OwnWords || moves[0].SourceDate {
		t.Errorf("moves: %+v", moves)
	}
}
