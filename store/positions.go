// Positions: where an actor stands on an issue, the claims that show it, and the matrix of
// actors by issues.

package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/sourcebook/sourcebook/store/vocab"
)

// Position is an actor's stance on an issue: derived from the claims whose stance it is,
// with what an editor added kept apart (a summary, an override with its reason).
type Position struct {
	Actor ActorRef
	Issue IssueRef
	Standing
	Summary string  // the editor's; "" when none was written
	Claims  []Claim // with PositionFilter.WithClaims
	History []Moment
	Moves   []Move
}

// PositionFilter selects positions; zero fields select all.
type PositionFilter struct {
	Actor, Issue  string
	WithClaims    bool // load each position's claims, and its history
	Offset, Limit int  // a page of the list; Limit 0 is all of it
}

// positionsSQL selects positions with their actor, issue and the editor's notes.
const positionsSQL = `SELECT p.actor_id, p.issue_id, a.slug, a.name, a.kind, i.slug, i.name, i.proposition,
	coalesce(n.summary, ''), n.override_stance, coalesce(n.override_reason, '')
	FROM positions p JOIN actors a ON a.id = p.actor_id JOIN issues i ON i.id = p.issue_id
	LEFT JOIN position_notes n ON n.actor_id = p.actor_id AND n.issue_id = p.issue_id WHERE 1 = 1`

const positionOrder = ` ORDER BY i.position, CASE a.kind WHEN 'state' THEN 1 WHEN 'coalition' THEN 2 WHEN 'organisation' THEN 3 ELSE 4 END, a.name, a.id`

