// Package corpus reads the seed corpus: sources written as Markdown with front matter, their
// annotations in YAML, and the shared registries of actors, issues, precedents and positions.
// It validates everything it reads without touching a database, so `sourcebook check` and
// the loader agree on what a good corpus is, and reports each problem as file:line.
package corpus

// Corpus is the whole seed corpus, parsed and validated.
type Corpus struct {
	Actors     []Actor
	Issues     []Issue
	Precedents []Precedent
	Positions  []Position
	Sources    []Source
	Digest     string // SHA-256 of every file read, so a load can be recognised
}

// Source is one article or document with its blocks and annotations.
type Source struct {
	File         string   `yaml:"-"`
	Slug         string   `yaml:"slug"`
	Title        string   `yaml:"title"`
	Subtitle     string   `yaml:"subtitle"`
	Authors      []string `yaml:"authors"`
	Publisher    string   `yaml:"publisher"`
	Published    string   `yaml:"published"`
	URL          string   `yaml:"url"`
	CapturedFrom string   `yaml:"captured_from"`
	Retrieved    string   `yaml:"retrieved"`
	Kind         string   `yaml:"kind"`
	Language     string   `yaml:"language"`
	Seed         string   `yaml:"seed"`
	Notes        string   `yaml:"notes"`

	Blocks []Block `yaml:"-"`
	Annotations
}

// Block is one paragraph, heading, blockquote, caption or footnote, in text order.
type Block struct {
	Key   string
	Kind  string
	Label string // a footnote's number, which paragraphs cite as [^N]
	Text  string
	Line  int
}

// Annotations are what an annotator records about one source.
type Annotations struct {
	AnnotationFile string    `yaml:"-"`
	SourceSlug     string    `yaml:"source"`
	NewActors      []Actor   `yaml:"actors"`
	Roles          []Role    `yaml:"roles"`
	Claims         []Claim   `yaml:"claims"`
	Mentions       []Mention `yaml:"precedents"`
	Events         []Event   `yaml:"events"`
	// Narration marks a journalist's words around a quotation, which a claim of kind
	// "quote" must not cite as the speaker's.
	Narration     []Narration `yaml:"narration"`
	NewPrecedents []Precedent `yaml:"new_precedents"`
}

// Actor is a person, state, organisation or coalition.
type Actor struct {
	ID          string   `yaml:"id"`
	Name        string   `yaml:"name"`
	Kind        string   `yaml:"kind"`
	Aliases     []string `yaml:"aliases"`
	Description string   `yaml:"description"`
	Line        int      `yaml:"-"`
	File        string   `yaml:"-"`
}

// Role is a role a source gives an actor, in the source's words.
type Role struct {
	Actor    string `yaml:"actor"`
	Title    string `yaml:"title"`
	Org      string `yaml:"org"`
	AsStated string `yaml:"as_stated"`
	Block    string `yaml:"block"`
	Former   bool   `yaml:"former"`
	Line     int    `yaml:"-"`
}

// Issue is a question in dispute.
type Issue struct {
	ID          string `yaml:"id"`
	Name        string `yaml:"name"`
	Question    string `yaml:"question"`
	Proposition string `yaml:"proposition"`
	// Replaces lists the ids of issues this one took over when an issue that asserted two
	// things was split; their old addresses redirect here.
	Replaces []string `yaml:"replaces"`
	Line     int      `yaml:"-"`
}

// Claim is something an actor said or asserted, citing exact spans of blocks.
type Claim struct {
	ID        string `yaml:"id"`
	Statement string `yaml:"statement"`
	Speaker   string `yaml:"speaker"` // an actor id, or "author"
	Holder    string `yaml:"holder"`
	Kind      string `yaml:"kind"`
	// Evidence grades how directly the claim shows the holder's stance (vocab.Grades), and
	// ReportedBy names the actor whose account a "reported" claim gives, when the source
	// names one.
	Evidence   string            `yaml:"evidence"`
	ReportedBy string            `yaml:"reported_by"`
	Said       string            `yaml:"said"`
	Issues     map[string]string `yaml:"issues"` // issue id → stance
	Cite       []Citation        `yaml:"cite"`
	Line       int               `yaml:"-"`
}

// Citation names the block and the exact quote a claim rests on.
type Citation struct {
	Block      string `yaml:"block"`
	Quote      string `yaml:"quote"`
	Occurrence int    `yaml:"occurrence"`
	Line       int    `yaml:"-"`
}

// Narration is a run of a block's text in the author's voice, not the speaker's.
type Narration struct {
	Block string `yaml:"block"`
	Text  string `yaml:"text"`
	Line  int    `yaml:"-"`
}

// Mention links a precedent to the blocks of a source that mention it.
type Mention struct {
	Precedent string   `yaml:"precedent"`
	Blocks    []string `yaml:"blocks"`
	Line      int      `yaml:"-"`
}

// Event is a dated event a source mentions, for the timeline.
type Event struct {
	Date      string `yaml:"date"`
	Title     string `yaml:"title"`
	Block     string `yaml:"block"`
	Precedent string `yaml:"precedent"`
	Line      int    `yaml:"-"`
}

// Precedent is an earlier agreement or arrangement the sources invoke.
type Precedent struct {
	ID        string `yaml:"id"`
	Name      string `yaml:"name"`
	Kind      string `yaml:"kind"` // precedent (the default) or proposal: one of today's proposals
	DateStart string `yaml:"date_start"`
	DateEnd   string `yaml:"date_end"`
	Summary   string `yaml:"summary"`
	Facts     []Fact `yaml:"facts"`
	Line      int    `yaml:"-"`
	File      string `yaml:"-"`
}

// Fact is one thing a source says about a precedent, with the block that says it.
type Fact struct {
	Aspect string `yaml:"aspect"` // date | parties | promised | happened | terms
	// Code is the codebook value the fact supports on its aspect (vocab.Codebook), or empty.
	Code   string `yaml:"code"`
	Text   string `yaml:"text"`
	Source string `yaml:"source"`
	Block  string `yaml:"block"`
	Line   int    `yaml:"-"`
}

// Position is an actor's stance on an issue, backed by claims.
type Position struct {
	Actor   string   `yaml:"actor"`
	Issue   string   `yaml:"issue"`
	Stance  string   `yaml:"stance"`
	Summary string   `yaml:"summary"`
	Claims  []string `yaml:"claims"`
	// Override is an editor's stance where the one derived from the claims misleads, with
	// the reason; it is shown as the editor's, beside the derived one.
	Override *Override `yaml:"override"`
	Line     int       `yaml:"-"`
}

// Override is an editor's stance on a position, with the stated reason.
type Override struct {
	Stance string `yaml:"stance"`
	Reason string `yaml:"reason"`
}

// AuthorSpeaker is the speaker id that means "the source's own author(s)".
const AuthorSpeaker = "author"
