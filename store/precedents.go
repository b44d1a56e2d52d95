package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// blockRefColumns selects a BlockRef from blocks b joined with sources so.
const blockRefColumns = `b.key, coalesce(b.position, 0), coalesce(b.paragraph, 0), b.kind, b.label, b.rev, b.text, so.slug, so.title, so.publisher, so.published`

func blockRefDest(b *BlockRef) []any {
	return []any{&b.Key, &b.Position, &b.Paragraph, &b.Kind, &b.Label, &b.Rev, &b.Text,
		&b.Source.Slug, &b.Source.Title, &b.Source.Publisher, &b.Source.Published}
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
	rows, err := s.query(ctx, `SELECT p.slug, f.aspect, f.text, `+blockRefColumns+`
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
		if err := rows.Scan(append([]any{&f.Precedent, &f.Aspect, &f.Text}, blockRefDest(&f.Block)...)...); err != nil {
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

// Events returns the dated events of published sources in date order.
func (s *Store) Events(ctx context.Context) ([]Event, error) {
	rows, err := s.query(ctx, `SELECT e.date, e.title, p.slug, p.name, p.kind, p.date_start, `+blockRefColumns+`
		FROM events e
		JOIN blocks b ON b.id = e.block_id
		JOIN sources so ON so.id = b.source_id AND so.status = 'published'
		LEFT JOIN precedents p ON p.id = e.precedent_id
		ORDER BY e.date, e.title`)
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	defer rows.Close()
	var list []Event
	for rows.Next() {
		var e Event
		var p [4]sql.NullString
		if err := rows.Scan(append([]any{&e.Date, &e.Title, &p[0], &p[1], &p[2], &p[3]}, blockRefDest(&e.Block)...)...); err != nil {
			return nil, fmt.Errorf("events: %w", err)
		}
		if p[0].Valid {
			e.Precedent = &PrecedentRef{Slug: p[0].String, Name: p[1].String, Kind: p[2].String, DateStart: p[3].String}
		}
		list = append(list, e)
	}
	return list, rows.Err()
}

// TimelinePassages is how many passages a timeline entry lists for each date it gives.
const TimelinePassages = 5

// Timeline returns the events, earliest first, each with the dates its passages give and the
// first passages giving each. Reading it groups every event of the corpus, so it is kept for
// the data version.
func (s *Store) Timeline(ctx context.Context) ([]TimelineEntry, error) {
	return memoized(ctx, s, "timeline", s.timeline)
}

// timeline groups the events in Go, in one pass over them: SQL's window functions sorted
// every event by title first (0.2 s of 0.5 s at 1000× the seed corpus, in native SQLite).
// Events are one when their titles are: a title names the event, and each source that
// mentions it gives its own date, so the date cannot be part of what identifies it.
func (s *Store) timeline(ctx context.Context) ([]TimelineEntry, error) {
	rows, err := s.query(ctx, `SELECT e.date, e.title, coalesce(e.precedent_id, 0), e.block_id
		FROM events e
		JOIN blocks b ON b.id = e.block_id
		JOIN sources so ON so.id = b.source_id AND so.status = 'published'
		ORDER BY e.id`)
	if err != nil {
		return nil, fmt.Errorf("timeline: %w", err)
	}
	defer rows.Close()
	at := map[string]int{} // title → index into list
	var list []TimelineEntry
	var blocks [][][]int64 // each entry's first passages for each of its dates, as block ids
	var precedents []int64 // each entry's precedent, 0 for none
	for rows.Next() {
		var date, title string
		var precedent, block int64
		if err := rows.Scan(&date, &title, &precedent, &block); err != nil {
			return nil, fmt.Errorf("timeline: %w", err)
		}
		i, ok := at[title]
		if !ok {
			i = len(list)
			at[title] = i
			list = append(list, TimelineEntry{Title: title})
			blocks = append(blocks, nil)
			precedents = append(precedents, precedent)
		}
		if precedents[i] == 0 {
			precedents[i] = precedent // the corpus links one title to one precedent; an editor may not have
		}
		e := &list[i]
		e.Total++
		d := slices.IndexFunc(e.Dates, func(d EventDate) bool { return d.Date == date })
		if d < 0 {
			d = len(e.Dates)
			e.Dates = append(e.Dates, EventDate{Date: date})
			blocks[i] = append(blocks[i], nil)
		}
		e.Dates[d].Total++
		if len(blocks[i][d]) < TimelinePassages {
			blocks[i][d] = append(blocks[i][d], block)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("timeline: %w", err)
	}
	var ids []int64
	for _, b := range blocks {
		ids = append(ids, slices.Concat(b...)...)
	}
	refs, err := s.blockRefs(ctx, ids)
	if err != nil {
		return nil, err
	}
	precs, err := s.precedentRefs(ctx, precedents)
	if err != nil {
		return nil, err
	}
	for i := range list {
		e := &list[i]
		for d := range e.Dates {
			for _, id := range blocks[i][d] {
				e.Dates[d].Passages = append(e.Dates[d].Passages, refs[id])
			}
		}
		slices.SortStableFunc(e.Dates, func(a, b EventDate) int { return cmp.Compare(a.Date, b.Date) })
		e.Date = e.Dates[0].Date
		if !e.Disputed() { // the most precise date, which the others contain
			e.Date = e.Dates[len(e.Dates)-1].Date
		}
		if p, ok := precs[precedents[i]]; ok {
			e.Precedent = &p
		}
	}
	slices.SortStableFunc(list, func(a, b TimelineEntry) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.Title, b.Title))
	})
	return list, nil
}

// Disputed reports whether the passages give the event dates that cannot all be right: two
// dates neither of which contains the other ("2022" contains "2022-02"; "2025-08-19" and
// "2025-08-20" exclude each other).
func (e TimelineEntry) Disputed() bool {
	for i, a := range e.Dates {
		for _, b := range e.Dates[i+1:] {
			if !strings.HasPrefix(a.Date, b.Date) && !strings.HasPrefix(b.Date, a.Date) {
				return true
			}
		}
	}
	return false
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
