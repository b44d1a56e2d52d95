// Package storetest gives tests the real thing: a fresh SQLite file in a temporary directory,
// migrated and loaded with the seed corpus, exactly as a first start would leave it.
package storetest

import (
	"cmp"
	"path/filepath"
	"sync"
	"testing"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/store/corpus"
)

var (
	seedOnce sync.Once
	seed     *corpus.Corpus
	seedErr  error
)

// Corpus returns the embedded seed corpus, parsed once per test binary.
func Corpus(t testing.TB) *corpus.Corpus {
	t.Helper()
	seedOnce.Do(func() { seed, seedErr = corpus.Read(corpus.Files) })
	if seedErr != nil {
		t.Fatalf("the seed corpus is invalid:\n%v", seedErr)
	}
	return seed
}

// EmptyStore opens a new, migrated database with nothing in it.
func EmptyStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "sourcebook.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// Store opens a new database loaded with the seed corpus.
func Store(t testing.TB) *store.Store {
	t.Helper()
	st := EmptyStore(t)
	if _, err := st.LoadCorpus(t.Context(), Corpus(t)); err != nil {
		t.Fatalf("load seed corpus: %v", err)
	}
	return st
}

// EditInput is a source's metadata and text as the admin's edit form sends them back, every
// block with its key, for a test to change and save with ReviseSource.
func EditInput(t testing.TB, st *store.Store, slug string) store.SourceInput {
	t.Helper()
	src, blocks, err := st.SourceOrDraft(t.Context(), slug)
	if err != nil {
		t.Fatalf("source %s for editing: %v", slug, err)
	}
	in := store.SourceInput{Title: src.Title, Subtitle: src.Subtitle, Publisher: src.Publisher, CapturedFrom: src.CapturedFrom,
		Published: src.Published, URL: src.URL, Retrieved: src.Retrieved, Kind: src.Kind, Language: src.Language,
		Notes: src.Notes, Authors: src.Authors}
	for _, b := range blocks {
		in.Blocks = append(in.Blocks, corpus.Block{Key: b.Key, Kind: b.Kind, Label: b.Label, Text: b.Text})
	}
	return in
}

// Counts is what a store loaded with c holds, counted from c itself: the numbers Stats must
// give after LoadCorpus(c), for tests to compare with instead of guessing minimums.
func Counts(c *corpus.Corpus) store.Stats {
	n := store.Stats{Sources: len(c.Sources), Issues: len(c.Issues), Precedents: len(c.Precedents)}
	// A position is an actor and an issue some claim takes a stance on for the actor (its
	// holder, else its speaker), or that an editor set a stance on.
	positions := map[[2]string]bool{}
	for _, p := range c.Positions {
		if p.Override != nil {
			positions[[2]string{p.Actor, p.Issue}] = true
		}
	}
	actors := map[string]bool{} // a source may declare an actor another declares too
	for _, a := range c.Actors {
		actors[a.ID] = true
	}
	for _, s := range c.Sources {
		for _, a := range s.NewActors {
			actors[a.ID] = true
		}
		n.Blocks += len(s.Blocks)
		n.Precedents += len(s.NewPrecedents)
		n.Claims += len(s.Claims)
		n.Roles += len(s.Roles)
		n.Events += len(s.Events)
		for _, cl := range s.Claims {
			n.Citations += len(cl.Cite)
			holder := cmp.Or(cl.Holder, cl.Speaker)
			for issue := range cl.Issues {
				if holder != corpus.AuthorSpeaker {
					positions[[2]string{holder, issue}] = true
				}
			}
		}
	}
	n.Actors, n.Positions = len(actors), len(positions)
	return n
}
