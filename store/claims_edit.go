package store

import (
	"context"
	"crypto/sha1"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/sourcebook/sourcebook/store/corpus"
	"github.com/sourcebook/sourcebook/store/selector"
)

// ClaimInput is a claim as an editor writes it.
type ClaimInput struct {
	Statement string
	Speaker   string // actor slug; "" for the source's author(s)
	Holder    string // actor slug whose stance it reports; "" for the speaker's
	Kind      string // quote | paraphrase | analysis
	Said      string
	Stances   map[string]string // issue slug → stance
	Citations []CitationInput
}

// CitationInput is the passage and words a claim cites. Start and End, when given (from a
// selection in the browser, converted to code points), must hold exactly the quote; without
// them the quote's Occurrence-th appearance is meant (the first if 0).
type CitationInput struct {
	Block      string // block key
	Quote      string
	Occurrence int
	Start, End int
}

// SaveClaim creates a claim on a source (slug "") or replaces an existing one's content, and
// returns its slug. Every quote must be exactly in its block; if one is not, the error says
// where it stops matching.
func (s *Store) SaveClaim(ctx context.Context, by *User, sourceSlug, slug string, in ClaimInput) (string, error) {
	errs := FieldErrors{}
	in.Statement = strings.TrimSpace(in.Statement)
	if in.Statement == "" {
		errs["statement"] = "write the claim as a short statement"
	}
	if !contains(corpus.ClaimKinds, in.Kind) {
		errs["kind"] = "choose whether it is a direct quote, a paraphrase or the author's analysis"
	}
	if in.Said != "" && !corpus.ValidDate(in.Said) {
		errs["said"] = fmt.Sprintf("%q is not a date: YYYY-MM-DD, YYYY-MM or YYYY, or empty if the source does not date it", in.Said)
	}
	if len(in.Stances) == 0 {
		errs["issues"] = "choose at least one issue the claim is about, with its stance"
	}
	for issue, st := range in.Stances {
		if !contains(corpus.Stances, st) {
			errs["issues"] = fmt.Sprintf("the stance on %s must be one of %s", issue, strings.Join(corpus.Stances, ", "))
		}
	}
	if len(in.Citations) == 0 {
		errs["quote"] = "a claim cites the exact words it rests on"
	}
	cleanText(errs, "statement", in.Statement, true)
	for _, c := range in.Citations {
		cleanText(errs, "quote", c.Quote, true)
	}
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
		if slug == "" {
			action = "claim.create"
			if slug, err = uniqueSlug(ctx, tx, "claims", claimSlug(in.Statement)); err != nil {
				return err
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO claims (slug, source_id, statement, speaker_id, holder_id, kind, said)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, slug, sourceID, in.Statement, speaker, holder, in.Kind, in.Said)
			if err != nil {
				return fmt.Errorf("create claim: %w", err)
			}
			claimID, _ = res.LastInsertId()
		} else {
			if _, err := tx.ExecContext(ctx, `UPDATE claims SET statement = ?, speaker_id = ?, holder_id = ?, kind = ?, said = ?,
				updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?`, in.Statement, speaker, holder, in.Kind, in.Said, claimID); err != nil {
				return fmt.Errorf("update claim: %w", err)
			}
			for _, q := range []string{`DELETE FROM claim_issues WHERE claim_id = ?`, `DELETE FROM citations WHERE claim_id = ?`} {
				if _, err := tx.ExecContext(ctx, q, claimID); err != nil {
					return fmt.Errorf("update claim: %w", err)
				}
			}
		}
		oldBlocks, err := ids(ctx, tx, `SELECT DISTINCT block_id FROM citations WHERE claim_id = ?`, claimID)
		if err != nil {
			return err
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
		return audit(ctx, tx, by, action, "claim/"+slug, in.Statement)
	})
	return slug, err
}

