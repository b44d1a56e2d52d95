// Sources: articles and documents and their metadata; listing and reading them, and
// creating, publishing and revising them as an editor.

package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/sourcebook/sourcebook/store/corpus"
	"github.com/sourcebook/sourcebook/store/vocab"
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

// SourceWithBlocks returns one published source by slug, with its current blocks in order.
func (s *Store) SourceWithBlocks(ctx context.Context, slug string) (Source, []Block, error) {
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

// sourceClaims returns the claims of a source for its page, which lists each under the
// passages it cites: slug, statement, speaker, holder, evidence grade and stances, with the
// source's own authors standing in for a missing speaker. It reads nothing else (no citations, no
// source columns, no order), since the general Claims query cost the page a third of its
// time; claims come in the order they were added.
func (s *Store) sourceClaims(ctx context.Context, src Source) ([]Claim, error) {
	rows, err := s.query(ctx, `SELECT c.id, c.slug, c.statement, c.evidence, sp.slug, sp.name, sp.kind, ho.slug, ho.name, ho.kind
		FROM claims c LEFT JOIN actors sp ON sp.id = c.speaker_id LEFT JOIN actors ho ON ho.id = c.holder_id
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
		var sp, ho [3]sql.NullString
		if err := rows.Scan(&c.ID, &c.Slug, &c.Statement, &c.Evidence, &sp[0], &sp[1], &sp[2], &ho[0], &ho[1], &ho[2]); err != nil {
			return nil, fmt.Errorf("claims of source %q: %w", src.Slug, err)
		}
		c.Speaker, c.Holder = actorRef(sp), actorRef(ho)
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

// TextBlock is one block of a source's text as its page shows it: the spans cited in its
// current text, and the claims citing any revision of it.
type TextBlock struct {
	Block  Block
	Spans  []Span
	Claims []Claim
}

// SourceText returns a source's blocks, each with the spans cited in its current text and
// the claims that cite it: everything of a source page that its TextVersion stands for.
func (s *Store) SourceText(ctx context.Context, src Source) ([]TextBlock, error) {
	blocks, err := s.SourceBlocks(ctx, src)
	if err != nil {
		return nil, err
	}
	cites, err := s.sourceCitations(ctx, src.ID)
	if err != nil {
		return nil, err
	}
	claims, err := s.sourceClaims(ctx, src)
	if err != nil {
		return nil, err
	}
	claim := make(map[string]*Claim, len(claims))
	for i := range claims {
		claim[claims[i].Slug] = &claims[i]
	}
	// Each block lists the claims citing it once, in the order their quotes start in it
	// (citations come in text order), and marks the spans cited in its current text.
	byBlock := map[string][]Claim{}
	listed := map[[2]string]bool{} // block key, claim slug
	spans := map[string][]Span{}
	for _, ct := range cites {
		c := claim[ct.Claim]
		if c == nil {
			continue // not reached: a claim cites only its own source (the loader and editors check)
		}
		if k := [2]string{ct.Block.Key, ct.Claim}; !listed[k] {
			listed[k] = true
			byBlock[ct.Block.Key] = append(byBlock[ct.Block.Key], *c)
		}
		if ct.Status == "anchored" && ct.Block.Rev == ct.Current {
			spans[ct.Block.Key] = append(spans[ct.Block.Key], c.Span(ct))
		}
	}
	text := make([]TextBlock, len(blocks))
	for i, b := range blocks {
		text[i] = TextBlock{Block: b, Spans: spans[b.Key], Claims: byBlock[b.Key]}
	}
	return text, nil
}

// SourceInput is a source as an editor writes it.
type SourceInput struct {
	Title, Subtitle, Publisher, CapturedFrom, Published, URL, Retrieved, Kind, Language, Notes string
	Authors                                                                                    []string
	Blocks                                                                                     []corpus.Block // Key empty for a new block
}

// Validate checks a source the way the corpus checker does, by the same rules: unknown
// values stay empty, dates carry their precision, every block has text.
func (in SourceInput) Validate() FieldErrors {
	errs := FieldErrors{}
	if strings.TrimSpace(in.Title) == "" {
		errs["title"] = "a source needs its title"
	}
	for name, d := range map[string]string{"published": in.Published, "retrieved": in.Retrieved} {
		if d != "" && !corpus.ValidDate(d) {
			errs[name] = fmt.Sprintf("%q is not a date: write YYYY-MM-DD, YYYY-MM or YYYY, or leave it empty if the source does not say", d)
		}
	}
	if !vocab.Has(vocab.SourceKinds, in.Kind) {
		errs["kind"] = "choose what kind of source this is"
	}
	if in.URL != "" && !strings.HasPrefix(in.URL, "https://") && !strings.HasPrefix(in.URL, "http://") {
		errs["url"] = "the original URL starts with https:// or http://"
	}
	if len(in.Blocks) == 0 {
		errs["text"] = "the source has no text"
	}
	for i, b := range in.Blocks {
		if msg := textProblem(b.Text, true); msg != "" {
			errs["text"] = fmt.Sprintf("in block %d of the text, %s", i+1, msg)
		}
		if !vocab.Has(vocab.BlockKinds, b.Kind) {
			errs["text"] = fmt.Sprintf("block %d has an unknown kind %q", i+1, b.Kind)
		}
	}
	for field, v := range map[string]string{"title": in.Title, "subtitle": in.Subtitle, "publisher": in.Publisher,
		"captured_from": in.CapturedFrom, "published": in.Published, "url": in.URL, "retrieved": in.Retrieved,
		"kind": in.Kind, "language": in.Language} {
		cleanText(errs, field, v, false)
	}
	cleanText(errs, "notes", in.Notes, true)
	for _, a := range in.Authors {
		cleanText(errs, "authors", a, false)
	}
	return errs
}

// TextDigest identifies a text regardless of whitespace and case, to notice duplicates.
func TextDigest(blocks []corpus.Block) string {
	h := sha256.New()
	for _, b := range blocks {
		h.Write([]byte(strings.ToLower(strings.Join(strings.Fields(b.Text), " "))))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// CreateSource saves a new source as a draft and returns its slug.
func (s *Store) CreateSource(ctx context.Context, by *User, in SourceInput) (string, error) {
	if err := in.Validate().orNil(); err != nil {
		return "", err
	}
	var slug string
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if slug, err = uniqueSlug(ctx, tx, "sources", slugify(in.Title)); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO sources (slug, title, subtitle, publisher, captured_from, published, url,
			retrieved, kind, language, notes, status, text_digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?)`,
			slug, strings.TrimSpace(in.Title), in.Subtitle, in.Publisher, in.CapturedFrom, in.Published, in.URL,
			in.Retrieved, in.Kind, orDefault(in.Language, "en"), in.Notes, TextDigest(in.Blocks))
		if err != nil {
			return fmt.Errorf("create source: %w", err)
		}
		id, _ := res.LastInsertId()
		if err := setAuthors(ctx, tx, id, in.Authors); err != nil {
			return err
		}
		used := map[string]bool{}
		paras := paragraphNumbers(in.Blocks)
		for i, b := range in.Blocks {
			key := corpus.NewKey(slug, b.Text, used)
			if _, err := insertBlock(ctx, tx, id, key, i+1, paras[i], b); err != nil {
				return err
			}
		}
		if err := recordEdition(ctx, tx, id); err != nil {
			return err
		}
		return audit(ctx, tx, by, "source.create", "source/"+slug, fmt.Sprintf("draft with %d blocks", len(in.Blocks)))
	})
	return slug, err
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func setAuthors(ctx context.Context, tx *sql.Tx, sourceID int64, authors []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM source_authors WHERE source_id = ?`, sourceID); err != nil {
		return fmt.Errorf("authors: %w", err)
	}
	n := 0
	for _, a := range authors {
		if a = strings.TrimSpace(a); a != "" {
			n++
			if _, err := tx.ExecContext(ctx, `INSERT INTO source_authors (source_id, position, name) VALUES (?, ?, ?)`, sourceID, n, a); err != nil {
				return fmt.Errorf("authors: %w", err)
			}
		}
	}
	return nil
}

// SourceOrDraft returns a source, draft or published, with its blocks.
func (s *Store) SourceOrDraft(ctx context.Context, slug string) (Source, []Block, error) {
	src, err := scanSource(s.queryRow(ctx, `SELECT `+sourceColumns+` FROM sources s WHERE s.slug = ?`, slug))
	if errors.Is(err, sql.ErrNoRows) {
		return Source{}, nil, ErrNotFound
	}
	if err != nil {
		return Source{}, nil, fmt.Errorf("source %q: %w", slug, err)
	}
	blocks, err := s.blocks(ctx, `source_id = ? AND position IS NOT NULL`, src.ID)
	if err != nil {
		return Source{}, nil, fmt.Errorf("blocks of %q: %w", slug, err)
	}
	return src, blocks, nil
}

// SourcesAndDrafts lists every source, drafts included, newest change first.
func (s *Store) SourcesAndDrafts(ctx context.Context) ([]Source, error) {
	return s.querySources(ctx, `ORDER BY s.status = 'published', s.updated_at DESC, s.title`)
}

// SetPublished publishes a draft or takes a source back to draft. Drafts are invisible on
// the public side: pages, API, search, feeds and the sitemap.
func (s *Store) SetPublished(ctx context.Context, by *User, slug string, published bool) error {
	status := "draft"
	if published {
		status = "published"
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM sources WHERE slug = ?`, slug).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("publish %s: %w", slug, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sources SET status = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?`, status, id); err != nil {
			return fmt.Errorf("publish %s: %w", slug, err)
		}
		if err := reindexSource(ctx, tx, id); err != nil {
			return err
		}
		return audit(ctx, tx, by, "source."+map[bool]string{true: "publish", false: "unpublish"}[published], "source/"+slug, "")
	})
}

// ReviseSource replaces a source's metadata and text. Blocks that keep their key keep their
// identity (a changed text becomes a new revision); blocks without a key whose text is
// unchanged find their old key again; the rest are new. Blocks left out are removed from the
// text but kept, so their permalinks still resolve. Every citation of a changed or removed
// block is found again by its W3C selectors, in its block or elsewhere in the source, or
// flagged for an editor, never dropped or moved silently onto different words.
func (s *Store) ReviseSource(ctx context.Context, by *User, slug string, in SourceInput) (Reanchoring, error) {
	var rep Reanchoring
	if err := in.Validate().orNil(); err != nil {
		return rep, err
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var sourceID int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM sources WHERE slug = ?`, slug).Scan(&sourceID)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("revise %s: %w", slug, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sources SET title = ?, subtitle = ?, publisher = ?, captured_from = ?,
			published = ?, url = ?, retrieved = ?, kind = ?, language = ?, notes = ?, text_digest = ?,
			updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?`,
			strings.TrimSpace(in.Title), in.Subtitle, in.Publisher, in.CapturedFrom, in.Published, in.URL, in.Retrieved,
			in.Kind, orDefault(in.Language, "en"), in.Notes, TextDigest(in.Blocks), sourceID); err != nil {
			return fmt.Errorf("revise %s: %w", slug, err)
		}
		if err := setAuthors(ctx, tx, sourceID, in.Authors); err != nil {
			return err
		}
		before, err := currentText(ctx, tx, sourceID)
		if err != nil {
			return err
		}
		if err := reviseBlocks(ctx, tx, slug, sourceID, in.Blocks, &rep); err != nil {
			return err
		}
		after, err := currentText(ctx, tx, sourceID)
		if err != nil {
			return err
		}
		if err := reindexSource(ctx, tx, sourceID); err != nil {
			return err
		}
		return auditText(ctx, tx, by, "source.revise", "source/"+slug, before, after, rep.Summary())
	})
	return rep, err
}
