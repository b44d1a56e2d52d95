package web

import (
	lru "container/list"
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
	size  int
	limit int
	order *lru.List // of *cachedText, most recently used at the front
	byID  map[int64]*lru.Element
}

type cachedText struct {
	source  int64
	slug    string // the text's links carry it
	version int64
	html    string
}

func newTextCache(limit int) *textCache {
	return &textCache{limit: limit, order: lru.New(), byID: map[int64]*lru.Element{}}
}

func (c *textCache) get(src store.Source) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byID[src.ID]
	if !ok {
		return "", false
	}
	t := e.Value.(*cachedText)
	if t.version != src.TextVersion || t.slug != src.Slug {
		return "", false
	}
	c.order.MoveToFront(e)
	return t.html, true
}

func (c *textCache) put(src store.Source, html string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byID[src.ID]; ok {
		old := e.Value.(*cachedText)
		if old.version > src.TextVersion {
			return // a reader of a newer version has been here first
		}
		c.order.Remove(e)
		c.size -= len(old.html)
	}
	c.byID[src.ID] = c.order.PushFront(&cachedText{source: src.ID, slug: src.Slug, version: src.TextVersion, html: html})
	c.size += len(html)
	for c.size > c.limit && c.order.Len() > 0 {
		e := c.order.Back()
		t := e.Value.(*cachedText)
		c.order.Remove(e)
		delete(c.byID, t.source)
		c.size -= len(t.html)
	}
}

// forget empties the cache, for benchmarks of a text rendered from nothing.
func (c *textCache) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.order.Init()
	clear(c.byID)
	c.size = 0
}