func claimSlug(statement string) string {
	words := strings.Fields(slugStrip.ReplaceAllString(strings.ToLower(statement), " "))
	if len(words) > 6 {
		words = words[:6]
	}
	sum := sha1.Sum([]byte(statement))
	return strings.Join(append(words, hex.EncodeToString(sum[:2])), "-")
}

func actorID(ctx context.Context, tx *sql.Tx, slug, field string, errs FieldErrors) (any, error) {
	if slug == "" {
		return nil, nil
	}
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM actors WHERE slug = ?`, slug).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		errs[field] = fmt.Sprintf("there is no actor %q: create it first", slug)
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("actor %s: %w", slug, err)
	}
	return id, nil
}

type anchored struct {
	selector.Anchor
	block int64
	rev   int
}

// anchorCitations locates each quote in its block, or explains in errs why it cannot.
func anchorCitations(ctx context.Context, tx *sql.Tx, sourceID int64, in []CitationInput, errs FieldErrors) ([]anchored, error) {
	var out []anchored
	for _, c := range in {
		var id int64
		var rev, pos int
		var text string
		err := tx.QueryRowContext(ctx, `SELECT id, rev, text, coalesce(position, 0) FROM blocks WHERE source_id = ? AND key = ?`, sourceID, c.Block).
			Scan(&id, &rev, &text, &pos)
		if errors.Is(err, sql.ErrNoRows) {
			errs["quote"] = fmt.Sprintf("there is no passage %q in this source", c.Block)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("cited block: %w", err)
		}
		if !utf8.ValidString(c.Quote) || strings.TrimSpace(c.Quote) == "" {
			errs["quote"] = "the quote is empty"
			continue
		}
		var a selector.Anchor
		var ok bool
		if c.End > c.Start {
			a, ok = selector.At(text, selector.Position{Start: c.Start, End: c.End})
			if !ok || a.Exact != c.Quote {
				errs["quote"] = fmt.Sprintf("the selection in ¶ %d does not hold the quote %q; select the words again", pos, c.Quote)
				continue
			}
		} else {
			n := selector.Count(text, c.Quote)
			switch {
			case n == 0:
				errs["quote"] = mismatch(text, c.Quote, pos)
				continue
			case n > 1 && c.Occurrence == 0:
				errs["quote"] = fmt.Sprintf("“%s” occurs %d times in ¶ %d: say which (1 to %d), or select it in the passage", c.Quote, n, pos, n)
				continue
			}
			a, ok = selector.Find(text, c.Quote, max(1, c.Occurrence))
			if !ok {
				errs["quote"] = fmt.Sprintf("“%s” occurs only %d times in ¶ %d", c.Quote, n, pos)
				continue
			}
		}
		out = append(out, anchored{Anchor: a, block: id, rev: rev})
	}
	return out, nil
}

// mismatch explains how a quote differs from its passage: how much of it matches, and
// where it stops matching, so a mistyped quote is easy to fix.
func mismatch(text, quote string, pos int) string {
	best, at := 0, -1
	rq := []rune(quote)
	for n := len(rq); n > 0; n-- {
		if i := strings.Index(text, string(rq[:n])); i >= 0 {
			best, at = n, i
			break
		}
	}
	if best < 3 {
		return fmt.Sprintf("the quote is not in ¶ %d: copy the words exactly as the passage has them", pos)
	}
	rest := []rune(text[at:])
	next := string(rest[best:min(len(rest), best+20)])
	return fmt.Sprintf("the quote is not in ¶ %d exactly: it matches as far as “%s”, then the passage has “%s” where the quote has “%s”",
		pos, string(rq[:best]), next, string(rq[best:min(len(rq), best+20)]))
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
		if _, err := tx.ExecContext(ctx, `DELETE FROM claims WHERE id = ?`, id); err != nil {
			return fmt.Errorf("delete claim %s: %w", slug, err)
		}
		if err := reindex(ctx, tx, kindClaim, id); err != nil {
			return err
		}
		if err := reindex(ctx, tx, kindBlock, blocks...); err != nil {
			return err
		}
		return audit(ctx, tx, by, "claim.delete", "claim/"+slug, statement)
	})
}

// ClaimsOfSource returns a source's claims, drafts included, for its admin page.
func (s *Store) ClaimsOfSource(ctx context.Context, sourceSlug string) ([]Claim, error) {
	q := strings.Replace(claimsSQL, "AND s.status = 'published'", "", 1) + ` AND s.slug = ? ORDER BY c.id`
	return s.queryClaims(ctx, q, sourceSlug)
}

// ClaimForEditing returns a claim whatever its source's status.
func (s *Store) ClaimForEditing(ctx context.Context, slug string) (Claim, error) {
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

// CreateActor adds an actor and returns its slug.
func (s *Store) CreateActor(ctx context.Context, by *User, name, kind string, aliases []string) (string, error) {
	errs := FieldErrors{}
	name = strings.TrimSpace(name)
	if name == "" {
		errs["name"] = "an actor needs a name"
	}
	if !contains(corpus.ActorKinds, kind) {
		errs["kind"] = "choose person, state, organisation or coalition"
	}
	cleanText(errs, "name", name, false)
	for _, a := range aliases {
		cleanText(errs, "aliases", a, false)
	}
	if err := errs.orNil(); err != nil {
		return "", err
	}
	var slug string
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if slug, err = uniqueSlug(ctx, tx, "actors", slugify(name)); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO actors (slug, name, kind) VALUES (?, ?, ?)`, slug, name, kind)
		if err != nil {
			return fmt.Errorf("create actor: %w", err)
		}
		id, _ := res.LastInsertId()
		for _, a := range aliases {
			if a = strings.TrimSpace(a); a != "" {
				if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO actor_aliases (actor_id, alias) VALUES (?, ?)`, id, a); err != nil {
					return fmt.Errorf("alias: %w", err)
				}
			}
		}
		if err := reindex(ctx, tx, kindActor, id); err != nil {
			return err
		}
		return audit(ctx, tx, by, "actor.create", "actor/"+slug, name+" ("+kind+")")
	})
	return slug, err
}

// MergeActors folds the actor from into into: its claims, roles, positions and aliases move
// over, its name becomes an alias, and it is deleted. Where both hold a position on the same
// issue, into's is kept and from's supporting claims are added to it.
func (s *Store) MergeActors(ctx context.Context, by *User, from, into string) error {
	if from == into {
		return fmt.Errorf("%w: an actor cannot be merged into itself", ErrInvalid)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var fromID, intoID int64
		var fromName string
		if err := tx.QueryRowContext(ctx, `SELECT id, name FROM actors WHERE slug = ?`, from).Scan(&fromID, &fromName); err != nil {
			return fmt.Errorf("%w: there is no actor %q", ErrInvalid, from)
		}
		if err := tx.QueryRowContext(ctx, `SELECT id FROM actors WHERE slug = ?`, into).Scan(&intoID); err != nil {
			return fmt.Errorf("%w: there is no actor %q", ErrInvalid, into)
		}
		claimIDs, err := ids(ctx, tx, `SELECT id FROM claims WHERE speaker_id = ? OR holder_id = ?`, fromID, fromID)
		if err != nil {
			return err
		}
		for _, q := range []string{
			`UPDATE claims SET speaker_id = ?2 WHERE speaker_id = ?1`,
			`UPDATE claims SET holder_id = ?2 WHERE holder_id = ?1`,
			`UPDATE actor_roles SET actor_id = ?2 WHERE actor_id = ?1`,
			`UPDATE actor_roles SET org_id = ?2 WHERE org_id = ?1`,
			`INSERT OR IGNORE INTO position_claims (position_id, claim_id)
				SELECT pi.id, pc.claim_id FROM positions pf JOIN position_claims pc ON pc.position_id = pf.id
				JOIN positions pi ON pi.issue_id = pf.issue_id AND pi.actor_id = ?2 WHERE pf.actor_id = ?1`,
			`DELETE FROM positions WHERE actor_id = ?1 AND issue_id IN (SELECT issue_id FROM positions WHERE actor_id = ?2)`,
			`UPDATE positions SET actor_id = ?2 WHERE actor_id = ?1`,
			`INSERT OR IGNORE INTO actor_aliases (actor_id, alias) SELECT ?2, alias FROM actor_aliases WHERE actor_id = ?1`,
			`INSERT OR IGNORE INTO actor_aliases (actor_id, alias) SELECT ?2, name FROM actors WHERE id = ?1`,
			`DELETE FROM actors WHERE id = ?1`,
		} {
			if _, err := tx.ExecContext(ctx, q, fromID, intoID); err != nil {
				return fmt.Errorf("merge actors: %w", err)
			}
		}
		blocks, err := ids(ctx, tx, `SELECT DISTINCT block_id FROM citations WHERE claim_id IN (SELECT value FROM json_each(?))`,
			idList(claimIDs, func(id int64) int64 { return id }))
		if err != nil {
			return err
		}
		for kind, list := range map[int][]int64{kindActor: {fromID, intoID}, kindClaim: claimIDs, kindBlock: blocks} {
			if err := reindex(ctx, tx, kind, list...); err != nil {
				return err
			}
		}
		return audit(ctx, tx, by, "actor.merge", "actor/"+into, "merged "+from+" ("+fromName+")")
	})
}

// AddAlias gives an actor another name it is known by.
func (s *Store) AddAlias(ctx context.Context, by *User, actor, alias string) error {
	alias = strings.TrimSpace(alias)
	if alias == "" {
		return FieldErrors{"alias": "the alias is empty"}
	}
	errs := FieldErrors{}
	if cleanText(errs, "alias", alias, false); len(errs) > 0 {
		return errs
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var id int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM actors WHERE slug = ?`, actor).Scan(&id); err != nil {
			return ErrNotFound
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO actor_aliases (actor_id, alias) VALUES (?, ?)`, id, alias); err != nil {
			return fmt.Errorf("alias: %w", err)
		}
		if err := reindex(ctx, tx, kindActor, id); err != nil {
			return err
		}
		return audit(ctx, tx, by, "actor.alias", "actor/"+actor, alias)
	})
}

// LinkPrecedent records that a block mentions a precedent (or, with link false, no longer).
func (s *Store) LinkPrecedent(ctx context.Context, by *User, sourceSlug, key, precedent string, link bool) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var blockID, precID int64
		if err := tx.QueryRowContext(ctx, `SELECT b.id FROM blocks b JOIN sources s ON s.id = b.source_id WHERE s.slug = ? AND b.key = ?`,
			sourceSlug, key).Scan(&blockID); err != nil {
			return fmt.Errorf("%w: there is no passage %q in %s", ErrInvalid, key, sourceSlug)
		}
		if err := tx.QueryRowContext(ctx, `SELECT id FROM precedents WHERE slug = ?`, precedent).Scan(&precID); err != nil {
			return fmt.Errorf("%w: there is no precedent %q", ErrInvalid, precedent)
		}
		q := `INSERT OR IGNORE INTO precedent_mentions (precedent_id, block_id) VALUES (?, ?)`
		action := "precedent.link"
		if !link {
			q, action = `DELETE FROM precedent_mentions WHERE precedent_id = ? AND block_id = ?`, "precedent.unlink"
		}
		if _, err := tx.ExecContext(ctx, q, precID, blockID); err != nil {
			return fmt.Errorf("%s: %w", action, err)
		}
		if err := reindex(ctx, tx, kindBlock, blockID); err != nil {
			return err
		}
		return audit(ctx, tx, by, action, "source/"+sourceSlug, key+" ↔ "+precedent)
	})
}
