// Export: reads of the whole published corpus at once (every current block, role and
// precedent mention), for the downloads and the feed that take it all.

package store

import (
	"context"
	"database/sql"
	"fmt"
)

// BlocksBySource returns the current text of every published source: its blocks in order,
// keyed by source id. One query for the whole corpus, for exports.
func (s *Store) BlocksBySource(ctx context.Context) (map[int64][]Block, error) {
	blocks, err := s.blocks(ctx, `position IS NOT NULL
		AND source_id IN (SELECT id FROM sources WHERE status = 'published')`)
	if err != nil {
		return nil, fmt.Errorf("current blocks: %w", err)
	}
	bySource := map[int64][]Block{}
	for _, b := range blocks {
		bySource[b.SourceID] = append(bySource[b.SourceID], b)
	}
	return bySource, nil
}

// AllRoles returns every role the published sources give an actor, with the passage that
// states it, in actor order.
func (s *Store) AllRoles(ctx context.Context) ([]Role, error) {
	rows, err := s.query(ctx, `SELECT a.slug, a.name, a.kind, r.title, o.slug, o.name, o.kind, r.as_stated, r.former,
		`+blockRefColumns+`
		FROM actor_roles r
		JOIN actors a ON a.id = r.actor_id
		LEFT JOIN actors o ON o.id = r.org_id
		JOIN blocks b ON b.id = r.block_id
		JOIN sources so ON so.id = b.source_id AND so.status = 'published'
		ORDER BY a.slug, r.former, r.id`)
	if err != nil {
		return nil, fmt.Errorf("roles: %w", err)
	}
	defer rows.Close()
	var list []Role
	for rows.Next() {
		var r Role
		var org [3]sql.NullString
		dest := append([]any{&r.Actor.Slug, &r.Actor.Name, &r.Actor.Kind, &r.Title, &org[0], &org[1], &org[2], &r.AsStated, &r.Former},
			blockRefDest(&r.Block)...)
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("roles: %w", err)
		}
		r.Org = actorRef(org)
		list = append(list, r)
	}
	return list, rows.Err()
}

// PrecedentMentions returns, for each precedent slug, the passages of published sources
// that mention it.
func (s *Store) PrecedentMentions(ctx context.Context) (map[string][]BlockRef, error) {
	rows, err := s.query(ctx, `SELECT p.slug, `+blockRefColumns+`
		FROM precedent_mentions m
		JOIN precedents p ON p.id = m.precedent_id
		JOIN blocks b ON b.id = m.block_id
		JOIN sources so ON so.id = b.source_id AND so.status = 'published'
		ORDER BY p.slug, so.published DESC, so.slug, b.position`)
	if err != nil {
		return nil, fmt.Errorf("precedent mentions: %w", err)
	}
	defer rows.Close()
	m := map[string][]BlockRef{}
	for rows.Next() {
		var slug string
		var b BlockRef
		if err := rows.Scan(append([]any{&slug}, blockRefDest(&b)...)...); err != nil {
			return nil, fmt.Errorf("precedent mentions: %w", err)
		}
		m[slug] = append(m[slug], b)
	}
	return m, rows.Err()
}
