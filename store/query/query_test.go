package query

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	cases := []struct{ in, fts string }{
		{`security guarantees`, `"security" AND "guarantees"`},
		{`"security guarantees" Russia`, `"security guarantees" AND "russia"`},
		{`guarantee -Budapest`, `"guarantee" NOT "budapest"`},
		{`guarant*`, `"guarant"*`},
		{`Minsk OR Istanbul treaty`, `("minsk" OR "istanbul") AND "treaty"`},
		{`Élysée`, `"élysée"`},
		{`-"Article 5" NATO`, `"nato" NOT "article 5"`},
		// Hostile or odd input reads as plain words.
		{`"unbalanced quote`, `"unbalanced" AND "quote"`},
		{`NEAR(a b)`, `"near a" AND "b"`},
		{`title:Budapest`, `"title budapest"`},
		{`^start`, `"start"`},
		{`OR`, ``},
		{`AND NOT`, `"and" AND "not"`},
		{`-`, ``},
		{`***`, ``},
		{`🇺🇦 🙂`, ``},
		{`'; DROP TABLE claims; --`, `"drop" AND "table" AND "claims"`},
		{`Zelensky's`, `"zelensky s"`},
		{`-only -negatives`, ``},
	}
	for _, c := range cases {
		if got := Parse(c.in).FTS(); got != c.fts {
			t.Errorf("Parse(%q).FTS() = %q, want %q", c.in, got, c.fts)
		}
	}
}

func TestLongInputIsCapped(t *testing.T) {
	q := Parse(strings.Repeat("guarantee treaty ", 1000))
	n := 0
	for _, g := range q.Groups {
		n += len(g)
	}
	if n > MaxTerms {
		t.Errorf("%d terms from a long paste; the cap is %d", n, MaxTerms)
	}
}
