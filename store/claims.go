// Claims: what a source says, with its speaker, its stances on issues and its citations;
// listing and reading them. claims_write.go saves and deletes them.

package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/sourcebook/sourcebook/store/vocab"
)

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
	// Evidence grades how directly the claim shows its holder's stance; ReportedBy is
	// whose account a reported stance is, when the source names them.
	Evidence   vocab.Evidence
	ReportedBy *ActorRef
	Said       string
	Source     SourceRef
	Authors    []string // the source's authors, who speak when Speaker is nil
	Stances    []Stance
	Citations  []Citation
	CreatedAt  string
	UpdatedAt  string
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

// ClaimFilter selects claims; zero fields select everything.
type ClaimFilter struct {
	Slug   string
	Source string // source slug
	Actor  string // claims the actor made or whose stance they report
	Issue  string
	Block  int64   // claims citing this block
	IDs    []int64 // when not nil, these claims only

	Unbacked bool // with Issue: only claims that back no position on the issue
	Limit    int  // at most this many, the latest first; 0 is no limit
	Offset   int  // with Limit: after skipping this many, for a page of the list
}

// claimsSQL selects claims with their speaker, holder and source in one pass; stances and
// citations follow in one query each for the whole list, never one query per claim.
const claimsSQL = `SELECT c.id, c.slug, c.statement, c.kind, c.evidence, c.said, c.created_at, c.updated_at,
	sp.slug, sp.name, sp.kind, ho.slug, ho.name, ho.kind, rb.slug, rb.name, rb.kind,
	s.slug, s.title, s.publisher, s.published,
	s.id` + claimsFrom

const claimsFrom = `
	FROM claims c
	JOIN sources s ON s.id = c.source_id AND s.status = 'published'
	LEFT JOIN actors sp ON sp.id = c.speaker_id
	LEFT JOIN actors ho ON ho.id = c.holder_id
	LEFT JOIN actors rb ON rb.id = c.reported_by
	WHERE 1 = 1`

// unbackedWindow bounds the claims read for ClaimFilter.Unbacked: all of them at the seed
// corpus's size, the most recently added beyond it.
const unbackedWindow = 1000

// Claims returns the claims f selects, with stances and citations, in source order.
func (s *Store) Claims(ctx context.Context, f ClaimFilter) ([]Claim, error) {
	if f.Unbacked {
		return s.unbackedClaims(ctx, f)
	}
	where, args := claimWhere(f)
	return s.queryClaims(ctx, claimsSQL+where, args...)
}

// ClaimPage returns the page of claims f selects (f.Offset, f.Limit) and how many it
// selects in all.
func (s *Store) ClaimPage(ctx context.Context, f ClaimFilter) ([]Claim, int, error) {
	where, args := claimConds(f)
	return paged(ctx, s, "claims", func() ([]Claim, error) { return s.Claims(ctx, f) },
		`SELECT count(*)`+claimsFrom+where, args...)
}

// unbackedClaims keeps which claims they are for the data version: finding them reads
// the issue's unbackedWindow most recent claims and every claim backing its positions,
// 80 ms at 1000× the seed corpus.
func (s *Store) unbackedClaims(ctx context.Context, f ClaimFilter) ([]Claim, error) {
	key := fmt.Sprintf("unbacked claims %+v", f)
	ids, err := memoized(ctx, s, key, func(ctx context.Context) ([]int64, error) {
		where, args := claimWhere(f)
		return s.readIDs(ctx, `SELECT c.id`+claimsFrom+where, args...)
	})
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	return s.Claims(ctx, ClaimFilter{IDs: ids})
}

// claimWhere writes the conditions, order and limit of a query over claimsFrom.
func claimWhere(f ClaimFilter) (string, []any) {
	q, args := claimConds(f)
	q += ` ORDER BY ` + claimOrder
	if f.Limit > 0 {
		q += ` LIMIT ? OFFSET ?`
		args = append(args, f.Limit, f.Offset)
	}
	return q, args
}

// claimOrder is the order of claims c from sources s: the newest sources first, and within
// a source in the order of the passages they cite.
const claimOrder = `s.published DESC, s.slug, (SELECT min(b.position) FROM citations ct JOIN blocks b ON b.id = ct.block_id WHERE ct.claim_id = c.id), c.id`

// claimConds writes the conditions of a query over claimsFrom.
func claimConds(f ClaimFilter) (string, []any) {
	q, args := "", []any{}
	if f.Slug != "" {
		q += ` AND c.slug = ?`
		args = append(args, f.Slug)
	}
	if f.Source != "" {
		q += ` AND s.slug = ?`
		args = append(args, f.Source)
	}
	if f.Actor != "" {
		// On the claims' own columns, so SQLite reads the two indexes, not every claim.
		q += ` AND (c.speaker_id IN (SELECT id FROM actors WHERE slug = ?) OR c.holder_id IN (SELECT id FROM actors WHERE slug = ?))`
		args = append(args, f.Actor, f.Actor)
	}
	switch {
	case f.Issue != "" && f.Unbacked:
		// Among the unbackedWindow most recently added, so that the latest few of tens of
		// thousands are found without sorting them all.
		q += ` AND c.id IN (SELECT ci.claim_id FROM claim_issues ci
			WHERE ci.issue_id = (SELECT id FROM issues WHERE slug = ?)
			AND ci.claim_id NOT IN (SELECT claim_id FROM stances WHERE issue_id = (SELECT id FROM issues WHERE slug = ?))
			ORDER BY ci.claim_id DESC LIMIT ?)`
		args = append(args, f.Issue, f.Issue, unbackedWindow)
	case f.Issue != "":
		q += ` AND c.id IN (SELECT ci.claim_id FROM claim_issues ci JOIN issues i ON i.id = ci.issue_id WHERE i.slug = ?)`
		args = append(args, f.Issue)
	}
	if f.IDs != nil {
		q += ` AND c.id IN (SELECT value FROM json_each(?))`
		args = append(args, idList(f.IDs, func(id int64) int64 { return id }))
	}
	if f.Block != 0 {
		q += ` AND c.id IN (SELECT claim_id FROM citations WHERE block_id = ?)`
		args = append(args, f.Block)
	}
	return q, args
}

