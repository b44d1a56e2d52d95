// Blocks: the passages a source's text is split into and their revisions; revising one block,
// or a whole text, with the citations on it re-anchored.

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/sourcebook/sourcebook/store/corpus"
	"github.com/sourcebook/sourcebook/store/selector"
)

// Block is one numbered block of a source's text.
type Block struct {
	ID       int64
	SourceID int64
	Key      string
	Position int // 1-based place in the current text; 0 if the block has been removed
	Kind     string
	Label    string
	Rev      int // the current revision
	Text     string
	// Paragraph is its number among the source's paragraphs now (see paragraphs.go); 0
	// for a heading, caption or footnote, or a block removed from the text.
	Paragraph int
}

// Locator is how a citation points at the block in the current text ("para. 4", "n. 5").
func (b Block) Locator() string { return Locator(b.Kind, b.Label, b.Paragraph) }

// Revision is one version of a block's text.
type Revision struct {
	Rev       int
	Text      string
	CreatedAt string
	Paragraph int // the block's paragraph number while this revision was current; 0: none
}

// BlockRef names a block and carries the text a citation or mention refers to.
type BlockRef struct {
	Source   SourceRef
	Key      string
	Position int
	Kind     string
	Label    string
	Rev      int // the revision Text is from
	Text     string
	// Paragraph is the block's paragraph number in the current text, as Block.Paragraph.
	Paragraph int
}

// blockRefColumns selects a BlockRef from blocks b joined with sources so.
const blockRefColumns = `b.key, coalesce(b.position, 0), coalesce(b.paragraph, 0), b.kind, b.label, b.rev, b.text, so.slug, so.title, so.publisher, so.published`

func blockRefDest(b *BlockRef) []any {
	return []any{&b.Key, &b.Position, &b.Paragraph, &b.Kind, &b.Label, &b.Rev, &b.Text,
		&b.Source.Slug, &b.Source.Title, &b.Source.Publisher, &b.Source.Published}
}

// blockRefs reads the given blocks, as citations and mentions refer to them.
func (s *Store) blockRefs(ctx context.Context, ids []int64) (map[int64]BlockRef, error) {
	rows, err := s.query(ctx, `SELECT b.id, `+blockRefColumns+`
		FROM blocks b JOIN sources so ON so.id = b.source_id
		WHERE b.id IN (SELECT value FROM json_each(?))`, idList(ids, func(id int64) int64 { return id }))
	if err != nil {
		return nil, fmt.Errorf("passages: %w", err)
	}
	defer rows.Close()
	out := make(map[int64]BlockRef, len(ids))
	for rows.Next() {
		var id int64
		var b BlockRef
		if err := rows.Scan(append([]any{&id}, blockRefDest(&b)...)...); err != nil {
			return nil, fmt.Errorf("passages: %w", err)
		}
		out[id] = b
	}
	return out, rows.Err()
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

// Revised reports what a block revision did to the citations of the block.
type Revised struct {
	Rev        int
	Reanchored int // citations found again in the new text and moved onto it
	Orphaned   int // citations whose words are gone: they keep quoting the old revision
}

// ReviseBlock gives a block new text as a new revision. The key stays, old revisions stay
// (an old permalink still shows the words it cited), and each citation of the current text
// is re-anchored in the new text by its W3C selectors or, if its words are gone, flagged as
// orphaned for an editor, never dropped.
func (s *Store) ReviseBlock(ctx context.Context, sourceSlug, key, text string) (Revised, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return Revised{}, fmt.Errorf("%w: a block cannot be empty", ErrInvalid)
	}
	var res Revised
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var id, sourceID int64
		var rev int
		var old string
		err := tx.QueryRowContext(ctx, `SELECT b.id, b.source_id, b.rev, b.text FROM blocks b JOIN sources s ON s.id = b.source_id
			WHERE s.slug = ? AND b.key = ?`, sourceSlug, key).Scan(&id, &sourceID, &rev, &old)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("find block %s/%s: %w", sourceSlug, key, err)
		}
		if old == text {
			return errNoChange
		}
		res.Rev = rev + 1
		// New words, the same place in the text: the new revision keeps the paragraph number.
		if _, err := tx.ExecContext(ctx, `INSERT INTO block_revisions (block_id, rev, text, paragraph)
			SELECT block_id, ?, ?, paragraph FROM block_revisions WHERE block_id = ? AND rev = ?`, res.Rev, text, id, rev); err != nil {
			return fmt.Errorf("add revision: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE blocks SET rev = ?, text = ? WHERE id = ?`, res.Rev, text, id); err != nil {
			return fmt.Errorf("update block: %w", err)
		}
		if err := reanchor(ctx, tx, id, rev, res.Rev, text, &res); err != nil {
			return err
		}
		if err := recordEdition(ctx, tx, sourceID); err != nil {
			return err
		}
		return reindex(ctx, tx, kindBlock, id)
	})
	return res, err
}

func reanchor(ctx context.Context, tx *sql.Tx, blockID int64, oldRev, newRev int, text string, res *Revised) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, start, end, exact, prefix, suffix FROM citations
		WHERE block_id = ? AND block_rev = ? AND status = 'anchored'`, blockID, oldRev)
	if err != nil {
		return fmt.Errorf("citations to re-anchor: %w", err)
	}
	type cite struct {
		id int64
		a  selector.Anchor
	}
	var cites []cite
	for rows.Next() {
		var c cite
		if err := rows.Scan(&c.id, &c.a.Start, &c.a.End, &c.a.Exact, &c.a.Prefix, &c.a.Suffix); err != nil {
			rows.Close()
			return fmt.Errorf("citations to re-anchor: %w", err)
		}
		cites = append(cites, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("citations to re-anchor: %w", err)
	}
	for _, c := range cites {
		a, ok := selector.Reanchor(text, c.a)
		if !ok {
			if _, err := tx.ExecContext(ctx, `UPDATE citations SET status = 'orphaned' WHERE id = ?`, c.id); err != nil {
				return fmt.Errorf("flag citation %d: %w", c.id, err)
			}
			res.Orphaned++
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE citations SET block_rev = ?, start = ?, end = ?, prefix = ?, suffix = ? WHERE id = ?`,
			newRev, a.Start, a.End, a.Prefix, a.Suffix, c.id); err != nil {
			return fmt.Errorf("re-anchor citation %d: %w", c.id, err)
		}
		res.Reanchored++
	}
	return nil
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
	return recordEdition(ctx, tx, sourceID)
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
