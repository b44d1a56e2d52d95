package intake

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"

	"github.com/sourcebook/sourcebook/store/corpus"
	"github.com/sourcebook/sourcebook/store/vocab"
)

// Item is one block of a pasted text under review: the block, what the classifier says of
// it, and whether the editor keeps it.
type Item struct {
	corpus.Block
	Verdict
	Keep bool
}

// Review classifies blocks and keeps each one the classifier does not flag. Flagged blocks
// start dropped: on the seed captures fewer than one flagged block in a hundred is the
// article's (clutter_test.go), and the editor sees every flagged block with its reason and
// takes it back with one click.
func Review(blocks []corpus.Block, known Known) []Item {
	verdicts := Classify(blocks, known)
	items := make([]Item, len(blocks))
	for i, b := range blocks {
		items[i] = Item{Block: b, Verdict: verdicts[i], Keep: !verdicts[i].Clutter()}
	}
	return items
}

// Blocks gives the blocks of every item, kept or not, in order.
func Blocks(items []Item) []corpus.Block {
	out := make([]corpus.Block, len(items))
	for i, it := range items {
		out[i] = it.Block
	}
	return out
}

// Kept gives the blocks the editor keeps.
func Kept(items []Item) []corpus.Block {
	var out []corpus.Block
	for _, it := range items {
		if it.Keep {
			out = append(out, it.Block)
		}
	}
	return out
}

// Merge joins item i with the one after it. The merged block keeps the first one's kind, and
// is kept if either was: joining a block to a kept one means wanting its words.
func Merge(items []Item, i int) ([]Item, error) {
	if i < 0 || i+1 >= len(items) {
		return items, fmt.Errorf("there is no block %d followed by another to merge it with; preview again", i+1)
	}
	a, b := items[i], items[i+1]
	a.Text = strings.TrimSpace(a.Text) + " " + strings.TrimSpace(b.Text)
	a.Keep = a.Keep || b.Keep
	a.Verdict = Verdict{}
	out := append(append([]Item{}, items[:i]...), a)
	return append(out, items[i+2:]...), nil
}

// sentenceEnd is where one sentence ends and the next begins: end punctuation, any closing
// quotation marks, space, then a capital, perhaps after an opening quotation mark. A digit
// does not start one: "Aug. 16" is one sentence.
var sentenceEnd = regexp.MustCompile(`[.!?…]["'”’)\]]*\s+["'“‘(\[]?\p{Lu}`)

// Sentences gives the byte offsets in text where a sentence after the first begins: the
// places a block can be split.
func Sentences(text string) []int {
	var out []int
	for _, m := range sentenceEnd.FindAllStringIndex(text, -1) {
		// The match ends one character into the next sentence; step back over that character
		// and any opening mark before it, to where the space ends.
		at := m[0]
		for at < m[1] && !strings.ContainsAny(text[at:at+1], " \t\n") {
			at++
		}
		for at < m[1] && strings.ContainsAny(text[at:at+1], " \t\n") {
			at++
		}
		out = append(out, at)
	}
	return out
}

// SplitAt cuts item i in two where a sentence begins at byte offset at. Both halves keep the
// block's kind and whether it was kept.
func SplitAt(items []Item, i, at int) ([]Item, error) {
	if i < 0 || i >= len(items) {
		return items, fmt.Errorf("there is no block %d to split; preview again", i+1)
	}
	ok := false
	for _, s := range Sentences(items[i].Text) {
		ok = ok || s == at
	}
	if !ok {
		return items, fmt.Errorf("block %d has no sentence starting there; preview again", i+1)
	}
	a, b := items[i], items[i]
	a.Text, b.Text = strings.TrimSpace(a.Text[:at]), strings.TrimSpace(b.Text[at:])
	a.Verdict, b.Verdict = Verdict{}, Verdict{}
	b.Key = ""
	out := append(append([]Item{}, items[:i]...), a, b)
	return append(out, items[i+1:]...), nil
}

// DropNote says, for a source's provenance notes, what was dropped at intake: how many blocks
// for each reason, and the first words of each, so nothing leaves the text unrecorded. It is
// "" when nothing was dropped.
func DropNote(items []Item) string {
	counts := map[vocab.Clutter]int{}
	byEditor := 0
	var first []string
	for _, it := range items {
		if it.Keep {
			continue
		}
		if it.Reason == "" {
			byEditor++
		} else {
			counts[it.Reason]++
		}
		first = append(first, "“"+escapeMarkdown(firstWords(it.Text, 8))+"”")
	}
	if len(first) == 0 {
		return ""
	}
	var why []string
	for _, c := range vocab.Clutters {
		if counts[c] > 0 {
			why = append(why, fmt.Sprintf("%s %d", c.Label(), counts[c]))
		}
	}
	if byEditor > 0 {
		why = append(why, fmt.Sprintf("not flagged, dropped by the editor %d", byEditor))
	}
	return fmt.Sprintf("Dropped at intake: %d of %d blocks of the pasted text (%s). They began: %s.",
		len(first), len(items), strings.Join(why, ", "), strings.Join(first, "; "))
}

// escapeMarkdown keeps a dropped block's words as words when the notes are rendered as
// Markdown: a "[^13]" or an "*" in a menu is not markup.
func escapeMarkdown(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_[]<>", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Fingerprint identifies a block's kind and text, for pairing an editor's choice in a form
// with the block it was made for.
func Fingerprint(b corpus.Block) string {
	h := sha256.Sum256([]byte(b.Kind + "\x00" + b.Text))
	return hex.EncodeToString(h[:6])
}
