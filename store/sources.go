package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/sourcebook/sourcebook/store/corpus"
)

// Source is an article or document, as the knowledge base records it.
type Source struct {
	ID           int64
	Slug         string
	Title        string
	Subtitle     string
	Authors      []string // empty when the source names none
	Publisher    string   // "" when unknown
	CapturedFrom string
	Published    string // ISO date cut to its precision; "" when unknown
	URL          string
	Retrieved    string
	Kind         string
	Language     string
	Notes        string
	Status       string
	CreatedAt    string
	UpdatedAt    string
	TextVersion  int64 // the data version in which its text, or what annotates it, last changed
	Blocks       int   // how many blocks the current text has
	Claims       int
}

// PublishedPrecision is day, month, year or unknown.
func (s Source) PublishedPrecision() string { return Precision(s.Published) }

// SourceRef names a source briefly, for links.
type SourceRef struct {
	Slug, Title, Publisher, Published string
}

// Stats counts what the knowledge base holds.
type Stats struct {
	Sources, Blocks, Actors, Issues, Claims, Citations, Positions, Precedents, Events, Roles int
	Drafts                                                                                   int // sources not published, not counted in Sources
}

// Precision names the precision of an ISO date cut short: day, month, year or unknown.
func Precision(date string) string { return corpus.DatePrecision(date) }

const sourceColumns = `s.id, s.slug, s.title, s.subtitle, s.publisher, s.captured_from, s.published, s.url,
	s.retrieved, s.kind, s.language, s.notes, s.status, s.created_at, s.updated_at, s.text_version,
	coalesce((SELECT group_concat(name, char(31)) FROM (SELECT name FROM source_authors WHERE source_id = s.id ORDER BY position)), ''),
	(SELECT count(*) FROM blocks WHERE source_id = s.id AND position IS NOT NULL),
	(SELECT count(*) FROM claims WHERE source_id = s.id)`

func scanSource(row interface{ Scan(...any) error }) (Source, error) {
	var s Source
	var authors string
	err := row.Scan(&s.ID, &s.Slug, &s.Title, &s.Subtitle, &s.Publisher, &s.CapturedFrom, &s.Published,
		&s.URL, &s.Retrieved, &s.Kind, &s.Language, &s.Notes, &s.Status, &s.CreatedAt, &s.UpdatedAt, &s.TextVersion, &authors, &s.Blocks, &s.Claims)
	if authors != "" {
		s.Authors = strings.Split(authors, "\x1f")
	}
	return s, err
}

// SourceOrders are the orders Sources can list in.
var SourceOrders = map[string]string{
	"date":      `s.published = '', s.published DESC, s.title, s.id`, // unknown dates last; id: pages neither repeat nor skip
	"publisher": `s.publisher = '', s.publisher COLLATE NOCASE, s.published DESC, s.title`,
	"title":     `s.title COLLATE NOCASE`,
}

// Sources lists the published sources in the given order (a key of SourceOrders; date when
// unknown).
func (s *Store) Sources(ctx context.Context, order string) ([]Source, error) {
	by, ok := SourceOrders[order]
	if !ok {
		by = SourceOrders["date"]
	}
	return s.querySources(ctx, `WHERE s.status = 'published' ORDER BY `+by)
}

// SourcePage returns a page of the published sources, newest first, and how many there are.
func (s *Store) SourcePage(ctx context.Context, p Page) ([]Source, int, error) {
	clause, args := p.clause()
	return paged(ctx, s, "sources", func() ([]Source, error) {
		return s.querySources(ctx, `WHERE s.status = 'published' ORDER BY `+SourceOrders["date"]+clause, args...)
	}, `SELECT count(*) FROM sources WHERE status = 'published'`)
}

// LatestSources returns the n most recently published sources, newest first.
func (s *Store) LatestSources(ctx context.Context, n int) ([]Source, error) {
	return s.querySources(ctx, `WHERE s.status = 'published' ORDER BY `+SourceOrders["date"]+` LIMIT ?`, n)
}

// querySources lists the sources a WHERE and ORDER BY clause selects.
func (s *Store) querySources(ctx context.Context, clauses string, args ...any) ([]Source, error) {
	rows, err := s.query(ctx, `SELECT `+sourceColumns+` FROM sources s `+clauses, args...)
	if err != nil {
		return nil, fmt.Errorf("list sources: %w", err)
	}
	defer rows.Close()
	var list []Source
	for rows.Next() {
		src, err := scanSource(rows)
		if err != nil {
			return nil, fmt.Errorf("list sources: %w", err)
		}
		list = append(list, src)
	}
	return list, rows.Err()
}

