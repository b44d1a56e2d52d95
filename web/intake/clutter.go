// Package intake turns what an editor brings in (a pasted capture, a saved page) into blocks
// ready for review: it splits the text and says which blocks look like page clutter.
package intake

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/sourcebook/sourcebook/store/corpus"
	"github.com/sourcebook/sourcebook/store/vocab"
)

// The rule for this file: every cue is a feature of web pages in general (the shape of a
// line, its punctuation, where it stands, phrases that page furniture everywhere uses, such
// as "Subscribe", "Share", "Advertisement", "Read more", "Follow us"), never a string copied
// from the seed captures in store/corpus/seeds. Those captures are the measure of this code
// (clutter_test.go); a cue that matched their literal text would make the measure
// meaningless and would not help with the next page an editor pastes.

// Verdict is what the classifier says of one block: a reason if it looks like clutter, with
// the cue that decided it, or an empty Reason if it looks like the article.
type Verdict struct {
	Reason vocab.Clutter
	Cue    string
}

// Clutter reports whether the verdict flags the block.
func (v Verdict) Clutter() bool { return v.Reason != "" }

// Known is what the editor has typed about the source: a block repeating it is a repeated
// title, standfirst or byline.
type Known struct {
	Title, Subtitle string
	Authors         []string
}

var (
	// Phrases of page furniture, matched in short blocks only: an article's own sentences may
	// use the same words ("the allies share..."), but never as a line of five words.
	adRe = regexp.MustCompile(`(?i)\b(advertisements?|advertising|sponsored( content| post)?|paid (post|content|partnership)|promoted( content)?|ad feedback|ad choices|story continues below)\b|^ads?$`)
	// newsletterRe is matched in blocks of up to newsletterWords: a newsletter box explains itself in a sentence or two.
	newsletterRe = regexp.MustCompile(`(?i)\b(newsletters?|subscribe|subscription|subscribers?|inbox|round-?up|mailing list|sign(ing)? up for)\b`)
	ctaRe        = regexp.MustCompile(`(?i)\b(follow us|follow (him|her|them|me) on|share (this|on|via|the)|^share$|shares?$|click here|tap here|sign (up|in)|log ?in|register now|create an account|download (the|our) app|get the app|read more|keep reading|continue reading|read (the )?full|show (less|more)|load more|see more|view more|google|preferred source|more of our|try (our|it)|explore what|comments?|no comments|leave a comment|join the (conversation|discussion)|print( this)?$|email this|copy link|whats ?app|facebook|twitter|linkedin|telegram|instagram|tiktok|youtube|bookmark|save (this|article|for later)|listen to (this|the) (article|story)|gift (this )?article|support (us|our journalism)|donate|cookies?|accept all|privacy policy|terms of (use|service))\b`)
	// navRe are labels that introduce a list of links.
	navRe = regexp.MustCompile(`(?i)^(categories|category|tags|tagged|topics|filed under|hashtags|sections?|related topics|more (on|about)|explore|menu|skip to( main)? content|home|back to top)\b\s*:?`)
	// endRe are headings after which a page lists other things than the article: related
	// stories, comments, hashtags. Once the article has begun, what follows one is clutter.
	endRe = regexp.MustCompile(`(?i)^(related( articles| stories| posts| content| reading)?|read these next|read next|up next|what to read next|more (from|stories|news|in|on) .*|more stories|you (may|might) (also )?like|recommended( for you| stories| reading)?|most (read|popular|viewed|shared)|trending( now| stories)?|hashtags|latest( news| stories)?|keep reading.*|continue reading.*|read more.*|show less.*|popular (now|stories)|editor'?s picks|don'?t miss)$`)
	// teaserEndRe closes a teaser: an excerpt of another article ends with a link to the rest.
	teaserEndRe = regexp.MustCompile(`(?i)^(keep reading|continue reading|read more|show less|read the full (story|article))`)
	// appendixRe starts an appended section that is not the article's: a fact check or a
	// commentary generated or added by the republishing site.
	appendixRe = regexp.MustCompile(`(?i)^(fact[- ]?check(s|ed)?|ai[- ]generated|generated summary|summary generated|what can (we|you) (personally )?do)`)
	bylineRe   = regexp.MustCompile(`^(By|BY|Written by|Reporting by|Words by)\s+\p{Lu}`)
	stampRe    = regexp.MustCompile(`(?i)^(updated|published|posted|last (updated|modified)|first published)\b`)
	agoRe      = regexp.MustCompile(`(?i)^\d+\s+(seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago$`)
	dateRe     = regexp.MustCompile(`(?i)\b(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t|tember)?|oct(ober)?|nov(ember)?|dec(ember)?)\.?\s+\d{1,2}\b|\b\d{1,2}\s+(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t|tember)?|oct(ober)?|nov(ember)?|dec(ember)?)\b|\b\d{1,2}:\d{2}\b|\b\d{4}-\d{2}-\d{2}\b`)
	weekdayRe  = regexp.MustCompile(`(?i)\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b`)
	// creditRe is a photo credit ("NAME/AGENCY/Getty Images"): kept with its caption, even
	// when the same photographer is credited twice.
	creditRe = regexp.MustCompile(`(?i)\p{L}/\p{L}|\b(getty images|shutterstock|reuters|afp|associated press|ap photo|epa|photo:|image:|credit:)`)
	// breadcrumbRe is a list of links set side by side: "Analysis | Europe", "Home › World".
	breadcrumbRe = regexp.MustCompile(`\s[|•›»·]\s|\s>\s`)
)