// Positions returns positions, with their claims and history when asked, ordered by issue
// and then by actor (states and coalitions before people).
func (s *Store) Positions(ctx context.Context, f PositionFilter) ([]Position, error) {
	q := positionsSQL
	where, args := positionWhere(f.Actor, f.Issue)
	switch {
	case f.Limit > 0 && f.Issue != "" && f.Actor == "":
		// A page of an issue's positions: their order, which sorts them all, is kept for
		// the data version.
		keys, err := memoized(ctx, s, "positions of "+f.Issue, func(ctx context.Context) ([]string, error) {
			rows, err := s.query(ctx, `SELECT p.actor_id || '/' || p.issue_id FROM positions p JOIN actors a ON a.id = p.actor_id
				JOIN issues i ON i.id = p.issue_id WHERE 1 = 1`+where+positionOrder, args...)
			if err != nil {
				return nil, err
			}
			defer rows.Close()
			var keys []string
			for rows.Next() {
				var k string
				if err := rows.Scan(&k); err != nil {
					return nil, err
				}
				keys = append(keys, k)
			}
			return keys, rows.Err()
		})
		if err != nil {
			return nil, fmt.Errorf("positions: %w", err)
		}
		page := keys[min(f.Offset, len(keys)):min(f.Offset+f.Limit, len(keys))]
		if len(page) == 0 {
			return nil, nil
		}
		b, _ := json.Marshal(page)
		q += ` AND p.actor_id || '/' || p.issue_id IN (SELECT value FROM json_each(?))` + positionOrder
		args = []any{string(b)}
	case f.Limit > 0:
		q += where + positionOrder + ` LIMIT ? OFFSET ?`
		args = append(args, f.Limit, f.Offset)
	default:
		q += where + positionOrder
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("positions: %w", err)
	}
	type key struct{ actor, issue int64 }
	var list []Position
	var keys []key
	overrides := map[int]*Override{}
	for rows.Next() {
		var p Position
		var k key
		var override sql.NullString
		var reason string
		if err := rows.Scan(&k.actor, &k.issue, &p.Actor.Slug, &p.Actor.Name, &p.Actor.Kind, &p.Issue.Slug, &p.Issue.Name,
			&p.Issue.Proposition, &p.Summary, &override, &reason); err != nil {
			rows.Close()
			return nil, fmt.Errorf("positions: %w", err)
		}
		if override.Valid {
			overrides[len(list)] = &Override{Stance: vocab.Stance(override.String), Reason: reason}
		}
		list = append(list, p)
		keys = append(keys, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("positions: %w", err)
	}
	if len(list) == 0 {
		return nil, nil
	}
	// The evidence behind the positions listed, and only those: one query for all of them.
	actors := idList(keys, func(k key) int64 { return k.actor })
	issues := idList(keys, func(k key) int64 { return k.issue })
	tallies, err := s.tallies(ctx, actors, issues)
	if err != nil {
		return nil, err
	}
	for i := range list {
		list[i].Standing = derive(tallies[keys[i].actor][keys[i].issue], overrides[i])
	}
	if !f.WithClaims {
		return list, nil
	}
	rows, err = s.query(ctx, `SELECT actor_id, issue_id, id FROM (`+stancesOf+`) ORDER BY id`, actors)
	if err != nil {
		return nil, fmt.Errorf("position claims: %w", err)
	}
	backing := map[key][]int64{}
	var claimIDs []int64
	for rows.Next() {
		var k key
		var id int64
		if err := rows.Scan(&k.actor, &k.issue, &id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("position claims: %w", err)
		}
		backing[k] = append(backing[k], id)
		claimIDs = append(claimIDs, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("position claims: %w", err)
	}
	if len(claimIDs) == 0 {
		return list, nil
	}
	claims, err := s.Claims(ctx, ClaimFilter{IDs: claimIDs})
	if err != nil {
		return nil, err
	}
	byID := map[int64]Claim{}
	for _, c := range claims {
		byID[c.ID] = c
	}
	for i := range list {
		p := &list[i]
		for _, id := range backing[keys[i]] {
			if c, ok := byID[id]; ok {
				p.Claims = append(p.Claims, c)
			}
		}
		p.History, p.Moves = history(p.Claims, p.Issue.Slug)
	}
	return list, nil
}

// stancesOf selects what the stances view does, for the actors in the JSON list ?1, by the
// claims' holder and speaker indexes: through the view, SQLite reads every claim on the
// issues asked for (14 ms for a matrix page at 30× the seed corpus, against 2 ms this way).
const stancesOf = `SELECT coalesce(c.holder_id, c.speaker_id) AS actor_id, ci.issue_id, c.id, c.evidence, ci.stance
	FROM claims c JOIN claim_issues ci ON ci.claim_id = c.id JOIN sources s ON s.id = c.source_id AND s.status = 'published'
	WHERE c.holder_id IN (SELECT value FROM json_each(?1))
		OR (c.holder_id IS NULL AND c.speaker_id IN (SELECT value FROM json_each(?1)))`

// tallies counts the published claims behind each actor's stance on each issue, by grade
// and stance, for the actors and issues given as JSON lists of ids.
func (s *Store) tallies(ctx context.Context, actors, issues string) (map[int64]map[int64][]Tally, error) {
	var wanted []int64
	if err := json.Unmarshal([]byte(issues), &wanted); err != nil {
		return nil, fmt.Errorf("position evidence: %w", err)
	}
	rows, err := s.query(ctx, `SELECT actor_id, issue_id, evidence, stance, count(*) FROM (`+stancesOf+`)
		GROUP BY actor_id, issue_id, evidence, stance`, actors)
	if err != nil {
		return nil, fmt.Errorf("position evidence: %w", err)
	}
	defer rows.Close()
	out := map[int64]map[int64][]Tally{}
	for rows.Next() {
		var actor, issue int64
		var t Tally
		if err := rows.Scan(&actor, &issue, &t.Grade, &t.Stance, &t.Claims); err != nil {
			return nil, fmt.Errorf("position evidence: %w", err)
		}
		if !slices.Contains(wanted, issue) {
			continue
		}
		if out[actor] == nil {
			out[actor] = map[int64][]Tally{}
		}
		out[actor][issue] = append(out[actor][issue], t)
	}
	return out, rows.Err()
}

// PositionPage returns the page of positions f selects (f.Offset, f.Limit) and how many it
// selects in all.
func (s *Store) PositionPage(ctx context.Context, f PositionFilter) ([]Position, int, error) {
	where, args := positionWhere(f.Actor, f.Issue)
	return paged(ctx, s, "positions", func() ([]Position, error) { return s.Positions(ctx, f) },
		`SELECT count(*) FROM positions p WHERE 1 = 1`+where, args...)
}

// positionWhere restricts a query over positions p to an actor's and an issue's, when
// given, by id.
func positionWhere(actor, issue string) (string, []any) {
	var where string
	var args []any
	if actor != "" {
		where += ` AND p.actor_id = (SELECT id FROM actors WHERE slug = ?)`
		args = append(args, actor)
	}
	if issue != "" {
		where += ` AND p.issue_id = (SELECT id FROM issues WHERE slug = ?)`
		args = append(args, issue)
	}
	return where, args
}

type matrixRow struct {
	id int64
	ActorRef
}

// matrixRows orders the actors that hold positions: states first, then coalitions,
// organisations and people, each by how many positions they hold, then by name.
// matrixOrder is the order of the matrix's rows, kept for the data version.
func (s *Store) matrixOrder(ctx context.Context) ([]matrixRow, error) {
	return memoized(ctx, s, "matrix rows", s.matrixRows)
}

func (s *Store) matrixRows(ctx context.Context) ([]matrixRow, error) {
	// The positions are counted once, grouped, not once per actor: the view reads every
	// claim each time it is asked.
	rows, err := s.query(ctx, `SELECT a.id, a.slug, a.name, a.kind FROM actors a
		JOIN (SELECT actor_id, count(*) AS n FROM positions GROUP BY actor_id) p ON p.actor_id = a.id
		ORDER BY CASE a.kind WHEN 'state' THEN 1 WHEN 'coalition' THEN 2 WHEN 'organisation' THEN 3 ELSE 4 END,
			p.n DESC, a.name`)
	if err != nil {
		return nil, fmt.Errorf("matrix rows: %w", err)
	}
	defer rows.Close()
	var list []matrixRow
	for rows.Next() {
		var a matrixRow
		if err := rows.Scan(&a.id, &a.Slug, &a.Name, &a.Kind); err != nil {
			return nil, fmt.Errorf("matrix rows: %w", err)
		}
		list = append(list, a)
	}
	return list, rows.Err()
}

// Position returns one actor's position on one issue, with its claims and history.
func (s *Store) Position(ctx context.Context, actor, issue string) (Position, error) {
	list, err := s.Positions(ctx, PositionFilter{Actor: actor, Issue: issue, WithClaims: true})
	if err != nil {
		return Position{}, err
	}
	if len(list) == 0 {
		return Position{}, ErrNotFound
	}
	return list[0], nil
}

// Matrix is the position matrix: the actors that hold positions, the issues, and a cell
// per actor and issue (absent where the sources give no position).
type Matrix struct {
	Actors []ActorRef // the rows shown
	Issues []Issue
	Cells  map[string]MatrixCell // "actor/issue"
	Total  int                   // actors with a position, shown or not
	Offset int                   // how many rows come before the first one shown
}

// MatrixCell is one actor's standing on one issue, with the editor's summary.
type MatrixCell struct {
	Standing
	Summary string
}

// Cell returns the cell for an actor and issue, and whether there is one.
func (m Matrix) Cell(actor, issue string) (MatrixCell, bool) {
	c, ok := m.Cells[actor+"/"+issue]
	return c, ok
}

// Matrix builds rows of the position matrix: from the offset-th actor, at most limit of
// them (every one if limit is 0). Its cost follows the rows shown, not the corpus: the
// order of the rows is computed once per data version, and a page's cells are two queries.
func (s *Store) Matrix(ctx context.Context, offset, limit int) (Matrix, error) {
	m := Matrix{Cells: map[string]MatrixCell{}, Offset: offset}
	var err error
	if m.Issues, err = s.Issues(ctx); err != nil {
		return Matrix{}, err
	}
	order, err := s.matrixOrder(ctx)
	if err != nil {
		return Matrix{}, err
	}
	m.Total = len(order)
	end := len(order)
	if limit > 0 {
		end = min(end, offset+limit)
	}
	var ids []int64
	slugs := map[int64]string{}
	for _, a := range order[min(offset, end):end] {
		ids = append(ids, a.id)
		slugs[a.id] = a.Slug
		m.Actors = append(m.Actors, a.ActorRef)
	}
	if len(ids) == 0 {
		return m, nil
	}
	actors := idList(ids, func(id int64) int64 { return id })
	issues := idList(m.Issues, func(i Issue) int64 { return i.ID })
	tallies, err := s.tallies(ctx, actors, issues)
	if err != nil {
		return Matrix{}, err
	}
	rows, err := s.query(ctx, `SELECT actor_id, issue_id, summary, override_stance, override_reason FROM position_notes
		WHERE actor_id IN (SELECT value FROM json_each(?))`, actors)
	if err != nil {
		return Matrix{}, fmt.Errorf("matrix: %w", err)
	}
	type note struct {
		summary  string
		override *Override
	}
	notes := map[[2]int64]note{}
	for rows.Next() {
		var k [2]int64
		var n note
		var stance sql.NullString
		var reason string
		if err := rows.Scan(&k[0], &k[1], &n.summary, &stance, &reason); err != nil {
			rows.Close()
			return Matrix{}, fmt.Errorf("matrix: %w", err)
		}
		if stance.Valid {
			n.override = &Override{Stance: vocab.Stance(stance.String), Reason: reason}
		}
		notes[k] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return Matrix{}, fmt.Errorf("matrix: %w", err)
	}
	for _, a := range ids {
		for _, i := range m.Issues {
			t, n := tallies[a][i.ID], notes[[2]int64{a, i.ID}]
			if len(t) == 0 && n.override == nil {
				continue
			}
			m.Cells[slugs[a]+"/"+i.Slug] = MatrixCell{Standing: derive(t, n.override), Summary: n.summary}
		}
	}
	return m, nil
}

// SavePosition records what an editor says of an actor's position on an issue: a summary,
// and optionally a stance that overrides the one derived from the claims, with the reason.
// The stance itself comes from the claims; an empty override lets it.
func (s *Store) SavePosition(ctx context.Context, by *User, actor, issue, summary, override, reason string) error {
	errs := FieldErrors{}
	summary, reason = strings.TrimSpace(summary), strings.TrimSpace(reason)
	if override != "" && !vocab.Has(vocab.Stances, override) {
		errs["override"] = "choose a stance, or none to keep the one the claims give"
	}
	if override != "" && reason == "" {
		errs["reason"] = "say why the claims' stance misleads: readers see the reason beside your stance"
	}
	if override == "" && reason != "" {
		errs["override"] = "a reason goes with an overriding stance: choose one, or clear the reason"
	}
	if summary == "" && override == "" {
		errs["summary"] = "summarise the position in a sentence, from its claims, or override its stance"
	}
	cleanText(errs, "summary", summary, true)
	cleanText(errs, "reason", reason, true)
	if err := errs.orNil(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var actorID, issueID int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM actors WHERE slug = ?`, actor).Scan(&actorID); err != nil {
			return FieldErrors{"actor": fmt.Sprintf("there is no actor %q", actor)}
		}
		if err := tx.QueryRowContext(ctx, `SELECT id FROM issues WHERE slug = ?`, issue).Scan(&issueID); err != nil {
			return FieldErrors{"issue": fmt.Sprintf("there is no issue %q", issue)}
		}
		var stance any
		if override != "" {
			stance = override
		} else {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM stances WHERE actor_id = ? AND issue_id = ?`, actorID, issueID).Scan(&n); err != nil {
				return fmt.Errorf("save position: %w", err)
			}
			if n == 0 {
				return FieldErrors{"summary": "no published claim gives this actor a stance on the issue: add the claim first, or override the stance with a reason"}
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO position_notes (actor_id, issue_id, summary, override_stance, override_reason)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (actor_id, issue_id) DO UPDATE SET summary = excluded.summary,
			override_stance = excluded.override_stance, override_reason = excluded.override_reason`,
			actorID, issueID, summary, stance, reason); err != nil {
			return fmt.Errorf("save position: %w", err)
		}
		// An overridden stance is a position, which makes the actor public (actorPublic).
		if err := reindex(ctx, tx, kindActor, actorID); err != nil {
			return err
		}
		detail := summary
		if override != "" {
			detail = "override " + override + " (" + reason + "): " + summary
		}
		return audit(ctx, tx, by, "position.save", "position/"+actor+"/"+issue, detail)
	})
}
