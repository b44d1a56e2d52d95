package intake

import (
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/sourcebook/sourcebook/store/corpus"
)

// The measure of the classifier: the five seed captures, split as the preview splits a paste,
// against the hand-cleaned corpus made from them. A capture's block is clean when its text
// equals, contains or is contained in one of the corpus's blocks of that source (compared as
// the corpus README says a block relates to its seed), and clutter otherwise.

var (
	supRe      = regexp.MustCompile(`<sup>(\d+)</sup>`)
	angleURLRe = regexp.MustCompile(`<(https?://[^>\s]+)>`)
	// A footnote's marker is its label in the corpus ("[^3]: " is markup, not text) and the
	// start of its line in a capture; neither is the footnote's text.
	noteMarkRe = regexp.MustCompile(`^\[\^\d+\]:?\s*`)
)

func comparable(s string) string {
	s = supRe.ReplaceAllString(s, "[^$1]")
	s = strings.ReplaceAll(s, "*", "")
	s = angleURLRe.ReplaceAllString(s, "$1")
	s = strings.Join(strings.Fields(s), " ")
	return noteMarkRe.ReplaceAllString(s, "")
}

type tally struct{ clean, kept, clutter, flagged int }

func (t tally) keptShare() float64    { return float64(t.kept) / float64(t.clean) }
func (t tally) flaggedShare() float64 { return float64(t.flagged) / float64(t.clutter) }

func TestClutterOnTheSeedCaptures(t *testing.T) {
	c, err := corpus.Read(corpus.Files)
	if err != nil {
		t.Fatal(err)
	}
	var all tally
	for _, s := range c.Sources {
		raw, err := fs.ReadFile(corpus.Files, "seeds/"+s.Seed)
		if err != nil {
			t.Fatal(err)
		}
		blocks := Split(string(raw))
		// What the editor types in the form: the title, standfirst and authors the corpus
		// front matter gives, never its blocks.
		verdicts := Classify(blocks, Known{Title: s.Title, Subtitle: s.Subtitle, Authors: s.Authors})
		var got tally
		for i, b := range blocks {
			clean := isClean(comparable(b.Text), s.Blocks)
			flagged := verdicts[i].Clutter()
			switch {
			case clean:
				got.clean++
				if !flagged {
					got.kept++
				} else {
					t.Logf("%s block %d: clean, flagged %s (%s): %.80q", s.Seed, i+1, verdicts[i].Reason, verdicts[i].Cue, b.Text)
				}
			default:
				got.clutter++
				if flagged {
					got.flagged++
				} else {
					t.Logf("%s block %d: clutter, not flagged: %.80q", s.Seed, i+1, b.Text)
				}
			}
		}
		t.Logf("%s (%s): %d blocks; clean kept %d/%d = %.1f%%; clutter flagged %d/%d = %.1f%%", s.Seed, s.Slug, len(blocks),
			got.kept, got.clean, 100*got.keptShare(), got.flagged, got.clutter, 100*got.flaggedShare())
		all.clean += got.clean
		all.kept += got.kept
		all.clutter += got.clutter
		all.flagged += got.flagged
	}
	summary := fmt.Sprintf("overall: clean kept %d/%d = %.1f%%; clutter flagged %d/%d = %.1f%%",
		all.kept, all.clean, 100*all.keptShare(), all.flagged, all.clutter, 100*all.flaggedShare())
	t.Log(summary)
	if all.keptShare() < 0.98 || all.flaggedShare() < 0.90 {
		t.Errorf("below the targets (98%% of clean blocks kept, 90%% of clutter flagged): %s", summary)
	}
}

func isClean(text string, blocks []corpus.Block) bool {
	if text == "" {
		return false
	}
	for _, b := range blocks {
		ct := comparable(b.Text)
		if ct != "" && (strings.Contains(ct, text) || strings.Contains(text, ct)) {
			return true
		}
	}
	return false
}