// Claim returns one claim by slug.
func (s *Store) Claim(ctx context.Context, slug string) (Claim, error) {
	list, err := s.Claims(ctx, ClaimFilter{Slug: slug})
	if err != nil {
		return Claim{}, err
	}
	if len(list) == 0 {
		return Claim{}, ErrNotFound
	}
	return list[0], nil
}

func (s *Store) queryClaims(ctx context.Context, q string, args ...any) ([]Claim, error) {
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("claims: %w", err)
	}
	defer rows.Close()
	var list []Claim
	byID := map[int64]int{}
	bySource := map[int64][]int{} // source id → indexes into list
	for rows.Next() {
		var c Claim
		var sp, ho, rb [3]sql.NullString
		var sourceID int64
		if err := rows.Scan(&c.ID, &c.Slug, &c.Statement, &c.Kind, &c.Evidence, &c.Said, &c.CreatedAt, &c.UpdatedAt,
			&sp[0], &sp[1], &sp[2], &ho[0], &ho[1], &ho[2], &rb[0], &rb[1], &rb[2],
			&c.Source.Slug, &c.Source.Title, &c.Source.Publisher, &c.Source.Published, &sourceID); err != nil {
			return nil, fmt.Errorf("claims: %w", err)
		}
		c.Speaker, c.Holder, c.ReportedBy = actorRef(sp), actorRef(ho), actorRef(rb)
		bySource[sourceID] = append(bySource[sourceID], len(list))
		byID[c.ID] = len(list)
		list = append(list, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("claims: %w", err)
	}
	if len(list) == 0 {
		return nil, nil
	}
	if err := s.claimAuthors(ctx, list, bySource); err != nil {
		return nil, err
	}
	ids := idList(list, func(c Claim) int64 { return c.ID })
	if err := s.claimStances(ctx, ids, list, byID); err != nil {
		return nil, err
	}
	if err := s.claimCitations(ctx, ids, list, byID); err != nil {
		return nil, err
	}
	return list, nil
}

// claimAuthors fills in the authors of the claims' sources, read once per source: a list of
// claims usually comes from one or a few.
func (s *Store) claimAuthors(ctx context.Context, list []Claim, bySource map[int64][]int) error {
	sources := make([]int64, 0, len(bySource))
	for id := range bySource {
		sources = append(sources, id)
	}
	rows, err := s.query(ctx, `SELECT source_id, name FROM source_authors
		WHERE source_id IN (SELECT value FROM json_each(?)) ORDER BY source_id, position`,
		idList(sources, func(id int64) int64 { return id }))
	if err != nil {
		return fmt.Errorf("claim authors: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return fmt.Errorf("claim authors: %w", err)
		}
		for _, i := range bySource[id] {
			list[i].Authors = append(list[i].Authors, name)
		}
	}
	return rows.Err()
}

func (s *Store) claimStances(ctx context.Context, ids string, list []Claim, byID map[int64]int) error {
	rows, err := s.query(ctx, `SELECT ci.claim_id, i.slug, i.name, i.proposition, ci.stance
		FROM claim_issues ci JOIN issues i ON i.id = ci.issue_id
		WHERE ci.claim_id IN (SELECT value FROM json_each(?)) ORDER BY i.position`, ids)
	if err != nil {
		return fmt.Errorf("claim stances: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var st Stance
		if err := rows.Scan(&id, &st.Issue.Slug, &st.Issue.Name, &st.Issue.Proposition, &st.Stance); err != nil {
			return fmt.Errorf("claim stances: %w", err)
		}
		c := &list[byID[id]]
		c.Stances = append(c.Stances, st)
	}
	return rows.Err()
}

// ClaimsOfSourceOrDraft returns the claims of a source, published or draft, for its admin page.
func (s *Store) ClaimsOfSourceOrDraft(ctx context.Context, sourceSlug string) ([]Claim, error) {
	q := strings.Replace(claimsSQL, "AND s.status = 'published'", "", 1) + ` AND s.slug = ? ORDER BY c.id`
	return s.queryClaims(ctx, q, sourceSlug)
}

// ClaimOrDraft returns a claim whatever its source's status: published or draft.
func (s *Store) ClaimOrDraft(ctx context.Context, slug string) (Claim, error) {
	q := strings.Replace(claimsSQL, "AND s.status = 'published'", "", 1) + ` AND c.slug = ?`
	list, err := s.queryClaims(ctx, q, slug)
	if err != nil {
		return Claim{}, err
	}
	if len(list) == 0 {
		return Claim{}, ErrNotFound
	}
	return list[0], nil
}
