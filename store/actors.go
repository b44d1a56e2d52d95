// Actors: who speaks in the sources (states, alliances, organisations, people), the roles the
// sources give them and the passages that mention them; creating, merging and aliasing them.

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/sourcebook/sourcebook/store/vocab"
)

// ActorRef names an actor briefly, for links.
type ActorRef struct {
	Slug, Name, Kind string
}

// Actor is a person, state, organisation or coalition.
type Actor struct {
	ID          int64
	Slug        string
	Name        string
	Kind        string
	Description string
	Aliases     []string
	Claims      int // claims it made or that report its stance
	Positions   int
}

// Ref returns the actor's short reference.
func (a Actor) Ref() ActorRef { return ActorRef{Slug: a.Slug, Name: a.Name, Kind: a.Kind} }

// Role is a role a source gives an actor, in the source's words.
type Role struct {
	Actor    ActorRef
	Title    string
	Org      *ActorRef
	AsStated string
	Former   bool
	Block    BlockRef
}

const actorColumns = `a.id, a.slug, a.name, a.kind, a.description,
	coalesce((SELECT group_concat(alias, char(31)) FROM (SELECT alias FROM actor_aliases WHERE actor_id = a.id ORDER BY alias)), ''),
	(SELECT count(*) FROM claims c JOIN sources s ON s.id = c.source_id AND s.status = 'published'
		WHERE c.speaker_id = a.id OR c.holder_id = a.id),
	(SELECT count(*) FROM positions WHERE actor_id = a.id)`

func scanActor(row interface{ Scan(...any) error }) (Actor, error) {
	var a Actor
	var aliases string
	err := row.Scan(&a.ID, &a.Slug, &a.Name, &a.Kind, &a.Description, &aliases, &a.Claims, &a.Positions)
	if aliases != "" {
		a.Aliases = strings.Split(aliases, "\x1f")
	}
	return a, err
}

// actorPublic holds for an actor (a) that has something published to show: a claim of a
// published source that it made, whose stance it is or that reports its account, a role a
// published source states (its own, or one held within it), or a position: a position is
// either a published claim's stance, which the first test covers, or an editor's override,
// asked of position_notes rather than of the positions view, which reads every claim. Only such an
// actor is public: its page, the actors list, the sitemap, search, the API and the exports.
// An actor an editor created, or one whose only source was unpublished, stays in the admin
// (to be chosen as a speaker) but is not shown to readers as an empty page.
const actorPublic = `(EXISTS (SELECT 1 FROM claims c JOIN sources s ON s.id = c.source_id AND s.status = 'published'
		WHERE c.speaker_id = a.id OR c.holder_id = a.id OR c.reported_by = a.id)
	OR EXISTS (SELECT 1 FROM actor_roles r JOIN blocks b ON b.id = r.block_id
		JOIN sources s ON s.id = b.source_id AND s.status = 'published'
		WHERE r.actor_id = a.id OR r.org_id = a.id)
	OR EXISTS (SELECT 1 FROM position_notes n WHERE n.actor_id = a.id AND n.override_stance IS NOT NULL))`

// Actors lists every actor by kind, then name, published or not: the admin's list, from
// which an editor chooses speakers.
func (s *Store) Actors(ctx context.Context) ([]Actor, error) {
	return s.actors(ctx, "1 = 1", "")
}

// PublicActors lists, in Actors' order, the actors readers see (actorPublic).
func (s *Store) PublicActors(ctx context.Context) ([]Actor, error) {
	return s.actors(ctx, actorPublic, "")
}

// ActorPage returns a page of the public actors, in Actors' order, and how many there are.
func (s *Store) ActorPage(ctx context.Context, p Page) ([]Actor, int, error) {
	clause, args := p.clause()
	return paged(ctx, s, "actors", func() ([]Actor, error) { return s.actors(ctx, actorPublic, clause, args...) },
		`SELECT count(*) FROM actors a WHERE `+actorPublic)
}

