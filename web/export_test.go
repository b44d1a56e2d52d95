package web_test

import (
	"bytes"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

func TestCSVExportsHaveAHeaderAndEveryRow(t *testing.T) {
	srv := newSite(t)
	st := srv.st
	n := stats(t, st)
	for _, tc := range []struct {
		table string
		first []string // the header's first columns
		rows  int
	}{
		{"sources", []string{"slug", "title"}, n.Sources},
		{"blocks", []string{"source", "key", "position"}, n.Blocks},
		{"actors", []string{"slug", "name", "kind"}, n.Actors},
		{"claims", []string{"slug", "statement"}, n.Claims},
		{"citations", []string{"claim", "source", "block_key"}, n.Citations},
		{"positions", []string{"actor", "issue", "stance"}, n.Positions},
		{"precedents", []string{"slug", "name"}, n.Precedents},
		{"events", []string{"date"}, n.Events},
	} {
		r := srv.get(t, "/export/"+tc.table+".csv")
		if r.status != http.StatusOK || !strings.HasPrefix(r.contentType, "text/csv") ||
			!strings.HasPrefix(r.header.Get("Content-Disposition"), "attachment") {
			t.Errorf("%s.csv: status %d, %q, %q", tc.table, r.status, r.contentType, r.header.Get("Content-Disposition"))
			continue
		}
		records, err := csv.NewReader(bytes.NewReader(r.body)).ReadAll()
		if err != nil {
			t.Errorf("%s.csv: %v", tc.table, err)
			continue
		}
		if len(records) == 0 || !slices.Equal(records[0][:len(tc.first)], tc.first) || records[0][len(records[0])-1] != "url" {
			t.Errorf("%s.csv: header %v", tc.table, records[0])
		}
		if got := len(records) - 1; got != tc.rows || tc.rows == 0 {
			t.Errorf("%s.csv: %d rows, the database has %d", tc.table, got, tc.rows)
		}
	}
}

func TestJSONExportHoldsTheWholeDataset(t *testing.T) {
	srv := newSite(t)
	st := srv.st
	n := stats(t, st)
	var d struct {
		Sources []struct {
			Slug   string
			Blocks []json.RawMessage
		}
		Actors, Issues, Claims, Positions, Precedents, Events []json.RawMessage
	}
	srv.json(t, "/export/sourcebook.json", &d)
	blocks := 0
	for _, s := range d.Sources {
		blocks += len(s.Blocks)
	}
	got := []int{len(d.Sources), blocks, len(d.Actors), len(d.Issues), len(d.Claims), len(d.Positions), len(d.Precedents), len(d.Events)}
	want := []int{n.Sources, n.Blocks, n.Actors, n.Issues, n.Claims, n.Positions, n.Precedents, n.Events}
	if !slices.Equal(got, want) {
		t.Errorf("sources, blocks, actors, issues, claims, positions, precedents, events: %v, the database has %v", got, want)
	}
}

func TestDatabaseExportOpensWithTheSameClaims(t *testing.T) {
	srv := newSite(t)
	st := srv.st
	r := srv.get(t, "/export/sourcebook.db")
	if r.status != http.StatusOK || r.header.Get("Content-Disposition") != `attachment; filename="sourcebook.db"` {
		t.Fatalf("status %d, Content-Disposition %q", r.status, r.header.Get("Content-Disposition"))
	}
	path := filepath.Join(t.TempDir(), "download.db")
	if err := os.WriteFile(path, r.body, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var claims, citations int
	var journal string
	if err := db.QueryRow(`SELECT (SELECT count(*) FROM claims), (SELECT count(*) FROM citations)`).Scan(&claims, &citations); err != nil {
		t.Fatal(err)
	}
	if n := stats(t, st); claims != n.Claims || citations != n.Citations {
		t.Errorf("the copy has %d claims and %d citations, the database %d and %d", claims, citations, n.Claims, n.Citations)
	}
	// The copy stands alone: no -wal file is needed to read it.
	if err := db.QueryRow(`PRAGMA journal_mode`).Scan(&journal); err != nil || journal == "wal" {
		t.Errorf("journal mode %q, %v", journal, err)
	}
	// The live database is untouched and still serves.
	if _, err := st.Stats(t.Context()); err != nil {
		t.Error(err)
	}
}
