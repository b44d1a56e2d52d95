// Precedents: past agreements and today's proposals that the sources invoke, their cited
// facts and the passages mentioning them; creating them, adding facts, linking passages.

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/sourcebook/sourcebook/store/corpus"
	"github.com/sourcebook/sourcebook/store/vocab"
)

// PrecedentRef names a precedent briefly, for links.
type PrecedentRef struct {
	Slug, Name, Kind, DateStart string
}

// Precedent is an earlier arrangement, or one of today's proposals, that the sources invoke.
type Precedent struct {
	ID        int64
	Slug      string
	Name      string
	Kind      string // precedent | proposal
	DateStart string
	DateEnd   string
	Summary   string
	Facts     []Fact
	Mentions  []BlockRef
}

// Ref returns the precedent's short reference.
func (p Precedent) Ref() PrecedentRef {
	return PrecedentRef{Slug: p.Slug, Name: p.Name, Kind: p.Kind, DateStart: p.DateStart}
}

// Fact is one thing a source says about a precedent, with the block that says it.
type Fact struct {
	Precedent string
	Aspect    string
	Code      string // the codebook value the fact supports on its aspect (vocab.Codebook), or ""
	Text      string
	Block     BlockRef
}

// Precedents lists precedents (oldest first) and then today's proposals.
func (s *Store) Precedents(ctx context.Context) ([]Precedent, error) {
	return s.precedents(ctx, "")
}

// PrecedentPage returns a page of Precedents' list and how many there are.
func (s *Store) PrecedentPage(ctx context.Context, p Page) ([]Precedent, int, error) {
	clause, args := p.clause()
	return paged(ctx, s, "precedents", func() ([]Precedent, error) { return s.precedents(ctx, clause, args...) },
		`SELECT count(*) FROM precedents`)
}

// precedents lists precedents and then proposals, with a LIMIT clause or none.
func (s *Store) precedents(ctx context.Context, limit string, args ...any) ([]Precedent, error) {
	rows, err := s.query(ctx, `SELECT id, slug, name, kind, date_start, date_end, summary FROM precedents
		ORDER BY kind = 'proposal', date_start = '', date_start, name, id`+limit, args...)
	if err != nil {
		return nil, fmt.Errorf("precedents: %w", err)
	}
	defer rows.Close()
	var list []Precedent
	for rows.Next() {
		var p Precedent
		if err := rows.Scan(&p.ID, &p.Slug, &p.Name, &p.Kind, &p.DateStart, &p.DateEnd, &p.Summary); err != nil {
			return nil, fmt.Errorf("precedents: %w", err)
		}
		list = append(list, p)
	}
	return list, rows.Err()
}

// PrecedentsWithFacts lists precedents and proposals with their facts, for the comparison.
func (s *Store) PrecedentsWithFacts(ctx context.Context) ([]Precedent, error) {
	list, err := s.Precedents(ctx)
	if err != nil {
		return nil, err
	}
	facts, err := s.facts(ctx, 0)
	if err != nil {
		return nil, err
	}
	index := map[string]int{}
	for i, p := range list {
		index[p.Slug] = i
	}
	for _, f := range facts {
		p := &list[index[f.Precedent]]
		p.Facts = append(p.Facts, f)
	}
	return list, nil
}