// Source returns one published source by slug, with its current blocks in order.
func (s *Store) Source(ctx context.Context, slug string) (Source, []Block, error) {
	src, err := s.SourceRecord(ctx, slug)
	if err != nil {
		return Source{}, nil, err
	}
	blocks, err := s.SourceBlocks(ctx, src)
	if err != nil {
		return Source{}, nil, err
	}
	return src, blocks, nil
}

// SourceRecord returns one published source by slug, without its text.
func (s *Store) SourceRecord(ctx context.Context, slug string) (Source, error) {
	src, err := scanSource(s.queryRow(ctx, `SELECT `+sourceColumns+` FROM sources s
		WHERE s.slug = ? AND s.status = 'published'`, slug))
	if errors.Is(err, sql.ErrNoRows) {
		return Source{}, ErrNotFound
	}
	if err != nil {
		return Source{}, fmt.Errorf("source %q: %w", slug, err)
	}
	return src, nil
}

// SourceBlocks returns the blocks of a source's current text, in order.
func (s *Store) SourceBlocks(ctx context.Context, src Source) ([]Block, error) {
	blocks, err := s.blocks(ctx, `source_id = ? AND position IS NOT NULL`, src.ID)
	if err != nil {
		return nil, fmt.Errorf("blocks of %q: %w", src.Slug, err)
	}
	return blocks, nil
}

