package web

import "testing"

func TestLRUForgetsTheLeastRecentlyUsedFirst(t *testing.T) {
	l := newLRU[string, int](10)
	l.put("a", 1, 4)
	l.put("b", 2, 4)
	if _, ok := l.get("a"); !ok { // a is now the more recently used
		t.Fatal("a is missing")
	}
	l.put("c", 3, 4) // 12 > 10: b leaves
	if _, ok := l.peek("b"); ok {
		t.Error("b, the least recently used, was kept")
	}
	if v, ok := getBytes(l, []byte("a")); !ok || v != 1 {
		t.Errorf("a = %d, %t; want 1, true", v, ok)
	}
	l.resize("a", 7) // 11 > 10: c, now the least recently used, leaves
	if _, ok := l.peek("a"); !ok || l.len() != 1 || l.size != 7 {
		t.Errorf("after resize: %d entries, %d bytes; want 1, 7", l.len(), l.size)
	}
	l.put("a", 4, 2) // in place of the old a
	if v, _ := l.peek("a"); v != 4 || l.size != 2 || l.len() != 1 {
		t.Errorf("a = %d with %d bytes in %d entries; want 4, 2, 1", v, l.size, l.len())
	}
	l.put("big", 5, 11) // over the limit alone: not kept
	if l.len() != 0 || l.size != 0 {
		t.Errorf("%d entries, %d bytes after an entry over the limit; want none", l.len(), l.size)
	}
	l.put("d", 6, 1)
	l.remove("d")
	l.put("e", 7, 1)
	l.clear()
	if l.len() != 0 || l.size != 0 {
		t.Errorf("%d entries, %d bytes after clear; want none", l.len(), l.size)
	}
}

func TestLRUGetBytesDoesNotAllocate(t *testing.T) {
	l := newLRU[string, int](1 << 20)
	key := []byte("http://example.com/sources/newsweek-putin-guarantees?and=a-query")
	l.put(string(key), 1, 1)
	if n := testing.AllocsPerRun(100, func() { getBytes(l, key) }); n != 0 {
		t.Errorf("getBytes allocates %v times a call", n)
	}
}

// BenchmarkPageCacheHit is the page cache's part of a cache hit: the lookup by the bytes of
// the page's key, which makes the page the most recently used.
func BenchmarkPageCacheHit(b *testing.B) {
	c := newPageCache(1 << 20)
	for i := range 100 {
		c.put(1, &cachedPage{key: "http://example.com/sources/" + string(rune('a'+i%26)) + string(rune('a'+i/26)), plain: make([]byte, 100)})
	}
	key := []byte("http://example.com/sources/ab")
	b.ReportAllocs()
	for b.Loop() {
		if c.get(1, key) == nil {
			b.Fatal("a miss")
		}
	}
}
