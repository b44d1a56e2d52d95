package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/store/corpus"
	"github.com/sourcebook/sourcebook/web/intake"
	"github.com/sourcebook/sourcebook/web/ui"
)

// reviewIntake reads the editor's review of a new source's blocks from the form: the text,
// split as a pasted page splits (intake.Split), each block's kind, whether it is kept, and a
// merge or split the editor asked for. The form carries no state of its own beyond the text:
// each block's keep box is paired with a fingerprint of the block it was shown beside
// ("seen-N"), so a choice follows its block only while the block is the one the editor saw;
// a block that changed since starts again from the classifier's verdict.
//
// It leaves the review in v.Intake and the kept blocks in v.Blocks, which is what is saved.
// After a merge or split it rewrites v.Text to the new blocks, one a paragraph, so the text
// and the preview keep describing the same blocks.
func reviewIntake(r *http.Request, v *ui.SourceFormView, errs store.FieldErrors, saving bool) {
	f := r.PostForm
	blocks := intake.Split(v.Text)
	for i := range blocks {
		if k := f.Get("kind-" + strconv.Itoa(i)); k != "" {
			blocks[i].Kind = k
		}
	}
	known := intake.Known{Title: v.Title, Subtitle: v.Subtitle, Authors: sourceInput(*v).Authors}
	items := intake.Review(blocks, known)
	if saving && !reviewed(f) {
		// A save that was never previewed (a script, an old form) has not seen the flags:
		// it keeps every block, for nothing is dropped that nobody looked at.
		for i := range items {
			items[i].Keep = true
		}
	}
	for i := range items {
		n := strconv.Itoa(i)
		if f.Get("seen-"+n) == intake.Fingerprint(items[i].Block) {
			items[i].Keep = f.Get("keep-"+n) != ""
		}
	}
	if op := f.Get("op"); op != "" {
		changed, err := applyOp(items, op)
		if err != nil {
			errs["text"] = err.Error()
		} else {
			verdicts := intake.Classify(intake.Blocks(changed), known)
			for i := range changed {
				changed[i].Verdict = verdicts[i]
			}
			items = changed
			v.Text = corpus.FormatText(intake.Blocks(items))
		}
	}
	v.Intake = items
	v.Blocks = intake.Kept(items)
	v.DropNote = intake.DropNote(items)
}

// reviewed reports whether the form comes from a preview, with a keep box for each block.
func reviewed(f url.Values) bool {
	for k := range f {
		if strings.HasPrefix(k, "seen-") {
			return true
		}
	}
	return false
}

// applyOp applies "merge-N" (block N with the next) or "split-N-AT" (block N where a sentence
// begins at byte AT), N counting from 0 as the form's fields do.
func applyOp(items []intake.Item, op string) ([]intake.Item, error) {
	parts := strings.Split(op, "-")
	nums := make([]int, len(parts)-1)
	for i, p := range parts[1:] {
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil, fmt.Errorf("%q is not something the preview can do to a block", op)
		}
		nums[i] = n
	}
	switch {
	case parts[0] == "merge" && len(nums) == 1:
		return intake.Merge(items, nums[0])
	case parts[0] == "split" && len(nums) == 2:
		return intake.SplitAt(items, nums[0], nums[1])
	}
	return nil, fmt.Errorf("%q is not something the preview can do to a block", op)
}

// withDropNote adds what was dropped at intake to the editor's provenance notes.
func withDropNote(notes, drop string) string {
	if drop == "" {
		return notes
	}
	if strings.TrimSpace(notes) == "" {
		return drop
	}
	return strings.TrimRight(notes, "\n") + "\n\n" + drop
}