// actors lists the actors where holds, by kind, then name, with a LIMIT clause or none.
func (s *Store) actors(ctx context.Context, where, limit string, args ...any) ([]Actor, error) {
	rows, err := s.query(ctx, `SELECT `+actorColumns+` FROM actors a WHERE `+where+`
		ORDER BY CASE a.kind WHEN 'state' THEN 1 WHEN 'coalition' THEN 2 WHEN 'organisation' THEN 3 ELSE 4 END, a.name COLLATE NOCASE, a.id`+limit, args...)
	if err != nil {
		return nil, fmt.Errorf("actors: %w", err)
	}
	defer rows.Close()
	var list []Actor
	for rows.Next() {
		a, err := scanActor(rows)
		if err != nil {
			return nil, fmt.Errorf("actors: %w", err)
		}
		list = append(list, a)
	}
	return list, rows.Err()
}

// Actor returns one public actor by slug (actorPublic): an actor with nothing published
// is not found.
func (s *Store) Actor(ctx context.Context, slug string) (Actor, error) {
	a, err := scanActor(s.queryRow(ctx, `SELECT `+actorColumns+` FROM actors a WHERE a.slug = ? AND `+actorPublic, slug))
	if errors.Is(err, sql.ErrNoRows) {
		return Actor{}, ErrNotFound
	}
	if err != nil {
		return Actor{}, fmt.Errorf("actor %q: %w", slug, err)
	}
	return a, nil
}

// Roles returns the roles the sources give an actor, and the roles of people in an
// organisation or state, each with the passage that states it.
func (s *Store) Roles(ctx context.Context, actorSlug string) (held, within []Role, err error) {
	rows, err := s.query(ctx, `SELECT a.slug, a.name, a.kind, r.title, o.slug, o.name, o.kind, r.as_stated, r.former,
		b.key, coalesce(b.position, 0), coalesce(b.paragraph, 0), b.kind, b.label, b.rev, b.text, s.slug, s.title, s.publisher, s.published,
		a.slug = ?
		FROM actor_roles r
		JOIN actors a ON a.id = r.actor_id
		LEFT JOIN actors o ON o.id = r.org_id
		JOIN blocks b ON b.id = r.block_id
		JOIN sources s ON s.id = b.source_id AND s.status = 'published'
		WHERE r.actor_id IN (SELECT id FROM actors WHERE slug = ?) OR r.org_id IN (SELECT id FROM actors WHERE slug = ?)
		ORDER BY r.former, a.name, r.id`, actorSlug, actorSlug, actorSlug)
	if err != nil {
		return nil, nil, fmt.Errorf("roles of %q: %w", actorSlug, err)
	}
	defer rows.Close()
	for rows.Next() {
		var r Role
		var org [3]sql.NullString
		var own bool
		if err := rows.Scan(&r.Actor.Slug, &r.Actor.Name, &r.Actor.Kind, &r.Title, &org[0], &org[1], &org[2], &r.AsStated, &r.Former,
			&r.Block.Key, &r.Block.Position, &r.Block.Paragraph, &r.Block.Kind, &r.Block.Label, &r.Block.Rev, &r.Block.Text,
			&r.Block.Source.Slug, &r.Block.Source.Title, &r.Block.Source.Publisher, &r.Block.Source.Published, &own); err != nil {
			return nil, nil, fmt.Errorf("roles of %q: %w", actorSlug, err)
		}
		r.Org = actorRef(org)
		if own {
			held = append(held, r)
		} else {
			within = append(within, r)
		}
	}
	return held, within, rows.Err()
}

// mentionWindow bounds the passages Mentions reads: every mention at the seed corpus's size,
// the most recently added beyond it.
const mentionWindow = 1000