func (s *Store) blocks(ctx context.Context, where string, args ...any) ([]Block, error) {
	rows, err := s.query(ctx, `SELECT id, source_id, key, coalesce(position, 0), kind, label, rev, text, coalesce(paragraph, 0)
		FROM blocks WHERE `+where+` ORDER BY position`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var blocks []Block
	for rows.Next() {
		var b Block
		if err := rows.Scan(&b.ID, &b.SourceID, &b.Key, &b.Position, &b.Kind, &b.Label, &b.Rev, &b.Text, &b.Paragraph); err != nil {
			return nil, err
		}
		blocks = append(blocks, b)
	}
	return blocks, rows.Err()
}

// SourceClaims returns the claims of a source for its page, which lists each under the
// passages it cites: slug, statement, speaker and stances, with the source's own authors
// standing in for a missing speaker. It reads nothing else (no holder, no citations, no
// source columns, no order), since the general Claims query cost the page a third of its
// time; claims come in the order they were added.
func (s *Store) SourceClaims(ctx context.Context, src Source) ([]Claim, error) {
	rows, err := s.query(ctx, `SELECT c.id, c.slug, c.statement, sp.slug, sp.name, sp.kind
		FROM claims c LEFT JOIN actors sp ON sp.id = c.speaker_id
		WHERE c.source_id = ? ORDER BY c.id`, src.ID)
	if err != nil {
		return nil, fmt.Errorf("claims of source %q: %w", src.Slug, err)
	}
	defer rows.Close()
	var list []Claim
	byID := map[int64]int{}
	ref := SourceRef{Slug: src.Slug, Title: src.Title, Publisher: src.Publisher, Published: src.Published}
	for rows.Next() {
		c := Claim{Source: ref, Authors: src.Authors}
		var sp [3]sql.NullString
		if err := rows.Scan(&c.ID, &c.Slug, &c.Statement, &sp[0], &sp[1], &sp[2]); err != nil {
			return nil, fmt.Errorf("claims of source %q: %w", src.Slug, err)
		}
		c.Speaker = actorRef(sp)
		byID[c.ID] = len(list)
		list = append(list, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("claims of source %q: %w", src.Slug, err)
	}
	rows, err = s.query(ctx, `SELECT ci.claim_id, i.slug, i.name, ci.stance
		FROM claims c JOIN claim_issues ci ON ci.claim_id = c.id JOIN issues i ON i.id = ci.issue_id
		WHERE c.source_id = ? ORDER BY i.position`, src.ID)
	if err != nil {
		return nil, fmt.Errorf("stances of source %q: %w", src.Slug, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var st Stance
		if err := rows.Scan(&id, &st.Issue.Slug, &st.Issue.Name, &st.Stance); err != nil {
			return nil, fmt.Errorf("stances of source %q: %w", src.Slug, err)
		}
		c := &list[byID[id]]
		c.Stances = append(c.Stances, st)
	}
	return list, rows.Err()
}

// Passage is one block shown at one of its revisions, in context, with what cites it.
type Passage struct {
	Source     Source
	Block      Block      // the block as it is now
	Shown      Revision   // the revision shown: the one asked for, or the current one
	Revisions  []Revision // every revision, oldest first
	Before     []Block    // neighbouring blocks of the current text
	After      []Block
	Claims     []Claim
	Precedents []PrecedentRef
}

// Revised reports whether the shown revision is not the current text.
func (p Passage) Revised() bool { return p.Shown.Rev != p.Block.Rev }

// contextBlocks is how many blocks either side a passage shows.
const contextBlocks = 2

// Passage returns a block of a published source at revision rev (0: the current one).
func (s *Store) Passage(ctx context.Context, sourceSlug, key string, rev int) (Passage, error) {
	var p Passage
	src, err := scanSource(s.queryRow(ctx, `SELECT `+sourceColumns+` FROM sources s
		WHERE s.slug = ? AND s.status = 'published'`, sourceSlug))
	if errors.Is(err, sql.ErrNoRows) {
		return Passage{}, ErrNotFound
	}
	if err != nil {
		return Passage{}, fmt.Errorf("passage %s/%s: %w", sourceSlug, key, err)
	}
	p.Source = src
	blocks, err := s.blocks(ctx, `source_id = ? AND key = ?`, src.ID, key)
	if err != nil {
		return Passage{}, fmt.Errorf("passage %s/%s: %w", sourceSlug, key, err)
	}
	if len(blocks) == 0 {
		return Passage{}, ErrNotFound
	}
	p.Block = blocks[0]

	rows, err := s.query(ctx, `SELECT rev, text, created_at, coalesce(paragraph, 0) FROM block_revisions WHERE block_id = ? ORDER BY rev`, p.Block.ID)
	if err != nil {
		return Passage{}, fmt.Errorf("revisions of %s/%s: %w", sourceSlug, key, err)
	}
	defer rows.Close()
	for rows.Next() {
		var r Revision
		if err := rows.Scan(&r.Rev, &r.Text, &r.CreatedAt, &r.Paragraph); err != nil {
			return Passage{}, fmt.Errorf("revisions of %s/%s: %w", sourceSlug, key, err)
		}
		p.Revisions = append(p.Revisions, r)
		if r.Rev == rev || (rev == 0 && r.Rev == p.Block.Rev) {
			p.Shown = r
		}
	}
	if err := rows.Err(); err != nil {
		return Passage{}, fmt.Errorf("revisions of %s/%s: %w", sourceSlug, key, err)
	}
	if p.Shown.Rev == 0 {
		return Passage{}, ErrNotFound // no such revision
	}
	if p.Block.Position > 0 {
		near, err := s.blocks(ctx, `source_id = ? AND position BETWEEN ? AND ? AND id <> ?`,
			src.ID, p.Block.Position-contextBlocks, p.Block.Position+contextBlocks, p.Block.ID)
		if err != nil {
			return Passage{}, fmt.Errorf("context of %s/%s: %w", sourceSlug, key, err)
		}
		for _, b := range near {
			if b.Position < p.Block.Position {
				p.Before = append(p.Before, b)
			} else {
				p.After = append(p.After, b)
			}
		}
	}
	if p.Claims, err = s.Claims(ctx, ClaimFilter{Block: p.Block.ID}); err != nil {
		return Passage{}, err
	}
	if p.Precedents, err = s.precedentsMentionedIn(ctx, p.Block.ID); err != nil {
		return Passage{}, err
	}
	return p, nil
}

// Stats counts the records in the knowledge base.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	return memoized(ctx, s, "stats", s.countRecords)
}

func (s *Store) countRecords(ctx context.Context) (Stats, error) {
	var st Stats
	err := s.queryRow(ctx, `SELECT
		(SELECT count(*) FROM sources WHERE status = 'published'),
		(SELECT count(*) FROM blocks WHERE position IS NOT NULL),
		(SELECT count(*) FROM actors),
		(SELECT count(*) FROM issues),
		(SELECT count(*) FROM claims),
		(SELECT count(*) FROM citations),
		(SELECT count(*) FROM positions),
		(SELECT count(*) FROM precedents),
		(SELECT count(*) FROM events),
		(SELECT count(*) FROM actor_roles),
		(SELECT count(*) FROM sources WHERE status <> 'published')`).Scan(&st.Sources, &st.Blocks, &st.Actors, &st.Issues,
		&st.Claims, &st.Citations, &st.Positions, &st.Precedents, &st.Events, &st.Roles, &st.Drafts)
	if err != nil {
		return Stats{}, fmt.Errorf("stats: %w", err)
	}
	return st, nil
}