// Precedent returns one precedent with its facts and every passage that mentions it.
func (s *Store) Precedent(ctx context.Context, slug string) (Precedent, error) {
	var p Precedent
	err := s.queryRow(ctx, `SELECT id, slug, name, kind, date_start, date_end, summary FROM precedents WHERE slug = ?`, slug).
		Scan(&p.ID, &p.Slug, &p.Name, &p.Kind, &p.DateStart, &p.DateEnd, &p.Summary)
	if errors.Is(err, sql.ErrNoRows) {
		return Precedent{}, ErrNotFound
	}
	if err != nil {
		return Precedent{}, fmt.Errorf("precedent %q: %w", slug, err)
	}
	if p.Facts, err = s.facts(ctx, p.ID); err != nil {
		return Precedent{}, err
	}
	rows, err := s.query(ctx, `SELECT `+blockRefColumns+`
		FROM precedent_mentions m
		JOIN blocks b ON b.id = m.block_id
		JOIN sources so ON so.id = b.source_id AND so.status = 'published'
		WHERE m.precedent_id = ? ORDER BY so.published DESC, so.slug, b.position`, p.ID)
	if err != nil {
		return Precedent{}, fmt.Errorf("mentions of %q: %w", slug, err)
	}
	defer rows.Close()
	for rows.Next() {
		var b BlockRef
		if err := rows.Scan(blockRefDest(&b)...); err != nil {
			return Precedent{}, fmt.Errorf("mentions of %q: %w", slug, err)
		}
		p.Mentions = append(p.Mentions, b)
	}
	return p, rows.Err()
}

// facts returns the facts of one precedent, or of all when id is 0.
func (s *Store) facts(ctx context.Context, id int64) ([]Fact, error) {
	rows, err := s.query(ctx, `SELECT p.slug, f.aspect, f.code, f.text, `+blockRefColumns+`
		FROM precedent_facts f
		JOIN precedents p ON p.id = f.precedent_id
		JOIN blocks b ON b.id = f.block_id
		JOIN sources so ON so.id = b.source_id AND so.status = 'published'
		WHERE ? = 0 OR f.precedent_id = ?
		ORDER BY p.slug, f.id`, id, id)
	if err != nil {
		return nil, fmt.Errorf("precedent facts: %w", err)
	}
	defer rows.Close()
	var list []Fact
	for rows.Next() {
		var f Fact
		if err := rows.Scan(append([]any{&f.Precedent, &f.Aspect, &f.Code, &f.Text}, blockRefDest(&f.Block)...)...); err != nil {
			return nil, fmt.Errorf("precedent facts: %w", err)
		}
		list = append(list, f)
	}
	return list, rows.Err()
}

func (s *Store) precedentsMentionedIn(ctx context.Context, blockID int64) ([]PrecedentRef, error) {
	rows, err := s.query(ctx, `SELECT p.slug, p.name, p.kind, p.date_start FROM precedent_mentions m
		JOIN precedents p ON p.id = m.precedent_id WHERE m.block_id = ? ORDER BY p.date_start, p.name`, blockID)
	if err != nil {
		return nil, fmt.Errorf("precedents in block %d: %w", blockID, err)
	}
	defer rows.Close()
	var list []PrecedentRef
	for rows.Next() {
		var p PrecedentRef
		if err := rows.Scan(&p.Slug, &p.Name, &p.Kind, &p.DateStart); err != nil {
			return nil, fmt.Errorf("precedents in block %d: %w", blockID, err)
		}
		list = append(list, p)
	}
	return list, rows.Err()
}

// precedentRefs reads the given precedents.
func (s *Store) precedentRefs(ctx context.Context, ids []int64) (map[int64]PrecedentRef, error) {
	rows, err := s.query(ctx, `SELECT id, slug, name, kind, date_start FROM precedents
		WHERE id IN (SELECT value FROM json_each(?))`, idList(ids, func(id int64) int64 { return id }))
	if err != nil {
		return nil, fmt.Errorf("precedents: %w", err)
	}
	defer rows.Close()
	out := map[int64]PrecedentRef{}
	for rows.Next() {
		var id int64
		var p PrecedentRef
		if err := rows.Scan(&id, &p.Slug, &p.Name, &p.Kind, &p.DateStart); err != nil {
			return nil, fmt.Errorf("precedents: %w", err)
		}
		out[id] = p
	}
	return out, rows.Err()
}

