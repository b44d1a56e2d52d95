// Events: dated events, the timeline that lists them with the passages dating them, and
// its pages.

package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/sourcebook/sourcebook/store/corpus"
)

// Event is a dated event a source mentions.
type Event struct {
	Date      string
	Title     string
	Block     BlockRef
	Precedent *PrecedentRef
}

// TimelineEntry is one event with the passages that date it. Events that sources give the
// same title are one entry, whatever date each source gives: where they give different
// dates, the entry keeps every date with its passages rather than choosing one.
type TimelineEntry struct {
	Date      string // where it is listed and drawn: the most precise of its dates, or the earliest where they disagree
	Title     string
	Precedent *PrecedentRef
	Dates     []EventDate // each date its passages give, earliest first
	Total     int         // passages that date it
}

// EventDate is one date the passages give an event, with those passages.
type EventDate struct {
	Date     string
	Passages []BlockRef // the first TimelinePassages, in the order they were recorded
	Total    int        // passages that give this date
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

// TimelinePage returns a page of the timeline and how many entries it has. The timeline is
// grouped in Go from every event and kept for the data version (Timeline), so its page is
// cut from the list kept, not in SQL: a page costs no read once the version's list is made.
func (s *Store) TimelinePage(ctx context.Context, p Page) ([]TimelineEntry, int, error) {
	list, err := s.Timeline(ctx)
	if err != nil {
		return nil, 0, err
	}
	if p.Limit <= 0 {
		return list, len(list), nil
	}
	return list[min(p.Offset, len(list)):min(p.Offset+p.Limit, len(list))], len(list), nil
}

// AddEvent puts a dated event a passage mentions on the timeline.
func (s *Store) AddEvent(ctx context.Context, by *User, date, title, sourceSlug, key, precedent string) error {
	errs := FieldErrors{}
	if !corpus.ValidDate(date) {
		errs["event_date"] = "a date as precise as the source gives it: YYYY-MM-DD, YYYY-MM or YYYY"
	}
	if strings.TrimSpace(title) == "" {
		errs["event_title"] = "required"
	}
	cleanText(errs, "event_title", title, false)
	if err := errs.orNil(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var blockID int64
		if err := tx.QueryRowContext(ctx, `SELECT b.id FROM blocks b JOIN sources s ON s.id = b.source_id WHERE s.slug = ? AND b.key = ?`,
			sourceSlug, key).Scan(&blockID); err != nil {
			return FieldErrors{"event_block": fmt.Sprintf("there is no passage %q in %q", key, sourceSlug)}
		}
		var prec any
		if precedent != "" {
			var id int64
			if err := tx.QueryRowContext(ctx, `SELECT id FROM precedents WHERE slug = ?`, precedent).Scan(&id); err != nil {
				return FieldErrors{"event_precedent": fmt.Sprintf("there is no precedent %q", precedent)}
			}
			prec = id
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO events (date, title, block_id, precedent_id) VALUES (?, ?, ?, ?)`,
			date, title, blockID, prec); err != nil {
			return fmt.Errorf("add event: %w", err)
		}
		return audit(ctx, tx, by, "event.create", "source/"+sourceSlug, date+" "+title)
	})
}