// structural words are a document's own section headings; a capture may set one on a line of
// its own without Markdown, and it is not a menu.
var structural = map[string]bool{"introduction": true, "conclusion": true, "conclusions": true, "background": true,
	"summary": true, "abstract": true, "analysis": false, "references": true, "notes": true, "methodology": true,
	"discussion": true, "recommendations": true, "overview": true, "context": true, "epilogue": true, "prologue": true}

// stop words tell a short heading ("The Trump Factor", "Land swaps are on the table") from a
// label or an image's alt text ("Nigeria violence", "Asia-Pacific"): a phrase written to be
// read has its little words.
var stop = map[string]bool{"the": true, "a": true, "an": true, "of": true, "and": true, "or": true, "to": true,
	"in": true, "on": true, "for": true, "with": true, "at": true, "by": true, "from": true, "is": true, "are": true,
	"was": true, "were": true, "be": true, "as": true, "its": true, "it": true, "not": true, "no": true, "what": true,
	"why": true, "how": true, "who": true, "when": true, "where": true, "this": true, "that": true, "will": true,
	"can": true, "after": true, "before": true, "over": true, "into": true, "than": true, "but": true, "has": true,
	"have": true, "does": true, "do": true, "our": true, "their": true, "his": true, "her": true, "we": true}

const (
	shortWords      = 12 // a call to action or a menu item is a line, not a paragraph
	newsletterWords = 60
	bodyWords       = 15 // a paragraph of the article: a sentence or more
	bodyBefore      = 3  // paragraphs that must precede an end heading for it to end the article
	teaserReach     = 8  // how far back a "keep reading" link may reach for the start of its teaser
)

// Classify says, for each block, whether it looks like page clutter and why. It looks at each
// block alone (its words, shape and punctuation), then at where it stands: what follows the
// first heading of related stories, or a fact-check appendix, once the article has begun, is
// not the article; and a run of blocks closed by a "keep reading" link is a teaser.
func Classify(blocks []corpus.Block, known Known) []Verdict {
	out := make([]Verdict, len(blocks))
	counts := map[string]int{}
	for _, b := range blocks {
		counts[fold(b.Text)]++
	}
	for i := range blocks {
		out[i] = classifyOne(blocks, i, known, counts)
	}
	body := 0
	for i, b := range blocks {
		words := len(strings.Fields(b.Text))
		switch {
		case out[i].Reason == vocab.Appendix && body >= bodyBefore:
			for j := i + 1; j < len(blocks); j++ {
				if !out[j].Clutter() {
					out[j] = Verdict{vocab.Appendix, "follows the appendix that starts at block " + strconv.Itoa(i+1)}
				}
			}
			return out
		case body >= bodyBefore && endRe.MatchString(strings.TrimSpace(trimPunct(b.Text))):
			if teaserEndRe.MatchString(b.Text) {
				markTeaser(out, i)
			}
			if !out[i].Clutter() {
				out[i] = Verdict{vocab.Teaser, "heads a list of other articles"}
			}
			for j := i + 1; j < len(blocks); j++ {
				if !out[j].Clutter() {
					out[j] = Verdict{vocab.Teaser, "follows “" + firstWords(b.Text, 4) + "”, where the article has ended"}
				}
			}
			return out
		case !out[i].Clutter() && words >= bodyWords:
			body++
		}
	}
	return out
}

// markTeaser flags the run of blocks a "keep reading" link at i closes, back to the previous
// flagged block, as long as that is near.
func markTeaser(out []Verdict, i int) {
	start := -1
	for j := i - 1; j >= 0 && j >= i-teaserReach; j-- {
		if out[j].Clutter() {
			start = j + 1
			break
		}
	}
	if start < 0 {
		return
	}
	for j := start; j < i; j++ {
		out[j] = Verdict{vocab.Teaser, "an excerpt closed by a link to read more"}
	}
}

