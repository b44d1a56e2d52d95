// Package vocab holds the knowledge base's words: the kinds of source, block, actor, claim and
// precedent, the stances an actor takes, the aspects precedents are compared on, and how
// precise a date is, each a named string type with the words a reader sees for it.
//
// It imports nothing, so the store, the seed reader (store/corpus) and the templates
// (web/ui) all speak it, and a stance is spelt, labelled and drawn in one place. It sits under
// store rather than in the module's root package, as wtf keeps its domain: this project's
// top level holds its five parts (cmd, web, store, migrations, static) and nothing else, and
// these words are what the store holds.
package vocab

import "strings"

// Names lists the words of a vocabulary as plain strings, for messages and checks.
func Names[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, w := range list {
		out[i] = string(w)
	}
	return out
}

// Has reports whether word is one of a vocabulary's words, as an editor's form or a corpus
// file spells it.
func Has[T ~string](list []T, word string) bool {
	for _, w := range list {
		if string(w) == word {
			return true
		}
	}
	return false
}

// SourceKind is what sort of text a source is.
type SourceKind string

const (
	NewsReport        SourceKind = "news-report"
	Analysis          SourceKind = "analysis"
	PrimaryDocument   SourceKind = "primary-document"
	OfficialStatement SourceKind = "official-statement"
)

// SourceKinds are the kinds of source, in the order a form offers them.
var SourceKinds = []SourceKind{NewsReport, Analysis, PrimaryDocument, OfficialStatement}

// Label is the kind as a heading or a form shows it: "News report".
func (k SourceKind) Label() string {
	switch k {
	case NewsReport:
		return "News report"
	case Analysis:
		return "Analysis"
	case PrimaryDocument:
		return "Primary document"
	case OfficialStatement:
		return "Official statement"
	}
	return string(k)
}

// BlockKind is what a block of a source's text is.
type BlockKind string

const (
	Paragraph  BlockKind = "paragraph"
	Heading    BlockKind = "heading"
	Blockquote BlockKind = "blockquote"
	Caption    BlockKind = "caption"
	Footnote   BlockKind = "footnote"
)

// BlockKinds are the kinds of block, in the order a form offers them.
var BlockKinds = []BlockKind{Paragraph, Heading, Blockquote, Caption, Footnote}

// ActorKind is what an actor is.
type ActorKind string

const (
	Person       ActorKind = "person"
	State        ActorKind = "state"
	Organisation ActorKind = "organisation"
	Coalition    ActorKind = "coalition"
)

// ActorKinds are the kinds of actor, in the order a form offers them.
var ActorKinds = []ActorKind{Person, State, Organisation, Coalition}

// ActorGroups are the kinds of actor in the order the actors page groups them: the parties
// to a settlement first, the people who speak for them last.
var ActorGroups = []ActorKind{State, Coalition, Organisation, Person}

// Label is one actor's kind: "Coalition or group".
func (k ActorKind) Label() string {
	switch k {
	case State:
		return "State"
	case Coalition:
		return "Coalition or group"
	case Organisation:
		return "Organisation"
	case Person:
		return "Person"
	}
	return string(k)
}

// Plural heads a group of actors of the kind: "Coalitions and groups".
func (k ActorKind) Plural() string {
	switch k {
	case State:
		return "States"
	case Coalition:
		return "Coalitions and groups"
	case Organisation:
		return "Organisations"
	case Person:
		return "People"
	}
	return string(k)
}

// ClaimKind is how a claim stands to its cited words.
type ClaimKind string

const (
	Quote      ClaimKind = "quote"      // the speaker's own words
	Paraphrase ClaimKind = "paraphrase" // the speaker's view in the source's words
	Reading    ClaimKind = "analysis"   // the author's reading
)

// ClaimKinds are the kinds of claim, in the order a form offers them.
var ClaimKinds = []ClaimKind{Quote, Paraphrase, Reading}

