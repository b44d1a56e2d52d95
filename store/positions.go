// Positions: where an actor stands on an issue, the claims that show it, and the matrix of
// actors by issues.

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/sourcebook/sourcebook/store/vocab"
)

// Position is an actor's stance on an issue, backed by claims.
type Position struct {
	id      int64 // for loading its claims
	Actor   ActorRef
	Issue   IssueRef
	Stance  string
	Summary string
	Claims  []Claim
}

// PositionFilter selects positions; zero fields select all.
type PositionFilter struct {
	Actor, Issue  string
	WithClaims    bool // load each position's supporting claims too
	Offset, Limit int  // a page of the list; Limit 0 is all of it
}

// Positions returns positions with their supporting claims when asked, ordered by issue
// and then by actor (states and coalitions before people).
func (s *Store) Positions(ctx context.Context, f PositionFilter) ([]Position, error) {
	q := `SELECT p.id, a.slug, a.name, a.kind, i.slug, i.name, p.stance, p.summary
		FROM positions p JOIN actors a ON a.id = p.actor_id JOIN issues i ON i.id = p.issue_id WHERE 1 = 1`
	where, args := positionWhere(f.Actor, f.Issue)
	const order = ` ORDER BY i.position, CASE a.kind WHEN 'state' THEN 1 WHEN 'coalition' THEN 2 WHEN 'organisation' THEN 3 ELSE 4 END, a.name, a.id`
	switch {
	case f.Limit > 0 && f.Issue != "" && f.Actor == "":
		// A page of an issue's positions: their order, which sorts them all, is kept for
		// the data version (65 ms a page at 1000× the seed corpus, before).
		ids, err := memoized(ctx, s, "positions of "+f.Issue, func(ctx context.Context) ([]int64, error) {
			return s.readIDs(ctx, `SELECT p.id FROM positions p JOIN actors a ON a.id = p.actor_id
				JOIN issues i ON i.id = p.issue_id WHERE 1 = 1`+where+order, args...)
		})
		if err != nil {
			return nil, err
		}
		page := ids[min(f.Offset, len(ids)):min(f.Offset+f.Limit, len(ids))]
		if len(page) == 0 {
			return nil, nil
		}
		q += ` AND p.id IN (SELECT value FROM json_each(?))` + order
		args = []any{idList(page, func(id int64) int64 { return id })}
	case f.Limit > 0:
		q += where + order + ` LIMIT ? OFFSET ?`
		args = append(args, f.Limit, f.Offset)
	default:
		q += where + order
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("positions: %w", err)
	}
	var list []Position
	for rows.Next() {
		var p Position
		if err := rows.Scan(&p.id, &p.Actor.Slug, &p.Actor.Name, &p.Actor.Kind, &p.Issue.Slug, &p.Issue.Name, &p.Stance, &p.Summary); err != nil {
			rows.Close()
			return nil, fmt.Errorf("positions: %w", err)
		}
		list = append(list, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("positions: %w", err)
	}
	if !f.WithClaims || len(list) == 0 {
		return list, nil
	}
	// The claims backing the positions listed, and only those: two queries in all.
	rows, err = s.query(ctx, `SELECT position_id, claim_id FROM position_claims
		WHERE position_id IN (SELECT value FROM json_each(?)) ORDER BY claim_id`, idList(list, func(p Position) int64 { return p.id }))
	if err != nil {
		return nil, fmt.Errorf("position support: %w", err)
	}
	backing := map[int64][]int64{}
	var claimIDs []int64
	for rows.Next() {
		var pid, cid int64
		if err := rows.Scan(&pid, &cid); err != nil {
			rows.Close()
			return nil, fmt.Errorf("position support: %w", err)
		}
		backing[pid] = append(backing[pid], cid)
		claimIDs = append(claimIDs, cid)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("position support: %w", err)
	}
	if len(claimIDs) == 0 {
		return list, nil
	}
	claims, err := s.Claims(ctx, ClaimFilter{IDs: claimIDs}) // published sources only
	if err != nil {
		return nil, err
	}
	byID := map[int64]Claim{}
	for _, c := range claims {
		byID[c.ID] = c
	}
	for i := range list {
		p := &list[i]
		for _, id := range backing[p.id] {
			if c, ok := byID[id]; ok {
				p.Claims = append(p.Claims, c)
			}
		}
	}
	return list, nil
}

// PositionPage returns the page of positions f selects (f.Offset, f.Limit) and how many it
// selects in all.
func (s *Store) PositionPage(ctx context.Context, f PositionFilter) ([]Position, int, error) {
	where, args := positionWhere(f.Actor, f.Issue)
	return paged(ctx, s, "positions", func() ([]Position, error) { return s.Positions(ctx, f) },
		`SELECT count(*) FROM positions p WHERE 1 = 1`+where, args...)
}

// positionWhere restricts a query over positions p to an actor's and an issue's, when
// given, by id: SQLite then reads the positions index rather than every position.
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
	rows, err := s.query(ctx, `SELECT a.id, a.slug, a.name, a.kind FROM actors a
		WHERE a.id IN (SELECT actor_id FROM positions)
		ORDER BY CASE a.kind WHEN 'state' THEN 1 WHEN 'coalition' THEN 2 WHEN 'organisation' THEN 3 ELSE 4 END,
			(SELECT count(*) FROM positions WHERE actor_id = a.id) DESC, a.name`)
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

// Position returns one actor's position on one issue, with its claims.
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

// MatrixCell is one actor's stance on one issue and how many claims back it.
type MatrixCell struct {
	Stance  string
	Summary string
	Claims  int
}

// Cell returns the cell for an actor and issue, and whether there is one.
func (m Matrix) Cell(actor, issue string) (MatrixCell, bool) {
	c, ok := m.Cells[actor+"/"+issue]
	return c, ok
}

// Matrix builds rows of the position matrix: from the offset-th actor, at most limit of
// them (every one if limit is 0). Its cost follows the rows shown, not the corpus: the
// order of the rows is computed once per data version, and a page's cells are one query.
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
	for _, a := range order[min(offset, end):end] {
		ids = append(ids, a.id)
		m.Actors = append(m.Actors, a.ActorRef)
	}
	if len(ids) == 0 {
		return m, nil
	}
	rows, err := s.query(ctx, `SELECT a.slug, i.slug, p.stance, p.summary,
		(SELECT count(*) FROM position_claims WHERE position_id = p.id)
		FROM positions p JOIN actors a ON a.id = p.actor_id JOIN issues i ON i.id = p.issue_id
		WHERE p.actor_id IN (SELECT value FROM json_each(?))`, idList(ids, func(id int64) int64 { return id }))
	if err != nil {
		return Matrix{}, fmt.Errorf("matrix: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var actor, issue string
		var c MatrixCell
		if err := rows.Scan(&actor, &issue, &c.Stance, &c.Summary, &c.Claims); err != nil {
			return Matrix{}, fmt.Errorf("matrix: %w", err)
		}
		m.Cells[actor+"/"+issue] = c
	}
	return m, rows.Err()
}

// SavePosition sets an actor's stance on an issue, with its summary and the claims that
// back it. Each claim must be about that issue: a position is built from claims.
func (s *Store) SavePosition(ctx context.Context, by *User, actor, issue, stance, summary string, claims []string) error {
	errs := FieldErrors{}
	if !vocab.Has(vocab.Stances, stance) {
		errs["stance"] = "choose a stance"
	}
	if strings.TrimSpace(summary) == "" {
		errs["summary"] = "summarise the position in a sentence, from its claims"
	}
	if len(claims) == 0 {
		errs["claims"] = "a position is backed by at least one claim"
	}
	cleanText(errs, "summary", summary, true)
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
		var claimIDs []int64
		for _, c := range claims {
			var id int64
			err := tx.QueryRowContext(ctx, `SELECT c.id FROM claims c JOIN claim_issues ci ON ci.claim_id = c.id
				WHERE c.slug = ? AND ci.issue_id = ?`, strings.TrimSpace(c), issueID).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				return FieldErrors{"claims": fmt.Sprintf("claim %q does not exist or is not about %s", c, issue)}
			}
			if err != nil {
				return fmt.Errorf("position claim: %w", err)
			}
			claimIDs = append(claimIDs, id)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO positions (actor_id, issue_id, stance, summary) VALUES (?, ?, ?, ?)
			ON CONFLICT (actor_id, issue_id) DO UPDATE SET stance = excluded.stance, summary = excluded.summary`,
			actorID, issueID, stance, summary); err != nil {
			return fmt.Errorf("save position: %w", err)
		}
		var posID int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM positions WHERE actor_id = ? AND issue_id = ?`, actorID, issueID).Scan(&posID); err != nil {
			return fmt.Errorf("save position: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM position_claims WHERE position_id = ?`, posID); err != nil {
			return fmt.Errorf("save position: %w", err)
		}
		for _, id := range claimIDs {
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO position_claims (position_id, claim_id) VALUES (?, ?)`, posID, id); err != nil {
				return fmt.Errorf("save position: %w", err)
			}
		}
		return audit(ctx, tx, by, "position.save", "position/"+actor+"/"+issue, stance+": "+summary)
	})
}