// Mentions returns the passages that name an actor or one of its aliases, found through
// the full-text index, so the cost does not grow with the corpus the way a scan would.
func (s *Store) Mentions(ctx context.Context, a Actor, limit int) ([]BlockRef, error) {
	names := append([]string{a.Name}, a.Aliases...)
	var terms []string
	for _, n := range names {
		if t := ftsPhrase(n); t != "" {
			terms = append(terms, t)
		}
	}
	if len(terms) == 0 {
		return nil, nil
	}
	// The latest mentions by publication date, among the mentionWindow most recently
	// indexed: a name in tens of thousands of passages would otherwise have every one of
	// them read and sorted for a list of fifty.
	rows, err := s.query(ctx, `SELECT b.key, coalesce(b.position, 0), coalesce(b.paragraph, 0), b.kind, b.label, b.rev, b.text,
		so.slug, so.title, so.publisher, so.published
		FROM (SELECT ref FROM search WHERE search MATCH ? AND kind = 'block' ORDER BY rowid DESC LIMIT ?) m
		JOIN blocks b ON b.id = m.ref
		JOIN sources so ON so.id = b.source_id AND so.status = 'published'
		WHERE b.position IS NOT NULL
		ORDER BY so.published DESC, so.slug, b.position LIMIT ?`, "body:("+strings.Join(terms, " OR ")+")", mentionWindow, limit)
	if err != nil {
		return nil, fmt.Errorf("mentions of %q: %w", a.Slug, err)
	}
	defer rows.Close()
	var list []BlockRef
	for rows.Next() {
		var b BlockRef
		if err := rows.Scan(&b.Key, &b.Position, &b.Paragraph, &b.Kind, &b.Label, &b.Rev, &b.Text,
			&b.Source.Slug, &b.Source.Title, &b.Source.Publisher, &b.Source.Published); err != nil {
			return nil, fmt.Errorf("mentions of %q: %w", a.Slug, err)
		}
		list = append(list, b)
	}
	return list, rows.Err()
}

func actorRef(f [3]sql.NullString) *ActorRef {
	if !f[0].Valid {
		return nil
	}
	return &ActorRef{Slug: f[0].String, Name: f[1].String, Kind: f[2].String}
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

// CreateActor adds an actor and returns its slug.
func (s *Store) CreateActor(ctx context.Context, by *User, name, kind string, aliases []string) (string, error) {
	errs := FieldErrors{}
	name = strings.TrimSpace(name)
	if name == "" {
		errs["name"] = "an actor needs a name"
	}
	if !vocab.Has(vocab.ActorKinds, kind) {
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
		// The same name twice is two records of one actor, whose claims would then be split
		// between them: refuse it, and name the one to choose (or to give an alias).
		var have, haveName string
		err := tx.QueryRowContext(ctx, `SELECT slug, name FROM actors WHERE name = ?1 COLLATE NOCASE
			UNION ALL SELECT a.slug, a.name FROM actor_aliases al JOIN actors a ON a.id = al.actor_id WHERE al.alias = ?1 COLLATE NOCASE
			LIMIT 1`, name).Scan(&have, &haveName)
		switch {
		case err == nil:
			return FieldErrors{"name": fmt.Sprintf("%q is already an actor: %s (%s). Choose it from the list instead", name, haveName, have)}
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("create actor: %w", err)
		}
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
			`UPDATE claims SET reported_by = ?2 WHERE reported_by = ?1`,
			`UPDATE actor_roles SET actor_id = ?2 WHERE actor_id = ?1`,
			`UPDATE actor_roles SET org_id = ?2 WHERE org_id = ?1`,
			// The positions follow the claims; an editor's notes move where the other actor
			// has none on the issue, and are kept in the audit log where it has.
			`DELETE FROM position_notes WHERE actor_id = ?1 AND issue_id IN (SELECT issue_id FROM position_notes WHERE actor_id = ?2)`,
			`UPDATE position_notes SET actor_id = ?2 WHERE actor_id = ?1`,
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
