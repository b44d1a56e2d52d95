// Claims, written: an editor's claim checked, saved with its stances and citations, or
// deleted, each in one transaction that also keeps the search index in step.

package store

import (
	"context"
	"crypto/sha1"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/sourcebook/sourcebook/store/corpus"
	"github.com/sourcebook/sourcebook/store/vocab"
)

// ClaimInput is a claim as an editor writes it.
type ClaimInput struct {
	Statement string
	Speaker   string // actor slug; "" for the source's author(s)
	Holder    string // actor slug whose stance it reports; "" for the speaker's
	Kind      string // quote | paraphrase | analysis
	// Evidence is how directly the claim shows the holder's stance (own-words, reported,
	// inferred); ReportedBy is the actor slug whose account a reported stance is, if named.
	Evidence   string
	ReportedBy string
	Said       string
	Stances    map[string]string // issue slug → stance
	Citations  []CitationInput
}

// Check returns what is wrong with the claim before the database is asked: empty or
// unknown fields, and a quote without its speaker. The admin's form asks it too, so a
// refusal of its own (no speaker chosen) comes with every other problem at once.
func (in ClaimInput) Check() FieldErrors {
	errs := FieldErrors{}
	statement := strings.TrimSpace(in.Statement)
	if statement == "" {
		errs["statement"] = "write the claim as a short statement"
	}
	// A quote gives someone's own words: "the source's author(s)" fits only the author's
	// analysis, and a minister's words saved as the journalist's are a wrong attribution.
	if in.Kind == string(vocab.Quote) && in.Speaker == "" {
		errs["speaker"] = "a direct quote needs its speaker: choose who said these words (add them as a new actor if they are not listed); the source's author(s) speak only in the author's own analysis"
	}
	if !vocab.Has(vocab.ClaimKinds, in.Kind) {
		errs["kind"] = "choose whether it is a direct quote, a paraphrase or the author's analysis"
	}
	switch {
	case !vocab.Has(vocab.Grades, in.Evidence):
		errs["evidence"] = "say how directly the claim shows the holder's stance: in their own words, reported by someone else, or an author's reading"
	case in.ReportedBy != "" && in.Evidence != string(vocab.Reported):
		errs["reported_by"] = "only a reported stance has a reporter: grade it as reported, or clear the reporter"
	}
	if in.Said != "" && !corpus.ValidDate(in.Said) {
		errs["said"] = fmt.Sprintf("%q is not a date: YYYY-MM-DD, YYYY-MM or YYYY, or empty if the source does not date it", in.Said)
	}
	if len(in.Stances) == 0 {
		errs["issues"] = "choose at least one issue the claim is about, with its stance"
	}
	for issue, st := range in.Stances {
		if !vocab.Has(vocab.Stances, st) {
			errs["issues"] = fmt.Sprintf("the stance on %s must be one of %s", issue, strings.Join(vocab.Names(vocab.Stances), ", "))
		}
	}
	if len(in.Citations) == 0 {
		errs["quote"] = "a claim cites the exact words it rests on"
	}
	cleanText(errs, "statement", statement, true)
	for _, c := range in.Citations {
		cleanText(errs, "quote", c.Quote, true)
	}
	return errs
}

