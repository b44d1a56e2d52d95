package ui

import "testing"

func TestQuotedNestsMarksAndNeverDoublesThem(t *testing.T) {
	for in, want := range map[string]string{
		`Moscow introduced a clause`: `“Moscow introduced a clause”`,
		`"was the first time we had ever heard the Russians agree to that" and called it "game-changing."`: `“‘was the first time we had ever heard the Russians agree to that’ and called it ‘game-changing.’”`,
		`"We need security."`:                         `“We need security.”`,
		`“We need security.”`:                         `“We need security.”`,
		`Rubio said it would be "a huge concession."`: `“Rubio said it would be ‘a huge concession.’”`,
		`Russia's veto over 'guarantees'`:             `“Russia’s veto over ‘guarantees’”`,
	} {
		if got := Quoted(in); got != want {
			t.Errorf("Quoted(%s)\n got %s\nwant %s", in, got, want)
		}
	}
	if got := Nested(`Loose, abstract talk of 'guarantees' could sink Ukraine peace`); got != `Loose, abstract talk of ‘guarantees’ could sink Ukraine peace` {
		t.Errorf("Nested: %s", got)
	}
}
