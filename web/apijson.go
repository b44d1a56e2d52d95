package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/web/link"
)

// The JSON API's types and how the store's records become them. The API mirrors the pages.
// Field names are snake_case and stable; every object carries "url", the path of its public
// page, and every block and citation the path of its passage permalink. What the sources do
// not state is null (or an empty list), never filled in.

// nullable is a string that is JSON null when empty: the value is unknown, not blank.
type nullable string

func (n nullable) MarshalJSON() ([]byte, error) {
	if n == "" {
		return []byte("null"), nil
	}
	return json.Marshal(string(n))
}

// each turns a list of store records into their JSON, one by one with f.
func each[S, T any](f func(S) T) func([]S) []T {
	return func(records []S) []T {
		out := make([]T, len(records))
		for i, r := range records {
			out[i] = f(r)
		}
		return out
	}
}

// list returns l, or an empty list for nil, so JSON has [] rather than null.
func list[T any](l []T) []T {
	if l == nil {
		return []T{}
	}
	return l
}

// Sources.

type apiSourceRef struct {
	Slug      string   `json:"slug"`
	URL       string   `json:"url"`
	Title     string   `json:"title"`
	Publisher nullable `json:"publisher"`
	Published nullable `json:"published"`
}

func sourceRef(s store.SourceRef) apiSourceRef {
	return apiSourceRef{Slug: s.Slug, URL: link.Source(s.Slug), Title: s.Title,
		Publisher: nullable(s.Publisher), Published: nullable(s.Published)}
}

type apiSource struct {
	Slug               string     `json:"slug"`
	URL                string     `json:"url"`
	Title              string     `json:"title"`
	Subtitle           nullable   `json:"subtitle"`
	Authors            []string   `json:"authors"`   // empty: the source names none
	Publisher          nullable   `json:"publisher"` // the original publisher
	CapturedFrom       nullable   `json:"captured_from"`
	Published          nullable   `json:"published"` // ISO 8601 cut to its precision
	PublishedPrecision string     `json:"published_precision"`
	OriginalURL        nullable   `json:"original_url"`
	Retrieved          nullable   `json:"retrieved"`
	Kind               string     `json:"kind"`
	Language           string     `json:"language"`
	Notes              nullable   `json:"notes"`
	BlockCount         int        `json:"block_count"`
	ClaimCount         int        `json:"claim_count"`
	CreatedAt          string     `json:"created_at"`
	UpdatedAt          string     `json:"updated_at"`
	Cite               apiCite    `json:"cite"`
	Blocks             []apiBlock `json:"blocks,omitempty"`
}

// apiCite links an object's citation formats.
type apiCite struct {
	BibTeX string `json:"bibtex"`
	RIS    string `json:"ris"`
	CSL    string `json:"csl_json"`
}

func citeLinks(base string) apiCite {
	return apiCite{BibTeX: base + "/cite.bib", RIS: base + "/cite.ris", CSL: base + "/cite.json"}
}

func sourceJSON(s store.Source, blocks []store.Block) apiSource {
	out := apiSource{Slug: s.Slug, URL: link.Source(s.Slug), Title: s.Title, Subtitle: nullable(s.Subtitle),
		Authors: list(s.Authors), Publisher: nullable(s.Publisher), CapturedFrom: nullable(s.CapturedFrom),
		Published: nullable(s.Published), PublishedPrecision: s.PublishedPrecision(), OriginalURL: nullable(s.URL),
		Retrieved: nullable(s.Retrieved), Kind: s.Kind, Language: s.Language, Notes: nullable(s.Notes),
		BlockCount: s.Blocks, ClaimCount: s.Claims, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt,
		Cite: citeLinks(link.Source(s.Slug))}
	if blocks != nil {
		out.Blocks = make([]apiBlock, len(blocks))
		for i, b := range blocks {
			out.Blocks[i] = blockJSON(s.Slug, b)
		}
	}
	return out
}

type apiBlock struct {
	Key       string   `json:"key"`
	Position  int      `json:"position"`  // its place among all the blocks
	Paragraph *int     `json:"paragraph"` // its paragraph number, the citation locator; null for a heading, caption or footnote
	Kind      string   `json:"kind"`
	Label     nullable `json:"label"` // a footnote's number
	Text      string   `json:"text"`
	Rev       int      `json:"rev"`
	URL       string   `json:"url"`
}

