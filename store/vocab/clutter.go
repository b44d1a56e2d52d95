package vocab

// Clutter is why a block of a pasted web page looks like the page's furniture rather than the
// article. The words live here, not in the intake code that finds them, because they are
// shown to editors in the preview and written into a source's provenance notes when the
// blocks are dropped: once saved, they are part of what the knowledge base says about how a
// text was made.
type Clutter string

const (
	Navigation Clutter = "navigation"
	CallToAct  Clutter = "call-to-action"
	Ad         Clutter = "ad"
	Teaser     Clutter = "teaser"
	Newsletter Clutter = "newsletter"
	Byline     Clutter = "byline"
	Appendix   Clutter = "appendix"
	Separator  Clutter = "separator"
)

// Clutters are the reasons, in the order a summary lists them.
var Clutters = []Clutter{Navigation, CallToAct, Ad, Teaser, Newsletter, Byline, Appendix, Separator}

// Label is the reason as the preview and the notes say it.
func (c Clutter) Label() string {
	switch c {
	case Navigation:
		return "navigation or label"
	case CallToAct:
		return "share or call to action"
	case Ad:
		return "advertisement"
	case Teaser:
		return "teaser of another article"
	case Newsletter:
		return "newsletter box"
	case Byline:
		return "repeated title, byline, dateline or caption"
	case Appendix:
		return "appended fact check or commentary"
	case Separator:
		return "separator line"
	}
	return string(c)
}
