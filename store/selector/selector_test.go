package selector

import "testing"

func TestFindCountsCodePoints(t *testing.T) {
	// "É" is two bytes in UTF-8 and "👍" four: offsets must count them as one code point each.
	text := "Élysée said 👍 guarantees, then guarantees again."
	a, ok := Find(text, "guarantees", 2)
	if !ok {
		t.Fatal("second occurrence not found")
	}
	if a.Start != 31 || a.End != 41 {
		t.Errorf("position = %d..%d, want 31..41", a.Start, a.End)
	}
	if got, _ := Slice(text, a.Position); got != "guarantees" {
		t.Errorf("slice at position = %q", got)
	}
	if a.Prefix != "Élysée said 👍 guarantees, then " || a.Suffix != " again." {
		t.Errorf("context = %q / %q", a.Prefix, a.Suffix)
	}
	if _, ok := Find(text, "missing", 1); ok {
		t.Error("found a quote that is not there")
	}
	if _, ok := Find(text, "guarantees", 3); ok {
		t.Error("found a third occurrence")
	}
}

func TestUTF16Conversion(t *testing.T) {
	text := "a👍é b" // 👍 is a surrogate pair in UTF-16
	cases := []struct{ u16, cp int }{{0, 0}, {1, 1}, {3, 2}, {4, 3}, {6, 5}}
	for _, c := range cases {
		got, ok := UTF16ToCodePoints(text, c.u16)
		if !ok || got != c.cp {
			t.Errorf("UTF16ToCodePoints(%d) = %d,%v; want %d", c.u16, got, ok, c.cp)
		}
	}
	if _, ok := UTF16ToCodePoints(text, 2); ok {
		t.Error("an offset inside a surrogate pair was accepted")
	}
	if _, ok := UTF16ToCodePoints(text, 7); ok {
		t.Error("an offset past the end was accepted")
	}
}

func TestReanchorAfterEdit(t *testing.T) {
	old := "Russia says no. Kyiv says no to land swaps. Europe says no."
	a, _ := Find(old, "no", 2)
	edited := "Moscow, again, says no. Kyiv says no to land swaps. Europe says no."
	got, ok := Reanchor(edited, a)
	if !ok {
		t.Fatal("quote lost after edit")
	}
	if got.Exact != "no" || got.Suffix[:12] != " to land swa" {
		t.Errorf("re-anchored to the wrong occurrence: %+v", got)
	}
	if _, ok := Reanchor("Nothing like it here.", a); ok {
		t.Error("re-anchored a quote whose words are gone")
	}
}

// Split cuts at character offsets, not bytes, and each piece knows every span covering it.
func TestSplitCutsOverlappingSpansAtCharacters(t *testing.T) {
	text := "Élysée: 👍 guarantees now"
	// "Élysée" is 0–6, "👍 guarantees" 8–20, "guarantees now" 10–24; one span lies outside.
	pieces := Split(text, []Position{{Start: 0, End: 6}, {Start: 8, End: 20}, {Start: 10, End: 24}, {Start: 20, End: 99}})
	want := []struct {
		text   string
		covers []int
	}{{"Élysée", []int{0}}, {": ", nil}, {"👍 ", []int{1}}, {"guarantees", []int{1, 2}}, {" now", []int{2}}}
	if len(pieces) != len(want) {
		t.Fatalf("%d pieces, want %d: %+v", len(pieces), len(want), pieces)
	}
	for i, w := range want {
		if pieces[i].Text != w.text || len(pieces[i].Covers) != len(w.covers) {
			t.Errorf("piece %d: %q covered by %v, want %q by %v", i, pieces[i].Text, pieces[i].Covers, w.text, w.covers)
			continue
		}
		for j := range w.covers {
			if pieces[i].Covers[j] != w.covers[j] {
				t.Errorf("piece %d covered by %v, want %v", i, pieces[i].Covers, w.covers)
			}
		}
	}
	if got := Split("plain", nil); len(got) != 1 || got[0].Text != "plain" {
		t.Errorf("no spans: %+v", got)
	}
	if got := Split("", []Position{{Start: 0, End: 1}}); got != nil {
		t.Errorf("empty text: %+v", got)
	}
}
