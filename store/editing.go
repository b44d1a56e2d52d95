package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/sourcebook/sourcebook/store/corpus"
	"github.com/sourcebook/sourcebook/store/selector"
)

// FieldErrors reports what is wrong with a form, field by field, in words for the editor.
// It wraps ErrInvalid.
type FieldErrors map[string]string

func (f FieldErrors) Error() string {
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+": "+f[k])
	}
	return "invalid: " + strings.Join(parts, "; ")
}

// Unwrap lets errors.Is(err, ErrInvalid) see field errors.
func (f FieldErrors) Unwrap() error { return ErrInvalid }

func (f FieldErrors) orNil() error {
	if len(f) == 0 {
		return nil
	}
	return f
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
	if !contains(corpus.SourceKinds, in.Kind) {
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
		if !contains(corpus.BlockKinds, b.Kind) {
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

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
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

// Duplicates returns sources (drafts included) with the same original URL or the same text.
func (s *Store) Duplicates(ctx context.Context, url string, blocks []corpus.Block, except string) ([]SourceRef, error) {
	rows, err := s.query(ctx, `SELECT slug, title, publisher, published FROM sources
		WHERE slug <> ? AND ((? <> '' AND url = ?) OR text_digest = ?)`, except, url, url, TextDigest(blocks))
	if err != nil {
		return nil, fmt.Errorf("duplicates: %w", err)
	}
	defer rows.Close()
	var out []SourceRef
	for rows.Next() {
		var r SourceRef
		if err := rows.Scan(&r.Slug, &r.Title, &r.Publisher, &r.Published); err != nil {
			return nil, fmt.Errorf("duplicates: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

var slugStrip = regexp.MustCompile(`[^a-z0-9]+`)

// slugify makes a URL slug of a title's first words.
func slugify(title string) string {
	words := strings.Fields(slugStrip.ReplaceAllString(strings.ToLower(title), " "))
	if len(words) > 7 {
		words = words[:7]
	}
	s := strings.Join(words, "-")
	if s == "" {
		s = "source"
	}
	return s
}

func uniqueSlug(ctx context.Context, tx *sql.Tx, table, base string) (string, error) {
	slug := base
	for i := 2; ; i++ {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE slug = ?`, slug).Scan(&n); err != nil {
			return "", fmt.Errorf("slug: %w", err)
		}
		if n == 0 {
			return slug, nil
		}
		slug = fmt.Sprintf("%s-%d", base, i)
	}
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

func insertBlock(ctx context.Context, tx *sql.Tx, sourceID int64, key string, pos, para int, b corpus.Block) (int64, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO blocks (source_id, key, position, kind, label, rev, text, paragraph) VALUES (?, ?, ?, ?, ?, 1, ?, ?)`,
		sourceID, key, pos, b.Kind, b.Label, b.Text, nullNumber(para))
	if err != nil {
		return 0, fmt.Errorf("add block: %w", err)
	}
	id, _ := res.LastInsertId()
	if _, err := tx.ExecContext(ctx, `INSERT INTO block_revisions (block_id, rev, text, paragraph) VALUES (?, 1, ?, ?)`, id, b.Text, nullNumber(para)); err != nil {
		return 0, fmt.Errorf("add block revision: %w", err)
	}
	return id, nil
}

// SourceForEditing returns a source, draft or published, with its blocks.
func (s *Store) SourceForEditing(ctx context.Context, slug string) (Source, []Block, error) {
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

// AllSources lists every source, drafts included, newest change first.
func (s *Store) AllSources(ctx context.Context) ([]Source, error) {
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
	return reindex(ctx, tx, kindClaim, claims...)
}

func ids(ctx context.Context, tx *sql.Tx, q string, args ...any) ([]int64, error) {
	return scanIDs(tx.QueryContext(ctx, q, args...))
}

// readIDs runs a read that selects one column of ids.
func (s *Store) readIDs(ctx context.Context, q string, args ...any) ([]int64, error) {
	return scanIDs(s.query(ctx, q, args...))
}

func scanIDs(rows *sql.Rows, err error) ([]int64, error) {
	if err != nil {
		return nil, fmt.Errorf("ids: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("ids: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// Reanchoring reports what a revision of a source's text did to its citations.
type Reanchoring struct {
	Untouched int // citations of blocks whose text did not change
	Unchanged int // same words at the same place
	Exact     int // the same words found once, elsewhere in the block or the source
	Context   int // the words occur several times; prefix and suffix chose the place
	Flagged   int // the words are gone: the citation keeps quoting the old revision, flagged
	Revised   int // blocks given a new revision of their words
	Added     int
	Removed   int

	// Renumbered counts blocks whose words stayed but whose paragraph number moved: each
	// got a new revision under its new number, and its citations moved onto it unchanged.
	Renumbered int
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
		if err := reviseBlocks(ctx, tx, slug, sourceID, in.Blocks, &rep); err != nil {
			return err
		}
		if err := reindexSource(ctx, tx, sourceID); err != nil {
			return err
		}
		return audit(ctx, tx, by, "source.revise", "source/"+slug, fmt.Sprintf(
			"%d blocks revised, %d added, %d removed, %d renumbered; citations: %d unchanged, %d re-found exactly, %d by context, %d flagged",
			rep.Revised, rep.Added, rep.Removed, rep.Renumbered, rep.Unchanged, rep.Exact, rep.Context, rep.Flagged))
	})
	return rep, err
}

type oldBlock struct {
	id       int64
	key      string
	rev      int
	text     string
	position sql.NullInt64
	para     int // the current revision's paragraph number, kept by a removed block too
}

func reviseBlocks(ctx context.Context, tx *sql.Tx, slug string, sourceID int64, blocks []corpus.Block, rep *Reanchoring) error {
	rows, err := tx.QueryContext(ctx, `SELECT b.id, b.key, b.rev, b.text, b.position, coalesce(r.paragraph, 0)
		FROM blocks b JOIN block_revisions r ON r.block_id = b.id AND r.rev = b.rev WHERE b.source_id = ?`, sourceID)
	if err != nil {
		return fmt.Errorf("blocks of %s: %w", slug, err)
	}
	byKey := map[string]*oldBlock{}
	var old []*oldBlock
	for rows.Next() {
		var b oldBlock
		if err := rows.Scan(&b.id, &b.key, &b.rev, &b.text, &b.position, &b.para); err != nil {
			rows.Close()
			return fmt.Errorf("blocks of %s: %w", slug, err)
		}
		byKey[b.key] = &b
		old = append(old, &b)
	}
	rows.Close()

	// Match the new blocks to old ones: by key, else by identical text of a current block.
	used := map[string]bool{}
	for k := range byKey {
		used[k] = true
	}
	taken := map[string]bool{}
	keys := make([]string, len(blocks))
	for i, b := range blocks {
		if ob := byKey[b.Key]; b.Key != "" && ob != nil && !taken[b.Key] {
			keys[i] = b.Key
			taken[b.Key] = true
		}
	}
	for i, b := range blocks {
		if keys[i] != "" {
			continue
		}
		for _, ob := range old {
			if !taken[ob.key] && ob.position.Valid && ob.text == b.Text {
				keys[i] = ob.key
				taken[ob.key] = true
				break
			}
		}
	}

	// Positions are unique per source: clear them all, then set the new order. A block left
	// out of the text has no number now; its revisions keep the ones it had.
	if _, err := tx.ExecContext(ctx, `UPDATE blocks SET position = NULL, paragraph = NULL WHERE source_id = ?`, sourceID); err != nil {
		return fmt.Errorf("reorder %s: %w", slug, err)
	}
	paras := paragraphNumbers(blocks)
	changed := map[int64]bool{} // blocks whose citations must be re-found
	current := map[string]string{}
	for i, b := range blocks {
		key := keys[i]
		if key == "" {
			key = corpus.NewKey(slug, b.Text, used)
			if _, err := insertBlock(ctx, tx, sourceID, key, i+1, paras[i], b); err != nil {
				return err
			}
			rep.Added++
			current[key] = b.Text
			continue
		}
		ob := byKey[key]
		current[key] = b.Text
		// New words or a new number make a new revision (see paragraphs.go).
		if ob.text != b.Text || ob.para != paras[i] {
			if _, err := tx.ExecContext(ctx, `INSERT INTO block_revisions (block_id, rev, text, paragraph) VALUES (?, ?, ?, ?)`,
				ob.id, ob.rev+1, b.Text, nullNumber(paras[i])); err != nil {
				return fmt.Errorf("revise block %s: %w", key, err)
			}
			ob.rev++
			if ob.text != b.Text {
				rep.Revised++
				changed[ob.id] = true
			} else if err := renumbered(ctx, tx, ob.id, ob.rev); err != nil {
				return err
			} else {
				rep.Renumbered++
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE blocks SET position = ?, kind = ?, label = ?, rev = ?, text = ?, paragraph = ? WHERE id = ?`,
			i+1, b.Kind, b.Label, ob.rev, b.Text, nullNumber(paras[i]), ob.id); err != nil {
			return fmt.Errorf("revise block %s: %w", key, err)
		}
	}
	for _, ob := range old {
		if _, still := current[ob.key]; !still && ob.position.Valid {
			rep.Removed++
			changed[ob.id] = true
		}
	}
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM citations c JOIN blocks b ON b.id = c.block_id
		WHERE b.source_id = ? AND c.status = 'anchored'`, sourceID).Scan(&rep.Untouched); err != nil {
		return fmt.Errorf("count citations: %w", err)
	}
	if err := reanchorSource(ctx, tx, sourceID, changed, rep); err != nil {
		return err
	}
	rep.Untouched -= rep.Unchanged + rep.Exact + rep.Context + rep.Flagged
	return nil
}

// reanchorSource finds again every anchored citation of the changed blocks: in its own block
// (if it is still in the text), else in another block of the source where the same words
// occur; otherwise it is flagged and keeps quoting the revision it was made on.
func reanchorSource(ctx context.Context, tx *sql.Tx, sourceID int64, changed map[int64]bool, rep *Reanchoring) error {
	if len(changed) == 0 {
		return nil
	}
	blocks, err := tx.QueryContext(ctx, `SELECT id, rev, text FROM blocks WHERE source_id = ? AND position IS NOT NULL ORDER BY position`, sourceID)
	if err != nil {
		return fmt.Errorf("re-anchor: %w", err)
	}
	type cur struct {
		id   int64
		rev  int
		text string
	}
	var live []cur
	liveByID := map[int64]cur{}
	for blocks.Next() {
		var c cur
		if err := blocks.Scan(&c.id, &c.rev, &c.text); err != nil {
			blocks.Close()
			return fmt.Errorf("re-anchor: %w", err)
		}
		live = append(live, c)
		liveByID[c.id] = c
	}
	blocks.Close()

	type cite struct {
		id, block int64
		a         selector.Anchor
	}
	var cites []cite
	for id := range changed {
		rows, err := tx.QueryContext(ctx, `SELECT id, start, end, exact, prefix, suffix FROM citations
			WHERE block_id = ? AND status = 'anchored'`, id)
		if err != nil {
			return fmt.Errorf("re-anchor: %w", err)
		}
		for rows.Next() {
			c := cite{block: id}
			if err := rows.Scan(&c.id, &c.a.Start, &c.a.End, &c.a.Exact, &c.a.Prefix, &c.a.Suffix); err != nil {
				rows.Close()
				return fmt.Errorf("re-anchor: %w", err)
			}
			cites = append(cites, c)
		}
		rows.Close()
	}
	for _, c := range cites {
		target, found := int64(0), selector.Anchor{}
		var how selector.Method
		if b, ok := liveByID[c.block]; ok {
			if a, m, ok := selector.ReanchorHow(b.text, c.a); ok {
				target, found, how = b.id, a, m
			}
		}
		if target == 0 {
			// Elsewhere in the source: a block split in two, or text moved. The block whose
			// occurrence has the best-matching context wins.
			best := -1
			for _, b := range live {
				if b.id == c.block {
					continue
				}
				for i := 1; i <= selector.Count(b.text, c.a.Exact); i++ {
					a, _ := selector.Find(b.text, c.a.Exact, i)
					if score := selector.ContextScore(a, c.a); score > best {
						best, target, found = score, b.id, a
					}
				}
			}
			how = selector.Exact
			if best >= 0 && best < len(c.a.Prefix)+len(c.a.Suffix) {
				how = selector.Context
			}
		}
		if target == 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE citations SET status = 'orphaned' WHERE id = ?`, c.id); err != nil {
				return fmt.Errorf("flag citation: %w", err)
			}
			rep.Flagged++
			continue
		}
		switch how {
		case selector.Unchanged:
			rep.Unchanged++
		case selector.Exact:
			rep.Exact++
		default:
			rep.Context++
		}
		if _, err := tx.ExecContext(ctx, `UPDATE citations SET block_id = ?, block_rev = ?, start = ?, end = ?, prefix = ?, suffix = ? WHERE id = ?`,
			target, liveByID[target].rev, found.Start, found.End, found.Prefix, found.Suffix, c.id); err != nil {
			return fmt.Errorf("re-anchor citation: %w", err)
		}
	}
	return nil
}
