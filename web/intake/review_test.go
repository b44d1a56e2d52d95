package intake

import (
	"strings"
	"testing"

	"github.com/sourcebook/sourcebook/store/corpus"
)

func TestSentencesAreWhereABlockSplits(t *testing.T) {
	text := `He said so. “Then we go,” she said. U.S. officials agreed on Aug. 16? Yes! 3 more.`
	var got []string
	for _, at := range Sentences(text) {
		got = append(got, firstWords(text[at:], 2))
	}
	// "U.S." and "Aug. 16" have full stops inside a sentence: a sentence starts only where a
	// capital follows the space.
	if want := "“Then we…|U.S. officials…|Yes! 3…"; strings.Join(got, "|") != want {
		t.Errorf("split points: %q, want %q", got, want)
	}
	items := Review(corpus.ParseText(text), Known{})
	split, err := SplitAt(items, 0, Sentences(text)[0])
	if err != nil || len(split) != 2 || split[0].Text != "He said so." || !strings.HasPrefix(split[1].Text, "“Then we go,”") {
		t.Errorf("split: %v %+v", err, split)
	}
	if _, err := SplitAt(items, 0, 3); err == nil {
		t.Error("a split where no sentence starts was allowed")
	}
	merged, err := Merge(split, 0)
	if err != nil || len(merged) != 1 || merged[0].Text != text {
		t.Errorf("merging the halves back: %v %+v", err, merged)
	}
	if _, err := Merge(merged, 0); err == nil {
		t.Error("merging the last block with nothing was allowed")
	}
}

func TestDropNoteCountsReasonsAndEscapesMarkup(t *testing.T) {
	items := Review(corpus.ParseText("Follow us on social\n\nAn article's paragraph, which says something plainly.\n\n[Menu] *Home* _World_"), Known{})
	items[1].Keep = false
	note := DropNote(items)
	for _, want := range []string{"Dropped at intake: 3 of 3 blocks", "share or call to action 1", "dropped by the editor 1",
		"“Follow us on social”", `\[Menu\] \*Home\* \_World\_`} {
		if !strings.Contains(note, want) {
			t.Errorf("the note lacks %q: %s", want, note)
		}
	}
	for i := range items {
		items[i].Keep = true
	}
	if DropNote(items) != "" {
		t.Error("a note when nothing was dropped")
	}
}
