// Search index: the FTS5 table's rows, one per searchable thing with its facet tags, and
// rewriting them when what they index changes.

package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// The search index is one FTS5 table; drafts are never in it. The store rewrites its rows
// itself whenever what they index changes, rather than through triggers: a block's row
// carries facet tags drawn from the claims citing it and the precedents it mentions, so
// adding a citation must rewrite the block's row too, and that is clearer done here,
// set-wise, than in a web of triggers.
//
// Rowids are id * 8 + a kind code, so a record's row is found without a scan.
const (
	kindBlock     = 1
	kindClaim     = 2
	kindActor     = 3
	kindPrecedent = 4
	kindIssue     = 5
	kindSource    = 6
)

// kindLast is the highest kind code, for loops over every kind.
const kindLast = kindSource

// yearTag is the facet tag of a date's year; an unknown date has its own tag.
const yearTag = `' y' || coalesce(nullif(substr(%s, 1, 4), ''), 'unknown')`

// publisherTag is the facet tag of a publisher: 'p' and the name without spaces. Punctuation
// splits it into several tokens, which a filter matches as a phrase built the same way.
const publisherTag = `' p' || coalesce(nullif(lower(replace(%s, ' ', '')), ''), 'unknown')`

// ftsPhrase quotes s as an FTS5 phrase: its words, with any double quote doubled, so no
// user- or editor-supplied text is ever read as query syntax.
func ftsPhrase(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// publisherPhrase is the FTS5 phrase that matches a publisher's tag.
func publisherPhrase(publisher string) string {
	p := strings.ToLower(strings.ReplaceAll(publisher, " ", ""))
	if p == "" {
		p = "unknown"
	}
	return ftsPhrase("p" + p)
}

var indexSQL = map[int]string{
	kindBlock: `SELECT b.id * 8 + 1, 'block', b.id, '', b.text,
		'kblock s' || b.source_id || ` + fmt.Sprintf(publisherTag, "so.publisher") + ` || ` + fmt.Sprintf(yearTag, "so.published") + `
		|| coalesce(' ' || (SELECT group_concat(DISTINCT 'a' || x) FROM (
			SELECT c.speaker_id AS x FROM citations ct JOIN claims c ON c.id = ct.claim_id WHERE ct.block_id = b.id
			UNION SELECT c.holder_id FROM citations ct JOIN claims c ON c.id = ct.claim_id WHERE ct.block_id = b.id) WHERE x IS NOT NULL), '')
		|| coalesce(' ' || (SELECT group_concat(DISTINCT 'i' || ci.issue_id) FROM citations ct
			JOIN claim_issues ci ON ci.claim_id = ct.claim_id WHERE ct.block_id = b.id), '')
		|| coalesce(' ' || (SELECT group_concat('r' || m.precedent_id, ' ') FROM precedent_mentions m WHERE m.block_id = b.id), '')
		FROM blocks b JOIN sources so ON so.id = b.source_id
		WHERE b.position IS NOT NULL AND so.status = 'published'`,
	kindClaim: `SELECT c.id * 8 + 2, 'claim', c.id, c.statement, '',
		'kclaim s' || c.source_id || ` + fmt.Sprintf(publisherTag, "so.publisher") + ` || ` + fmt.Sprintf(yearTag, "coalesce(nullif(c.said, ''), so.published)") + `
		|| coalesce(' a' || c.speaker_id, '') || coalesce(' a' || c.holder_id, '')
		|| coalesce(' ' || (SELECT group_concat('i' || ci.issue_id, ' ') FROM claim_issues ci WHERE ci.claim_id = c.id), '')
		|| coalesce(' ' || (SELECT group_concat(DISTINCT 'r' || m.precedent_id) FROM citations ct
			JOIN precedent_mentions m ON m.block_id = ct.block_id WHERE ct.claim_id = c.id), '')
		FROM claims c JOIN sources so ON so.id = c.source_id WHERE so.status = 'published'`,
	kindActor: `SELECT a.id * 8 + 3, 'actor', a.id, a.name,
		trim(a.description || ' ' || coalesce((SELECT group_concat(alias, ' ') FROM actor_aliases WHERE actor_id = a.id), '')),
		'kactor a' || a.id
		FROM actors a WHERE ` + actorPublic,
	kindPrecedent: `SELECT p.id * 8 + 4, 'precedent', p.id, p.name,
		trim(p.summary || ' ' || coalesce((SELECT group_concat(text, ' ') FROM precedent_facts WHERE precedent_id = p.id), '')),
		'kprecedent r' || p.id || ` + fmt.Sprintf(yearTag, "p.date_start") + `
		FROM precedents p WHERE 1 = 1`,
	kindIssue: `SELECT i.id * 8 + 5, 'issue', i.id, i.name, i.question || ' ' || i.proposition, 'kissue i' || i.id
		FROM issues i WHERE 1 = 1`,
	// A source is found by what a researcher remembers of it: its title and subtitle, its
	// publisher, its authors. Migration 00005 holds a copy of this statement, to index the
	// sources of a database made before it.
	kindSource: `SELECT so.id * 8 + 6, 'source', so.id, so.title,
		trim(so.subtitle || ' ' || so.publisher || ' ' || coalesce((SELECT group_concat(name, ' ') FROM
			(SELECT name FROM source_authors WHERE source_id = so.id ORDER BY position)), '')),
		'ksource s' || so.id || ` + fmt.Sprintf(publisherTag, "so.publisher") + ` || ` + fmt.Sprintf(yearTag, "so.published") + `
		FROM sources so WHERE so.status = 'published'`,
}

// idColumn names, for each kind, the column its ids are filtered on.
var idColumn = map[int]string{kindBlock: "b.id", kindClaim: "c.id", kindActor: "a.id", kindPrecedent: "p.id", kindIssue: "i.id", kindSource: "so.id"}

// reindexAll rebuilds the whole search index, as after loading a corpus.
func reindexAll(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM search`); err != nil {
		return fmt.Errorf("clear search index: %w", err)
	}
	for kind := kindBlock; kind <= kindLast; kind++ {
		if _, err := tx.ExecContext(ctx, `INSERT INTO search (rowid, kind, ref, title, body, tags) `+indexSQL[kind]); err != nil {
			return fmt.Errorf("index kind %d: %w", kind, err)
		}
	}
	// One segment instead of the dozen a bulk insert leaves: every term lookup, and so every
	// search, then reads one posting list rather than merging many (at 1000× the seed corpus,
	// finding a word's newest matches took 2.4 ms before, 1.5 ms after; a filtered search
	// 1.3 ms, then 0.3 ms). Later edits add small segments that FTS5's automerge folds in.
	if _, err := tx.ExecContext(ctx, `INSERT INTO search (search) VALUES ('optimize')`); err != nil {
		return fmt.Errorf("optimize search index: %w", err)
	}
	return nil
}

// reindex rewrites the search rows of the given records of one kind (removing rows of
// records that are gone or no longer indexed, such as removed blocks).
func reindex(ctx context.Context, tx *sql.Tx, kind int, ids ...int64) error {
	if len(ids) == 0 {
		return nil
	}
	list := idList(ids, func(id int64) int64 { return id })
	if _, err := tx.ExecContext(ctx, `DELETE FROM search WHERE rowid IN (SELECT value * 8 + ? FROM json_each(?))`, kind, list); err != nil {
		return fmt.Errorf("reindex kind %d: %w", kind, err)
	}
	q := `INSERT INTO search (rowid, kind, ref, title, body, tags) ` + indexSQL[kind] +
		` AND ` + idColumn[kind] + ` IN (SELECT value FROM json_each(?))`
	if _, err := tx.ExecContext(ctx, q, list); err != nil {
		return fmt.Errorf("reindex kind %d: %w", kind, err)
	}
	return nil
}

// reindexSource rewrites the search rows of a source, its blocks and its claims.
func reindexSource(ctx context.Context, tx *sql.Tx, sourceID int64) error {
	if err := reindex(ctx, tx, kindSource, sourceID); err != nil {
		return err
	}
	blocks, err := ids(ctx, tx, `SELECT id FROM blocks WHERE source_id = ?`, sourceID)
	if err != nil {
		return err
	}
	claims, err := ids(ctx, tx, `SELECT id FROM claims WHERE source_id = ?`, sourceID)
	if err != nil {
		return err
	}
	if err := reindex(ctx, tx, kindBlock, blocks...); err != nil {
		return err
	}
	if err := reindex(ctx, tx, kindClaim, claims...); err != nil {
		return err
	}
	// The actors the source's claims and roles name: publishing or unpublishing it can
	// make them public or not (actorPublic), and the index holds only the public ones.
	actors, err := ids(ctx, tx, `SELECT x FROM (
		SELECT speaker_id AS x FROM claims WHERE source_id = ?1 UNION SELECT holder_id FROM claims WHERE source_id = ?1
		UNION SELECT reported_by FROM claims WHERE source_id = ?1
		UNION SELECT r.actor_id FROM actor_roles r JOIN blocks b ON b.id = r.block_id WHERE b.source_id = ?1
		UNION SELECT r.org_id FROM actor_roles r JOIN blocks b ON b.id = r.block_id WHERE b.source_id = ?1) WHERE x IS NOT NULL`, sourceID)
	if err != nil {
		return err
	}
	return reindex(ctx, tx, kindActor, actors...)
}
