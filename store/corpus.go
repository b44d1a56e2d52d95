// Corpus: loading the seed corpus into a new database, and the digest that says which corpus
// seeded it.

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sourcebook/sourcebook/store/corpus"
	"github.com/sourcebook/sourcebook/store/selector"
)

// ErrCorpusMismatch reports that the database was seeded from a different version of the
// corpus than the one offered; the database is left as it is.
var ErrCorpusMismatch = errors.New("database was seeded from a different corpus")

// LoadCorpus loads a validated corpus into the database in one transaction. A database that
// already holds a corpus is left untouched: loading is for first start, and loading again
// changes nothing. It reports whether it loaded anything.
func (s *Store) LoadCorpus(ctx context.Context, c *corpus.Corpus) (loaded bool, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var digest string
		err := tx.QueryRowContext(ctx, `SELECT digest FROM corpus_loads ORDER BY loaded_at DESC LIMIT 1`).Scan(&digest)
		switch {
		case err == nil && digest == c.Digest:
			return errNoChange
		case err == nil:
			return fmt.Errorf("%w (loaded %.12s, offered %.12s)", ErrCorpusMismatch, digest, c.Digest)
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("read corpus loads: %w", err)
		}
		l := loader{ctx: ctx, tx: tx, actors: map[string]int64{}, issues: map[string]int64{},
			precedents: map[string]int64{}, blocks: map[string]int64{}}
		if err := l.load(c); err != nil {
			return err
		}
		// One load, one time: rows stamped by the second they happened to be written in
		// would order the feed by how long the load took.
		now := time.Now().UTC().Format("2006-01-02T15:04:05Z")
		for _, q := range []string{`UPDATE sources SET created_at = ?1, updated_at = ?1`,
			`UPDATE claims SET created_at = ?1, updated_at = ?1`, `UPDATE block_revisions SET created_at = ?1`} {
			if _, err := tx.ExecContext(ctx, q, now); err != nil {
				return fmt.Errorf("stamp the load: %w", err)
			}
		}
		if err := recordFirstEditions(ctx, tx); err != nil {
			return err
		}
		if err := reindexAll(ctx, tx); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO corpus_loads (digest) VALUES (?)`, c.Digest); err != nil {
			return fmt.Errorf("record corpus load: %w", err)
		}
		loaded = true
		return nil
	})
	return loaded, err
}

type loader struct {
	ctx                        context.Context
	tx                         *sql.Tx
	actors, issues, precedents map[string]int64
	blocks                     map[string]int64 // "source/key" → id
	blockText                  map[int64]string
}

func (l *loader) exec(query string, args ...any) (int64, error) {
	res, err := l.tx.ExecContext(l.ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

func (l *loader) load(c *corpus.Corpus) error {
	l.blockText = map[int64]string{}
	for _, a := range c.Actors {
		id, err := l.exec(`INSERT INTO actors (slug, name, kind, description) VALUES (?, ?, ?, ?)`,
			a.ID, a.Name, a.Kind, a.Description)
		if err != nil {
			return fmt.Errorf("actor %s: %w", a.ID, err)
		}
		l.actors[a.ID] = id
		for _, alias := range a.Aliases {
			if _, err := l.exec(`INSERT OR IGNORE INTO actor_aliases (actor_id, alias) VALUES (?, ?)`, id, alias); err != nil {
				return fmt.Errorf("actor %s alias %q: %w", a.ID, alias, err)
			}
		}
	}
	for i, is := range c.Issues {
		id, err := l.exec(`INSERT INTO issues (slug, name, question, proposition, position) VALUES (?, ?, ?, ?, ?)`,
			is.ID, is.Name, is.Question, is.Proposition, i+1)
		if err != nil {
			return fmt.Errorf("issue %s: %w", is.ID, err)
		}
		l.issues[is.ID] = id
		for _, old := range is.Replaces {
			if _, err := l.exec(`INSERT INTO issue_aliases (slug, issue_id) VALUES (?, ?)`, old, id); err != nil {
				return fmt.Errorf("issue %s replacing %s: %w", is.ID, old, err)
			}
		}
	}
	for _, p := range c.Precedents {
		kind := p.Kind
		if kind == "" {
			kind = "precedent"
		}
		id, err := l.exec(`INSERT INTO precedents (slug, name, kind, date_start, date_end, summary) VALUES (?, ?, ?, ?, ?, ?)`,
			p.ID, p.Name, kind, p.DateStart, p.DateEnd, p.Summary)
		if err != nil {
			return fmt.Errorf("precedent %s: %w", p.ID, err)
		}
		l.precedents[p.ID] = id
	}
	for _, src := range c.Sources {
		if err := l.source(src); err != nil {
			return fmt.Errorf("source %s: %w", src.Slug, err)
		}
	}
	for _, p := range c.Precedents {
		for _, f := range p.Facts {
			if _, err := l.exec(`INSERT INTO precedent_facts (precedent_id, aspect, code, text, block_id) VALUES (?, ?, ?, ?, ?)`,
				l.precedents[p.ID], f.Aspect, f.Code, f.Text, l.blocks[f.Source+"/"+f.Block]); err != nil {
				return fmt.Errorf("precedent %s fact: %w", p.ID, err)
			}
		}
	}
	// A position's stance comes from its claims; the file adds only an editor's words.
	for _, p := range c.Positions {
		var stance any
		var reason string
		if p.Override != nil {
			stance, reason = p.Override.Stance, p.Override.Reason
		}
		if _, err := l.exec(`INSERT INTO position_notes (actor_id, issue_id, summary, override_stance, override_reason) VALUES (?, ?, ?, ?, ?)`,
			l.actors[p.Actor], l.issues[p.Issue], strings.TrimSpace(p.Summary), stance, reason); err != nil {
			return fmt.Errorf("position %s/%s: %w", p.Actor, p.Issue, err)
		}
	}
	return nil
}

func (l *loader) source(src corpus.Source) error {
	sid, err := l.exec(`INSERT INTO sources (slug, title, subtitle, publisher, captured_from, published, url,
		retrieved, kind, language, notes, seed, text_digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		src.Slug, src.Title, src.Subtitle, src.Publisher, src.CapturedFrom, src.Published, src.URL,
		src.Retrieved, src.Kind, src.Language, strings.TrimSpace(src.Notes), src.Seed, TextDigest(src.Blocks))
	if err != nil {
		return err
	}
	for i, name := range src.Authors {
		if _, err := l.exec(`INSERT INTO source_authors (source_id, position, name) VALUES (?, ?, ?)`, sid, i+1, name); err != nil {
			return fmt.Errorf("author %q: %w", name, err)
		}
	}
	paras := paragraphNumbers(src.Blocks)
	for i, b := range src.Blocks {
		id, err := l.exec(`INSERT INTO blocks (source_id, key, position, kind, label, rev, text, paragraph) VALUES (?, ?, ?, ?, ?, 1, ?, ?)`,
			sid, b.Key, i+1, b.Kind, b.Label, b.Text, nullNumber(paras[i]))
		if err != nil {
			return fmt.Errorf("block %s: %w", b.Key, err)
		}
		if _, err := l.exec(`INSERT INTO block_revisions (block_id, rev, text, paragraph) VALUES (?, 1, ?, ?)`, id, b.Text, nullNumber(paras[i])); err != nil {
			return fmt.Errorf("block %s revision: %w", b.Key, err)
		}
		l.blocks[src.Slug+"/"+b.Key] = id
		l.blockText[id] = b.Text
	}
	block := func(key string) int64 { return l.blocks[src.Slug+"/"+key] }

	for _, r := range src.Roles {
		var org any
		if r.Org != "" {
			org = l.actors[r.Org]
		}
		if _, err := l.exec(`INSERT INTO actor_roles (actor_id, title, org_id, as_stated, former, block_id) VALUES (?, ?, ?, ?, ?, ?)`,
			l.actors[r.Actor], r.Title, org, r.AsStated, r.Former, block(r.Block)); err != nil {
			return fmt.Errorf("role of %s: %w", r.Actor, err)
		}
	}
	for _, c := range src.Claims {
		if err := l.claim(sid, c, block); err != nil {
			return fmt.Errorf("claim %s: %w", c.ID, err)
		}
	}
	for _, m := range src.Mentions {
		for _, k := range m.Blocks {
			if _, err := l.exec(`INSERT OR IGNORE INTO precedent_mentions (precedent_id, block_id) VALUES (?, ?)`,
				l.precedents[m.Precedent], block(k)); err != nil {
				return fmt.Errorf("precedent %s mention: %w", m.Precedent, err)
			}
		}
	}
	for _, e := range src.Events {
		var prec any
		if e.Precedent != "" {
			prec = l.precedents[e.Precedent]
		}
		if _, err := l.exec(`INSERT INTO events (date, title, block_id, precedent_id) VALUES (?, ?, ?, ?)`,
			e.Date, e.Title, block(e.Block), prec); err != nil {
			return fmt.Errorf("event %q: %w", e.Title, err)
		}
	}
	return nil
}

