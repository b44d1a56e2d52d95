package web

import (
	"sync"

	"github.com/sourcebook/sourcebook/store"
)

// textCache keeps each source's rendered text (ui.SourceText: its blocks, the spans cited in
// them and the claims citing each) by the source's TextVersion, which the database moves to
// the committing data version whenever a write changes anything that text shows
// (migrations/00004_source_text_version.sql). The page cache forgets every page at every
// write; this keeps the part of a source page that costs the most to build, so after a write
// elsewhere the page is rebuilt around it from one query. Bounded in bytes, least recently
// used out first.
//
// A text is never older than its key: it is rendered from reads made after the source
// record that carried the version, so at worst it is newer, and a reader who then sees the
// newer version misses and renders again.
type textCache struct {
	mu    sync.Mutex
	texts *lru[int64, *cachedText] // by source ID, sized by their HTML
}

type cachedText struct {
	slug    string // the text's links carry it
	version int64
	html    string
}

func newTextCache(limit int) *textCache {
	return &textCache{texts: newLRU[int64, *cachedText](limit)}
}

func (c *textCache) get(src store.Source) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.texts.peek(src.ID)
	if !ok || t.version != src.TextVersion || t.slug != src.Slug {
		return "", false
	}
	c.texts.get(src.ID) // a use
	return t.html, true
}

func (c *textCache) put(src store.Source, html string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.texts.peek(src.ID); ok && old.version > src.TextVersion {
		return // a reader of a newer version has been here first
	}
	c.texts.put(src.ID, &cachedText{slug: src.Slug, version: src.TextVersion, html: html}, len(html))
}

// forget empties the cache, for BenchmarkRender's source-cold: a text rendered from nothing.
func (c *textCache) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.texts.clear()
}