// CreatePrecedent adds a precedent or one of today's proposals. Its dates are as the
// sources state them (or empty); what the sources say of it is added as cited facts.
func (s *Store) CreatePrecedent(ctx context.Context, by *User, name, kind, start, end, summary string) (string, error) {
	errs := FieldErrors{}
	if strings.TrimSpace(name) == "" {
		errs["precedent_name"] = "required"
	}
	if !vocab.Has(vocab.PrecedentKinds, kind) {
		errs["precedent_kind"] = "precedent or proposal"
	}
	for field, d := range map[string]string{"date_start": start, "date_end": end} {
		if d != "" && !corpus.ValidDate(d) {
			errs[field] = fmt.Sprintf("%q is not a date (YYYY-MM-DD, YYYY-MM or YYYY)", d)
		}
	}
	cleanText(errs, "precedent_name", name, false)
	cleanText(errs, "precedent_summary", summary, true)
	if err := errs.orNil(); err != nil {
		return "", err
	}
	var slug string
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if slug, err = uniqueSlug(ctx, tx, "precedents", slugify(name)); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO precedents (slug, name, kind, date_start, date_end, summary) VALUES (?, ?, ?, ?, ?, ?)`,
			slug, name, kind, start, end, summary)
		if err != nil {
			return fmt.Errorf("create precedent: %w", err)
		}
		id, _ := res.LastInsertId()
		if err := reindex(ctx, tx, kindPrecedent, id); err != nil {
			return err
		}
		return audit(ctx, tx, by, "precedent.create", "precedent/"+slug, name)
	})
	return slug, err
}

// AddFact records what a passage says of a precedent, on one of the compared dimensions.
func (s *Store) AddFact(ctx context.Context, by *User, precedent, aspect, code, text, sourceSlug, key string) error {
	errs := FieldErrors{}
	if !vocab.Has(vocab.Aspects, aspect) {
		errs["aspect"] = "choose a dimension"
	}
	// A code is optional: a fact without one is shown as evidence in its column but codes
	// nothing. With one, it must be among the codes of the fact's own column.
	if _, ok := vocab.CodeOf(vocab.Aspect(aspect), code); code != "" && !ok {
		errs["code"] = fmt.Sprintf("%q is not a code of the %s column: choose one of that column's codes, or none", code, aspect)
	}
	if strings.TrimSpace(text) == "" {
		errs["fact"] = "say what the passage states"
	}
	cleanText(errs, "fact", text, false)
	if err := errs.orNil(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		precID, blockID, err := precedentAndBlock(ctx, tx, precedent, sourceSlug, key)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO precedent_facts (precedent_id, aspect, code, text, block_id) VALUES (?, ?, ?, ?, ?)`,
			precID, aspect, code, text, blockID); err != nil {
			return fmt.Errorf("add fact: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO precedent_mentions (precedent_id, block_id) VALUES (?, ?)`, precID, blockID); err != nil {
			return fmt.Errorf("add fact: %w", err)
		}
		if err := reindex(ctx, tx, kindPrecedent, precID); err != nil {
			return err
		}
		if err := reindex(ctx, tx, kindBlock, blockID); err != nil {
			return err
		}
		return audit(ctx, tx, by, "precedent.fact", "precedent/"+precedent, aspect+": "+text)
	})
}

func precedentAndBlock(ctx context.Context, tx *sql.Tx, precedent, sourceSlug, key string) (int64, int64, error) {
	var precID, blockID int64
	if err := tx.QueryRowContext(ctx, `SELECT id FROM precedents WHERE slug = ?`, precedent).Scan(&precID); err != nil {
		return 0, 0, FieldErrors{"precedent": fmt.Sprintf("there is no precedent %q", precedent)}
	}
	if err := tx.QueryRowContext(ctx, `SELECT b.id FROM blocks b JOIN sources s ON s.id = b.source_id WHERE s.slug = ? AND b.key = ?`,
		sourceSlug, key).Scan(&blockID); err != nil {
		return 0, 0, FieldErrors{"fact_block": fmt.Sprintf("there is no passage %q in %q", key, sourceSlug)}
	}
	return precID, blockID, nil
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
