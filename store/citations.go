// Citations: the exact words a claim rests on. Reading them with their claims, checking them
// against their blocks (VerifyCitations), and anchoring an editor's quotes when a claim is saved.

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/sourcebook/sourcebook/store/selector"
)

// Citation anchors a claim in a block with W3C selectors.
type Citation struct {
	ID      int64
	Claim   string // the citing claim's slug
	Block   BlockRef
	Start   int // TextPositionSelector, code points into Block.Text (the cited revision)
	End     int
	Exact   string // TextQuoteSelector
	Prefix  string
	Suffix  string
	Status  string // anchored | orphaned
	Current int    // the block's current revision; > Block.Rev when the block was revised since
	// Changed is true when the passage's words are not now the words of the revision cited:
	// the quote's paragraph has been reworded since (a citation whose words survive an edit
	// is moved onto the new revision, so this is the one a reader must be told about).
	Changed bool
}

// ChangedSince reports whether the cited passage's words have changed since it was cited.
func (c Citation) ChangedSince() bool { return c.Changed }

// Span is a cited stretch of a block's text, in code points, with the claim citing it: what
// a page marks in the text.
type Span struct {
	Start, End int
	Claim      string // slug
	Statement  string
}

// Span is where ct, one of c's citations, falls in its block, as a page marks it.
func (c Claim) Span(ct Citation) Span {
	return Span{Start: ct.Start, End: ct.End, Claim: c.Slug, Statement: c.Statement}
}

// citationSQL selects citations with the text of the revision they cite. It does not filter
// drafts: callers reach citations through claims or sources they have already filtered.
const citationSQL = `SELECT ` + citationColumns + citationFrom

const citationColumns = `ct.id, cl.slug, ct.start, ct.end, ct.exact, ct.prefix, ct.suffix, ct.status,
	b.key, coalesce(b.position, 0), coalesce(b.paragraph, 0), b.kind, b.label, b.rev, ct.block_rev, r.text,
	s.slug, s.title, s.publisher, s.published, ct.claim_id, ct.block_rev <> b.rev AND r.text <> b.text`

const citationFrom = `
	FROM citations ct
	JOIN claims cl ON cl.id = ct.claim_id
	JOIN blocks b ON b.id = ct.block_id
	JOIN block_revisions r ON r.block_id = ct.block_id AND r.rev = ct.block_rev
	JOIN sources s ON s.id = b.source_id`

func scanCitation(row interface{ Scan(...any) error }) (Citation, int64, error) {
	var c Citation
	var claimID int64
	err := row.Scan(citationDest(&c, &claimID)...)
	return c, claimID, err
}

// citationDest is where a row of citationColumns is scanned to.
func citationDest(c *Citation, claimID *int64) []any {
	return []any{&c.ID, &c.Claim, &c.Start, &c.End, &c.Exact, &c.Prefix, &c.Suffix, &c.Status,
		&c.Block.Key, &c.Block.Position, &c.Block.Paragraph, &c.Block.Kind, &c.Block.Label, &c.Current, &c.Block.Rev, &c.Block.Text,
		&c.Block.Source.Slug, &c.Block.Source.Title, &c.Block.Source.Publisher, &c.Block.Source.Published, claimID, &c.Changed}
}

