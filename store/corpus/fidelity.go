package corpus

import (
	"io/fs"
	"regexp"
	"strings"
)

// The seed files are the articles as they were captured, clutter included. Each block must
// be a faithful run of its seed's text: nothing added, nothing reworded.
var (
	supRe      = regexp.MustCompile(`<sup>(\d+)</sup>`)
	angleURLRe = regexp.MustCompile(`<(https?://[^>\s]+)>`)
)

// normaliseSeed makes a seed comparable with block text: footnote markers written as
// <sup>N</sup> become [^N], Markdown emphasis and the angle brackets of autolinks go, and
// whitespace runs collapse to one space.
func normaliseSeed(s string) string {
	s = supRe.ReplaceAllString(s, "[^$1]")
	s = strings.ReplaceAll(s, "*", "")
	s = angleURLRe.ReplaceAllString(s, "$1")
	return collapseSpace(s)
}

// clutterMarkers are phrases of page furniture seen in the captures: share buttons, related
// stories, teasers, newsletter blurbs, and appended advocacy. None belongs in a block.
var clutterMarkers = []string{
	"Related Articles", "Hashtags", "keep reading", "Show less", "Read These Next",
	"Fact Checks", "google cta", "Subscribe now", "Try Our AI Features", "Follow us on social",
	"Mailing Address", "Senate Office Building", "Daily8", "No comments yet",
	"What Can We Personally Do", "Sign Petitions", "Want more of our stories", "Preferred Source",
}

// ClutterIn returns the first clutter marker text contains, or "".
func ClutterIn(text string) string {
	lower := strings.ToLower(text)
	for _, m := range clutterMarkers {
		if strings.Contains(lower, strings.ToLower(m)) {
			return m
		}
	}
	if strings.HasSuffix(text, " More") || strings.HasSuffix(text, "...") {
		return "a truncated or \"More\" caption"
	}
	return ""
}

// checkFidelity checks each source's blocks against its seed; a seed that cannot be read is a
// problem of its own.
func checkFidelity(fsys fs.FS, c *Corpus, ps *problems) {
	for _, s := range c.Sources {
		raw, err := fs.ReadFile(fsys, "seeds/"+s.Seed)
		if err != nil {
			ps.add(s.File, 2, "seed %q cannot be read: %v", s.Seed, err)
			continue
		}
		seed := normaliseSeed(string(raw))
		for _, b := range s.Blocks {
			text := b.Text
			if b.Kind == "footnote" {
				text = "[^" + b.Label + "] " + text
			}
			if !strings.Contains(seed, text) {
				ps.add(s.File, b.Line, "block %s is not in the seed %s as written (words changed or joined across paragraphs?)", b.Key, s.Seed)
			}
			if m := ClutterIn(b.Text); m != "" {
				ps.add(s.File, b.Line, "block %s looks like page clutter (%s)", b.Key, m)
			}
		}
	}
}
