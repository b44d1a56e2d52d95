package store

import "github.com/sourcebook/sourcebook/store/corpus"

// Source is an article or document, as the knowledge base records it.
type Source struct {
	ID           int64
	Slug         string
	Title        string
	Subtitle     string
	Authors      []string // empty when the source names none
	Publisher    string   // "" when unknown
	CapturedFrom string
	Published    string // ISO date cut to its precision; "" when unknown
	URL          string
	Retrieved    string
	Kind         string
	Language     string
	Notes        string
	Status       string
	CreatedAt    string
	UpdatedAt    string
	TextVersion  int64 // the data version in which its text, or what annotates it, last changed
	Blocks       int   // how many blocks the current text has
	Claims       int
}

// PublishedPrecision is day, month, year or unknown.
func (s Source) PublishedPrecision() string { return Precision(s.Published) }

// Block is one numbered block of a source's text.
type Block struct {
	ID       int64
	SourceID int64
	Key      string
	Position int // 1-based place in the current text; 0 if the block has been removed
	Kind     string
	Label    string
	Rev      int // the current revision
	Text     string
	// Paragraph is its number among the source's paragraphs now (see paragraphs.go); 0
	// for a heading, caption or footnote, or a block removed from the text.
	Paragraph int
}

// Locator is how a citation points at the block in the current text ("para. 4", "n. 5").
func (b Block) Locator() string { return Locator(b.Kind, b.Label, b.Paragraph) }

// Revision is one version of a block's text.
type Revision struct {
	Rev       int
	Text      string
	CreatedAt string
	Paragraph int // the block's paragraph number while this revision was current; 0: none
}

// SourceRef names a source briefly, for links.
type SourceRef struct {
	Slug, Title, Publisher, Published string
}

// BlockRef names a block and carries the text a citation or mention refers to.
type BlockRef struct {
	Source   SourceRef
	Key      string
	Position int
	Kind     string
	Label    string
	Rev      int // the revision Text is from
	Text     string
	// Paragraph is the block's paragraph number in the current text, as Block.Paragraph.
	Paragraph int
}

// ActorRef names an actor briefly, for links.
type ActorRef struct {
	Slug, Name, Kind string
}

// IssueRef names an issue briefly, for links.
type IssueRef struct {
	Slug, Name string
}

// PrecedentRef names a precedent briefly, for links.
type PrecedentRef struct {
	Slug, Name, Kind, DateStart string
}

// Actor is a person, state, organisation or coalition.
type Actor struct {
	ID          int64
	Slug        string
	Name        string
	Kind        string
	Description string
	Aliases     []string
	Claims      int // claims it made or that report its stance
	Positions   int
}

// Ref returns the actor's short reference.
func (a Actor) Ref() ActorRef { return ActorRef{Slug: a.Slug, Name: a.Name, Kind: a.Kind} }

// Role is a role a source gives an actor, in the source's words.
type Role struct {
	Actor    ActorRef
	Title    string
	Org      *ActorRef
	AsStated string
	Former   bool
	Block    BlockRef
}

// Issue is a question in dispute.
type Issue struct {
	ID          int64
	Slug        string
	Name        string
	Question    string
	Proposition string
	Claims      int
	Positions   int
}

// Ref returns the issue's short reference.
func (i Issue) Ref() IssueRef { return IssueRef{Slug: i.Slug, Name: i.Name} }

// Stance is a claim's or position's stance on an issue, relative to its proposition.
type Stance struct {
	Issue  IssueRef
	Stance string
}

// Claim is something an actor said or asserted, citing exact spans of blocks.
type Claim struct {
	ID        int64
	Slug      string
	Statement string
	Speaker   *ActorRef // nil: the source's author(s)
	Holder    *ActorRef // whose stance it reports, when not the speaker's
	Kind      string    // quote | paraphrase | analysis
	Said      string
	Source    SourceRef
	Authors   []string // the source's authors, who speak when Speaker is nil
	Stances   []Stance
	Citations []Citation
	CreatedAt string
	UpdatedAt string
}

// StanceOn returns the claim's stance on the issue, or "".
func (c Claim) StanceOn(issue string) string {
	for _, s := range c.Stances {
		if s.Issue.Slug == issue {
			return s.Stance
		}
	}
	return ""
}

// Citation anchors a claim in a block with W3C selectors.
type Citation struct {
	ID      int64
	Claim   string // the citing claim's slug
	Block   BlockRef
	Start   int // TextPositionSelector, code points into Block.Text (the cited revision)
	End     int
	Exact   string // TextQuoteSelector
	Prefix  string
	Suffix  string
	Status  string // anchored | orphaned
	Current int    // the block's current revision; > Block.Rev when the block was revised since
}

// Position is an actor's stance on an issue, backed by claims.
type Position struct {
	id      int64 // for loading its claims
	Actor   ActorRef
	Issue   IssueRef
	Stance  string
	Summary string
	Claims  []Claim
}

// Precedent is an earlier arrangement, or one of today's proposals, that the sources invoke.
type Precedent struct {
	ID        int64
	Slug      string
	Name      string
	Kind      string // precedent | proposal
	DateStart string
	DateEnd   string
	Summary   string
	Facts     []Fact
	Mentions  []BlockRef
}

// Ref returns the precedent's short reference.
func (p Precedent) Ref() PrecedentRef {
	return PrecedentRef{Slug: p.Slug, Name: p.Name, Kind: p.Kind, DateStart: p.DateStart}
}

// Fact is one thing a source says about a precedent, with the block that says it.
type Fact struct {
	Precedent string
	Aspect    string
	Text      string
	Block     BlockRef
}

// Event is a dated event a source mentions.
type Event struct {
	Date      string
	Title     string
	Block     BlockRef
	Precedent *PrecedentRef
}

// TimelineEntry is one event with the passages that date it. Events that sources give the
// same title are one entry, whatever date each source gives: where they give different
// dates, the entry keeps every date with its passages rather than choosing one.
type TimelineEntry struct {
	Date      string // where it is listed and drawn: the most precise of its dates, or the earliest where they disagree
	Title     string
	Precedent *PrecedentRef
	Dates     []EventDate // each date its passages give, earliest first
	Total     int         // passages that date it
}

// EventDate is one date the passages give an event, with those passages.
type EventDate struct {
	Date     string
	Passages []BlockRef // the first TimelinePassages, in the order they were recorded
	Total    int        // passages that give this date
}

// Stats counts what the knowledge base holds.
type Stats struct {
	Sources, Blocks, Actors, Issues, Claims, Citations, Positions, Precedents, Events, Roles int
	Drafts                                                                                   int // sources not published, not counted in Sources
}

// Precision names the precision of an ISO date cut short: day, month, year or unknown.
func Precision(date string) string { return corpus.DatePrecision(date) }