// SaveClaim creates a claim on a source (slug "") or replaces an existing one's content, and
// returns its slug. Every quote must be exactly in its block; if one is not, the error says
// where it stops matching.
func (s *Store) SaveClaim(ctx context.Context, by *User, sourceSlug, slug string, in ClaimInput) (string, error) {
	in.Statement = strings.TrimSpace(in.Statement)
	errs := in.Check()
	if len(errs) > 0 {
		return "", errs
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var sourceID, claimID int64
		if slug != "" {
			err := tx.QueryRowContext(ctx, `SELECT c.id, c.source_id, s.slug FROM claims c JOIN sources s ON s.id = c.source_id WHERE c.slug = ?`, slug).
				Scan(&claimID, &sourceID, &sourceSlug)
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			if err != nil {
				return fmt.Errorf("claim %s: %w", slug, err)
			}
		} else {
			err := tx.QueryRowContext(ctx, `SELECT id FROM sources WHERE slug = ?`, sourceSlug).Scan(&sourceID)
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			if err != nil {
				return fmt.Errorf("source %s: %w", sourceSlug, err)
			}
		}
		speaker, err := actorID(ctx, tx, in.Speaker, "speaker", errs)
		if err != nil {
			return err
		}
		holder, err := actorID(ctx, tx, in.Holder, "holder", errs)
		if err != nil {
			return err
		}
		reporter, err := actorID(ctx, tx, in.ReportedBy, "reported_by", errs)
		if err != nil {
			return err
		}
		issues := map[int64]string{}
		for issue, st := range in.Stances {
			var id int64
			if err := tx.QueryRowContext(ctx, `SELECT id FROM issues WHERE slug = ?`, issue).Scan(&id); err != nil {
				errs["issues"] = fmt.Sprintf("there is no issue %q", issue)
				continue
			}
			issues[id] = st
		}
		anchors, err := anchorCitations(ctx, tx, sourceID, in.Citations, errs)
		if err != nil {
			return err
		}
		if len(errs) > 0 {
			return errs
		}
		action := "claim.update"
		var oldStatement string
		var oldActors, oldBlocks []int64
		if slug == "" {
			action = "claim.create"
			if slug, err = uniqueSlug(ctx, tx, "claims", claimSlug(in.Statement)); err != nil {
				return err
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO claims (slug, source_id, statement, speaker_id, holder_id, kind, evidence, reported_by, said)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, slug, sourceID, in.Statement, speaker, holder, in.Kind, in.Evidence, reporter, in.Said)
			if err != nil {
				return fmt.Errorf("create claim: %w", err)
			}
			claimID, _ = res.LastInsertId()
		} else {
			// The statement before, for the audit log's word diff, and the actors the claim
			// named, who may have nothing published left to show once it names others.
			if err := tx.QueryRowContext(ctx, `SELECT statement FROM claims WHERE id = ?`, claimID).Scan(&oldStatement); err != nil {
				return fmt.Errorf("claim %s: %w", slug, err)
			}
			if oldActors, err = claimActors(ctx, tx, claimID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE claims SET statement = ?, speaker_id = ?, holder_id = ?, kind = ?, evidence = ?, reported_by = ?,
				said = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?`,
				in.Statement, speaker, holder, in.Kind, in.Evidence, reporter, in.Said, claimID); err != nil {
				return fmt.Errorf("update claim: %w", err)
			}
			// The blocks it cited before, read before their citations go: a block the claim
			// no longer cites must lose the claim's actor and issue tags in the search index.
			if oldBlocks, err = ids(ctx, tx, `SELECT DISTINCT block_id FROM citations WHERE claim_id = ?`, claimID); err != nil {
				return err
			}
			for _, q := range []string{`DELETE FROM claim_issues WHERE claim_id = ?`, `DELETE FROM citations WHERE claim_id = ?`} {
				if _, err := tx.ExecContext(ctx, q, claimID); err != nil {
					return fmt.Errorf("update claim: %w", err)
				}
			}
		}
		for id, st := range issues {
			if _, err := tx.ExecContext(ctx, `INSERT INTO claim_issues (claim_id, issue_id, stance) VALUES (?, ?, ?)`, claimID, id, st); err != nil {
				return fmt.Errorf("claim issue: %w", err)
			}
		}
		var cited []int64
		for _, a := range anchors {
			if _, err := tx.ExecContext(ctx, `INSERT INTO citations (claim_id, block_id, block_rev, start, end, exact, prefix, suffix)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, claimID, a.block, a.rev, a.Start, a.End, a.Exact, a.Prefix, a.Suffix); err != nil {
				return fmt.Errorf("citation: %w", err)
			}
			cited = append(cited, a.block)
		}
		if err := reindex(ctx, tx, kindClaim, claimID); err != nil {
			return err
		}
		if err := reindex(ctx, tx, kindBlock, append(cited, oldBlocks...)...); err != nil {
			return err
		}
		newActors, err := claimActors(ctx, tx, claimID)
		if err != nil {
			return err
		}
		if err := reindex(ctx, tx, kindActor, append(newActors, oldActors...)...); err != nil {
			return err
		}
		if action == "claim.update" {
			return auditText(ctx, tx, by, action, "claim/"+slug, oldStatement, in.Statement, in.Statement)
		}
		return audit(ctx, tx, by, action, "claim/"+slug, in.Statement)
	})
	return slug, err
}

// claimSlug is a new claim's slug: its statement's first words, cut where a word ends (see
// slugWords), and a short hash of the statement that tells apart claims worded alike.
func claimSlug(statement string) string {
	sum := sha1.Sum([]byte(statement))
	return strings.Join(append(slugWords(statement, 6), hex.EncodeToString(sum[:2])), "-")
}

// DeleteClaim deletes a claim, its citations and its place in positions.
func (s *Store) DeleteClaim(ctx context.Context, by *User, slug string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var id int64
		var statement string
		err := tx.QueryRowContext(ctx, `SELECT id, statement FROM claims WHERE slug = ?`, slug).Scan(&id, &statement)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("delete claim %s: %w", slug, err)
		}
		blocks, err := ids(ctx, tx, `SELECT DISTINCT block_id FROM citations WHERE claim_id = ?`, id)
		if err != nil {
			return err
		}
		actors, err := claimActors(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM claims WHERE id = ?`, id); err != nil {
			return fmt.Errorf("delete claim %s: %w", slug, err)
		}
		if err := reindex(ctx, tx, kindClaim, id); err != nil {
			return err
		}
		if err := reindex(ctx, tx, kindActor, actors...); err != nil {
			return err
		}
		if err := reindex(ctx, tx, kindBlock, blocks...); err != nil {
			return err
		}
		return audit(ctx, tx, by, "claim.delete", "claim/"+slug, statement)
	})
}

// claimActors returns the actors a claim names (speaker, holder, reporter): those whose
// search rows a change to it may add or remove (actorPublic).
func claimActors(ctx context.Context, tx *sql.Tx, claimID int64) ([]int64, error) {
	return ids(ctx, tx, `SELECT x FROM (SELECT speaker_id AS x FROM claims WHERE id = ?1
		UNION SELECT holder_id FROM claims WHERE id = ?1 UNION SELECT reported_by FROM claims WHERE id = ?1) WHERE x IS NOT NULL`, claimID)
}