func (s *Store) claimCitations(ctx context.Context, ids string, list []Claim, byID map[int64]int) error {
	rows, err := s.query(ctx, citationSQL+`
		WHERE ct.claim_id IN (SELECT value FROM json_each(?)) ORDER BY b.position, ct.start`, ids)
	if err != nil {
		return fmt.Errorf("claim citations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		c, claimID, err := scanCitation(rows)
		if err != nil {
			return fmt.Errorf("claim citations: %w", err)
		}
		cl := &list[byID[claimID]]
		cl.Citations = append(cl.Citations, c)
	}
	return rows.Err()
}

// Citations returns every anchored citation of published sources, for export.
func (s *Store) Citations(ctx context.Context) ([]Citation, error) {
	rows, err := s.query(ctx, citationSQL+` WHERE s.status = 'published' ORDER BY s.slug, b.position, ct.start`)
	if err != nil {
		return nil, fmt.Errorf("citations: %w", err)
	}
	defer rows.Close()
	var list []Citation
	for rows.Next() {
		c, _, err := scanCitation(rows)
		if err != nil {
			return nil, fmt.Errorf("citations: %w", err)
		}
		list = append(list, c)
	}
	return list, rows.Err()
}

// sourceCitations returns where the citations of a source's blocks fall, for highlighting
// its text: the claim, the block, the span and its status, without the cited revision's
// text, which the source page does not show and which was a fifth of its cost.
func (s *Store) sourceCitations(ctx context.Context, sourceID int64) ([]Citation, error) {
	rows, err := s.query(ctx, `SELECT ct.id, cl.slug, ct.start, ct.end, ct.status, b.key, b.rev, ct.block_rev
		FROM citations ct
		JOIN claims cl ON cl.id = ct.claim_id
		JOIN blocks b ON b.id = ct.block_id
		WHERE b.source_id = ? ORDER BY b.position, ct.start`, sourceID)
	if err != nil {
		return nil, fmt.Errorf("citations of source %d: %w", sourceID, err)
	}
	defer rows.Close()
	var list []Citation
	for rows.Next() {
		var c Citation
		if err := rows.Scan(&c.ID, &c.Claim, &c.Start, &c.End, &c.Status, &c.Block.Key, &c.Current, &c.Block.Rev); err != nil {
			return nil, fmt.Errorf("citations of source %d: %w", sourceID, err)
		}
		list = append(list, c)
	}
	return list, rows.Err()
}

// CitationProblem is a citation whose selectors no longer agree with the text it cites.
type CitationProblem struct {
	Claim    string // the claim's slug
	Source   string
	BlockKey string
	Rev      int
	Problem  string
}

func (p CitationProblem) String() string {
	return fmt.Sprintf("claim %s cites %s#%s@%d: %s", p.Claim, p.Source, p.BlockKey, p.Rev, p.Problem)
}

// VerifyCitations checks every anchored citation against the block revision it cites: the
// code points at its TextPositionSelector must be exactly its quote, and the quote's prefix
// and suffix must be the text around it. It returns what does not hold.
func (s *Store) VerifyCitations(ctx context.Context) ([]CitationProblem, error) {
	rows, err := s.query(ctx, `SELECT cl.slug, so.slug, b.key, c.block_rev, r.text, c.start, c.end, c.exact, c.prefix, c.suffix
		FROM citations c
		JOIN claims cl ON cl.id = c.claim_id
		JOIN blocks b ON b.id = c.block_id
		JOIN sources so ON so.id = b.source_id
		JOIN block_revisions r ON r.block_id = c.block_id AND r.rev = c.block_rev
		WHERE c.status = 'anchored'`)
	if err != nil {
		return nil, fmt.Errorf("verify citations: %w", err)
	}
	defer rows.Close()
	var problems []CitationProblem
	for rows.Next() {
		var p CitationProblem
		var text string
		var pos selector.Position
		var q selector.Quote
		if err := rows.Scan(&p.Claim, &p.Source, &p.BlockKey, &p.Rev, &text, &pos.Start, &pos.End, &q.Exact, &q.Prefix, &q.Suffix); err != nil {
			return nil, fmt.Errorf("verify citations: %w", err)
		}
		got, ok := selector.At(text, pos)
		switch {
		case !ok:
			p.Problem = fmt.Sprintf("position %d..%d lies outside the text", pos.Start, pos.End)
		case got.Exact != q.Exact:
			p.Problem = fmt.Sprintf("position %d..%d holds %q, not the quote %q", pos.Start, pos.End, got.Exact, q.Exact)
		case got.Prefix != q.Prefix || got.Suffix != q.Suffix:
			p.Problem = fmt.Sprintf("the context around the quote is %q…%q, not %q…%q", got.Prefix, got.Suffix, q.Prefix, q.Suffix)
		default:
			continue
		}
		problems = append(problems, p)
	}
	return problems, rows.Err()
}

// CitationInput is the passage and words a claim cites. Start and End, when given (from a
// selection in the browser, converted to code points), must hold exactly the quote; without
// them the quote's Occurrence-th appearance is meant (the first if 0).
type CitationInput struct {
	Block      string // block key
	Quote      string
	Occurrence int
	Start, End int
}

type anchored struct {
	selector.Anchor
	block int64
	rev   int
}

// anchorCitations locates each quote in its block, or explains in errs why it cannot.
func anchorCitations(ctx context.Context, tx *sql.Tx, sourceID int64, in []CitationInput, errs FieldErrors) ([]anchored, error) {
	var out []anchored
	for _, c := range in {
		var id int64
		var rev, pos int
		var text string
		err := tx.QueryRowContext(ctx, `SELECT id, rev, text, coalesce(position, 0) FROM blocks WHERE source_id = ? AND key = ?`, sourceID, c.Block).
			Scan(&id, &rev, &text, &pos)
		if errors.Is(err, sql.ErrNoRows) {
			errs["quote"] = fmt.Sprintf("there is no passage %q in this source", c.Block)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("cited block: %w", err)
		}
		if !utf8.ValidString(c.Quote) || strings.TrimSpace(c.Quote) == "" {
			errs["quote"] = "the quote is empty"
			continue
		}
		var a selector.Anchor
		var ok bool
		if c.End > c.Start {
			a, ok = selector.At(text, selector.Position{Start: c.Start, End: c.End})
			if !ok || a.Exact != c.Quote {
				errs["quote"] = fmt.Sprintf("the selection in ¶ %d does not hold the quote %q; select the words again", pos, c.Quote)
				continue
			}
		} else {
			n := selector.Count(text, c.Quote)
			switch {
			case n == 0:
				errs["quote"] = mismatch(text, c.Quote, pos)
				continue
			case n > 1 && c.Occurrence == 0:
				errs["quote"] = fmt.Sprintf("“%s” occurs %d times in ¶ %d: say which (1 to %d), or select it in the passage", c.Quote, n, pos, n)
				continue
			}
			a, ok = selector.Find(text, c.Quote, max(1, c.Occurrence))
			if !ok {
				errs["quote"] = fmt.Sprintf("“%s” occurs only %d times in ¶ %d", c.Quote, n, pos)
				continue
			}
		}
		out = append(out, anchored{Anchor: a, block: id, rev: rev})
	}
	return out, nil
}

// mismatch explains how a quote differs from its passage: how much of it matches, and
// where it stops matching, so a mistyped quote is easy to fix.
func mismatch(text, quote string, pos int) string {
	best, at := 0, -1
	rq := []rune(quote)
	for n := len(rq); n > 0; n-- {
		if i := strings.Index(text, string(rq[:n])); i >= 0 {
			best, at = n, i
			break
		}
	}
	if best < 3 {
		return fmt.Sprintf("the quote is not in ¶ %d: copy the words exactly as the passage has them", pos)
	}
	rest := []rune(text[at:])
	next := string(rest[best:min(len(rest), best+20)])
	return fmt.Sprintf("the quote is not in ¶ %d exactly: it matches as far as “%s”, then the passage has “%s” where the quote has “%s”",
		pos, string(rq[:best]), next, string(rq[best:min(len(rq), best+20)]))
}