func classifyOne(blocks []corpus.Block, i int, known Known, counts map[string]int) Verdict {
	b := blocks[i]
	text := strings.TrimSpace(b.Text)
	bare := strings.TrimSpace(strings.TrimLeft(text, "-–—•*· "))
	words := strings.Fields(bare)
	n := len(words)
	letters := false
	for _, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			letters = true
			break
		}
	}
	credit := creditRe.MatchString(text) && n <= 10
	heading := b.Kind == string(vocab.Heading)
	switch {
	case !letters:
		return Verdict{vocab.Separator, "no words"}
	case appendixRe.MatchString(text):
		return Verdict{vocab.Appendix, "starts “" + firstWords(text, 2) + "”"}
	case n <= shortWords && adRe.MatchString(text):
		return Verdict{vocab.Ad, cue(adRe, text)}
	case n <= newsletterWords && newsletterRe.MatchString(text) && !quoted(text):
		return Verdict{vocab.Newsletter, cue(newsletterRe, text)}
	case n <= shortWords && ctaRe.MatchString(text) && !heading:
		return Verdict{vocab.CallToAct, cue(ctaRe, text)}
	case n <= shortWords && navRe.MatchString(text):
		return Verdict{vocab.Navigation, "a list of " + strings.ToLower(strings.TrimRight(firstWords(text, 1), ":"))}
	case n <= shortWords && breadcrumbRe.MatchString(text) && !sentence(text):
		return Verdict{vocab.Navigation, "links set side by side"}
	}
	if same(text, known.Title) && !heading {
		return Verdict{vocab.Byline, "repeats the title"}
	}
	if same(text, known.Subtitle) && !heading {
		return Verdict{vocab.Byline, "repeats the standfirst"}
	}
	for _, a := range known.Authors {
		if same(text, a) || same(text, "By "+a) {
			return Verdict{vocab.Byline, "repeats the author's name"}
		}
	}
	switch {
	case agoRe.MatchString(bare):
		return Verdict{vocab.Byline, "a time stamp"}
	case n <= shortWords && bylineRe.MatchString(text) && !sentence(text):
		return Verdict{vocab.Byline, "a byline"}
	case n <= 16 && (stampRe.MatchString(text) || dateRe.MatchString(text) && weekdayRe.MatchString(text)) && !sentence(text):
		return Verdict{vocab.Byline, "a dateline"}
	case truncatedCopy(blocks, i):
		return Verdict{vocab.Byline, "a shortened copy of the next block"}
	case credit || heading:
		return Verdict{}
	case counts[fold(text)] > 1 && n <= shortWords:
		return Verdict{vocab.Navigation, "the same line " + strconv.Itoa(counts[fold(text)]) + " times"}
	case n <= 4 && allCaps(bare):
		return Verdict{vocab.Navigation, "a short line in capitals"}
	case n <= 3 && !sentence(text) && !hasStop(words) && !structural[strings.ToLower(trimPunct(bare))]:
		return Verdict{vocab.Navigation, "a label of a few words"}
	}
	return Verdict{}
}

// truncatedCopy reports whether block i is a shortened copy of its neighbour, cut with an
// ellipsis, as a page shows a caption twice: once cut, once whole.
func truncatedCopy(blocks []corpus.Block, i int) bool {
	t := strings.TrimSpace(blocks[i].Text)
	var cut string
	switch {
	case strings.HasSuffix(t, "..."):
		cut = strings.TrimSuffix(t, "...")
	case strings.HasSuffix(t, "…"):
		cut = strings.TrimSuffix(t, "…")
	default:
		return false
	}
	cut = strings.TrimSpace(cut)
	if len(cut) < 20 {
		return false
	}
	for _, j := range []int{i - 1, i + 1} {
		if j >= 0 && j < len(blocks) && j != i && strings.HasPrefix(blocks[j].Text, cut) && len(blocks[j].Text) > len(cut) {
			return true
		}
	}
	return false
}

// sentence reports whether text ends as a sentence does.
func sentence(text string) bool {
	t := strings.TrimRight(strings.TrimSpace(text), `"'”’)]`)
	return strings.HasSuffix(t, ".") && !strings.HasSuffix(t, "...") || strings.HasSuffix(t, "!") || strings.HasSuffix(t, "?")
}

// quoted reports whether text opens with a quotation mark: a person's words, which may say anything.
func quoted(text string) bool {
	return strings.HasPrefix(text, "\"") || strings.HasPrefix(text, "“")
}

func hasStop(words []string) bool {
	for _, w := range words {
		w = strings.ToLower(trimPunct(w))
		if stop[w] || strings.HasSuffix(w, "'s") || strings.HasSuffix(w, "’s") {
			return true
		}
	}
	return false
}

func allCaps(s string) bool {
	upper := 0
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsUpper(r) {
			upper++
		}
	}
	return upper >= 2
}

func trimPunct(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) })
}

// fold makes two lines comparable: case, quotation marks, spacing and end punctuation aside.
func fold(s string) string {
	s = strings.NewReplacer("’", "'", "‘", "'", "“", `"`, "”", `"`).Replace(strings.ToLower(s))
	return trimPunct(strings.Join(strings.Fields(s), " "))
}

func same(a, b string) bool {
	return strings.TrimSpace(b) != "" && fold(a) == fold(b)
}

func cue(re *regexp.Regexp, text string) string {
	return "“" + strings.TrimSpace(re.FindString(text)) + "”"
}

// firstWords gives the first n words of s (all of them when n is 0), for naming a block.
func firstWords(s string, n int) string {
	w := strings.Fields(s)
	if n > 0 && len(w) > n {
		return strings.Join(w[:n], " ") + "…"
	}
	return strings.Join(w, " ")
}
