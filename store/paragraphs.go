// Paragraphs: the numbers (para. N) that a citation of a passage gives, and how they follow
// edits.

package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/sourcebook/sourcebook/store/corpus"
)

// Paragraph numbers are the locator a citation of a passage gives: "para. 4".
//
// What is numbered: body paragraphs and blockquotes, the text a reader quotes and counts.
// Headings and captions are not paragraphs, and a reader counting paragraphs in the
// publisher's copy skips them, so they get no number and do not shift the others.
// Footnotes are cited by their own label ("n. 5"), as in print.
//
// A number belongs to a block revision, as its words do: an edit that moves a block's number
// (a paragraph inserted above it) gives the block a new revision with the same words and
// the new number. So revision N of a passage names one text under one number, and a
// citation of revision N (its URL carries ?rev=N) shows the number its reader saw, with
// the current one beside it when it has moved. Recording numbers per source edition
// instead would leave "revision N" naming a text whose number changed while it was
// current, and a citation could not say which number it meant.

// numbered reports whether blocks of a kind are counted as paragraphs.
func numbered(kind string) bool { return kind == "paragraph" || kind == "blockquote" }

// paragraphNumbers numbers a text's blocks in order: 1, 2, ... for the paragraphs, 0 for
// the blocks that are not numbered.
func paragraphNumbers(blocks []corpus.Block) []int {
	nums := make([]int, len(blocks))
	n := 0
	for i, b := range blocks {
		if numbered(b.Kind) {
			n++
			nums[i] = n
		}
	}
	return nums
}

// nullNumber stores 0, no number, as NULL.
func nullNumber(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

// Locator is how a citation points at a block within its source: "para. 4" for a numbered
// paragraph (the number it has in the revision cited), "n. 5" for footnote 5, and "" for a
// heading or caption, or a block whose number is not known (removed before numbers were
// recorded).
func Locator(kind, label string, paragraph int) string {
	switch {
	case paragraph > 0:
		return "para. " + strconv.Itoa(paragraph)
	case kind == "footnote" && label != "":
		return "n. " + label
	}
	return ""
}

// renumbered moves the anchored citations of a block's previous revision onto rev, a new
// revision with the same words under a new number: the quote is at the same place in the
// same words, and the claim now cites the passage as it reads today.
func renumbered(ctx context.Context, tx *sql.Tx, blockID int64, rev int) error {
	if _, err := tx.ExecContext(ctx, `UPDATE citations SET block_rev = ? WHERE block_id = ? AND block_rev = ? AND status = 'anchored'`,
		rev, blockID, rev-1); err != nil {
		return fmt.Errorf("renumber block %d: %w", blockID, err)
	}
	return nil
}

// Locator is how a citation of the passage at the revision shown points at it: the number
// it had then, which is the number its reader saw.
func (p Passage) Locator() string { return Locator(p.Block.Kind, p.Block.Label, p.Shown.Paragraph) }

// Moved says, for a passage shown at an old revision whose locator has moved since, what it
// was then and what it is now: "para. 4 in revision 1; now para. 5". It is "" when the
// revision shown is the current one or the locator is the same.
func (p Passage) Moved() string {
	was, now := p.Locator(), p.Block.Locator()
	if !p.Revised() || (was == now && p.Block.Position > 0) {
		return ""
	}
	if was == "" {
		was = "not numbered"
	}
	switch {
	case p.Block.Position == 0:
		now = "removed from the text"
	case now == "":
		now = "not numbered"
	}
	return was + " in revision " + strconv.Itoa(p.Shown.Rev) + "; now " + now
}
