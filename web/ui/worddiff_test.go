package ui

import (
	"strings"
	"testing"
)

func TestWordDiffChangesWholeWords(t *testing.T) {
	old := "The allies will consider guarantees for Ukraine."
	new := "The allies will provide guarantees to Ukraine, they said."
	pieces := WordDiff(old, new)
	var a, b, got strings.Builder
	for _, p := range pieces {
		if p.Op <= 0 {
			a.WriteString(p.Text)
		}
		if p.Op >= 0 {
			b.WriteString(p.Text)
		}
		switch p.Op {
		case -1:
			got.WriteString("[-" + p.Text + "-]")
		case 1:
			got.WriteString("{+" + p.Text + "+}")
		default:
			got.WriteString(p.Text)
		}
	}
	if a.String() != old || b.String() != new {
		t.Fatalf("the pieces do not give back the texts: %q / %q", a.String(), b.String())
	}
	want := "The allies will [-consider-]{+provide+} guarantees [-for Ukraine.-]{+to Ukraine, they said.+}"
	if got.String() != want {
		t.Errorf("diff = %s\nwant   %s", got.String(), want)
	}
}
