package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/sourcebook/sourcebook/store/corpus"
)

// CreateIssue adds a question in dispute, stated as the proposition stances are taken on.
func (s *Store) CreateIssue(ctx context.Context, by *User, name, question, proposition string) (string, error) {
	errs := FieldErrors{}
	for field, v := range map[string]string{"issue_name": name, "question": question, "proposition": proposition} {
		if strings.TrimSpace(v) == "" {
			errs[field] = "required"
		}
		cleanText(errs, field, v, false)
	}
	if err := errs.orNil(); err != nil {
		return "", err
	}
	var slug string
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if slug, err = uniqueSlug(ctx, tx, "issues", slugify(name)); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO issues (slug, name, question, proposition, position)
			VALUES (?, ?, ?, ?, (SELECT coalesce(max(position), 0) + 1 FROM issues))`, slug, name, question, proposition)
		if err != nil {
			return fmt.Errorf("create issue: %w", err)
		}
		id, _ := res.LastInsertId()
		if err := reindex(ctx, tx, kindIssue, id); err != nil {
			return err
		}
		return audit(ctx, tx, by, "issue.create", "issue/"+slug, name)
	})
	return slug, err
}

// SavePosition sets an actor's stance on an issue, with its summary and the claims that
// back it. Each claim must be about that issue: a position is built from claims.
func (s *Store) SavePosition(ctx context.Context, by *User, actor, issue, stance, summary string, claims []string) error {
	errs := FieldErrors{}
	if !contains(corpus.Stances, stance) {
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

// CreatePrecedent adds a precedent or one of today's proposals. Its dates are as the
// sources state them (or empty); what the sources say of it is added as cited facts.
func (s *Store) CreatePrecedent(ctx context.Context, by *User, name, kind, start, end, summary string) (string, error) {
	errs := FieldErrors{}
	if strings.TrimSpace(name) == "" {
		errs["precedent_name"] = "required"
	}
	if !contains(corpus.PrecedentKinds, kind) {
		errs["precedent_kind"] = "precedent or proposal"
	}
	for field, d := range map[string]string{"date_start": start, "date_end": end} {
		if d != "" && !corpus.ValidDate(d) {
			errs[field] = fmt.Sprintf("%q is not a date (YYYY-MM-DD, YYYY-MM or YYYY)", d)
		}
	}
	cleanText(errs, "precedent_name", name, false)
	cleanText(errs, "precedent_summary", summary, true)
	if err := errs.orNil(); err != nil {
		return "", err
	}
	var slug string
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if slug, err = uniqueSlug(ctx, tx, "precedents", slugify(name)); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO precedents (slug, name, kind, date_start, date_end, summary) VALUES (?, ?, ?, ?, ?, ?)`,
			slug, name, kind, start, end, summary)
		if err != nil {
			return fmt.Errorf("create precedent: %w", err)
		}
		id, _ := res.LastInsertId()
		if err := reindex(ctx, tx, kindPrecedent, id); err != nil {
			return err
		}
		return audit(ctx, tx, by, "precedent.create", "precedent/"+slug, name)
	})
	return slug, err
}

// AddFact records what a passage says of a precedent, on one of the compared dimensions.
func (s *Store) AddFact(ctx context.Context, by *User, precedent, aspect, text, sourceSlug, key string) error {
	errs := FieldErrors{}
	if !contains(corpus.FactAspects, aspect) {
		errs["aspect"] = "choose a dimension"
	}
	if strings.TrimSpace(text) == "" {
		errs["fact"] = "say what the passage states"
	}
	cleanText(errs, "fact", text, false)
	if err := errs.orNil(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		precID, blockID, err := precedentAndBlock(ctx, tx, precedent, sourceSlug, key)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO precedent_facts (precedent_id, aspect, text, block_id) VALUES (?, ?, ?, ?)`,
			precID, aspect, text, blockID); err != nil {
			return fmt.Errorf("add fact: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO precedent_mentions (precedent_id, block_id) VALUES (?, ?)`, precID, blockID); err != nil {
			return fmt.Errorf("add fact: %w", err)
		}
		if err := reindex(ctx, tx, kindPrecedent, precID); err != nil {
			return err
		}
		if err := reindex(ctx, tx, kindBlock, blockID); err != nil {
			return err
		}
		return audit(ctx, tx, by, "precedent.fact", "precedent/"+precedent, aspect+": "+text)
	})
}

// AddEvent puts a dated event a passage mentions on the timeline.
func (s *Store) AddEvent(ctx context.Context, by *User, date, title, sourceSlug, key, precedent string) error {
	errs := FieldErrors{}
	if !corpus.ValidDate(date) {
		errs["event_date"] = "a date as precise as the source gives it: YYYY-MM-DD, YYYY-MM or YYYY"
	}
	if strings.TrimSpace(title) == "" {
		errs["event_title"] = "required"
	}
	cleanText(errs, "event_title", title, false)
	if err := errs.orNil(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var blockID int64
		if err := tx.QueryRowContext(ctx, `SELECT b.id FROM blocks b JOIN sources s ON s.id = b.source_id WHERE s.slug = ? AND b.key = ?`,
			sourceSlug, key).Scan(&blockID); err != nil {
			return FieldErrors{"event_block": fmt.Sprintf("there is no passage %q in %q", key, sourceSlug)}
		}
		var prec any
		if precedent != "" {
			var id int64
			if err := tx.QueryRowContext(ctx, `SELECT id FROM precedents WHERE slug = ?`, precedent).Scan(&id); err != nil {
				return FieldErrors{"event_precedent": fmt.Sprintf("there is no precedent %q", precedent)}
			}
			prec = id
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO events (date, title, block_id, precedent_id) VALUES (?, ?, ?, ?)`,
			date, title, blockID, prec); err != nil {
			return fmt.Errorf("add event: %w", err)
		}
		return audit(ctx, tx, by, "event.create", "source/"+sourceSlug, date+" "+title)
	})
}

func precedentAndBlock(ctx context.Context, tx *sql.Tx, precedent, sourceSlug, key string) (int64, int64, error) {
	var precID, blockID int64
	if err := tx.QueryRowContext(ctx, `SELECT id FROM precedents WHERE slug = ?`, precedent).Scan(&precID); err != nil {
		return 0, 0, FieldErrors{"precedent": fmt.Sprintf("there is no precedent %q", precedent)}
	}
	if err := tx.QueryRowContext(ctx, `SELECT b.id FROM blocks b JOIN sources s ON s.id = b.source_id WHERE s.slug = ? AND b.key = ?`,
		sourceSlug, key).Scan(&blockID); err != nil {
		return 0, 0, FieldErrors{"fact_block": fmt.Sprintf("there is no passage %q in %q", key, sourceSlug)}
	}
	return precID, blockID, nil
}