func blockJSON(source string, b store.Block) apiBlock {
	return apiBlock{Key: b.Key, Position: b.Position, Paragraph: paragraphJSON(b.Paragraph), Kind: b.Kind, Label: nullable(b.Label), Text: b.Text,
		Rev: b.Rev, URL: link.Passage(source, b.Key, 0)}
}

// paragraphJSON is a paragraph number, or null for a block that has none.
func paragraphJSON(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

// apiPassage is a block as something refers to it: a role, a fact, a mention, an event.
type apiPassage struct {
	URL       string       `json:"url"`
	Source    apiSourceRef `json:"source"`
	Key       string       `json:"key"`
	Position  int          `json:"position"` // 0: the block has since been removed from the text
	Paragraph *int         `json:"paragraph"`
	Text      string       `json:"text"`
}

func passageJSON(b store.BlockRef) apiPassage {
	return apiPassage{URL: link.Passage(b.Source.Slug, b.Key, 0), Source: sourceRef(b.Source), Key: b.Key,
		Position: b.Position, Paragraph: paragraphJSON(b.Paragraph), Text: b.Text}
}

// Actors and issues.

type apiActorRef struct {
	Slug string `json:"slug"`
	URL  string `json:"url"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

func actorRef(a *store.ActorRef) *apiActorRef {
	if a == nil {
		return nil
	}
	return &apiActorRef{Slug: a.Slug, URL: link.Actor(a.Slug), Name: a.Name, Kind: a.Kind}
}

type apiActor struct {
	Slug          string        `json:"slug"`
	URL           string        `json:"url"`
	Name          string        `json:"name"`
	Kind          string        `json:"kind"`
	Description   nullable      `json:"description"`
	Aliases       []string      `json:"aliases"`
	ClaimCount    int           `json:"claim_count"`
	PositionCount int           `json:"position_count"`
	Roles         []apiRole     `json:"roles,omitempty"`
	Members       []apiRole     `json:"members,omitempty"` // roles held within this state or organisation
	Positions     []apiPosition `json:"positions,omitempty"`
}

func actorJSON(a store.Actor) apiActor {
	return apiActor{Slug: a.Slug, URL: link.Actor(a.Slug), Name: a.Name, Kind: a.Kind,
		Description: nullable(a.Description), Aliases: list(a.Aliases), ClaimCount: a.Claims, PositionCount: a.Positions}
}

type apiRole struct {
	Actor    apiActorRef  `json:"actor"`
	Title    string       `json:"title"`
	Org      *apiActorRef `json:"org"`
	AsStated string       `json:"as_stated"`
	Former   bool         `json:"former"`
	Passage  apiPassage   `json:"passage"`
}

func roleJSON(r store.Role) apiRole {
	return apiRole{Actor: *actorRef(&r.Actor), Title: r.Title, Org: actorRef(r.Org), AsStated: r.AsStated,
		Former: r.Former, Passage: passageJSON(r.Block)}
}

func rolesJSON(roles []store.Role) []apiRole {
	out := make([]apiRole, len(roles))
	for i, r := range roles {
		out[i] = roleJSON(r)
	}
	return out
}

type apiIssueRef struct {
	Slug string `json:"slug"`
	URL  string `json:"url"`
	Name string `json:"name"`
}

func issueRef(i store.IssueRef) apiIssueRef {
	return apiIssueRef{Slug: i.Slug, URL: link.Issue(i.Slug), Name: i.Name}
}

type apiIssue struct {
	Slug          string        `json:"slug"`
	URL           string        `json:"url"`
	Name          string        `json:"name"`
	Question      string        `json:"question"`
	Proposition   string        `json:"proposition"`
	ClaimCount    int           `json:"claim_count"`
	PositionCount int           `json:"position_count"`
	Positions     []apiPosition `json:"positions,omitempty"`
	Claims        []apiClaim    `json:"claims,omitempty"`
}

func issueJSON(i store.Issue) apiIssue {
	return apiIssue{Slug: i.Slug, URL: link.Issue(i.Slug), Name: i.Name, Question: i.Question,
		Proposition: i.Proposition, ClaimCount: i.Claims, PositionCount: i.Positions}
}

// Claims and citations.

type apiClaim struct {
	Slug      string `json:"slug"`
	URL       string `json:"url"`
	Statement string `json:"statement"`
	Kind      string `json:"kind"` // quote | paraphrase | analysis
	// Evidence is how directly the claim shows the holder's stance: own-words, reported
	// (reported_by names whose account, or is null when the source does not), inferred.
	Evidence   string        `json:"evidence"`
	ReportedBy *apiActorRef  `json:"reported_by"`
	Said       nullable      `json:"said"` // when it was said, if the source says
	Speaker    *apiActorRef  `json:"speaker"`
	Authors    []string      `json:"source_authors"` // who speaks when speaker is null; empty when the source names none
	Holder     *apiActorRef  `json:"holder"`         // whose stance it reports, when not the speaker's
	Source     apiSourceRef  `json:"source"`
	Stances    []apiStance   `json:"stances"`
	Citations  []apiCitation `json:"citations"`
	CreatedAt  string        `json:"created_at"`
	UpdatedAt  string        `json:"updated_at"`
}

type apiStance struct {
	Issue  apiIssueRef `json:"issue"`
	Stance string      `json:"stance"`
}

// apiCitation anchors a claim in a block the W3C way: start and end count Unicode code points
// into block.text, the text of the revision cited (rev), and text[start:end] is the quote.
type apiCitation struct {
	URL    string        `json:"url"` // the passage at the cited revision
	Source apiSourceRef  `json:"source"`
	Block  apiCitedBlock `json:"block"`
	Rev    int           `json:"rev"`
	Quote  string        `json:"quote"`
	Prefix string        `json:"prefix"`
	Suffix string        `json:"suffix"`
	Start  int           `json:"start"`
	End    int           `json:"end"`
	Status string        `json:"status"` // anchored | orphaned (its words are gone from the current text)
	// ChangedSinceCited is true when the passage's words are no longer those of the revision
	// cited; DiffURL is then the page showing what changed, word by word.
	ChangedSinceCited bool   `json:"changed_since_cited"`
	DiffURL           string `json:"diff_url,omitempty"`
}

type apiCitedBlock struct {
	Key        string `json:"key"`
	Position   int    `json:"position"`
	Kind       string `json:"kind"`
	Rev        int    `json:"rev"`         // the revision text is from
	CurrentRev int    `json:"current_rev"` // greater than rev when the block was revised since
	Text       string `json:"text"`
	URL        string `json:"url"` // the current passage
}

// citedURL is the permalink of the words a citation quotes: the passage at the cited revision.
func citedURL(c store.Citation) string {
	return link.Passage(c.Block.Source.Slug, c.Block.Key, c.Block.Rev)
}

func citationJSON(c store.Citation) apiCitation {
	return apiCitation{URL: citedURL(c), Source: sourceRef(c.Block.Source),
		Block: apiCitedBlock{Key: c.Block.Key, Position: c.Block.Position, Kind: c.Block.Kind, Rev: c.Block.Rev,
			CurrentRev: c.Current, Text: c.Block.Text, URL: link.Passage(c.Block.Source.Slug, c.Block.Key, 0)},
		Rev: c.Block.Rev, Quote: c.Exact, Prefix: c.Prefix, Suffix: c.Suffix, Start: c.Start, End: c.End, Status: c.Status,
		ChangedSinceCited: c.Changed, DiffURL: citationDiffURL(c)}
}

// citationDiffURL is the word diff between the revision a citation quotes and the current
// text, or "" when the words have not changed.
func citationDiffURL(c store.Citation) string {
	if !c.Changed {
		return ""
	}
	return link.PassageDiff(c.Block.Source.Slug, c.Block.Key, c.Block.Rev, c.Current)
}

func claimJSON(c store.Claim) apiClaim {
	out := apiClaim{Slug: c.Slug, URL: link.Claim(c.Slug), Statement: c.Statement, Kind: c.Kind,
		Evidence: string(c.Evidence), ReportedBy: actorRef(c.ReportedBy), Said: nullable(c.Said),
		Speaker: actorRef(c.Speaker), Authors: list(c.Authors), Holder: actorRef(c.Holder), Source: sourceRef(c.Source),
		Stances: make([]apiStance, len(c.Stances)), Citations: make([]apiCitation, len(c.Citations)),
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
	for i, st := range c.Stances {
		out.Stances[i] = apiStance{Issue: issueRef(st.Issue), Stance: st.Stance}
	}
	for i, ct := range c.Citations {
		out.Citations[i] = citationJSON(ct)
	}
	return out
}

func claimsJSON(claims []store.Claim) []apiClaim {
	out := make([]apiClaim, len(claims))
	for i, c := range claims {
		out[i] = claimJSON(c)
	}
	return out
}

// Precedents and the timeline.

type apiPrecedentRef struct {
	Slug string `json:"slug"`
	URL  string `json:"url"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

type apiPrecedent struct {
	Slug      string       `json:"slug"`
	URL       string       `json:"url"`
	Name      string       `json:"name"`
	Kind      string       `json:"kind"`       // precedent | proposal
	DateStart nullable     `json:"date_start"` // as the sources state it
	DateEnd   nullable     `json:"date_end"`
	Summary   nullable     `json:"summary"`
	Facts     []apiFact    `json:"facts,omitempty"`
	Mentions  []apiPassage `json:"mentions,omitempty"`
}

type apiFact struct {
	Aspect  string     `json:"aspect"`
	Code    nullable   `json:"code"` // the codebook value it supports on its aspect; null if uncoded
	Text    string     `json:"text"`
	Passage apiPassage `json:"passage"` // the block that states it
}

func precedentJSON(p store.Precedent) apiPrecedent {
	out := apiPrecedent{Slug: p.Slug, URL: link.Precedent(p.Slug), Name: p.Name, Kind: p.Kind,
		DateStart: nullable(p.DateStart), DateEnd: nullable(p.DateEnd), Summary: nullable(p.Summary)}
	for _, f := range p.Facts {
		out.Facts = append(out.Facts, apiFact{Aspect: f.Aspect, Code: nullable(f.Code), Text: f.Text, Passage: passageJSON(f.Block)})
	}
	for _, m := range p.Mentions {
		out.Mentions = append(out.Mentions, passageJSON(m))
	}
	return out
}

type apiEvent struct {
	Date          string           `json:"date"` // ISO 8601 cut to its precision
	DatePrecision string           `json:"date_precision"`
	Title         string           `json:"title"`
	Precedent     *apiPrecedentRef `json:"precedent"`
	Passage       apiPassage       `json:"passage"`
}

func eventsJSON(events []store.Event) []apiEvent {
	out := make([]apiEvent, len(events))
	for i, e := range events {
		out[i] = apiEvent{Date: e.Date, DatePrecision: store.Precision(e.Date), Title: e.Title, Passage: passageJSON(e.Block)}
		if p := e.Precedent; p != nil {
			out[i].Precedent = &apiPrecedentRef{Slug: p.Slug, URL: link.Precedent(p.Slug), Name: p.Name, Kind: p.Kind}
		}
	}
	return out
}

// apiTimelineEntry is one event, as the timeline lists it: each date its passages give it.
type apiTimelineEntry struct {
	Title         string           `json:"title"`
	Date          string           `json:"date"` // the earliest its passages give
	DatePrecision string           `json:"date_precision"`
	DatesDisagree bool             `json:"dates_disagree"` // two dates neither of which contains the other
	Precedent     *apiPrecedentRef `json:"precedent"`
	Dates         []apiEventDate   `json:"dates"`
	PassageCount  int              `json:"passage_count"`
}

type apiEventDate struct {
	Date          string       `json:"date"`
	DatePrecision string       `json:"date_precision"`
	Passages      []apiPassage `json:"passages"`      // the first five
	PassageCount  int          `json:"passage_count"` // all that give this date
}

func timelineJSON(entries []store.TimelineEntry) []apiTimelineEntry {
	out := make([]apiTimelineEntry, len(entries))
	for i, e := range entries {
		out[i] = apiTimelineEntry{Title: e.Title, Date: e.Date, DatePrecision: store.Precision(e.Date),
			DatesDisagree: e.Disputed(), PassageCount: e.Total}
		if p := e.Precedent; p != nil {
			out[i].Precedent = &apiPrecedentRef{Slug: p.Slug, URL: link.Precedent(p.Slug), Name: p.Name, Kind: p.Kind}
		}
		for _, d := range e.Dates {
			ad := apiEventDate{Date: d.Date, DatePrecision: store.Precision(d.Date), PassageCount: d.Total}
			for _, b := range d.Passages {
				ad.Passages = append(ad.Passages, passageJSON(b))
			}
			out[i].Dates = append(out[i].Dates, ad)
		}
	}
	return out
}

// writeJSON answers with v, encoded in full before anything is sent.
func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	return s.writeJSONAs(w, r, "application/json; charset=utf-8", v)
}

func (s *Server) writeJSONAs(w http.ResponseWriter, r *http.Request, contentType string, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode %s: %w", r.URL.Path, err)
	}
	w.Header().Set("Content-Type", contentType)
	w.Write(buf.Bytes())
	return nil
}