// Label is the kind as a claim's line shows it: "direct quote".
func (k ClaimKind) Label() string {
	switch k {
	case Quote:
		return "direct quote"
	case Paraphrase:
		return "paraphrase"
	case Reading:
		return "author's analysis"
	}
	return string(k)
}

// Stance is where an actor stands on an issue's proposition.
type Stance string

const (
	For         Stance = "for"
	Against     Stance = "against"
	Conditional Stance = "conditional"
	Mixed       Stance = "mixed"
	Neutral     Stance = "neutral"
)

// Stances are the stances, in the order a form and a key list them.
var Stances = []Stance{For, Against, Conditional, Mixed, Neutral}

// Word is the stance as a reader reads it beside its symbol. A neutral claim describes the
// proposition without taking a side, and says so.
func (s Stance) Word() string {
	if s == Neutral {
		return "describes"
	}
	return string(s)
}

// Symbol is the stance's sign, shown with its word and colour so that none of the three is
// needed alone: ✓ for, ✗ against, ◐ conditional, ± mixed, ○ describes.
func (s Stance) Symbol() string {
	switch s {
	case For:
		return "✓"
	case Against:
		return "✗"
	case Conditional:
		return "◐"
	case Mixed:
		return "±"
	}
	return "○"
}

// PrecedentKind says whether an arrangement has happened or is proposed.
type PrecedentKind string

const (
	Precedent PrecedentKind = "precedent"
	Proposal  PrecedentKind = "proposal"
)

// PrecedentKinds are the kinds of precedent.
var PrecedentKinds = []PrecedentKind{Precedent, Proposal}

// Label is the kind as a precedent's page shows it.
func (k PrecedentKind) Label() string {
	if k == Proposal {
		return "Today's proposal"
	}
	return "Precedent"
}

// Aspect is one dimension precedents are compared on (after the ATOP and PA-X codebooks).
type Aspect string

// Aspects are the dimensions, in the order the comparison shows them.
var Aspects = []Aspect{"date", "parties", "guarantors", "obligation", "trigger", "response", "legal-form",
	"enforcement", "scope", "promised", "happened"}

// Precision is how much of a date a source states.
type Precision string

const (
	Day     Precision = "day"
	Month   Precision = "month"
	Year    Precision = "year"
	Unknown Precision = "unknown"
)

// PrecisionOf reads an ISO date cut to its precision: "2025-08-18" is a day, "2025-08" a
// month, "2025" a year, "" unknown.
func PrecisionOf(date string) Precision {
	switch strings.Count(date, "-") {
	case 2:
		return Day
	case 1:
		return Month
	}
	if date == "" {
		return Unknown
	}
	return Year
}

// Evidence is how directly a claim shows its holder's stance. A stance is only as strong as
// the evidence behind it, and the three grades are kept apart wherever a stance is shown.
type Evidence string

const (
	// OwnWords is the holder's own statement, quoted or paraphrased (a minister or ministry
	// speaking for its state counts as the state's own words).
	OwnWords Evidence = "own-words"
	// Reported is a third party's account of the holder's stance: "Witkoff said Putin agreed".
	Reported Evidence = "reported"
	// Inferred is an author's or analyst's reading of the holder's view.
	Inferred Evidence = "inferred"
)

// Grades are the evidence grades, strongest first.
var Grades = []Evidence{OwnWords, Reported, Inferred}

// Rank orders the grades: 3 for own words, 2 for a report, 1 for a reading, 0 for none.
func (e Evidence) Rank() int {
	switch e {
	case OwnWords:
		return 3
	case Reported:
		return 2
	case Inferred:
		return 1
	}
	return 0
}

// Label is the grade as a reader sees it: "Own words", "Reported", "Inferred".
func (e Evidence) Label() string {
	switch e {
	case OwnWords:
		return "Own words"
	case Reported:
		return "Reported"
	case Inferred:
		return "Inferred"
	}
	return string(e)
}
