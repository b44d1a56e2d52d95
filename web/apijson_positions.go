package web

import (
	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/web/link"
)

// The JSON of positions: each derived from its claims, with the grade, counts and override
// that say how strong and how settled it is, and for one position its history.

type apiClaimRef struct {
	Slug      string `json:"slug"`
	URL       string `json:"url"`
	Statement string `json:"statement"`
}

// apiPosition is a position derived from its claims. stance is the derived one unless an
// editor overrode it (override then says with what and why); grade is the strongest
// evidence behind the derived stance; contested is true when evidence of that grade or a
// stronger one points the other way; evidence counts the claims by grade, then stance.
type apiPosition struct {
	URL         string                    `json:"url"`
	Actor       apiActorRef               `json:"actor"`
	Issue       apiIssueRef               `json:"issue"`
	Proposition string                    `json:"proposition"` // what the stance is for or against
	Stance      string                    `json:"stance"`
	Derived     string                    `json:"derived_stance"`
	Grade       string                    `json:"grade"` // own-words | reported | inferred
	Contested   bool                      `json:"contested"`
	Evidence    map[string]map[string]int `json:"evidence"`
	Override    *apiOverride              `json:"override"`
	Summary     nullable                  `json:"summary"` // the editors'
	Claims      []apiClaimRef             `json:"claims"`  // the claims it rests on
	History     []apiMoment               `json:"history,omitempty"`
	Moves       []apiMove                 `json:"moves,omitempty"`
}

type apiOverride struct {
	Stance string `json:"stance"`
	Reason string `json:"reason"`
}

// apiMoment is one dated claim on a position's time strip; source_date is true when the
// date is the source's, the statement itself being undated.
type apiMoment struct {
	Date       string      `json:"date"`
	SourceDate bool        `json:"source_date"`
	Stance     string      `json:"stance"`
	Grade      string      `json:"grade"`
	Claim      apiClaimRef `json:"claim"`
}

// apiMove is a change of stance: from_grade and grade are those of the claims on either
// side, and source_date is true when the date is the source's, the statement being undated.
type apiMove struct {
	From       string      `json:"from"`
	FromGrade  string      `json:"from_grade"`
	To         string      `json:"to"`
	Grade      string      `json:"grade"`
	Date       string      `json:"date"`
	SourceDate bool        `json:"source_date"`
	Claim      apiClaimRef `json:"claim"`
}

func claimRef(slug, statement string) apiClaimRef {
	return apiClaimRef{Slug: slug, URL: link.Claim(slug), Statement: statement}
}

func positionJSON(p store.Position) apiPosition {
	out := apiPosition{URL: link.Position(p.Actor.Slug, p.Issue.Slug), Actor: *actorRef(&p.Actor),
		Issue: issueRef(p.Issue), Proposition: p.Issue.Proposition, Stance: string(p.Stance), Derived: string(p.Derived),
		Grade: string(p.Grade), Contested: p.Contested, Evidence: map[string]map[string]int{},
		Summary: nullable(p.Summary), Claims: make([]apiClaimRef, len(p.Claims))}
	for _, t := range p.Evidence {
		if out.Evidence[string(t.Grade)] == nil {
			out.Evidence[string(t.Grade)] = map[string]int{}
		}
		out.Evidence[string(t.Grade)][string(t.Stance)] = t.Claims
	}
	if p.Override != nil {
		out.Override = &apiOverride{Stance: string(p.Override.Stance), Reason: p.Override.Reason}
	}
	for j, c := range p.Claims {
		out.Claims[j] = claimRef(c.Slug, c.Statement)
	}
	return out
}

func positionsJSON(positions []store.Position) []apiPosition { return each(positionJSON)(positions) }

// positionWithHistory is a position with its time strip, for the one-position endpoint.
func positionWithHistory(p store.Position) apiPosition {
	out := positionJSON(p)
	out.History, out.Moves = []apiMoment{}, []apiMove{}
	for _, m := range p.History {
		out.History = append(out.History, apiMoment{Date: m.Date, SourceDate: m.SourceDate, Stance: string(m.Stance),
			Grade: string(m.Grade), Claim: claimRef(m.Claim.Slug, m.Claim.Statement)})
	}
	for _, m := range p.Moves {
		out.Moves = append(out.Moves, apiMove{From: string(m.From), FromGrade: string(m.FromGrade), To: string(m.To),
			Grade: string(m.Grade), Date: m.Date, SourceDate: m.SourceDate, Claim: claimRef(m.Claim.Slug, m.Claim.Statement)})
	}
	return out
}