func (l *loader) claim(sourceID int64, c corpus.Claim, block func(string) int64) error {
	var speaker, holder any
	if c.Speaker != corpus.AuthorSpeaker {
		speaker = l.actors[c.Speaker]
	}
	if c.Holder != "" {
		holder = l.actors[c.Holder]
	}
	var reporter any
	if c.ReportedBy != "" {
		reporter = l.actors[c.ReportedBy]
	}
	id, err := l.exec(`INSERT INTO claims (slug, source_id, statement, speaker_id, holder_id, kind, evidence, reported_by, said)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, sourceID, c.Statement, speaker, holder, c.Kind, c.Evidence, reporter, c.Said)
	if err != nil {
		return err
	}
	for issue, stance := range c.Issues {
		if _, err := l.exec(`INSERT INTO claim_issues (claim_id, issue_id, stance) VALUES (?, ?, ?)`, id, l.issues[issue], stance); err != nil {
			return fmt.Errorf("issue %s: %w", issue, err)
		}
	}
	for _, q := range c.Cite {
		bid := block(q.Block)
		a, ok := selector.Find(l.blockText[bid], q.Quote, max(q.Occurrence, 1))
		if !ok { // corpus.Read has checked every quote; this guards a caller that skipped it
			return fmt.Errorf("quote %q is not in block %s", q.Quote, q.Block)
		}
		if _, err := l.exec(`INSERT INTO citations (claim_id, block_id, block_rev, start, end, exact, prefix, suffix)
			VALUES (?, ?, 1, ?, ?, ?, ?, ?)`, id, bid, a.Start, a.End, a.Exact, a.Prefix, a.Suffix); err != nil {
			return fmt.Errorf("citation of %s: %w", q.Block, err)
		}
	}
	return nil
}

// CorpusDigest returns the digest of the corpus the database was seeded from, or "".
func (s *Store) CorpusDigest(ctx context.Context) (string, error) {
	var d string
	err := s.queryRow(ctx, `SELECT digest FROM corpus_loads ORDER BY loaded_at DESC LIMIT 1`).Scan(&d)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("corpus digest: %w", err)
	}
	return d, nil
}
