package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/web/link"
)

// Exports: the whole published dataset as one JSON file, one CSV per table, and the SQLite
// database itself. Each is built in full before it is sent, so a failure is a clean error
// rather than a truncated download.

// dataset is /export/sourcebook.json: the API's objects, all of them.
type dataset struct {
	Version    int64          `json:"version"` // the data version: equal versions, equal data
	UpdatedAt  string         `json:"updated_at"`
	Sources    []apiSource    `json:"sources"`
	Actors     []apiActor     `json:"actors"`
	Issues     []apiIssue     `json:"issues"`
	Claims     []apiClaim     `json:"claims"`
	Positions  []apiPosition  `json:"positions"`
	Precedents []apiPrecedent `json:"precedents"`
	Events     []apiEvent     `json:"events"`
}

func (s *Server) exportJSON(w http.ResponseWriter, r *http.Request) error {
	d, err := s.dataset(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", `attachment; filename="sourcebook.json"`)
	return s.writeJSON(w, r, d)
}

func (s *Server) dataset(ctx context.Context) (dataset, error) {
	var d dataset
	v, err := s.store.Version(ctx)
	if err != nil {
		return d, err
	}
	d.Version, d.UpdatedAt = v.N, v.UpdatedAt
	sources, err := s.store.Sources(ctx, "date")
	if err != nil {
		return d, err
	}
	blocks, err := s.store.BlocksBySource(ctx)
	if err != nil {
		return d, err
	}
	for _, src := range sources {
		d.Sources = append(d.Sources, sourceJSON(src, list(blocks[src.ID])))
	}
	actors, err := s.store.PublicActors(ctx)
	if err != nil {
		return d, err
	}
	roles, err := s.store.AllRoles(ctx)
	if err != nil {
		return d, err
	}
	byActor := map[string][]apiRole{}
	for _, r := range roles {
		byActor[r.Actor.Slug] = append(byActor[r.Actor.Slug], roleJSON(r))
	}
	for _, a := range actors {
		out := actorJSON(a)
		out.Roles = byActor[a.Slug]
		d.Actors = append(d.Actors, out)
	}
	issues, err := s.store.Issues(ctx)
	if err != nil {
		return d, err
	}
	for _, i := range issues {
		d.Issues = append(d.Issues, issueJSON(i))
	}
	claims, err := s.store.Claims(ctx, store.ClaimFilter{})
	if err != nil {
		return d, err
	}
	d.Claims = claimsJSON(claims)
	positions, err := s.store.Positions(ctx, store.PositionFilter{WithClaims: true})
	if err != nil {
		return d, err
	}
	d.Positions = positionsJSON(positions)
	precedents, err := s.store.PrecedentsWithFacts(ctx)
	if err != nil {
		return d, err
	}
	mentions, err := s.store.PrecedentMentions(ctx)
	if err != nil {
		return d, err
	}
	for _, p := range precedents {
		p.Mentions = mentions[p.Slug]
		d.Precedents = append(d.Precedents, precedentJSON(p))
	}
	events, err := s.store.Events(ctx)
	if err != nil {
		return d, err
	}
	d.Events = eventsJSON(events)
	d.Sources, d.Actors, d.Issues, d.Claims = list(d.Sources), list(d.Actors), list(d.Issues), list(d.Claims)
	d.Positions, d.Precedents, d.Events = list(d.Positions), list(d.Precedents), list(d.Events)
	return d, nil
}

// csvTable is one CSV export: its name, header and rows. Lists inside a cell (authors,
// aliases, stances, backing claims) are joined with "; "; unknown values are empty cells.
type csvTable struct {
	name   string
	header []string
	rows   func(context.Context, *store.Store) ([][]string, error)
}

var csvTables = []csvTable{
	{"sources", []string{"slug", "title", "subtitle", "authors", "publisher", "captured_from", "published",
		"published_precision", "original_url", "retrieved", "kind", "language", "blocks", "claims", "created_at", "updated_at", "url"},
		func(ctx context.Context, st *store.Store) ([][]string, error) {
			sources, err := st.Sources(ctx, "date")
			var rows [][]string
			for _, s := range sources {
				rows = append(rows, []string{s.Slug, s.Title, s.Subtitle, strings.Join(s.Authors, "; "), s.Publisher,
					s.CapturedFrom, s.Published, s.PublishedPrecision(), s.URL, s.Retrieved, s.Kind, s.Language,
					strconv.Itoa(s.Blocks), strconv.Itoa(s.Claims), s.CreatedAt, s.UpdatedAt, link.Source(s.Slug)})
			}
			return rows, err
		}},
	{"blocks", []string{"source", "key", "position", "kind", "label", "rev", "text", "url"},
		func(ctx context.Context, st *store.Store) ([][]string, error) {
			sources, err := st.Sources(ctx, "date")
			if err != nil {
				return nil, err
			}
			blocks, err := st.BlocksBySource(ctx)
			var rows [][]string
			for _, s := range sources {
				for _, b := range blocks[s.ID] {
					rows = append(rows, []string{s.Slug, b.Key, strconv.Itoa(b.Position), b.Kind, b.Label,
						strconv.Itoa(b.Rev), b.Text, link.Passage(s.Slug, b.Key, 0)})
				}
			}
			return rows, err
		}},
	{"actors", []string{"slug", "name", "kind", "description", "aliases", "claims", "positions", "url"},
		func(ctx context.Context, st *store.Store) ([][]string, error) {
			actors, err := st.PublicActors(ctx)
			var rows [][]string
			for _, a := range actors {
				rows = append(rows, []string{a.Slug, a.Name, a.Kind, a.Description, strings.Join(a.Aliases, "; "),
					strconv.Itoa(a.Claims), strconv.Itoa(a.Positions), link.Actor(a.Slug)})
			}
			return rows, err
		}},
	{"claims", []string{"slug", "statement", "kind", "evidence", "reported_by", "said", "speaker", "holder", "source", "stances", "created_at", "updated_at", "url"},
		func(ctx context.Context, st *store.Store) ([][]string, error) {
			claims, err := st.Claims(ctx, store.ClaimFilter{})
			var rows [][]string
			for _, c := range claims {
				var stances []string
				for _, s := range c.Stances {
					stances = append(stances, s.Issue.Slug+": "+s.Stance)
				}
				rows = append(rows, []string{c.Slug, c.Statement, c.Kind, string(c.Evidence), refSlug(c.ReportedBy), c.Said, refSlug(c.Speaker), refSlug(c.Holder),
					c.Source.Slug, strings.Join(stances, "; "), c.CreatedAt, c.UpdatedAt, link.Claim(c.Slug)})
			}
			return rows, err
		}},
	{"citations", []string{"claim", "source", "block_key", "rev", "current_rev", "start", "end", "quote", "prefix", "suffix", "status", "url"},
		func(ctx context.Context, st *store.Store) ([][]string, error) {
			cites, err := st.Citations(ctx)
			var rows [][]string
			for _, c := range cites {
				rows = append(rows, []string{c.Claim, c.Block.Source.Slug, c.Block.Key, strconv.Itoa(c.Block.Rev),
					strconv.Itoa(c.Current), strconv.Itoa(c.Start), strconv.Itoa(c.End), c.Exact, c.Prefix, c.Suffix,
					c.Status, citedURL(c)})
			}
			return rows, err
		}},
	{"positions", []string{"actor", "issue", "stance", "derived_stance", "grade", "contested", "override_reason", "summary", "claims", "url"},
		func(ctx context.Context, st *store.Store) ([][]string, error) {
			positions, err := st.Positions(ctx, store.PositionFilter{WithClaims: true})
			var rows [][]string
			for _, p := range positions {
				var claims []string
				for _, c := range p.Claims {
					claims = append(claims, c.Slug)
				}
				var reason string
				if p.Override != nil {
					reason = p.Override.Reason
				}
				rows = append(rows, []string{p.Actor.Slug, p.Issue.Slug, string(p.Stance), string(p.Derived), string(p.Grade),
					strconv.FormatBool(p.Contested), reason, p.Summary, strings.Join(claims, "; "),
					link.Position(p.Actor.Slug, p.Issue.Slug)})
			}
			return rows, err
		}},
	{"precedents", []string{"slug", "name", "kind", "date_start", "date_end", "summary", "url"},
		func(ctx context.Context, st *store.Store) ([][]string, error) {
			precedents, err := st.Precedents(ctx)
			var rows [][]string
			for _, p := range precedents {
				rows = append(rows, []string{p.Slug, p.Name, p.Kind, p.DateStart, p.DateEnd, p.Summary, link.Precedent(p.Slug)})
			}
			return rows, err
		}},
	{"events", []string{"date", "date_precision", "title", "precedent", "source", "block_key", "url"},
		func(ctx context.Context, st *store.Store) ([][]string, error) {
			events, err := st.Events(ctx)
			var rows [][]string
			for _, e := range events {
				var precedent string
				if e.Precedent != nil {
					precedent = e.Precedent.Slug
				}
				rows = append(rows, []string{e.Date, store.Precision(e.Date), e.Title, precedent, e.Block.Source.Slug,
					e.Block.Key, link.Passage(e.Block.Source.Slug, e.Block.Key, 0)})
			}
			return rows, err
		}},
}

func refSlug(a *store.ActorRef) string {
	if a == nil {
		return ""
	}
	return a.Slug
}

func (s *Server) exportCSV(t csvTable) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		rows, err := t.rows(r.Context(), s.store)
		if err != nil {
			return fmt.Errorf("export %s.csv: %w", t.name, err)
		}
		var buf bytes.Buffer
		cw := newSpreadsheetCSV(&buf)
		cw.Write(t.header)
		for _, row := range rows {
			cw.Write(row)
		}
		if err := cw.Flush(); err != nil {
			return fmt.Errorf("export %s.csv: %w", t.name, err)
		}
		h := w.Header()
		h.Set("Content-Type", "text/csv; charset=utf-8; header=present")
		h.Set("Content-Disposition", `attachment; filename="sourcebook-`+t.name+`.csv"`)
		w.Write(buf.Bytes())
		return nil
	}
}

// exportDB sends a consistent copy of the database with drafts removed (store.Snapshot),
// the one kept for the current data version; the live file is never sent or written.
func (s *Server) exportDB(w http.ResponseWriter, r *http.Request) error {
	v, err := s.store.Version(r.Context())
	if err != nil {
		return fmt.Errorf("export database: %w", err)
	}
	f, err := s.dbCopies.open(r.Context(), v.N, s.store.Snapshot)
	if err != nil {
		return fmt.Errorf("export database: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("export database: %w", err)
	}
	h := w.Header()
	h.Set("Content-Type", "application/vnd.sqlite3")
	h.Set("Content-Disposition", `attachment; filename="sourcebook.db"`)
	h.Set("Content-Length", strconv.FormatInt(fi.Size(), 10))
	io.Copy(w, f)
	return nil
}
