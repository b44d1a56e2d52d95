package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

const sourceColumns = `s.id, s.slug, s.title, s.subtitle, s.publisher, s.captured_from, s.published, s.url,
	s.retrieved, s.kind, s.language, s.notes, s.status,
	coalesce((SELECT group_concat(name, char(31)) FROM (SELECT name FROM source_authors WHERE source_id = s.id ORDER BY position)), ''),
	(SELECT count(*) FROM blocks WHERE source_id = s.id AND position IS NOT NULL),
	(SELECT count(*) FROM claims WHERE source_id = s.id)`

func scanSource(row interface{ Scan(...any) error }) (Source, error) {
	var s Source
	var authors string
	err := row.Scan(&s.ID, &s.Slug, &s.Title, &s.Subtitle, &s.Publisher, &s.CapturedFrom, &s.Published,
		&s.URL, &s.Retrieved, &s.Kind, &s.Language, &s.Notes, &s.Status, &authors, &s.Blocks, &s.Claims)
	if authors != "" {
		s.Authors = strings.Split(authors, "\x1f")
	}
	return s, err
}

// Sources lists the published sources, newest first; sources of unknown date come last.
func (s *Store) Sources(ctx context.Context) ([]Source, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+sourceColumns+` FROM sources s
		WHERE s.status = 'published' ORDER BY s.published = '', s.published DESC, s.title`)
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
	src, err := scanSource(s.read.QueryRowContext(ctx, `SELECT `+sourceColumns+` FROM sources s
		WHERE s.slug = ? AND s.status = 'published'`, slug))
	if errors.Is(err, sql.ErrNoRows) {
		return Source{}, nil, ErrNotFound
	}
	if err != nil {
		return Source{}, nil, fmt.Errorf("source %q: %w", slug, err)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT id, source_id, key, position, kind, label, rev, text
		FROM blocks WHERE source_id = ? AND position IS NOT NULL ORDER BY position`, src.ID)
	if err != nil {
		return Source{}, nil, fmt.Errorf("blocks of %q: %w", slug, err)
	}
	defer rows.Close()
	var blocks []Block
	for rows.Next() {
		var b Block
		if err := rows.Scan(&b.ID, &b.SourceID, &b.Key, &b.Position, &b.Kind, &b.Label, &b.Rev, &b.Text); err != nil {
			return Source{}, nil, fmt.Errorf("blocks of %q: %w", slug, err)
		}
		blocks = append(blocks, b)
	}
	return src, blocks, rows.Err()
}

// Stats counts the records in the knowledge base.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	err := s.read.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM sources WHERE status = 'published'),
		(SELECT count(*) FROM blocks WHERE position IS NOT NULL),
		(SELECT count(*) FROM actors),
		(SELECT count(*) FROM issues),
		(SELECT count(*) FROM claims),
		(SELECT count(*) FROM citations),
		(SELECT count(*) FROM positions),
		(SELECT count(*) FROM precedents),
		(SELECT count(*) FROM events),
		(SELECT count(*) FROM actor_roles)`).Scan(&st.Sources, &st.Blocks, &st.Actors, &st.Issues,
		&st.Claims, &st.Citations, &st.Positions, &st.Precedents, &st.Events, &st.Roles)
	if err != nil {
		return Stats{}, fmt.Errorf("stats: %w", err)
	}
	return st, nil
}
